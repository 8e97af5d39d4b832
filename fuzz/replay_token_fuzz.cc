// The replay token decoder (`--token=T`) on arbitrary text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "stress/token.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)probestorm::stress::ReplayToken::Decode(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
