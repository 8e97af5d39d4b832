// Models drivers/base/driver.c of Linux v6.1 (driver_register with "driver core: Extend deferred
// probe timeout on driver registration", v6.0) and the platform driver registration wrapper of
// drivers/base/platform.c.
//
// Deliberate divergences: no driver groups or uevents; driver_unregister releases the devices and
// removes the driver from the bus klist without kobject teardown. The knob
// deferred_probe_extend_on_register=false models kernels before the v6.0 patch.
#include "driver/base/driver.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "driver/base/bus.h"
#include "driver/base/dd.h"
#include "driver/base/driver_core.h"
#include "harness/sync/mutex.h"
#include "driver/kernel.h"
#include "harness/trace/trace.h"

namespace probestorm::kernel {

int driver_register(Kernel& k, DeviceDriver* drv) {
  DriverCore& c = core(k);
  harness::TraceSpan span("", absl::StrCat("driver_register ", drv->name));
  {
    harness::MutexLock l(c.bus_klist_lock);
    for (DeviceDriver* other : c.drivers) {
      if (other == drv || other->name == drv->name) {
        harness::TraceLog("", "driver_register",
                          absl::StrCat("Error: Driver '", drv->name,
                                       "' is already registered, aborting..."));
        return -EBUSY;
      }
    }
  }
  drv->kernel = &k;
  int ret = bus_add_driver(k, drv);
  if (ret) return ret;
  if (k.knobs.deferred_probe_extend_on_register) deferred_probe_extend_timeout(k);
  return 0;
}

int platform_driver_register(Kernel& k, DeviceDriver* drv) { return driver_register(k, drv); }

void driver_unregister(Kernel& k, DeviceDriver* drv) {
  DriverCore& c = core(k);
  harness::TraceSpan span("", absl::StrCat("driver_unregister ", drv->name));
  // driver_detach: release every device bound to this driver.
  while (true) {
    Device* dev = nullptr;
    {
      harness::MutexLock l(c.bus_klist_lock);
      if (!drv->klist_devices.empty()) dev = drv->klist_devices.back();
    }
    if (dev == nullptr) break;
    dev->lock.lock();
    if (dev->driver.Get() == drv) {
      __device_release_driver(dev, dev->parent);
    } else {
      harness::MutexLock l(c.bus_klist_lock);
      auto& v = drv->klist_devices;
      v.erase(std::remove(v.begin(), v.end(), dev), v.end());
    }
    dev->lock.unlock();
  }
  harness::MutexLock l(c.bus_klist_lock);
  c.drivers.erase(std::remove(c.drivers.begin(), c.drivers.end(), drv), c.drivers.end());
  drv->registered = false;
}

}  // namespace probestorm::kernel
