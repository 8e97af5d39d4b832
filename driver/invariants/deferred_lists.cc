#include "driver/invariants/deferred_lists.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "driver/base/dd.h"
#include "driver/base/driver_core.h"
#include "driver/invariants/checker.h"
#include "driver/kernel.h"
#include "harness/engine.h"

namespace probestorm::kernel::invariants {

const harness::InvariantDef kDeferredLists{
    .name = "deferred-lists",
    .what =
        "a device is on at most one deferred list, only if it can match, on none once bound; no lost trigger",
    .explanation =
        "The deferred-probe lists broke their rules (S8): a device on both lists, on a list without "
        "can_match, still on a list once bound, or stranded on the pending list because a supplier "
        "bound between its trigger_count read and its deferral (the lost trigger that "
        "driver_probe_device()'s re-check in dd.c prevents).",
    .severity = harness::Severity::kViolation,
    .detector = false,
};

namespace {

bool OnList(const Device* dev) { return dev->deferred_probe.next != nullptr; }

harness::Finding EndFinding(std::string message, const Device* dev) {
  harness::Finding f;
  f.invariant = kDeferredLists;
  f.severity = kDeferredLists.severity;
  f.message = std::move(message);
  f.devices = {dev->name};
  return f;
}

}  // namespace

void OnDeferredListMove(Device* dev, DeferredList from, DeferredList to) {
  const bool linked = OnList(dev);
  if (linked != (to != DeferredList::kNone)) {
    harness::Report(kDeferredLists,
                    absl::StrCat(dev->name, ": deferred_probe node ",
                                 linked ? "still linked" : "not linked", " after moving it to ",
                                 DeferredListName(to)),
                    {dev->name});
  }
  if (to != DeferredList::kNone && from != DeferredList::kNone && to == from) {
    harness::Report(kDeferredLists,
                    absl::StrCat(dev->name, " added twice to ", DeferredListName(to)), {dev->name});
  }
  if (to != DeferredList::kNone && !dev->can_match.Peek()) {
    harness::Report(kDeferredLists,
                    absl::StrCat(dev->name, " put on ", DeferredListName(to),
                                 " although no driver can match it (can_match false)"),
                    {dev->name});
  }
  // Only a new insertion is checked against "bound": driver_bound sets the klist node before it
  // removes the device from the lists, so a trigger in between legitimately splices a bound
  // device from pending to active (found by DeferredWork.SingleInstanceAndNoLostTrigger).
  if (from == DeferredList::kNone && to != DeferredList::kNone && dev->bound.Peek()) {
    harness::Report(kDeferredLists,
                    absl::StrCat(dev->name, " put on ", DeferredListName(to), " while bound to ",
                                 dev->driver.Peek() ? dev->driver.Peek()->name : "?"),
                    {dev->name});
  }
}

void OnDriverBoundDelisted(Device* dev, const DeviceDriver* drv) {
  if (OnList(dev)) {
    harness::Report(kDeferredLists,
                    absl::StrCat(dev->name, " is on a deferred probe list after driver_bound "
                                            "removed it (bound to ", drv->name, ")"),
                    {dev->name});
  }
}

void SetDeferralReady(Device* dev, std::function<bool()> ready) {
  checker(*dev->kernel).deferred_lists.deferral_ready[static_cast<size_t>(dev->of_node)] =
      std::move(ready);
}

void ClearDeferralReady(Device* dev) {
  checker(*dev->kernel).deferred_lists.deferral_ready[static_cast<size_t>(dev->of_node)] = nullptr;
}

bool CheckDeferredListsAtEnd(Kernel& k, Device* dev, const DeviceDriver* drv,
                             std::vector<harness::Finding>& out) {
  if (!OnList(dev)) return false;
  if (dev->bound.Peek()) {
    out.push_back(EndFinding(absl::StrCat(dev->name, " is bound to ", dev->driver.Peek()->name,
                                          " but still on a deferred probe list"),
                             dev));
    return true;
  }
  if (drv == nullptr) return true;
  // A retry would get past the dependency it last deferred on (rule 4).
  const auto& ready = checker(k).deferred_lists.deferral_ready[static_cast<size_t>(dev->of_node)];
  if (ready && ready() && k.core->driver_deferred_probe_enable.Peek()) {
    out.push_back(EndFinding(
        absl::StrCat("lost deferred probe trigger: ", dev->name,
                     " left on deferred_probe_pending_list although what it deferred on is "
                     "ready and driver ",
                     drv->name, " is registered (a retry would get past it); last result ",
                     ErrName(dev->last_probe_ret)),
        dev));
  }
  return true;  // still deferred with a logged reason: given up, not a stall
}

}  // namespace probestorm::kernel::invariants
