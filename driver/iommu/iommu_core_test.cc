// Unit tests of the IOMMU core model (driver/iommu/iommu.cc): registration, __iommu_probe_device
// and iommu_probe_device paths (groups, default domains, error paths freeing dev->iommu), and the
// unit-level controls of the core paths that reach the double-iommu-probe and
// dev-iommu-freed-in-use hooks. Each test drives the functions from
// tasks of a fresh world on a small synthetic board.
#include <map>
#include <set>
#include <string>

#include "driver/invariants/checker.h"
#include "driver/invariants/dev_iommu_freed_in_use.h"
#include "driver/invariants/double_iommu_probe.h"
#include "driver/iommu/iommu_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace probestorm::kernel {
namespace {

using iommu_testing::Count;
using iommu_testing::FakeIommu;
using iommu_testing::GetBoard;
using iommu_testing::GroupDeviceCount;
using iommu_testing::IommuWorld;
using iommu_testing::Name;
using ::testing::HasSubstr;

const hwmodel::Board& TwoMasters() { return GetBoard("sysmmus=2,masters=2,per_master=1"); }

struct Fixture {
  Device* s = nullptr;
  Device* m1 = nullptr;
  Device* m2 = nullptr;
};

// Runs `body` in one task with both SysMMU and master devices created (not on the bus) and, when
// `reg`, the fake IOMMU registered for the first SysMMU node.
template <typename F>
harness::RunResult WithFake(const Knobs& knobs, bool reg, F body) {
  const hwmodel::Board& b = TwoMasters();
  IommuWorld w(b, knobs, 1, harness::InvariantSet::All(), false);
  FakeIommu fake(w.k());
  w.Spawn("t", [&] {
    Fixture f;
    f.s = w.k().AddDevice(b.sysmmus[0]);
    f.m1 = w.k().AddDevice(b.masters[0]);
    f.m2 = w.k().AddDevice(b.masters[1]);
    if (reg) {
      EXPECT_EQ(iommu_device_register(&fake.idev, &fake.ops, f.s), 0);
    }
    body(w.k(), fake, f);
  });
  return w.Run();
}

TEST(IommuCore, ProbeDeviceWithoutBusOpsIsEnodevAndAllocatesNothing) {
  Knobs knobs;
  int ret = 0;
  bool has_iommu = true;
  auto r = WithFake(knobs, false, [&](Kernel&, FakeIommu&, Fixture& f) {
    ret = __iommu_probe_device(f.m1, nullptr);
    has_iommu = f.m1->iommu.Get() != nullptr;
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(ret, -ENODEV);
  EXPECT_FALSE(has_iommu);
}

// exynos_iommu_probe_device without an owner (no of_xlate ran: !has_sysmmu) is -ENODEV, and the
// core's error path frees dev->iommu (dev_iommu_free).
TEST(IommuCore, ExynosProbeDeviceWithoutOwnerFreesDevIommu) {
  Knobs knobs;
  int ret = 0;
  DevIommu* param = nullptr;
  bool cleared = false;
  auto r = WithFake(knobs, false, [&](Kernel& k, FakeIommu&, Fixture& f) {
    iommu_state(k).bus_iommu_ops.Set(&exynos_state(k).exynos_iommu_ops);
    param = dev_iommu_get(f.m1);
    ret = __iommu_probe_device(f.m1, nullptr);
    cleared = f.m1->iommu.Get() == nullptr;
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(ret, -ENODEV);
  ASSERT_NE(param, nullptr);
  EXPECT_TRUE(param->freed);
  EXPECT_TRUE(cleared);
}

TEST(IommuCore, ProbeDeviceCreatesOneGroupPerDeviceWithDefaultDomainAttached) {
  Knobs knobs;
  int r1 = -1, r2 = -1;
  IommuGroup* g1 = nullptr;
  IommuGroup* g2 = nullptr;
  int attaches = 0, allocs = 0, probes = 0;
  int probe_ok = 0;
  auto r = WithFake(knobs, true, [&](Kernel&, FakeIommu& fake, Fixture& f) {
    r1 = iommu_probe_device(f.m1);
    r2 = iommu_probe_device(f.m2);
    g1 = iommu_group_get(f.m1);
    g2 = iommu_group_get(f.m2);
    attaches = fake.attach_calls;
    allocs = fake.domain_allocs;
    probes = fake.probe_calls;
    probe_ok = invariants::checker(*f.m1->kernel)
                   .double_iommu_probe.by_node[static_cast<size_t>(f.m1->of_node)]
                   .probe_ok;
    EXPECT_EQ(iommu_get_domain_for_dev(f.m1), g1->default_domain.Get());
    EXPECT_EQ(f.m1->iommu.Get()->iommu_dev.Get(), &fake.idev);
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(r1, 0);
  EXPECT_EQ(r2, 0);
  ASSERT_NE(g1, nullptr);
  ASSERT_NE(g2, nullptr);
  EXPECT_NE(g1, g2);
  EXPECT_EQ(GroupDeviceCount(g1), 1u);
  EXPECT_EQ(GroupDeviceCount(g2), 1u);
  ASSERT_NE(g1->default_domain.Peek(), nullptr);
  EXPECT_EQ(g1->default_domain.Peek()->type, IommuDomainType::kDma);
  EXPECT_NE(g1->default_domain.Peek()->iova_cookie, nullptr);  // iommu_get_dma_cookie
  EXPECT_EQ(g1->domain.Peek(), g1->default_domain.Peek());
  EXPECT_EQ(probes, 2);
  EXPECT_EQ(allocs, 2);
  EXPECT_EQ(attaches, 2);
  EXPECT_EQ(probe_ok, 1);
}

TEST(IommuCore, IdentityDefaultDomainByKnob) {
  Knobs knobs;
  knobs.default_domain_dma = false;
  IommuDomainType type = IommuDomainType::kDma;
  auto r = WithFake(knobs, true, [&](Kernel&, FakeIommu&, Fixture& f) {
    ASSERT_EQ(iommu_probe_device(f.m1), 0);
    type = iommu_group_get(f.m1)->default_domain.Get()->type;
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(type, IommuDomainType::kIdentity);
}

TEST(IommuCore, AttachFailureReleasesDeviceAndFreesDevIommu) {
  Knobs knobs;
  int ret = 0;
  int releases = 0;
  bool grouped = true, has_iommu = true;
  auto r = WithFake(knobs, true, [&](Kernel&, FakeIommu& fake, Fixture& f) {
    fake.attach_ret = -EINVAL;
    ret = iommu_probe_device(f.m1);
    releases = fake.release_calls;
    grouped = device_iommu_mapped(f.m1);
    has_iommu = f.m1->iommu.Get() != nullptr;
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(ret, -EINVAL);
  EXPECT_EQ(releases, 1);
  EXPECT_FALSE(grouped);
  EXPECT_FALSE(has_iommu);
}

TEST(IommuCore, RegisterSecondOpsIsEbusyOn61) {
  Knobs knobs;
  int ret = 0;
  auto r = WithFake(knobs, true, [&](Kernel& k, FakeIommu&, Fixture& f) {
    FakeIommu other(k);
    ret = iommu_device_register(&other.idev, &other.ops, f.m2);
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(ret, -EBUSY);
}

TEST(IommuCore, Register60OnlyListsTheInstance) {
  Knobs knobs;
  knobs.iommu_core = IommuCoreGen::k6_0;
  const IommuOps* bus = reinterpret_cast<const IommuOps*>(1);
  const IommuOps* listed = nullptr;
  const IommuOps* want = nullptr;
  uint64_t bus_probes = 99;
  auto r = WithFake(knobs, true, [&](Kernel& k, FakeIommu& fake, Fixture& f) {
    want = &fake.ops;
    bus = iommu_state(k).bus_iommu_ops.Get();
    listed = iommu_ops_from_fwnode(k, f.s->of_node);
    bus_probes = iommu_state(k).bus_probes.load();
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(bus, nullptr);
  EXPECT_EQ(listed, want);
  EXPECT_EQ(bus_probes, 0u);
}

TEST(IommuCore, Core67ProbeReturnsAtOnceForGroupedDevice) {
  Knobs knobs;
  knobs.iommu_core = IommuCoreGen::k6_7;
  int ret = -1;
  int probes = 0;
  auto r = WithFake(knobs, true, [&](Kernel&, FakeIommu& fake, Fixture& f) {
    ASSERT_EQ(iommu_probe_device(f.m1), 0);
    ret = __iommu_probe_device(f.m1, nullptr);
    probes = fake.probe_calls;
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(ret, 0);
  EXPECT_EQ(probes, 1);
}

// double-iommu-probe, unit positive control: a second successful __iommu_probe_device of a device
// whose group pointer was lost (as two concurrent v6.1 bus probes leave it) is reported.
TEST(IommuCore, DoubleProbeWithoutReleaseIsReported) {
  Knobs knobs;
  auto r = WithFake(knobs, true, [&](Kernel&, FakeIommu&, Fixture& f) {
    ASSERT_EQ(iommu_probe_device(f.m1), 0);
    f.m1->iommu_group.Set(nullptr);
    __iommu_probe_device(f.m1, nullptr);
  });
  ASSERT_EQ(Count(r, invariants::kDoubleIommuProbe), 1);
  EXPECT_THAT(r.findings[0].message, HasSubstr("succeeded twice without iommu_release_device"));
}

// Negative control: probe, release, probe again is balanced.
TEST(IommuCore, ProbeReleaseProbeIsSilent) {
  Knobs knobs;
  int releases = 0;
  auto r = WithFake(knobs, true, [&](Kernel&, FakeIommu& fake, Fixture& f) {
    ASSERT_EQ(iommu_probe_device(f.m1), 0);
    iommu_release_device(f.m1);
    EXPECT_EQ(f.m1->iommu.Get(), nullptr);
    EXPECT_EQ(iommu_probe_device(f.m1), 0);
    releases = fake.release_calls;
  });
  EXPECT_TRUE(r.findings.empty()) << r.findings[0].message;
  EXPECT_EQ(releases, 1);
}

// dev-iommu-freed-in-use, unit positive control: another task frees dev->iommu between this task's
// allocation of it and its store to dev->iommu->priv (exynos_iommu_of_xlate's window, S3). The oops
// names the function as its pc, the offset of priv as its address and the task that freed it.
TEST(IommuCore, PrivSetAfterOtherTaskFreedDevIommuOopsesAtPrivOffset) {
  for (Arch arch : {Arch::kArm64, Arch::kArm32}) {
    Knobs knobs;
    knobs.arch = arch;
    const hwmodel::Board& b = TwoMasters();
    IommuWorld w(b, knobs, 1, harness::InvariantSet::All(), false);
    Device* m = nullptr;
    bool after = false;
    w.Spawn("xlater", [&] {
      m = w.k().AddDevice(b.masters[0]);
      dev_iommu_get(m);
      harness::Current().Sleep(2 * harness::kSec);
      int owner = 0;
      dev_iommu_priv_set(m, &owner, "exynos_iommu_of_xlate");
      after = true;  // not reached: the oops ends the task
    });
    w.Spawn("freer", [&] {
      harness::Current().Sleep(1 * harness::kSec);
      dev_iommu_free(m);
    });
    auto r = w.Run();
    EXPECT_FALSE(after);
    ASSERT_EQ(Count(r, invariants::kDevIommuFreedInUse), 1);
    const harness::Finding& f = r.findings[0];
    if (arch == Arch::kArm64) {
      EXPECT_THAT(f.message, HasSubstr("NULL pointer dereference at virtual address 0000000000000040; "
                                       "pc : exynos_iommu_of_xlate;"));
      EXPECT_THAT(f.detail, HasSubstr("Internal error: Oops: 0000000096000044 [#1] PREEMPT SMP"));
    } else {
      EXPECT_THAT(f.message, HasSubstr("NULL pointer dereference at virtual address 00000024; "
                                       "PC is at exynos_iommu_of_xlate;"));
      EXPECT_THAT(f.detail, HasSubstr("Internal error: Oops: 805 [#1] SMP ARM"));
      EXPECT_THAT(f.detail, HasSubstr("\"section translation fault\", write"));
    }
    EXPECT_THAT(f.message, HasSubstr("dev->iommu is NULL, freed by freer (dev->iommu->priv)"));
  }
}

// Negative control: a dev->iommu freed by another task and never dereferenced again is silent
// (the kernel takes no fault), and so is a store while dev->iommu is allocated.
TEST(IommuCore, FreeWithoutLaterDereferenceIsSilent) {
  Knobs knobs;
  const hwmodel::Board& b = TwoMasters();
  IommuWorld w(b, knobs, 1, harness::InvariantSet::All(), false);
  Device* m = nullptr;
  w.Spawn("xlater", [&] {
    m = w.k().AddDevice(b.masters[0]);
    dev_iommu_get(m);
    int owner = 0;
    dev_iommu_priv_set(m, &owner, "exynos_iommu_of_xlate");
    harness::Current().Sleep(2 * harness::kSec);
  });
  w.Spawn("freer", [&] {
    harness::Current().Sleep(1 * harness::kSec);
    dev_iommu_free(m);
  });
  auto r = w.Run();
  EXPECT_TRUE(r.findings.empty()) << r.findings[0].message;
}

// arm32 (v6.1): the driver's domain_alloc runs (exynos' BUG_ON stays reachable), then the DMA
// domain is freed for want of a cookie; an UNMANAGED domain (arm_iommu mapping) is still made.
// arm64 keeps the DMA domain (negative control).
TEST(IommuCore, Arm32HasNoDmaDomainButTheDriverAllocatedOne) {
  for (Arch arch : {Arch::kArm32, Arch::kArm64}) {
    Knobs knobs;
    knobs.arch = arch;
    IommuDomain* dma = nullptr;
    IommuDomain* unmanaged = nullptr;
    int allocs = 0;
    auto r = WithFake(knobs, false, [&](Kernel& k, FakeIommu& fake, Fixture&) {
      dma = iommu_domain_alloc_type(k, &fake.ops, IommuDomainType::kDma);
      unmanaged = iommu_domain_alloc_type(k, &fake.ops, IommuDomainType::kUnmanaged);
      allocs = fake.domain_allocs;
    });
    EXPECT_TRUE(r.findings.empty());
    EXPECT_EQ(allocs, 2);
    EXPECT_EQ(dma == nullptr, arch == Arch::kArm32);
    EXPECT_NE(unmanaged, nullptr);
  }
}


}  // namespace
}  // namespace probestorm::kernel

namespace probestorm::kernel {
namespace {

// Every bus of iommu_buses[]: each SysMMU registration walks the platform bus, then the AMBA bus,
// whose devices are TM2E's PL330 DMA controllers ("arm,primecell"). Returns, per task, the bus
// walks in order, and the walk each PL330 IOMMU probe ran in.
struct Walks {
  std::vector<std::string> first_task_walks;  // the first walking task's spans, in order
  std::set<std::string> pl330_walks;          // the bus walk enclosing each PL330 probe
  bool pl330_bound = false;
};
Walks BusWalksOnTm2e(const std::string& core) {
  const hwmodel::Board& b = iommu_testing::Tm2e();
  ModelRun r = iommu_testing::Boot(b, iommu_testing::P("v6.1", {"iommu_core=" + core}), 1,
                                   harness::InvariantSet::None(), /*keep_trace=*/true);
  Walks w;
  std::map<uint32_t, std::string> open;  // task -> innermost bus walk
  uint32_t first = 0;
  for (const harness::TraceEvent& e : r.trace) {
    if (e.func.rfind("bus_iommu_probe", 0) == 0) {
      if (e.phase == harness::Phase::kBegin) {
        open[e.task] = e.func;
        if (first == 0) first = e.task;
        if (e.task == first) w.first_task_walks.push_back(e.func);
      } else if (e.phase == harness::Phase::kEnd) {
        open.erase(e.task);
      }
    }
    if (e.func == "__iommu_probe_device" && e.phase == harness::Phase::kBegin &&
        e.device.find("dma-controller") != std::string::npos) {
      w.pl330_walks.insert(open.count(e.task) ? open[e.task] : "outside a bus walk");
    }
    if (e.func == "driver_bound" && e.device.find("dma-controller") != std::string::npos) w.pl330_bound = true;
  }
  return w;
}

TEST(IommuCore, RegistrationWalksThePlatformThenTheAmbaBus) {
  const Walks w = BusWalksOnTm2e("6.1");
  ASSERT_GE(w.first_task_walks.size(), 2u);
  EXPECT_EQ(w.first_task_walks[0], "bus_iommu_probe platform");
  EXPECT_EQ(w.first_task_walks[1], "bus_iommu_probe amba");
  EXPECT_EQ(w.pl330_walks, std::set<std::string>{"bus_iommu_probe amba"});
  EXPECT_FALSE(w.pl330_bound);  // no platform driver binds an AMBA device
}
// v6.0: exynos_iommu_init's bus_set_iommu(&platform_bus_type) walks the platform bus only.
TEST(IommuCore, BusSetIommuOn60WalksThePlatformBusOnly) {
  const Walks w = BusWalksOnTm2e("6.0");
  ASSERT_FALSE(w.first_task_walks.empty());
  for (const std::string& walk : w.first_task_walks) EXPECT_EQ(walk, "bus_iommu_probe platform");
  EXPECT_TRUE(w.pl330_walks.empty());
}

}  // namespace
}  // namespace probestorm::kernel
