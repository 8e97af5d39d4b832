// Invariant `double-iommu-probe` (drivers/iommu/iommu.c __iommu_probe_device(), v6.1; fixed by
// 01657bc14a39, v6.2): each device is IOMMU-probed to success at most once until released.
//   1. __iommu_probe_device succeeds at most once per device until iommu_release_device;
//   2. a device joins at most one group (dev->iommu_group never replaced), and a group's device
//      list holds it once;
//   3. ops->probe_device and ops->release_device calls are balanced;
//   4. exynos_iommu_probe_device does not overwrite a SysMMU's live device link with another.
// A group on two bus_iommu_probe group_lists is an oops of the list (harness ListHead).
//
// Thread-safety: the counters are updated by the probing and releasing tasks, without schedule
// points (v6.1 serialises neither, which is the race this invariant finds); they are atomic, since
// under the free engine those tasks are OS threads running at once.
#ifndef PROBESTORM_DRIVER_INVARIANTS_DOUBLE_IOMMU_PROBE_H_
#define PROBESTORM_DRIVER_INVARIANTS_DOUBLE_IOMMU_PROBE_H_

#include <atomic>
#include <cstddef>
#include <vector>

#include "driver/iommu/iommu.h"
#include "harness/invariant.h"

namespace probestorm::kernel {

struct Device;
struct DeviceLink;
struct IommuGroup;
struct sysmmu_drvdata;

namespace invariants {

extern const harness::InvariantDef kDoubleIommuProbe;

// Bookkeeping (Checker::double_iommu_probe), by DT node.
struct DoubleIommuProbeState {
  struct Counts {
    std::atomic<int> probe_ok{0};              // successful __iommu_probe_device not yet released
    std::atomic<int> probe_device_calls{0};    // ops->probe_device successes
    std::atomic<int> release_device_calls{0};
  };
  explicit DoubleIommuProbeState(size_t nodes) : by_node(nodes) {}
  std::vector<Counts> by_node;
};

// ops->probe_device(dev) succeeded.
void OnIommuProbeDevice(Device* dev);
// __iommu_probe_device(dev) failed after probe_device and called ops->release_device.
void OnIommuProbeUndone(Device* dev);
// __iommu_probe_device(dev) succeeded.
void OnIommuProbeOk(Device* dev);
// iommu_release_device(dev) called ops->release_device (rule 3).
void OnIommuReleaseDevice(Device* dev);
// iommu_group_add_device(group, dev), before dev->iommu_group is set (rules 1 and 2).
void OnIommuGroupAddDevice(Device* dev, IommuGroup* group);
// The same, under group->mutex, before `dev` joins group->devices (rule 2).
void OnGroupDevicesAdd(Device* dev, const IommuGroup* group)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(group->mutex);
// exynos_iommu_probe_device(dev) made `link` to `data`'s SysMMU (rule 4).
void OnSysmmuLinkAdd(Device* dev, const sysmmu_drvdata* data, const DeviceLink* link);

}  // namespace invariants
}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_INVARIANTS_DOUBLE_IOMMU_PROBE_H_
