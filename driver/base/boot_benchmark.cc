// Full boot of a TM2E-sized board through the driver core model: every supplier driver built in,
// a stub built-in driver for every other compatible (masters included), no IOMMU driver, no
// hardware. Goal: <= 2 ms of one core per boot in the controlled engine (release preset).
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "driver/base/driver.h"
#include "driver/base/init.h"
#include "driver/kernel.h"
#include "harness/controlled_engine.h"
#include "harness/sched/random_scheduler.h"
#include "hwmodel/dt/board.h"

namespace probestorm::kernel {
namespace {

void BM_BootTm2eNoIommu(benchmark::State& state) {
  auto board = hwmodel::LoadEmbeddedBoard("embedded:tm2e");
  if (!board.ok()) {
    state.SkipWithError("embedded:tm2e not available");
    return;
  }
  Knobs knobs;
  knobs.modules = false;  // masters get -ENODEV from the missing IOMMU at late_initcall
  // One stub driver per first compatible of every device node not covered by the built-in
  // supplier drivers (registered by StartBoot) and not a SysMMU. A property of the board: computed
  // once, outside the timed loop.
  std::set<std::string> compats;
  for (int n : board->devices) {
    const auto& node = board->node(n);
    if (!node.compatible.empty() && !node.IsSysmmu()) compats.insert(node.compatible.front());
  }
  int64_t bound = 0;
  uint64_t steps = 0;
  uint64_t switches = 0;
  uint64_t events = 0;
  for (auto _ : state) {
    harness::RandomScheduler sched;
    harness::EngineOptions o;
    o.seed = static_cast<uint64_t>(state.iterations()) + 1;
    o.race_detection = false;
    harness::ControlledEngine e(o, &sched);
    harness::Engine::Scope scope(e);
    Kernel k(*board, knobs, nullptr);
    std::vector<DeviceDriver*> stubs;
    for (const std::string& c : compats) {
      auto* d = k.Alloc<DeviceDriver>();
      d->name = "stub:" + c;
      d->of_match = {c};
      stubs.push_back(d);
    }
    k.initcalls.push_back({InitLevel::kDevice, "stub_drivers_init", [&k, stubs] {
                             for (DeviceDriver* d : stubs) platform_driver_register(k, d);
                             return 0;
                           }});
    e.Spawn("boot", [&k] { StartBoot(k); });
    auto r = e.Run();
    bound = 0;
    for (Device* d : k.devices) bound += d->bound.Peek() ? 1 : 0;
    steps += r.steps;
    switches += r.switches;
    events += e.trace().count();
  }
  const auto per_boot = [&](uint64_t n) {
    return benchmark::Counter(static_cast<double>(n), benchmark::Counter::kAvgIterations);
  };
  state.counters["points"] = per_boot(steps);
  state.counters["switches"] = per_boot(switches);
  state.counters["trace_events"] = per_boot(events);
  state.counters["devices_bound"] = static_cast<double>(bound);
  state.counters["devices"] = static_cast<double>(board->devices.size());
}
BENCHMARK(BM_BootTm2eNoIommu)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace probestorm::kernel
