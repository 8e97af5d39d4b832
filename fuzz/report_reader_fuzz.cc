// The JSON report reader that `merge` and `replay --report` use, on arbitrary text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "stress/report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)probestorm::stress::ParseReport(
      std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
  return 0;
}
