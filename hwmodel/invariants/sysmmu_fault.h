// Invariant `sysmmu-fault`: no SysMMU fault, and no DMA landing on another page, for an address
// the master got from the DMA API of its current domain. The master's DMA engine
// (hwmodel/hw/dma_engine) calls the hook when a transaction did not land where the DMA API said;
// the driver reports the fault interrupt's oops (exynos_sysmmu_irq) under the same id.
//
// Thread-safety: the hook is called from the DMA task.
#ifndef PROBESTORM_HWMODEL_INVARIANTS_SYSMMU_FAULT_H_
#define PROBESTORM_HWMODEL_INVARIANTS_SYSMMU_FAULT_H_

#include <string>
#include <vector>

#include "harness/invariant.h"

namespace probestorm::hwmodel::invariants {

extern const harness::InvariantDef kSysmmuFault;

// A DMA transaction missed: `message` names it, `devices` the master and its SysMMU. Returns false
// if the invariant is disabled.
bool OnDmaMiss(std::string message, std::vector<std::string> devices, std::string detail);

}  // namespace probestorm::hwmodel::invariants

#endif  // PROBESTORM_HWMODEL_INVARIANTS_SYSMMU_FAULT_H_
