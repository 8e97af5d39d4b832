// Invariant `iommu-bypass`: its definition (id, statement, explanation).
//
// Thread-safety: an immutable constant.
#ifndef PROBESTORM_DRIVER_INVARIANTS_IOMMU_BYPASS_H_
#define PROBESTORM_DRIVER_INVARIANTS_IOMMU_BYPASS_H_

#include "harness/invariant.h"

namespace probestorm::kernel::invariants {

extern const harness::InvariantDef kIommuBypass;

}  // namespace probestorm::kernel::invariants

#endif  // PROBESTORM_DRIVER_INVARIANTS_IOMMU_BYPASS_H_
