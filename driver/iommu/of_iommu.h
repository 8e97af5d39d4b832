// of_iommu_configure / of_iommu_xlate (drivers/iommu/of_iommu.c, v6.1 logic),
// with the v6.7 locking (a2e7e59a9426) and the v6.15 replay rule (bcb81ac6ae3c) by knob
// iommu_core.
//
// Thread-safety: called from really_probe (device lock of `dev` held) and, from 6.15, from the
// IOMMU probe path. The fwspec part is unlocked before 6.7 and under iommu_probe_device_lock
// from 6.7; the replay (iommu_probe_device) always runs without that lock held by this caller.
#ifndef PROBESTORM_DRIVER_IOMMU_OF_IOMMU_H_
#define PROBESTORM_DRIVER_IOMMU_OF_IOMMU_H_

#include "driver/base/device.h"
#include "driver/iommu/iommu.h"
#include "hwmodel/dt/board.h"

namespace probestorm::kernel {

// Returns the IOMMU ops (IOMMU found and, unless replay failed, probed), nullptr (no IOMMU, or
// any error other than -EPROBE_DEFER swallowed: dev_dbg "Adding to IOMMU failed"), or nullptr
// with *err = -EPROBE_DEFER (the kernel's ERR_PTR(-EPROBE_DEFER)). `master_np` is a DT node
// index (kNoNode: no node).
const IommuOps* of_iommu_configure(Device* dev, int master_np, int* err);

// NO_IOMMU (instance without of_xlate, or its node disabled), 0, or a negative errno:
// driver_deferred_probe_check_state() when no instance is registered for spec.node, -EINVAL
// from iommu_fwspec_init, -ENODEV from try_module_get, else ops->of_xlate's result.
int of_iommu_xlate(Device* dev, const hwmodel::PhandleRef& spec);

// The fwspec part of of_iommu_configure without the replay (6.15: called from the IOMMU probe
// path for a device that has no fwspec yet). Returns the xlate loop's result.
int of_iommu_configure_fwspec(Device* dev);

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_IOMMU_OF_IOMMU_H_
