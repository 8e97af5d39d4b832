// The flattened device tree of a board file: a .dtb file's bytes, or a .dts file compiled by the
// device-tree compiler (`dtc -I dts -O dtb`, no shell) into a temporary file that is removed
// afterwards.
//
// Errors are kInvalidArgument: an unreadable file ("<path>: cannot read: <strerror>"), a folder,
// dtc missing ("dtc not installed: ...") or failing (with its stderr).
//
// Thread-safety: may run on several threads at once (each spawns its own dtc).
#ifndef PROBESTORM_STRESS_DEVICE_TREE_FILE_H_
#define PROBESTORM_STRESS_DEVICE_TREE_FILE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace probestorm::stress {

struct DeviceTreeFileOptions {
  // The device-tree compiler for .dts files; looked up in PATH unless it contains a '/'.
  std::string dtc = "dtc";
};

absl::StatusOr<std::vector<uint8_t>> ReadDeviceTreeFile(std::string_view path,
                                                        const DeviceTreeFileOptions& options = {});

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_DEVICE_TREE_FILE_H_
