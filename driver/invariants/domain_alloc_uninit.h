// Invariant `domain-alloc-uninit` (drivers/iommu/exynos-iommu.c exynos_iommu_init() and
// exynos_sysmmu_probe(), v6.1; fixed by bbc4d205d93f): exynos_iommu_domain_alloc never runs before
// zero_lv2_table, the lv2 kmem cache, dma_dev and PG_ENT_SHIFT exist. The kernel's own
// BUG_ON(PG_ENT_SHIFT < 0 || !dma_dev) is the oops of the modelled driver; the hook checks the
// globals it does not guard.
//
// Thread-safety: the hook runs on the allocating task; no state.
#ifndef PROBESTORM_DRIVER_INVARIANTS_DOMAIN_ALLOC_UNINIT_H_
#define PROBESTORM_DRIVER_INVARIANTS_DOMAIN_ALLOC_UNINIT_H_

#include <cstdint>

#include "harness/invariant.h"

namespace probestorm::kernel {

class Kernel;

namespace invariants {

extern const harness::InvariantDef kDomainAllocUninit;

// exynos_iommu_domain_alloc read lv2table_kmem_cache (`cache`: set) and zero_lv2_table (`zero`:
// its physical address, 0 while NULL).
void OnExynosDomainAlloc(Kernel& k, bool cache, uint64_t zero);

}  // namespace invariants
}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_INVARIANTS_DOMAIN_ALLOC_UNINIT_H_
