// Checker: the invariants' own bookkeeping for one model run, kept apart from the kernel's state.
// The kernel model reaches it through one member, Kernel::checker, and only from the one-line
// hooks of driver/invariants/*.h; each invariant owns one member here (its state type is declared
// in its own header).
//
// Thread-safety: per member, as its invariant's header says. None of it creates schedule points.
#ifndef PROBESTORM_DRIVER_INVARIANTS_CHECKER_H_
#define PROBESTORM_DRIVER_INVARIANTS_CHECKER_H_

#include "driver/invariants/deferred_lists.h"
#include "driver/invariants/dev_iommu_freed_in_use.h"
#include "driver/invariants/dma_ops_on_bound.h"
#include "driver/invariants/double_iommu_probe.h"
#include "driver/invariants/iommu_bypass.h"
#include "driver/invariants/probe_exclusive.h"
#include "driver/invariants/stall.h"

namespace probestorm::kernel {

class Kernel;

namespace invariants {

struct Checker {
  explicit Checker(const Kernel& k);
  Checker(const Checker&) = delete;
  Checker& operator=(const Checker&) = delete;

  DeferredListsState deferred_lists;
  DevIommuFreedInUseState dev_iommu_freed_in_use;
  DmaOpsOnBoundState dma_ops_on_bound;
  DoubleIommuProbeState double_iommu_probe;
  IommuBypassState iommu_bypass;
  ProbeExclusiveState probe_exclusive;
  StallState stall;
};

// The run's checker, created on first use.
Checker& checker(Kernel& k);

}  // namespace invariants
}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_INVARIANTS_CHECKER_H_
