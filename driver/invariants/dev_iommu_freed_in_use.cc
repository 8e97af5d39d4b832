#include "driver/invariants/dev_iommu_freed_in_use.h"

namespace probestorm::kernel::invariants {

const harness::InvariantDef kDevIommuFreedInUse{
    .name = "dev-iommu-freed-in-use",
    .what = "dev->iommu (fwspec, priv) is not freed or replaced while another task uses it",
    .explanation =
        "dev->iommu was freed under a task that was still using it, and that task's next dereference "
        "faulted (S3); the oops names the function (pc) and the offset of the field it touched. A "
        "master's really_probe() runs of_iommu_configure() -> of_iommu_xlate(): iommu_fwspec_init() "
        "allocates dev->iommu, then exynos_iommu_of_xlate() allocates the owner with "
        "kzalloc(GFP_KERNEL), which may sleep, before dev_iommu_priv_set() stores it. In that gap any "
        "SysMMU's registration runs bus_iommu_probe() -> __iommu_probe_device() on the same master: "
        "exynos_iommu_probe_device() finds no owner yet (-ENODEV) and the error path calls "
        "dev_iommu_free(), setting dev->iommu to NULL. The store then faults at the offset of priv "
        "inside exynos_iommu_of_xlate: the seed report's oops. No second SysMMU is needed: a master "
        "with a single SysMMU has the same gap. The same free can hit iommu_fwspec_init() or "
        "iommu_fwspec_free() (the fwspec store) or the final fwspec->ops read in of_iommu_configure(). "
        "a2e7e59a9426 (v6.7) runs the whole translation under iommu_probe_device_lock.",
    .severity = harness::Severity::kViolation,
    .detector = false,
};

}  // namespace probestorm::kernel::invariants
