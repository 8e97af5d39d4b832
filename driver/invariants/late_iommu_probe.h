// Invariant `late-iommu-probe` (drivers/iommu/iommu.c __iommu_probe_device(), v6.15,
// bcb81ac6ae3c / 73d2f10957f5): the kernel's own dev_WARN "late IOMMU probe at driver bind,
// something fishy here!" when an IOMMU probe accepts a device whose driver is already bound or
// binding (the window S9; the harm it warns about is checked by dma-ops-on-bound). A warning.
//
// Thread-safety: the hook reports from the probing task; no state.
#ifndef PROBESTORM_DRIVER_INVARIANTS_LATE_IOMMU_PROBE_H_
#define PROBESTORM_DRIVER_INVARIANTS_LATE_IOMMU_PROBE_H_

#include "harness/invariant.h"

namespace probestorm::kernel {

struct Device;
struct DeviceDriver;

namespace invariants {

extern const harness::InvariantDef kLateIommuProbe;

// __iommu_probe_device accepted `dev` while `drv` is its driver (the dev_WARN).
void OnLateIommuProbe(Device* dev, const DeviceDriver* drv);

}  // namespace invariants
}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_INVARIANTS_LATE_IOMMU_PROBE_H_
