// Controls of invariant controllers-list (driver/invariants/controllers_list.h) as whole boots:
// fires when a SysMMU's probe fails after drvdata (inject=dma_set_mask), silent without it.
#include <string>

#include "driver/invariants/controllers_list.h"
#include "driver/iommu/iommu_test_util.h"
#include "gtest/gtest.h"

namespace probestorm::kernel {
namespace {
using namespace iommu_testing;  // NOLINT: test helpers

// S5 (iii): a v5 SysMMU whose dma_set_mask fails after platform_set_drvdata. A master's of_xlate
// that looked its ops up while it was registered (P5, v6.1 order) and reads drvdata before
// device_unbind_cleanup clears it links `data`, which devres frees: the list_add or a later walk
// of owner->controllers hits the freed node. On TM2E (seeds 1..200) no master's of_xlate falls in
// that window; the synthetic board's masters are retried during the SysMMUs' probes often enough.
// Rare even there (about 1 run in 100): seeds 1..400.
TEST(InvariantControls, ControllersListFiresWithDmaSetMaskInjection) {
  ExpectFires(GetBoard("sysmmus=16,masters=8,per_master=2"), P("v6.1-modular", {"inject=dma_set_mask"}),
              invariants::kControllersList, 400, {"owner->controllers", "freed node (use after free)"});
}
TEST(InvariantControls, ControllersListSilentWithoutInjection) {
  ExpectSilent(Tm2e(), P("v6.1-modular+initfix"), Only({invariants::kControllersList}), 1, 30);
  ExpectSilent(GetBoard("sysmmus=16,masters=8,per_master=2"), P("v6.1-modular"),
               Only({invariants::kControllersList}), 1, 50);
}

}  // namespace
}  // namespace probestorm::kernel
