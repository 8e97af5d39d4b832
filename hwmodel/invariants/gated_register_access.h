// Invariant `gated-register-access`: its definition (id, statement, explanation).
//
// Thread-safety: an immutable constant.
#ifndef PROBESTORM_HWMODEL_INVARIANTS_GATED_REGISTER_ACCESS_H_
#define PROBESTORM_HWMODEL_INVARIANTS_GATED_REGISTER_ACCESS_H_

#include "harness/invariant.h"

namespace probestorm::hwmodel::invariants {

extern const harness::InvariantDef kGatedRegisterAccess;

}  // namespace probestorm::hwmodel::invariants

#endif  // PROBESTORM_HWMODEL_INVARIANTS_GATED_REGISTER_ACCESS_H_
