// Models drivers/base/power/runtime.c of Linux v6.1, reduced (see pm_runtime.h): rpm_resume /
// rpm_suspend with supplier handling over DL_FLAG_PM_RUNTIME device links, usage counting,
// enable/disable, pm_runtime_{get,put}_suppliers for the probe path.
//
// Deliberate divergences: pm_runtime_put's idle check runs as a spawned task (pm_wq),
// pm_runtime_put_sync's in the caller; no autosuspend, no parent/child counting, no irq_safe, no runtime_error latch;
// supplier lists are copied under device_links_lock instead of walked under SRCU.
#include "driver/base/pm_runtime.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "driver/base/core.h"
#include "driver/base/driver_core.h"
#include "harness/sync/mutex.h"
#include "driver/kernel.h"
#include "harness/trace/trace.h"

namespace probestorm::kernel {
namespace {

using harness::TraceLog;

bool Stable(RpmStatus s) { return s == RpmStatus::kActive || s == RpmStatus::kSuspended; }

// pm_generic_runtime_{suspend,resume} of the platform bus: the driver's callback, 0 without one.
int Callback(Device* dev, bool resume) {
  DeviceDriver* drv = dev->driver.Get();
  if (drv == nullptr) return 0;
  const auto& cb = resume ? drv->pm.runtime_resume : drv->pm.runtime_suspend;
  if (!cb) return 0;
  harness::TraceSpan span(dev->name, resume ? "rpm_resume callback" : "rpm_suspend callback");
  return cb(dev);
}

std::vector<DeviceLink*> PmRuntimeSupplierLinks(Device* dev) {
  DriverCore& c = core(*dev->kernel);
  std::vector<DeviceLink*> out;
  harness::MutexLock l(c.device_links_lock);
  for (DeviceLink* link : dev->suppliers) {
    if (link->flags & DL_FLAG_PM_RUNTIME) out.push_back(link);
  }
  return out;
}

// pm_request_idle: the idle check queued on pm_wq (RPM_ASYNC); it runs later in a worker, never
// under the caller's locks.
void RequestIdle(Device* dev);

// __rpm_put_suppliers: drops every reference the consumer's resume took on its suppliers and,
// with try_to_suspend, queues an idle check for each. The caller still has the consumer in
// RPM_SUSPENDING or RPM_RESUMING (as __rpm_callback does), so a concurrent resume of the
// consumer waits until the references are gone and then takes its own.
void RpmPutSuppliers(Device* dev, bool try_to_suspend) {
  DriverCore& c = core(*dev->kernel);
  for (DeviceLink* link : PmRuntimeSupplierLinks(dev)) {
    int n;
    {
      harness::MutexLock l(c.device_links_lock);
      if (link->status == DL_STATE_SUPPLIER_UNBIND) continue;
      n = link->rpm_active;
      link->rpm_active = 0;
    }
    for (int i = 0; i < n; ++i) pm_runtime_put_noidle(link->supplier);
    if (try_to_suspend) RequestIdle(link->supplier);
  }
}

// rpm_suspend_suppliers: after the consumer is RPM_SUSPENDED, maybe its suppliers can suspend.
void RpmSuspendSuppliers(Device* dev) {
  for (DeviceLink* link : PmRuntimeSupplierLinks(dev)) RequestIdle(link->supplier);
}

// rpm_get_suppliers.
int RpmGetSuppliers(Device* dev) {
  DriverCore& c = core(*dev->kernel);
  for (DeviceLink* link : PmRuntimeSupplierLinks(dev)) {
    const int ret = pm_runtime_get_sync(link->supplier);
    // -EACCES (the supplier's runtime PM is disabled) does not fail the resume.
    if (ret < 0 && ret != -EACCES) {
      pm_runtime_put_noidle(link->supplier);
      return ret;
    }
    harness::MutexLock l(c.device_links_lock);
    ++link->rpm_active;
  }
  return 0;
}

// Waits until no transition of `dev` is in progress. REQUIRES: power.lock held on entry and exit.
void WaitStable(Device* dev) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  DevPmInfo& p = dev->power;
  while (!Stable(p.runtime_status.Get())) {
    const uint64_t seen = p.transitions_ended.load(std::memory_order_relaxed);
    const harness::TaskId holder = p.transition_task;
    p.lock.unlock();
    p.wait_queue.WaitEvent(
        [&p, seen] { return p.transitions_ended.load(std::memory_order_acquire) != seen; }, holder);
    p.lock.lock();
  }
}

// Ends the transition in progress with the stable `status` and wakes its waiters.
void EndTransition(Device* dev, RpmStatus status) {
  DevPmInfo& p = dev->power;
  {
    harness::MutexLock l(p.lock);
    p.runtime_status.Set(status);
    p.transition_task = harness::kNoTask;
    p.transitions_ended.fetch_add(1, std::memory_order_release);
  }
  p.wait_queue.WakeUpAll();
}

int rpm_resume(Device* dev) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  DevPmInfo& p = dev->power;
  p.lock.lock();
  WaitStable(dev);
  if (p.disable_depth.Get() > 0) {
    const int r = p.runtime_status.Get() == RpmStatus::kActive ? 1 : -EACCES;
    p.lock.unlock();
    return r;
  }
  if (p.runtime_status.Get() == RpmStatus::kActive) {
    p.lock.unlock();
    return 1;
  }
  p.runtime_status.Set(RpmStatus::kResuming);
  p.transition_task = harness::Current().Self();
  p.lock.unlock();

  harness::TraceSpan span(dev->name, "rpm_resume");
  int ret = RpmGetSuppliers(dev);
  if (ret == 0) ret = Callback(dev, /*resume=*/true);
  // __rpm_callback gives the supplier references back on a failed resume as well.
  if (ret != 0) RpmPutSuppliers(dev, /*try_to_suspend=*/true);

  EndTransition(dev, ret == 0 ? RpmStatus::kActive : RpmStatus::kSuspended);
  if (ret != 0) TraceLog(dev->name, "rpm_resume", absl::StrCat("failed: ", ErrName(ret)));
  return ret;
}

int rpm_suspend(Device* dev) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  DevPmInfo& p = dev->power;
  p.lock.lock();
  WaitStable(dev);
  // rpm_check_suspend_allowed
  int ret = 0;
  if (p.disable_depth.Get() > 0) {
    ret = -EACCES;
  } else if (p.usage_count.Get() > 0) {
    ret = -EAGAIN;
  } else if (p.runtime_status.Get() == RpmStatus::kSuspended) {
    ret = 1;
  }
  if (ret != 0) {
    p.lock.unlock();
    return ret;
  }
  p.runtime_status.Set(RpmStatus::kSuspending);
  p.transition_task = harness::Current().Self();
  p.lock.unlock();

  harness::TraceSpan span(dev->name, "rpm_suspend");
  ret = Callback(dev, /*resume=*/false);
  // Still RPM_SUSPENDING: drop the suppliers' references before the status can change.
  if (ret == 0) RpmPutSuppliers(dev, /*try_to_suspend=*/false);
  EndTransition(dev, ret == 0 ? RpmStatus::kSuspended : RpmStatus::kActive);
  // With this device RPM_SUSPENDED, each supplier gets an idle check of its own.
  if (ret == 0) RpmSuspendSuppliers(dev);
  return ret;
}

// rpm_idle: usage 0, enabled, active -> suspend (synchronously).
int rpm_idle(Device* dev) {
  DevPmInfo& p = dev->power;
  bool suspend;
  {
    harness::MutexLock l(p.lock);
    suspend = p.usage_count.Get() == 0 && p.disable_depth.Get() == 0 &&
              p.runtime_status.Get() == RpmStatus::kActive;
  }
  return suspend ? rpm_suspend(dev) : 0;
}

void RequestIdle(Device* dev) {
  harness::Spawn("kworker/pm_wq:" + dev->name, [dev] { rpm_idle(dev); });
}

}  // namespace

void pm_runtime_enable(Device* dev) {
  DevPmInfo& p = dev->power;
  harness::MutexLock l(p.lock);
  const int depth = p.disable_depth.Get();
  if (depth == 0) {
    TraceLog(dev->name, "pm_runtime_enable", "Unbalanced pm_runtime_enable!");
    return;
  }
  p.disable_depth.Set(depth - 1);
}

void pm_runtime_disable(Device* dev) {
  DevPmInfo& p = dev->power;
  harness::MutexLock l(p.lock);
  p.disable_depth.Set(p.disable_depth.Get() + 1);
}

int pm_runtime_get_sync(Device* dev) {
  {
    harness::MutexLock l(dev->power.lock);
    dev->power.usage_count.Set(dev->power.usage_count.Get() + 1);
  }
  return rpm_resume(dev);
}

int pm_runtime_resume_and_get(Device* dev) {
  const int ret = pm_runtime_get_sync(dev);
  if (ret < 0) {
    pm_runtime_put_noidle(dev);
    return ret;
  }
  return 0;
}

void pm_runtime_get_noresume(Device* dev) {
  harness::MutexLock l(dev->power.lock);
  dev->power.usage_count.Set(dev->power.usage_count.Get() + 1);
}

void pm_runtime_put_noidle(Device* dev) {
  harness::MutexLock l(dev->power.lock);
  const int u = dev->power.usage_count.Get();
  if (u > 0) dev->power.usage_count.Set(u - 1);
}

int pm_runtime_put(Device* dev) {
  bool zero;
  {
    harness::MutexLock l(dev->power.lock);
    const int u = dev->power.usage_count.Get();
    if (u <= 0) {
      TraceLog(dev->name, "pm_runtime_put", "Runtime PM usage count underflow!");
      return -EINVAL;
    }
    dev->power.usage_count.Set(u - 1);
    zero = u == 1;
  }
  if (!zero) return 0;
  // RPM_ASYNC: exynos attach_dev calls pm_runtime_put with owner->rpm_lock held, and the SysMMU's
  // suspend callback takes that lock.
  RequestIdle(dev);
  return 0;
}

int pm_runtime_put_sync(Device* dev) {
  bool zero;
  {
    harness::MutexLock l(dev->power.lock);
    const int u = dev->power.usage_count.Get();
    if (u <= 0) {
      TraceLog(dev->name, "pm_runtime_put_sync", "Runtime PM usage count underflow!");
      return -EINVAL;
    }
    dev->power.usage_count.Set(u - 1);
    zero = u == 1;
  }
  if (!zero) return 0;
  const int ret = rpm_idle(dev);
  return ret < 0 && ret != -EACCES && ret != -EAGAIN ? ret : 0;
}

bool pm_runtime_active(Device* dev) {
  // include/linux/pm_runtime.h: runtime_status == RPM_ACTIVE || disable_depth — a device with
  // runtime PM disabled counts as active.
  harness::MutexLock l(dev->power.lock);
  return dev->power.runtime_status.Get() == RpmStatus::kActive || dev->power.disable_depth.Get() > 0;
}

bool pm_runtime_enabled(Device* dev) {
  harness::MutexLock l(dev->power.lock);
  return dev->power.disable_depth.Get() == 0;
}

void pm_runtime_set_active(Device* dev) {
  harness::MutexLock l(dev->power.lock);
  if (dev->power.disable_depth.Get() == 0) return;  // -EAGAIN in the kernel
  dev->power.runtime_status.Set(RpmStatus::kActive);
}

void pm_runtime_set_suspended(Device* dev) {
  harness::MutexLock l(dev->power.lock);
  if (dev->power.disable_depth.Get() == 0) return;
  dev->power.runtime_status.Set(RpmStatus::kSuspended);
}

int pm_runtime_force_suspend(Device* dev) {
  pm_runtime_disable(dev);
  bool active;
  {
    harness::MutexLock l(dev->power.lock);
    active = dev->power.runtime_status.Get() == RpmStatus::kActive;
  }
  if (!active) return 0;
  const int ret = Callback(dev, /*resume=*/false);
  if (ret) {
    pm_runtime_enable(dev);
    return ret;
  }
  harness::MutexLock l(dev->power.lock);
  dev->power.runtime_status.Set(RpmStatus::kSuspended);
  return 0;
}

int pm_runtime_force_resume(Device* dev) {
  bool needs;
  {
    harness::MutexLock l(dev->power.lock);
    needs = dev->power.runtime_status.Get() == RpmStatus::kSuspended &&
            dev->power.usage_count.Get() > 0;
  }
  int ret = 0;
  if (needs) {
    ret = Callback(dev, /*resume=*/true);
    if (ret == 0) {
      harness::MutexLock l(dev->power.lock);
      dev->power.runtime_status.Set(RpmStatus::kActive);
    }
  }
  pm_runtime_enable(dev);
  return ret;
}

void pm_runtime_get_suppliers(Device* dev) {
  DriverCore& c = core(*dev->kernel);
  for (DeviceLink* link : PmRuntimeSupplierLinks(dev)) {
    {
      harness::MutexLock l(c.device_links_lock);
      link->supplier_preactivated = true;
    }
    pm_runtime_get_sync(link->supplier);
  }
}

void pm_runtime_put_suppliers(Device* dev) {
  DriverCore& c = core(*dev->kernel);
  for (DeviceLink* link : PmRuntimeSupplierLinks(dev)) {
    bool put;
    {
      harness::MutexLock l(c.device_links_lock);
      put = link->supplier_preactivated;
      link->supplier_preactivated = false;
    }
    if (put) pm_runtime_put(link->supplier);
  }
}

void pm_runtime_reinit(Device* dev) {
  harness::MutexLock l(dev->power.lock);
  if (dev->power.disable_depth.Get() > 0 &&
      dev->power.runtime_status.Get() == RpmStatus::kActive) {
    dev->power.runtime_status.Set(RpmStatus::kSuspended);
  }
}

}  // namespace probestorm::kernel
