// Controls of invariant iommu-bypass (driver/invariants/iommu_bypass.h): as whole boots (a
// warning when exynos-iommu loads after the deferred-probe timeout, a violation for an error
// of_iommu_configure swallowed, silent built in) and as a unit control of the two severities.
#include <string>

#include "driver/invariants/iommu_bypass.h"
#include "driver/iommu/iommu_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace probestorm::kernel {
namespace {
using namespace iommu_testing;  // NOLINT: test helpers
using ::testing::HasSubstr;

// Unit controls: a warning after an explicit decision, a violation for a swallowed error, nothing
// once the next of_iommu_configure has cleared the reason.
TEST(InvariantControls, CheckBypassSeverities) {
  auto r = WithTwoMasters([](Device* m1, Device* m2) {
    const int sysmmu = m1->kernel->board.sysmmus[0];
    invariants::OnIommuConfigureFailed(m1, -ETIMEDOUT, true, sysmmu, false);
    invariants::OnMasterBind(m1);
    invariants::OnIommuConfigureFailed(m2, -ENODEV, false, sysmmu, false);
    invariants::OnMasterBind(m2);
    invariants::OnIommuConfigure(m1);
    invariants::OnMasterBind(m1);
  });
  ASSERT_EQ(Count(r, invariants::kIommuBypass), 2);
  EXPECT_EQ(r.findings[0].severity, harness::Severity::kWarning);
  EXPECT_THAT(r.findings[0].message, HasSubstr("binds without IOMMU after an explicit decision: "
                                               "driver_deferred_probe_check_state returned -ETIMEDOUT waiting for "));
  EXPECT_EQ(r.findings[1].severity, harness::Severity::kViolation);
  EXPECT_THAT(r.findings[1].message, HasSubstr("binds without IOMMU: of_iommu_configure swallowed -ENODEV from of_iommu_xlate("));
}
TEST(InvariantControls, Arm32OdroidU3StillBypassesTheIommu) {
  ExpectFires(OdroidU3(), P("v6.1-modular"), invariants::kIommuBypass, 40, {"binds without IOMMU: ", "swallowed"});
}
TEST(InvariantControls, IommuBypassWarnsWhenModuleLoadsAfterTimeout) {
  ExpectFires(Tm2e(), P("v6.1-modular+initfix", {"exynos_load_time=fixed:30s"}), invariants::kIommuBypass, 10,
              {"binds without IOMMU after an explicit decision",
               "driver_deferred_probe_check_state returned -ETIMEDOUT"},
              harness::Severity::kWarning);
}
TEST(InvariantControls, IommuBypassViolationForSwallowedError) {
  harness::Finding f;
  bool found = false;
  for (uint64_t seed = 1; seed <= 50 && !found; ++seed) {
    ModelRun r = Boot(Tm2e(), P("v6.1-modular+initfix"), seed, Only({invariants::kIommuBypass}));
    for (const auto& g : r.result.findings) {
      if (g.invariant == Name(invariants::kIommuBypass) && g.severity == harness::Severity::kViolation) {
        f = g;
        found = true;
        break;
      }
    }
  }
  ASSERT_TRUE(found);
  EXPECT_NE(f.message.find("binds without IOMMU: of_iommu_configure swallowed -EINVAL from of_iommu_xlate("),
            std::string::npos) << f.message;
}
TEST(InvariantControls, IommuBypassSilentOnV61Builtin) {
  ExpectSilent(Tm2e(), P("v6.1"), Only({invariants::kIommuBypass}), 1, 50);
}

}  // namespace
}  // namespace probestorm::kernel
