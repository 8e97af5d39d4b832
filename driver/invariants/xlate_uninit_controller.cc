#include "driver/invariants/xlate_uninit_controller.h"

namespace probestorm::kernel::invariants {

const harness::InvariantDef kXlateUninitController{
    .name = "xlate-uninit-controller",
    .what = "of_xlate / probe_device / attach only see a SysMMU whose probe finished",
    .explanation =
        "A master's of_iommu_configure() reached exynos_iommu_of_xlate() or probe_device() on a SysMMU "
        "whose exynos_sysmmu_probe() had not finished (S2). In v6.1 the SysMMU calls "
        "iommu_device_register() before platform_set_drvdata(), so a master probing in parallel (the "
        "deferred-probe worker, an async probe, or the modprobe thread) finds the IOMMU ops, sees "
        "drvdata == NULL, gets -ENODEV, and of_iommu_configure() swallows it: the master binds without "
        "its IOMMU. bbc4d205d93f (register last) closes most of the window; mandatory `iommus` links "
        "close it fully.",
    .severity = harness::Severity::kViolation,
    .detector = false,
};

}  // namespace probestorm::kernel::invariants
