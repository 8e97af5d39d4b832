// Invariant `data-race`: its definition (id, statement, explanation).
//
// Thread-safety: an immutable constant.
#ifndef PROBESTORM_HARNESS_INVARIANTS_DATA_RACE_H_
#define PROBESTORM_HARNESS_INVARIANTS_DATA_RACE_H_

#include "harness/invariant.h"

namespace probestorm::harness::invariants {

extern const InvariantDef kDataRace;

}  // namespace probestorm::harness::invariants

#endif  // PROBESTORM_HARNESS_INVARIANTS_DATA_RACE_H_
