#include "driver/invariants/late_iommu_probe.h"

#include "absl/strings/str_cat.h"
#include "driver/base/device.h"
#include "harness/engine.h"

namespace probestorm::kernel::invariants {

const harness::InvariantDef kLateIommuProbe{
    .name = "late-iommu-probe",
    .what =
        "(warning) no IOMMU probe succeeds for a device whose driver is already bound or binding "
        "(v6.15+ dev_WARN \"late IOMMU probe at driver bind\")",
    .explanation = "",
    .severity = harness::Severity::kWarning,
    .detector = false,
};

void OnLateIommuProbe(Device* dev, const DeviceDriver* drv) {
  harness::Report(kLateIommuProbe,
                  absl::StrCat(dev->name, ": late IOMMU probe at driver bind, something fishy "
                               "here! (__iommu_probe_device accepted it while ", drv->name,
                               " is its driver: of_iommu_configure ran before this IOMMU was "
                               "ready, the master may already be bound without it, S9)"),
                  {dev->name});
}

}  // namespace probestorm::kernel::invariants
