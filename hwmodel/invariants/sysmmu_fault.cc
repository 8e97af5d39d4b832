#include "hwmodel/invariants/sysmmu_fault.h"

#include <utility>

#include "harness/engine.h"

namespace probestorm::hwmodel::invariants {

const harness::InvariantDef kSysmmuFault{
    .name = "sysmmu-fault",
    .what = "no SysMMU fault on an address the master got from the DMA API of its current domain",
    .explanation =
        "A SysMMU faulted on an address the master obtained from the DMA API of its current domain (S6): "
        "translation was enabled (or the domain switched) under a driver that mapped its buffers through "
        "another path, typically dma-direct physical addresses after a late attach. v6.1 prints "
        "\"<master>: <type> FAULT occurred at <address>\" (show_fault_information()) and, with no "
        "handler recovering it, hits BUG_ON(ret != 0) in exynos_sysmmu_irq(): in hard-IRQ context that "
        "is a panic, \"Kernel panic - not syncing: Oops - BUG: Fatal exception in interrupt\" on arm64 "
        "(arm32 prints no \"Oops - BUG: \"), and the run ends there.",
    .severity = harness::Severity::kViolation,
    .detector = false,
};

bool OnDmaMiss(std::string message, std::vector<std::string> devices, std::string detail) {
  return harness::Report(kSysmmuFault, std::move(message), std::move(devices), std::move(detail));
}

}  // namespace probestorm::hwmodel::invariants
