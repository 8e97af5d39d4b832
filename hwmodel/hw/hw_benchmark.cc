// Cost of the simulated hardware on the hot paths of a stress run. Goal (issue 3): one translated
// DMA access through a warm TLB <= 50 ns.
//
// The hardware needs a current engine (schedule points, findings). A Scope over a ControlledEngine
// with no running task makes Point() a counter increment, which is what a run pays when only one
// task is runnable.
#include <memory>

#include "benchmark/benchmark.h"
#include "harness/controlled_engine.h"
#include "harness/sched/random_scheduler.h"
#include "hwmodel/hw/hardware.h"
#include "hwmodel/hw/hw_test_util.h"

namespace probestorm::hwmodel {
namespace {

struct Bench {
  harness::RandomScheduler sched;
  harness::ControlledEngine engine{harness::EngineOptions{}, &sched};
  harness::Engine::Scope scope{engine};
  Board board = testing::TestBoard();
  Hardware hw{board, testing::Version(5)};
  std::unique_ptr<testing::PageTables> pt;
  PhysAddr buf = 0;

  Bench() {
    pt = std::make_unique<testing::PageTables>(hw.memory(), 5);
    buf = hw.memory().AllocPages(4, "dma-buf");  // 64 KiB
    for (uint32_t i = 0; i < 16; ++i) pt->MapSmall(0x1000'0000 + i * 0x1000, buf + i * 0x1000);
    testing::EnableSysmmu(hw, testing::kSysmmu0, pt->lv1());
    testing::EnableSysmmu(hw, testing::kSysmmu1, pt->lv1());
  }
};

void BM_DmaAccessWarmTlb(benchmark::State& state) {
  Bench b;
  DmaEngine* d = b.hw.dma_engine(testing::kDecon);
  uint32_t i = 0;
  for (auto _ : state) {
    const uint32_t off = (i++ & 15) * 0x1000 + 0x40;
    DmaResult r = d->Access(0x1000'0000 + off, false, b.buf + off, "bench");
    benchmark::DoNotOptimize(r.ok);
    if (!r.ok) state.SkipWithError("DMA access did not land");
  }
}
BENCHMARK(BM_DmaAccessWarmTlb);

void BM_TranslateWarmTlbSamePage(benchmark::State& state) {
  Bench b;
  SysmmuBlock* s = b.hw.sysmmu(testing::kSysmmu0);
  for (auto _ : state) {
    TranslateResult r = s->Translate(0x1000'0040, false);
    benchmark::DoNotOptimize(r.phys);
  }
}
BENCHMARK(BM_TranslateWarmTlbSamePage);

void BM_TranslateWalkAfterFlush(benchmark::State& state) {
  Bench b;
  SysmmuBlock* s = b.hw.sysmmu(testing::kSysmmu0);
  const uint32_t flush_all = s->variant().flush_all;
  for (auto _ : state) {
    state.PauseTiming();
    s->writel(flush_all, 1);
    state.ResumeTiming();
    TranslateResult r = s->Translate(0x1000'0040, false);
    benchmark::DoNotOptimize(r.phys);
  }
}
BENCHMARK(BM_TranslateWalkAfterFlush);

void BM_RegisterWrite(benchmark::State& state) {
  Bench b;
  SysmmuBlock* s = b.hw.sysmmu(testing::kSysmmu0);
  const uint32_t flush_entry = s->variant().flush_entry;
  for (auto _ : state) s->writel(flush_entry, 0x1000'0001);
}
BENCHMARK(BM_RegisterWrite);

void BM_RegisterRead(benchmark::State& state) {
  Bench b;
  SysmmuBlock* s = b.hw.sysmmu(testing::kSysmmu0);
  for (auto _ : state) benchmark::DoNotOptimize(s->readl(sysmmu_reg::kMmuStatus));
}
BENCHMARK(BM_RegisterRead);

}  // namespace
}  // namespace probestorm::hwmodel
