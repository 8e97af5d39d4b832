// StrategySpec: parsed once, formatted back to the text it came from, and what MakeStrategy builds.
#include "harness/sched/strategy.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace probestorm::harness {
namespace {

using ::testing::HasSubstr;
using Kind = StrategySpec::Kind;

TEST(StrategySpec, FormatGivesBackTheParsedText) {
  for (const char* text : {"random", "pos", "pos-hold", "surw", "conflict", "auto", "pct", "pct:3",
                           "pct:5:100", "dfs", "dfs:0", "dfs:16"}) {
    auto s = StrategySpec::Parse(text);
    ASSERT_TRUE(s.ok()) << text << ": " << s.status();
    EXPECT_EQ(s->Format(), text);
  }
}

TEST(StrategySpec, FieldsAndDefaults) {
  auto pct = StrategySpec::Parse("pct:4:77");
  ASSERT_TRUE(pct.ok());
  EXPECT_EQ(pct->kind, Kind::kPct);
  EXPECT_EQ(pct->pct_depth, 4);
  EXPECT_EQ(pct->pct_steps, 77u);
  auto bare = StrategySpec::Parse("pct");
  ASSERT_TRUE(bare.ok());
  EXPECT_FALSE(bare->pct_depth.has_value());
  EXPECT_EQ(MakeStrategy(*bare)->Name(), MakeStrategy(*StrategySpec::Parse("pct:3:20000"))->Name());
  auto dfs = StrategySpec::Parse("dfs:1");
  ASSERT_TRUE(dfs.ok());
  EXPECT_TRUE(dfs->Is(Kind::kDfs));
  EXPECT_EQ(dfs->dfs_bound, 1);
}

TEST(StrategySpec, RefusesBadText) {
  const std::pair<const char*, const char*> cases[] = {
      {"chaos", "unknown strategy"},
      {"pct:0", "depth D must be 1..64"},
      {"pct:65", "depth D must be 1..64"},
      {"pct:3:0", "K must be a positive step count"},
      {"pct:3:1:1", "too many fields"},
      {"dfs:17", "preemption bound P must be 0..16"},
      {"dfs:1:1", "too many fields"},
      {"random:1", "unknown strategy"},
      {"replay", "replay takes a recorded schedule"},
      {"", "unknown strategy"},
  };
  for (const auto& [text, why] : cases) {
    auto s = StrategySpec::Parse(text);
    ASSERT_FALSE(s.ok()) << text;
    EXPECT_THAT(s.status().message(), HasSubstr(why)) << text;
    EXPECT_THAT(s.status().message(), HasSubstr(std::string("bad --strategy '") + text + "'"));
  }
}

TEST(StrategySpec, ReplayCarriesItsSchedule) {
  Schedule sched;
  sched.choices = {1, 0, 2};
  StrategySpec r = StrategySpec::Replay(std::make_shared<const Schedule>(sched));
  EXPECT_TRUE(r.Is(Kind::kReplay));
  EXPECT_EQ(r.Format(), "replay");
  EXPECT_EQ(r.schedule->choices, sched.choices);
  EXPECT_EQ(MakeStrategy(r)->Name(), "replay");
}

TEST(StrategySpec, MakeStrategyNamesTheStrategy) {
  for (const char* text : {"random", "pos", "pos-hold", "surw", "conflict", "auto"}) {
    auto s = MakeStrategy(std::string_view(text));
    ASSERT_TRUE(s.ok()) << text;
    EXPECT_EQ((*s)->Name(), text);
  }
  EXPECT_FALSE(MakeStrategy(std::string_view("nope")).ok());
}

}  // namespace
}  // namespace probestorm::harness
