#include "hwmodel/invariants/gated_register_access.h"

#include "harness/engine.h"

namespace probestorm::hwmodel::invariants {

const harness::InvariantDef kGatedRegisterAccess{
    .name = "gated-register-access",
    .what = "no SysMMU register access with its clocks gated or power domain off",
    .explanation =
        "A SysMMU register was accessed while its clocks were gated or its power domain was off (on "
        "hardware a bus hang or a read of zeros): an attach, enable or TLB flush ran outside the "
        "runtime-PM window of the master, or the fault interrupt was handled after runtime suspend (S10). "
        "The latter is a real v6.1 window (unchanged through v6.8): a master's DMA faults and the "
        "SysMMU raises its interrupt; before exynos_sysmmu_irq() reads INT_STATUS, the master goes "
        "idle and the SysMMU's runtime suspend, exynos_sysmmu_suspend() -> __sysmmu_disable(), clears "
        "data->active under data->lock and gates the SysMMU clocks. Nothing disables or synchronises "
        "the interrupt, and the handler only warns (WARN_ON(!data->active)), takes data->lock, "
        "enables the master clock alone and reads INT_STATUS from the gated block. It needs the "
        "interrupt to stay unhandled across the suspend (delivered late, or the handler spinning on "
        "data->lock and losing the race to __sysmmu_disable_clocks()); whether disabling the SysMMU "
        "drops a pending interrupt is hardware behaviour the kernel sources do not state.",
    .severity = harness::Severity::kViolation,
    .detector = false,
};

void OnGatedRegisterAccess(const std::string& block, const std::string& what) {
  harness::Report(kGatedRegisterAccess, what, {block});
}

}  // namespace probestorm::hwmodel::invariants
