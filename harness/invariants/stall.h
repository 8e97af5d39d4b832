// Invariant `stall`: its definition (id, statement, explanation).
//
// Thread-safety: an immutable constant.
#ifndef PROBESTORM_HARNESS_INVARIANTS_STALL_H_
#define PROBESTORM_HARNESS_INVARIANTS_STALL_H_

#include "harness/invariant.h"

namespace probestorm::harness::invariants {

extern const InvariantDef kStall;

}  // namespace probestorm::harness::invariants

#endif  // PROBESTORM_HARNESS_INVARIANTS_STALL_H_
