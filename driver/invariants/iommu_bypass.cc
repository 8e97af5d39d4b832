#include "driver/invariants/iommu_bypass.h"

namespace probestorm::kernel::invariants {

const harness::InvariantDef kIommuBypass{
    .name = "iommu-bypass",
    .what = "a master with iommus binds without IOMMU only after an explicit timeout decision",
    .explanation =
        "A master with an `iommus` property bound without its IOMMU (S2, S7). As a warning: after the "
        "deferred-probe timeout, driver_deferred_probe_check_state() returned -ETIMEDOUT and the kernel "
        "chose to ignore the dependency (policy; the module came too late). As a violation: the bypass "
        "came through a swallowed -ENODEV from a half-initialised SysMMU, which no log line reveals.",
    .severity = harness::Severity::kViolation,
    .detector = false,
};

}  // namespace probestorm::kernel::invariants
