// Invariant `gated-register-access`: no SysMMU register access while the block's clocks are gated
// or its power domain is off. The register block (hwmodel/hw/sysmmu_block) decides whether an
// access found its block unpowered (on hardware a bus hang or a read of zeros) and calls the hook.
//
// Thread-safety: the hook is called from the accessing task.
#ifndef PROBESTORM_HWMODEL_INVARIANTS_GATED_REGISTER_ACCESS_H_
#define PROBESTORM_HWMODEL_INVARIANTS_GATED_REGISTER_ACCESS_H_

#include <string>

#include "harness/invariant.h"

namespace probestorm::hwmodel::invariants {

extern const harness::InvariantDef kGatedRegisterAccess;

// A register of SysMMU `block` was accessed while gated; `what` says which access and why.
void OnGatedRegisterAccess(const std::string& block, const std::string& what);

}  // namespace probestorm::hwmodel::invariants

#endif  // PROBESTORM_HWMODEL_INVARIANTS_GATED_REGISTER_ACCESS_H_
