// Models the platform bus type callbacks of drivers/base/platform.c, Linux v6.1: platform_match
// (of_driver_match_device), platform_dma_configure (with the DMA-ownership claim of v5.19+,
// 512881eacfa7), platform_dma_cleanup, platform_probe, platform_remove.
//
// Deliberate divergences: no driver_override, id tables or ACPI; no modelled driver sets
// driver_managed_dma (none of the Exynos masters does), so every bound driver claims.
#include "driver/base/platform.h"

#include <string>

#include "driver/arch/dma_mapping.h"
#include "driver/iommu/iommu.h"
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
  int ret = of_dma_configure(dev, /*force_dma=*/true);
  if (ret == 0) {
    // A device without an IOMMU group (yet) claims nothing.
    ret = iommu_device_use_default_domain(dev);
    if (ret != 0) arch_teardown_dma_ops(dev);
  }
  return ret;
}

void platform_dma_cleanup(Device* dev) {
  harness::TraceSpan span(dev->name, "platform_dma_cleanup");
  iommu_device_unuse_default_domain(dev);
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
