#include "driver/invariants/late_iommu_probe.h"

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

}  // namespace probestorm::kernel::invariants
