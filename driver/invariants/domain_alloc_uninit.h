// Invariant `domain-alloc-uninit`: its definition (id, statement, explanation).
//
// Thread-safety: an immutable constant.
#ifndef PROBESTORM_DRIVER_INVARIANTS_DOMAIN_ALLOC_UNINIT_H_
#define PROBESTORM_DRIVER_INVARIANTS_DOMAIN_ALLOC_UNINIT_H_

#include "harness/invariant.h"

namespace probestorm::kernel::invariants {

extern const harness::InvariantDef kDomainAllocUninit;

}  // namespace probestorm::kernel::invariants

#endif  // PROBESTORM_DRIVER_INVARIANTS_DOMAIN_ALLOC_UNINIT_H_
