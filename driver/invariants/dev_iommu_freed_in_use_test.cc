// Controls of invariant dev-iommu-freed-in-use (driver/invariants/dev_iommu_freed_in_use.h) as
// whole boots: the oops of each dereference a concurrent dev_iommu_free() pulls the rug from
// under on v6.1 with exynos-iommu modular, silent with a2e7e59a9426 (iommu_core=6.7).
#include <string>

#include "driver/invariants/dev_iommu_freed_in_use.h"
#include "driver/iommu/iommu_test_util.h"
#include "gtest/gtest.h"

namespace probestorm::kernel {
namespace {
using namespace iommu_testing;  // NOLINT: test helpers

using harness::InvariantId;

// S3: the failed __iommu_probe_device of a master (probe_device sees no priv yet) frees dev->iommu
// while the master's own of_iommu_configure uses it: the oops of whichever dereference comes next
// (iommu_fwspec_init/free, exynos_iommu_of_xlate's dev_iommu_priv_set, the final fwspec->ops). Only
// a few percent of TM2E seeds hit it, and which ones moves with every schedule point the boot
// gains, hence seeds 1..300.
TEST(InvariantControls, DevIommuFreedInUseFiresOnV61Modular) {
  ExpectFiresAs(Tm2e(), P("v6.1-modular"), invariants::kDevIommuFreedInUse, 300,
                {{"NULL pointer dereference at virtual address 0000000000000030; pc : iommu_fwspec_init;"},
                 {"NULL pointer dereference at virtual address 0000000000000030; pc : iommu_fwspec_free;"},
                 {"NULL pointer dereference at virtual address 0000000000000040; pc : exynos_iommu_of_xlate;"},
                 {"NULL pointer dereference at virtual address 0000000000000000; pc : of_iommu_configure;"}});
}

// First seed in [1, hi] whose run reports `id` with a message containing `text`; 0 if none.
uint64_t FirstSeedWith(const hwmodel::Board& b, const Profile& p, InvariantId id, uint64_t hi,
                       const std::string& text, harness::Finding* out) {
  for (uint64_t seed = 1; seed <= hi; ++seed) {
    ModelRun r = Boot(b, p, seed, Only({id}), false, false);
    for (const auto& f : r.result.findings) {
      if (f.invariant == Name(id) && f.message.find(text) != std::string::npos) {
        *out = f;
        return seed;
      }
    }
  }
  return 0;
}

// The seed report's oops: the store to dev->iommu->priv in exynos_iommu_of_xlate after the
// kzalloc(GFP_KERNEL) of the owner, on masters with a single SysMMU, at priv's offset.
TEST(InvariantControls, DevIommuFreedInUseFiresInOfXlateOnSingleSysmmuMasters) {
  const hwmodel::Board& b = GetBoard("sysmmus=16,masters=16,per_master=1");
  harness::Finding f;
  ASSERT_NE(FirstSeedWith(b, P("v6.1-modular"), invariants::kDevIommuFreedInUse, 200,
                          "pc : exynos_iommu_of_xlate;", &f),
            0u);
  EXPECT_NE(f.message.find("at virtual address 0000000000000040;"), std::string::npos) << f.message;
  EXPECT_NE(f.message.find("dev->iommu is NULL, freed by modprobe/exynos-iommu"), std::string::npos) << f.message;
  EXPECT_NE(f.detail.find("Internal error: Oops: 0000000096000044 [#1] PREEMPT SMP"), std::string::npos) << f.detail;
}

// With async probing, concurrent unlocked bus probes both fail probe_device for the same
// non-master device and both dev_iommu_free it (the kernel's NULL dereference in dev_iommu_free,
// reading param->fwspec).
TEST(InvariantControls, DevIommuFreedInUseFiresOnV61ModularAsync) {
  ExpectFires(GetBoard("sysmmus=16,masters=8,per_master=2"), P("v6.1-modular", {"async_probe=*"}),
              invariants::kDevIommuFreedInUse, 10,
              {"at virtual address 0000000000000030; pc : dev_iommu_free;", "dev->iommu is NULL, freed by "});
}
TEST(InvariantControls, DevIommuFreedInUseSilentOnCore67) {
  ExpectSilent(Tm2e(), P("v6.1-modular", {"iommu_core=6.7"}), Only({invariants::kDevIommuFreedInUse}), 1, 30);
  ExpectSilent(Tm2e(), P("v6.1-modular", {"iommu_core=6.7", "async_probe=*"}),
               Only({invariants::kDevIommuFreedInUse}), 1, 30);
}

}  // namespace
}  // namespace probestorm::kernel
