#include "harness/invariants/lock_order.h"

namespace probestorm::harness::invariants {

const InvariantDef kLockOrder{
    .name = "lock-order",
    .what = "model locks follow one global order",
    .explanation =
        "Two locks were taken in an order contrary to the global order device_lock -> "
        "iommu_probe_device_lock -> group->mutex -> owner->rpm_lock -> domain->lock -> data->lock: "
        "a potential ABBA deadlock, as lockdep would report.",
    .severity = Severity::kViolation,
    .detector = true,
};

}  // namespace probestorm::harness::invariants
