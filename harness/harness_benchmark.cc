// Throughput of the controlled engine (goal: >= 5 000 000 schedule points per second on
// one core) and its cost split: a pure fiber switch, a strategy's Pick, the bookkeeping of a
// schedule point that switches nothing, and recording trace events.
//
// Run: cmake --preset release && cmake --build build-release --target harness_benchmark &&
//      ./build-release/harness/harness_benchmark
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "harness/controlled_engine.h"
#include "harness/sched/pct_scheduler.h"
#include "harness/sched/random_scheduler.h"
#include "harness/sync/mutex.h"
#include "harness/sync/tracked.h"
#include "harness/trace/trace.h"

namespace probestorm::harness {
namespace {

EngineOptions BenchOptions(bool monitors) {
  EngineOptions o;
  o.seed = 1;
  o.race_detection = monitors;
  o.lockdep = monitors;
  return o;
}

// 4 tasks, each `iters` x { lock; read; write; unlock } on shared tracked state, random strategy.
// Arg 0: monitors off/on (race detector + lockdep).
void BM_ControlledToy(benchmark::State& state) {
  const bool monitors = state.range(0) != 0;
  constexpr int kTasks = 4;
  constexpr int kIters = 20'000;
  uint64_t steps = 0;
  uint64_t switches = 0;
  for (auto _ : state) {
    RandomScheduler s;
    ControlledEngine e(BenchOptions(monitors), &s);
    Engine::Scope scope(e);
    Mutex m("bench_lock");
    Tracked<int> shared;
    shared.SetLabel("bench shared");
    for (int t = 0; t < kTasks; ++t) {
      e.Spawn("bench" + std::to_string(t), [&] {
        for (int i = 0; i < kIters; ++i) {
          MutexLock g(m);
          shared.Set(shared.Get() + 1);
        }
      });
    }
    RunResult r = e.Run();
    steps += r.steps;
    switches += r.switches;
    if (!r.findings.empty()) state.SkipWithError("unexpected finding");
  }
  state.SetItemsProcessed(static_cast<int64_t>(steps));
  state.counters["points/s"] = benchmark::Counter(static_cast<double>(steps), benchmark::Counter::kIsRate);
  state.counters["switch%"] = 100.0 * static_cast<double>(switches) / static_cast<double>(steps);
}
BENCHMARK(BM_ControlledToy)->Arg(0)->Arg(1)->ArgName("monitors")->Unit(benchmark::kMillisecond);

// Always switches to the next runnable task (round robin): every point is a fiber switch.
class AlwaysSwitch final : public Strategy {
 public:
  void Begin(uint64_t) override {}
  size_t Pick(const SchedView& v) override {
    for (size_t i = 0; i < v.runnable.size(); ++i) {
      if (v.runnable[i] == v.current) return (i + 1) % v.runnable.size();
    }
    return 0;
  }
  std::string Name() const override { return "always-switch"; }
};

// Two tasks ping-pong with Yield: items = context switches (task -> scheduler -> task).
void BM_FiberSwitch(benchmark::State& state) {
  constexpr int kYields = 100'000;
  uint64_t switches = 0;
  for (auto _ : state) {
    AlwaysSwitch s;
    ControlledEngine e(BenchOptions(false), &s);
    Engine::Scope scope(e);
    for (int t = 0; t < 2; ++t) {
      e.Spawn("pingpong", [] {
        for (int i = 0; i < kYields; ++i) Yield();
      });
    }
    switches += e.Run().switches;
  }
  state.SetItemsProcessed(static_cast<int64_t>(switches));
}
BENCHMARK(BM_FiberSwitch)->Unit(benchmark::kMillisecond);

// Strategy Pick alone over 4 runnable tasks.
void BM_RandomPick(benchmark::State& state) {
  RandomScheduler s;
  s.Begin(1);
  const std::vector<TaskId> runnable = {1, 2, 3, 4};
  SchedView v{runnable, 1, PointKind::kShared, 0, 0};
  for (auto _ : state) {
    ++v.step;
    benchmark::DoNotOptimize(s.Pick(v));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RandomPick);

void BM_PctPick(benchmark::State& state) {
  PctScheduler s(3, 1'000'000);
  s.Begin(1);
  for (TaskId t = 1; t <= 4; ++t) s.OnSpawn(t);
  const std::vector<TaskId> runnable = {1, 2, 3, 4};
  SchedView v{runnable, 1, PointKind::kShared, 0, 0};
  for (auto _ : state) {
    ++v.step;
    ++v.shared_step;
    benchmark::DoNotOptimize(s.Pick(v));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PctPick);

// A schedule point with a single runnable task: bookkeeping only, no Pick, no switch.
void BM_PointNoSwitch(benchmark::State& state) {
  constexpr int kPoints = 1'000'000;
  uint64_t steps = 0;
  for (auto _ : state) {
    RandomScheduler s;
    ControlledEngine e(BenchOptions(false), &s);
    Engine::Scope scope(e);
    e.Spawn("alone", [] {
      Engine& en = Engine::Current();
      for (int i = 0; i < kPoints; ++i) en.Point(PointKind::kShared);
    });
    steps += e.Run().steps;
  }
  state.SetItemsProcessed(static_cast<int64_t>(steps));
}
BENCHMARK(BM_PointNoSwitch)->Unit(benchmark::kMillisecond);

// A tracked read + write with one runnable task: the model-facing cost without switching.
// Arg 0: race detector off/on.
void BM_TrackedAccessNoSwitch(benchmark::State& state) {
  const bool monitors = state.range(0) != 0;
  constexpr int kAccesses = 500'000;
  uint64_t steps = 0;
  for (auto _ : state) {
    RandomScheduler s;
    ControlledEngine e(BenchOptions(monitors), &s);
    Engine::Scope scope(e);
    Tracked<int> x;
    e.Spawn("alone", [&x] {
      for (int i = 0; i < kAccesses; ++i) x.Set(x.Get() + 1);
    });
    steps += e.Run().steps;
  }
  state.SetItemsProcessed(static_cast<int64_t>(steps));
}
BENCHMARK(BM_TrackedAccessNoSwitch)->Arg(0)->Arg(1)->ArgName("monitors")->Unit(benchmark::kMillisecond);

// Model tracing as driver code does it, with one runnable task: a function span on a device and
// an instant event with a formatted detail, 3 events per round, into the default tail ring.
void BM_TraceEvents(benchmark::State& state) {
  constexpr int kRounds = 100'000;
  uint64_t events = 0;
  for (auto _ : state) {
    RandomScheduler s;
    ControlledEngine e(BenchOptions(false), &s);
    Engine::Scope scope(e);
    const std::string device = "13a00000.sysmmu";
    e.Spawn("alone", [&device] {
      for (int i = 0; i < kRounds; ++i) {
        TraceSpan span(device, "exynos_sysmmu_probe");
        TraceLog(device, "exynos_sysmmu_probe", "iommu_device_register ret=0");
      }
    });
    e.Run();
    events += e.trace().count();
  }
  state.SetItemsProcessed(static_cast<int64_t>(events));
}
BENCHMARK(BM_TraceEvents)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace probestorm::harness
