// The IOMMU DMA layer (drivers/iommu/dma-iommu.c, v6.1): the DMA cookie with a
// simple IOVA allocator, iommu_dma_init_domain, iommu_setup_dma_ops (arm64) and the map/unmap of
// iommu_dma_ops.
//
// Thread-safety: iommu_setup_dma_ops runs in really_probe (device lock held). The IOVA allocator
// is under the cookie's own mutex (iova_rbtree_lock).
#ifndef PROBESTORM_DRIVER_IOMMU_DMA_IOMMU_H_
#define PROBESTORM_DRIVER_IOMMU_DMA_IOMMU_H_

#include <cstdint>

#include "driver/base/device.h"
#include "driver/iommu/iommu.h"
#include "harness/sync/mutex.h"

namespace probestorm::kernel {

// struct iommu_dma_cookie + struct iova_domain, reduced to a top-down bump allocator (freed
// ranges are not reused: IOVA space is large compared with what a run maps).
struct IovaDomain {
  harness::Mutex lock{"iova_rbtree_lock"};
  bool initialised = false;    // iommu_dma_init_domain done
  uint64_t granule = 4096;
  uint64_t start = 0;          // lowest IOVA (base, at least one granule)
  uint64_t limit = 0;          // highest IOVA
  uint64_t next_top = 0;       // next allocation ends below this
};

int iommu_get_dma_cookie(Kernel& k, IommuDomain* domain);
// 0, or -EFAULT ("specified DMA range outside IOMMU capability", "Incompatible range for DMA
// domain") / -EINVAL (no cookie).
int iommu_dma_init_domain(IommuDomain* domain, uint64_t base, uint64_t limit, Device* dev);
// arm64: no domain -> warning and keep the ops; DMA domain -> dev->dma_ops = &iommu_dma_ops
// unconditionally (no look at dev->dma_ops or dev->driver); other domain types: nothing.
void iommu_setup_dma_ops(Device* dev, uint64_t dma_base, uint64_t dma_limit);
// IOVA allocation from the cookie: DMA_MAPPING_ERROR-like 0 on exhaustion.
uint64_t iommu_dma_alloc_iova(IommuDomain* domain, uint64_t size, uint64_t dma_limit);

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_IOMMU_DMA_IOMMU_H_
