// The fiber stack size (EngineOptions::stack_bytes) against the deepest stack model tasks use:
// TM2E boots and a synthetic board with async probing, churn and probe storms, all monitors on.
// The depth is read from the pooled stacks' resident pages (PooledStackHighWater), so it is the
// deepest any task of these runs went. The test keeps a 4x margin between that and the size.
#include <cstdio>
#include <string>
#include <vector>

#include "driver/model_run.h"
#include "driver/profile.h"
#include "gtest/gtest.h"
#include "harness/fiber_stack.h"
#include "harness/sanitizer_fiber.h"
#include "harness/sched/random_scheduler.h"
#include "hwmodel/dt/board.h"

namespace probestorm::kernel {
namespace {

void Boot(const hwmodel::Board& board, const std::vector<std::string>& sets, uint64_t seed) {
  auto p = LoadProfile("v6.1");
  ASSERT_TRUE(p.ok()) << p.status();
  for (const auto& s : sets) ASSERT_TRUE(ApplySet(*p, s).ok()) << s;
  harness::EngineOptions o;
  o.seed = seed;
  harness::RandomScheduler strategy;
  RunControlled(board, *p, o, strategy);
}

TEST(StackDepth, ModelTasksStayWellInsideTheFiberStack) {
  auto tm2e = hwmodel::LoadEmbeddedBoard("embedded:tm2e");
  ASSERT_TRUE(tm2e.ok()) << tm2e.status();
  for (uint64_t seed = 1; seed <= 5; ++seed) Boot(*tm2e, {}, seed);
  const size_t tm2e_depth = harness::PooledStackHighWater();
  auto synth = hwmodel::LoadSynthetic("sysmmus=16,masters=8,per_master=2");
  ASSERT_TRUE(synth.ok()) << synth.status();
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    Boot(*synth, {"async_probe=*", "churn=2", "probe_storm=2"}, seed);
  }
  const size_t depth = harness::PooledStackHighWater();
  std::printf("deepest fiber stack: TM2E %zu KiB, with the synthetic churn board %zu KiB (of %zu)\n",
              tm2e_depth / 1024, depth / 1024, harness::EngineOptions{}.stack_bytes / 1024);
  EXPECT_GT(depth, 0u);
#if defined(PROBESTORM_ASAN) || defined(PROBESTORM_TSAN)
  EXPECT_LE(depth, harness::EngineOptions{}.stack_bytes);  // sanitizers' frames are larger
#else
  EXPECT_LE(depth * 4, harness::EngineOptions{}.stack_bytes);
#endif
}

}  // namespace
}  // namespace probestorm::kernel
