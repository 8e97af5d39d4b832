// Controls of invariant domain-alloc-uninit (driver/invariants/domain_alloc_uninit.h) as whole
// boots: fires on v6.1 with exynos-iommu modular, silent with both parts of bbc4d205d93f.
#include <string>

#include "driver/invariants/domain_alloc_uninit.h"
#include "driver/iommu/iommu_test_util.h"
#include "gtest/gtest.h"

namespace probestorm::kernel {
namespace {
using namespace iommu_testing;  // NOLINT: test helpers

TEST(InvariantControls, DomainAllocUninitFiresOnV61Modular) {
  ExpectFires(Tm2e(), P("v6.1-modular"), invariants::kDomainAllocUninit, 50,
              {"exynos_iommu_domain_alloc by modprobe/exynos-iommu before exynos_iommu_init finished",
               "zero_lv2_table is NULL"});
}
TEST(InvariantControls, DomainAllocUninitSilentWithFixedInitAndRegisterLast) {
  ExpectSilent(Tm2e(), P("v6.1-modular", {"exynos_init_order=fixed", "exynos_register_last=true"}),
               Only({invariants::kDomainAllocUninit}), 1, 50);
}

}  // namespace
}  // namespace probestorm::kernel
