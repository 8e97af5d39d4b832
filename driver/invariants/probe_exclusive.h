// Invariant `probe-exclusive`: its definition (id, statement, explanation).
//
// Thread-safety: an immutable constant.
#ifndef PROBESTORM_DRIVER_INVARIANTS_PROBE_EXCLUSIVE_H_
#define PROBESTORM_DRIVER_INVARIANTS_PROBE_EXCLUSIVE_H_

#include "harness/invariant.h"

namespace probestorm::kernel::invariants {

extern const harness::InvariantDef kProbeExclusive;

}  // namespace probestorm::kernel::invariants

#endif  // PROBESTORM_DRIVER_INVARIANTS_PROBE_EXCLUSIVE_H_
