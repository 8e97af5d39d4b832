// Controls of invariant sysmmu-fault (hwmodel/invariants/sysmmu_fault.h) as whole boots: the
// hardware's page-table walk faults on lv1 entries that link a NULL zero_lv2_table (v6.1 with
// exynos-iommu modular), silent built in. Here rather than in hwmodel/ because a boot needs the
// kernel model.
#include <string>

#include "driver/iommu/iommu_test_util.h"
#include "gtest/gtest.h"
#include "hwmodel/invariants/sysmmu_fault.h"

namespace probestorm::kernel {
namespace {
using namespace iommu_testing;  // NOLINT: test helpers

// S1: lv1 entries filled with ZERO_LV2LINK of a NULL zero_lv2_table are walked by the hardware.
TEST(InvariantControls, SysmmuFaultFiresOnNullZeroTableWalk) {
  ExpectFires(Tm2e(), P("v6.1-modular"), hwmodel::invariants::kSysmmuFault, 50,
              {"faulted (PTW fault", "was the zero lv2 table NULL?"});
}
TEST(InvariantControls, SysmmuFaultSilentOnV61Builtin) {
  ExpectSilent(Tm2e(), P("v6.1"), Only({hwmodel::invariants::kSysmmuFault}), 1, 50);
}

}  // namespace
}  // namespace probestorm::kernel
