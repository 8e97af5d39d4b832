// DtbWriter: builds a flattened device tree blob with libfdt's sequential-write API (fdt_create,
// fdt_begin_node, fdt_property, fdt_end_node, fdt_finish).
//
// The embedded TM2E board, the synthetic generator and the tests all describe their trees through
// this class, so every board reaches the model through LoadDtb exactly like a real .dtb file.
// Nodes are written depth-first: BeginNode, its properties, its children, EndNode. Phandles are
// plain numbers handed out by NewPhandle(), so a node may refer to a node written later.
//
// Errors (a libfdt failure, properties after a child node, unbalanced nodes) are sticky: the first
// one is kept, later calls do nothing, and Finish() returns it.
//
// Thread-safety: a DtbWriter is a value owned by one thread; distinct writers are independent.
#ifndef PROBESTORM_HWMODEL_DT_DTB_WRITER_H_
#define PROBESTORM_HWMODEL_DT_DTB_WRITER_H_

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace probestorm::hwmodel {

class DtbWriter {
 public:
  DtbWriter();

  // Returns a fresh phandle value (1, 2, 3, ...). Write it with Phandle().
  uint32_t NewPhandle() { return next_phandle_++; }

  // Opens a node; the first call opens the root and must pass "".
  void BeginNode(std::string_view name);
  void EndNode();

  void Property(std::string_view name, std::span<const uint8_t> value);
  void Empty(std::string_view name) { Property(name, {}); }
  void String(std::string_view name, std::string_view value);
  void Strings(std::string_view name, std::span<const std::string_view> values);
  void Strings(std::string_view name, std::initializer_list<std::string_view> values) {
    Strings(name, std::span<const std::string_view>(values.begin(), values.size()));
  }
  // Big-endian 32-bit cells, e.g. Cells("clocks", {cmu, 0x2d, cmu, 0x2c}).
  void Cells(std::string_view name, std::span<const uint32_t> cells);
  void Cells(std::string_view name, std::initializer_list<uint32_t> cells) {
    Cells(name, std::span<const uint32_t>(cells.begin(), cells.size()));
  }
  void U32(std::string_view name, uint32_t value) { Cells(name, {value}); }
  // `phandle = <value>`: makes this node the target of references to `value`.
  void Phandle(uint32_t value) { U32("phandle", value); }
  // `reg = <addr size>` with the given cell counts (1 or 2 cells each; 0 size cells omits size).
  void Reg(uint64_t address, uint64_t size, int address_cells = 1, int size_cells = 1);

  // Closes the tree; every node must have been ended.
  absl::StatusOr<std::vector<uint8_t>> Finish();

 private:
  // Runs fn(buffer, buffer size), a libfdt sequential-write call, growing the buffer on
  // -FDT_ERR_NOSPACE.
  template <typename Fn>
  void Call(std::string_view what, Fn fn);
  void Fail(std::string message);

  std::vector<uint64_t> buffer_;  // uint64_t: libfdt wants the blob 8-byte aligned
  absl::Status status_;
  uint32_t next_phandle_ = 1;
  int depth_ = 0;             // open nodes
  bool started_ = false;      // the root was opened
  bool after_child_ = false;  // a child of the current node was closed: no more properties
};

}  // namespace probestorm::hwmodel

#endif  // PROBESTORM_HWMODEL_DT_DTB_WRITER_H_
