// DtTable: a device tree written as a compact table, one row per node, compiled to a DTB through
// DtbWriter (and so loaded through LoadDtb like any file).
//
// Used by the embedded TM2E board and by tests that describe other boards. A row is
//   {path, label, compatible, properties}
// * path: absolute ("/soc@0/sysmmu@13a00000"). Rows come in tree order (pre-order, parents before
//   children); ancestors without a row of their own are created as empty nodes.
// * label: the name other rows use to refer to this node (`&label`); it gets a phandle. "" = none.
// * compatible: space-separated list; "" = no `compatible`.
// * properties: `name=value` or a bare `name` (an empty property), separated by ';'. A value is a
//   comma-separated list of items. For string properties (`status`, `model`, `*-names`) each item
//   is a string. Otherwise each item is whitespace-separated words, each `&label` (a phandle) or a
//   number (decimal or 0x hex), all written as 32-bit cells: `clocks=&cmu_disp 0x2d, &cmu_disp
//   0x46`. `irqs=N` is shorthand for an `interrupts` property of N specifiers, each as many zero
//   cells as the #interrupt-cells of the node's interrupt parent (found as of_irq_find_parent does,
//   among the rows: own or inherited `interrupt-parent`, stopping at a node with #interrupt-cells).
//
// Errors are kInvalidArgument naming the row's path.
//
// Thread-safety: stateless functions; safe from any thread.
#ifndef PROBESTORM_HWMODEL_DT_DT_TABLE_H_
#define PROBESTORM_HWMODEL_DT_DT_TABLE_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace probestorm::hwmodel {

struct DtTableRow {
  std::string_view path;
  std::string_view label;
  std::string_view compatible;
  std::string_view properties;
};

absl::StatusOr<std::vector<uint8_t>> CompileDtTable(std::span<const DtTableRow> rows);

}  // namespace probestorm::hwmodel

#endif  // PROBESTORM_HWMODEL_DT_DT_TABLE_H_
