// Tests of the DMA master model (driver/masters/dma_master.cc): a whole boot of a synthetic board
// whose masters each sit behind four SysMMUs binds every master with its IOMMU, and remove undoes
// probe.
#include <string>
#include <vector>

#include "driver/arch/dma_mapping.h"
#include "driver/invariants/dma_ops_on_bound.h"
#include "driver/iommu/iommu_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/invariants/stall.h"
#include "hwmodel/invariants/sysmmu_fault.h"

namespace probestorm::kernel {
namespace {

using iommu_testing::GetBoard;
using iommu_testing::IommuWorld;

struct MasterView {
  bool bound = false;
  const DmaMapOps* ops = nullptr;
  size_t controllers = 0;
  size_t bufs = 0;
  int translated_ok = 0;
  int enabled_sysmmus = 0;
  uint64_t accesses = 0;
};

TEST(DmaMaster, FourSysmmuMastersBindWithTheirIommuOnV61) {
  const hwmodel::Board& b = GetBoard("sysmmus=8,masters=2,per_master=4");
  Knobs knobs;  // v6.1, exynos-iommu built in
  IommuWorld w(b, knobs, 1);
  StartBoot(w.k());
  std::vector<MasterView> views;
  w.Spawn("test", [&] {
    harness::Current().Sleep(30 * harness::kSec);
    Kernel& k = w.k();
    for (int n : b.masters) {
      Device* m = k.DeviceForNode(n);
      MasterView v;
      v.bound = m->bound.Peek();
      v.ops = m->dma_ops.Peek();
      if (auto* owner = static_cast<exynos_iommu_owner*>(dev_iommu_priv_get(m))) {
        v.controllers = owner->controllers.Owners().size();
      }
      IommuDomain* d = iommu_get_domain_for_dev(m);
      if (DmaMasterData* md = masters_state(k).by_node[static_cast<size_t>(n)]) {
        v.bufs = md->bufs.size();
        v.accesses = md->accesses;
        for (const DmaBuffer& buf : md->bufs) {
          // Mapped through the IOMMU (an IOVA, not the physical address). iommu_iova_to_phys is not
          // used: see Exynos.DISABLED_IovaToPhysV5 (model bug).
          if (d != nullptr && buf.ops == &iommu_dma_ops && buf.dma != buf.phys) {
            ++v.translated_ok;
          }
        }
      }
      for (sysmmu_drvdata* data : [&] {
             std::vector<sysmmu_drvdata*> out;
             if (auto* owner = static_cast<exynos_iommu_owner*>(dev_iommu_priv_get(m))) {
               for (void* o : owner->controllers.Owners()) out.push_back(static_cast<sysmmu_drvdata*>(o));
             }
             return out;
           }()) {
        if (d != nullptr && data->domain.Peek() == d) ++v.enabled_sysmmus;
      }
      views.push_back(v);
    }
  });
  auto r = w.Run();
  for (const auto& f : r.findings) ADD_FAILURE() << f.invariant << ": " << f.message;
  ASSERT_EQ(views.size(), 2u);
  for (const MasterView& v : views) {
    EXPECT_TRUE(v.bound);
    EXPECT_EQ(v.ops, &iommu_dma_ops);
    EXPECT_EQ(v.controllers, 4u);
    EXPECT_GT(v.bufs, 0u);
    EXPECT_EQ(v.translated_ok, static_cast<int>(v.bufs));
    EXPECT_EQ(v.enabled_sysmmus, 4);  // every SysMMU carries the master's domain
    EXPECT_GT(v.accesses, 0u);        // traffic ran through them without a sysmmu-fault
  }
}

// Regression: dma_master_remove stops the traffic task and waits for it before unmapping (it used
// to unmap while a job was still issuing DMA: sysmmu-fault, then a stall).
TEST(DmaMaster, RemoveStopsTrafficAndForgetsTheInstance) {
  const hwmodel::Board& b = GetBoard("sysmmus=1,masters=1,per_master=1");
  Knobs knobs;
  IommuWorld w(b, knobs, 1);
  StartBoot(w.k());
  DmaMasterData* md = nullptr;
  bool forgotten = false;
  uint64_t accesses = 0;
  w.Spawn("test", [&] {
    harness::Current().Sleep(20 * harness::kSec);
    Device* m = w.k().DeviceForNode(b.masters[0]);
    md = masters_state(w.k()).by_node[static_cast<size_t>(m->of_node)];
    ASSERT_NE(md, nullptr);
    accesses = md->accesses;
    dma_master_remove(m);
    forgotten = masters_state(w.k()).by_node[static_cast<size_t>(m->of_node)] == nullptr;
  });
  auto r = w.Run();
  for (const auto& f : r.findings) ADD_FAILURE() << f.invariant << ": " << f.message;
  ASSERT_NE(md, nullptr);
  EXPECT_GT(accesses, 0u);  // traffic ran while bound
  EXPECT_TRUE(md->stop.Peek());
  EXPECT_TRUE(forgotten);
}

// The fault IRQ nobody recovers ends in BUG_ON(ret != 0) in hard-IRQ context: a kernel panic
// ("Fatal exception in interrupt"). Nothing runs after it, so the churn stalls that used to follow
// the dead IRQ handler (pm_wq spinning on the data->lock it held) cannot happen: every run with a
// sysmmu-fault ends at that finding, and reports no stall.
TEST(DmaMaster, SysmmuFaultPanicEndsTheRunBeforeAnyStall) {
  using iommu_testing::Boot;
  using iommu_testing::Only;
  const Profile p = iommu_testing::P("v6.1-modular", {"churn=1"});
  int faults = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    ModelRun r =
        Boot(iommu_testing::Tm2e(), p, seed,
             Only({harness::invariants::kStall, hwmodel::invariants::kSysmmuFault}),
             /*keep_trace=*/false, /*stop_on_violation=*/false);
    // The master's DMA job reports the fault it saw; the IRQ handler's panic follows.
    bool fault = false;
    for (const auto& f : r.result.findings) {
      fault = fault || (f.invariant == "sysmmu-fault" &&
                        f.message.find("Kernel panic - not syncing: Oops - BUG: Fatal exception in interrupt") !=
                            std::string::npos);
    }
    if (!fault) continue;
    ++faults;
    EXPECT_EQ(r.result.ending, harness::Ending::kFinding) << "seed " << seed;
    for (const auto& f : r.result.findings) EXPECT_NE(f.invariant, "stall") << "seed " << seed << ": " << f.message;
  }
  EXPECT_GT(faults, 0) << "no sysmmu-fault panic in this seed range";
}

// Regression: an unbind tears the DMA ops down (arch_teardown_dma_ops in device_unbind_cleanup)
// while the device is still on knode_driver, but after its driver's remove() gave up its DMA
// addresses; that is not dma-ops-on-bound. TM2E v6.1 (IOMMU built in) with churn: masters bound
// through iommu_dma_ops are unbound and rebound, and no run may report it (every run did).
TEST(DmaMaster, ChurnUnbindTeardownIsNotDmaOpsOnBound) {
  using iommu_testing::Boot;
  const Profile p = iommu_testing::P("v6.1", {"churn=1"});
  int unbinds = 0;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    ModelRun r = Boot(iommu_testing::Tm2e(), p, seed,
                      iommu_testing::Only({invariants::kDmaOpsOnBound}),
                      /*keep_trace=*/true, /*stop_on_violation=*/false);
    for (const auto& f : r.result.findings) ADD_FAILURE() << "seed " << seed << ": " << f.message;
    for (const auto& e : r.trace) {
      if (e.phase == harness::Phase::kBegin && e.func == "unbind_store") ++unbinds;
    }
  }
  EXPECT_GT(unbinds, 0) << "churn no longer unbinds masters in this seed range";
}

}  // namespace
}  // namespace probestorm::kernel
