// arch_setup_dma_ops / arch_teardown_dma_ops for arm64 (arch/arm64/mm/dma-mapping.c) and arm32
// (arch/arm/mm/dma-mapping.c), v6.1, the DMA ops tables (struct dma_map_ops) and
// the streaming-mapping entry points the master drivers use (dma_map_single / dma_unmap_single
// reduced to physical ranges).
//
// dev->dma_ops == nullptr is dma-direct: the DMA address is the physical address.
// iommu_dma_ops (arm64, drivers/iommu/dma-iommu.c) maps through the device's group domain;
// arm_iommu_ops (arm32) maps through the device's private dma_iommu_mapping (archdata.mapping).
//
// Thread-safety: arch_setup/teardown are called with the device lock held (really_probe, unbind).
// dma_map/unmap may be called from any task of the device's driver.
#ifndef PROBESTORM_DRIVER_ARCH_DMA_MAPPING_H_
#define PROBESTORM_DRIVER_ARCH_DMA_MAPPING_H_

#include <cstdint>
#include <functional>

#include "driver/base/device.h"

namespace probestorm::kernel {

struct IommuOps;

inline constexpr uint64_t DMA_MAPPING_ERROR = ~uint64_t{0};

struct DmaMapOps {
  const char* name;  // "iommu_dma_ops", "arm_iommu_ops"
  uint64_t (*map)(Device* dev, uint64_t phys, uint64_t size, bool write);
  void (*unmap)(Device* dev, uint64_t dma, uint64_t size);
};

extern const DmaMapOps iommu_dma_ops;  // arm64 / IOMMU_DMA (dma_iommu.cc)
extern const DmaMapOps arm_iommu_ops;  // arm32 (dma_mapping.cc)

void arch_setup_dma_ops(Device* dev, uint64_t dma_base, uint64_t size, const IommuOps* iommu,
                        bool coherent);
void arch_teardown_dma_ops(Device* dev);

// dma_map_single(dev, phys, size, dir): through dev->dma_ops, or dma-direct (returns phys).
// DMA_MAPPING_ERROR on failure. `ops_used` (optional) receives the ops that mapped it.
uint64_t dma_map_phys(Device* dev, uint64_t phys, uint64_t size, bool write,
                      const DmaMapOps** ops_used = nullptr);
// Unmaps through `ops` (the ops that mapped it; nullptr = dma-direct: nothing to do).
void dma_unmap_phys(Device* dev, const DmaMapOps* ops, uint64_t dma, uint64_t size);
const char* DmaOpsName(const DmaMapOps* ops);  // "dma-direct" for nullptr

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_ARCH_DMA_MAPPING_H_
