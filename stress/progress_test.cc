// The progress line fits the terminal: counts of violated invariants, then "+N more".
#include "stress/progress.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace probestorm::stress {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

CampaignProgress Busy() {
  CampaignProgress p;
  p.runs = 1234;
  p.elapsed_seconds = 10;
  p.schedule_points = 40'000'000;
  p.conflict_pairs = 5123;
  p.seconds_left = 9;
  p.violations = {{"xlate-uninit-controller", 120}, {"dma-ops-on-bound", 33},
                  {"dev-iommu-freed-in-use", 7},   {"domain-alloc-uninit", 4},
                  {"sysmmu-fault", 19},            {"data-race", 250},
                  {"lock-order", 2},               {"deferred-lists", 1}};
  return p;
}

TEST(ProgressLine, WideTerminalShowsEverything) {
  const std::string line = ProgressLine(Busy(), 400);
  EXPECT_EQ(line,
            "runs 1234 | 123.4 runs/s | 4M points/s | findings xlate-uninit-controller:120 "
            "dma-ops-on-bound:33 dev-iommu-freed-in-use:7 domain-alloc-uninit:4 sysmmu-fault:19 "
            "data-race:250 lock-order:2 deferred-lists:1 | 5123 conflict pairs | 9s left");
}

TEST(ProgressLine, NeverReachesTheLastColumn) {
  for (size_t cols : {20, 40, 60, 80, 100, 120, 180, 250}) {
    const std::string line = ProgressLine(Busy(), cols);
    EXPECT_LT(line.size(), cols) << cols << ": " << line;
    EXPECT_THAT(line, StartsWith("runs 1234")) << cols;
  }
}

TEST(ProgressLine, NarrowTerminalCountsThenMore) {
  const std::string at80 = ProgressLine(Busy(), 80);
  EXPECT_THAT(at80, HasSubstr("findings xlate-uninit-controller:120"));
  EXPECT_THAT(at80, HasSubstr(" more"));
  EXPECT_THAT(at80, EndsWith("9s left"));
  const std::string at180 = ProgressLine(Busy(), 180);
  EXPECT_THAT(at180, HasSubstr("dma-ops-on-bound:33"));
  EXPECT_THAT(at180, HasSubstr(" more"));
}

TEST(ProgressLine, FixedRunsAndNoFindings) {
  CampaignProgress p;
  p.runs = 3;
  p.total_runs = 40;
  p.elapsed_seconds = 1;
  const std::string line = ProgressLine(p, 80);
  EXPECT_EQ(line, "runs 3/40 | 3.0 runs/s | 0M points/s | findings none");
  EXPECT_THAT(line, Not(HasSubstr("left")));
}

TEST(ProgressLine, OneViolatedInvariantFitsOrIsCounted) {
  CampaignProgress p = Busy();
  p.violations.resize(1);
  EXPECT_THAT(ProgressLine(p, 80), HasSubstr("xlate-uninit-controller:120"));
  EXPECT_THAT(ProgressLine(p, 30), HasSubstr("+1 more"));
}

}  // namespace
}  // namespace probestorm::stress
