// Controls of invariant late-iommu-probe (driver/invariants/late_iommu_probe.h) as whole boots:
// the v6.15 dev_WARN on masters when exynos-iommu is modular, silent when it is built in.
#include <set>
#include <string>

#include "driver/invariants/late_iommu_probe.h"
#include "driver/iommu/iommu_test_util.h"
#include "gtest/gtest.h"

namespace probestorm::kernel {
namespace {
using namespace iommu_testing;  // NOLINT: test helpers

// S9 on v6.15: a SysMMU's bus_iommu_probe reaches a master that is inside really_probe (or bound)
// and whose fwspec its own of_iommu_configure built: probe_device accepts it with dev->driver set,
// the kernel's dev_WARN. Only masters warn: every other bound device on the bus walk is rejected
// by probe_device (no fwspec) before the warning, as 73d2f10957f5 placed it.
TEST(InvariantControls, LateIommuProbeWarnsOnV615Modular) {
  ExpectFires(Tm2e(), P("v6.15-modular"), invariants::kLateIommuProbe, 100,
              {": late IOMMU probe at driver bind, something fishy here!", "is its driver"},
              harness::Severity::kWarning);
  const hwmodel::Board& b = Tm2e();
  std::set<std::string> masters;
  for (int m : b.masters) masters.insert(b.node(m).device_name);
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    ModelRun r = Boot(b, P("v6.15-modular"), seed, Only({invariants::kLateIommuProbe}));
    for (const auto& f : r.result.findings) {
      ASSERT_EQ(f.devices.size(), 1u);
      EXPECT_TRUE(masters.count(f.devices[0])) << "seed " << seed << ": " << f.message;
    }
  }
}
// With the IOMMU built in, every SysMMU registers at core_initcall, before any master probes.
TEST(InvariantControls, LateIommuProbeSilentWithBuiltinIommuOn615) {
  ExpectSilent(Tm2e(), P("v6.1", {"iommu_core=6.15"}), Only({invariants::kLateIommuProbe}), 1, 50);
}

}  // namespace
}  // namespace probestorm::kernel
