// Invariant `dma-ops-on-bound`: its definition (id, statement, explanation).
//
// Thread-safety: an immutable constant.
#ifndef PROBESTORM_DRIVER_INVARIANTS_DMA_OPS_ON_BOUND_H_
#define PROBESTORM_DRIVER_INVARIANTS_DMA_OPS_ON_BOUND_H_

#include "harness/invariant.h"

namespace probestorm::kernel::invariants {

extern const harness::InvariantDef kDmaOpsOnBound;

}  // namespace probestorm::kernel::invariants

#endif  // PROBESTORM_DRIVER_INVARIANTS_DMA_OPS_ON_BOUND_H_
