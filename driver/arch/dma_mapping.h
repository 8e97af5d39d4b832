// arch_setup_dma_ops / arch_teardown_dma_ops for arm64 (arch/arm64/mm/dma-mapping.c) and arm32
// (arch/arm/mm/dma-mapping.c), v6.1 (KERNEL.md §3.4), and the DMA ops tables.
//
// Thread-safety: called with the device lock held (really_probe, unbind).
#ifndef PROBESTORM_DRIVER_ARCH_DMA_MAPPING_H_
#define PROBESTORM_DRIVER_ARCH_DMA_MAPPING_H_

#include <cstdint>

#include "driver/base/device.h"

namespace probestorm::kernel {

struct IommuOps;

void arch_setup_dma_ops(Device* dev, uint64_t dma_base, uint64_t size, const IommuOps* iommu,
                        bool coherent);
void arch_teardown_dma_ops(Device* dev);

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_ARCH_DMA_MAPPING_H_
