// The probe path of the driver core (drivers/base/dd.c, v6.1).
//
// Thread-safety: every function may be called from any task. really_probe() REQUIRES
// device_lock(dev) (checked: invariant probe-exclusive); __device_attach and __driver_attach take
// it themselves. deferred_probe_mutex is never held across bus_probe_device() or a probe.
// Return values are kernel errnos (negative), except that really_probe() returns a failed
// drv->probe() error negated (positive), as dd.c does.
#ifndef PROBESTORM_DRIVER_BASE_DD_H_
#define PROBESTORM_DRIVER_BASE_DD_H_

#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "driver/base/device.h"

namespace probestorm::kernel {

class Kernel;

// driver_probe_device: trigger-count snapshot, probe_count, deferral bookkeeping and the
// trigger-count re-trigger (knob trigger_recheck). REQUIRES: device_lock(dev).
int driver_probe_device(DeviceDriver* drv, Device* dev);
// __driver_probe_device: -ENODEV if dead/unregistered, -EBUSY if dev->driver, then really_probe.
int __driver_probe_device(DeviceDriver* drv, Device* dev);
// REQUIRES: device_lock(dev). The step order of v6.1's really_probe().
int really_probe(Device* dev, DeviceDriver* drv);

// driver_deferred_probe_check_state() of v6.1, three outcomes: -ENODEV (no modules, initcalls done), -ETIMEDOUT (timeout
// expired, initcalls done), else -EPROBE_DEFER. Traces the kernel's dev_warn texts.
int driver_deferred_probe_check_state(Device* dev);

void driver_deferred_probe_add(Device* dev);
void driver_deferred_probe_del(Device* dev);
void driver_deferred_probe_trigger(Kernel& k);
// deferred_probe_extend_timeout (driver.c, v6.0): re-arms the timeout if it was still pending.
void deferred_probe_extend_timeout(Kernel& k);
// deferred_probe_initcall, the late_initcall; run by kernel_init as the last late initcall.
int deferred_probe_initcall(Kernel& k);
// The bodies of deferred_probe_work and deferred_probe_timeout_work.
void deferred_probe_work_func(Kernel& k);
void deferred_probe_timeout_work_func(Kernel& k);
// dev_err_probe-style reason for /sys/kernel/debug/devices_deferred.
void device_set_deferred_probe_reason(Device* dev, std::string reason);
// debugfs devices_deferred: one "name\treason" line per pending device; also emitted as a trace
// event ("devices_deferred").
std::string devices_deferred_show(Kernel& k);

// __device_attach(dev, allow_async = false) with the kernel's return: 1 bound, 0 no driver.
int device_attach(Device* dev);
// __device_attach(dev, allow_async = true) (bus_probe_device's entry).
void device_initial_probe(Device* dev);
// bus_for_each_dev(__driver_attach) over every device of the bus. Returns 0.
int driver_attach(DeviceDriver* drv);
// device_driver_attach (sysfs bind): probe `dev` with `drv` under the device lock.
int device_driver_attach(DeviceDriver* drv, Device* dev);
// device_bind_driver: manual binding of a device whose dev->driver is already set.
int device_bind_driver(Device* dev);

bool device_is_bound(Device* dev);
// device_release_driver: takes device_lock(dev), __device_release_driver.
void device_release_driver(Device* dev);
// REQUIRES: device_lock(dev).
void __device_release_driver(Device* dev, Device* parent) ABSL_EXCLUSIVE_LOCKS_REQUIRED(dev->lock);

// Flushes the deferred work, waits for probe_count == 0, async_synchronize_full().
void wait_for_device_probe(Kernel& k);

// driver_allows_async_probing (PROBE_PREFER_ASYNCHRONOUS / FORCE_SYNCHRONOUS / driver_async_probe=
// and the module's async_probe parameter).
bool driver_allows_async_probing(Kernel& k, const DeviceDriver* drv);

// Test/query helpers (no schedule points): is the device on the pending / active list?
bool deferred_probe_pending(Kernel& k, const Device* dev);
bool deferred_probe_active(Kernel& k, const Device* dev);

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_BASE_DD_H_
