#include "driver/invariants/double_iommu_probe.h"

namespace probestorm::kernel::invariants {

const harness::InvariantDef kDoubleIommuProbe{
    .name = "double-iommu-probe",
    .what =
        "each device is IOMMU-probed to success at most once; one group; balanced probe/release",
    .explanation =
        "One device was IOMMU-probed to success twice, got two groups, or unbalanced "
        "probe_device/release_device calls (S4). Without iommu_probe_device_lock (before v6.2), two "
        "SysMMUs registering in parallel, or a bus probe racing the of_iommu_configure replay, both saw "
        "no group and both ran __iommu_probe_device(): duplicated device links, leaked groups, a "
        "corrupted group list. Fixed by 01657bc14a39 (v6.2).",
    .severity = harness::Severity::kViolation,
    .detector = false,
};

}  // namespace probestorm::kernel::invariants
