// Throughput of ChromeTraceJson: a whole-run trace (`run --trace`, `replay --trace`) as Chrome
// trace-event JSON. The events look like the model's: nested function spans on devices, log
// instants with a formatted detail, a few finding events, 8 tasks, names that need no escaping
// except one detail in 64 (a quoted name and a newline).
//
// Run: cmake --preset release && cmake --build build-release --target harness_benchmark &&
//      ./build-release/harness/harness_benchmark --benchmark_filter=ChromeTrace
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "harness/finding.h"
#include "harness/test_invariants.h"
#include "harness/trace/chrome_trace.h"
#include "harness/trace/trace.h"

namespace probestorm::harness {
namespace {

std::vector<TraceEvent> BenchEvents(int n) {
  const std::vector<std::string> devices = {"13a00000.sysmmu", "13800000.decon", "", "15f50000.sysmmu"};
  const std::vector<std::string> funcs = {"exynos_sysmmu_probe", "really_probe", "iommu_device_register",
                                          "exynos_iommu_of_xlate"};
  std::vector<TraceEvent> ev;
  ev.reserve(static_cast<size_t>(n));
  for (int i = 0; ev.size() < static_cast<size_t>(n); ++i) {
    const auto task = static_cast<uint32_t>(i % 8);
    const std::string& dev = devices[static_cast<size_t>(i) % devices.size()];
    const std::string& func = funcs[static_cast<size_t>(i / 3) % funcs.size()];
    const auto step = static_cast<uint64_t>(ev.size());
    const Nanos t = static_cast<Nanos>(step / 4) * 1000;
    ev.push_back({step, t, task, Phase::kBegin, dev, func, ""});
    const std::string detail = i % 64 == 0 ? absl::StrCat("dev \"", dev, "\"\nret=", i)
                                           : absl::StrCat("iommu_device_register ret=", i % 3);
    ev.push_back({step + 1, t, task, i % 97 == 0 ? Phase::kFinding : Phase::kInstant, dev, func, detail});
    ev.push_back({step + 2, t, task, Phase::kEnd, dev, func, ""});
  }
  return ev;
}

// Arg: number of trace events.
void BM_ChromeTraceJson(benchmark::State& state) {
  const std::vector<TraceEvent> events = BenchEvents(static_cast<int>(state.range(0)));
  const std::vector<std::string> names = {"", "init", "modprobe/exynos-iommu", "deferred_probe_work",
                                          "kworker/0:1", "udevd", "rmmod", "async"};
  Finding f;
  f.invariant = test_invariants::kXlateUninitController;
  f.message = "exynos_iommu_of_xlate(13800000.decon) saw 13a00000.sysmmu's drvdata NULL";
  f.tasks = {"modprobe/exynos-iommu", "deferred_probe_work"};
  f.detail = "wait-for graph:\n  T1 a waits for b\n";
  const std::vector<Finding> findings(4, f);
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string json = ChromeTraceJson(events, names, findings);
    bytes += json.size();
    benchmark::DoNotOptimize(json.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_ChromeTraceJson)->Arg(100'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace probestorm::harness
