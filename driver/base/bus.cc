// Models drivers/base/bus.c of Linux v6.1: the platform bus's klists, bus_probe_device,
// bus_add_driver and the bus notifier chain.
//
// Deliberate divergences: one bus (platform); a klist walk takes a snapshot of the list under
// the klist lock first (the kernel's klist iterator also sees entries added during the walk: a
// device added during a driver_attach walk is instead matched by its own bus_probe_device, since
// the driver is already on klist_drivers, so no match is lost); the notifier chain is a vector,
// not an rwsem.
#include "driver/base/bus.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "driver/base/dd.h"
#include "driver/base/driver_core.h"
#include "harness/sync/mutex.h"
#include "driver/kernel.h"
#include "harness/trace/trace.h"

namespace probestorm::kernel {

const char* BusNotifyName(BusNotify action) {
  switch (action) {
    case BusNotify::kAddDevice: return "BUS_NOTIFY_ADD_DEVICE";
    case BusNotify::kDelDevice: return "BUS_NOTIFY_DEL_DEVICE";
    case BusNotify::kBindDriver: return "BUS_NOTIFY_BIND_DRIVER";
    case BusNotify::kBoundDriver: return "BUS_NOTIFY_BOUND_DRIVER";
    case BusNotify::kUnbindDriver: return "BUS_NOTIFY_UNBIND_DRIVER";
    case BusNotify::kUnboundDriver: return "BUS_NOTIFY_UNBOUND_DRIVER";
    case BusNotify::kDriverNotBound: return "BUS_NOTIFY_DRIVER_NOT_BOUND";
  }
  return "?";
}

void bus_register_notifier(Kernel& k, BusNotifier nb) {
  core(k).bus_notifiers.push_back(
      [nb = std::move(nb)](int action, Device* dev) { nb(static_cast<BusNotify>(action), dev); });
}

void bus_notify(Device* dev, BusNotify action) {
  harness::TraceLog(dev->name, "bus_notify", BusNotifyName(action));
  for (const auto& nb : core(*dev->kernel).bus_notifiers) nb(static_cast<int>(action), dev);
}

const char* BusName(BusType bus) { return bus == BusType::kAmba ? "amba" : "platform"; }

BusType BusOf(const Device* dev) { return dev->np->is_amba ? BusType::kAmba : BusType::kPlatform; }

int bus_for_each_dev(Kernel& k, BusType bus, const std::function<int(Device*)>& fn) {
  DriverCore& c = core(k);
  std::shared_ptr<const std::vector<Device*>> devs;
  {
    harness::MutexLock l(c.bus_klist_lock);
    devs = c.bus_devices[static_cast<size_t>(bus)];
  }
  for (Device* d : *devs) {
    if (int ret = fn(d)) return ret;
  }
  return 0;
}

Device* bus_find_device_by_of_node(Kernel& k, int node) {
  harness::MutexLock l(core(k).bus_klist_lock);
  Device* d = k.DeviceForNode(node);
  return d != nullptr && d->registered ? d : nullptr;
}

int bus_for_each_drv(Kernel& k, const std::function<int(DeviceDriver*)>& fn) {
  DriverCore& c = core(k);
  std::vector<DeviceDriver*> drvs;
  {
    harness::MutexLock l(c.bus_klist_lock);
    drvs = c.drivers;
  }
  for (DeviceDriver* d : drvs) {
    if (int ret = fn(d)) return ret;
  }
  return 0;
}

int bus_add_device(Device* dev) {
  DriverCore& c = core(*dev->kernel);
  harness::MutexLock l(c.bus_klist_lock);
  // The kernel's klist_add_tail onto the bus's device klist, kept in population order (devices
  // register in that order except the few an early driver created first).
  std::shared_ptr<const std::vector<Device*>>& published =
      c.bus_devices[static_cast<size_t>(BusOf(dev))];
  auto klist = std::make_shared<std::vector<Device*>>(*published);
  klist->insert(std::upper_bound(klist->begin(), klist->end(), dev,
                                 [](const Device* a, const Device* b) {
                                   return a->population_index < b->population_index;
                                 }),
                dev);
  published = std::move(klist);
  dev->registered = true;
  return 0;
}

void bus_probe_device(Device* dev) {
  if (core(*dev->kernel).drivers_autoprobe) device_initial_probe(dev);
}

int bus_add_driver(Kernel& k, DeviceDriver* drv) {
  DriverCore& c = core(k);
  harness::TraceSpan span("", absl::StrCat("bus_add_driver ", drv->name));
  {
    harness::MutexLock l(c.bus_klist_lock);
    c.drivers.push_back(drv);
    drv->registered = true;
  }
  if (c.drivers_autoprobe) driver_attach(drv);
  return 0;
}

}  // namespace probestorm::kernel
