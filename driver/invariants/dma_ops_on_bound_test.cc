// Controls of invariant dma-ops-on-bound (driver/invariants/dma_ops_on_bound.h): as whole boots
// (fires on v6.1 with exynos-iommu modular on arm64, silent built in and on the arm32 ODROID-U3,
// which has no IOMMU_DMA) and as a unit control of the driver's DMA window.
#include <string>

#include "driver/invariants/dma_ops_on_bound.h"
#include "driver/iommu/iommu_test_util.h"
#include "gtest/gtest.h"
#include "hwmodel/invariants/sysmmu_fault.h"

namespace probestorm::kernel {
namespace {
using namespace iommu_testing;  // NOLINT: test helpers

// Unit controls: a change is reported only inside the driver's DMA window.
TEST(InvariantControls, DmaChangeReportedOnlyWhileDriverActive) {
  auto r = WithTwoMasters([](Device* m1, Device*) {
    invariants::OnDmaSetupChange(m1, "quiet change");
    invariants::OnDriverDmaBegin(m1);
    EXPECT_TRUE(invariants::DriverDmaActive(m1));
    invariants::OnDmaSetupChange(m1, "loud change");
    invariants::OnDriverDmaEnd(m1);
    invariants::OnDmaSetupChange(m1, "quiet again");
  });
  ASSERT_EQ(Count(r, invariants::kDmaOpsOnBound), 1);
  EXPECT_NE(r.findings[0].message.find("loud change changed the DMA setup of bound master"), std::string::npos)
      << r.findings[0].message;
}

TEST(InvariantControls, DmaOpsOnBoundFiresOnV61Modular) {
  ExpectFires(Tm2e(), P("v6.1-modular"), invariants::kDmaOpsOnBound, 50,
              {"by bus_iommu_probe changed the DMA setup of bound master"});
}
TEST(InvariantControls, DmaOpsOnBoundSilentOnV61Builtin) {
  ExpectSilent(Tm2e(), P("v6.1"), Only({invariants::kDmaOpsOnBound}), 1, 50);
}

// The seed report's "ARM 32bit based board works fine": the ODROID-U3 is arm32 from its DTB. v6.1
// has no IOMMU_DMA there, so no group gets a DMA default domain and no bus_iommu_probe attaches
// anything under a bound master (no dma-ops-on-bound, no fault), while the SysMMU-probe races that
// do not need a default domain remain (a master binding without its SysMMU: iommu-bypass).
TEST(InvariantControls, Arm32OdroidU3HasNoDmaChangeUnderBoundMasters) {
  ExpectSilent(OdroidU3(), P("v6.1-modular"), Only({invariants::kDmaOpsOnBound, hwmodel::invariants::kSysmmuFault}), 1, 40);
}
// Control: the same board as arm64 gets DMA default domains attached under bound masters again.
TEST(InvariantControls, OdroidU3AsArm64ChangesDmaUnderBoundMasters) {
  ExpectFires(OdroidU3(), P("v6.1-modular", {"arch=arm64"}), invariants::kDmaOpsOnBound, 40,
              {"by bus_iommu_probe changed the DMA setup of bound master"});
}

}  // namespace
}  // namespace probestorm::kernel
