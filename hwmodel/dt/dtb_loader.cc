// LoadDtb: a flattened device tree blob → Board.
//
// Passes, each over the whole tree: (1) check the blob with libfdt (header, then fdt_check_full);
// (2) read the nodes depth-first pre-order with their raw properties, compatible, status and
// phandle; (3) #address-cells / #size-cells; (4) effective interrupt parents (of_irq_find_parent);
// (5) per node: reg, interrupts, #iommu-cells, clock-names and every fw_devlink supplier property
// (supplier_bindings.h), which also yields clocks, power-domains and iommus; (6) reject `iommus`
// cycles; (7) OF population (of_platform.h); (8) the SysMMU and master lists.
//
// Divergences from Linux, each making a malformed tree an error instead of a silently missing
// link: a dangling or zero phandle, a supplier without its #xxx-cells, a truncated specifier list
// and an `interrupts` with no interrupt parent are kInvalidArgument (Linux logs and skips). An
// interrupt parent that is an interrupt-map nexus is the supplier itself (Linux follows the map).
#include <libfdt.h>

#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "hwmodel/dt/board.h"
#include "hwmodel/dt/fdt_tree.h"
#include "hwmodel/dt/of_platform.h"
#include "hwmodel/dt/supplier_bindings.h"

namespace probestorm::hwmodel {
namespace {

using dt_internal::ArgCells;
using dt_internal::FdtProperty;
using dt_internal::FdtTree;

constexpr int kFdtMaxDepth = 64;  // FDT_MAX_DEPTH in drivers/of/fdt.c

absl::Status BlobError(std::string_view name, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrFormat("%s: %s", name, what));
}

// The first structure-block tag libfdt rejects, as (absolute byte offset, libfdt error); the
// offset is -1 when the structure block reads cleanly.
std::pair<int, int> LocateCorruption(const void* fdt) {
  const int base = static_cast<int>(fdt_off_dt_struct(fdt));
  int depth = 0;
  for (int offset = 0;;) {
    int next = 0;
    const uint32_t tag = fdt_next_tag(fdt, offset, &next);
    if (next < 0) return {base + offset, next};
    switch (tag) {
      case FDT_BEGIN_NODE:
        ++depth;
        break;
      case FDT_END_NODE:
        if (--depth < 0) return {base + offset, -FDT_ERR_BADSTRUCTURE};
        break;
      case FDT_PROP: {
        int len = 0;
        const struct fdt_property* prop = fdt_get_property_by_offset(fdt, offset, &len);
        if (prop == nullptr) return {base + offset, len};
        if (fdt_get_string(fdt, static_cast<int>(fdt32_ld(&prop->nameoff)), &len) == nullptr) {
          return {base + offset, len};
        }
        break;
      }
      case FDT_END:
        return {depth == 0 ? -1 : base + offset, -FDT_ERR_BADSTRUCTURE};
      default:
        break;
    }
    offset = next;
  }
}

absl::Status CheckBlob(const void* fdt, size_t size, std::string_view name) {
  if (size < sizeof(fdt_header)) {
    return BlobError(name, absl::StrFormat("truncated blob: %d bytes at byte offset 0, shorter "
                                           "than the %d-byte FDT header",
                                           size, sizeof(fdt_header)));
  }
  if (const int err = fdt_check_header(fdt); err != 0) {
    if (err == -FDT_ERR_BADMAGIC) {
      return BlobError(name, absl::StrFormat("bad magic 0x%08x at byte offset 0 (expected 0x%08x)",
                                             fdt_magic(fdt), FDT_MAGIC));
    }
    return BlobError(name,
                     absl::StrFormat("bad FDT header at byte offset 0: %s", fdt_strerror(err)));
  }
  if (fdt_totalsize(fdt) > size) {
    return BlobError(name, absl::StrFormat("truncated blob: totalsize at byte offset 4 says %u "
                                           "bytes, only %d present",
                                           fdt_totalsize(fdt), size));
  }
  if (const int err = fdt_check_full(fdt, size); err != 0) {
    const auto [offset, why] = LocateCorruption(fdt);
    if (offset < 0) {
      return BlobError(name, absl::StrFormat("corrupt device tree: %s (structure block at byte "
                                             "offset %u, strings at byte offset %u)",
                                             fdt_strerror(err), fdt_off_dt_struct(fdt),
                                             fdt_off_dt_strings(fdt)));
    }
    return BlobError(name, absl::StrFormat("corrupt structure block at byte offset %d: %s", offset,
                                           fdt_strerror(why)));
  }
  return absl::OkStatus();
}

class Loader {
 public:
  Loader(const void* fdt, Board* board) : fdt_(fdt), tree_(board), board_(*board) {}

  absl::Status Run() {
    for (auto pass :
         {&Loader::ReadNodes, &Loader::ComputeBusCells, &Loader::ResolveInterruptParents,
          &Loader::ParseNodes, &Loader::CheckIommuCycles}) {
      if (absl::Status s = (this->*pass)(); !s.ok()) return s;
    }
    dt_internal::PopulateDevices(tree_);
    for (const DtNode& n : board_.nodes) {
      if (n.IsSysmmu()) board_.sysmmus.push_back(n.index);
      if (n.IsMaster()) board_.masters.push_back(n.index);
    }
    if (const FdtProperty* model = tree_.Find(0, "model")) {
      board_.model = std::string(dt_internal::AsString(model->value));
    }
    board_.root_compatible = board_.node(0).compatible;
    board_.soc = FindSocFacts(board_.root_compatible);
    absl::StatusOr<std::optional<uint32_t>> version = tree_.ReadU32(0, "probestorm,sysmmu-version");
    if (!version.ok()) return version.status();
    if (version->has_value()) {
      const uint32_t v = **version;
      if (v != 1 && v != 3 && v != 5 && v != 7) {
        return tree_.PropertyError(0, *tree_.Find(0, "probestorm,sysmmu-version"),
                                   absl::StrFormat("SysMMU version %u is not 1, 3, 5 or 7", v));
      }
      board_.sysmmu_version = static_cast<int>(v);
    }
    return absl::OkStatus();
  }

 private:
  // Pass 2: the node skeleton in depth-first pre-order, raw properties, compatible, status,
  // availability and phandles.
  absl::Status ReadNodes() {
    std::vector<int> open;  // index of the open node at each depth
    int depth = 0;
    int last = 0;
    for (int off = 0; depth >= 0; off = fdt_next_node(fdt_, off, &depth)) {
      if (off < 0) {
        if (off == -FDT_ERR_NOTFOUND) break;
        return tree_.Error(absl::StrFormat("corrupt structure block after byte offset %d: %s",
                                           Abs(last), fdt_strerror(off)));
      }
      last = off;
      if (depth >= kFdtMaxDepth - 1) {
        return tree_.Error(
            absl::StrFormat("node at byte offset %d nests %d levels deep (FDT_MAX_DEPTH is %d)",
                            Abs(off), depth, kFdtMaxDepth));
      }
      int len = 0;
      const char* name = fdt_get_name(fdt_, off, &len);
      if (name == nullptr) {
        return tree_.Error(
            absl::StrFormat("bad node at byte offset %d: %s", Abs(off), fdt_strerror(len)));
      }
      open.resize(static_cast<size_t>(depth));
      const int node = tree_.AddNode(open.empty() ? kNoNode : open.back(),
                                     std::string_view(name, static_cast<size_t>(len)));
      open.push_back(node);
      if (absl::Status s = ReadProperties(off, node); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status ReadProperties(int off, int node) {
    int poff = 0;
    fdt_for_each_property_offset(poff, fdt_, off) {
      const char* pname = nullptr;
      int len = 0;
      const void* value = fdt_getprop_by_offset(fdt_, poff, &pname, &len);
      if (value == nullptr) {
        return tree_.Error(
            absl::StrFormat("bad property at byte offset %d: %s", Abs(poff), fdt_strerror(len)));
      }
      tree_.AddProperty(
          node, {pname, {static_cast<const uint8_t*>(value), static_cast<size_t>(len)}, Abs(poff)});
    }
    if (poff != -FDT_ERR_NOTFOUND) {
      return tree_.Error(absl::StrFormat("bad property list of %s at byte offset %d: %s",
                                         tree_.path(node), Abs(off), fdt_strerror(poff)));
    }
    DtNode& n = board_.nodes[static_cast<size_t>(node)];
    if (const FdtProperty* p = tree_.Find(node, "compatible")) {
      n.compatible = dt_internal::AsStrings(p->value);
    }
    if (const FdtProperty* p = tree_.Find(node, "status")) {
      const std::string_view status = dt_internal::AsString(p->value);
      n.status_okay = status == "okay" || status == "ok";
    }
    n.available = n.status_okay && (n.parent == kNoNode || board_.node(n.parent).available);
    for (std::string_view prop : {"phandle", "linux,phandle"}) {
      const FdtProperty* p = tree_.Find(node, prop);
      if (p == nullptr) continue;
      absl::StatusOr<std::optional<uint32_t>> v = tree_.ReadU32(node, prop);
      if (!v.ok()) return v.status();
      if (absl::Status s = tree_.SetPhandle(node, **v, *p); !s.ok()) return s;
      if (n.phandle == 0) n.phandle = **v;
    }
    return absl::OkStatus();
  }

  absl::Status ComputeBusCells() { return tree_.ComputeBusCells(); }

  // Pass 4: of_irq_find_parent() for every node, memoized. From a node, step to the target of its
  // `interrupt-parent` (or to its parent) until a node with #interrupt-cells; a chain that comes
  // back to itself would loop forever in Linux and is an error here.
  absl::Status ResolveInterruptParents() {
    constexpr int kUnknown = -2;
    const size_t count = board_.nodes.size();
    std::vector<int> parent_of(count, kUnknown);
    std::vector<bool> on_chain(count, false);
    std::vector<int> chain;
    for (size_t start = 0; start < count; ++start) {
      chain.clear();
      int result = kNoNode;
      for (int cur = static_cast<int>(start);;) {
        if (parent_of[static_cast<size_t>(cur)] != kUnknown) {
          result = parent_of[static_cast<size_t>(cur)];
          break;
        }
        if (on_chain[static_cast<size_t>(cur)]) return InterruptParentCycle(chain, cur);
        on_chain[static_cast<size_t>(cur)] = true;
        chain.push_back(cur);
        int next = board_.node(cur).parent;
        if (const FdtProperty* p = tree_.Find(cur, "interrupt-parent")) {
          if (p->value.size() != 4) {
            return tree_.PropertyError(cur, *p, "wrong cell count: expected one phandle");
          }
          absl::StatusOr<int> target = tree_.ResolveCell(cur, *p, 0);
          if (!target.ok()) return target.status();
          next = *target;
        }
        if (next == kNoNode) break;
        if (tree_.Has(next, "#interrupt-cells")) {
          result = next;
          break;
        }
        cur = next;
      }
      for (int c : chain) {
        parent_of[static_cast<size_t>(c)] = result;
        on_chain[static_cast<size_t>(c)] = false;
      }
      board_.nodes[start].interrupt_parent = parent_of[start];
    }
    return absl::OkStatus();
  }

  // The walk from `chain` came back to `again`. Parent steps alone cannot cycle, so some node of
  // the cycle has an `interrupt-parent`; the error points at the first.
  absl::Status InterruptParentCycle(const std::vector<int>& chain, int again) {
    std::vector<std::string> paths;
    const FdtProperty* culprit = nullptr;
    int culprit_node = kNoNode;
    bool in_cycle = false;
    for (int c : chain) {
      in_cycle = in_cycle || c == again;
      if (!in_cycle) continue;
      paths.push_back(tree_.path(c));
      if (culprit == nullptr) {
        culprit = tree_.Find(c, "interrupt-parent");
        culprit_node = c;
      }
    }
    paths.push_back(tree_.path(again));
    return tree_.PropertyError(
        culprit_node, *culprit,
        absl::StrCat("reference cycle in interrupt-parent chain ", absl::StrJoin(paths, " -> ")));
  }

  // Pass 5.
  absl::Status ParseNodes() {
    const size_t count = board_.nodes.size();
    std::vector<bool> metadata(count, false);
    for (size_t i = 0; i < count; ++i) {
      const DtNode& n = board_.nodes[i];
      if (n.parent != kNoNode) {
        metadata[i] =
            n.parent == 0 ? IsMetadataNode(n.name) : metadata[static_cast<size_t>(n.parent)];
      }
      if (metadata[i]) continue;
      if (absl::Status s = ParseNode(static_cast<int>(i)); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  // Root children that hold paths and label names, not phandles or cells.
  static bool IsMetadataNode(std::string_view name) {
    return name == "aliases" || name == "__symbols__" || name == "__fixups__" ||
           name == "__local_fixups__";
  }

  absl::Status ParseNode(int node) {
    if (absl::Status s = ParseReg(node); !s.ok()) return s;
    absl::StatusOr<std::vector<int>> irq = InterruptSuppliers(node);
    if (!irq.ok()) return irq.status();
    DtNode& n = board_.nodes[static_cast<size_t>(node)];
    n.num_interrupts = static_cast<int>(irq->size());
    absl::StatusOr<std::optional<uint32_t>> iommu_cells = tree_.ReadU32(node, "#iommu-cells");
    if (!iommu_cells.ok()) return iommu_cells.status();
    if (iommu_cells->has_value()) n.iommu_cells = static_cast<int>(**iommu_cells);
    if (const FdtProperty* p = tree_.Find(node, "clock-names")) {
      n.clock_names = dt_internal::AsStrings(p->value);
    }
    const bool gpio_hog = tree_.Has(node, "gpio-hog");
    for (const FdtProperty& p : tree_.properties(node)) {
      std::optional<SupplierBinding> b = MatchSupplierBinding(p.name, gpio_hog);
      if (!b) continue;
      if (absl::Status s = ParseSupplierProperty(node, p, *b, *irq); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status ParseReg(int node) {
    const FdtProperty* p = tree_.Find(node, "reg");
    const int parent = board_.node(node).parent;
    if (p == nullptr || parent == kNoNode) return absl::OkStatus();
    const size_t ac = tree_.address_cells(parent);
    const size_t sc = tree_.size_cells(parent);
    if (p->value.size() % 4 != 0 || (ac + sc == 0 && !p->value.empty()) ||
        (ac + sc != 0 && dt_internal::NumCells(p->value) % (ac + sc) != 0)) {
      return tree_.PropertyError(
          node, *p,
          absl::StrFormat(
              "wrong cell count: %d bytes is not a list of (%d address + %d size) cells",
              p->value.size(), ac, sc));
    }
    DtNode& n = board_.nodes[static_cast<size_t>(node)];
    for (size_t i = 0; i + ac + sc <= dt_internal::NumCells(p->value) && ac + sc > 0;
         i += ac + sc) {
      n.reg.emplace_back(dt_internal::ReadNumber(p->value, i, ac),
                         dt_internal::ReadNumber(p->value, i + ac, sc));
    }
    return absl::OkStatus();
  }

  // The supplier of each interrupt of `node`, as of_irq_parse_one() finds it: the targets of
  // `interrupts-extended` when present, else the interrupt parent once per `interrupts` entry.
  absl::StatusOr<std::vector<int>> InterruptSuppliers(int node) {
    std::vector<int> out;
    if (const FdtProperty* ext = tree_.Find(node, "interrupts-extended")) {
      absl::StatusOr<std::vector<PhandleRef>> refs =
          tree_.ParsePhandleList(node, *ext, ArgCells{"#interrupt-cells"});
      if (!refs.ok()) return refs.status();
      for (const PhandleRef& r : *refs) out.push_back(r.node);
      return out;
    }
    const FdtProperty* p = tree_.Find(node, "interrupts");
    if (p == nullptr || p->value.empty()) return out;
    const int parent = board_.node(node).interrupt_parent;
    if (parent == kNoNode) return tree_.PropertyError(node, *p, "no interrupt parent");
    absl::StatusOr<std::optional<uint32_t>> cells = tree_.ReadU32(parent, "#interrupt-cells");
    if (!cells.ok()) return cells.status();
    if (**cells == 0 || p->value.size() % (4 * size_t{**cells}) != 0) {
      return tree_.PropertyError(node, *p,
                                 absl::StrFormat("wrong cell count: %d bytes is not a list of "
                                                 "%u-cell specifiers (#interrupt-cells of %s)",
                                                 p->value.size(), **cells, tree_.path(parent)));
    }
    out.assign(p->value.size() / (4 * size_t{**cells}), parent);
    return out;
  }

  absl::Status ParseSupplierProperty(int node, const FdtProperty& p, const SupplierBinding& b,
                                     const std::vector<int>& irq) {
    DtNode& n = board_.nodes[static_cast<size_t>(node)];
    auto link = [&p, &b](DtNode& consumer, int supplier) {
      consumer.suppliers.push_back(SupplierRef{supplier, std::string(p.name), b.optional});
    };
    switch (b.kind) {
      case SupplierBinding::Kind::kPhandleList: {
        absl::StatusOr<std::vector<PhandleRef>> refs =
            tree_.ParsePhandleList(node, p, ArgCells{b.cells, b.cells_optional});
        if (!refs.ok()) return refs.status();
        for (const PhandleRef& r : *refs) link(n, r.node);
        if (p.name == "clocks") n.clocks = *std::move(refs);
        if (p.name == "power-domains") n.power_domains = *std::move(refs);
        if (p.name == "iommus") {
          for (const PhandleRef& r : *refs) {
            if (r.node == node) {
              return tree_.PropertyError(node, p, "reference cycle: the IOMMU is its own master");
            }
          }
          n.iommus = *std::move(refs);
        }
        return absl::OkStatus();
      }
      case SupplierBinding::Kind::kFirstPhandle:
      case SupplierBinding::Kind::kRemoteEndpoint: {
        const bool single = b.kind == SupplierBinding::Kind::kRemoteEndpoint;
        if (p.value.empty() || p.value.size() % 4 != 0 || (single && p.value.size() != 4)) {
          return tree_.PropertyError(node, p, "wrong cell count: expected a phandle");
        }
        absl::StatusOr<int> target = tree_.ResolveCell(node, p, 0);
        if (!target.ok()) return target.status();
        if (!single) {
          link(n, *target);
          return absl::OkStatus();
        }
        absl::StatusOr<int> consumer = PortParent(node, node, p);
        if (!consumer.ok()) return consumer.status();
        absl::StatusOr<int> supplier = PortParent(*target, node, p);
        if (!supplier.ok()) return supplier.status();
        link(board_.nodes[static_cast<size_t>(*consumer)], *supplier);
        return absl::OkStatus();
      }
      case SupplierBinding::Kind::kIommuMap: {
        if (p.value.size() % 16 != 0) {
          return tree_.PropertyError(node, p, "wrong cell count: iommu-map entries are 4 cells");
        }
        for (size_t i = 1; i < dt_internal::NumCells(p.value); i += 4) {
          absl::StatusOr<int> target = tree_.ResolveCell(node, p, i);
          if (!target.ok()) return target.status();
          link(n, *target);
        }
        return absl::OkStatus();
      }
      case SupplierBinding::Kind::kInterrupts:
        for (int supplier : irq) link(n, supplier);
        return absl::OkStatus();
    }
    return absl::OkStatus();
  }

  // of_graph_get_port_parent(): endpoint → port → device, or one level further when the port sits
  // in a `ports` (`in-ports`, `out-ports`) container.
  absl::StatusOr<int> PortParent(int endpoint, int node, const FdtProperty& p) {
    int n = endpoint;
    for (int depth = 3; depth > 0 && n != kNoNode; --depth) {
      n = board_.node(n).parent;
      if (n == kNoNode) break;
      const std::string_view name = board_.node(n).name;
      const std::string_view base = name.substr(0, name.find('@'));
      if (depth == 2 && base != "ports" && base != "in-ports" && base != "out-ports") break;
    }
    if (n == kNoNode || n == 0) {
      return tree_.PropertyError(
          node, p,
          absl::StrFormat("endpoint %s is not inside a device's port", tree_.path(endpoint)));
    }
    return n;
  }

  // Pass 6: an IOMMU that is, through `iommus`, behind itself would never probe.
  absl::Status CheckIommuCycles() {
    enum Color : uint8_t { kWhite, kGrey, kBlack };
    std::vector<Color> color(board_.nodes.size(), kWhite);
    std::vector<std::pair<int, size_t>> stack;  // (node, next iommus entry to follow)
    for (const DtNode& start : board_.nodes) {
      if (start.iommus.empty() || color[static_cast<size_t>(start.index)] != kWhite) continue;
      stack.push_back({start.index, 0});
      color[static_cast<size_t>(start.index)] = kGrey;
      while (!stack.empty()) {
        auto& [node, next] = stack.back();
        const std::vector<PhandleRef>& iommus = board_.node(node).iommus;
        if (next == iommus.size()) {
          color[static_cast<size_t>(node)] = kBlack;
          stack.pop_back();
          continue;
        }
        const int target = iommus[next++].node;
        if (color[static_cast<size_t>(target)] == kGrey) return IommuCycle(stack, target);
        if (color[static_cast<size_t>(target)] == kWhite) {
          color[static_cast<size_t>(target)] = kGrey;
          stack.push_back({target, 0});
        }
      }
    }
    return absl::OkStatus();
  }

  absl::Status IommuCycle(const std::vector<std::pair<int, size_t>>& stack, int again) {
    std::vector<std::string> paths;
    bool in_cycle = false;
    for (const auto& [node, unused] : stack) {
      in_cycle = in_cycle || node == again;
      if (in_cycle) paths.push_back(tree_.path(node));
    }
    paths.push_back(tree_.path(again));
    const int last = stack.back().first;
    return tree_.PropertyError(
        last, *tree_.Find(last, "iommus"),
        absl::StrCat("reference cycle through iommus ", absl::StrJoin(paths, " -> ")));
  }

  // Byte offset in the blob of a structure-block offset.
  int Abs(int struct_offset) const {
    return static_cast<int>(fdt_off_dt_struct(fdt_)) + struct_offset;
  }

  const void* fdt_;
  FdtTree tree_;
  Board& board_;
};

}  // namespace

absl::StatusOr<Board> LoadDtb(std::span<const uint8_t> blob, std::string name) {
  // libfdt reads the blob in place and wants it 8-byte aligned; copy it into aligned storage.
  std::vector<uint64_t> aligned((blob.size() + 7) / 8);
  if (!blob.empty()) std::memcpy(aligned.data(), blob.data(), blob.size());
  const void* fdt = aligned.data();
  if (absl::Status s = CheckBlob(fdt, blob.size(), name); !s.ok()) return s;
  Board board;
  board.name = std::move(name);
  if (absl::Status s = Loader(fdt, &board).Run(); !s.ok()) return s;
  return board;
}

}  // namespace probestorm::hwmodel
