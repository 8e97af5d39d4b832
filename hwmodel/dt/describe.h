// DescribeBoard: the board as the model sees it, for `probestorm describe --format=text|json|dot`.
//
// * text: board, model, device count, SysMMUs (clocks, power domain), masters (their SysMMUs in
//   `iommus` order) and the fw_devlink supplier links of masters and SysMMUs, optional ones marked.
// * text: also `arch:` and `sysmmu-version:` with their source in parentheses (dt, set or
//   default), and a `note:` line when a default was used.
// * json: the `describe --format=json` object (README "Command line"); every field the contract shows as a
//   string is a string. `status` is the node's effective availability ("okay" or "disabled");
//   `name` is the device name, "" for a node that became no device; `power_domain` is "" without
//   one. Added at the top level: `arch` ("arm64" | "arm32"), `arch_source`,
//   `sysmmu_version` (a number), `sysmmu_version_source` ("dt" | "set" | "default"), and `note`
//   ("" unless a default was used). Strings follow harness/json.h: any bytes in a node path, name
//   or compatible give valid JSON (an invalid UTF-8 byte becomes U+FFFD).
// * dot: a Graphviz digraph of the links: consumer → supplier, labelled with the property, optional
//   links (iommus, iommu-map, dmas) dashed; masters and SysMMUs are highlighted.
// Links join devices: a supplier node is resolved to the device at or above it (Board::DeviceOf);
// links from a device to itself or to an unavailable supplier, which fw_devlink never creates,
// are left out, and each (consumer, supplier, property) appears once.
//
// Thread-safety: reads the Board only; safe from any thread.
#ifndef PROBESTORM_HWMODEL_DT_DESCRIBE_H_
#define PROBESTORM_HWMODEL_DT_DESCRIBE_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "hwmodel/dt/board.h"

namespace probestorm::hwmodel {

// kInvalidArgument for a format other than "text", "json" or "dot".
// `facts`: what a run on this board uses (BoardFactsOf, or kernel::ResolveForBoard with knobs).
absl::StatusOr<std::string> DescribeBoard(const Board& board, std::string_view format, const BoardFacts& facts);

}  // namespace probestorm::hwmodel

#endif  // PROBESTORM_HWMODEL_DT_DESCRIBE_H_
