#include "harness/invariants/stall.h"

namespace probestorm::harness::invariants {

const InvariantDef kStall{
    .name = "stall",
    .what =
        "at quiescence every available master with a loaded driver is bound or given up; no task blocked forever",
    .explanation =
        "At quiescence a master with a loaded driver was neither bound nor explicitly given up, or tasks "
        "were blocked forever; the detail holds the wait-for graph (who waits for what, held by whom).",
    .severity = Severity::kViolation,
    .detector = false,
};

}  // namespace probestorm::harness::invariants
