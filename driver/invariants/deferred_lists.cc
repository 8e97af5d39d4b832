#include "driver/invariants/deferred_lists.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "driver/base/core.h"
#include "driver/base/dd.h"
#include "driver/base/driver_core.h"
#include "driver/base/init.h"
#include "driver/invariants/checker.h"
#include "driver/iommu/iommu.h"
#include "driver/kernel.h"
#include "harness/engine.h"

namespace probestorm::kernel::invariants {

const harness::InvariantDef kDeferredLists{
    .name = "deferred-lists",
    .what =
        "a device is on at most one deferred list, only if it can match, on none once bound; no lost trigger",
    .explanation =
        "The deferred-probe lists broke their rules (S8): a device on both lists, on a list without "
        "can_match, still on a list once bound, or stranded on the pending list because what it "
        "waited for (a supplier, an IOMMU registration, a provider) became ready and triggered "
        "between its trigger_count read and its deferral (the lost trigger that "
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

size_t Node(const Device* dev) { return static_cast<size_t>(dev->of_node); }

void SetWait(Device* dev, DeferralWait w) {
  checker(*dev->kernel).deferred_lists.wait.Set(dev->of_node, std::move(w));
}

// End of run (no task runs): every available IOMMU of `master` has registered its instance.
bool IommusRegistered(Kernel& k, const hwmodel::DtNode& master) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  for (const hwmodel::PhandleRef& spec : master.iommus) {
    if (!k.board.node(spec.node).available) continue;  // of_iommu_xlate: NO_IOMMU, no deferral
    bool found = false;
    for (void* o : iommu_state(k).iommu_device_list.Owners()) {
      found = found || static_cast<const IommuDevice*>(o)->fwnode == spec.node;
    }
    if (!found) return false;
  }
  return true;
}

// End of run: the provider at `node` is there: an early init marked its node (or the device
// node it belongs to) initialised, or that device is bound.
bool ProviderReady(Kernel& k, int node) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  const int dev_node = ResolveDeviceNode(k.board, node);
  for (int n : {node, dev_node}) {
    if (n != hwmodel::kNoNode && k.core->fwnodes[static_cast<size_t>(n)].initialized) return true;
  }
  const Device* dev = dev_node == hwmodel::kNoNode ? nullptr : k.DeviceForNode(dev_node);
  return dev != nullptr && dev->bound.Peek();
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
  // can_match only ever becomes true, so a move between the lists needs no check; and only an
  // insertion is ordered after the write (by the inserting task's own set, or its device lock):
  // a move by a trigger can run beside a probe that sets can_match again.
  if (from == DeferredList::kNone && to != DeferredList::kNone && !dev->can_match.Peek()) {
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

void DeferralWaitsForSuppliers(Device* dev, const std::string& what) {
  Kernel* k = dev->kernel;
  SetWait(dev, {absl::StrCat("supplier ", what),
                [k, dev] { return device_links_suppliers_ready(*k, dev); }});
}

void DeferralWaitsForIommu(Device* dev, int iommu_node) {
  Kernel* k = dev->kernel;
  SetWait(dev, {absl::StrCat("registration of IOMMU ", k->board.node(iommu_node).device_name),
                [k, dev] { return IommusRegistered(*k, *dev->np); }});
}

void DeferralWaitsForProviders(Device* dev, std::span<const hwmodel::PhandleRef> refs,
                               const std::string& kind) {
  Kernel* k = dev->kernel;
  std::vector<int> nodes;
  std::string names;
  for (const hwmodel::PhandleRef& ref : refs) {
    nodes.push_back(ref.node);
    absl::StrAppend(&names, names.empty() ? "" : ", ", k->board.node(ref.node).path);
  }
  SetWait(dev, {absl::StrCat(kind, " provider ", names.empty() ? "(none named)" : names),
                [k, nodes = std::move(nodes)] {
                  for (int n : nodes) {
                    if (!ProviderReady(*k, n)) return false;
                  }
                  return true;
                }});
}

void DeferralWaitsForProbingUnblocked(Device* dev) {
  Kernel* k = dev->kernel;
  SetWait(dev, {"device_unblock_probing", [k] { return !k->core->defer_all_probes.Peek(); }});
}

void ClearDeferralWait(Device* dev) { SetWait(dev, {}); }

void OnProbeDeferred(Device* dev, int trigger_count) {
  checker(*dev->kernel).deferred_lists.trigger_count_before_probe[Node(dev)] = trigger_count;
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
  // Rule 4. On the pending list, the device has seen no trigger since it was added there; if the
  // count moved after driver_probe_device() read it, a trigger ran during its probe and missed it.
  const DeferredListsState& s = checker(k).deferred_lists;
  const DeferralWait wait = s.wait.Get(dev->of_node);
  const int before = s.trigger_count_before_probe[Node(dev)];
  const int now = k.core->deferred_trigger_count.Peek();
  if (deferred_probe_pending(k, dev) && k.core->driver_deferred_probe_enable.Peek() &&
      before != now && wait.ready && wait.ready() && device_links_suppliers_ready(k, dev)) {
    out.push_back(EndFinding(
        absl::StrCat("lost deferred probe trigger: ", dev->name,
                     " left on deferred_probe_pending_list although what it waited for (",
                     wait.what, ") is ready and driver ", drv->name,
                     " is registered: a trigger ran during its probe (deferred_trigger_count ",
                     before, " -> ", now, ") and none since; last result ",
                     ErrName(dev->last_probe_ret)),
        dev));
  }
  return true;  // still deferred with a logged reason: given up, not a stall
}

}  // namespace probestorm::kernel::invariants
