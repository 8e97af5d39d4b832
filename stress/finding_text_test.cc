// The run printout: the first finding of each invariant, how many more the report holds, and a
// --report command instead of a token that carries a whole schedule (ReferReplaysToReport);
// --verbose prints them all with their tokens.
#include "stress/finding_text.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "driver/invariants/all.h"
#include "driver/profile.h"
#include "stress/token.h"

namespace probestorm::stress {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ReportFinding Finding(const std::string& invariant, uint64_t run, bool schedule,
                      const std::string& severity = "violation") {
  ReportFinding f;
  f.finding.invariant = *kernel::invariants::Registry().Parse(invariant);
  f.finding.severity =
      severity == "warning" ? harness::Severity::kWarning : harness::Severity::kViolation;
  f.board = "embedded:tm2e";
  f.profile = "v6.1-modular";
  f.run = run;
  f.finding.message = invariant + " in run " + std::to_string(run);
  ReplayToken t;
  t.board = f.board;
  t.profile = f.profile;
  t.knobs = kernel::FormatKnobs(kernel::LoadProfile(f.profile)->knobs);  // a token that decodes
  t.invariant = invariant;
  t.run = run;
  if (schedule) {
    t.strategy = "replay";
    t.schedule = std::make_shared<const harness::Schedule>(
        harness::Schedule{std::vector<uint32_t>(2000, 1)});
  }
  f.token = t.Encode();
  f.replay = ReplayCommandLine(t);
  return f;
}

Report Sample(bool schedules) {
  Report r;
  r.findings = {Finding("xlate-uninit-controller", 1, schedules),
                Finding("xlate-uninit-controller", 4, schedules),
                Finding("xlate-uninit-controller", 9, schedules),
                Finding("iommu-bypass", 0, schedules, "warning"),
                Finding("dma-ops-on-bound", 2, schedules)};
  return r;
}

TEST(CampaignFindingsText, FirstOfEachInvariantThenHowManyMore) {
  const std::string text = CampaignFindingsText(Sample(false), false);
  EXPECT_THAT(text, HasSubstr("[0] xlate-uninit-controller (violation)"));
  EXPECT_THAT(text, Not(HasSubstr("[1] xlate-uninit-controller")));
  EXPECT_THAT(text, HasSubstr("    ... and 2 more findings of xlate-uninit-controller in the report "
                              "(--verbose lists them)\n"));
  EXPECT_THAT(text, HasSubstr("[4] dma-ops-on-bound (violation)"));
  EXPECT_THAT(text, Not(HasSubstr("more findings of dma-ops-on-bound")));
  // Violations before warnings, report indices kept.
  EXPECT_LT(text.find("[4] dma-ops-on-bound"), text.find("[3] iommu-bypass (warning)"));
  // A token without a schedule is short: printed as it is.
  EXPECT_THAT(text, HasSubstr("replay:  probestorm replay --token="));
}

TEST(CampaignFindingsText, ScheduleTokensNameTheReport) {
  Report r = Sample(true);
  ASSERT_TRUE(ReplayToken::Decode(r.findings[0].token).ok());
  ReferReplaysToReport(r, "out/report.json");
  const std::string text = CampaignFindingsText(r, false);
  EXPECT_THAT(text, HasSubstr("replay:  probestorm replay --report=out/report.json --finding=0\n"));
  EXPECT_THAT(text, HasSubstr("replay:  probestorm replay --report=out/report.json --finding=4\n"));
  EXPECT_THAT(text, Not(HasSubstr("--token=")));
  // No report written: the token is the only way back to the run.
  const std::string no_report = CampaignFindingsText(Sample(true), false);
  EXPECT_THAT(no_report, HasSubstr("replay:  probestorm replay --token="));
  EXPECT_THAT(no_report, Not(HasSubstr("--report=")));
}

TEST(CampaignFindingsText, VerboseListsEveryFindingWithItsToken) {
  Report r = Sample(true);
  ReferReplaysToReport(r, "out/report.json");
  const std::string text = CampaignFindingsText(r, true);
  for (size_t i = 0; i < r.findings.size(); ++i) {
    EXPECT_THAT(text, HasSubstr("[" + std::to_string(i) + "] ")) << i;
    EXPECT_THAT(text, HasSubstr("replay:  probestorm replay --token=" + r.findings[i].token + "\n")) << i;
  }
  EXPECT_THAT(text, Not(HasSubstr("more finding")));
  EXPECT_THAT(text, Not(HasSubstr("--report=")));
}

// The report itself: schedule-carrying findings name the report (the token stays in `token`),
// the others keep their token command.
TEST(ReferReplaysToReport, OnlyScheduleTokensNameTheReport) {
  Report r = Sample(true);
  r.findings.push_back(Finding("stall", 5, false));
  const std::string short_line = r.findings.back().replay;
  ReferReplaysToReport(r, "out/all.json");
  EXPECT_EQ(r.findings[2].replay, "probestorm replay --report=out/all.json --finding=2");
  EXPECT_FALSE(r.findings[2].token.empty());
  EXPECT_EQ(r.findings.back().replay, short_line);
  EXPECT_THAT(short_line, HasSubstr("probestorm replay --token="));
}

TEST(CampaignSummaryText, OneLineThenTheInvariantsThatFired) {
  Report r;
  r.runs = 40;
  r.wall_seconds = 2.0;
  r.schedule_points = 1234567;
  r.max_live_tasks = 19;
  r.peak_rss_bytes = 11 * 1024 * 1024;
  r.incomplete = 1;
  r.cut_by_budget = 2;
  r.endings = {{"finding", 9}, {"quiescent", 30}, {"max-steps", 1}};
  r.summary["xlate-uninit-controller"] = {3, 0, 4, 0.1, 3};
  r.summary["stall"] = {};  // enabled, silent: not listed
  r.summary["iommu-bypass"] = {0, 2, 7, 0.2, 0};
  const std::string text = CampaignSummaryText(r);
  EXPECT_THAT(text, HasSubstr("summary: 40 runs in 2.0 s (20.0 runs/s, 1234567 schedule points, "
                              "max 19 live tasks, peak RSS 11 MiB); incomplete 1 (+2 cut by the "
                              "budget, not counted); endings: finding 9, max-steps 1, quiescent 30\n"));
  EXPECT_THAT(text, HasSubstr("  xlate-uninit-controller             3          0          4\n"));
  EXPECT_THAT(text, HasSubstr("  iommu-bypass                        0          2          7\n"));
  EXPECT_THAT(text, Not(HasSubstr("stall")));
  EXPECT_THAT(text, Not(HasSubstr("no finding")));
  r.summary.clear();
  r.partial = true;
  r.interrupted_by = "SIGINT";
  const std::string quiet = CampaignSummaryText(r);
  EXPECT_THAT(quiet, HasSubstr("(+2 cut by the signal, not counted)"));
  EXPECT_THAT(quiet, HasSubstr("  no finding\n"));
}

}  // namespace
}  // namespace probestorm::stress
