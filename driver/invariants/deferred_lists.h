// Invariant `deferred-lists`: its definition (id, statement, explanation).
//
// Thread-safety: an immutable constant.
#ifndef PROBESTORM_DRIVER_INVARIANTS_DEFERRED_LISTS_H_
#define PROBESTORM_DRIVER_INVARIANTS_DEFERRED_LISTS_H_

#include "harness/invariant.h"

namespace probestorm::kernel::invariants {

extern const harness::InvariantDef kDeferredLists;

}  // namespace probestorm::kernel::invariants

#endif  // PROBESTORM_DRIVER_INVARIANTS_DEFERRED_LISTS_H_
