// Models of_dma_configure_id() of drivers/of/device.c (the v5.15..2023 body that covers v6.1),
// reached from really_probe step 6 through platform_dma_configure().
// Deliberate divergences: the modelled boards carry no dma-ranges and no dma-coherent, so step 1
// always takes the "no ranges" branch (dma_start 0, size from the coherent mask: 4 GiB) and step 4
// yields non-coherent; no restricted DMA pools (of_dma_set_restricted_buffer returns 0).
#include "driver/of/of_device.h"

#include "absl/strings/str_cat.h"
#include "driver/arch/dma_mapping.h"
#include "driver/iommu/of_iommu.h"
#include "driver/kernel.h"
#include "harness/trace/trace.h"

namespace probestorm::kernel {

int of_dma_configure(Device* dev, bool force_dma) {
  harness::TraceSpan span(dev->name, "of_dma_configure");
  // 1. of_dma_get_range: -ENODEV (no dma-ranges); platform devices pass force_dma.
  if (!force_dma) return 0;
  // 2./3. dma_mask and the default size: coherent mask + 1.
  const uint64_t dma_start = 0;
  const uint64_t size = dev->dma_mask + 1;
  // 4. of_dma_is_coherent.
  const bool coherent = false;
  // 5. Only -EPROBE_DEFER is special: nothing about the DMA ops changes on a deferral.
  int err = 0;
  const IommuOps* iommu = of_iommu_configure(dev, dev->of_node, &err);
  if (err == -EPROBE_DEFER) return -EPROBE_DEFER;
  // 6. Always arch_setup_dma_ops, with iommu possibly NULL (no IOMMU or a swallowed error).
  harness::TraceLog(dev->name, "of_dma_configure",
                    absl::StrCat("device is", iommu != nullptr ? "" : " not", " behind an iommu"));
  arch_setup_dma_ops(dev, dma_start, size, iommu, coherent);
  // 7. of_dma_set_restricted_buffer: no pools modelled.
  return 0;
}

}  // namespace probestorm::kernel
