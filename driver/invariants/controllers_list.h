// Invariant `controllers-list`: its definition (id, statement, explanation).
//
// Thread-safety: an immutable constant.
#ifndef PROBESTORM_DRIVER_INVARIANTS_CONTROLLERS_LIST_H_
#define PROBESTORM_DRIVER_INVARIANTS_CONTROLLERS_LIST_H_

#include "harness/invariant.h"

namespace probestorm::kernel::invariants {

extern const harness::InvariantDef kControllersList;

}  // namespace probestorm::kernel::invariants

#endif  // PROBESTORM_DRIVER_INVARIANTS_CONTROLLERS_LIST_H_
