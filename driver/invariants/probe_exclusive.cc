#include "driver/invariants/probe_exclusive.h"

namespace probestorm::kernel::invariants {

const harness::InvariantDef kProbeExclusive{
    .name = "probe-exclusive",
    .what = "a device is in really_probe on at most one task, with its device lock held",
    .explanation =
        "A device was inside really_probe() on two tasks at once, or without its device lock held: two "
        "probe paths (deferred worker, async probe, driver_attach, sysfs bind) attached the same device "
        "concurrently.",
    .severity = harness::Severity::kViolation,
    .detector = false,
};

}  // namespace probestorm::kernel::invariants
