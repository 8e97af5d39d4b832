// Invariant `deferred-lists` (drivers/base/dd.c, v6.1): the deferred-probe lists keep their rules.
//   1. A device's deferred_probe node is on the list its bookkeeping names, and on at most one
//      of deferred_probe_pending_list and deferred_probe_active_list.
//   2. A device enters a list only if dev->can_match.
//   3. A device enters no list while bound, and driver_bound() leaves it on none.
//   4. At quiescence no device sits on the pending list while a retry would get past what it
//      deferred on (the lost trigger that driver_probe_device()'s trigger-count re-check
//      prevents; test DdTest.LostTriggerFoundWithoutRecheck).
// List corruption itself (a double add, broken links) is an oops of the lists (harness ListHead).
//
// Thread-safety: the hooks named REQUIRES run under deferred_probe_mutex; the ready checks are
// written under the device lock and read after the run.
#ifndef PROBESTORM_DRIVER_INVARIANTS_DEFERRED_LISTS_H_
#define PROBESTORM_DRIVER_INVARIANTS_DEFERRED_LISTS_H_

#include <cstddef>
#include <functional>
#include <vector>

#include "harness/finding.h"
#include "harness/invariant.h"

namespace probestorm::kernel {

class Kernel;
struct Device;
struct DeviceDriver;
enum class DeferredList : uint8_t;

namespace invariants {

extern const harness::InvariantDef kDeferredLists;

// Bookkeeping (Checker::deferred_lists).
struct DeferredListsState {
  explicit DeferredListsState(size_t nodes) : deferral_ready(nodes) {}
  // By DT node: "a retry would get past the dependency the device last deferred on" (rule 4).
  std::vector<std::function<bool()>> deferral_ready;
};

// Rules 1-3 at every list operation: `dev` moves from list `from` to `to` (kNone: off the lists).
// REQUIRES: deferred_probe_mutex.
void OnDeferredListMove(Device* dev, DeferredList from, DeferredList to);
// Rule 3: driver_bound() has taken `dev` (bound to `drv`) off the lists.
// REQUIRES: deferred_probe_mutex.
void OnDriverBoundDelisted(Device* dev, const DeviceDriver* drv);
// Rule 4: the predicate a deferring probe leaves behind, and its reset when the next probe starts.
void SetDeferralReady(Device* dev, std::function<bool()> ready);
void ClearDeferralReady(Device* dev);
// Rules 3 and 4 at the end of a quiescent run, for a device on a deferred list (`drv`: a
// registered driver that matches it, or null). Returns false if `dev` is on no list.
bool CheckDeferredListsAtEnd(Kernel& k, Device* dev, const DeviceDriver* drv,
                             std::vector<harness::Finding>& out);

}  // namespace invariants
}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_INVARIANTS_DEFERRED_LISTS_H_
