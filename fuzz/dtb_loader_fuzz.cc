// The DTB loader (libfdt and the loader's own checks) on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <span>

#include "hwmodel/dt/board.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)probestorm::hwmodel::LoadDtb(std::span<const uint8_t>(data, size), "fuzz.dtb");
  return 0;
}
