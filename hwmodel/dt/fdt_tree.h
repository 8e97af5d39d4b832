// FdtTree: the raw view of one validated DTB that LoadDtb's passes share (private to hwmodel/dt).
//
// It pairs the Board under construction (node skeleton: index, parent, path, name) with each node's
// raw properties, which point into the loader's aligned copy of the blob, and the phandle table.
// Also here: big-endian cell access and the phandle-list walk every `foo` / `#foo-cells` binding
// uses (the of_phandle_iterator of drivers/of/base.c).
//
// Errors name the board, the node path, the property and its byte offset in the blob.
//
// Thread-safety: an FdtTree lives inside one LoadDtb call on one thread.
#ifndef PROBESTORM_HWMODEL_DT_FDT_TREE_H_
#define PROBESTORM_HWMODEL_DT_FDT_TREE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "hwmodel/dt/board.h"

namespace probestorm::hwmodel::dt_internal {

struct FdtProperty {
  std::string_view name;
  std::span<const uint8_t> value;
  int offset = 0;  // byte offset of the FDT_PROP tag in the blob
};

inline size_t NumCells(std::span<const uint8_t> v) { return v.size() / 4; }
inline uint32_t CellAt(std::span<const uint8_t> v, size_t i) {
  return uint32_t{v[4 * i]} << 24 | uint32_t{v[4 * i + 1]} << 16 | uint32_t{v[4 * i + 2]} << 8 |
         uint32_t{v[4 * i + 3]};
}
// The low 64 bits of the number held in cells [first, first + count), as of_read_number does.
uint64_t ReadNumber(std::span<const uint8_t> v, size_t first, size_t count);
// The value up to its first NUL (or all of it when there is none).
std::string_view AsString(std::span<const uint8_t> v);
// The NUL-separated strings of a string-list property.
std::vector<std::string> AsStrings(std::span<const uint8_t> v);

// How a phandle list counts the argument cells after each phandle.
struct ArgCells {
  std::string_view property;    // "#clock-cells" on the supplier; empty: no argument cells
  bool absent_is_zero = false;  // a supplier without `property` takes no arguments
};

class FdtTree {
 public:
  explicit FdtTree(Board* board) : board_(*board) {}

  Board& board() { return board_; }
  const Board& board() const { return board_; }
  const std::string& path(int node) const { return board_.node(node).path; }

  // Adds the next node in depth-first pre-order; returns its index.
  int AddNode(int parent, std::string_view name);
  void AddProperty(int node, FdtProperty p) { props_[static_cast<size_t>(node)].push_back(p); }
  std::span<const FdtProperty> properties(int node) const {
    return props_[static_cast<size_t>(node)];
  }
  const FdtProperty* Find(int node, std::string_view name) const;
  bool Has(int node, std::string_view name) const { return Find(node, name) != nullptr; }

  // A one-cell property: nullopt when absent, kInvalidArgument when not exactly one cell.
  absl::StatusOr<std::optional<uint32_t>> ReadU32(int node, std::string_view name) const;

  // Records `node`'s phandle; kInvalidArgument for 0, 0xffffffff or a duplicate.
  absl::Status SetPhandle(int node, uint32_t phandle, const FdtProperty& p);
  // The node with this phandle, or kNoNode.
  int Resolve(uint32_t phandle) const;

  // Cells governing the `reg` of `node`'s children: the nearest #address-cells / #size-cells at or
  // above `node` (Linux inherits them), 1 when there is none. Filled by ComputeBusCells().
  absl::Status ComputeBusCells();
  uint32_t address_cells(int node) const { return address_cells_[static_cast<size_t>(node)]; }
  uint32_t size_cells(int node) const { return size_cells_[static_cast<size_t>(node)]; }

  // Walks a `<&supplier arg...>, ...` list; each supplier's `cells.property` gives its argument
  // count.
  absl::StatusOr<std::vector<PhandleRef>> ParsePhandleList(int node, const FdtProperty& p,
                                                           ArgCells cells) const;
  // The node that phandle cell `i` of `p` refers to; kInvalidArgument when it refers to nothing.
  absl::StatusOr<int> ResolveCell(int node, const FdtProperty& p, size_t i) const;

  // kInvalidArgument "<board>: <what> in <path>:<property> (byte offset N)".
  absl::Status PropertyError(int node, const FdtProperty& p, std::string_view what) const;
  // kInvalidArgument "<board>: <what>".
  absl::Status Error(std::string_view what) const;

 private:
  Board& board_;
  std::vector<std::vector<FdtProperty>> props_;  // [node], in blob order
  absl::flat_hash_map<uint32_t, int> phandles_;  // lookups only, never iterated
  std::vector<uint32_t> address_cells_;
  std::vector<uint32_t> size_cells_;
};

}  // namespace probestorm::hwmodel::dt_internal

#endif  // PROBESTORM_HWMODEL_DT_FDT_TREE_H_
