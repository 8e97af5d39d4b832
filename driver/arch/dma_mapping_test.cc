// Unit tests of arch_setup_dma_ops / arch_teardown_dma_ops (driver/arch/dma_mapping.cc) for arm64
// and arm32, and of the dma-direct map path. Driven from one task with a fake IOMMU driver
// registered through the real IOMMU core.
#include <string>

#include "driver/arch/dma_mapping.h"
#include "driver/invariants/dma_ops_on_bound.h"
#include "driver/iommu/dma_iommu.h"
#include "driver/iommu/iommu_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace probestorm::kernel {
namespace {

using iommu_testing::Count;
using iommu_testing::FakeIommu;
using iommu_testing::GetBoard;
using iommu_testing::IommuWorld;
using ::testing::HasSubstr;

using iommu_testing::OneMaster;
constexpr uint64_t k4G = 1ULL << 32;

// Runs `body(fake, master)` in a task with the fake IOMMU registered and, when `probe`, the master
// IOMMU-probed (group + default domain).
template <typename F>
harness::RunResult WithMaster(const Knobs& knobs, bool probe, F body) {
  const hwmodel::Board& b = OneMaster();
  IommuWorld w(b, knobs, 1, harness::InvariantSet::All(), false);
  FakeIommu fake(w.k());
  w.Spawn("t", [&] {
    Device* s = w.k().AddDevice(b.sysmmus[0]);
    Device* m = w.k().AddDevice(b.masters[0]);
    ASSERT_EQ(iommu_device_register(&fake.idev, &fake.ops, s), 0);
    if (probe) {
      ASSERT_EQ(iommu_probe_device(m), 0);
    }
    body(fake, m);
  });
  return w.Run();
}

// arm64: iommu_setup_dma_ops overwrites whatever dma_ops the device had when a DMA domain exists.
TEST(DmaMapping, Arm64OverwritesExistingOpsWithDmaDomain) {
  Knobs knobs;
  const DmaMapOps* ops = nullptr;
  auto r = WithMaster(knobs, true, [&](FakeIommu& fake, Device* m) {
    m->dma_ops.Set(&arm_iommu_ops);
    arch_setup_dma_ops(m, 0, k4G, &fake.ops, true);
    ops = m->dma_ops.Get();
    EXPECT_TRUE(m->dma_coherent);
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(ops, &iommu_dma_ops);
}

// The same overwrite under a bound driver is dma-ops-on-bound.
TEST(DmaMapping, Arm64OverwriteUnderActiveDriverIsReported) {
  Knobs knobs;
  auto r = WithMaster(knobs, true, [&](FakeIommu& fake, Device* m) {
    invariants::OnDriverDmaBegin(m);
    arch_setup_dma_ops(m, 0, k4G, &fake.ops, false);
  });
  ASSERT_EQ(Count(r, invariants::kDmaOpsOnBound), 1);
  EXPECT_THAT(r.findings[0].message, HasSubstr("iommu_setup_dma_ops: dma_ops dma-direct -> iommu_dma_ops"));
}

TEST(DmaMapping, Arm64WithoutDomainKeepsOps) {
  Knobs knobs;
  const DmaMapOps* ops = nullptr;
  auto r = WithMaster(knobs, false, [&](FakeIommu& fake, Device* m) {
    m->dma_ops.Set(&arm_iommu_ops);
    arch_setup_dma_ops(m, 0, k4G, &fake.ops, false);
    ops = m->dma_ops.Get();
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(ops, &arm_iommu_ops);
}

TEST(DmaMapping, Arm64IdentityDomainStaysDirect) {
  Knobs knobs;
  knobs.default_domain_dma = false;
  const DmaMapOps* ops = &arm_iommu_ops;
  auto r = WithMaster(knobs, true, [&](FakeIommu& fake, Device* m) {
    arch_setup_dma_ops(m, 0, k4G, &fake.ops, false);
    ops = m->dma_ops.Get();
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(ops, nullptr);
}

TEST(DmaMapping, Arm64TeardownResetsToDirect) {
  Knobs knobs;
  const DmaMapOps* before = nullptr;
  const DmaMapOps* after = &arm_iommu_ops;
  auto r = WithMaster(knobs, true, [&](FakeIommu& fake, Device* m) {
    arch_setup_dma_ops(m, 0, k4G, &fake.ops, false);
    before = m->dma_ops.Get();
    arch_teardown_dma_ops(m);
    after = m->dma_ops.Get();
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(before, &iommu_dma_ops);
  EXPECT_EQ(after, nullptr);
}

// arm32: arch_setup_dma_ops leaves dma_ops alone when a device already has some.
TEST(DmaMapping, Arm32KeepsExistingOps) {
  Knobs knobs;
  knobs.arch = Arch::kArm32;
  const DmaMapOps* ops = nullptr;
  bool setup = true;
  int allocs_before = 0, allocs_after = -1;
  auto r = WithMaster(knobs, true, [&](FakeIommu& fake, Device* m) {
    m->dma_ops.Set(&iommu_dma_ops);
    allocs_before = fake.domain_allocs;
    arch_setup_dma_ops(m, 0, k4G, &fake.ops, false);
    allocs_after = fake.domain_allocs;
    ops = m->dma_ops.Get();
    setup = m->archdata_dma_ops_setup;
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(ops, &iommu_dma_ops);
  EXPECT_FALSE(setup);
  EXPECT_EQ(allocs_after, allocs_before);
}

TEST(DmaMapping, Arm32SetsUpPrivateMappingAndTeardownReleasesIt) {
  Knobs knobs;
  knobs.arch = Arch::kArm32;
  const DmaMapOps* ops = nullptr;
  bool mapping = false, setup = false;
  IommuDomain* attached = nullptr;
  IommuDomain* def = nullptr;
  const DmaMapOps* after = &arm_iommu_ops;
  bool mapping_after = true, setup_after = true;
  auto r = WithMaster(knobs, true, [&](FakeIommu& fake, Device* m) {
    def = iommu_group_get(m)->default_domain.Get();
    arch_setup_dma_ops(m, 0, k4G, &fake.ops, false);
    ops = m->dma_ops.Get();
    mapping = m->archdata_mapping != nullptr;
    setup = m->archdata_dma_ops_setup;
    attached = iommu_get_domain_for_dev(m);
    arch_teardown_dma_ops(m);
    after = m->dma_ops.Get();
    mapping_after = m->archdata_mapping != nullptr;
    setup_after = m->archdata_dma_ops_setup;
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(ops, &arm_iommu_ops);
  EXPECT_TRUE(mapping);
  EXPECT_TRUE(setup);
  ASSERT_NE(attached, nullptr);
  EXPECT_NE(attached, def);  // its own UNMANAGED domain
  EXPECT_EQ(attached->type, IommuDomainType::kUnmanaged);
  EXPECT_EQ(after, nullptr);
  EXPECT_FALSE(mapping_after);
  EXPECT_FALSE(setup_after);
}

TEST(DmaMapping, Arm32TeardownWithoutSetupDoesNothing) {
  Knobs knobs;
  knobs.arch = Arch::kArm32;
  const DmaMapOps* ops = nullptr;
  auto r = WithMaster(knobs, false, [&](FakeIommu&, Device* m) {
    m->dma_ops.Set(&iommu_dma_ops);
    arch_teardown_dma_ops(m);
    ops = m->dma_ops.Get();
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(ops, &iommu_dma_ops);
}

TEST(DmaMapping, DirectMapReturnsPhysicalAddress) {
  Knobs knobs;
  uint64_t dma = 0;
  const DmaMapOps* used = &iommu_dma_ops;
  auto r = WithMaster(knobs, false, [&](FakeIommu&, Device* m) {
    dma = dma_map_phys(m, 0x40001234, 100, true, &used);
    dma_unmap_phys(m, used, dma, 100);
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(dma, 0x40001234u);
  EXPECT_EQ(used, nullptr);
  EXPECT_STREQ(DmaOpsName(nullptr), "dma-direct");
  EXPECT_STREQ(DmaOpsName(&arm_iommu_ops), "arm_iommu_ops");
}

}  // namespace
}  // namespace probestorm::kernel
