// Controls of invariant domain-alloc-uninit (driver/invariants/domain_alloc_uninit.h): as whole
// boots, it fires on v6.1 with exynos-iommu modular and stays silent with both parts of
// bbc4d205d93f; at exynos_iommu_map, a NULL LV1_PROT/LV2_PROT is the oops at prot * 4 and set
// tables map silently.
#include <string>

#include "driver/invariants/domain_alloc_uninit.h"
#include "driver/iommu/exynos_iommu.h"
#include "driver/iommu/iommu_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace probestorm::kernel {
namespace {
using namespace iommu_testing;  // NOLINT: test helpers

TEST(InvariantControls, DomainAllocUninitFiresOnV61Modular) {
  ExpectFires(Tm2e(), P("v6.1-modular"), invariants::kDomainAllocUninit, 50,
              {"exynos_iommu_domain_alloc by modprobe/exynos-iommu before exynos_iommu_init finished",
               "zero_lv2_table is NULL"});
}
TEST(InvariantControls, DomainAllocUninitSilentWithFixedInitAndRegisterLast) {
  ExpectSilent(Tm2e(), P("v6.1-modular", {"exynos_init_order=fixed", "exynos_register_last=true"}),
               Only({invariants::kDomainAllocUninit}), 1, 50);
}

// A domain allocated once PG_ENT_SHIFT and dma_dev exist, then one mapping of `size` bytes with
// the protection tables set or still NULL (the first SysMMU probe between its stores).
harness::RunResult MapOnce(bool tables, uint64_t size, int* ret) {
  Knobs knobs;
  IommuWorld w(OneMaster(), knobs, 1, harness::InvariantSet::All(), false);
  w.Spawn("mapper", [&] {
    Kernel& k = w.k();
    ExynosIommuState& s = exynos_state(k);
    s.PG_ENT_SHIFT.Set(4);
    s.dma_dev.Set(k.AddDevice(OneMaster().sysmmus[0]));
    s.lv2table_kmem_cache.Set(true);
    s.zero_lv2_table.Set(w.hw().memory().AllocPages(0, "zero"));
    if (tables) {
      static constexpr uint32_t kLv1[] = {0u << 4, 1u << 4, 2u << 4, 3u << 4};  // SYSMMU_V5_LV1_PROT
      static constexpr uint32_t kLv2[] = {0u << 2, 1u << 2, 2u << 2, 3u << 2};  // SYSMMU_V5_LV2_PROT
      s.LV1_PROT.Set(kLv1);
      s.LV2_PROT.Set(kLv2);
    }
    IommuDomain* d = exynos_iommu_domain_alloc(k, IommuDomainType::kUnmanaged);
    d->ops = &s.exynos_iommu_domain_ops;
    d->pgsize_bitmap = s.exynos_iommu_ops.pgsize_bitmap;
    *ret = 1;
    *ret = iommu_map(d, 0x100000, 0x20000000, size, IOMMU_READ | IOMMU_WRITE);
  });
  return w.Run();
}

TEST(InvariantControls, DomainAllocUninitNullLv2ProtIsAnOopsInExynosIommuMap) {
  int ret = 0;
  auto r = MapOnce(false, 0x1000, &ret);
  ASSERT_EQ(Count(r, invariants::kDomainAllocUninit), 1);
  // prot = IOMMU_READ | IOMMU_WRITE = 3: LV2_PROT[3] at 3 * 4.
  EXPECT_THAT(r.findings[0].message,
              testing::HasSubstr("Unable to handle kernel NULL pointer dereference at virtual address "
                                 "000000000000000c; pc : exynos_iommu_map"));
  EXPECT_THAT(r.findings[0].message, testing::HasSubstr("LV2_PROT is NULL (PG_ENT_SHIFT=4)"));
  EXPECT_EQ(ret, 1);  // never returned: the task died
}
TEST(InvariantControls, DomainAllocUninitNullLv1ProtIsAnOopsForASection) {
  int ret = 0;
  auto r = MapOnce(false, 0x100000, &ret);
  ASSERT_EQ(Count(r, invariants::kDomainAllocUninit), 1);
  EXPECT_THAT(r.findings[0].message, testing::HasSubstr("LV1_PROT is NULL"));
}
TEST(InvariantControls, DomainAllocUninitSilentWhenTheTablesAreSet) {
  for (uint64_t size : {uint64_t{0x1000}, uint64_t{0x10000}, uint64_t{0x100000}}) {
    int ret = 1;
    auto r = MapOnce(true, size, &ret);
    EXPECT_TRUE(r.findings.empty()) << r.findings[0].message;
    EXPECT_EQ(ret, 0) << size;
  }
}

}  // namespace
}  // namespace probestorm::kernel
