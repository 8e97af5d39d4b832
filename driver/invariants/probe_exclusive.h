// Invariant `probe-exclusive` (drivers/base/dd.c really_probe(), v6.1): a device is inside
// really_probe() on at most one task at a time, and that task holds its device lock. Two probe
// paths (the deferred worker, an async probe, driver_attach, a sysfs bind) must never attach one
// device concurrently.
//
// Thread-safety: the state is atomic and creates no schedule points.
#ifndef PROBESTORM_DRIVER_INVARIANTS_PROBE_EXCLUSIVE_H_
#define PROBESTORM_DRIVER_INVARIANTS_PROBE_EXCLUSIVE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "harness/invariant.h"

namespace probestorm::kernel {

struct Device;

namespace invariants {

extern const harness::InvariantDef kProbeExclusive;

// Bookkeeping (Checker::probe_exclusive): the task inside really_probe() for each device (by DT
// node), 0 = none.
struct ProbeExclusiveState {
  explicit ProbeExclusiveState(size_t nodes);
  std::unique_ptr<std::atomic<uint32_t>[]> probing;
};

// Held for the whole of really_probe(dev): checks entry, releases the slot on exit.
class ProbeExclusiveScope {
 public:
  explicit ProbeExclusiveScope(Device* dev);
  ~ProbeExclusiveScope();
  ProbeExclusiveScope(const ProbeExclusiveScope&) = delete;
  ProbeExclusiveScope& operator=(const ProbeExclusiveScope&) = delete;

 private:
  std::atomic<uint32_t>& slot_;
  uint32_t self_ = 0;
};

}  // namespace invariants
}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_INVARIANTS_PROBE_EXCLUSIVE_H_
