// Invariant `dma-ops-on-bound` (drivers/iommu/iommu.c bus_iommu_probe(), v6.1): the dma_ops and
// the attached IOMMU domain of a master never change, by another path, while its driver may hold
// DMA addresses: from the start of its probe until its remove() has run. The DMA-setup paths
// (the IOMMU core's attach, dma-iommu's iommu_setup_dma_ops, the arch's set_dma_ops) call
// OnDmaSetupChange; the master driver opens and closes its window, the driver core marks
// remove() done until the unbind finishes.
//
// Thread-safety: the window flags are written by the master's binding / unbinding task and read by
// any task changing its DMA setup (a bus probe on a SysMMU's task holds none of the master's
// locks), so both are atomic: free-engine tasks are OS threads. No schedule points.
#ifndef PROBESTORM_DRIVER_INVARIANTS_DMA_OPS_ON_BOUND_H_
#define PROBESTORM_DRIVER_INVARIANTS_DMA_OPS_ON_BOUND_H_

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>

#include "harness/invariant.h"

namespace probestorm::kernel {

struct Device;

namespace invariants {

extern const harness::InvariantDef kDmaOpsOnBound;

// Bookkeeping (Checker::dma_ops_on_bound), by DT node.
struct DmaOpsOnBoundState {
  explicit DmaOpsOnBoundState(size_t nodes);
  // The master's driver probe has begun and its remove() has not ended.
  std::unique_ptr<std::atomic<bool>[]> driver_dma_active;
  // The bound driver's remove() has run and the unbind has not finished yet (the device is
  // still on knode_driver, but its driver holds no DMA addresses any more).
  std::unique_ptr<std::atomic<bool>[]> driver_removed;
};

// The master driver's DMA window opens (start of its probe) / closes (failed probe, remove()).
void OnDriverDmaBegin(Device* dev);
void OnDriverDmaEnd(Device* dev);
// device_remove(dev) ran the driver's remove(); __device_release_driver(dev) finished the unbind.
void OnDriverRemoved(Device* dev);
void OnDriverUnbound(Device* dev);
// Whether `dev`'s driver may hold DMA addresses now.
bool DriverDmaActive(Device* dev);
// `what` changes `dev`'s dma_ops or attached domain: a violation inside the window.
void OnDmaSetupChange(Device* dev, const std::string& what);

}  // namespace invariants
}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_INVARIANTS_DMA_OPS_ON_BOUND_H_
