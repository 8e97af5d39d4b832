#include "stress/junit.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "driver/invariants/all.h"
#include "harness/invariant.h"
#include "harness/strings.h"

namespace probestorm::stress {

std::string XmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (u < 0x20 && c != '\n' && c != '\t' && c != '\r') break;  // not allowed in XML 1.0
        out += c;
    }
  }
  return out;
}

std::string JunitXml(const Report& r) {
  struct Case {
    std::string classname, name, body;
    bool failed = false, skipped = false;
  };
  std::vector<Case> cases;
  int failures = 0, skipped = 0;
  for (const auto& board : r.boards) {
    for (const auto& profile : r.profiles) {
      for (harness::InvariantId id : kernel::invariants::Registry().all()) {
        Case c;
        c.classname = absl::StrCat("probestorm.", board, ".", profile);
        c.name = std::string(id.name());
        const bool enabled =
            std::find(r.invariants.begin(), r.invariants.end(), id.name()) != r.invariants.end();
        if (!enabled) {
          c.skipped = true;
          ++skipped;
          c.body = "      <skipped message=\"invariant disabled by --invariants\"/>\n";
          cases.push_back(std::move(c));
          continue;
        }
        std::string warnings;
        for (const ReportFinding& rf : r.findings) {
          const harness::Finding& f = rf.finding;
          if (f.invariant != id || rf.board != board || rf.profile != profile) continue;
          if (f.severity == harness::Severity::kViolation && !c.failed) {
            c.failed = true;
            ++failures;
            const std::string text = absl::StrCat(
                f.message, "\n", "run ", rf.run, " seed ", rf.seed, " step ", f.step,
                " virtual time ", f.virtual_time_ns, " ns\n", "tasks: ", absl::StrJoin(f.tasks, ", "),
                "\ndevices: ", absl::StrJoin(f.devices, ", "), "\n", f.detail.empty() ? "" : f.detail,
                f.detail.empty() ? "" : "\n", "replay: ", rf.replay, "\n");
            absl::StrAppend(&c.body, "      <failure message=\"", XmlEscape(f.message),
                            "\" type=\"", XmlEscape(f.invariant.name()), "\">", XmlEscape(text),
                            "</failure>\n");
          } else if (f.severity == harness::Severity::kWarning) {
            absl::StrAppend(&warnings, "warning: ", f.message, "\n  replay: ", rf.replay, "\n");
          }
        }
        if (!warnings.empty()) {
          absl::StrAppend(&c.body, "      <system-out>", XmlEscape(warnings), "</system-out>\n");
        }
        cases.push_back(std::move(c));
      }
    }
  }
  const std::string time = absl::StrFormat("%.3f", r.wall_seconds);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  absl::StrAppend(&out, "<testsuites name=\"probestorm\" tests=\"", cases.size(), "\" failures=\"",
                  failures, "\" errors=\"0\" skipped=\"", skipped, "\" time=\"", time, "\">\n");
  absl::StrAppend(&out, "  <testsuite name=\"probestorm.", XmlEscape(r.campaign_id), "\" tests=\"",
                  cases.size(), "\" failures=\"", failures, "\" errors=\"0\" skipped=\"", skipped,
                  "\" time=\"", time, "\">\n");
  absl::StrAppend(&out, "    <properties>\n");
  const auto prop = [&](std::string_view k, std::string_view v) {
    absl::StrAppend(&out, "      <property name=\"", XmlEscape(k), "\" value=\"", XmlEscape(v),
                    "\"/>\n");
  };
  prop("engine", r.engine);
  prop("strategy", r.strategy);
  prop("seed", absl::StrCat(r.seed));
  prop("runs", absl::StrCat(r.runs));
  prop("shard", absl::StrCat(r.shard_index, "/", r.shard_count));
  if (r.partial) prop("partial", absl::StrCat("true: stopped by ", r.interrupted_by));
  absl::StrAppend(&out, "    </properties>\n");
  for (const Case& c : cases) {
    absl::StrAppend(&out, "    <testcase classname=\"", XmlEscape(c.classname), "\" name=\"",
                    XmlEscape(c.name), "\" time=\"0\"");
    if (c.body.empty()) {
      absl::StrAppend(&out, "/>\n");
    } else {
      absl::StrAppend(&out, ">\n", c.body, "    </testcase>\n");
    }
  }
  absl::StrAppend(&out, "  </testsuite>\n</testsuites>\n");
  return out;
}

}  // namespace probestorm::stress
