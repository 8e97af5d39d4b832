#include "driver/invariants/dma_ops_on_bound.h"

namespace probestorm::kernel::invariants {

const harness::InvariantDef kDmaOpsOnBound{
    .name = "dma-ops-on-bound",
    .what = "dma_ops and attached domain of a bound master never change by another path",
    .explanation =
        "The dma_ops or the attached IOMMU domain of a master changed while its driver was already bound "
        "(S6). With exynos-iommu loaded after the 10 s deferred-probe timeout, the master bound with "
        "dma-direct; the late SysMMU probe then ran iommu_device_register() -> bus_iommu_probe(), gave "
        "the master a group and a DMA default domain and attached it, enabling translation under a "
        "driver that holds physical addresses (\"initializing the dma_ops under the already probed and "
        "working master\"). A larger timeout, mandatory iommus or v6.15's late-probe check avoid it.",
    .severity = harness::Severity::kViolation,
    .detector = false,
};

}  // namespace probestorm::kernel::invariants
