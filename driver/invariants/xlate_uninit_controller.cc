#include "driver/invariants/xlate_uninit_controller.h"

#include "absl/strings/str_cat.h"
#include "driver/iommu/exynos_iommu.h"
#include "driver/kernel.h"
#include "harness/engine.h"

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

namespace {

const char* MissingAt(SysmmuProbeStep s) {
  if (s < SysmmuProbeStep::kP6Drvdata) return "drvdata not set";
  if (s < SysmmuProbeStep::kP7PgEntShift) return "PG_ENT_SHIFT not set";
  if (s < SysmmuProbeStep::kP9DmaDev) return "dma_dev not set";
  if (s < SysmmuProbeStep::kP10PmRuntime) return "runtime PM not enabled";
  if (s == SysmmuProbeStep::kFailed) return "its probe failed";
  return "";
}

}  // namespace

void OnControllerUse(Kernel& k, const char* func, Device* master, int node) {
  const SysmmuProbeStep s = exynos_state(k).nodes[static_cast<size_t>(node)].step;
  if (s >= SysmmuProbeStep::kP10PmRuntime && s != SysmmuProbeStep::kFailed) return;
  Device* sysmmu = k.DeviceForNode(node);
  const std::string name = sysmmu ? sysmmu->name : k.board.node(node).device_name;
  harness::Report(kXlateUninitController,
                  absl::StrCat(func, "(", master->name, ") saw ", name, " at step ",
                               SysmmuProbeStepName(s), " (", MissingAt(s), ")"),
                  {master->name, name},
                  "the SysMMU is visible through iommu_device_register() before its probe "
                  "finished (v6.1 exynos_sysmmu_probe registers before platform_set_drvdata; S2)");
}

}  // namespace probestorm::kernel::invariants
