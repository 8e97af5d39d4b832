// Controls of invariant xlate-uninit-controller (driver/invariants/xlate_uninit_controller.h) as
// whole boots: fires on v6.1 with exynos-iommu modular, silent with bbc4d205d93f; a replayed
// finding's trace shows the interleaving (registration, the master's of_xlate, drvdata).
#include <string>

#include "driver/invariants/xlate_uninit_controller.h"
#include "driver/iommu/iommu_test_util.h"
#include "gtest/gtest.h"

namespace probestorm::kernel {
namespace {
using namespace iommu_testing;  // NOLINT: test helpers

TEST(InvariantControls, XlateUninitControllerFiresOnV61Modular) {
  ExpectFires(Tm2e(), P("v6.1-modular"), invariants::kXlateUninitController, 50,
              {"exynos_iommu_of_xlate(", ".sysmmu at step iommu_device_register (drvdata not set)"});
}
TEST(InvariantControls, XlateUninitControllerSilentWithInitfix) {
  ExpectSilent(Tm2e(), P("v6.1-modular+initfix"), Only({invariants::kXlateUninitController}), 1, 50);
}

// A replayed finding with its interleaving in kernel terms.
TEST(InvariantControls, ReplayedXlateUninitTraceShowsInterleaving) {
  harness::Finding f;
  const Profile p = P("v6.1-modular");
  const uint64_t seed = FirstSeed(Tm2e(), p, invariants::kXlateUninitController, 1, 50, &f);
  ASSERT_NE(seed, 0u);
  ModelRun a = Boot(Tm2e(), p, seed, Only({invariants::kXlateUninitController}), true, false);
  ModelRun b = Boot(Tm2e(), p, seed, Only({invariants::kXlateUninitController}), true, false);
  ASSERT_NE(Find(a, invariants::kXlateUninitController), nullptr);
  EXPECT_EQ(Find(a, invariants::kXlateUninitController)->message, f.message);
  EXPECT_EQ(a.result.trace_hash, b.result.trace_hash);
  EXPECT_EQ(a.trace.size(), b.trace.size());
  // The run goes on past the finding (stop_on_violation=false) so the SysMMU's later steps show.
  // "exynos_iommu_of_xlate(MASTER) saw SYSMMU at step ...".
  const std::string& m = f.message;
  const size_t open = m.find('('), close = m.find(')'), saw = m.find(" saw "), at = m.find(" at step ");
  ASSERT_TRUE(open != std::string::npos && close != std::string::npos && saw != std::string::npos &&
              at != std::string::npos);
  const std::string master = m.substr(open + 1, close - open - 1);
  const std::string sysmmu = m.substr(saw + 5, at - saw - 5);
  int reg = -1, xlate = -1, drvdata = -1;
  for (size_t i = 0; i < a.trace.size(); ++i) {
    const auto& e = a.trace[i];
    if (reg < 0 && e.device == sysmmu && e.func == "iommu_device_register" &&
        e.detail == "added to iommu_device_list") {
      reg = static_cast<int>(i);
    } else if (reg >= 0 && xlate < 0 && e.device == master && e.func == "exynos_iommu_of_xlate") {
      xlate = static_cast<int>(i);
    } else if (xlate >= 0 && drvdata < 0 && e.device == sysmmu && e.func == "exynos_sysmmu_probe" &&
               e.detail == "platform_set_drvdata") {
      drvdata = static_cast<int>(i);
    }
  }
  EXPECT_GE(reg, 0) << sysmmu << " iommu_device_register";
  EXPECT_GT(xlate, reg) << master << " exynos_iommu_of_xlate after the registration";
  EXPECT_GT(drvdata, xlate) << sysmmu << " platform_set_drvdata after the master's of_xlate";
}

}  // namespace
}  // namespace probestorm::kernel
