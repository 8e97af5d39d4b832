// The platform bus type's callbacks (drivers/base/platform.c, v6.1).
//
// Thread-safety: platform_dma_configure and platform_probe run inside really_probe with the
// device lock held; platform_match is lock-free (reads immutable DT data and the driver table).
#ifndef PROBESTORM_DRIVER_BASE_PLATFORM_H_
#define PROBESTORM_DRIVER_BASE_PLATFORM_H_

#include "driver/base/device.h"

namespace probestorm::kernel {

// of_driver_match_device: 1 if one of the node's compatibles is in drv->of_match and the node is
// (effectively) available; 0 otherwise.
int platform_match(Device* dev, DeviceDriver* drv);
// bus->dma_configure: of_dma_configure(dev, true).
int platform_dma_configure(Device* dev);
// bus->dma_cleanup: drops the claim platform_dma_configure made, after a failed probe and at unbind.
void platform_dma_cleanup(Device* dev);
// bus->probe: drv->probe(dev) (0 when the driver has no probe).
int platform_probe(Device* dev);
// bus->remove.
void platform_remove(Device* dev);

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_BASE_PLATFORM_H_
