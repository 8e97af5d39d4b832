// Board specs on the command line: `embedded:tm2e`, a .dtb/.dts path, a folder of .dtb files
// (expanded in name order), or `synthetic:SPEC` (from --synthetic). The board reductions that
// shrink makes (DisableNodes) and the fingerprint that replay tokens carry (BoardFingerprint) are
// the board's own (hwmodel/dt/board.h).
//
// Thread-safety: free functions over values.
#ifndef PROBESTORM_STRESS_BOARDS_H_
#define PROBESTORM_STRESS_BOARDS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "hwmodel/dt/board.h"
#include "stress/device_tree_file.h"

namespace probestorm::stress {

inline constexpr std::string_view kSyntheticPrefix = "synthetic:";
inline constexpr std::string_view kDefaultBoard = "embedded:tm2e";

// --dt values (each a spec or a folder) and --synthetic values into board specs.
absl::StatusOr<std::vector<std::string>> ExpandBoardSpecs(const std::vector<std::string>& dts,
                                                          const std::vector<std::string>& synthetic);
// Loads one spec (as produced by ExpandBoardSpecs): an embedded board, a synthetic one, or a
// .dtb/.dts file (device_tree_file.h).
absl::StatusOr<hwmodel::Board> LoadBoardSpec(std::string_view spec,
                                             const DeviceTreeFileOptions& options = {});
using hwmodel::BoardFingerprint;
using hwmodel::DisableNodes;

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_BOARDS_H_
