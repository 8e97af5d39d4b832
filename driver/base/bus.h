// The platform bus's device and driver walks (drivers/base/bus.c, v6.1).
//
// Thread-safety: the device klist is Kernel::devices (append-only during OF population; walks
// copy it first, as klist iteration tolerates concurrent addition); the driver klist is
// DriverCore::drivers under bus_klist_lock (walks copy it).
#ifndef PROBESTORM_DRIVER_BASE_BUS_H_
#define PROBESTORM_DRIVER_BASE_BUS_H_

#include <functional>

#include "driver/base/device.h"

namespace probestorm::kernel {

class Kernel;

// Walks the devices in klist order; stops at and returns the first non-zero result.
int bus_for_each_dev(Kernel& k, const std::function<int(Device*)>& fn);
// Walks the registered drivers in registration order; stops at the first non-zero result.
int bus_for_each_drv(Kernel& k, const std::function<int(DeviceDriver*)>& fn);
// Adds the device to the bus klist (bus_add_device). Called by device_add.
int bus_add_device(Device* dev);
// bus_probe_device: device_initial_probe() when drivers_autoprobe.
void bus_probe_device(Device* dev);
// bus_add_driver: klist insertion, then driver_attach() when drivers_autoprobe.
int bus_add_driver(Kernel& k, DeviceDriver* drv);

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_BASE_BUS_H_
