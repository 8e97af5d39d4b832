// sysfs bind/unbind churn (drivers/base/bus.c bind_store / unbind_store, v6.1).
//
// StartChurn spawns `knobs.churn` tasks per master ("churn/<dev>/<i>"): each waits a random time
// (rng fork "churn/<dev>/<i>"), then unbinds the master through unbind_store and binds it again
// through bind_store, a few rounds. Drivers with suppress_bind_attrs have no bind/unbind files:
// those stores fail with -ENOENT and do nothing.
//
// Thread-safety: the stores take device_lock as the kernel does.
#ifndef PROBESTORM_DRIVER_BASE_SYSFS_BIND_H_
#define PROBESTORM_DRIVER_BASE_SYSFS_BIND_H_

#include "driver/base/device.h"

namespace probestorm::kernel {

class Kernel;

// unbind_store: if dev->driver == drv, device_release_driver. 0 or -ENODEV / -ENOENT.
int unbind_store(DeviceDriver* drv, Device* dev);
// bind_store: if !dev->driver and drv matches, device_driver_attach. 0 or -ENODEV/-EBUSY/-ENOENT.
int bind_store(DeviceDriver* drv, Device* dev);
void StartChurn(Kernel& k);

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_BASE_SYSFS_BIND_H_
