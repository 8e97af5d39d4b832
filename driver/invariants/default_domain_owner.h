// Invariant `default-domain-owner` (drivers/iommu/iommu.c iommu_device_unuse_default_domain(),
// v6.1; the claim is made by platform_dma_configure(), 512881eacfa7): the kernel's own
// WARN_ON(!group->owner_cnt) when the bus's dma_cleanup drops a DMA-ownership claim the group never
// counted. A master whose driver was configured before it had an IOMMU group claimed nothing; if a
// SysMMU's bus_iommu_probe gives it a group while it is probing or bound, its failed probe or its
// unbind warns. A warning.
//
// Thread-safety: the hook reports from the task that holds group->mutex; no state.
#ifndef PROBESTORM_DRIVER_INVARIANTS_DEFAULT_DOMAIN_OWNER_H_
#define PROBESTORM_DRIVER_INVARIANTS_DEFAULT_DOMAIN_OWNER_H_

#include "harness/invariant.h"

namespace probestorm::kernel {

struct Device;
struct IommuGroup;

namespace invariants {

extern const harness::InvariantDef kDefaultDomainOwner;

// iommu_device_unuse_default_domain(dev) found group->owner_cnt == 0.
void OnDefaultDomainUnuseWithoutUse(Device* dev, const IommuGroup* group);

}  // namespace invariants
}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_INVARIANTS_DEFAULT_DOMAIN_OWNER_H_
