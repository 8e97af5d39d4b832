#include "driver/invariants/all.h"

#include "driver/invariants/controllers_list.h"
#include "driver/invariants/default_domain_owner.h"
#include "driver/invariants/deferred_lists.h"
#include "driver/invariants/dev_iommu_freed_in_use.h"
#include "driver/invariants/dma_ops_on_bound.h"
#include "driver/invariants/domain_alloc_uninit.h"
#include "driver/invariants/double_iommu_probe.h"
#include "driver/invariants/iommu_bypass.h"
#include "driver/invariants/late_iommu_probe.h"
#include "driver/invariants/probe_exclusive.h"
#include "driver/invariants/xlate_uninit_controller.h"
#include "harness/invariants/data_race.h"
#include "harness/invariants/lock_order.h"
#include "harness/invariants/stall.h"
#include "hwmodel/invariants/gated_register_access.h"
#include "hwmodel/invariants/sysmmu_fault.h"

namespace probestorm::kernel::invariants {

const harness::InvariantRegistry& Registry() {
  static const harness::InvariantRegistry registry({
      kXlateUninitController,
      kDmaOpsOnBound,
      kDevIommuFreedInUse,
      kDomainAllocUninit,
      kDoubleIommuProbe,
      kControllersList,
      kIommuBypass,
      hwmodel::invariants::kSysmmuFault,
      hwmodel::invariants::kGatedRegisterAccess,
      kDeferredLists,
      kProbeExclusive,
      harness::invariants::kStall,
      harness::invariants::kLockOrder,
      harness::invariants::kDataRace,
      kLateIommuProbe,
      kDefaultDomainOwner,
  });
  return registry;
}

}  // namespace probestorm::kernel::invariants
