#include "hwmodel/dt/dtb_writer.h"

#include <libfdt.h>


#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace probestorm::hwmodel {
namespace {

constexpr size_t kInitialBytes = 16 * 1024;

}  // namespace

DtbWriter::DtbWriter() : buffer_(kInitialBytes / sizeof(uint64_t)) {
  Call("fdt_create", [](void* fdt, int size) { return fdt_create(fdt, size); });
  Call("fdt_finish_reservemap", [](void* fdt, int) { return fdt_finish_reservemap(fdt); });
}

template <typename Fn>
void DtbWriter::Call(std::string_view what, Fn fn) {
  while (status_.ok()) {
    const int size = static_cast<int>(buffer_.size() * sizeof(uint64_t));
    const int err = fn(buffer_.data(), size);
    if (err >= 0) return;
    if (err != -FDT_ERR_NOSPACE) {
      Fail(absl::StrFormat("%s: %s", what, fdt_strerror(err)));
      return;
    }
    // libfdt undoes a call that ran out of space, so it can be repeated in a bigger buffer.
    std::vector<uint64_t> bigger(buffer_.size() * 2);
    const int resized = fdt_resize(buffer_.data(), bigger.data(), size * 2);
    if (resized < 0) {
      Fail(absl::StrFormat("fdt_resize: %s", fdt_strerror(resized)));
      return;
    }
    buffer_.swap(bigger);
  }
}

void DtbWriter::Fail(std::string message) {
  if (status_.ok()) status_ = absl::InternalError(absl::StrCat("DtbWriter: ", message));
}

void DtbWriter::BeginNode(std::string_view name) {
  if (!started_ && !name.empty()) Fail("the first node must be the root, named \"\"");
  if (started_ && depth_ == 0) Fail(absl::StrFormat("node \"%s\" after the root was closed", name));
  started_ = true;
  after_child_ = false;
  ++depth_;
  const std::string n(name);
  Call("fdt_begin_node", [&n](void* fdt, int) { return fdt_begin_node(fdt, n.c_str()); });
}

void DtbWriter::EndNode() {
  if (depth_ == 0) {
    Fail("EndNode without an open node");
    return;
  }
  --depth_;
  after_child_ = true;
  Call("fdt_end_node", [](void* fdt, int) { return fdt_end_node(fdt); });
}

void DtbWriter::Property(std::string_view name, std::span<const uint8_t> value) {
  if (depth_ == 0) Fail(absl::StrFormat("property \"%s\" outside a node", name));
  if (after_child_) Fail(absl::StrFormat("property \"%s\" after a child node", name));
  const std::string n(name);
  Call("fdt_property", [&](void* fdt, int) {
    return fdt_property(fdt, n.c_str(), value.data(), static_cast<int>(value.size()));
  });
}

void DtbWriter::String(std::string_view name, std::string_view value) { Strings(name, {value}); }

void DtbWriter::Strings(std::string_view name, std::span<const std::string_view> values) {
  std::vector<uint8_t> bytes;
  for (std::string_view v : values) {
    bytes.insert(bytes.end(), v.begin(), v.end());
    bytes.push_back(0);
  }
  Property(name, bytes);
}

void DtbWriter::Cells(std::string_view name, std::span<const uint32_t> cells) {
  std::vector<uint8_t> bytes;
  bytes.reserve(cells.size() * 4);
  for (uint32_t c : cells) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<uint8_t>(c >> shift));
  }
  Property(name, bytes);
}

void DtbWriter::Reg(uint64_t address, uint64_t size, int address_cells, int size_cells) {
  std::vector<uint32_t> cells;
  auto push = [&cells](uint64_t v, int n) {
    if (n == 2) cells.push_back(static_cast<uint32_t>(v >> 32));
    if (n >= 1) cells.push_back(static_cast<uint32_t>(v));
  };
  if (address_cells < 1 || address_cells > 2 || size_cells < 0 || size_cells > 2) {
    Fail(absl::StrFormat("Reg: unsupported cell counts %d/%d", address_cells, size_cells));
    return;
  }
  push(address, address_cells);
  push(size, size_cells);
  Cells("reg", cells);
}

absl::StatusOr<std::vector<uint8_t>> DtbWriter::Finish() {
  if (!started_) Fail("no root node");
  if (depth_ != 0) Fail(absl::StrFormat("%d node(s) still open", depth_));
  Call("fdt_finish", [](void* fdt, int) { return fdt_finish(fdt); });
  if (!status_.ok()) return status_;
  const auto* bytes = reinterpret_cast<const uint8_t*>(buffer_.data());
  return std::vector<uint8_t>(bytes, bytes + fdt_totalsize(buffer_.data()));
}

}  // namespace probestorm::hwmodel
