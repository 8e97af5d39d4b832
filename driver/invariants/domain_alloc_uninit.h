// Invariant `domain-alloc-uninit` (drivers/iommu/exynos-iommu.c exynos_iommu_init() and
// exynos_sysmmu_probe(), v6.1; fixed by bbc4d205d93f): exynos_iommu_domain_alloc never runs before
// zero_lv2_table, the lv2 kmem cache, dma_dev and PG_ENT_SHIFT exist. The kernel's own
// BUG_ON(PG_ENT_SHIFT < 0 || !dma_dev) is the oops of the modelled driver; the hooks check the
// globals it does not guard: zero_lv2_table and the lv2 cache at domain_alloc, LV1_PROT and LV2_PROT
// at map (the first SysMMU probe stores them after PG_ENT_SHIFT, so a map in between reads NULL).
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

// exynos_iommu_map read `table` ("LV1_PROT" or "LV2_PROT") as NULL and indexes it with `prot`: the
// NULL dereference at prot * 4 with pc exynos_iommu_map (lv1set_section and lv2set_page inline).
[[noreturn]] void ExynosProtTableNull(Kernel& k, const char* table, int prot);

}  // namespace invariants
}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_INVARIANTS_DOMAIN_ALLOC_UNINIT_H_
