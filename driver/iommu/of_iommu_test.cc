// Unit tests of of_iommu_xlate / of_iommu_configure (driver/iommu/of_iommu.cc): every return path
// of the xlate (no instance -> driver_deferred_probe_check_state, NO_IOMMU, of_xlate's result) and
// of the configure (existing fwspec, empty fwspec retry, swallowed errors, the replay). Each test
// drives the functions from one task on a one-master synthetic board, with a fake IOMMU driver
// (FakeIommu) registered through the real iommu_device_register.
#include <string>

#include "driver/base/driver_core.h"
#include "driver/invariants/checker.h"
#include "driver/iommu/iommu_test_util.h"
#include "driver/iommu/of_iommu.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace probestorm::kernel {
namespace {

using iommu_testing::FakeIommu;
using iommu_testing::GetBoard;
using iommu_testing::IommuWorld;
using ::testing::HasSubstr;
using Kind = invariants::IommuBypassState::Kind;

// What the iommu-bypass checker recorded for `m` (its reason for a master without IOMMU).
invariants::IommuBypassState::Reason BypassOf(Device* m) {
  return invariants::checker(*m->kernel).iommu_bypass.by_node.Get(m->of_node);
}

using iommu_testing::OneMaster;
int MasterNode() { return OneMaster().masters[0]; }
int SysmmuNode() { return OneMaster().sysmmus[0]; }
const hwmodel::PhandleRef& Spec() { return OneMaster().node(MasterNode()).iommus[0]; }

// Sets the deferred-probe state driver_deferred_probe_check_state reads.
void SetProbeState(Kernel& k, bool initcalls_done, int timeout) {
  core(k).initcalls_done.Set(initcalls_done);
  core(k).driver_deferred_probe_timeout.Set(timeout);
}

struct XlateCase {
  bool modules;
  bool initcalls_done;
  int timeout;
  int want;
};

int XlateWithoutInstance(const XlateCase& c, IommuFwspec** fwspec_out = nullptr) {
  Knobs knobs;
  knobs.modules = c.modules;
  IommuWorld w(OneMaster(), knobs, 1, harness::InvariantSet::All(), false);
  int ret = 12345;
  IommuFwspec* fwspec = nullptr;
  w.Spawn("t", [&] {
    SetProbeState(w.k(), c.initcalls_done, c.timeout);
    Device* m = w.k().AddDevice(MasterNode());
    ret = of_iommu_xlate(m, Spec());
    fwspec = dev_iommu_fwspec_get(m);
  });
  auto r = w.Run();
  EXPECT_TRUE(r.findings.empty());
  if (fwspec_out != nullptr) *fwspec_out = fwspec;
  return ret;
}

TEST(OfIommu, XlateWithoutInstanceDefersBeforeInitcallsDone) {
  IommuFwspec* fwspec = nullptr;
  EXPECT_EQ(XlateWithoutInstance({true, false, 10, 0}, &fwspec), -EPROBE_DEFER);
  // The fwspec stays, with no ops, recording which IOMMU the master waits for.
  ASSERT_NE(fwspec, nullptr);
  EXPECT_EQ(fwspec->ops, nullptr);
  EXPECT_EQ(fwspec->iommu_fwnode, SysmmuNode());
}

TEST(OfIommu, XlateWithoutInstanceDefersWhileTimeoutPending) {
  EXPECT_EQ(XlateWithoutInstance({true, true, 10, 0}), -EPROBE_DEFER);
}

TEST(OfIommu, XlateWithoutInstanceTimesOutAfterTimeout) {
  EXPECT_EQ(XlateWithoutInstance({true, true, 0, 0}), -ETIMEDOUT);
}

TEST(OfIommu, XlateWithoutInstanceNoModulesIsEnodevAfterInitcalls) {
  EXPECT_EQ(XlateWithoutInstance({false, true, 10, 0}), -ENODEV);
  // Before initcalls are done even a kernel without modules still defers.
  EXPECT_EQ(XlateWithoutInstance({false, false, 10, 0}), -EPROBE_DEFER);
}

// Runs `body(k, fake, master, sysmmu)` in one task of a fresh world with the fake IOMMU registered
// for the SysMMU node (when `reg`).
template <typename F>
harness::RunResult WithFake(const Knobs& knobs, bool reg, F body) {
  IommuWorld w(OneMaster(), knobs, 1, harness::InvariantSet::All(), false);
  FakeIommu fake(w.k());
  w.Spawn("t", [&] {
    SetProbeState(w.k(), false, 10);
    Device* s = w.k().AddDevice(SysmmuNode());
    Device* m = w.k().AddDevice(MasterNode());
    if (reg) {
      EXPECT_EQ(iommu_device_register(&fake.idev, &fake.ops, s), 0);
    }
    body(w.k(), fake, m, s);
  });
  return w.Run();
}

TEST(OfIommu, XlateInstanceWithoutOfXlateIsNoIommu) {
  Knobs knobs;
  int ret = 0;
  auto r = WithFake(knobs, true, [&](Kernel&, FakeIommu& fake, Device* m, Device*) {
    fake.ops.of_xlate = nullptr;
    ret = of_iommu_xlate(m, Spec());
    EXPECT_EQ(m->iommu.Get(), nullptr);  // returns before iommu_fwspec_init
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(ret, NO_IOMMU);
}

TEST(OfIommu, XlateReturnsOfXlateResultWithFwspecOps) {
  Knobs knobs;
  int ret = 0;
  const IommuOps* fwspec_ops = nullptr;
  int calls = 0;
  auto r = WithFake(knobs, true, [&](Kernel&, FakeIommu& fake, Device* m, Device*) {
    fake.xlate_ret = -EINVAL;
    ret = of_iommu_xlate(m, Spec());
    fwspec_ops = dev_iommu_fwspec_get(m)->ops;
    calls = fake.of_xlate_calls;
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(ret, -EINVAL);
  EXPECT_EQ(calls, 1);
  EXPECT_NE(fwspec_ops, nullptr);
}

TEST(OfIommu, XlateWithFwspecOfOtherOpsIsEinval) {
  Knobs knobs;
  int ret = 0;
  int calls = -1;
  auto r = WithFake(knobs, true, [&](Kernel& k, FakeIommu& fake, Device* m, Device*) {
    static const IommuOps other;
    ASSERT_EQ(iommu_fwspec_init(m, SysmmuNode(), &other), 0);
    ret = of_iommu_xlate(m, Spec());
    calls = fake.of_xlate_calls;
    (void)k;
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(ret, -EINVAL);
  EXPECT_EQ(calls, 0);
}

TEST(OfIommu, ConfigureWithoutNodeIsNoIommu) {
  Knobs knobs;
  const IommuOps* ops = reinterpret_cast<const IommuOps*>(1);
  int err = 1;
  WithFake(knobs, true, [&](Kernel&, FakeIommu&, Device* m, Device*) {
    ops = of_iommu_configure(m, hwmodel::kNoNode, &err);
  });
  EXPECT_EQ(ops, nullptr);
  EXPECT_EQ(err, 0);
}

TEST(OfIommu, ConfigureDefersWhileInstanceMissing) {
  Knobs knobs;
  const IommuOps* ops = reinterpret_cast<const IommuOps*>(1);
  int err = 0;
  Kind bypass = Kind::kExplicitTimeout;
  auto r = WithFake(knobs, false, [&](Kernel&, FakeIommu&, Device* m, Device*) {
    ops = of_iommu_configure(m, MasterNode(), &err);
    bypass = BypassOf(m).kind;
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(ops, nullptr);
  EXPECT_EQ(err, -EPROBE_DEFER);
  EXPECT_EQ(bypass, Kind::kNone);
}

TEST(OfIommu, ConfigureAfterTimeoutIsNoIommuWithExplicitDecision) {
  Knobs knobs;
  const IommuOps* ops = reinterpret_cast<const IommuOps*>(1);
  int err = 1;
  invariants::IommuBypassState::Reason reason;
  auto r = WithFake(knobs, false, [&](Kernel& k, FakeIommu&, Device* m, Device*) {
    SetProbeState(k, true, 0);
    ops = of_iommu_configure(m, MasterNode(), &err);
    reason = BypassOf(m);
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(ops, nullptr);
  EXPECT_EQ(err, 0);
  EXPECT_EQ(reason.kind, Kind::kExplicitTimeout);
  EXPECT_THAT(reason.why, HasSubstr("driver_deferred_probe_check_state returned -ETIMEDOUT"));
}

TEST(OfIommu, ConfigureSwallowsXlateError) {
  Knobs knobs;
  const IommuOps* ops = reinterpret_cast<const IommuOps*>(1);
  int err = 1;
  invariants::IommuBypassState::Reason reason;
  auto r = WithFake(knobs, true, [&](Kernel&, FakeIommu& fake, Device* m, Device*) {
    fake.xlate_ret = -ENODEV;
    ops = of_iommu_configure(m, MasterNode(), &err);
    reason = BypassOf(m);
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(ops, nullptr);
  EXPECT_EQ(err, 0);
  EXPECT_EQ(reason.kind, Kind::kSwallowedError);
  EXPECT_THAT(reason.why, HasSubstr("swallowed -ENODEV from of_iommu_xlate("));
}

TEST(OfIommu, ConfigureSwallowsReplayError) {
  Knobs knobs;
  const IommuOps* ops = reinterpret_cast<const IommuOps*>(1);
  int err = 1;
  invariants::IommuBypassState::Reason reason;
  bool dev_iommu_gone = false;
  auto r = WithFake(knobs, true, [&](Kernel&, FakeIommu& fake, Device* m, Device*) {
    fake.probe_err = -ENOMEM;
    ops = of_iommu_configure(m, MasterNode(), &err);
    reason = BypassOf(m);
    dev_iommu_gone = m->iommu.Get() == nullptr;
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(ops, nullptr);
  EXPECT_EQ(err, 0);
  EXPECT_EQ(reason.kind, Kind::kSwallowedError);
  EXPECT_THAT(reason.why, HasSubstr("the iommu_probe_device replay"));
  EXPECT_TRUE(dev_iommu_gone);  // __iommu_probe_device's error path freed it
}

TEST(OfIommu, ConfigureWithFwspecOpsReturnsAtOnce) {
  Knobs knobs;
  const IommuOps* first = nullptr;
  const IommuOps* second = nullptr;
  int calls_after_first = 0;
  int calls_after_second = 0;
  int probes = 0;
  const IommuOps* want = nullptr;
  auto r = WithFake(knobs, true, [&](Kernel&, FakeIommu& fake, Device* m, Device*) {
    want = &fake.ops;
    int err = 0;
    first = of_iommu_configure(m, MasterNode(), &err);
    EXPECT_EQ(err, 0);
    calls_after_first = fake.of_xlate_calls;
    second = of_iommu_configure(m, MasterNode(), &err);
    EXPECT_EQ(err, 0);
    calls_after_second = fake.of_xlate_calls;
    probes = fake.probe_calls;
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(first, want);
  EXPECT_EQ(second, want);
  EXPECT_EQ(calls_after_first, 1);
  EXPECT_EQ(calls_after_second, 1);  // no second of_xlate
  EXPECT_EQ(probes, 1);              // and no second replay
}

TEST(OfIommu, ConfigureFreesEmptyFwspecAndRetries) {
  Knobs knobs;
  IommuFwspec* empty = nullptr;
  IommuFwspec* fresh = nullptr;
  const IommuOps* ops = nullptr;
  const IommuOps* want = nullptr;
  auto r = WithFake(knobs, false, [&](Kernel&, FakeIommu& fake, Device* m, Device* s) {
    want = &fake.ops;
    int err = 0;
    EXPECT_EQ(of_iommu_configure(m, MasterNode(), &err), nullptr);
    EXPECT_EQ(err, -EPROBE_DEFER);
    empty = dev_iommu_fwspec_get(m);
    ASSERT_EQ(iommu_device_register(&fake.idev, &fake.ops, s), 0);
    ops = of_iommu_configure(m, MasterNode(), &err);
    EXPECT_EQ(err, 0);
    fresh = dev_iommu_fwspec_get(m);
  });
  EXPECT_TRUE(r.findings.empty());
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(empty->ops, nullptr);
  EXPECT_TRUE(empty->freed);
  ASSERT_NE(fresh, nullptr);
  EXPECT_NE(fresh, empty);
  EXPECT_EQ(fresh->ops, want);
  EXPECT_EQ(ops, want);
}

TEST(OfIommu, ConfigureReplaysProbeForDeviceWithoutGroup) {
  Knobs knobs;
  bool grouped_before = true;
  IommuGroup* group = nullptr;
  int probes = 0;
  int attaches = 0;
  auto r = WithFake(knobs, true, [&](Kernel&, FakeIommu& fake, Device* m, Device*) {
    grouped_before = device_iommu_mapped(m);
    int err = 0;
    EXPECT_NE(of_iommu_configure(m, MasterNode(), &err), nullptr);
    group = iommu_group_get(m);
    probes = fake.probe_calls;
    attaches = fake.attach_calls;
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_FALSE(grouped_before);
  ASSERT_NE(group, nullptr);
  EXPECT_NE(group->default_domain.Peek(), nullptr);
  EXPECT_EQ(probes, 1);
  EXPECT_EQ(attaches, 1);
}

// bcb81ac6ae3c (6.15): no replay when dev->iommu existed on entry.
TEST(OfIommu, Core615SkipsReplayWhenDevIommuPresent) {
  Knobs knobs;
  knobs.iommu_core = IommuCoreGen::k6_15;
  const IommuOps* ops = nullptr;
  int probes = -1;
  bool grouped = true;
  const IommuOps* want = nullptr;
  auto r = WithFake(knobs, true, [&](Kernel&, FakeIommu& fake, Device* m, Device*) {
    want = &fake.ops;
    dev_iommu_get(m);
    int err = 0;
    ops = of_iommu_configure(m, MasterNode(), &err);
    EXPECT_EQ(err, 0);
    probes = fake.probe_calls;
    grouped = device_iommu_mapped(m);
  });
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(ops, want);
  EXPECT_EQ(probes, 0);
  EXPECT_FALSE(grouped);
}

}  // namespace
}  // namespace probestorm::kernel
