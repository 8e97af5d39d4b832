// Invariant `late-iommu-probe`: its definition (id, statement, explanation).
//
// Thread-safety: an immutable constant.
#ifndef PROBESTORM_DRIVER_INVARIANTS_LATE_IOMMU_PROBE_H_
#define PROBESTORM_DRIVER_INVARIANTS_LATE_IOMMU_PROBE_H_

#include "harness/invariant.h"

namespace probestorm::kernel::invariants {

extern const harness::InvariantDef kLateIommuProbe;

}  // namespace probestorm::kernel::invariants

#endif  // PROBESTORM_DRIVER_INVARIANTS_LATE_IOMMU_PROBE_H_
