#include "driver/invariants/double_iommu_probe.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "driver/invariants/checker.h"
#include "driver/iommu/exynos_iommu.h"
#include "driver/iommu/iommu.h"
#include "driver/kernel.h"
#include "harness/engine.h"

namespace probestorm::kernel::invariants {

const harness::InvariantDef kDoubleIommuProbe{
    .name = "double-iommu-probe",
    .what =
        "each device is IOMMU-probed to success at most once; one group; balanced probe/release",
    .explanation =
        "One device was IOMMU-probed to success twice, got two groups, or unbalanced "
        "probe_device/release_device calls (S4). Without iommu_probe_device_lock (before v6.2), two "
        "SysMMUs registering in parallel, or a bus probe racing the of_iommu_configure replay, both saw "
        "no group and both ran __iommu_probe_device(): duplicated device links, leaked groups, a "
        "corrupted group list. Fixed by 01657bc14a39 (v6.2).",
    .severity = harness::Severity::kViolation,
    .detector = false,
};

namespace {

DoubleIommuProbeState::Counts& CountsOf(Device* dev) {
  return checker(*dev->kernel).double_iommu_probe.by_node[static_cast<size_t>(dev->of_node)];
}

}  // namespace

void OnIommuProbeDevice(Device* dev) { ++CountsOf(dev).probe_device_calls; }

void OnIommuProbeUndone(Device* dev) { ++CountsOf(dev).release_device_calls; }

void OnIommuProbeOk(Device* dev) { ++CountsOf(dev).probe_ok; }

void OnIommuReleaseDevice(Device* dev) {
  DoubleIommuProbeState::Counts& c = CountsOf(dev);
  const int released = ++c.release_device_calls;
  if (released > c.probe_device_calls) {
    harness::Report(kDoubleIommuProbe,
                    absl::StrCat("iommu_release_device(", dev->name,
                                 "): release_device without a matching probe_device"),
                    {dev->name});
  }
  // Down by one unless already 0, in one step: free-engine tasks release the same device at once,
  // and a separate test and decrement could take it below 0.
  int ok = c.probe_ok.load();
  while (ok > 0 && !c.probe_ok.compare_exchange_weak(ok, ok - 1)) {
  }
}

void OnIommuGroupAddDevice(Device* dev, IommuGroup* group) {
  IommuGroup* old = dev->iommu_group.Get();
  if (old != nullptr && old != group) {
    harness::Report(kDoubleIommuProbe,
                    absl::StrCat("iommu_group_add_device(", dev->name, "): already in ", old->name,
                                 ", now added to ", group->name,
                                 " (two concurrent __iommu_probe_device)"),
                    {dev->name});
  } else if (old == nullptr && CountsOf(dev).probe_ok > 0) {
    harness::Report(kDoubleIommuProbe,
                    absl::StrCat("__iommu_probe_device(", dev->name,
                                 ") succeeded twice without iommu_release_device"),
                    {dev->name});
  }
}

void OnGroupDevicesAdd(Device* dev, const IommuGroup* group) {
  if (std::find(group->devices.begin(), group->devices.end(), dev) != group->devices.end()) {
    harness::Report(kDoubleIommuProbe, absl::StrCat(dev->name, " added twice to ", group->name),
                    {dev->name});
  }
}

void OnSysmmuLinkAdd(Device* dev, const sysmmu_drvdata* data, const DeviceLink* link) {
  if (data->link != nullptr && link != data->link && !data->link->deleted) {
    harness::Report(kDoubleIommuProbe,
                    absl::StrCat("exynos_iommu_probe_device(", dev->name, "): data->link of ",
                                 data->sysmmu->name, " overwritten by a second device link"),
                    {dev->name, data->sysmmu->name});
  }
}

}  // namespace probestorm::kernel::invariants
