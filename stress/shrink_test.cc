// Shrink as a library function: a failing campaign run becomes a smaller one that still fails
// the same invariant and replays exactly; a run that does not fail is refused.
#include "stress/shrink.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "stress/load.h"
#include "stress/campaign.h"

namespace probestorm::stress {
namespace {

using ::testing::HasSubstr;

// The first xlate-uninit-controller finding of a small fixed pct campaign on TM2E.
ReplayToken FailingToken() {
  CampaignOptions o;
  auto boards = LoadBoards(SubcommandArgs{});  // the default board, embedded:tm2e
  EXPECT_TRUE(boards.ok()) << boards.status();
  o.boards = *boards;
  o.profiles.push_back(*kernel::LoadProfile("v6.1-modular"));
  auto spec = ParseEngineSpec("controlled", "pct:3", "light", 0, "xlate-uninit-controller", "600s");
  EXPECT_TRUE(spec.ok()) << spec.status();
  o.engine = *spec;
  o.seed = 7;
  o.runs = 20;
  o.jobs = 1;
  const CampaignResult r = RunCampaign(o);
  for (const FoundRecord& f : r.findings) {
    if (f.finding.invariant == "xlate-uninit-controller") return f.token;
  }
  ADD_FAILURE() << "the campaign found no xlate-uninit-controller";
  return {};
}

TEST(ShrinkTest, SmallerRunThatStillFailsAndReplays) {
  const ReplayToken token = FailingToken();
  auto start = PrepareTokenRun(token, SubcommandArgs{});
  ASSERT_TRUE(start.ok()) << start.status();
  auto s = Shrink(*start, std::chrono::steady_clock::now() + std::chrono::seconds(120));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_GT(s->attempts, 0);
  EXPECT_LE(s->after.preemptions, s->before.preemptions);
  // S2 needs a few switches at the right points: the preemption phase, which keys switches on
  // the progress of each task, leaves at most a tenth of the pct run's preemptions (79 -> 5 when
  // written; following recorded indices instead left 79 -> 19).
  EXPECT_LE(s->after.preemptions * 10, s->before.preemptions);
  EXPECT_LE(s->after.masters, s->before.masters);
  EXPECT_LE(s->after.virtual_time, s->before.virtual_time);
  EXPECT_TRUE(HasViolation(s->run, "xlate-uninit-controller"));
  EXPECT_FALSE(s->run.trace.empty());  // kept for the trace files

  // The shrunk token is a replay of its recorded schedule, and replays to the same trace hash.
  const ReplayToken& t = s->shrunk.token;
  EXPECT_EQ(t.strategy, "replay");
  EXPECT_EQ(t.trace_hash, s->run.result.trace_hash);
  auto decoded = ReplayToken::Decode(t.Encode());
  ASSERT_TRUE(decoded.ok());
  auto again = PrepareTokenRun(*decoded, SubcommandArgs{});
  ASSERT_TRUE(again.ok()) << again.status();
  auto replay = RunToken(*again, false);
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->result.trace_hash, t.trace_hash);
  EXPECT_TRUE(HasViolation(*replay, "xlate-uninit-controller"));
}

TEST(ShrinkTest, RunThatDoesNotFailIsRefused) {
  ReplayToken token = FailingToken();
  token.invariant = "stall";  // the run does not violate it
  auto start = PrepareTokenRun(token, SubcommandArgs{});
  ASSERT_TRUE(start.ok()) << start.status();
  auto s = Shrink(*start, std::chrono::steady_clock::now() + std::chrono::seconds(120));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.status().message(), HasSubstr("does not fail stall: nothing to shrink"));
}

}  // namespace
}  // namespace probestorm::stress
