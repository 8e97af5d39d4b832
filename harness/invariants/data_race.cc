#include "harness/invariants/data_race.h"

namespace probestorm::harness::invariants {

const InvariantDef kDataRace{
    .name = "data-race",
    .what = "no unsynchronized conflicting access to tracked state",
    .explanation =
        "Two tasks accessed tracked kernel state (dev->iommu, drvdata, owner->controllers, dma_ops, "
        "the exynos globals, the fwspec) without a happens-before order and at least one wrote: an "
        "unsynchronised access, as KCSAN would report.",
    .severity = Severity::kViolation,
    .detector = true,
};

}  // namespace probestorm::harness::invariants
