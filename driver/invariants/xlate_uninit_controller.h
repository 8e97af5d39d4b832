// Invariant `xlate-uninit-controller` (drivers/iommu/exynos-iommu.c exynos_sysmmu_probe(), v6.1;
// fixed by bbc4d205d93f): exynos_iommu_of_xlate / probe_device / attach_dev only see a SysMMU
// whose probe has passed P10 (drvdata, PG_ENT_SHIFT, dma_dev, runtime PM). The hook reads the
// SysMMU's probe progress (ExynosIommuState::nodes[].step).
//
// Thread-safety: the hook runs on the task using the controller; the step is written by the
// SysMMU's probing task (bookkeeping without schedule points).
#ifndef PROBESTORM_DRIVER_INVARIANTS_XLATE_UNINIT_CONTROLLER_H_
#define PROBESTORM_DRIVER_INVARIANTS_XLATE_UNINIT_CONTROLLER_H_

#include "harness/invariant.h"

namespace probestorm::kernel {

class Kernel;
struct Device;

namespace invariants {

extern const harness::InvariantDef kXlateUninitController;

// `func` is about to use controller `node` (a SysMMU's DT node) for master `master`.
void OnControllerUse(Kernel& k, const char* func, Device* master, int node);

}  // namespace invariants
}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_INVARIANTS_XLATE_UNINIT_CONTROLLER_H_
