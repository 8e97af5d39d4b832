#include "driver/invariants/domain_alloc_uninit.h"

#include "absl/strings/str_cat.h"
#include "driver/arch/fault.h"
#include "driver/iommu/exynos_iommu.h"
#include "driver/kernel.h"
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
        "to physical address 0 or hits BUG_ON(PG_ENT_SHIFT < 0 || !dma_dev). The first probe also "
        "stores LV1_PROT and LV2_PROT only after PG_ENT_SHIFT: a mapping in between indexes a NULL "
        "table in exynos_iommu_map. Fixed by bbc4d205d93f.",
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

void ExynosProtTableNull(Kernel& k, const char* table, int prot) {
  const std::string name = absl::StrCat(table, "[prot]");
  const uint32_t offset = static_cast<uint32_t>(prot) * 4;  // const unsigned int *
  const KernelField field{name.c_str(), offset, offset};
  NullDerefOops(k.knobs.arch, Context::kTask, kDomainAllocUninit, "exynos_iommu_map", field, false,
                absl::StrCat("exynos_iommu_map by ", harness::SelfName(), ": ", table,
                             " is NULL (PG_ENT_SHIFT=", exynos_state(k).PG_ENT_SHIFT.Get(), ")"),
                {},
                absl::StrCat("the first SysMMU probe stores PG_ENT_SHIFT, then LV1_PROT and LV2_PROT; a "
                             "probe that saw PG_ENT_SHIFT >= 0 skipped them and a mapping ran before the "
                             "first probe stored ", table));
}

}  // namespace probestorm::kernel::invariants
