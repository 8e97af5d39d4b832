// Invariant `sysmmu-fault`: its definition (id, statement, explanation).
//
// Thread-safety: an immutable constant.
#ifndef PROBESTORM_HWMODEL_INVARIANTS_SYSMMU_FAULT_H_
#define PROBESTORM_HWMODEL_INVARIANTS_SYSMMU_FAULT_H_

#include "harness/invariant.h"

namespace probestorm::hwmodel::invariants {

extern const harness::InvariantDef kSysmmuFault;

}  // namespace probestorm::hwmodel::invariants

#endif  // PROBESTORM_HWMODEL_INVARIANTS_SYSMMU_FAULT_H_
