// The driver core's per-run globals (drivers/base/dd.c, core.c, bus.c statics, v6.1).
//
// Deliberate divergences: the statics are members of one per-run object (Kernel::core). The end-of-run
// checks of `deferred-lists` and `stall` are the checker's (driver/invariants/stall.h).
#include "driver/base/driver_core.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "driver/base/core.h"
#include "driver/base/dd.h"
#include "driver/invariants/checker.h"
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
  deferred_list_of.resize(n, DeferredList::kNone);
  fwnodes.resize(n);
}

void driver_core_init(Kernel& k) {
  if (k.core) return;
  k.core = std::make_shared<DriverCore>(k);
  invariants::checker(k);
  k.end_checks.push_back([&k](std::vector<harness::Finding>& out, bool quiescent) {
    invariants::CheckDriverCoreAtEnd(k, out, quiescent);
  });
}

DriverCore& core(Kernel& k) {
  if (!k.core) driver_core_init(k);
  return *k.core;
}

}  // namespace probestorm::kernel
