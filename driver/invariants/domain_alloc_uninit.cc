#include "driver/invariants/domain_alloc_uninit.h"

#include "absl/strings/str_cat.h"
#include "driver/iommu/exynos_iommu.h"
#include "harness/engine.h"

namespace probestorm::kernel::invariants {

const harness::InvariantDef kDomainAllocUninit{
    .name = "domain-alloc-uninit",
    .what =
        "domain_alloc never runs before zero_lv2_table, the lv2 cache, dma_dev and PG_ENT_SHIFT exist",
    .explanation =
        "exynos_iommu_domain_alloc() ran before the driver's globals existed (S1): zero_lv2_table, the "
        "lv2 kmem cache, dma_dev or PG_ENT_SHIFT. In v6.1 exynos_iommu_init() registers the platform "
        "driver before allocating zero_lv2_table, and the first SysMMU registers before setting "
        "PG_ENT_SHIFT and dma_dev, so a domain allocated from bus_iommu_probe() fills lv1 with links "
        "to physical address 0 or hits BUG_ON(PG_ENT_SHIFT < 0 || !dma_dev). Fixed by bbc4d205d93f.",
    .severity = harness::Severity::kViolation,
    .detector = false,
};

void OnExynosDomainAlloc(Kernel& k, bool cache, uint64_t zero) {
  if (cache && zero != 0) return;
  harness::Report(kDomainAllocUninit,
                  absl::StrCat("exynos_iommu_domain_alloc by ", harness::SelfName(),
                               " before exynos_iommu_init finished: ",
                               !cache ? "lv2table_kmem_cache is NULL" : "zero_lv2_table is NULL",
                               ": lv1 filled with ZERO_LV2LINK = 0x",
                               absl::Hex(exynos_zero_lv2link(k)), " (phys of NULL)"),
                  {}, "S1: exynos_iommu_init registers the driver before zero_lv2_table exists; "
                  "fixed by bbc4d205d93f");
}

}  // namespace probestorm::kernel::invariants
