#include "hwmodel/hw/dma_engine.h"

#include "absl/strings/str_format.h"
#include <atomic>
#include <string>

#include "gmock/gmock.h"
#include "harness/free_engine.h"
#include "gtest/gtest.h"
#include "hwmodel/hw/hw_test_util.h"

namespace probestorm::hwmodel {
namespace {

using ::testing::HasSubstr;
using testing::EnableSysmmu;
using testing::kDecon;
using testing::kGsc;
using testing::kSysmmu0;
using testing::kSysmmu1;
using testing::kSysmmu2;
using testing::PageTables;
using testing::RunHw;
using testing::Version;

TEST(DmaEngine, CorrectMappingIsSilent) {
  DmaResult res;
  SysmmuBlock* first = nullptr;
  auto run = RunHw(Version(5), [&](Hardware& hw) {
    first = hw.sysmmu(kSysmmu0);
    PhysMemory& m = hw.memory();
    PageTables pt(m, 5);
    const PhysAddr buf = m.AllocPages(0, "dma-buf");
    pt.MapSmall(0x1000'0000, buf);
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    res = hw.dma_engine(kDecon)->Access(0x1000'0010, true, buf + 0x10, "framebuffer scanout");
  });
  EXPECT_TRUE(run.result.findings.empty());
  EXPECT_TRUE(res.ok);
  EXPECT_EQ(res.sysmmu, first);
  EXPECT_EQ(res.sysmmu_index, 0);
}

TEST(DmaEngine, WrongPageIsASysmmuFaultFinding) {
  PhysAddr p1 = 0, p2 = 0;
  auto run = RunHw(Version(5), [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, 5);
    p1 = m.AllocPages(0, "buf1");
    p2 = m.AllocPages(0, "buf2");
    pt.MapSmall(0x1000'0000, p1);
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    hw.dma_engine(kDecon)->Access(0x1000'0000, true, p2, "scanout");
  });
  const auto f = run.Of("sysmmu-fault");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].message, HasSubstr("13800000.decon: DMA write to 0x10000000 through 13a00000.sysmmu"));
  EXPECT_THAT(f[0].message, HasSubstr(absl::StrFormat("landed on phys page 0x%x", p1)));
  EXPECT_THAT(f[0].message, HasSubstr(absl::StrFormat("expected phys 0x%x", p2)));
  EXPECT_THAT(f[0].devices, ::testing::ElementsAre("13800000.decon", "13a00000.sysmmu"));
  EXPECT_THAT(f[0].detail, HasSubstr("why: scanout"));
}

TEST(DmaEngine, FaultThroughZeroLinkNamesTheCause) {
  auto run = RunHw(Version(5), [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, 5);
    const PhysAddr zero = m.AllocPages(0, "pgtable:zero_lv2_table");
    pt.SetLv1(0x1000'0000, pt.Enc(zero) | 1);
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    hw.dma_engine(kDecon)->Access(0x1000'0000, true, 0x2040'0000, "scanout");
  });
  const auto f = run.Of("sysmmu-fault");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].message,
              HasSubstr("13800000.decon: DMA write to 0x10000000 through 13a00000.sysmmu faulted "
                        "(PAGE fault, "));
  EXPECT_THAT(f[0].message, HasSubstr("lv1 entry is zero lv2 link); expected phys 0x20400000"));
}

TEST(DmaEngine, DisabledSysmmuBypassesToTheWrongPage) {
  auto run = RunHw(Version(5), [&](Hardware& hw) {
    const PhysAddr buf = hw.memory().AllocPages(0, "dma-buf");
    hw.dma_engine(kGsc)->Access(0x1000'0000, false, buf, "capture");
  });
  const auto f = run.Of("sysmmu-fault");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].message, HasSubstr("13c00000.gsc: DMA read to 0x10000000 through 13c80000.sysmmu bypassed"));
}

TEST(DmaEngine, StalledTransactionReportsNothing) {
  DmaResult res;
  auto run = RunHw(Version(5), [&](Hardware& hw) {
    PageTables pt(hw.memory(), 5);
    EnableSysmmu(hw, kSysmmu2, pt.lv1());
    hw.sysmmu(kSysmmu2)->writel(sysmmu_reg::kMmuCtrl, sysmmu_reg::kCtrlBlock);
    res = hw.dma_engine(kGsc)->Access(0x1000'0000, false, 0x1000'0000, "capture");
  });
  EXPECT_TRUE(run.result.findings.empty());
  EXPECT_TRUE(res.stalled);
  EXPECT_FALSE(res.ok);
}

TEST(DmaEngine, TwoSysmmuMasterSplitsTrafficByMiB) {
  uint64_t miss0 = 0, miss1 = 0;
  auto run = RunHw(Version(5), [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, 5);  // one domain shared by both controllers, like attach_dev
    const PhysAddr sect = m.AllocPages(9, "dma-buf 2 MiB");
    pt.MapSection(0x1000'0000, sect);
    pt.MapSection(0x1010'0000, sect + (1 << 20));
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    EnableSysmmu(hw, kSysmmu1, pt.lv1());
    DmaEngine* d = hw.dma_engine(kDecon);
    ASSERT_EQ(d->sysmmus().size(), 2u);
    EXPECT_EQ(d->SysmmuIndexFor(0x1000'0000), 0);
    EXPECT_EQ(d->SysmmuIndexFor(0x1010'0000), 1);
    const DmaResult a = d->Access(0x1000'1000, false, sect + 0x1000, "even MiB");
    const DmaResult b = d->Access(0x1010'2000, false, sect + (1 << 20) + 0x2000, "odd MiB");
    EXPECT_TRUE(a.ok);
    EXPECT_TRUE(b.ok);
    EXPECT_EQ(a.sysmmu, hw.sysmmu(kSysmmu0));
    EXPECT_EQ(b.sysmmu, hw.sysmmu(kSysmmu1));
    miss0 = hw.sysmmu(kSysmmu0)->tlb_misses();
    miss1 = hw.sysmmu(kSysmmu1)->tlb_misses();
  });
  EXPECT_TRUE(run.result.findings.empty());
  EXPECT_EQ(miss0, 1u);
  EXPECT_EQ(miss1, 1u);
}

TEST(DmaEngine, SecondSysmmuDisabledIsCaught) {
  // Only the first controller of a 2-SysMMU master enabled: the odd MiBs bypass.
  auto run = RunHw(Version(5), [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, 5);
    const PhysAddr sect = m.AllocPages(9, "dma-buf 2 MiB");
    pt.MapSection(0x1000'0000, sect);
    pt.MapSection(0x1010'0000, sect + (1 << 20));
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    DmaEngine* d = hw.dma_engine(kDecon);
    d->Access(0x1000'0000, false, sect, "even MiB");
    d->Access(0x1010'0000, false, sect + (1 << 20), "odd MiB");
  });
  const auto f = run.Of("sysmmu-fault");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].message, HasSubstr("through 13a10000.sysmmu bypassed"));
}

TEST(DmaEngine, WorksUnderTheFreeEngine) {
  // Real threads: two DMA streams through both SysMMUs of the DECON, a "driver" flushing TLBs, a
  // faulting stream whose faults the IRQ handler clears. The mappings never change, so every
  // transaction either lands on its page or is stalled behind a pending fault: no finding.
  static const Board board = testing::TestBoard();
  harness::EngineOptions o;
  o.stop_on_violation = false;
  // Virtual time runs 1000x real time here: the default 600 s cap is 0.6 s of wall time, which a
  // TSan build on a loaded host overran (the run ended at max-virtual-time before its 4 000
  // transactions). Nothing here waits on virtual time, so a day is no limit.
  o.max_virtual_time = 24 * 3600 * harness::kSec;
  harness::FreeEngine e(o, harness::Perturb::kLight, 1000);
  harness::Engine::Scope scope(e);
  Hardware hw(board, Version(5));
  PhysMemory& m = hw.memory();
  PageTables pt(m, 5);
  const PhysAddr buf = m.AllocPages(9, "dma-buf 2 MiB");
  pt.MapSection(0x1000'0000, buf);
  pt.MapSection(0x1010'0000, buf + (1 << 20));
  std::atomic<int> landed{0}, stalled{0}, irqs{0};
  e.Spawn("setup", [&] {
    for (int sm : {kSysmmu0, kSysmmu1}) {
      EnableSysmmu(hw, sm, pt.lv1());
      SysmmuBlock* b = hw.sysmmu(sm);
      b->SetIrqHandler([b, &irqs] {
        irqs.fetch_add(1);
        b->writel(b->variant().int_clear, b->readl(b->variant().int_status));
      });
    }
    for (int t = 0; t < 2; ++t) {
      harness::Spawn("dma" + std::to_string(t), [&, t] {
        DmaEngine* d = hw.dma_engine(kDecon);
        for (uint32_t i = 0; i < 2000; ++i) {
          const uint32_t off = ((i * 7919u + static_cast<uint32_t>(t)) % 512u) * 0x1000u;
          const DmaResult r = d->Access(0x1000'0000 + off, t == 0, buf + off, "stream");
          (r.ok ? landed : stalled).fetch_add(1);
        }
      });
    }
    harness::Spawn("flusher", [&] {
      for (int i = 0; i < 500; ++i) {
        for (int sm : {kSysmmu0, kSysmmu1}) {
          SysmmuBlock* b = hw.sysmmu(sm);
          b->writel(b->variant().flush_all, 1);
        }
      }
    });
    harness::Spawn("faulter", [&] {
      for (int i = 0; i < 50; ++i) hw.sysmmu(kSysmmu0)->Translate(0x2000'0000, false);
    });
  });
  const harness::RunResult r = e.Run();
  for (const auto& f : r.findings) ADD_FAILURE() << f.invariant << ": " << f.message;
  EXPECT_EQ(landed.load() + stalled.load(), 4000);
  EXPECT_GT(landed.load(), 0);
  EXPECT_GT(irqs.load(), 0);
  EXPECT_EQ(r.ending, harness::Ending::kQuiescent);
}

}  // namespace
}  // namespace probestorm::hwmodel
