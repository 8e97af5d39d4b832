// Invariant `lock-order`: its definition (id, statement, explanation).
//
// Thread-safety: an immutable constant.
#ifndef PROBESTORM_HARNESS_INVARIANTS_LOCK_ORDER_H_
#define PROBESTORM_HARNESS_INVARIANTS_LOCK_ORDER_H_

#include "harness/invariant.h"

namespace probestorm::harness::invariants {

extern const InvariantDef kLockOrder;

}  // namespace probestorm::harness::invariants

#endif  // PROBESTORM_HARNESS_INVARIANTS_LOCK_ORDER_H_
