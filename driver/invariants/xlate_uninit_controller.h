// Invariant `xlate-uninit-controller`: its definition (id, statement, explanation).
//
// Thread-safety: an immutable constant.
#ifndef PROBESTORM_DRIVER_INVARIANTS_XLATE_UNINIT_CONTROLLER_H_
#define PROBESTORM_DRIVER_INVARIANTS_XLATE_UNINIT_CONTROLLER_H_

#include "harness/invariant.h"

namespace probestorm::kernel::invariants {

extern const harness::InvariantDef kXlateUninitController;

}  // namespace probestorm::kernel::invariants

#endif  // PROBESTORM_DRIVER_INVARIANTS_XLATE_UNINIT_CONTROLLER_H_
