#include "driver/invariants/dma_ops_on_bound.h"

#include "absl/strings/str_cat.h"
#include "driver/invariants/checker.h"
#include "driver/kernel.h"
#include "harness/engine.h"

namespace probestorm::kernel::invariants {

const harness::InvariantDef kDmaOpsOnBound{
    .name = "dma-ops-on-bound",
    .what = "dma_ops and attached domain of a bound master never change by another path",
    .explanation =
        "The dma_ops or the attached IOMMU domain of a master changed while its driver was already bound "
        "(S6). With exynos-iommu loaded after the 10 s deferred-probe timeout, the master bound with "
        "dma-direct; the late SysMMU probe then ran iommu_device_register() -> bus_iommu_probe(), gave "
        "the master a group and a DMA default domain and attached it, enabling translation under a "
        "driver that holds physical addresses (\"initializing the dma_ops under the already probed and "
        "working master\"). A larger timeout, mandatory iommus or v6.15's late-probe check avoid it.",
    .severity = harness::Severity::kViolation,
    .detector = false,
};

DmaOpsOnBoundState::DmaOpsOnBoundState(size_t nodes)
    : driver_dma_active(std::make_unique<std::atomic<bool>[]>(nodes)),
      driver_removed(std::make_unique<std::atomic<bool>[]>(nodes)) {
  for (size_t i = 0; i < nodes; ++i) {
    driver_dma_active[i].store(false);
    driver_removed[i].store(false);
  }
}

namespace {

DmaOpsOnBoundState& State(Device* dev) { return checker(*dev->kernel).dma_ops_on_bound; }
size_t Node(const Device* dev) { return static_cast<size_t>(dev->of_node); }

}  // namespace

void OnDriverDmaBegin(Device* dev) { State(dev).driver_dma_active[Node(dev)] = true; }
void OnDriverDmaEnd(Device* dev) { State(dev).driver_dma_active[Node(dev)] = false; }
void OnDriverRemoved(Device* dev) { State(dev).driver_removed[Node(dev)] = true; }
void OnDriverUnbound(Device* dev) { State(dev).driver_removed[Node(dev)] = false; }

bool DriverDmaActive(Device* dev) {
  // A device being unbound stays on knode_driver until after arch_teardown_dma_ops, but its
  // driver's remove() has already given up its DMA addresses.
  DmaOpsOnBoundState& s = State(dev);
  return s.driver_dma_active[Node(dev)] || (dev->bound.Peek() && !s.driver_removed[Node(dev)]);
}

void OnDmaSetupChange(Device* dev, const std::string& what) {
  if (!DriverDmaActive(dev)) return;
  harness::Report(kDmaOpsOnBound,
                  absl::StrCat(what, " changed the DMA setup of bound master ", dev->name,
                               " (task ", harness::SelfName(), ")"),
                  {dev->name},
                  "the driver already holds DMA addresses from its previous dma_ops/domain "
                  "(bus_iommu_probe attaches the default domain to every device of the group)");
}

}  // namespace probestorm::kernel::invariants
