// Bisect as a library function: the first bad profile of a list, and the ends that do not differ.
#include "stress/bisect.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "stress/load.h"

namespace probestorm::stress {
namespace {

BisectOptions Options(const std::vector<std::string>& profiles) {
  BisectOptions o;
  auto boards = LoadBoards(SubcommandArgs{});  // the default board, embedded:tm2e
  EXPECT_TRUE(boards.ok()) << boards.status();
  o.base.boards = *boards;
  auto spec = ParseEngineSpec("controlled", "random", "light", 0, "", "600s");
  EXPECT_TRUE(spec.ok());
  o.base.engine = *spec;
  o.base.seed = 1;
  o.base.jobs = 1;
  for (const std::string& name : profiles) o.profiles.push_back(*kernel::LoadProfile(name));
  o.invariant = "xlate-uninit-controller";
  o.measure_runs = 20;
  o.max_runs = 40;
  return o;
}

TEST(BisectTest, FindsTheFirstBadProfile) {
  const BisectOptions o = Options({"v6.1-modular+initfix", "v6.1-modular"});
  std::vector<std::string> tested;
  const BisectResult r = Bisect(o, [&](const kernel::Profile& p, const BisectVerdict& v) {
    tested.push_back(p.name + (v.bad ? " bad" : " good"));
  });
  ASSERT_EQ(r.outcome, BisectOutcome::kFound);
  EXPECT_EQ(r.hi, 1u);
  EXPECT_EQ(r.lo, 0u);
  EXPECT_GT(r.p, 0);
  EXPECT_GT(r.min_confidence, 0);
  EXPECT_LT(r.min_confidence, 1);
  // The known-bad end is measured first, then the other end.
  EXPECT_EQ(tested, (std::vector<std::string>{"v6.1-modular bad", "v6.1-modular+initfix good"}));
}

TEST(BisectTest, EndsThatDoNotDiffer) {
  const BisectResult both = Bisect(Options({"v6.1-modular", "v6.1-modular"}),
                                   [](const kernel::Profile&, const BisectVerdict&) {});
  EXPECT_EQ(both.outcome, BisectOutcome::kBothEndsFail);
  const BisectResult never = Bisect(Options({"v6.1-modular+initfix", "v6.1-modular+initfix"}),
                                    [](const kernel::Profile&, const BisectVerdict&) {});
  EXPECT_EQ(never.outcome, BisectOutcome::kKnownBadNeverFailed);
  EXPECT_EQ(never.known_bad_runs, 20u);
}

TEST(BisectTest, PastDeadlineIsOpen) {
  BisectOptions o = Options({"v6.1-modular+initfix", "v6.1-modular"});
  o.base.hard_deadline = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  const BisectResult r = Bisect(o, [](const kernel::Profile&, const BisectVerdict&) {});
  EXPECT_EQ(r.outcome, BisectOutcome::kOpen);
  EXPECT_THAT(r.during, ::testing::HasSubstr("known-bad end v6.1-modular"));
}

}  // namespace
}  // namespace probestorm::stress
