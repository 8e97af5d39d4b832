// Invariant `deferred-lists` (drivers/base/dd.c, v6.1): the deferred-probe lists keep their rules.
//   1. A device's deferred_probe node is on the list its bookkeeping names, and on at most one
//      of deferred_probe_pending_list and deferred_probe_active_list.
//   2. A device enters a list only if dev->can_match.
//   3. A device enters no list while bound, and driver_bound() leaves it on none.
//   4. At quiescence no device sits on the pending list having missed a trigger while a retry
//      would get past what it deferred on (and the supplier check before it) and a registered
//      driver matches it: the lost trigger that driver_probe_device()'s
//      trigger-count re-check prevents (tests LostTrigger.*, DeferredListsControls.*).
//      Every -EPROBE_DEFER of the model records what it waited for (the DeferralWaitsFor* hooks:
//      a supplier, an IOMMU instance's registration, a provider, probing unblocked), and
//      driver_probe_device() records the trigger count it read before the probe. A device on the
//      pending list has seen no trigger since it was added (a trigger splices the whole list), so
//      it missed one exactly when the count moved after that read. A legitimately deferred device
//      (its supplier never bound, its module never loaded, the timeout path) has a wait that is
//      not satisfied, or saw no trigger during its probe: neither fires.
// List corruption itself (a double add, broken links) is an oops of the lists (harness ListHead).
//
// Thread-safety: the hooks named REQUIRES run under deferred_probe_mutex. The deferral records
// are written by the probing task under its device lock, but also by a bus probe's
// of_iommu_configure_fwspec (v6.15 and later) that holds only iommu_probe_device_lock, so they
// are a ByNode table (free-engine tasks are OS threads); they are read after the run.
#ifndef PROBESTORM_DRIVER_INVARIANTS_DEFERRED_LISTS_H_
#define PROBESTORM_DRIVER_INVARIANTS_DEFERRED_LISTS_H_

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "driver/invariants/by_node.h"
#include "harness/finding.h"
#include "harness/invariant.h"
#include "hwmodel/dt/board.h"

namespace probestorm::kernel {

class Kernel;
struct Device;
struct DeviceDriver;
enum class DeferredList : uint8_t;

namespace invariants {

extern const harness::InvariantDef kDeferredLists;

// What a probe that returned -EPROBE_DEFER waited for (rule 4).
struct DeferralWait {
  std::string what;             // "supplier 13a00000.sysmmu", "registration of IOMMU ...", ...
  std::function<bool()> ready;  // a retry would get past it; Peek()-style reads, run after the run
};

// Bookkeeping (Checker::deferred_lists), by DT node.
struct DeferredListsState {
  explicit DeferredListsState(size_t nodes) : wait(nodes), trigger_count_before_probe(nodes, 0) {}
  ByNode<DeferralWait> wait;  // of the device's last deferring probe; empty once it probes
  // deferred_trigger_count as driver_probe_device() read it before the last deferring probe.
  std::vector<int> trigger_count_before_probe;
};

// Rules 1-3 at every list operation: `dev` moves from list `from` to `to` (kNone: off the lists).
// REQUIRES: deferred_probe_mutex.
void OnDeferredListMove(Device* dev, DeferredList from, DeferredList to);
// Rule 3: driver_bound() has taken `dev` (bound to `drv`) off the lists.
// REQUIRES: deferred_probe_mutex.
void OnDriverBoundDelisted(Device* dev, const DeviceDriver* drv);
// Rule 4, one hook at each point of the model that returns -EPROBE_DEFER for `dev`:
// a supplier (device links / fw_devlink; `what` names it): all of dev's suppliers ready.
void DeferralWaitsForSuppliers(Device* dev, const std::string& what);
// the registration of the IOMMU instance at DT node `iommu_node` (of_iommu_xlate): every IOMMU in
// dev's `iommus` registered.
void DeferralWaitsForIommu(Device* dev, int iommu_node);
// a provider lookup (`kind`: "clock", ...) of the providers `refs` point at: each provider's
// device bound, or its node initialised by an early (OF_DECLARE) init.
void DeferralWaitsForProviders(Device* dev, std::span<const hwmodel::PhandleRef> refs,
                               const std::string& kind);
// device_block_probing() (defer_all_probes): probing unblocked.
void DeferralWaitsForProbingUnblocked(Device* dev);
// really_probe() starts: the previous wait is over.
void ClearDeferralWait(Device* dev);
// driver_probe_device(): the probe deferred; `trigger_count` is what it read before the probe.
void OnProbeDeferred(Device* dev, int trigger_count);
// Rules 3 and 4 at the end of a quiescent run, for a device on a deferred list (`drv`: a
// registered driver that matches it, or null). Returns false if `dev` is on no list.
bool CheckDeferredListsAtEnd(Kernel& k, Device* dev, const DeviceDriver* drv,
                             std::vector<harness::Finding>& out);

}  // namespace invariants
}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_INVARIANTS_DEFERRED_LISTS_H_
