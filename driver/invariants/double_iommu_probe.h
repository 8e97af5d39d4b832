// Invariant `double-iommu-probe`: its definition (id, statement, explanation).
//
// Thread-safety: an immutable constant.
#ifndef PROBESTORM_DRIVER_INVARIANTS_DOUBLE_IOMMU_PROBE_H_
#define PROBESTORM_DRIVER_INVARIANTS_DOUBLE_IOMMU_PROBE_H_

#include "harness/invariant.h"

namespace probestorm::kernel::invariants {

extern const harness::InvariantDef kDoubleIommuProbe;

}  // namespace probestorm::kernel::invariants

#endif  // PROBESTORM_DRIVER_INVARIANTS_DOUBLE_IOMMU_PROBE_H_
