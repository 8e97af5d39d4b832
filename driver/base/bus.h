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

// include/linux/device/bus.h BUS_NOTIFY_*.
enum class BusNotify {
  kAddDevice,      // BUS_NOTIFY_ADD_DEVICE: device_add, before fw_devlink links and probing
  kDelDevice,
  kBindDriver,     // BUS_NOTIFY_BIND_DRIVER: really_probe, after dma_configure, before probe
  kBoundDriver,    // BUS_NOTIFY_BOUND_DRIVER: driver_bound
  kUnbindDriver,
  kUnboundDriver,
  kDriverNotBound, // BUS_NOTIFY_DRIVER_NOT_BOUND: really_probe failure
};
const char* BusNotifyName(BusNotify action);
using BusNotifier = std::function<void(BusNotify action, Device* dev)>;
// bus_register_notifier(&platform_bus_type, nb): called in registration order from the task that
// emits the event (with the locks the kernel holds there: none for kAddDevice, device_lock for
// the bind/unbind events).
void bus_register_notifier(Kernel& k, BusNotifier nb);
void bus_notify(Device* dev, BusNotify action);

// The buses devices sit on: platform, or AMBA for "arm,primecell" nodes (of_amba_device_create;
// hwmodel's DtNode::is_amba). No AMBA driver is modelled: AMBA devices are only walked by
// bus_iommu_probe.
enum class BusType { kPlatform, kAmba };
const char* BusName(BusType bus);
BusType BusOf(const Device* dev);

// Walks the devices of `bus` in klist order; stops at and returns the first non-zero result.
int bus_for_each_dev(Kernel& k, BusType bus, const std::function<int(Device*)>& fn);
// bus_find_device_by_of_node(&platform_bus_type, np), i.e. of_find_device_by_node(): the registered
// device of DT node `node`, or NULL. A klist walk under the klist lock (a schedule point).
Device* bus_find_device_by_of_node(Kernel& k, int node);
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
