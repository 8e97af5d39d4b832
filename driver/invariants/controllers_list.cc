#include "driver/invariants/controllers_list.h"

#include "absl/strings/str_cat.h"
#include "driver/iommu/exynos_iommu.h"
#include "harness/engine.h"

namespace probestorm::kernel::invariants {

const harness::InvariantDef kControllersList{
    .name = "controllers-list",
    .what =
        "owner->controllers: no duplicate, intact links, no freed entry, data->master consistent",
    .explanation =
        "A master's owner->controllers list broke: a duplicate entry, broken links, a freed SysMMU still "
        "listed, or data->master inconsistent (S5). Two concurrent exynos_iommu_of_xlate() calls for the "
        "same multi-SysMMU master (possible 6.1-6.6), or a SysMMU probe failing after drvdata was set "
        "while devres frees data still linked. a2e7e59a9426 (v6.7) serialises the concurrent part.",
    .severity = harness::Severity::kViolation,
    .detector = false,
};

void OnOfXlateAddController(Device* dev, const sysmmu_drvdata* data) {
  Device* other = data->master.Peek();
  if (other == nullptr || other == dev) return;
  harness::Report(kControllersList,
                  absl::StrCat("exynos_iommu_of_xlate(", dev->name, "): ", data->sysmmu->name,
                               " is already a controller of ", other->name),
                  {dev->name, data->sysmmu->name, other->name});
}

void OnProbeDeviceController(Device* dev, const sysmmu_drvdata* data) {
  Device* master = data->master.Peek();
  if (master == dev) return;
  harness::Report(kControllersList,
                  absl::StrCat("exynos_iommu_probe_device(", dev->name, "): ", data->sysmmu->name,
                               "->master is ", master ? master->name : "NULL"),
                  {dev->name, data->sysmmu->name});
}

}  // namespace probestorm::kernel::invariants
