// of_dma_configure (drivers/of/device.c, v5.15..v6.6 body).
//
// Thread-safety: called from really_probe with the device lock held.
#ifndef PROBESTORM_DRIVER_OF_OF_DEVICE_H_
#define PROBESTORM_DRIVER_OF_OF_DEVICE_H_

#include "driver/base/device.h"

namespace probestorm::kernel {

// Returns 0 or a negative errno; -EPROBE_DEFER when the IOMMU is not there yet. Always reaches
// arch_setup_dma_ops unless it defers.
int of_dma_configure(Device* dev, bool force_dma);

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_OF_OF_DEVICE_H_
