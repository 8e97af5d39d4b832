// Models arch/arm64/mm/dma-mapping.c and arch/arm/mm/dma-mapping.c of v6.1, by
// knob arch:
//   arm64  arch_setup_dma_ops: dev->dma_coherent = coherent; if (iommu) iommu_setup_dma_ops() —
//          no early return, no look at dev->dma_ops or dev->driver. Teardown: dma_ops = NULL.
//   arm32  arch_setup_dma_ops: coherent only ever set; returns early, keeping the ops, if
//          dev->dma_ops is already set; with an IOMMU arm_setup_iommu_dma_ops(): a private
//          dma_iommu_mapping (own UNMANAGED domain and IOVA space), iommu_attach_device,
//          set_dma_ops(&arm_iommu_ops); dma_ops_setup = true.
//          Teardown (only if dma_ops_setup): detach, release the mapping, dma_ops = NULL.
// Deliberate divergences: no Xen, no cache-line warning, no swiotlb; the arm32 mapping's IOVA
// bitmap is the same bump allocator as dma-iommu's.
#include "driver/arch/dma_mapping.h"

#include "absl/strings/str_cat.h"
#include "driver/invariants/dma_ops_on_bound.h"
#include "driver/iommu/dma_iommu.h"
#include "driver/iommu/iommu.h"
#include "driver/kernel.h"
#include "harness/trace/trace.h"

namespace probestorm::kernel {

using harness::TraceLog;

namespace {

// struct dma_iommu_mapping (arch/arm/include/asm/dma-iommu.h).
struct DmaIommuMapping {
  IommuDomain* domain = nullptr;
  bool released = false;
};

DmaIommuMapping* to_dma_iommu_mapping(Device* dev) {
  return static_cast<DmaIommuMapping*>(dev->archdata_mapping);
}

void SetDmaOps(Device* dev, const DmaMapOps* ops, const char* via) {
  const DmaMapOps* old = dev->dma_ops.Peek();
  if (old != ops) {
    invariants::OnDmaSetupChange(dev, absl::StrCat(via, ": dma_ops ", DmaOpsName(old), " -> ", DmaOpsName(ops)));
  }
  dev->dma_ops.Set(ops);
}

// arm_iommu_create_mapping(dev->bus, base, size) + __arm_iommu_attach_device + set_dma_ops.
void arm_setup_iommu_dma_ops(Device* dev, uint64_t dma_base, uint64_t size, const IommuOps* iommu) {
  Kernel& k = *dev->kernel;
  // iommu_domain_alloc(bus): the bus's ops (the fwspec's from 6.15, when bus ops are gone).
  const IommuOps* ops = k.knobs.iommu_core >= IommuCoreGen::k6_15 ? iommu : iommu_state(k).bus_iommu_ops.Get();
  IommuDomain* domain = iommu_domain_alloc_type(k, ops, IommuDomainType::kUnmanaged);
  if (domain == nullptr) {
    TraceLog(dev->name, "arm_setup_iommu_dma_ops",
             absl::StrCat("Failed to create ", size, "-byte IOMMU mapping for device ", dev->name));
    return;
  }
  domain->iova_cookie = k.Alloc<IovaDomain>();
  domain->aperture_start = 0;
  domain->aperture_end = domain->aperture_end ? domain->aperture_end : ~uint64_t{0};
  iommu_dma_init_domain(domain, dma_base, dma_base + size - 1, dev);
  auto* mapping = k.Alloc<DmaIommuMapping>();
  mapping->domain = domain;
  if (iommu_attach_device(domain, dev) != 0) {
    TraceLog(dev->name, "arm_setup_iommu_dma_ops",
             absl::StrCat("Failed to attached device ", dev->name, " to IOMMU_mapping"));
    mapping->released = true;
    return;
  }
  dev->archdata_mapping = mapping;
  SetDmaOps(dev, &arm_iommu_ops, "arm_setup_iommu_dma_ops");
  TraceLog(dev->name, "arm_setup_iommu_dma_ops", absl::StrCat("dma_ops = arm_iommu_ops (", domain->name, ")"));
}

uint64_t ArmIommuMap(Device* dev, uint64_t phys, uint64_t size, bool write) {
  DmaIommuMapping* mapping = to_dma_iommu_mapping(dev);
  if (mapping == nullptr || mapping->released) return DMA_MAPPING_ERROR;
  const uint64_t offset = phys & 0xfff;
  const uint64_t len = (offset + size + 0xfff) & ~uint64_t{0xfff};
  const uint64_t iova = iommu_dma_alloc_iova(mapping->domain, len, dev->dma_mask);
  if (iova == 0) return DMA_MAPPING_ERROR;
  if (iommu_map(mapping->domain, iova, phys - offset, len, IOMMU_READ | (write ? IOMMU_WRITE : 0)) != 0) {
    return DMA_MAPPING_ERROR;
  }
  return iova + offset;
}

void ArmIommuUnmap(Device* dev, uint64_t dma, uint64_t size) {
  DmaIommuMapping* mapping = to_dma_iommu_mapping(dev);
  if (mapping == nullptr || mapping->released) return;
  const uint64_t offset = dma & 0xfff;
  iommu_unmap(mapping->domain, dma - offset, (offset + size + 0xfff) & ~uint64_t{0xfff});
}

}  // namespace

const DmaMapOps arm_iommu_ops = {"arm_iommu_ops", &ArmIommuMap, &ArmIommuUnmap};

const char* DmaOpsName(const DmaMapOps* ops) { return ops == nullptr ? "dma-direct" : ops->name; }

void arch_setup_dma_ops(Device* dev, uint64_t dma_base, uint64_t size, const IommuOps* iommu,
                        bool coherent) {
  harness::TraceSpan span(dev->name, "arch_setup_dma_ops");
  if (dev->kernel->knobs.arch == Arch::kArm64) {
    dev->dma_coherent = coherent;
    if (iommu != nullptr) iommu_setup_dma_ops(dev, dma_base, dma_base + size - 1);
    return;
  }
  if (coherent) dev->dma_coherent = true;
  if (dev->dma_ops.Get() != nullptr) {
    TraceLog(dev->name, "arch_setup_dma_ops",
             absl::StrCat("dma_ops already set (", DmaOpsName(dev->dma_ops.Peek()), "): not overridden"));
    return;
  }
  if (iommu != nullptr) arm_setup_iommu_dma_ops(dev, dma_base, size, iommu);
  dev->archdata_dma_ops_setup = true;
}

void arch_teardown_dma_ops(Device* dev) {
  if (dev->kernel->knobs.arch == Arch::kArm64) {
    SetDmaOps(dev, nullptr, "arch_teardown_dma_ops");
    return;
  }
  if (!dev->archdata_dma_ops_setup) return;
  if (DmaIommuMapping* mapping = to_dma_iommu_mapping(dev); mapping != nullptr) {
    iommu_detach_device(mapping->domain, dev);
    mapping->released = true;
    dev->archdata_mapping = nullptr;
  }
  SetDmaOps(dev, nullptr, "arch_teardown_dma_ops");
  dev->archdata_dma_ops_setup = false;
}

uint64_t dma_map_phys(Device* dev, uint64_t phys, uint64_t size, bool write, const DmaMapOps** ops_used) {
  const DmaMapOps* ops = dev->dma_ops.Get();
  if (ops_used != nullptr) *ops_used = ops;
  if (ops == nullptr) return phys;  // dma-direct
  return ops->map(dev, phys, size, write);
}

void dma_unmap_phys(Device* dev, const DmaMapOps* ops, uint64_t dma, uint64_t size) {
  if (ops == nullptr) return;
  ops->unmap(dev, dma, size);
}

}  // namespace probestorm::kernel
