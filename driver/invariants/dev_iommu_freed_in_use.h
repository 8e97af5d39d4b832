// Invariant `dev-iommu-freed-in-use`: its definition (id, statement, explanation).
//
// Thread-safety: an immutable constant.
#ifndef PROBESTORM_DRIVER_INVARIANTS_DEV_IOMMU_FREED_IN_USE_H_
#define PROBESTORM_DRIVER_INVARIANTS_DEV_IOMMU_FREED_IN_USE_H_

#include "harness/invariant.h"

namespace probestorm::kernel::invariants {

extern const harness::InvariantDef kDevIommuFreedInUse;

}  // namespace probestorm::kernel::invariants

#endif  // PROBESTORM_DRIVER_INVARIANTS_DEV_IOMMU_FREED_IN_USE_H_
