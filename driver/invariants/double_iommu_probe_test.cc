// Controls of invariant double-iommu-probe (driver/invariants/double_iommu_probe.h) as whole
// boots: fires with staggered parallel SysMMU probes on v6.1, silent with 01657bc14a39
// (iommu_core=6.2).
#include <string>

#include "driver/invariants/dev_iommu_freed_in_use.h"
#include "driver/invariants/double_iommu_probe.h"
#include "driver/iommu/iommu_test_util.h"
#include "gtest/gtest.h"

namespace probestorm::kernel {
namespace {
using namespace iommu_testing;  // NOLINT: test helpers

// S4: two unlocked __iommu_probe_device(M) on a master that has an owner: two groups for M, or
// M's group list_add_tail'ed on two bus_iommu_probe group_lists outside group->mutex. Needs bus
// probes that start after a master's of_xlate succeeded: a SysMMU's own bus_iommu_probe runs at
// P5, before its drvdata (P6) makes any of_xlate succeed, so SysMMUs registering all at once
// (async_probe alone) only collide on owner-less devices (the dev_iommu_free double free above).
// clk_get_defer staggers them: the deferred SysMMUs re-probe (asynchronously) after masters have
// xlated the first ones, and their bus probes overlap on those masters.
TEST(InvariantControls, DoubleIommuProbeFiresWithStaggeredParallelSysmmuProbes) {
  // Either manifestation: the group_list corrupted, or a second group for the master.
  ExpectFiresAs(GetBoard("sysmmus=16,masters=8,per_master=2"),
                P("v6.1-modular", {"async_probe=*", "inject=clk_get_defer"}), invariants::kDoubleIommuProbe,
                50,
                {{"list corruption in bus_iommu_probe group_list of async/"},
                 {"iommu_group_add_device(", ": already in iommu_group ",
                  "(two concurrent __iommu_probe_device)"}});
}
TEST(InvariantControls, DoubleIommuProbeSilentOnCore62) {
  ExpectSilent(GetBoard("sysmmus=16,masters=8,per_master=2"), P("v6.1-modular", {"async_probe=*", "iommu_core=6.2"}),
               Only({invariants::kDoubleIommuProbe, invariants::kDevIommuFreedInUse}), 1, 30);
  ExpectSilent(GetBoard("sysmmus=16,masters=8,per_master=2"),
               P("v6.1-modular", {"async_probe=*", "inject=clk_get_defer", "iommu_core=6.2"}),
               Only({invariants::kDoubleIommuProbe}), 1, 50);  // S3 (of_xlate vs dev_iommu_free) stays until 6.7
}

}  // namespace
}  // namespace probestorm::kernel
