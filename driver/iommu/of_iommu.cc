// Models drivers/iommu/of_iommu.c: of_iommu_configure() and of_iommu_xlate() as in v6.1 (identical
// logic in the ≤v5.13 and late-2023 copies), plus by knob iommu_core:
//   6.7+  a2e7e59a9426: iommu_probe_device_lock held around the fwspec lookup/free and every
//         of_xlate, dropped before the replay.
//   6.15  bcb81ac6ae3c: the replay runs only when dev->iommu was absent on entry.
// Deliberate divergences: no PCI / iommu-map / ACPI; the `iommus` cells are passed to of_xlate as
// parsed by the board loader; try_module_get(ops->owner) always succeeds (see iommu.cc).
// Invariant hooks (driver/invariants/): iommu-bypass (why a master goes without its IOMMU),
// dev-iommu-freed-in-use (the oops of the final fwspec->ops read, one of the dereferences of
// dev->iommu a concurrent dev_iommu_free() pulls the rug from under).
#include "driver/iommu/of_iommu.h"

#include "absl/strings/str_cat.h"
#include "driver/arch/fault.h"
#include "driver/base/dd.h"
#include "driver/invariants/deferred_lists.h"
#include "driver/invariants/dev_iommu_freed_in_use.h"
#include "driver/invariants/iommu_bypass.h"
#include "driver/kernel.h"
#include "harness/trace/trace.h"

namespace probestorm::kernel {

using harness::TraceLog;
using harness::TraceSpan;

namespace {

struct XlateOutcome {
  bool explicit_decision = false;  // the error came from driver_deferred_probe_check_state
  int failed_node = hwmodel::kNoNode;
};

int of_iommu_xlate_impl(Device* dev, const hwmodel::PhandleRef& spec, XlateOutcome* out) {
  Kernel& k = *dev->kernel;
  TraceSpan span(dev->name, "of_iommu_xlate");
  const hwmodel::DtNode& np = k.board.node(spec.node);
  const IommuOps* ops = iommu_ops_from_fwnode(k, spec.node);
  if ((ops != nullptr && !ops->of_xlate) || !np.available) return NO_IOMMU;
  int ret = iommu_fwspec_init(dev, spec.node, ops);
  if (ret != 0) {
    TraceLog(dev->name, "iommu_fwspec_init",
             absl::StrCat(np.device_name, ": ", ErrName(ret),
                          ops == nullptr ? " (not registered, fwspec has ops)" : ""));
    return ret;
  }
  if (ops == nullptr) {
    // The instance is not registered yet. The fwspec stays behind with no ops, recording which
    // IOMMU this master waits for; the deferral decision is the driver core's.
    ret = driver_deferred_probe_check_state(dev);
    if (ret != -EPROBE_DEFER) out->explicit_decision = true;
    if (ret == -EPROBE_DEFER) invariants::DeferralWaitsForIommu(dev, spec.node);
    TraceLog(dev->name, "of_iommu_xlate",
             absl::StrCat(np.device_name, " not registered: ", ErrName(ret)));
    return ret;
  }
  ret = ops->of_xlate(dev, spec);
  TraceLog(dev->name, "of_iommu_xlate", absl::StrCat(np.device_name, " of_xlate: ", ErrName(ret)));
  return ret;
}

bool LockedFwspec(Kernel& k) { return k.knobs.iommu_core >= IommuCoreGen::k6_7; }

// of_iommu_configure up to (not including) the replay: the fwspec, then of_iommu_xlate per
// `iommus` entry. Returns err and sets *ops.
int ConfigureFwspec(Device* dev, const IommuOps** ops, XlateOutcome* out, bool* had_ops) {
  Kernel& k = *dev->kernel;
  *ops = nullptr;
  *had_ops = false;
  IommuFwspec* fwspec = dev_iommu_fwspec_get(dev);
  if (fwspec != nullptr) {
    if (fwspec->ops != nullptr) {
      *ops = fwspec->ops;
      *had_ops = true;
      return 0;
    }
    // A fwspec without ops is what an earlier deferred attempt left: drop it and translate anew.
    iommu_fwspec_free(dev);
  }
  int err = NO_IOMMU;
  const hwmodel::DtNode& np = k.board.node(dev->of_node);
  for (const hwmodel::PhandleRef& spec : np.iommus) {
    err = of_iommu_xlate_impl(dev, spec, out);
    if (err != 0) {
      out->failed_node = spec.node;
      break;
    }
  }
  if (err == 0) {
    // of_iommu_xlate installed a new fwspec, so it is fetched again before fwspec->ops is read;
    // that read dereferences what a concurrent dev_iommu_free may have cleared.
    fwspec = dev_iommu_fwspec_get(dev);
    if (fwspec == nullptr) invariants::FwspecNullDeref(dev);
    *ops = fwspec->ops;
  }
  return err;
}

}  // namespace

int of_iommu_xlate(Device* dev, const hwmodel::PhandleRef& spec) {
  XlateOutcome out;
  return of_iommu_xlate_impl(dev, spec, &out);
}

int of_iommu_configure_fwspec(Device* dev) {
  Kernel& k = *dev->kernel;
  IommuState& s = iommu_state(k);
  const IommuOps* ops = nullptr;
  XlateOutcome out;
  bool had_ops = false;
  s.iommu_probe_device_lock.lock();
  const int err = ConfigureFwspec(dev, &ops, &out, &had_ops);
  s.iommu_probe_device_lock.unlock();
  return err;
}

// The probe lock is taken only from v6.7 (iommu_core knob): conditional locking that clang's
// static analysis cannot follow.
const IommuOps* of_iommu_configure(Device* dev, int master_np, int* err_out)
    ABSL_NO_THREAD_SAFETY_ANALYSIS {
  *err_out = 0;
  if (master_np == hwmodel::kNoNode) return nullptr;
  Kernel& k = *dev->kernel;
  IommuState& s = iommu_state(k);
  TraceSpan span(dev->name, "of_iommu_configure");
  invariants::OnIommuConfigure(dev);
  const bool locked = LockedFwspec(k);
  if (locked) s.iommu_probe_device_lock.lock();
  const bool dev_iommu_present = dev->iommu.Get() != nullptr;
  const IommuOps* ops = nullptr;
  XlateOutcome out;
  bool had_ops = false;
  int err = 0;
  {
    ConfiguringScope configuring(dev);  // the translation: this task uses dev->iommu
    err = ConfigureFwspec(dev, &ops, &out, &had_ops);
  }
  if (locked) s.iommu_probe_device_lock.unlock();
  if (had_ops) {
    TraceLog(dev->name, "of_iommu_configure", "fwspec already has ops: no re-translation");
    return ops;
  }
  // The IOMMU driver may have registered (and run its bus probe) before this master's fwspec
  // existed, in which case the master never got an IOMMU probe: do it now.
  bool replay_failed = false;
  const bool replay_allowed = k.knobs.iommu_core < IommuCoreGen::k6_15 || !dev_iommu_present;
  if (err == 0 && replay_allowed && !device_iommu_mapped(dev)) {
    err = iommu_probe_device(dev);
    replay_failed = err != 0;
  }
  if (err == -EPROBE_DEFER) {
    *err_out = -EPROBE_DEFER;
    return nullptr;
  }
  if (err < 0) {
    TraceLog(dev->name, "of_iommu_configure", absl::StrCat("Adding to IOMMU failed: ", err));
    invariants::OnIommuConfigureFailed(dev, err, out.explicit_decision, out.failed_node,
                                       replay_failed);
    return nullptr;
  }
  return err == 0 ? ops : nullptr;
}

}  // namespace probestorm::kernel
