// Invariant `controllers-list` (drivers/iommu/exynos-iommu.c exynos_iommu_of_xlate(), v6.1): a
// master's owner->controllers holds each SysMMU once, with intact links and no freed entry, and
// data->master names the owner's device. Corruption and freed entries are oopses of the list
// itself (harness ListHead, DEBUG_LIST); the hooks check the SysMMU-to-master consistency.
//
// Thread-safety: the hooks run on the translating / probing task; no state.
#ifndef PROBESTORM_DRIVER_INVARIANTS_CONTROLLERS_LIST_H_
#define PROBESTORM_DRIVER_INVARIANTS_CONTROLLERS_LIST_H_

#include "harness/invariant.h"

namespace probestorm::kernel {

struct Device;
struct sysmmu_drvdata;

namespace invariants {

extern const harness::InvariantDef kControllersList;

// exynos_iommu_of_xlate(dev) is about to add `data` to dev's owner->controllers.
void OnOfXlateAddController(Device* dev, const sysmmu_drvdata* data);
// exynos_iommu_probe_device(dev) walks `data` on dev's owner->controllers.
void OnProbeDeviceController(Device* dev, const sysmmu_drvdata* data);

}  // namespace invariants
}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_INVARIANTS_CONTROLLERS_LIST_H_
