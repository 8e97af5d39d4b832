// Invariant `dev-iommu-freed-in-use` (drivers/iommu/iommu.c dev_iommu_free(), v6.1): dev->iommu
// (its fwspec and priv) is not freed or replaced while another task still uses it. The kernel
// takes the oops itself when it dereferences the cleared dev->iommu; the checker remembers which
// task freed it, so that the oops names it.
//
// Thread-safety: the bookkeeping is written by the freeing task and read by the faulting one,
// under its own lock (no schedule point): in the free engine two OS threads can free the same
// dev->iommu at once, which is the race being modelled, not one in the harness.
#ifndef PROBESTORM_DRIVER_INVARIANTS_DEV_IOMMU_FREED_IN_USE_H_
#define PROBESTORM_DRIVER_INVARIANTS_DEV_IOMMU_FREED_IN_USE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "driver/invariants/by_node.h"
#include "harness/invariant.h"

namespace probestorm::kernel {

struct Device;
struct KernelField;

namespace invariants {

extern const harness::InvariantDef kDevIommuFreedInUse;

// Bookkeeping (Checker::dev_iommu_freed_in_use): by DT node, the task of the last
// dev_iommu_free() of the device ("" if never freed).
struct DevIommuFreedInUseState {
  explicit DevIommuFreedInUseState(size_t nodes) : freed_by(nodes) {}
  ByNode<std::string> freed_by;
};

// dev_iommu_free(dev) by the calling task.
void OnDevIommuFree(Device* dev);
// The oopses: `func` dereferences dev->iommu->`field` with dev->iommu NULL; `func` uses a
// dev->iommu that is marked freed (KASAN); of_iommu_configure reads fwspec->ops with the fwspec
// gone; `func` (runtime PM of `dev`) locks the owner of `master`, whose dev->iommu was freed.
[[noreturn]] void DevIommuNullDeref(Device* dev, const char* func, const KernelField& field,
                                    bool write);
[[noreturn]] void DevIommuUseAfterFree(Device* dev, const char* func);
[[noreturn]] void FwspecNullDeref(Device* dev);
[[noreturn]] void OwnerNullDeref(Device* dev, Device* master, const char* func);

}  // namespace invariants
}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_INVARIANTS_DEV_IOMMU_FREED_IN_USE_H_
