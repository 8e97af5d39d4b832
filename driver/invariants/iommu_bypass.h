// Invariant `iommu-bypass`: a master with `iommus` binds without its IOMMU only after an explicit
// decision (driver_deferred_probe_check_state() returned -ETIMEDOUT: a warning), never through a
// swallowed error (of_iommu_configure(), v6.1: a violation). The IOMMU core records why a master
// went without its IOMMU (iommu_note_bypass) and calls the hook when its driver binds.
//
// Thread-safety: the hook is called from the binding task.
#ifndef PROBESTORM_DRIVER_INVARIANTS_IOMMU_BYPASS_H_
#define PROBESTORM_DRIVER_INVARIANTS_IOMMU_BYPASS_H_

#include <string>

#include "harness/invariant.h"

namespace probestorm::kernel {

struct Device;

namespace invariants {

extern const harness::InvariantDef kIommuBypass;

// `dev` binds without its IOMMU; `explicit_timeout`: the deferred-probe timeout decided it.
void OnBindWithoutIommu(Device* dev, bool explicit_timeout, const std::string& why);

}  // namespace invariants

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_INVARIANTS_IOMMU_BYPASS_H_
