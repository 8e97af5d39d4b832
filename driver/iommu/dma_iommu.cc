// Models drivers/iommu/dma-iommu.c of v6.1 (bodies identical in the v5.15–v5.19 and ≥v6.0 copies):
// iommu_setup_dma_ops, iommu_dma_init_domain and the map path of iommu_dma_ops.
// Deliberate divergences: the IOVA allocator is a top-down bump allocator (no rbtree, no rcache,
// no reuse); no flush queue (DMA_FQ behaves like DMA); no scatterlists, no swiotlb bouncing.
#include "driver/iommu/dma_iommu.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "driver/arch/dma_mapping.h"
#include "driver/invariants/dma_ops_on_bound.h"
#include "driver/kernel.h"
#include "harness/trace/trace.h"

namespace probestorm::kernel {

using harness::TraceLog;

namespace {
constexpr int kEFAULT = 14;  // EFAULT (not in device.h's errno list)
}  // namespace

int iommu_get_dma_cookie(Kernel& k, IommuDomain* domain) {
  // CONFIG_IOMMU_DMA is `def_bool ARM64 || IA64 || X86` (drivers/iommu/Kconfig): on arm32 this is
  // the include/linux/dma-iommu.h stub, and no DMA domain can be made.
  if (k.knobs.arch == Arch::kArm32) return -ENODEV;
  if (domain->iova_cookie != nullptr) return -EEXIST;
  domain->iova_cookie = k.Alloc<IovaDomain>();
  return 0;
}

int iommu_dma_init_domain(IommuDomain* domain, uint64_t base, uint64_t limit, Device* dev) {
  IovaDomain* iovad = domain->iova_cookie;
  if (iovad == nullptr) return -EINVAL;
  // The IOVA granule is the domain's smallest page size (lowest bit set in pgsize_bitmap).
  uint64_t granule = 4096;
  for (int bit = 0; bit < 64; ++bit) {
    if (domain->pgsize_bitmap & (1ULL << bit)) {
      granule = 1ULL << bit;
      break;
    }
  }
  // The requested DMA window must overlap the domain's aperture somewhere.
  if (base > domain->aperture_end || limit < domain->aperture_start) {
    TraceLog(dev->name, "iommu_dma_init_domain", "specified DMA range outside IOMMU capability");
    return -kEFAULT;
  }
  const uint64_t start = std::max(base, granule);
  iovad->lock.lock();
  if (iovad->initialised) {
    const bool same = iovad->granule == granule && iovad->start == start;
    iovad->lock.unlock();
    if (!same) {
      TraceLog(dev->name, "iommu_dma_init_domain", "Incompatible range for DMA domain");
      return -kEFAULT;
    }
    return 0;
  }
  iovad->granule = granule;
  iovad->start = start;
  iovad->limit = std::min(limit, domain->aperture_end);
  iovad->next_top = iovad->limit + 1;
  iovad->initialised = true;
  iovad->lock.unlock();
  return 0;
}

void iommu_setup_dma_ops(Device* dev, uint64_t dma_base, uint64_t dma_limit) {
  IommuDomain* domain = iommu_get_domain_for_dev(dev);
  if (domain == nullptr) {
    TraceLog(dev->name, "iommu_setup_dma_ops",
             absl::StrCat("Failed to set up IOMMU for device ", dev->name,
                          "; retaining platform DMA ops"));
    return;
  }
  if (domain->type != IommuDomainType::kDma && domain->type != IommuDomainType::kDmaFq) return;
  if (iommu_dma_init_domain(domain, dma_base, dma_limit, dev) != 0) {
    TraceLog(dev->name, "iommu_setup_dma_ops",
             absl::StrCat("Failed to set up IOMMU for device ", dev->name,
                          "; retaining platform DMA ops"));
    return;
  }
  // Unconditional: no check of the current dma_ops or of dev->driver (v6.1 iommu_setup_dma_ops).
  if (dev->dma_ops.Peek() != &iommu_dma_ops) {
    invariants::OnDmaSetupChange(dev, absl::StrCat("iommu_setup_dma_ops: dma_ops ",
                                            DmaOpsName(dev->dma_ops.Peek()), " -> iommu_dma_ops"));
  }
  dev->dma_ops.Set(&iommu_dma_ops);
  TraceLog(dev->name, "iommu_setup_dma_ops", absl::StrCat("dma_ops = iommu_dma_ops (", domain->name, ")"));
}

uint64_t iommu_dma_alloc_iova(IommuDomain* domain, uint64_t size, uint64_t dma_limit) {
  IovaDomain* iovad = domain->iova_cookie;
  if (iovad == nullptr || !iovad->initialised) return 0;
  // Size-aligned like alloc_iova(..., size_aligned = true) for sizes up to the largest page.
  uint64_t align = iovad->granule;
  while (align < size && align < (1ULL << 20)) align <<= 1;
  iovad->lock.lock();
  const uint64_t top = std::min(iovad->next_top, std::min(dma_limit, iovad->limit) + 1);
  uint64_t iova = 0;
  if (top >= size && ((top - size) & ~(align - 1)) >= iovad->start) {
    iova = (top - size) & ~(align - 1);
    iovad->next_top = iova;
  }
  iovad->lock.unlock();
  return iova;
}

namespace {

uint64_t IommuDmaMap(Device* dev, uint64_t phys, uint64_t size, bool write) {
  IommuDomain* domain = iommu_get_domain_for_dev(dev);
  if (domain == nullptr) return DMA_MAPPING_ERROR;
  const uint64_t granule = domain->iova_cookie ? domain->iova_cookie->granule : 4096;
  const uint64_t offset = phys & (granule - 1);
  const uint64_t len = (offset + size + granule - 1) & ~(granule - 1);
  const uint64_t iova = iommu_dma_alloc_iova(domain, len, dev->dma_mask);
  if (iova == 0) return DMA_MAPPING_ERROR;
  const int prot = IOMMU_READ | (write ? IOMMU_WRITE : 0);
  if (iommu_map(domain, iova, phys - offset, len, prot) != 0) return DMA_MAPPING_ERROR;
  return iova + offset;
}

void IommuDmaUnmap(Device* dev, uint64_t dma, uint64_t size) {
  IommuDomain* domain = iommu_get_domain_for_dev(dev);
  if (domain == nullptr) return;
  const uint64_t granule = domain->iova_cookie ? domain->iova_cookie->granule : 4096;
  const uint64_t offset = dma & (granule - 1);
  const uint64_t len = (offset + size + granule - 1) & ~(granule - 1);
  iommu_unmap(domain, dma - offset, len);
}

}  // namespace

const DmaMapOps iommu_dma_ops = {"iommu_dma_ops", &IommuDmaMap, &IommuDmaUnmap};

}  // namespace probestorm::kernel
