// Unit tests of of_dma_configure (driver/of/of_device.cc): its return paths (no forced DMA,
// -EPROBE_DEFER passed up with the DMA ops untouched, swallowed IOMMU errors ending in dma-direct,
// an IOMMU ending in iommu_dma_ops) on a one-master synthetic board with a fake IOMMU driver.
#include "driver/arch/dma_mapping.h"
#include "driver/base/driver_core.h"
#include "driver/iommu/dma_iommu.h"
#include "driver/iommu/iommu_test_util.h"
#include "driver/iommu/of_iommu.h"
#include "driver/of/of_device.h"
#include "gtest/gtest.h"

namespace probestorm::kernel {
namespace {

using iommu_testing::FakeIommu;
using iommu_testing::GetBoard;
using iommu_testing::IommuWorld;

using iommu_testing::OneMaster;

struct Outcome {
  int ret = 12345;
  const DmaMapOps* ops = nullptr;
  bool has_fwspec = false;
};

// Calls of_dma_configure(master, force_dma) from a task. `register_iommu`: the fake IOMMU is
// registered for the master's SysMMU first; `xlate_ret`: what its of_xlate returns. Without an
// instance, the deferred-probe state is "initcalls running", so the xlate defers.
Outcome Configure(bool force_dma, bool register_iommu, int xlate_ret = 0) {
  Knobs knobs;
  const hwmodel::Board& b = OneMaster();
  IommuWorld w(b, knobs, 1, harness::InvariantSet::All(), false);
  FakeIommu fake(w.k());
  fake.xlate_ret = xlate_ret;
  Outcome out;
  w.Spawn("t", [&] {
    core(w.k()).initcalls_done.Set(false);
    Device* s = w.k().AddDevice(b.sysmmus[0]);
    Device* m = w.k().AddDevice(b.masters[0]);
    if (register_iommu) {
      ASSERT_EQ(iommu_device_register(&fake.idev, &fake.ops, s), 0);
    }
    m->dma_ops.Set(&arm_iommu_ops);  // a marker: which paths replace the ops
    out.ret = of_dma_configure(m, force_dma);
    out.ops = m->dma_ops.Get();
    out.has_fwspec = dev_iommu_fwspec_get(m) != nullptr;
  });
  w.Run();
  return out;
}

// Platform devices always force DMA configuration; without it nothing happens (no dma-ranges).
TEST(OfDevice, WithoutForcedDmaDoesNothing) {
  Outcome o = Configure(/*force_dma=*/false, /*register_iommu=*/true);
  EXPECT_EQ(o.ret, 0);
  EXPECT_EQ(o.ops, &arm_iommu_ops);
  EXPECT_FALSE(o.has_fwspec);
}

TEST(OfDevice, DeferralIsReturnedWithTheOpsUntouched) {
  Outcome o = Configure(true, /*register_iommu=*/false);
  EXPECT_EQ(o.ret, -EPROBE_DEFER);
  EXPECT_EQ(o.ops, &arm_iommu_ops);
}

// An of_xlate error is swallowed by of_iommu_configure: of_dma_configure succeeds and arm64's
// arch_setup_dma_ops, given no IOMMU, leaves the ops as they were.
TEST(OfDevice, SwallowedXlateErrorSucceedsWithoutIommu) {
  Outcome o = Configure(true, true, /*xlate_ret=*/-EINVAL);
  EXPECT_EQ(o.ret, 0);
  EXPECT_EQ(o.ops, &arm_iommu_ops);
}

TEST(OfDevice, WithIommuSetsIommuDmaOps) {
  Outcome o = Configure(true, true);
  EXPECT_EQ(o.ret, 0);
  EXPECT_EQ(o.ops, &iommu_dma_ops);
  EXPECT_TRUE(o.has_fwspec);
}

}  // namespace
}  // namespace probestorm::kernel
