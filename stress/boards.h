// Board specs on the command line: `embedded:tm2e`, a .dtb/.dts path, a folder of .dtb files
// (expanded in name order), or `synthetic:SPEC` (from --synthetic). Also the board reductions that
// shrink makes (nodes marked unavailable) and a fingerprint that replay tokens carry.
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

namespace probestorm::stress {

inline constexpr std::string_view kSyntheticPrefix = "synthetic:";
inline constexpr std::string_view kDefaultBoard = "embedded:tm2e";

// --dt values (each a spec or a folder) and --synthetic values into board specs.
absl::StatusOr<std::vector<std::string>> ExpandBoardSpecs(const std::vector<std::string>& dts,
                                                          const std::vector<std::string>& synthetic);
// Loads one spec (as produced by ExpandBoardSpecs).
absl::StatusOr<hwmodel::Board> LoadBoardSpec(std::string_view spec);
// Marks each node (by path) and its subtree unavailable and drops them from the device list, as
// `status = "disabled"` would. kInvalidArgument for an unknown path.
absl::Status DisableNodes(hwmodel::Board& board, const std::vector<std::string>& paths);
// Hash of what the model sees of the board (nodes, compatibles, status, references).
uint64_t BoardFingerprint(const hwmodel::Board& board);

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_BOARDS_H_
