#include "hwmodel/invariants/gated_register_access.h"

#include "harness/engine.h"

namespace probestorm::hwmodel::invariants {

const harness::InvariantDef kGatedRegisterAccess{
    .name = "gated-register-access",
    .what = "no SysMMU register access with its clocks gated or power domain off",
    .explanation =
        "A SysMMU register was accessed while its clocks were gated or its power domain was off: an "
        "attach, enable or TLB flush ran outside the runtime-PM window of the master (on hardware a bus "
        "hang or a read of zeros).",
    .severity = harness::Severity::kViolation,
    .detector = false,
};

void OnGatedRegisterAccess(const std::string& block, const std::string& what) {
  harness::Report(kGatedRegisterAccess, what, {block});
}

}  // namespace probestorm::hwmodel::invariants
