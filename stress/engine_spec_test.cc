// EngineSpec: parsed once from flag texts or a token, formatted back to the same text.
#include "stress/engine_spec.h"

#include "driver/invariants/all.h"
#include "driver/invariants/dma_ops_on_bound.h"
#include "harness/invariants/stall.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace probestorm::stress {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<EngineSpec> Parse(std::string_view engine, std::string_view strategy = "random",
                                 std::string_view perturb = "light", double time_scale = 0,
                                 std::string_view invariants = "",
                                 std::string_view mvt = "600s") {
  return ParseEngineSpec(engine, strategy, perturb, time_scale, invariants, mvt);
}

TEST(EngineSpec, ParsesTypedValues) {
  auto s = Parse("free", "pct:2", "heavy", 10, "stall,data-race", "30s");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_TRUE(s->free());
  EXPECT_EQ(s->strategy.kind, harness::StrategySpec::Kind::kPct);
  EXPECT_EQ(s->perturb, harness::Perturb::kHeavy);
  EXPECT_EQ(s->time_scale, 10);
  EXPECT_TRUE(s->options.invariants.Has(harness::InvariantId(harness::invariants::kStall)));
  EXPECT_FALSE(s->options.invariants.Has(harness::InvariantId(kernel::invariants::kDmaOpsOnBound)));
  EXPECT_EQ(s->options.max_virtual_time, 30 * harness::kSec);
  EXPECT_FALSE(s->options.stop_on_violation);
}

// Each bad value is refused with the flag's name, as on the command line.
TEST(EngineSpec, RefusesEachBadValue) {
  EXPECT_THAT(Parse("both").status().message(), HasSubstr("bad --engine 'both' (controlled or free)"));
  EXPECT_THAT(Parse("controlled", "chaos").status().message(), HasSubstr("bad --strategy 'chaos'"));
  EXPECT_THAT(Parse("controlled", "random", "medium").status().message(),
              HasSubstr("bad --perturb 'medium' (none, light or heavy)"));
  EXPECT_THAT(Parse("controlled", "random", "light", -1).status().message(),
              HasSubstr("bad --time_scale"));
  EXPECT_THAT(Parse("controlled", "random", "light", 0, "nope").status().message(),
              HasSubstr("--invariants: unknown invariant 'nope'"));
  EXPECT_THAT(Parse("controlled", "random", "light", 0, "", "0s").status().message(),
              HasSubstr("bad --max_virtual_time '0s'"));
}

TEST(EngineSpec, FormatInvariants) {
  const auto fmt = [](std::string_view text) {
    return FormatInvariants(*harness::InvariantSet::Parse(text, kernel::invariants::Registry()));
  };
  EXPECT_EQ(fmt(""), "");
  EXPECT_EQ(fmt("all"), "");
  EXPECT_EQ(fmt("xlate-uninit-controller,stall"), "xlate-uninit-controller,stall");
  EXPECT_EQ(fmt("stall, xlate-uninit-controller"), "xlate-uninit-controller,stall");
  EXPECT_EQ(fmt(","), ",");
  // The text parses back to the same set.
  for (const char* text : {"", ",", "stall", "data-race,stall"}) {
    const auto set = *harness::InvariantSet::Parse(text, kernel::invariants::Registry());
    EXPECT_EQ(fmt(FormatInvariants(set)), FormatInvariants(set)) << text;
  }
}

TEST(EngineSpec, TokenRoundTrip) {
  auto s = Parse("controlled", "pct:3", "none", 0, "stall", "120s");
  ASSERT_TRUE(s.ok());
  s->options.max_steps = 12345;
  ReplayToken t;
  SetTokenEngine(*s, t);
  EXPECT_EQ(t.engine, "controlled");
  EXPECT_EQ(t.strategy, "pct:3");
  EXPECT_EQ(t.perturb, "none");
  EXPECT_EQ(t.invariants, "stall");
  EXPECT_EQ(t.max_virtual_time_ns, 120 * harness::kSec);
  EXPECT_EQ(t.max_steps, 12345u);
  EXPECT_EQ(t.schedule, nullptr);
  auto back = EngineSpecFromToken(t);
  ASSERT_TRUE(back.ok()) << back.status();
  ReplayToken again;
  SetTokenEngine(*back, again);
  EXPECT_EQ(again.Encode(), t.Encode());

  // A replay spec travels as "replay" plus its schedule.
  s->strategy = harness::StrategySpec::Replay(
      std::make_shared<const harness::Schedule>(harness::Schedule{{2, 0, 1}}));
  SetTokenEngine(*s, t);
  EXPECT_EQ(t.strategy, "replay");
  ASSERT_NE(t.schedule, nullptr);
  EXPECT_EQ(t.schedule->choices, (std::vector<uint32_t>{2, 0, 1}));
  EXPECT_EQ(t.schedule, s->strategy.schedule);  // shared, not copied
  back = EngineSpecFromToken(t);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->replays());
  EXPECT_EQ(back->strategy.schedule->choices, t.schedule->choices);
}

// A token's fields are checked where the token is read: no bad value becomes a default.
TEST(EngineSpec, TokenWithBadFieldsIsRefused) {
  ReplayToken t;
  t.engine = "quantum";
  EXPECT_THAT(EngineSpecFromToken(t).status().message(),
              HasSubstr("replay token: unknown engine 'quantum'"));
  t = ReplayToken{};
  t.engine = "free";
  t.perturb = "extreme";
  EXPECT_THAT(EngineSpecFromToken(t).status().message(), HasSubstr("bad perturbation 'extreme'"));
  t = ReplayToken{};
  t.strategy = "pct:0";
  EXPECT_THAT(EngineSpecFromToken(t).status().message(), HasSubstr("bad --strategy 'pct:0'"));
  t = ReplayToken{};
  t.invariants = "nope";
  EXPECT_THAT(EngineSpecFromToken(t).status().message(), HasSubstr("replay token: unknown invariant"));
}

}  // namespace
}  // namespace probestorm::stress
