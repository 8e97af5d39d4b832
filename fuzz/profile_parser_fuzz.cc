// The profile file parser (`--profile=FILE`) on arbitrary text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "driver/profile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)probestorm::kernel::ParseProfileText(
      "fuzz.profile", std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
