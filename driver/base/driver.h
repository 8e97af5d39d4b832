// driver_register (drivers/base/driver.c, v6.1 with "driver core: Extend deferred probe timeout on
// driver registration", v6.0).
//
// Thread-safety: callable from any task (an initcall, a modprobe task); probes synchronously in
// the caller unless the driver allows async probing.
#ifndef PROBESTORM_DRIVER_BASE_DRIVER_H_
#define PROBESTORM_DRIVER_BASE_DRIVER_H_

#include "driver/base/device.h"

namespace probestorm::kernel {

class Kernel;

// bus_add_driver -> driver_attach, then deferred_probe_extend_timeout (knob
// deferred_probe_extend_on_register). Sets drv->kernel. Returns 0 or -EBUSY (already registered).
int driver_register(Kernel& k, DeviceDriver* drv);
// __platform_driver_register: bus = platform, then driver_register.
int platform_driver_register(Kernel& k, DeviceDriver* drv);
// driver_unregister: releases every bound device, removes the driver from the bus.
void driver_unregister(Kernel& k, DeviceDriver* drv);

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_BASE_DRIVER_H_
