#include "driver/invariants/domain_alloc_uninit.h"

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

}  // namespace probestorm::kernel::invariants
