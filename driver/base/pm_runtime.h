// Runtime PM (drivers/base/power/runtime.c, include/linux/pm_runtime.h, v6.1), reduced to what the
// driver core and exynos-iommu rely on: usage counting, enable/disable, supplier
// resume over DL_FLAG_PM_RUNTIME device links, the driver's runtime_suspend/resume callbacks.
//
// Semantics kept from the kernel:
//  * pm_runtime_active(dev) is the kernel's: `runtime_status == RPM_ACTIVE || disable_depth`, i.e.
//    a device whose runtime PM is disabled counts as active (exynos attach then programs the
//    hardware at once).
//  * rpm_resume on a disabled device returns 1 if it is active, -EACCES otherwise; on an active
//    device 1; else resumes the suppliers (PM_RUNTIME links) first, then calls the callback.
//  * A suspend happens when the usage count drops to 0 and runtime PM is enabled: the callback,
//    then the suppliers' references are dropped.
// Deliberate divergences: pm_runtime_put queues the idle check as a task (RPM_ASYNC, like pm_wq);
// pm_runtime_put_sync suspends in the caller; autosuspend delays are not modelled; no parent/child counting;
// concurrent transitions of one device wait for the one in progress (the kernel's
// RPM_RESUMING/RPM_SUSPENDING wait) through a per-device wait queue.
//
// Thread-safety: state under dev->power.lock; callbacks run with it dropped.
#ifndef PROBESTORM_DRIVER_BASE_PM_RUNTIME_H_
#define PROBESTORM_DRIVER_BASE_PM_RUNTIME_H_

#include "driver/base/device.h"

namespace probestorm::kernel {

void pm_runtime_enable(Device* dev);
void pm_runtime_disable(Device* dev);
// usage++, resume. Returns 0 (resumed), 1 (already active), or a negative errno.
int pm_runtime_get_sync(Device* dev);
int pm_runtime_resume_and_get(Device* dev);  // get_sync, put_noidle on failure, 0 on success
void pm_runtime_get_noresume(Device* dev);
// usage--, suspend if it reached 0 (synchronous in the model). Returns 0 or a negative errno.
int pm_runtime_put(Device* dev);
int pm_runtime_put_sync(Device* dev);
void pm_runtime_put_noidle(Device* dev);
bool pm_runtime_active(Device* dev);
bool pm_runtime_enabled(Device* dev);
void pm_runtime_set_active(Device* dev);     // only while disabled, as the kernel
void pm_runtime_set_suspended(Device* dev);
int pm_runtime_force_suspend(Device* dev);
int pm_runtime_force_resume(Device* dev);
// __driver_probe_device's supplier references (PM_RUNTIME links).
void pm_runtime_get_suppliers(Device* dev);
void pm_runtime_put_suppliers(Device* dev);
// device_unbind_cleanup / really_probe failure: back to disabled+suspended defaults.
void pm_runtime_reinit(Device* dev);

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_BASE_PM_RUNTIME_H_
