// Controls of invariant default-domain-owner (driver/invariants/default_domain_owner.h): the
// ownership count itself (a claim made without a group is not counted, so dropping it warns; a
// counted claim drops silently; a group off its default domain refuses a second user with -EBUSY),
// then whole boots: masters unbound by churn on TM2E v6.1-modular warn, built-in exynos-iommu
// (every group exists before any master probes) stays silent.
#include "driver/invariants/default_domain_owner.h"

#include "driver/base/driver.h"
#include "driver/base/init.h"
#include "driver/iommu/exynos_iommu.h"
#include "driver/iommu/iommu.h"
#include "driver/iommu/iommu_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace probestorm::kernel {
namespace {
using namespace iommu_testing;  // NOLINT: test helpers

// One master: claim (with or without its group), then the group arrives if it had none, then the
// claim is dropped.
harness::RunResult ClaimThenDrop(bool group_first, int* use_ret, int* cnt_after) {
  Knobs knobs;
  IommuWorld w(OneMaster(), knobs, 1, harness::InvariantSet::All(), false);
  w.Spawn("master", [&] {
    Kernel& k = w.k();
    Device* m = k.AddDevice(OneMaster().masters[0]);
    IommuGroup* g = generic_device_group(m);
    if (group_first) m->iommu_group.Set(g);
    *use_ret = iommu_device_use_default_domain(m);
    if (!group_first) m->iommu_group.Set(g);  // as bus_iommu_probe would
    iommu_device_unuse_default_domain(m);
    *cnt_after = OwnerCount(g);
  });
  return w.Run();
}

TEST(InvariantControls, DefaultDomainOwnerWarnsWhenTheGroupCameAfterTheClaim) {
  int ret = -1, cnt = -1;
  auto r = ClaimThenDrop(false, &ret, &cnt);
  EXPECT_EQ(ret, 0);  // no group: nothing to claim, no error
  ASSERT_EQ(Count(r, invariants::kDefaultDomainOwner), 1);
  EXPECT_EQ(r.findings[0].severity, harness::Severity::kWarning);
  EXPECT_THAT(r.findings[0].message,
              testing::HasSubstr("WARNING in iommu_device_unuse_default_domain(" +
                                 OneMaster().node(OneMaster().masters[0]).device_name +
                                 "): WARN_ON(!group->owner_cnt)"));
  EXPECT_EQ(cnt, 0);  // the WARN_ON skips the decrement
}
TEST(InvariantControls, DefaultDomainOwnerSilentForACountedClaim) {
  int ret = -1, cnt = -1;
  auto r = ClaimThenDrop(true, &ret, &cnt);
  EXPECT_EQ(ret, 0);
  EXPECT_TRUE(r.findings.empty()) << r.findings[0].message;
  EXPECT_EQ(cnt, 0);
}

// A group with a user and a domain other than its default refuses another user.
TEST(IommuOwnership, SecondUserOffTheDefaultDomainIsBusy) {
  Knobs knobs;
  int first = 1, second = 1;
  IommuWorld w(OneMaster(), knobs, 1, harness::InvariantSet::All(), false);
  w.Spawn("master", [&] {
    Kernel& k = w.k();
    Device* m = k.AddDevice(OneMaster().masters[0]);
    IommuGroup* g = generic_device_group(m);
    m->iommu_group.Set(g);
    first = iommu_device_use_default_domain(m);
    IommuDomain other;
    g->domain.Set(&other);  // as iommu_attach_device of an unmanaged domain leaves it
    second = iommu_device_use_default_domain(m);
    g->domain.Set(nullptr);
  });
  auto r = w.Run();
  EXPECT_TRUE(r.findings.empty()) << r.findings[0].message;
  EXPECT_EQ(first, 0);
  EXPECT_EQ(second, -EBUSY);
}

// Whole boots: unbinding a master that got its group after its probe (churn) warns.
// A failed probe in v6.1 (drivers/base/dd.c really_probe, drivers/base/platform.c): really_probe's
// platform_dma_configure claims the master's group (iommu_device_use_default_domain), the driver's
// probe fails, and the probe_failed path runs bus->dma_cleanup (iommu_device_unuse_default_domain):
// the claim is dropped without a warning. (The unbind path is the churn boot below.) Built-in
// exynos-iommu gives the master its group before the master probes.
TEST(IommuOwnership, FailedProbeDropsItsClaimThroughDmaCleanup) {
  Knobs knobs;
  IommuWorld w(OneMaster(), knobs, 1, harness::InvariantSet::All(), /*register_drivers=*/false);
  Kernel& k = w.k();
  const int master_node = OneMaster().masters[0];
  auto* drv = k.Alloc<DeviceDriver>();
  drv->name = "failing-master";
  drv->of_match = {OneMaster().nodes[master_node].compatible.at(0)};
  int probes = 0, cnt_in_probe = -1;
  drv->probe = [&](Device* m) {
    ++probes;
    IommuGroup* g = iommu_group_get(m);
    cnt_in_probe = g != nullptr ? OwnerCount(g) : -1;
    return -ENODEV;
  };
  exynos_iommu_register(k);
  k.initcalls.push_back({InitLevel::kDevice, "failing_master_init", [&k, drv] { return driver_register(k, drv); }});
  w.Spawn("boot", [&] { StartBoot(k); });
  auto r = w.Run();
  for (const auto& f : r.findings) ADD_FAILURE() << f.invariant << ": " << f.message;
  EXPECT_EQ(probes, 1);
  EXPECT_EQ(cnt_in_probe, 1);  // platform_dma_configure claimed the group
  Device* m = k.DeviceForNode(master_node);
  ASSERT_NE(m, nullptr);
  IommuGroup* g = m->iommu_group.Peek();
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(OwnerCount(g), 0);  // dma_cleanup dropped it
  EXPECT_EQ(m->driver.Peek(), nullptr);
}

TEST(InvariantControls, DefaultDomainOwnerWarnsOnV61ModularWithChurn) {
  ExpectFires(Tm2e(), P("v6.1-modular", {"churn=2"}), invariants::kDefaultDomainOwner, 300,
              {"WARNING in iommu_device_unuse_default_domain(", "WARN_ON(!group->owner_cnt)"},
              harness::Severity::kWarning);
}
TEST(InvariantControls, DefaultDomainOwnerSilentWithBuiltinIommuAndChurn) {
  ExpectSilent(Tm2e(), P("v6.1", {"churn=2"}), Only({invariants::kDefaultDomainOwner}), 1, 50);
}

}  // namespace
}  // namespace probestorm::kernel
