// The human printout of findings: one finding with its explanation, devices, tasks and replay
// command, and the findings of a campaign report as `probestorm run` prints them.
//
// Thread-safety: pure functions.
#ifndef PROBESTORM_STRESS_FINDING_TEXT_H_
#define PROBESTORM_STRESS_FINDING_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/finding.h"
#include "stress/report.h"

namespace probestorm::stress {

// Human printout of one finding: header, message, explanation, devices, tasks, replay command.
std::string FormatFinding(size_t index, const harness::Finding& f, std::string_view board,
                          std::string_view profile, uint64_t run, uint64_t seed,
                          std::string_view replay_command, bool explain = true);
// The findings of a campaign, violations first, each numbered by its index in the report (as
// `replay --report=R --finding=N` takes it) and each invariant explained once. By default only the
// first finding of each invariant, followed by how many more the report holds, with its replay
// line (ReferReplaysToReport makes that `--report=R --finding=N` for a token that carries a whole
// schedule). `verbose`: every finding with its full token command.
std::string CampaignFindingsText(const Report& report, bool verbose);
// The summary `probestorm run` prints after the findings: runs, time, schedule points, live tasks,
// peak RSS, incomplete runs and endings on one line; a table of the invariants that fired (or
// "no finding"); the learning strategies' coverage when recorded.
std::string CampaignSummaryText(const Report& report);
// Wraps `text` at `width` columns with `indent` before each line.
std::string Wrap(std::string_view text, size_t width, std::string_view indent);

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_FINDING_TEXT_H_
