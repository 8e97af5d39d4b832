// Board: a flattened device tree as the model sees it.
//
// A Board is built once per campaign from a DTB (a file, the embedded TM2E description, or a
// synthetic generator: all three go through LoadDtb) and is immutable afterwards, so runs on many
// threads share one Board by const reference.
//
// Nothing here keys on node names: a node with `iommus` is a master, a node compatible with
// "samsung,exynos-sysmmu" is a SysMMU, whatever the board.
#ifndef PROBESTORM_HWMODEL_DT_BOARD_H_
#define PROBESTORM_HWMODEL_DT_BOARD_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "hwmodel/dt/soc.h"

namespace probestorm::hwmodel {

inline constexpr int kNoNode = -1;

// One phandle reference with its argument cells, e.g. `<&cmu_disp 0x2d>`.
struct PhandleRef {
  int node = kNoNode;          // index into Board::nodes
  std::vector<uint32_t> args;  // the specifier cells after the phandle
};

// A supplier that fw_devlink (drivers/of/property.c of_supplier_bindings[]) would link to.
struct SupplierRef {
  int node = kNoNode;    // supplier node (for interrupts: the interrupt parent; for graph
                         // remote-endpoint: the port's device node)
  std::string property;  // "clocks", "iommus", "interrupts", "pinctrl-0", "vdd-supply", ...
  bool optional = false; // iommus, iommu-map, dmas: skipped unless fw_devlink is strict
};

struct DtNode {
  int index = kNoNode;       // position in tree (depth-first pre-order); root is 0
  int parent = kNoNode;
  std::vector<int> children;
  std::string path;          // "/soc@0/sysmmu@13a00000"
  std::string name;          // "sysmmu@13a00000"
  std::vector<std::string> compatible;
  bool status_okay = true;   // own `status` is absent, "okay" or "ok"
  bool available = true;     // status_okay of this node and every ancestor
  uint32_t phandle = 0;      // 0: none
  std::vector<std::pair<uint64_t, uint64_t>> reg;  // (address, size), #address/#size-cells applied
  int interrupt_parent = kNoNode;  // effective (inherited) interrupt parent
  int num_interrupts = 0;
  std::vector<std::string> clock_names;
  std::vector<PhandleRef> clocks;
  std::vector<PhandleRef> power_domains;
  std::vector<PhandleRef> iommus;
  int iommu_cells = -1;      // #iommu-cells, -1 when absent
  std::vector<SupplierRef> suppliers;  // every fw_devlink supplier reference, in property order

  // Platform device created for this node by OF population (of_platform_default_populate), if any.
  bool is_device = false;
  bool is_amba = false;      // the device is an AMBA device ("arm,primecell"), not a platform one
  std::string device_name;   // kernel-style bus id, e.g. "13a00000.sysmmu"

  bool IsCompatible(std::string_view c) const;
  bool IsSysmmu() const { return IsCompatible("samsung,exynos-sysmmu"); }
  bool IsMaster() const { return !iommus.empty(); }
};

struct Board {
  std::string name;             // "embedded:tm2e", a file path, or "synthetic:..."
  std::string model;            // root `model` property
  std::vector<std::string> root_compatible;
  int sysmmu_version = 0;       // root `probestorm,sysmmu-version` (synthetic `version=`);
                                // 0: unset, the SoC's (below), else the profile decides
  const SocFacts* soc = nullptr;  // the SoC the root compatible names (soc.h); null: unknown
  std::vector<DtNode> nodes;    // index == DtNode::index
  std::vector<int> devices;     // nodes that become platform devices, in population order
                                // (AMBA devices too: DtNode::is_amba)
  std::vector<int> sysmmus;     // SysMMU nodes (any status), tree order
  std::vector<int> masters;     // nodes with `iommus` (any status), tree order

  const DtNode& node(int i) const { return nodes[static_cast<size_t>(i)]; }
  // Index of the node with this path, or kNoNode.
  int FindPath(std::string_view path) const;
  // Index of the node whose device name is `name`, or kNoNode.
  int FindDevice(std::string_view device_name) const;
  // The device fw_devlink resolves a supplier node to: the nearest node at or above `node` that
  // is a device, or kNoNode.
  int DeviceOf(int node) const;
};

// Parses a flattened device tree. Errors are kInvalidArgument naming the byte offset or node path:
// bad magic, truncated blob, bad offsets, dangling phandle, `iommus` to a node that is not an IOMMU,
// wrong cell counts, reference cycles.
absl::StatusOr<Board> LoadDtb(std::span<const uint8_t> blob, std::string name);

// A board built into the binary: `spec` is `embedded:NAME` (only `embedded:tm2e`). An unknown name
// is kInvalidArgument listing the known ones. Boards from files are read by the command line
// (stress/boards.h): hwmodel does no host I/O.
absl::StatusOr<Board> LoadEmbeddedBoard(std::string_view spec);

// Marks each node (by path) and its subtree unavailable and drops them from the device list, as
// `status = "disabled"` would (shrink's board reductions). kInvalidArgument for an unknown path.
absl::Status DisableNodes(Board& board, const std::vector<std::string>& paths);
// Hash of what the model sees of the board (nodes, compatibles, status, references): replay
// tokens carry it to refuse a token from another device tree.
uint64_t BoardFingerprint(const Board& board);

// `sysmmus=N,masters=M,per_master=K[,unused=U][,plain=P][,groups=G][,version=V]`: see synthetic.h.
absl::StatusOr<Board> LoadSynthetic(std::string_view spec);

}  // namespace probestorm::hwmodel

#endif  // PROBESTORM_HWMODEL_DT_BOARD_H_
