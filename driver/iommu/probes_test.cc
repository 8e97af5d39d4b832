// Interleaving probes (driver/probes.h): each fires on a profile whose schedules reach its window
// and stays silent where the kernel closes that window. Runs go on after violations, as campaign
// runs do, so a probe after the first oops still counts.
#include "driver/probes.h"

#include "driver/iommu/iommu_test_util.h"
#include "gtest/gtest.h"

namespace probestorm::kernel {
namespace {

using iommu_testing::Boot;
using iommu_testing::GetBoard;
using iommu_testing::P;
using iommu_testing::Tm2e;

// Runs (seeds 1..runs) in which `id` fired.
int RunsHitting(const hwmodel::Board& board, const Profile& p, ProbeId id, int runs) {
  int hit = 0;
  for (int seed = 1; seed <= runs; ++seed) {
    const ModelRun r = Boot(board, p, static_cast<uint64_t>(seed), harness::InvariantSet::All(),
                            /*keep_trace=*/false, /*stop_on_violation=*/false);
    hit += r.probes[static_cast<size_t>(id)] != 0;
  }
  return hit;
}

TEST(ProbesTest, XlateBeforeDrvdata) {
  EXPECT_GT(RunsHitting(Tm2e(), P("v6.1-modular"), ProbeId::kXlateBeforeDrvdata, 40), 0);
  // bbc4d205d93f registers the SysMMU last: the window is gone.
  EXPECT_EQ(RunsHitting(Tm2e(), P("v6.1-modular+initfix"), ProbeId::kXlateBeforeDrvdata, 40), 0);
}

TEST(ProbesTest, BusProbeVisitsBoundMaster) {
  EXPECT_GT(RunsHitting(Tm2e(), P("v6.1-modular"), ProbeId::kBusProbeVisitsBoundMaster, 10), 0);
  // Built in, every SysMMU registers before any master binds.
  EXPECT_EQ(RunsHitting(Tm2e(), P("v6.1"), ProbeId::kBusProbeVisitsBoundMaster, 10), 0);
}

TEST(ProbesTest, DevIommuFreeWhileHeld) {
  const auto& board = GetBoard("sysmmus=16,masters=8,per_master=2");
  EXPECT_GT(RunsHitting(board, P("v6.1-modular", {"inject=dma_set_mask"}),
                        ProbeId::kDevIommuFreeWhileHeld, 40), 0);
  // a2e7e59a9426's probe lock keeps of_iommu_configure and __iommu_probe_device apart.
  EXPECT_EQ(RunsHitting(board, P("v6.7-modular", {"inject=dma_set_mask"}),
                        ProbeId::kDevIommuFreeWhileHeld, 40), 0);
}

TEST(ProbesTest, TriggerDuringProbe) {
  EXPECT_GT(RunsHitting(Tm2e(), P("v6.1-modular", {"async_probe=*"}), ProbeId::kTriggerDuringProbe, 10), 0);
  // Built in and synchronous, nothing binds while another probe is between its snapshot and
  // driver_deferred_probe_add.
  EXPECT_EQ(RunsHitting(Tm2e(), P("v6.1"), ProbeId::kTriggerDuringProbe, 10), 0);
}

TEST(ProbesTest, EveryProbeHasANameAndAWindow) {
  for (size_t i = 0; i < kProbes.size(); ++i) {
    EXPECT_EQ(static_cast<size_t>(kProbes[i].id), i);
    EXPECT_FALSE(kProbes[i].name.empty());
    EXPECT_FALSE(kProbes[i].window.empty());
  }
}

}  // namespace
}  // namespace probestorm::kernel
