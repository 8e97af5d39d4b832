#include "hwmodel/dt/describe.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "harness/json.h"

namespace probestorm::hwmodel {
namespace {

using harness::JsonQuote;

struct Link {
  int consumer;
  int supplier;  // a device
  std::string_view property;
  bool optional;
};

// fw_devlink links between devices, consumers in population order, suppliers in property order.
std::vector<Link> DeviceLinks(const Board& board) {
  std::vector<Link> links;
  for (int consumer : board.devices) {
    const size_t first = links.size();
    for (const SupplierRef& ref : board.node(consumer).suppliers) {
      const int supplier = board.DeviceOf(ref.node);
      if (supplier == kNoNode || supplier == consumer || !board.node(ref.node).available) continue;
      const Link link{consumer, supplier, ref.property, ref.optional};
      const bool seen = std::any_of(
          links.begin() + static_cast<ptrdiff_t>(first), links.end(), [&link](const Link& l) {
            return l.supplier == link.supplier && l.property == link.property;
          });
      if (!seen) links.push_back(link);
    }
  }
  return links;
}

const char* Status(const DtNode& n) { return n.available ? "okay" : "disabled"; }

// The device name, or the path for a node that became no device.
const std::string& Name(const DtNode& n) { return n.is_device ? n.device_name : n.path; }

// clock-names when the node has them, else "<provider path> <args>" per clock.
std::vector<std::string> ClockNames(const Board& board, const DtNode& n) {
  if (!n.clock_names.empty()) return n.clock_names;
  std::vector<std::string> out;
  for (const PhandleRef& c : n.clocks) {
    std::string s = board.node(c.node).path;
    for (uint32_t a : c.args) absl::StrAppendFormat(&s, " 0x%x", a);
    out.push_back(std::move(s));
  }
  return out;
}

std::string JsonList(const std::vector<std::string>& items) {
  std::vector<std::string> quoted;
  for (const std::string& s : items) quoted.push_back(JsonQuote(s));
  return absl::StrCat("[", absl::StrJoin(quoted, ", "), "]");
}

std::string DescribeJson(const Board& board, const BoardFacts& facts) {
  std::string out = absl::StrFormat(
      "{\"board\": %s, \"devices\": %d, \"arch\": %s, \"arch_source\": %s, \"sysmmu_version\": %d, "
      "\"sysmmu_version_source\": %s, \"note\": %s,\n \"sysmmus\": [",
      JsonQuote(board.name), board.devices.size(), JsonQuote(facts.arch), JsonQuote(facts.arch_source),
      facts.sysmmu_version, JsonQuote(facts.sysmmu_version_source), JsonQuote(facts.note));
  const char* sep = "\n  ";
  for (int s : board.sysmmus) {
    const DtNode& n = board.node(s);
    const std::string pd =
        JsonQuote(n.power_domains.empty() ? "" : board.node(n.power_domains[0].node).path);
    absl::StrAppend(&out, sep, "{\"node\": ", JsonQuote(n.path),
                    ", \"name\": ", JsonQuote(n.is_device ? n.device_name : ""),
                    ", \"status\": ", JsonQuote(Status(n)),
                    ", \"clocks\": ", JsonList(ClockNames(board, n)), ", \"power_domain\": ", pd,
                    "}");
    sep = ",\n  ";
  }
  absl::StrAppend(&out, "],\n \"masters\": [");
  sep = "\n  ";
  for (int m : board.masters) {
    const DtNode& n = board.node(m);
    std::vector<std::string> iommus;
    for (const PhandleRef& r : n.iommus) iommus.push_back(board.node(r.node).path);
    absl::StrAppend(&out, sep, "{\"node\": ", JsonQuote(n.path),
                    ", \"name\": ", JsonQuote(n.is_device ? n.device_name : ""),
                    ", \"compatible\": ", JsonList(n.compatible),
                    ", \"status\": ", JsonQuote(Status(n)), ", \"iommus\": ", JsonList(iommus), "}");
    sep = ",\n  ";
  }
  absl::StrAppend(&out, "],\n \"links\": [");
  sep = "\n  ";
  for (const Link& l : DeviceLinks(board)) {
    absl::StrAppend(&out, sep, "{\"consumer\": ", JsonQuote(board.node(l.consumer).path),
                    ", \"supplier\": ", JsonQuote(board.node(l.supplier).path),
                    ", \"property\": ", JsonQuote(l.property),
                    ", \"optional\": ", l.optional ? "true" : "false", "}");
    sep = ",\n  ";
  }
  absl::StrAppend(&out, "]}\n");
  return out;
}

std::string DescribeText(const Board& board, const BoardFacts& facts) {
  std::string out = absl::StrFormat(
      "board: %s\nmodel: %s\ncompatible: %s\ndevices: %d\narch: %s (%s)\nsysmmu-version: %d (%s)\n",
      board.name, board.model, absl::StrJoin(board.root_compatible, ", "), board.devices.size(), facts.arch,
      facts.arch_source, facts.sysmmu_version, facts.sysmmu_version_source);
  if (!facts.note.empty()) absl::StrAppend(&out, "note: ", facts.note, "\n");
  absl::StrAppendFormat(&out, "\nSysMMUs (%d):\n", board.sysmmus.size());
  for (int s : board.sysmmus) {
    const DtNode& n = board.node(s);
    const std::string pd =
        n.power_domains.empty() ? "none" : Name(board.node(n.power_domains[0].node));
    absl::StrAppendFormat(&out, "  %-24s %s  %s  clocks: %s  power-domain: %s\n", Name(n), n.path,
                          Status(n), absl::StrJoin(ClockNames(board, n), ", "), pd);
  }
  absl::StrAppendFormat(&out, "\nmasters (%d):\n", board.masters.size());
  for (int m : board.masters) {
    const DtNode& n = board.node(m);
    std::vector<std::string> iommus;
    for (const PhandleRef& r : n.iommus) iommus.push_back(Name(board.node(r.node)));
    absl::StrAppendFormat(&out, "  %-24s %s  %s  %s\n    iommus (%d): %s\n", Name(n), n.path,
                          absl::StrJoin(n.compatible, ", "), Status(n), iommus.size(),
                          absl::StrJoin(iommus, ", "));
  }
  absl::StrAppend(&out,
                  "\nfw_devlink suppliers of masters and SysMMUs "
                  "(* optional: no link unless fw_devlink.strict=1):\n");
  int last = kNoNode;
  for (const Link& l : DeviceLinks(board)) {
    const DtNode& c = board.node(l.consumer);
    if (!c.IsMaster() && !c.IsSysmmu()) continue;
    if (l.consumer != last) absl::StrAppendFormat(&out, "  %s:\n", Name(c));
    last = l.consumer;
    absl::StrAppendFormat(&out, "    %s%s -> %s\n", l.property, l.optional ? "*" : "",
                          Name(board.node(l.supplier)));
  }
  return out;
}

std::string Dot(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string DescribeDot(const Board& board) {
  std::string out =
      absl::StrFormat("digraph %s {\n  rankdir=LR;\n  node [shape=box];\n", Dot(board.name));
  for (int s : board.sysmmus) {
    absl::StrAppendFormat(&out, "  %s [shape=octagon, color=red];\n", Dot(Name(board.node(s))));
  }
  for (int m : board.masters) {
    absl::StrAppendFormat(&out, "  %s [style=bold, color=blue];\n", Dot(Name(board.node(m))));
  }
  for (const Link& l : DeviceLinks(board)) {
    absl::StrAppendFormat(&out, "  %s -> %s [label=%s%s];\n", Dot(Name(board.node(l.consumer))),
                          Dot(Name(board.node(l.supplier))), Dot(l.property),
                          l.optional ? ", style=dashed" : "");
  }
  return out + "}\n";
}

}  // namespace

absl::StatusOr<std::string> DescribeBoard(const Board& board, std::string_view format, const BoardFacts& facts) {
  if (format == "text") return DescribeText(board, facts);
  if (format == "json") return DescribeJson(board, facts);
  if (format == "dot") return DescribeDot(board);
  return absl::InvalidArgumentError(
      absl::StrFormat("unknown describe format \"%s\" (text, json or dot)", format));
}

}  // namespace probestorm::hwmodel
