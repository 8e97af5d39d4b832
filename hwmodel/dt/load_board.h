// LoadBoard: a board from the `--dt` flag: `embedded:NAME`, a .dtb file or a .dts file.
//
// A .dts file is compiled by running the device-tree compiler (`dtc -I dts -O dtb`, no shell) into
// a temporary file that is removed afterwards. Errors are kInvalidArgument: an unknown embedded
// name (listing the known ones), an unreadable file ("cannot read <path>: <strerror>"), dtc
// missing or failing (with its stderr), or anything LoadDtb rejects.
//
// Thread-safety: LoadBoard may run on several threads at once (each spawns its own dtc).
#ifndef PROBESTORM_HWMODEL_DT_LOAD_BOARD_H_
#define PROBESTORM_HWMODEL_DT_LOAD_BOARD_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "hwmodel/dt/board.h"

namespace probestorm::hwmodel {

struct LoadBoardOptions {
  // The device-tree compiler for .dts files; looked up in PATH unless it contains a '/'.
  std::string dtc = "dtc";
};

// LoadBoard(spec) of board.h with explicit options.
absl::StatusOr<Board> LoadBoard(std::string_view spec, const LoadBoardOptions& options);

}  // namespace probestorm::hwmodel

#endif  // PROBESTORM_HWMODEL_DT_LOAD_BOARD_H_
