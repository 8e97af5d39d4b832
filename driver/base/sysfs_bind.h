// sysfs bind/unbind churn and drivers_probe storm (drivers/base/bus.c bind_store / unbind_store /
// drivers_probe_store, v6.1).
//
// StartChurn spawns `knobs.churn` tasks per available master node ("churn/<dev>/<i>"), before or
// after population: each waits a random time (rng fork "churn/<dev>/<i>"), then writes the
// master's name to the `unbind` file of the registered driver that matches it and then to that
// driver's `bind` file, a few rounds. With no matching driver registered there is no such
// directory: both writes fail with -ENOENT. Drivers with suppress_bind_attrs have no bind/unbind
// files: those stores fail with -ENOENT too. A master not yet on the bus fails both with -ENODEV.
//
// StartProbeStorm spawns `knobs.probe_storm` tasks per available master node ("storm/<dev>/<i>"):
// each writes the master's name to /sys/bus/platform/drivers_probe a few times at random moments
// of the boot. A master without a driver gets device_attach: a re-probe while it waits on the
// deferred list, racing the deferred worker, async probes and the churn; each bind it achieves
// runs driver_bound, whose driver_deferred_probe_trigger re-probes the whole pending list.
//
// Return codes (v6.1): unbind_store -ENODEV unless the device exists and dev->driver == drv, else
// 0 (the kernel returns the byte count); bind_store -ENODEV unless the device exists and drv
// matches it, else device_driver_attach's result: 0, -EBUSY (already bound), -EAGAIN (the probe
// deferred), or the probe's error.
//
// Thread-safety: the stores take device_lock as the kernel does. A ChurnObserver runs on the
// churn task; in the controlled engine one task runs at a time.
#ifndef PROBESTORM_DRIVER_BASE_SYSFS_BIND_H_
#define PROBESTORM_DRIVER_BASE_SYSFS_BIND_H_

#include <functional>

#include "driver/base/device.h"

namespace probestorm::kernel {

class Kernel;

// unbind_store: if dev->driver == drv, device_driver_detach. 0 or -ENODEV / -ENOENT. `dev` is
// what bus_find_device_by_name returned (nullptr: no such device).
int unbind_store(DeviceDriver* drv, Device* dev);
// bind_store: if drv matches dev, device_driver_attach. 0 or -ENODEV/-EBUSY/-EAGAIN/-ENOENT/probe
// error.
int bind_store(DeviceDriver* drv, Device* dev);

// One round of a churn task: what the two writes returned.
struct ChurnRound {
  Device* dev = nullptr;  // the device the writes named; nullptr while it is not on the bus
  int node = 0;           // its DT node
  int round = 0;
  int unbind = 0;
  int bind = 0;
};
using ChurnObserver = std::function<void(const ChurnRound&)>;

// Spawns the churn tasks (none when knobs.churn == 0). `observer`, if set, sees every round.
void StartChurn(Kernel& k, ChurnObserver observer = nullptr);

// drivers_probe_store: a device without a driver gets device_attach. 0, -ENODEV (no such device on
// the bus) or -EINVAL (device_attach failed; a deferred probe is not a failure there).
int drivers_probe_store(Device* dev);

// One write of a probe-storm task.
struct StormRound {
  Device* dev = nullptr;  // nullptr while the master is not on the bus
  int node = 0;
  int round = 0;
  int ret = 0;
  bool bound_after = false;  // the master was bound when the write returned
};
using StormObserver = std::function<void(const StormRound&)>;

// Spawns the probe-storm tasks (none when knobs.probe_storm == 0).
void StartProbeStorm(Kernel& k, StormObserver observer = nullptr);

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_BASE_SYSFS_BIND_H_
