#include "hwmodel/dt/dt_table.h"

#include <charconv>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "hwmodel/dt/dtb_writer.h"

namespace probestorm::hwmodel {
namespace {

constexpr std::string_view kSpace = " \t\n";

std::string_view Trim(std::string_view s) {
  const size_t first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

// The non-empty trimmed pieces of `s` between separators.
std::vector<std::string_view> Split(std::string_view s, std::string_view separators) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    const size_t end = s.find_first_of(separators);
    if (std::string_view piece = Trim(s.substr(0, end)); !piece.empty()) out.push_back(piece);
    if (end == std::string_view::npos) break;
    s.remove_prefix(end + 1);
  }
  return out;
}

std::string_view ParentPath(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == 0 ? std::string_view("/") : path.substr(0, slash);
}

bool IsStringProperty(std::string_view name) {
  return name == "status" || name == "model" || name.ends_with("-names");
}

struct Property {
  std::string_view name;
  std::string_view value;
  bool bare = false;  // `name` alone: an empty property
};

struct Row {
  const DtTableRow* source = nullptr;
  std::vector<Property> properties;
  uint32_t phandle = 0;

  const Property* Find(std::string_view name) const {
    for (const Property& p : properties) {
      if (p.name == name) return &p;
    }
    return nullptr;
  }
};

class Compiler {
 public:
  explicit Compiler(std::span<const DtTableRow> rows) {
    for (const DtTableRow& r : rows) rows_.push_back(Row{&r, {}, 0});
  }

  absl::StatusOr<std::vector<uint8_t>> Run() {
    if (absl::Status s = Index(); !s.ok()) return s;
    writer_.BeginNode("");
    for (size_t i = 0; i < rows_.size(); ++i) {
      if (absl::Status s = Write(i); !s.ok()) return s;
    }
    for (size_t i = 0; i < open_.size(); ++i) writer_.EndNode();
    writer_.EndNode();
    return writer_.Finish();
  }

 private:
  absl::Status RowError(const Row& row, std::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrFormat("device-tree table row %s: %s", row.source->path, what));
  }

  // Parses every row's properties and gives each label a phandle.
  absl::Status Index() {
    for (size_t i = 0; i < rows_.size(); ++i) {
      Row& row = rows_[i];
      const std::string_view path = row.source->path;
      if (!path.starts_with('/') || (path.size() > 1 && path.ends_with('/'))) {
        return RowError(row, "the path must be absolute");
      }
      if (!by_path_.emplace(path, i).second) return RowError(row, "duplicate path");
      for (std::string_view p : Split(row.source->properties, ";")) {
        const size_t eq = p.find('=');
        if (eq == std::string_view::npos) {
          row.properties.push_back({p, {}, true});
        } else {
          row.properties.push_back({Trim(p.substr(0, eq)), Trim(p.substr(eq + 1)), false});
        }
      }
      if (row.source->label.empty()) continue;
      row.phandle = writer_.NewPhandle();
      if (!by_label_.emplace(row.source->label, i).second) return RowError(row, "duplicate label");
    }
    return absl::OkStatus();
  }

  const Row* RowAt(std::string_view path) const {
    auto it = by_path_.find(path);
    return it == by_path_.end() ? nullptr : &rows_[it->second];
  }

  absl::StatusOr<const Row*> Label(const Row& row, std::string_view word) const {
    auto it = by_label_.find(word.substr(1));
    if (it == by_label_.end()) return RowError(row, absl::StrFormat("unknown label %s", word));
    return &rows_[it->second];
  }

  absl::StatusOr<uint32_t> Number(const Row& row, std::string_view word) const {
    const bool hex = word.starts_with("0x");
    if (hex) word.remove_prefix(2);
    uint32_t value = 0;
    auto [end, err] = std::from_chars(word.data(), word.data() + word.size(), value, hex ? 16 : 10);
    if (err != std::errc() || end != word.data() + word.size() || word.empty()) {
      return RowError(row, absl::StrFormat("bad number \"%s\"", word));
    }
    return value;
  }

  // One cell: `&label` (its phandle) or a number.
  absl::StatusOr<uint32_t> Cell(const Row& row, std::string_view word) const {
    if (!word.starts_with('&')) return Number(row, word);
    absl::StatusOr<const Row*> target = Label(row, word);
    if (!target.ok()) return target.status();
    return (*target)->phandle;
  }

  absl::StatusOr<std::vector<uint32_t>> Cells(const Row& row, const Property& p) const {
    std::vector<uint32_t> cells;
    for (std::string_view item : Split(p.value, ",")) {
      for (std::string_view word : Split(item, kSpace)) {
        absl::StatusOr<uint32_t> cell = Cell(row, word);
        if (!cell.ok()) return cell.status();
        cells.push_back(*cell);
      }
    }
    return cells;
  }

  // #interrupt-cells of the interrupt parent of `row`, found as of_irq_find_parent() does.
  absl::StatusOr<uint32_t> InterruptCells(const Row& row) const {
    std::string_view cur = row.source->path;
    for (size_t steps = 0; steps <= rows_.size() + 64; ++steps) {
      const Row* at = RowAt(cur);
      const Property* ip = at == nullptr ? nullptr : at->Find("interrupt-parent");
      std::string_view next;
      if (ip != nullptr) {
        absl::StatusOr<const Row*> target = Label(row, Trim(ip->value));
        if (!target.ok()) return target.status();
        next = (*target)->source->path;
      } else if (cur == "/") {
        return RowError(row, "irqs without an interrupt parent");
      } else {
        next = ParentPath(cur);
      }
      const Row* next_row = RowAt(next);
      const Property* cells = next_row == nullptr ? nullptr : next_row->Find("#interrupt-cells");
      if (cells != nullptr) return Number(*next_row, cells->value);
      cur = next;
    }
    return RowError(row, "interrupt-parent cycle");
  }

  absl::Status Write(size_t index) {
    const Row& row = rows_[index];
    const std::vector<std::string_view> parts = Split(row.source->path, "/");
    if (parts.empty() && index != 0) return RowError(row, "the root row must come first");
    size_t common = 0;
    while (common < open_.size() && common < parts.size() && open_[common] == parts[common]) {
      ++common;
    }
    for (size_t i = common; i < open_.size(); ++i) writer_.EndNode();
    open_.resize(common);
    for (size_t i = common; i < parts.size(); ++i) {
      std::string prefix;
      for (size_t j = 0; j <= i; ++j) absl::StrAppendFormat(&prefix, "/%s", parts[j]);
      if (!opened_.insert(prefix).second) {
        return RowError(row, absl::StrFormat("out of tree order: %s was already written", prefix));
      }
      writer_.BeginNode(parts[i]);
      open_.push_back(parts[i]);
    }
    if (common == parts.size() && index != 0) {
      return RowError(row, "out of tree order: the node was already written");
    }
    if (!row.source->compatible.empty()) {
      writer_.Strings("compatible", Split(row.source->compatible, kSpace));
    }
    for (const Property& p : row.properties) {
      if (absl::Status s = WriteProperty(row, p); !s.ok()) return s;
    }
    if (row.phandle != 0) writer_.Phandle(row.phandle);
    return absl::OkStatus();
  }

  absl::Status WriteProperty(const Row& row, const Property& p) {
    if (p.bare) {
      writer_.Empty(p.name);
    } else if (p.name == "irqs") {
      absl::StatusOr<uint32_t> count = Number(row, p.value);
      if (!count.ok()) return count.status();
      absl::StatusOr<uint32_t> cells = InterruptCells(row);
      if (!cells.ok()) return cells.status();
      writer_.Cells("interrupts", std::vector<uint32_t>(size_t{*count} * *cells, 0));
    } else if (IsStringProperty(p.name)) {
      writer_.Strings(p.name, Split(p.value, ","));
    } else {
      absl::StatusOr<std::vector<uint32_t>> cells = Cells(row, p);
      if (!cells.ok()) return cells.status();
      writer_.Cells(p.name, *cells);
    }
    return absl::OkStatus();
  }

  std::vector<Row> rows_;
  absl::flat_hash_map<std::string_view, size_t> by_path_;   // lookups only
  absl::flat_hash_map<std::string_view, size_t> by_label_;  // lookups only
  absl::flat_hash_set<std::string> opened_;                 // lookups only
  std::vector<std::string_view> open_;  // path components of the open node below the root
  DtbWriter writer_;
};

}  // namespace

absl::StatusOr<std::vector<uint8_t>> CompileDtTable(std::span<const DtTableRow> rows) {
  return Compiler(rows).Run();
}

}  // namespace probestorm::hwmodel
