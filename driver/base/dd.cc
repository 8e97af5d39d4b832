// Models drivers/base/dd.c of Linux v6.1: __device_attach, __driver_attach,
// driver_probe_device, really_probe, driver_bound, the deferred-probe lists, worker, late_initcall
// and timeout, unbind.
//
// Deliberate divergences:
//  * no devres, no sysfs, no uevents, no kobject refcounts (get_device/put_device are no-ops);
//    notifier points (BUS_NOTIFY_*) are trace events only;
//  * pinctrl_bind_pins, driver_sysfs_add, pm_domain activate/sync are trace steps that succeed;
//  * CONFIG_DEBUG_TEST_DRIVER_REMOVE is not modelled;
//  * __driver_attach schedules the async helper while holding the device lock (as the v6.1 code),
//    the spawned task then waits for that lock;
//  * invariant hooks (driver/invariants/): deferred-lists, probe-exclusive, stall, and the
//    remove/unbind points of dma-ops-on-bound.
#include "driver/base/dd.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "driver/arch/dma_mapping.h"
#include "driver/base/bus.h"
#include "driver/base/core.h"
#include "driver/base/driver_core.h"
#include "driver/base/platform.h"
#include "driver/base/pm_runtime.h"
#include "driver/invariants/deferred_lists.h"
#include "driver/invariants/dma_ops_on_bound.h"
#include "driver/invariants/probe_exclusive.h"
#include "driver/invariants/stall.h"
#include "driver/kernel.h"
#include "harness/engine.h"
#include "harness/invariant.h"
#include "harness/sync/mutex.h"
#include "harness/trace/trace.h"

namespace probestorm::kernel {
namespace {

using harness::TraceLog;
using harness::TraceSpan;

DriverCore& C(Device* dev) { return core(*dev->kernel); }

// The node is on one of the two lists (REQUIRES deferred_probe_mutex for a stable answer).
bool OnDeferredList(const Device* dev) { return dev->deferred_probe.next != nullptr; }

DeferredList ListOf(DriverCore& c, const Device* dev)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(c.deferred_probe_mutex) {
  return c.deferred_list_of[static_cast<size_t>(dev->of_node)];
}

// Records the list `dev` is on.
void SetList(DriverCore& c, Device* dev, DeferredList to)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(c.deferred_probe_mutex) {
  invariants::OnDeferredListMove(dev, ListOf(c, dev), to);
  c.deferred_list_of[static_cast<size_t>(dev->of_node)] = to;
}

// cmdline_requested_async_probing(): driver_async_probe= lists the driver, or "*".
bool CmdlineRequestedAsyncProbing(const Kernel& k, const std::string& name) {
  for (const std::string& n : k.knobs.async_probe) {
    if (n == "*" || n == name) return true;
  }
  return false;
}

// Every modelled driver is a platform driver: an AMBA device matches none (amba_match).
int driver_match_device(DeviceDriver* drv, Device* dev) {
  return BusOf(dev) == BusType::kPlatform ? platform_match(dev, drv) : 0;
}

// driver_sysfs_add: BUS_NOTIFY_BIND_DRIVER, then the driver/ and device links in sysfs.
int driver_sysfs_add(Device* dev) {
  bus_notify(dev, BusNotify::kBindDriver);
  return 0;
}

void driver_sysfs_remove(Device* dev) { TraceLog(dev->name, "driver_sysfs_remove"); }

// pinctrl_bind_pins: selects the "default" state; the pin controller is a supplier handled by
// fw_devlink, so the model only marks the step.
int pinctrl_bind_pins(Device* dev) {
  TraceLog(dev->name, "pinctrl_bind_pins");
  return 0;
}

// device_unbind_cleanup (v6.0+). dev->iommu and the group are NOT touched: only the DMA ops.
void device_unbind_cleanup(Device* dev) {
  TraceSpan span(dev->name, "device_unbind_cleanup");
  arch_teardown_dma_ops(dev);
  dev->driver.Set(nullptr);
  dev_set_drvdata(dev, nullptr);
  pm_runtime_reinit(dev);
}

void device_remove(Device* dev) {
  if (DeviceDriver* drv = dev->driver.Get()) {
    TraceSpan span(dev->name, "device_remove");
    platform_remove(dev);
    invariants::OnDriverRemoved(dev);
    (void)drv;
  }
}

// driver_bound.
void driver_bound(Device* dev) {
  DriverCore& c = C(dev);
  TraceSpan span(dev->name, "driver_bound");
  if (device_is_bound(dev)) {
    TraceLog(dev->name, "driver_bound", "device already bound");
    return;
  }
  DeviceDriver* drv = dev->driver.Get();
  {
    harness::MutexLock l(c.bus_klist_lock);
    drv->klist_devices.push_back(dev);
  }
  dev->bound.Set(true);
  TraceLog(dev->name, "driver_bound", absl::StrCat("bound device ", dev->name, " to driver ", drv->name));
  device_links_driver_bound(dev);
  // A bound device leaves whichever deferred list holds it; its binding may be what other
  // waiting devices need, so everything pending is retried.
  driver_deferred_probe_del(dev);
  {
    harness::MutexLock l(c.deferred_probe_mutex);
    invariants::OnDriverBoundDelisted(dev, drv);
  }
  driver_deferred_probe_trigger(*dev->kernel);
  bus_notify(dev, BusNotify::kBoundDriver);
}

// call_driver_probe.
int call_driver_probe(Device* dev, DeviceDriver* drv) {
  int ret = platform_probe(dev);
  switch (ret) {
    case 0:
      break;
    case -EPROBE_DEFER:
      TraceLog(dev->name, "call_driver_probe",
               absl::StrCat("Driver ", drv->name, " requests probe deferral"));
      break;
    case -ENODEV:
    case -ENXIO:
      TraceLog(dev->name, "call_driver_probe",
               absl::StrCat(drv->name, ": probe of ", dev->name, " rejects match ", ret));
      break;
    default:
      TraceLog(dev->name, "call_driver_probe",
               absl::StrCat(drv->name, ": probe of ", dev->name, " failed with error ", ret));
      break;
  }
  return ret;
}

void RecordProbeResult(DriverCore& c, Device* dev, DeviceDriver* drv, int ret) {
  dev->last_probe_ret = ret;
  dev->last_probe_drv = drv;
  invariants::OnProbeResult(dev, drv, ret);
}

struct DeviceAttachData {
  Device* dev;
  bool check_async;  // async probing possible for this device
  bool want_async;   // which probes we want: async (true) or sync (false)
  bool have_async = false;
};

int __device_attach_driver(DeviceDriver* drv, DeviceAttachData* data) {
  Device* dev = data->dev;
  int ret = driver_match_device(drv, dev);
  if (ret == 0) return 0;  // no match; try the next driver
  if (ret == -EPROBE_DEFER) {
    TraceLog(dev->name, "__device_attach_driver", "Device match requests probe deferral");
    dev->can_match.Set(true);
    driver_deferred_probe_add(dev);
    // The match itself deferred: stop the walk over the bus's drivers here instead of offering
    // the device to the next one.
    return ret;
  }
  if (ret < 0) return ret;
  const bool async_allowed = driver_allows_async_probing(*dev->kernel, drv);
  if (async_allowed) data->have_async = true;
  if (data->check_async && async_allowed != data->want_async) return 0;
  // A failed ->probe (a positive value from really_probe) is not an error for the walk: the
  // remaining drivers still get their turn.
  ret = driver_probe_device(drv, dev);
  if (ret < 0) return ret;
  return ret == 0;
}

void __device_attach_async_helper(Device* dev) {
  TraceSpan span(dev->name, "__device_attach_async_helper");
  DeviceAttachData data{dev, /*check_async=*/true, /*want_async=*/true};
  dev->lock.lock();
  // Between scheduling and now, another task (driver registration, device registration or the
  // deferred worker) may have bound the device, or it may have been removed; skip it then.
  if (!dev->dead.Get() && dev->driver.Get() == nullptr) {
    if (dev->parent) pm_runtime_get_sync(dev->parent);
    bus_for_each_drv(*dev->kernel,
                     [&](DeviceDriver* drv) { return __device_attach_driver(drv, &data); });
    TraceLog(dev->name, "__device_attach_async_helper", "async probe completed");
    if (dev->parent) pm_runtime_put(dev->parent);
  }
  dev->lock.unlock();
}

int __device_attach(Device* dev, bool allow_async) {
  TraceSpan span(dev->name, "__device_attach");
  int ret = 0;
  bool async = false;
  dev->lock.lock();
  if (dev->dead.Get()) {
    // out_unlock
  } else if (dev->driver.Get() != nullptr) {
    if (device_is_bound(dev)) {
      ret = 1;
    } else {
      ret = device_bind_driver(dev);
      if (ret == 0) {
        ret = 1;
      } else {
        dev->driver.Set(nullptr);
        ret = 0;
      }
    }
  } else {
    DeviceAttachData data{dev, allow_async, /*want_async=*/false};
    if (dev->parent) pm_runtime_get_sync(dev->parent);
    ret = bus_for_each_drv(*dev->kernel,
                           [&](DeviceDriver* drv) { return __device_attach_driver(drv, &data); });
    if (!ret && allow_async && data.have_async) {
      // The synchronous pass bound nothing, but it saw at least one matching driver that
      // prefers asynchronous probing and this caller permits that: hand the second pass to
      // the async helper.
      TraceLog(dev->name, "__device_attach", "scheduling asynchronous probe");
      async = true;
    }
    if (dev->parent) pm_runtime_put(dev->parent);
  }
  dev->lock.unlock();
  // The device lock is dropped before the async helper is scheduled: another path (a driver's
  // __driver_attach, the deferred worker) may claim the device in between; the helper re-checks.
  if (async) {
    C(dev).async.Schedule(dev->name, [dev] { __device_attach_async_helper(dev); });
  }
  return ret;
}

void __driver_attach_async_helper(Device* dev) {
  TraceSpan span(dev->name, "__driver_attach_async_helper");
  dev->lock.lock();
  DeviceDriver* drv = dev->async_driver.Get();
  dev->async_driver.Set(nullptr);
  const int ret = driver_probe_device(drv, dev);
  dev->lock.unlock();
  TraceLog(dev->name, "__driver_attach_async_helper",
           absl::StrCat("driver ", drv->name, " async attach completed: ", ret));
}

int __driver_attach(Device* dev, DeviceDriver* drv) {
  // Returns 0 whatever happens to this device, so that bus_for_each_dev goes on to the next
  // one: a probe failure here often only means the driver does not handle this particular
  // device, which must not stop the driver from binding elsewhere.
  int ret = driver_match_device(drv, dev);
  if (ret == 0) return 0;  // no match
  if (ret == -EPROBE_DEFER) {
    TraceLog(dev->name, "__driver_attach", "Device match requests probe deferral");
    dev->can_match.Set(true);
    driver_deferred_probe_add(dev);
    // Only this device is put off; the walk carries on, as other devices may still match.
    return 0;
  }
  if (ret < 0) return 0;
  if (driver_allows_async_probing(*dev->kernel, drv)) {
    // The probe runs in an async task so that devices can probe in parallel. The device lock
    // taken here covers only the check and update of dev->driver and async_driver, not the probe.
    TraceLog(dev->name, "__driver_attach", absl::StrCat("probing driver ", drv->name, " asynchronously"));
    dev->lock.lock();
    if (dev->driver.Get() == nullptr && dev->async_driver.Get() == nullptr) {
      dev->async_driver.Set(drv);
      C(dev).async.Schedule(dev->name, [dev] { __driver_attach_async_helper(dev); });
    }
    dev->lock.unlock();
    return 0;
  }
  dev->lock.lock();
  driver_probe_device(drv, dev);
  dev->lock.unlock();
  return 0;
}

}  // namespace

bool driver_allows_async_probing(Kernel& k, const DeviceDriver* drv) {
  switch (drv->probe_type) {
    case ProbeType::kPreferAsynchronous:
      return true;
    case ProbeType::kForceSynchronous:
      return false;
    case ProbeType::kDefaultStrategy:
      if (CmdlineRequestedAsyncProbing(k, drv->name)) return true;
      return drv->async_probe_param;  // module_requested_async_probing(drv->owner)
  }
  return false;
}

bool device_is_bound(Device* dev) { return dev->bound.Get(); }

void device_set_deferred_probe_reason(Device* dev, std::string reason) {
  DriverCore& c = C(dev);
  harness::MutexLock l(c.deferred_probe_mutex);
  dev->deferred_probe_reason = std::move(reason);
}

void driver_deferred_probe_add(Device* dev) {
  if (!dev->can_match.Get()) return;
  DriverCore& c = C(dev);
  harness::MutexLock l(c.deferred_probe_mutex);
  if (!OnDeferredList(dev)) {
    TraceLog(dev->name, "driver_deferred_probe_add", "Added to deferred list");
    c.deferred_probe_pending_list.AddTail(&dev->deferred_probe);
    SetList(c, dev, DeferredList::kPending);
  }
}

void driver_deferred_probe_del(Device* dev) {
  DriverCore& c = C(dev);
  harness::MutexLock l(c.deferred_probe_mutex);
  if (OnDeferredList(dev)) {
    TraceLog(dev->name, "driver_deferred_probe_del", "Removed from deferred list");
    // The node is on exactly one list; list_del_init does not need to know which.
    if (ListOf(c, dev) == DeferredList::kPending) {
      c.deferred_probe_pending_list.Del(&dev->deferred_probe);
    } else {
      c.deferred_probe_active_list.Del(&dev->deferred_probe);
    }
    SetList(c, dev, DeferredList::kNone);
    dev->deferred_probe_reason.clear();
  }
}

void driver_deferred_probe_trigger(Kernel& k) {
  DriverCore& c = core(k);
  if (!c.driver_deferred_probe_enable.Get()) return;
  int count;
  {
    // Something just bound, so each device waiting on the pending list gets another attempt:
    // the whole pending list is spliced onto the tail of the active list, which the deferred
    // work drains.
    harness::MutexLock l(c.deferred_probe_mutex);
    count = c.deferred_trigger_count.FetchAdd(1) + 1;
    // The kernel does this with one list_splice_tail_init; the model moves entry by entry.
    for (void* owner : c.deferred_probe_pending_list.Owners()) {
      Device* d = static_cast<Device*>(owner);
      c.deferred_probe_pending_list.Del(&d->deferred_probe);
      c.deferred_probe_active_list.AddTail(&d->deferred_probe);
      SetList(c, d, DeferredList::kActive);
    }
  }
  TraceLog("", "driver_deferred_probe_trigger", absl::StrCat("deferred_trigger_count=", count));
  // Queueing an already-pending work item is a no-op, so every trigger can queue it.
  c.deferred_probe_work.Queue();
}

void deferred_probe_work_func(Kernel& k) {
  DriverCore& c = core(k);
  TraceSpan span("", "deferred_probe_work_func");
  // Drains the active list one device at a time: take the first entry off under the mutex, drop
  // the mutex, retry the probe through bus_probe_device, take the mutex again. The kernel pins the
  // device with get_device/put_device around the unlocked part; model devices are never freed
  // during a run, so the reference is not modelled.
  c.deferred_probe_mutex.lock();
  while (!c.deferred_probe_active_list.Empty()) {
    Device* dev = static_cast<Device*>(c.deferred_probe_active_list.First());
    c.deferred_probe_active_list.Del(&dev->deferred_probe);
    SetList(c, dev, DeferredList::kNone);
    dev->deferred_probe_reason.clear();
    c.deferred_probe_mutex.unlock();
    // deferred_probe_mutex is never held across bus_probe_device (lock order: the probe takes
    // device_lock and, on deferral, deferred_probe_mutex again).
    TraceLog(dev->name, "deferred_probe_work_func", "Retrying from deferred list");
    bus_probe_device(dev);
    c.deferred_probe_mutex.lock();
  }
  c.deferred_probe_mutex.unlock();
}

void deferred_probe_timeout_work_func(Kernel& k) {
  DriverCore& c = core(k);
  TraceSpan span("", "deferred_probe_timeout_work_func");
  fw_devlink_drivers_done(k);
  c.driver_deferred_probe_timeout.Set(0);
  driver_deferred_probe_trigger(k);
  c.deferred_probe_work.Flush();
  {
    harness::MutexLock l(c.deferred_probe_mutex);
    for (void* owner : c.deferred_probe_pending_list.Owners()) {
      Device* d = static_cast<Device*>(owner);
      TraceLog(d->name, "deferred_probe_timeout_work_func",
               absl::StrCat("deferred probe pending: ",
                            d->deferred_probe_reason.empty() ? "(reason unknown)"
                                                             : d->deferred_probe_reason));
    }
  }
  c.deferred_probe_timeout_ran = true;
}

void deferred_probe_extend_timeout(Kernel& k) {
  DriverCore& c = core(k);
  // Push the timeout back only while a timeout work is armed: cancelling fails when none was
  // ever scheduled or it has already fired, and then nothing is rescheduled.
  if (c.deferred_probe_timeout_work.Cancel()) {
    const int t = c.driver_deferred_probe_timeout.Get();
    c.deferred_probe_timeout_work.Schedule(t * harness::kSec);
    TraceLog("", "deferred_probe_extend_timeout",
             absl::StrCat("Extended deferred probe timeout by ", t, " secs"));
  }
}

int deferred_probe_initcall(Kernel& k) {
  DriverCore& c = core(k);
  TraceSpan span("", "deferred_probe_initcall");
  c.driver_deferred_probe_enable.Set(true);
  driver_deferred_probe_trigger(k);
  // Let the deferred work drain completely, so that as much as possible is bound before
  // initcalls finish.
  c.deferred_probe_work.Flush();
  c.initcalls_done.Set(true);
  if (!k.knobs.modules) fw_devlink_drivers_done(k);
  // A second round now that initcalls_done is set: what the kernel treats as optional stops
  // deferring (driver_deferred_probe_check_state without modules, the links relaxed by
  // fw_devlink_drivers_done), so devices waiting only on such dependencies can bind.
  driver_deferred_probe_trigger(k);
  c.deferred_probe_work.Flush();
  devices_deferred_show(k);
  const int t = c.driver_deferred_probe_timeout.Get();
  if (t > 0) c.deferred_probe_timeout_work.Schedule(t * harness::kSec);
  return 0;
}

int driver_deferred_probe_check_state(Device* dev) {
  DriverCore& c = C(dev);
  if (!dev->kernel->knobs.modules && c.initcalls_done.Get()) {
    TraceLog(dev->name, "driver_deferred_probe_check_state",
             "ignoring dependency for device, assuming no driver");
    return -ENODEV;
  }
  if (c.driver_deferred_probe_timeout.Get() == 0 && c.initcalls_done.Get()) {
    TraceLog(dev->name, "driver_deferred_probe_check_state",
             "deferred probe timeout, ignoring dependency");
    return -ETIMEDOUT;
  }
  return -EPROBE_DEFER;
}

std::string devices_deferred_show(Kernel& k) {
  DriverCore& c = core(k);
  std::string out;
  {
    harness::MutexLock l(c.deferred_probe_mutex);
    for (void* owner : c.deferred_probe_pending_list.Owners()) {
      Device* d = static_cast<Device*>(owner);
      absl::StrAppend(&out, d->name, "\t", d->deferred_probe_reason, "\n");
    }
  }
  TraceLog("", "devices_deferred", out);
  return out;
}

// Peeks without deferred_probe_mutex: for tests and end-of-run checks, after the tasks stopped.
bool deferred_probe_pending(Kernel& k, const Device* dev) {
  return ABSL_TS_UNCHECKED_READ(core(k).deferred_list_of)[static_cast<size_t>(dev->of_node)] ==
         DeferredList::kPending;
}

bool deferred_probe_active(Kernel& k, const Device* dev) {
  return ABSL_TS_UNCHECKED_READ(core(k).deferred_list_of)[static_cast<size_t>(dev->of_node)] ==
         DeferredList::kActive;
}

int driver_probe_device(DeviceDriver* drv, Device* dev) {
  DriverCore& c = C(dev);
  const int trigger_count = c.deferred_trigger_count.Load();
  c.probe_count.FetchAdd(1);
  const int ret = __driver_probe_device(drv, dev);
  if (ret == -EPROBE_DEFER || ret == EPROBE_DEFER) {
    driver_deferred_probe_add(dev);
    invariants::OnProbeDeferred(dev, trigger_count);
    if (trigger_count != c.deferred_trigger_count.Peek()) {
      dev->kernel->probes.Hit(ProbeId::kTriggerDuringProbe);
    }
    // If the trigger count moved during this probe, a trigger may have missed this device, so
    // trigger once more. (S8 of docs/model.md: a supplier that bound and triggered between the
    // snapshot above and driver_deferred_probe_add spliced a pending list this device was not
    // on yet. Tests: LostTrigger.*, DeferredListsControls.*.)
    if (dev->kernel->knobs.trigger_recheck) {
      if (trigger_count != c.deferred_trigger_count.Load() && !c.defer_all_probes.Get()) {
        TraceLog(dev->name, "driver_probe_device", "trigger occurred while probing: re-trigger");
        driver_deferred_probe_trigger(*dev->kernel);
      }
    }
  }
  c.probe_count.FetchSub(1);
  c.probe_waitqueue.WakeUpAll();
  return ret;
}

int __driver_probe_device(DeviceDriver* drv, Device* dev) {
  if (dev->dead.Get() || !dev->registered) return -ENODEV;
  if (dev->driver.Get() != nullptr) return -EBUSY;
  dev->can_match.Set(true);
  TraceLog(dev->name, "__driver_probe_device",
           absl::StrCat("bus: 'platform': matched device ", dev->name, " with driver ", drv->name));
  pm_runtime_get_suppliers(dev);
  if (dev->parent) pm_runtime_get_sync(dev->parent);
  const int ret = really_probe(dev, drv);
  if (dev->parent) pm_runtime_put(dev->parent);
  pm_runtime_put_suppliers(dev);
  return ret;
}

int really_probe(Device* dev, DeviceDriver* drv) {
  DriverCore& c = C(dev);
  TraceSpan span(dev->name, "really_probe");
  invariants::ProbeExclusiveScope exclusive(dev);
  invariants::ClearDeferralWait(dev);
  int ret;
  int link_ret;

  if (c.defer_all_probes.Get()) {
    TraceLog(dev->name, "really_probe", absl::StrCat("Driver ", drv->name, " force probe deferral"));
    invariants::DeferralWaitsForProbingUnblocked(dev);
    ret = -EPROBE_DEFER;
    RecordProbeResult(c, dev, drv, ret);
    return ret;
  }

  link_ret = device_links_check_suppliers(dev);
  if (link_ret == -EPROBE_DEFER) {
    RecordProbeResult(c, dev, drv, link_ret);
    return link_ret;
  }

  TraceLog(dev->name, "really_probe",
           absl::StrCat("bus: 'platform': probing driver ", drv->name, " with device ", dev->name));

  // re_probe: the device is claimed from here on, before pinctrl and DMA configuration.
  dev->driver.Set(drv);

  // Pins are set up before the driver's probe runs.
  ret = pinctrl_bind_pins(dev);
  if (ret) goto pinctrl_bind_failed;

  // bus->dma_configure: of_dma_configure -> of_iommu_configure (may defer on the IOMMU).
  ret = platform_dma_configure(dev);
  if (ret) goto pinctrl_bind_failed;

  ret = driver_sysfs_add(dev);
  if (ret) goto sysfs_failed;

  ret = call_driver_probe(dev, drv);
  if (ret) {
    // -EAGAIN from the supplier check means fw_devlink is in best-effort mode: a probe failure
    // may just reflect suppliers that have not bound yet, so it is reported as a deferral.
    if (link_ret == -EAGAIN) {
      if (ret != -EPROBE_DEFER) invariants::DeferralWaitsForSuppliers(dev, "missing (best effort)");
      ret = -EPROBE_DEFER;
    }
    // The driver's error is negated: callers tell a failed ->probe (positive) apart from the
    // core's own errors (negative).
    ret = -ret;
    goto probe_failed;
  }

  TraceLog(dev->name, "pinctrl_init_done");
  driver_bound(dev);
  TraceLog(dev->name, "really_probe",
           absl::StrCat("bus: 'platform': bound device ", dev->name, " to driver ", drv->name));
  RecordProbeResult(c, dev, drv, 0);
  return 0;

probe_failed:
  driver_sysfs_remove(dev);
sysfs_failed:
  bus_notify(dev, BusNotify::kDriverNotBound);
  platform_dma_cleanup(dev);  // bus->dma_cleanup
pinctrl_bind_failed:
  device_links_no_driver(dev);
  device_unbind_cleanup(dev);
  TraceLog(dev->name, "really_probe", absl::StrCat("returns ", ErrName(ret)));
  RecordProbeResult(c, dev, drv, ret);
  return ret;
}

int device_bind_driver(Device* dev) {
  int ret = driver_sysfs_add(dev);
  if (!ret) {
    driver_bound(dev);
  } else {
    bus_notify(dev, BusNotify::kDriverNotBound);
  }
  return ret;
}

int device_attach(Device* dev) { return __device_attach(dev, false); }

void device_initial_probe(Device* dev) { __device_attach(dev, true); }

int driver_attach(DeviceDriver* drv) {
  TraceSpan span("", absl::StrCat("driver_attach ", drv->name));
  return bus_for_each_dev(*drv->kernel, BusType::kPlatform,
                          [drv](Device* dev) { return __driver_attach(dev, drv); });
}

int device_driver_attach(DeviceDriver* drv, Device* dev) {
  dev->lock.lock();
  int ret = __driver_probe_device(drv, dev);
  dev->lock.unlock();
  // Undo really_probe's sign flip: this caller reports probe failures as negative errnos.
  if (ret > 0) ret = -ret;
  if (ret == -EPROBE_DEFER) return -EAGAIN;
  return ret;
}

void __device_release_driver(Device* dev, Device* parent) {
  DeviceDriver* drv = dev->driver.Get();
  if (drv == nullptr) return;
  TraceSpan span(dev->name, "__device_release_driver");
  pm_runtime_get_sync(dev);
  while (true) {
    bool busy = false;
    {
      // device_links_busy. Divergence: sync-state-only consumer links are skipped here; the
      // kernel counts them too and spins until such a consumer's probe has ended.
      DriverCore& c = C(dev);
      harness::MutexLock l(c.device_links_lock);
      for (DeviceLink* link : dev->consumers) {
        if (!(link->flags & DL_FLAG_MANAGED) || (link->flags & DL_FLAG_SYNC_STATE_ONLY)) continue;
        if (link->status == DL_STATE_CONSUMER_PROBE || link->status == DL_STATE_ACTIVE) {
          busy = true;
        } else {
          link->status = DL_STATE_SUPPLIER_UNBIND;
        }
      }
    }
    if (!busy) break;
    dev->lock.unlock();
    device_links_unbind_consumers(dev);
    dev->lock.lock();
    // With the lock dropped, another caller of this function may have finished the release;
    // if the driver is no longer ours, there is nothing left to do.
    if (dev->driver.Get() != drv) {
      pm_runtime_put(dev);
      return;
    }
  }
  driver_sysfs_remove(dev);
  bus_notify(dev, BusNotify::kUnbindDriver);
  pm_runtime_put_sync(dev);
  device_remove(dev);
  platform_dma_cleanup(dev);  // bus->dma_cleanup
  device_links_driver_cleanup(dev);
  device_unbind_cleanup(dev);
  {
    DriverCore& c = C(dev);
    harness::MutexLock l(c.bus_klist_lock);
    auto& v = drv->klist_devices;
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (*it == dev) {
        v.erase(it);
        break;
      }
    }
  }
  dev->bound.Set(false);
  invariants::OnDriverUnbound(dev);
  bus_notify(dev, BusNotify::kUnboundDriver);
  (void)parent;
}

void device_release_driver(Device* dev) {
  // The kernel goes through device_release_driver_internal, with no driver filter and the
  // parent passed along.
  dev->lock.lock();
  __device_release_driver(dev, dev->parent);
  dev->lock.unlock();
}

void wait_for_device_probe(Kernel& k) {
  DriverCore& c = core(k);
  // First the deferred work,
  c.deferred_probe_work.Flush();
  // then every probe in flight (probe_count back at zero), then the async tasks.
  c.probe_waitqueue.WaitEvent([&c] { return c.probe_count.Peek() == 0; });
  c.async.SynchronizeFull();
}

}  // namespace probestorm::kernel
