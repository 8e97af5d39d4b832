// Board loading costs. Goals: the real TM2E DTB in <= 5 ms; an 8192-device synthetic board,
// built and loaded, in <= 200 ms.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "benchmark/benchmark.h"
#include "hwmodel/dt/board.h"

namespace probestorm::hwmodel {
namespace {

// The copy of the real DTB kept beside the sources (the benchmark binary has no test macros).
std::vector<uint8_t> RealTm2eBlob() {
  const std::filesystem::path path =
      std::filesystem::path(__FILE__).parent_path().parent_path() / "testdata/exynos5433-tm2e.dtb";
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

void BM_LoadRealTm2eDtb(benchmark::State& state) {
  const std::vector<uint8_t> blob = RealTm2eBlob();
  for (auto _ : state) {
    absl::StatusOr<Board> b = LoadDtb(blob, "exynos5433-tm2e.dtb");
    if (!b.ok()) state.SkipWithError("cannot load the real TM2E DTB");
    benchmark::DoNotOptimize(b);
  }
}
BENCHMARK(BM_LoadRealTm2eDtb)->Unit(benchmark::kMillisecond);

void BM_LoadEmbeddedTm2e(benchmark::State& state) {
  for (auto _ : state) {
    absl::StatusOr<Board> b = LoadEmbeddedBoard("embedded:tm2e");
    if (!b.ok()) state.SkipWithError("cannot load embedded:tm2e");
    benchmark::DoNotOptimize(b);
  }
}
BENCHMARK(BM_LoadEmbeddedTm2e)->Unit(benchmark::kMillisecond);

void BM_LoadSynthetic8192(benchmark::State& state) {
  size_t devices = 0;
  for (auto _ : state) {
    absl::StatusOr<Board> b = LoadSynthetic("sysmmus=4096,masters=2048,per_master=2,plain=2048");
    if (!b.ok()) state.SkipWithError("cannot build the synthetic board");
    devices = b.ok() ? b->devices.size() : 0;
    benchmark::DoNotOptimize(b);
  }
  state.counters["devices"] = static_cast<double>(devices);
}
BENCHMARK(BM_LoadSynthetic8192)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace probestorm::hwmodel
