#include "driver/invariants/default_domain_owner.h"

#include "absl/strings/str_cat.h"
#include "driver/base/device.h"
#include "driver/iommu/iommu.h"
#include "harness/engine.h"

namespace probestorm::kernel::invariants {

const harness::InvariantDef kDefaultDomainOwner{
    .name = "default-domain-owner",
    .what =
        "(warning) the bus's dma_cleanup never drops a DMA-ownership claim its group did not count "
        "(WARN_ON(!group->owner_cnt) in iommu_device_unuse_default_domain)",
    .explanation =
        "platform_dma_configure() claims the master's IOMMU group for the kernel DMA API "
        "(iommu_device_use_default_domain()), and dma_cleanup drops the claim after a failed probe or "
        "at unbind. A master configured before it had a group claimed nothing. When a SysMMU's "
        "iommu_device_register() -> bus_iommu_probe() then gives it a group while it is probing or "
        "bound (the dma-ops-on-bound window), its failed probe or its unbind drops a claim the group "
        "never counted, and the kernel warns.",
    .severity = harness::Severity::kWarning,
    .detector = false,
};

void OnDefaultDomainUnuseWithoutUse(Device* dev, const IommuGroup* group) {
  harness::Report(kDefaultDomainOwner,
                  absl::StrCat("WARNING in iommu_device_unuse_default_domain(", dev->name,
                               "): WARN_ON(!group->owner_cnt) on ", group->name, " by ",
                               harness::SelfName(),
                               ": its driver's DMA configuration claimed no group, or another one"),
                  {dev->name});
}

}  // namespace probestorm::kernel::invariants
