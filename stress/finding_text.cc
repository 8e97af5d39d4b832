#include "stress/finding_text.h"

#include <map>
#include <set>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "harness/invariant.h"
#include "harness/strings.h"
#include "harness/time.h"
#include "stress/engine_spec.h"
#include "stress/explain.h"
#include "stress/token.h"

namespace probestorm::stress {

std::string CampaignSummaryText(const Report& r) {
  std::string endings;
  for (const auto& [k, v] : r.endings) {
    absl::StrAppend(&endings, endings.empty() ? "" : ", ", k, " ", v);
  }
  std::string cut;
  if (r.cut_by_budget > 0) {
    absl::StrAppend(&cut, " (+", r.cut_by_budget, " cut by ",
                    r.partial ? "the signal" : "the budget", ", not counted)");
  }
  std::string out = absl::StrFormat(
      "summary: %d runs in %.1f s (%.1f runs/s, %d schedule points, max %d live tasks, peak RSS "
      "%.0f MiB); incomplete %d%s%s%s\n",
      r.runs, r.wall_seconds,
      r.wall_seconds > 0 ? static_cast<double>(r.runs) / r.wall_seconds : 0.0, r.schedule_points,
      r.max_live_tasks, static_cast<double>(r.peak_rss_bytes) / (1024.0 * 1024.0),
      r.incomplete, cut, endings.empty() ? "" : "; endings: ", endings);
  bool any = false;
  for (const auto& [id, s] : r.summary) {
    if (s.violations == 0 && s.warnings == 0) continue;
    if (!any) {
      absl::StrAppendFormat(&out, "  %-26s %10s %10s %10s\n", "invariant", "violations",
                            "warnings", "first run");
    }
    any = true;
    absl::StrAppendFormat(&out, "  %-26s %10d %10d %10d\n", id, s.violations, s.warnings,
                          s.first_run);
  }
  if (!any) absl::StrAppend(&out, "  no finding\n");
  absl::StrAppend(&out, ExplorationText(r.exploration));
  return out;
}

std::string Wrap(std::string_view text, size_t width, std::string_view indent) {
  std::string out, line;
  for (absl::string_view word : absl::StrSplit(Av(text), ' ', absl::SkipEmpty())) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      absl::StrAppend(&out, Av(indent), line, "\n");
      line.clear();
    }
    if (!line.empty()) line += ' ';
    absl::StrAppend(&line, word);
  }
  if (!line.empty()) absl::StrAppend(&out, Av(indent), line, "\n");
  return out;
}

std::string FormatFinding(size_t index, const harness::Finding& f, std::string_view board,
                          std::string_view profile, uint64_t run, uint64_t seed,
                          std::string_view replay_command, bool explain) {
  std::string out = absl::StrFormat(
      "[%d] %s (%s) on %s / %s: run %d, seed %d, step %d, t=%ss\n", index, f.invariant.name(),
      harness::SeverityName(f.severity), Av(board), Av(profile), run, seed, f.step,
      absl::StripLeadingAsciiWhitespace(harness::FormatKernelTime(f.virtual_time_ns)));
  absl::StrAppend(&out, "    ", f.message, "\n");
  if (explain) absl::StrAppend(&out, Wrap(Explain(f.invariant), 96, "    | "));
  if (!f.devices.empty()) absl::StrAppend(&out, "    devices: ", absl::StrJoin(f.devices, ", "), "\n");
  if (!f.tasks.empty()) absl::StrAppend(&out, "    tasks:   ", absl::StrJoin(f.tasks, ", "), "\n");
  if (!f.detail.empty()) {
    for (absl::string_view l : absl::StrSplit(f.detail, '\n', absl::SkipEmpty())) {
      absl::StrAppend(&out, "    > ", l, "\n");
    }
  }
  absl::StrAppend(&out, "    replay:  ", Av(replay_command), "\n");
  return out;
}


std::string CampaignFindingsText(const Report& report, bool verbose) {
  std::vector<size_t> order;
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i < report.findings.size(); ++i) {
      if ((report.findings[i].finding.severity == harness::Severity::kWarning) == (pass == 1)) order.push_back(i);
    }
  }
  std::map<std::string, size_t> held;  // findings per invariant in the report
  for (const ReportFinding& rf : report.findings) ++held[std::string(rf.finding.invariant.name())];
  std::string text;
  std::set<std::string> explained;
  for (size_t i : order) {
    const ReportFinding& rf = report.findings[i];
    const bool first = explained.insert(std::string(rf.finding.invariant.name())).second;
    if (!verbose && !first) continue;
    const harness::Finding& f = rf.finding;
    // The report's own line (ReferReplaysToReport) or, verbose, the whole token.
    const std::string replay = verbose ? absl::StrCat("probestorm replay --token=", rf.token) : rf.replay;
    absl::StrAppend(&text, FormatFinding(i, f, rf.board, rf.profile, rf.run, rf.seed, replay, first));
    if (!rf.incomplete_run.empty()) {
      absl::StrAppend(&text, "    run stopped early (", rf.incomplete_run,
                      "): the boot never finished, so this may be an artifact of the cut\n");
    }
    if (const size_t more = held[std::string(rf.finding.invariant.name())] - 1; !verbose && more > 0) {
      absl::StrAppend(&text, "    ... and ", more, " more finding", more == 1 ? "" : "s", " of ",
                      Av(rf.finding.invariant.name()), " in the report (--verbose lists them)\n");
    }
    absl::StrAppend(&text, "\n");
  }
  return text;
}

}  // namespace probestorm::stress
