#include "stress/token.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "driver/profile.h"
#include "stress/boards.h"
#include "stress/load.h"
#include "stress/token_run.h"

namespace probestorm::stress {
namespace {

using ::testing::HasSubstr;

ReplayToken Sample() {
  ReplayToken t;
  t.board = "embedded:tm2e";
  t.board_fingerprint = 0x1234567890abcdefull;
  t.profile = "v6.1-modular";
  t.knobs = kernel::FormatKnobs(kernel::BuiltinProfiles()[1].knobs);
  t.engine = "controlled";
  t.strategy = "pct:3";
  t.seed = 0xfedcba9876543210ull;
  t.run = 77;
  t.invariants = "xlate-uninit-controller,data-race";
  t.max_virtual_time_ns = 600'000'000'000;
  t.max_steps = 200'000'000;
  t.invariant = "xlate-uninit-controller";
  t.trace_hash = 0xdeadbeefcafef00dull;
  t.time_scale = 250.5;
  return t;
}

TEST(TokenTest, RoundTrip) {
  ReplayToken t = Sample();
  const std::string text = t.Encode();
  for (char c : text) {
    EXPECT_TRUE(isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << c;
  }
  EXPECT_LT(text.size(), 320u);  // compact: knobs travel as a diff from the defaults
  auto d = ReplayToken::Decode(text);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->board, t.board);
  EXPECT_EQ(d->board_fingerprint, t.board_fingerprint);
  EXPECT_EQ(d->profile, t.profile);
  EXPECT_EQ(d->knobs, t.knobs);
  EXPECT_EQ(d->strategy, t.strategy);
  EXPECT_EQ(d->seed, t.seed);
  EXPECT_EQ(d->run, t.run);
  EXPECT_EQ(d->invariants, t.invariants);
  EXPECT_EQ(d->max_virtual_time_ns, t.max_virtual_time_ns);
  EXPECT_EQ(d->max_steps, t.max_steps);
  EXPECT_EQ(d->invariant, t.invariant);
  EXPECT_EQ(d->trace_hash, t.trace_hash);
  EXPECT_EQ(d->time_scale, t.time_scale);
  EXPECT_EQ(d->schedule, nullptr);
  EXPECT_EQ(ReplayCommandLine(t), "probestorm replay --token=" + text);
}

TEST(TokenTest, CarriesScheduleAndDisabledNodes) {
  ReplayToken t = Sample();
  t.strategy = "replay";
  t.disabled = {"/soc@0/decon@13800000", "/soc@0/sysmmu@13a00000"};
  t.schedule = std::make_shared<const harness::Schedule>(
      harness::Schedule{{0, 1, 1, 1, 2, 0, 0, 7, 300}});
  auto d = ReplayToken::Decode(t.Encode());
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->disabled, t.disabled);
  ASSERT_NE(d->schedule, nullptr);
  EXPECT_EQ(*d->schedule, *t.schedule);
}

TEST(TokenTest, RejectsDamagedTokens) {
  const std::string text = Sample().Encode();
  EXPECT_FALSE(ReplayToken::Decode("").ok());
  EXPECT_FALSE(ReplayToken::Decode("not a token!").ok());
  EXPECT_FALSE(ReplayToken::Decode(text.substr(0, text.size() / 2)).ok());
  std::string flipped = text;
  flipped[text.size() / 2] = flipped[text.size() / 2] == 'A' ? 'B' : 'A';
  auto d = ReplayToken::Decode(flipped);
  ASSERT_FALSE(d.ok());
  EXPECT_THAT(std::string(d.status().message()), HasSubstr("bad replay token"));
}

TEST(TokenTest, RejectsTokenFromAnotherBoard) {
  auto tm2e = LoadBoardSpec("embedded:tm2e");
  ASSERT_TRUE(tm2e.ok()) << tm2e.status();
  ReplayToken t = Sample();
  t.board_fingerprint = BoardFingerprint(*tm2e);
  // Another board named on the command line.
  SubcommandArgs args;
  args.synthetic = {"sysmmus=2,masters=1,per_master=2"};
  auto r = PrepareTokenRun(t, args);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("token from another board"));
  // Same spec, but the tree the token was made on differs (fingerprint).
  t.board_fingerprint ^= 1;
  r = PrepareTokenRun(t, SubcommandArgs{});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("token from another board"));
  // The right board works.
  t.board_fingerprint ^= 1;
  r = PrepareTokenRun(t, SubcommandArgs{});
  EXPECT_TRUE(r.ok()) << r.status();
}

TEST(TokenTest, ChangedBuiltinProfileIsDetected) {
  ReplayToken t = Sample();
  kernel::Knobs k = kernel::BuiltinProfiles()[1].knobs;
  k.deferred_probe_timeout = 17;  // as if v6.1-modular had been edited since
  t.knobs = kernel::FormatKnobs(k);
  std::string warning;
  auto p = ProfileFromToken(t, &warning);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->knobs.deferred_probe_timeout, 17);  // the token's knobs win
  EXPECT_THAT(warning, HasSubstr("differ from built-in profile 'v6.1-modular'"));
  EXPECT_THAT(warning, HasSubstr("deferred_probe_timeout = 17"));
  // Negative control: the built-in knobs as they are give no warning.
  t.knobs = kernel::FormatKnobs(kernel::BuiltinProfiles()[1].knobs);
  warning.clear();
  ASSERT_TRUE(ProfileFromToken(t, &warning).ok());
  EXPECT_EQ(warning, "");
}

}  // namespace
}  // namespace probestorm::stress
