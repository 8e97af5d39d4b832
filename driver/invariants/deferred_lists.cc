#include "driver/invariants/deferred_lists.h"

namespace probestorm::kernel::invariants {

const harness::InvariantDef kDeferredLists{
    .name = "deferred-lists",
    .what =
        "a device is on at most one deferred list, only if it can match, on none once bound; no lost trigger",
    .explanation =
        "The deferred-probe lists broke their rules (S8): a device on both lists, on a list without "
        "can_match, still on a list once bound, or stranded on the pending list because a supplier "
        "bound between its trigger_count read and its deferral (the lost trigger that "
        "driver_probe_device()'s re-check in dd.c prevents).",
    .severity = harness::Severity::kViolation,
    .detector = false,
};

}  // namespace probestorm::kernel::invariants
