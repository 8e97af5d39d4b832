// Models the platform bus type callbacks of drivers/base/platform.c, Linux v6.1: platform_match
// (of_driver_match_device), platform_dma_configure, platform_probe, platform_remove.
//
// Deliberate divergences: no driver_override, id tables or ACPI; platform_dma_configure does not
// call iommu_device_use_default_domain (the DMA-ownership claim of v5.19+), and the bus has no
// dma_cleanup.
#include "driver/base/platform.h"

#include <string>

#include "driver/of/of_device.h"
#include "harness/trace/trace.h"

namespace probestorm::kernel {

int platform_match(Device* dev, DeviceDriver* drv) {
  // of_driver_match_device -> of_match_device: only available nodes have devices, but a node's
  // availability is re-checked as of_device_is_available would.
  if (!dev->np->available) return 0;
  for (const std::string& compat : dev->np->compatible) {
    for (const std::string& m : drv->of_match) {
      if (m == compat) return 1;
    }
  }
  return 0;
}

int platform_dma_configure(Device* dev) {
  harness::TraceSpan span(dev->name, "platform_dma_configure");
  return of_dma_configure(dev, /*force_dma=*/true);
}

int platform_probe(Device* dev) {
  DeviceDriver* drv = dev->driver.Get();
  harness::TraceSpan span(dev->name, "platform_probe");
  if (drv == nullptr || !drv->probe) return 0;
  return drv->probe(dev);
}

void platform_remove(Device* dev) {
  DeviceDriver* drv = dev->driver.Get();
  if (drv != nullptr && drv->remove) drv->remove(dev);
}

}  // namespace probestorm::kernel
