#include "hwmodel/dt/of_platform.h"

#include <bit>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "harness/strings.h"

namespace probestorm::hwmodel::dt_internal {
namespace {

constexpr uint32_t kMaxAddressCells = 4;  // OF_MAX_ADDR_CELLS

// OF_CHECK_COUNTS(na, ns).
bool CountsOk(uint32_t na, uint32_t ns) { return na > 0 && na <= kMaxAddressCells && ns > 0; }

std::string_view NameWithoutUnit(std::string_view name) { return name.substr(0, name.find('@')); }

bool IsBus(const DtNode& n) {
  return n.IsCompatible("simple-bus") || n.IsCompatible("simple-mfd") || n.IsCompatible("isa") ||
         n.IsCompatible("arm,amba-bus");
}

class Populator {
 public:
  explicit Populator(FdtTree& tree)
      : tree_(tree), board_(tree.board()), populated_(board_.nodes.size(), false) {}

  void Run() {
    const DtNode& root = board_.node(0);
    for (int child : root.children) {
      if (board_.node(child).name == "firmware") {
        for (int fw : board_.node(child).children) BusCreate(fw, /*walk_buses=*/false);
      }
    }
    for (int child : root.children) BusCreate(child, /*walk_buses=*/true);
  }

 private:
  // of_platform_bus_create(..., strict = true). The tree is at most FDT_MAX_DEPTH deep.
  void BusCreate(int node, bool walk_buses) {
    const DtNode& n = board_.node(node);
    if (n.compatible.empty() || n.IsCompatible("operating-points-v2")) return;
    if (populated_[static_cast<size_t>(node)] || !n.status_okay) return;
    if (n.IsCompatible("arm,primecell")) {
      Create(node, /*amba=*/true);
      return;
    }
    Create(node, /*amba=*/false);
    if (!walk_buses || !IsBus(n)) return;
    for (int child : n.children) BusCreate(child, walk_buses);
  }

  void Create(int node, bool amba) {
    populated_[static_cast<size_t>(node)] = true;
    DtNode& n = board_.nodes[static_cast<size_t>(node)];
    n.is_device = true;
    n.is_amba = amba;
    n.device_name = MakeBusId(tree_, node);
    board_.devices.push_back(node);
  }

  FdtTree& tree_;
  Board& board_;
  std::vector<bool> populated_;  // OF_POPULATED
};

}  // namespace

std::optional<uint64_t> TranslateAddress(const FdtTree& tree, int node, uint64_t address) {
  const Board& board = tree.board();
  int dev = node;
  int parent = board.node(dev).parent;
  if (parent == kNoNode) return std::nullopt;
  uint32_t na = tree.address_cells(parent);
  uint32_t ns = tree.size_cells(parent);
  if (!CountsOk(na, ns)) return std::nullopt;
  for (;;) {
    dev = parent;  // the bus whose `ranges` maps `address` into its parent's space
    parent = board.node(dev).parent;
    if (parent == kNoNode) return address;
    const uint32_t pna = tree.address_cells(parent);
    const uint32_t pns = tree.size_cells(parent);
    if (!CountsOk(pna, pns)) return std::nullopt;
    const FdtProperty* ranges = tree.Find(dev, "ranges");
    if (ranges == nullptr) return std::nullopt;
    if (!ranges->value.empty()) {  // empty `ranges`: identity mapping
      const size_t one = na + pna + ns;
      bool mapped = false;
      for (size_t i = 0; i + one <= NumCells(ranges->value); i += one) {
        const uint64_t child = ReadNumber(ranges->value, i, na);
        const uint64_t size = ReadNumber(ranges->value, i + na + pna, ns);
        if (address < child || address - child >= size) continue;
        address = ReadNumber(ranges->value, i + na, pna) + (address - child);
        mapped = true;
        break;
      }
      if (!mapped) return std::nullopt;
    }
    na = pna;
    ns = pns;
  }
}

std::string MakeBusId(const FdtTree& tree, int node) {
  const Board& board = tree.board();
  std::string name;  // empty until the first component is known
  for (int n = node; board.node(n).parent != kNoNode; n = board.node(n).parent) {
    const DtNode& dn = board.node(n);
    const uint32_t na = tree.address_cells(dn.parent);
    const FdtProperty* reg = tree.Find(n, "reg");
    if (reg != nullptr && na > 0 && NumCells(reg->value) >= na) {
      if (std::optional<uint64_t> addr = TranslateAddress(tree, n, ReadNumber(reg->value, 0, na))) {
        std::string head = absl::StrFormat("%x.%s", *addr, NameWithoutUnit(dn.name));
        absl::StatusOr<std::optional<uint32_t>> mask = tree.ReadU32(n, "mask");
        if (mask.ok() && mask->has_value()) {
          const uint32_t bit = **mask == 0 ? 0xffffffffu : std::countr_zero(**mask);  // ffs() - 1
          head = absl::StrFormat("%x.%x.%s", *addr, bit, NameWithoutUnit(dn.name));
        }
        return name.empty() ? head : absl::StrCat(head, ":", name);
      }
    }
    name = name.empty() ? dn.name : absl::StrCat(Av(dn.name), ":", name);
  }
  return name;
}

void PopulateDevices(FdtTree& tree) { Populator(tree).Run(); }

}  // namespace probestorm::hwmodel::dt_internal
