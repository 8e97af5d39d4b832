// The driver core's part of invariant `stall` (defined by the harness, harness/invariants/stall.h,
// whose engines report tasks blocked forever): at the end of a quiescent run every registered
// device that a registered driver matches is bound, waiting on a deferred list, or explicitly
// given up (its last probe failed with an error), never simply left behind or stuck inside
// really_probe(). The same end-of-run pass runs the deferred-lists end check
// (driver/invariants/deferred_lists.h) on devices still on a list.
//
// Thread-safety: OnProbeResult runs under the device lock; the end check after the run.
#ifndef PROBESTORM_DRIVER_INVARIANTS_STALL_H_
#define PROBESTORM_DRIVER_INVARIANTS_STALL_H_

#include <cstddef>
#include <string>
#include <vector>

#include "driver/invariants/by_node.h"
#include "harness/finding.h"

namespace probestorm::kernel {

class Kernel;
struct Device;
struct DeviceDriver;

namespace invariants {

// Bookkeeping (Checker::stall): why a device was explicitly given up (its last really_probe()
// error), by DT node; empty while it is not. Written under the device lock, and a ByNode table
// too: with `drop_lock=device_lock` two free-engine threads could assign one string.
struct StallState {
  explicit StallState(size_t nodes) : given_up(nodes) {}
  ByNode<std::string> given_up;
};

// really_probe(dev) with `drv` returned `ret`.
void OnProbeResult(Device* dev, const DeviceDriver* drv, int ret);
// The end-of-run checks of the driver core (registered by driver_core_init).
void CheckDriverCoreAtEnd(Kernel& k, std::vector<harness::Finding>& out, bool quiescent);

}  // namespace invariants
}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_INVARIANTS_STALL_H_
