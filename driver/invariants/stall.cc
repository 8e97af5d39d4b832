#include "driver/invariants/stall.h"

#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "driver/base/driver_core.h"
#include "driver/invariants/checker.h"
#include "driver/invariants/deferred_lists.h"
#include "driver/kernel.h"
#include "harness/invariants/stall.h"

namespace probestorm::kernel::invariants {
namespace {

harness::Finding StallFinding(std::string message, const Device* dev) {
  harness::Finding f;
  f.invariant = harness::invariants::kStall;
  f.severity = harness::invariants::kStall.severity;
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

}  // namespace

void OnProbeResult(Device* dev, const DeviceDriver* drv, int ret) {
  std::string why;
  if (ret != 0 && ret != -EPROBE_DEFER && ret != EPROBE_DEFER) {
    why = absl::StrCat("probe with driver ", drv->name, " failed: ", ErrName(ret));
  }
  checker(*dev->kernel).stall.given_up.Set(dev->of_node, std::move(why));
}

void CheckDriverCoreAtEnd(Kernel& k, std::vector<harness::Finding>& out, bool quiescent) {
  if (!quiescent || !k.core) return;
  DriverCore& c = *k.core;
  for (Device* dev : k.devices) {
    if (!dev->registered || dev->dead.Peek()) continue;
    DeviceDriver* drv = MatchingDriver(c, dev);
    if (CheckDeferredListsAtEnd(k, dev, drv, out)) continue;  // on a deferred list
    if (dev->bound.Peek() || drv == nullptr) continue;
    if (dev->driver.Peek() != nullptr) {
      out.push_back(StallFinding(absl::StrCat(dev->name, " stuck in really_probe with driver ",
                                              dev->driver.Peek()->name, " at the end of the run"),
                                 dev));
      continue;
    }
    if (!checker(k).stall.given_up.Get(dev->of_node).empty()) continue;  // failed: given up
    out.push_back(StallFinding(
        absl::StrCat("stall: ", dev->name, " has registered driver ", drv->name,
                     " but is neither bound, nor deferred, nor failed (",
                     dev->last_probe_drv ? absl::StrCat("last really_probe returned ",
                                                        ErrName(dev->last_probe_ret))
                                         : std::string("never probed"),
                     ")"),
        dev));
  }
}

}  // namespace probestorm::kernel::invariants
