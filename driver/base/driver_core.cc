// The driver core's per-run globals (drivers/base/dd.c, core.c, bus.c statics, v6.1) and the
// end-of-run checks of the invariants `deferred-lists` (lost trigger) and `stall`.
//
// Deliberate divergences: the statics are members of one per-run object (STYLE.md); the end
// checks are the harness's, not the kernel's.
#include "driver/base/driver_core.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "driver/base/core.h"
#include "driver/base/dd.h"
#include "driver/base/platform.h"
#include "driver/invariants/deferred_lists.h"
#include "driver/kernel.h"
#include "harness/invariant.h"
#include "harness/invariants/stall.h"

namespace probestorm::kernel {
namespace {

uint32_t FwDevlinkFlags(FwDevlinkMode m) {
  switch (m) {
    case FwDevlinkMode::kOff: return 0;
    case FwDevlinkMode::kPermissive: return FW_DEVLINK_FLAGS_PERMISSIVE;
    case FwDevlinkMode::kOn: return FW_DEVLINK_FLAGS_ON;
    case FwDevlinkMode::kRpm: return FW_DEVLINK_FLAGS_RPM;
  }
  return FW_DEVLINK_FLAGS_ON;
}

harness::Finding MakeFinding(harness::InvariantId id, std::string message, const Device* dev) {
  harness::Finding f;
  f.invariant = id;
  f.severity = harness::Severity::kViolation;
  f.message = std::move(message);
  f.devices = {dev->name};
  return f;
}

// A registered driver that matches `dev` (no schedule points: end of run).
DeviceDriver* MatchingDriver(DriverCore& c, Device* dev) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  // End of run: no task runs any more, the klist is stable.
  for (DeviceDriver* drv : c.drivers) {
    if (!dev->np->available) continue;
    for (const std::string& compat : dev->np->compatible) {
      for (const std::string& m : drv->of_match) {
        if (m == compat) return drv;
      }
    }
  }
  return nullptr;
}

bool OnList(const Device* dev) { return dev->deferred_probe.next != nullptr; }

// End of run, at quiescence. `deferred-lists` (lost trigger, §8(c) S8) and `stall`.
void EndChecks(Kernel& k, std::vector<harness::Finding>& out, bool quiescent) {
  if (!quiescent || !k.core) return;
  DriverCore& c = *k.core;
  for (Device* dev : k.devices) {
    if (!dev->registered || dev->dead.Peek()) continue;
    DeviceDriver* drv = MatchingDriver(c, dev);
    const bool bound = dev->bound.Peek();
    if (bound && OnList(dev)) {
      out.push_back(MakeFinding(invariants::kDeferredLists,
                                absl::StrCat(dev->name, " is bound to ", dev->driver.Peek()->name,
                                             " but still on a deferred probe list"),
                                dev));
      continue;
    }
    if (bound || drv == nullptr) continue;
    if (OnList(dev)) {
      // A retry would get past the dependency it last deferred on (KERNEL.md §8(c) S8).
      const auto& ready = c.deferral_ready[static_cast<size_t>(dev->of_node)];
      if (ready && ready() && c.driver_deferred_probe_enable.Peek()) {
        out.push_back(MakeFinding(
            invariants::kDeferredLists,
            absl::StrCat("lost deferred probe trigger: ", dev->name,
                         " left on deferred_probe_pending_list although what it deferred on is "
                         "ready and driver ",
                         drv->name, " is registered (a retry would get past it); last result ",
                         ErrName(dev->last_probe_ret)),
            dev));
      }
      continue;  // still deferred with a logged reason: given up, not a stall
    }
    if (dev->driver.Peek() != nullptr) {
      out.push_back(MakeFinding(harness::invariants::kStall,
                                absl::StrCat(dev->name, " stuck in really_probe with driver ",
                                             dev->driver.Peek()->name, " at the end of the run"),
                                dev));
      continue;
    }
    const std::string& why = c.given_up[static_cast<size_t>(dev->of_node)];
    if (!why.empty()) continue;  // probe failed with an error: explicitly given up
    out.push_back(MakeFinding(
        harness::invariants::kStall,
        absl::StrCat("stall: ", dev->name, " has registered driver ", drv->name,
                     " but is neither bound, nor deferred, nor failed (",
                     dev->last_probe_drv ? absl::StrCat("last really_probe returned ",
                                                        ErrName(dev->last_probe_ret))
                                         : std::string("never probed"),
                     ")"),
        dev));
  }
}

}  // namespace

const char* DeferredListName(DeferredList l) {
  switch (l) {
    case DeferredList::kNone: return "no deferred list";
    case DeferredList::kPending: return "deferred_probe_pending_list";
    case DeferredList::kActive: return "deferred_probe_active_list";
  }
  return "?";
}

DriverCore::DriverCore(Kernel& k)
    : kernel(k),
      deferred_probe_pending_list("deferred_probe_pending_list", invariants::kDeferredLists),
      deferred_probe_active_list("deferred_probe_active_list", invariants::kDeferredLists),
      deferred_probe_work("deferred_probe_work", [&k] { deferred_probe_work_func(k); }),
      deferred_probe_timeout_work("deferred_probe_timeout_work",
                                  [&k] { deferred_probe_timeout_work_func(k); }) {
  driver_deferred_probe_enable.SetLabel("driver_deferred_probe_enable");
  initcalls_done.SetLabel("initcalls_done");
  defer_all_probes.SetLabel("defer_all_probes");
  driver_deferred_probe_timeout.SetLabel("driver_deferred_probe_timeout");
  fw_devlink_drv_reg_done.SetLabel("fw_devlink_drv_reg_done");
  // driver_deferred_probe_timeout: 10 with CONFIG_MODULES, 0 without; deferred_probe_timeout=
  // overrides (-1: never).
  driver_deferred_probe_timeout.Init(k.knobs.modules ? k.knobs.deferred_probe_timeout
                                                     : (k.knobs.deferred_probe_timeout == 10
                                                            ? 0
                                                            : k.knobs.deferred_probe_timeout));
  fw_devlink_flags = FwDevlinkFlags(k.knobs.fw_devlink);
  const size_t n = k.board.nodes.size();
  probing = std::make_unique<std::atomic<uint32_t>[]>(n);
  for (size_t i = 0; i < n; ++i) probing[i].store(0);
  given_up.resize(n);
  deferral_ready.resize(n);
  deferred_list_of.resize(n, DeferredList::kNone);
  fwnodes.resize(n);
}

void driver_core_init(Kernel& k) {
  if (k.core) return;
  k.core = std::make_shared<DriverCore>(k);
  k.end_checks.push_back([&k](std::vector<harness::Finding>& out, bool quiescent) {
    EndChecks(k, out, quiescent);
  });
}

DriverCore& core(Kernel& k) {
  if (!k.core) driver_core_init(k);
  return *k.core;
}

}  // namespace probestorm::kernel
