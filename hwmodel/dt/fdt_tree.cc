#include "hwmodel/dt/fdt_tree.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "harness/strings.h"

namespace probestorm::hwmodel::dt_internal {
namespace {

// OF_MAX_ADDR_CELLS in drivers/of/address.c; sizes never need more.
constexpr uint32_t kMaxCells = 4;

}  // namespace

uint64_t ReadNumber(std::span<const uint8_t> v, size_t first, size_t count) {
  uint64_t n = 0;
  for (size_t i = first; i < first + count; ++i) n = n << 32 | CellAt(v, i);
  return n;
}

std::string_view AsString(std::span<const uint8_t> v) {
  std::string_view s(reinterpret_cast<const char*>(v.data()), v.size());
  return s.substr(0, s.find('\0'));
}

std::vector<std::string> AsStrings(std::span<const uint8_t> v) {
  std::vector<std::string> out;
  std::string_view rest(reinterpret_cast<const char*>(v.data()), v.size());
  while (!rest.empty()) {
    const size_t end = rest.find('\0');
    out.emplace_back(rest.substr(0, end));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return out;
}

int FdtTree::AddNode(int parent, std::string_view name) {
  const int index = static_cast<int>(board_.nodes.size());
  DtNode& n = board_.nodes.emplace_back();
  n.index = index;
  n.parent = parent;
  n.name = std::string(name);
  if (parent == kNoNode) {
    n.path.push_back('/');  // not `= "/"`: g++ 12 -O2 reports a false -Wrestrict on that
  } else {
    DtNode& p = board_.nodes[static_cast<size_t>(parent)];
    n.path = absl::StrCat(p.path == "/" ? "" : Av(p.path), "/", Av(name));
    p.children.push_back(index);
  }
  props_.emplace_back();
  return index;
}

const FdtProperty* FdtTree::Find(int node, std::string_view name) const {
  for (const FdtProperty& p : properties(node)) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

absl::StatusOr<std::optional<uint32_t>> FdtTree::ReadU32(int node, std::string_view name) const {
  const FdtProperty* p = Find(node, name);
  if (p == nullptr) return std::nullopt;
  if (p->value.size() != 4) {
    return PropertyError(node, *p,
                         absl::StrFormat("%d bytes where one cell was expected", p->value.size()));
  }
  return CellAt(p->value, 0);
}

absl::Status FdtTree::SetPhandle(int node, uint32_t phandle, const FdtProperty& p) {
  if (phandle == 0 || phandle == 0xffffffff) {
    return PropertyError(node, p, absl::StrFormat("invalid phandle 0x%x", phandle));
  }
  auto [it, inserted] = phandles_.emplace(phandle, node);
  if (!inserted && it->second != node) {
    return PropertyError(
        node, p, absl::StrFormat("duplicate phandle 0x%x (also %s)", phandle, path(it->second)));
  }
  return absl::OkStatus();
}

int FdtTree::Resolve(uint32_t phandle) const {
  auto it = phandles_.find(phandle);
  return it == phandles_.end() ? kNoNode : it->second;
}

absl::Status FdtTree::ComputeBusCells() {
  const size_t n = board_.nodes.size();
  address_cells_.assign(n, 1);
  size_cells_.assign(n, 1);
  for (size_t i = 0; i < n; ++i) {  // pre-order: the parent is done first
    const int node = static_cast<int>(i);
    const int parent = board_.nodes[i].parent;
    if (parent != kNoNode) {
      address_cells_[i] = address_cells_[static_cast<size_t>(parent)];
      size_cells_[i] = size_cells_[static_cast<size_t>(parent)];
    }
    for (auto [name, cells] :
         {std::pair{"#address-cells", &address_cells_}, std::pair{"#size-cells", &size_cells_}}) {
      absl::StatusOr<std::optional<uint32_t>> v = ReadU32(node, name);
      if (!v.ok()) return v.status();
      if (!v->has_value()) continue;
      if (**v > kMaxCells) {
        return PropertyError(node, *Find(node, name), absl::StrFormat("bad value %u", **v));
      }
      (*cells)[i] = **v;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<int> FdtTree::ResolveCell(int node, const FdtProperty& p, size_t i) const {
  const uint32_t phandle = CellAt(p.value, i);
  const int target = Resolve(phandle);
  if (target == kNoNode) {
    return PropertyError(node, p, absl::StrFormat("dangling phandle 0x%x", phandle));
  }
  return target;
}

absl::StatusOr<std::vector<PhandleRef>> FdtTree::ParsePhandleList(int node, const FdtProperty& p,
                                                                  ArgCells cells) const {
  if (p.value.size() % 4 != 0) {
    return PropertyError(
        node, p,
        absl::StrFormat("wrong cell count: %d bytes is not a whole number of cells",
                        p.value.size()));
  }
  std::vector<PhandleRef> refs;
  const size_t total = NumCells(p.value);
  for (size_t i = 0; i < total;) {
    absl::StatusOr<int> target = ResolveCell(node, p, i);
    if (!target.ok()) return target.status();
    uint32_t args = 0;
    if (!cells.property.empty()) {
      absl::StatusOr<std::optional<uint32_t>> n = ReadU32(*target, cells.property);
      if (!n.ok()) return n.status();
      if (n->has_value()) {
        args = **n;
      } else if (!cells.absent_is_zero) {
        std::string what = absl::StrFormat("%s points at %s, which has no %s", p.name,
                                           path(*target), cells.property);
        if (cells.property == "#iommu-cells") {
          what = absl::StrFormat("iommus of %s points at %s, which is not an IOMMU", path(node),
                                 path(*target));
        }
        return PropertyError(node, p, what);
      }
    }
    if (args > total - i - 1) {
      return PropertyError(
          node, p,
          absl::StrFormat("wrong cell count: entry at cell %d needs %u argument cells (%s of %s) "
                          "but %d remain",
                          i, args, cells.property, path(*target), total - i - 1));
    }
    PhandleRef& ref = refs.emplace_back();
    ref.node = *target;
    for (size_t a = 0; a < args; ++a) ref.args.push_back(CellAt(p.value, i + 1 + a));
    i += 1 + args;
  }
  return refs;
}

absl::Status FdtTree::PropertyError(int node, const FdtProperty& p, std::string_view what) const {
  return Error(absl::StrFormat("%s in %s:%s (byte offset %d)", what, path(node), p.name, p.offset));
}

absl::Status FdtTree::Error(std::string_view what) const {
  return absl::InvalidArgumentError(absl::StrCat(Av(board_.name), ": ", Av(what)));
}

}  // namespace probestorm::hwmodel::dt_internal
