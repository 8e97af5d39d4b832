// Tests of sysfs bind/unbind (driver/base/sysfs_bind: bus.c bind_store / unbind_store, v6.1) and
// of the churn workload: return codes, remove then really_probe under the device lock,
// suppress_bind_attrs, and churn racing boot-time probing without breaking probe-exclusive or
// deferred-lists.
#include "driver/base/sysfs_bind.h"

#include <functional>
#include <string>
#include <vector>

#include "driver/base/dd.h"
#include "driver/base/driver.h"
#include "driver/base/driver_core.h"
#include "driver/base/init.h"
#include "driver/base/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/engine.h"

namespace probestorm::kernel {
namespace {

using ::probestorm::kernel::testing::BoardBuilder;
using ::probestorm::kernel::testing::CountFindings;
using ::probestorm::kernel::testing::TestWorld;
using ::testing::ElementsAre;

// "probe"/"remove" with whether the device lock was held by the calling task.
struct Calls {
  std::vector<std::string> events;
  DeviceDriver* Attach(TestWorld& w, int probe_ret = 0) {
    DeviceDriver* drv = w.Driver("decon", "test,decon", [this, probe_ret](Device* dev) {
      events.push_back(dev->lock.HeldBySelf() ? "probe locked" : "probe UNLOCKED");
      return probe_ret;
    });
    drv->remove = [this](Device* dev) {
      events.push_back(dev->lock.HeldBySelf() ? "remove locked" : "remove UNLOCKED");
    };
    return drv;
  }
};

TEST(SysfsBind, UnbindThenBindRemovesThenReprobesUnderDeviceLock) {
  BoardBuilder bb;
  const int d = bb.Add("decon", "test,decon");
  Knobs knobs;
  TestWorld w(bb.board(), knobs, 1);
  Kernel& k = w.k();
  Calls calls;
  DeviceDriver* drv = calls.Attach(w);
  int unbind = 1, bind = 1;
  bool bound_between = true;
  DeviceDriver* driver_between = drv;
  w.engine().Spawn("init", [&] {
    of_platform_default_populate(k);
    driver_register(k, drv);
    Device* dev = k.DeviceForNode(d);
    unbind = unbind_store(drv, dev);
    bound_between = dev->bound.Get();
    driver_between = dev->driver.Get();
    bind = bind_store(drv, dev);
  });
  auto r = w.Run();
  EXPECT_TRUE(r.findings.empty()) << r.findings.front().message;
  EXPECT_EQ(unbind, 0);
  EXPECT_EQ(bind, 0);
  EXPECT_FALSE(bound_between);
  EXPECT_EQ(driver_between, nullptr);
  EXPECT_THAT(calls.events, ElementsAre("probe locked", "remove locked", "probe locked"));
  Device* dev = k.DeviceForNode(d);
  EXPECT_TRUE(dev->bound.Peek());
  EXPECT_EQ(dev->driver.Peek(), drv);
}

// exynos-sysmmu sets suppress_bind_attrs: no bind/unbind files, the writes fail with -ENOENT and
// the device stays bound (UnbindThenBind... is the negative control: same driver without it).
TEST(SysfsBind, SuppressBindAttrsRefusesBothStores) {
  BoardBuilder bb;
  const int d = bb.Add("decon", "test,decon");
  Knobs knobs;
  TestWorld w(bb.board(), knobs, 1);
  Kernel& k = w.k();
  Calls calls;
  DeviceDriver* drv = calls.Attach(w);
  drv->suppress_bind_attrs = true;
  int unbind = 1, bind = 1;
  w.engine().Spawn("init", [&] {
    of_platform_default_populate(k);
    driver_register(k, drv);
    unbind = unbind_store(drv, k.DeviceForNode(d));
    bind = bind_store(drv, k.DeviceForNode(d));
  });
  auto r = w.Run();
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(unbind, -ENOENT);
  EXPECT_EQ(bind, -ENOENT);
  EXPECT_THAT(calls.events, ElementsAre("probe locked"));
  EXPECT_TRUE(k.DeviceForNode(d)->bound.Peek());
}

// The kernel's codes when the device has no (or another) driver, is already bound, or its probe
// defers or fails through bind_store.
TEST(SysfsBind, ReturnCodesFollowBusC) {
  BoardBuilder bb;
  const int d = bb.Add("decon", "test,decon");
  const int other = bb.Add("uart", "test,uart");
  Knobs knobs;
  TestWorld w(bb.board(), knobs, 1);
  Kernel& k = w.k();
  int probe_ret = -EPROBE_DEFER;
  DeviceDriver* drv = w.Driver("decon", "test,decon", [&](Device*) { return probe_ret; });
  DeviceDriver* uart = w.Driver("uart", "test,uart");
  std::vector<int> got;
  w.engine().Spawn("init", [&] {
    of_platform_default_populate(k);
    driver_register(k, uart);
    driver_register(k, drv);  // defers: not bound
    Device* dev = k.DeviceForNode(d);
    got.push_back(unbind_store(drv, dev));   // not bound to drv: -ENODEV
    got.push_back(bind_store(uart, dev));    // uart does not match decon: -ENODEV
    got.push_back(unbind_store(drv, k.DeviceForNode(other)));  // bound to another driver
    got.push_back(bind_store(drv, dev));     // probe defers: -EAGAIN
    probe_ret = -EIO;
    got.push_back(bind_store(drv, dev));     // probe error as a negative errno
    probe_ret = 0;
    got.push_back(bind_store(drv, dev));     // binds
    got.push_back(bind_store(drv, dev));     // already bound: -EBUSY
  });
  auto r = w.Run();
  EXPECT_TRUE(r.findings.empty()) << r.findings.front().message;
  EXPECT_THAT(got, ElementsAre(-ENODEV, -ENODEV, -ENODEV, -EAGAIN, -EIO, 0, -EBUSY));
}

// A churn task against a master that no registered driver matches finds no driver directory
// (-ENOENT); against a master whose driver is registered but whose probe failed, unbind says
// -ENODEV and bind returns the probe's error.
TEST(Churn, TaskAgainstDeviceWithoutDriverReturnsKernelCodes) {
  BoardBuilder bb;
  const int orphan = bb.Add("isp", "test,isp");
  const int failing = bb.Add("decon", "test,decon");
  bb.board().masters = {orphan, failing};
  Knobs knobs;
  knobs.churn = 1;
  TestWorld w(bb.board(), knobs, 5);
  Kernel& k = w.k();
  DeviceDriver* drv = w.Driver("decon", "test,decon", [](Device*) { return -ENXIO; });
  std::vector<ChurnRound> rounds;
  w.engine().Spawn("init", [&] {
    of_platform_default_populate(k);
    driver_register(k, drv);
    StartChurn(k, [&](const ChurnRound& r) { rounds.push_back(r); });
  });
  auto r = w.Run();
  EXPECT_TRUE(r.findings.empty()) << r.findings.front().message;
  int seen_orphan = 0, seen_failing = 0;
  for (const ChurnRound& c : rounds) {
    if (c.dev == k.DeviceForNode(orphan)) {
      ++seen_orphan;
      EXPECT_EQ(c.unbind, -ENOENT);
      EXPECT_EQ(c.bind, -ENOENT);
    } else {
      ++seen_failing;
      EXPECT_EQ(c.dev, k.DeviceForNode(failing));
      EXPECT_EQ(c.unbind, -ENODEV);
      EXPECT_EQ(c.bind, -ENXIO);
    }
  }
  EXPECT_EQ(seen_orphan, 3);
  EXPECT_EQ(seen_failing, 3);
  EXPECT_FALSE(k.DeviceForNode(failing)->bound.Peek());
}

// Three async-probing masters whose probe defers until a clock provider, loaded as a module at a
// random time, has registered (devm_clk_get's -EPROBE_DEFER), booted with `knobs`; `start` spawns
// the workload before the run. The clock is not a DT supplier of the masters: StartBoot would give
// a DT-referenced clock a built-in stand-in driver (init.h) that binds at core_initcall, long
// before any workload round.
struct DeferringMastersRun {
  harness::RunResult result;
  int masters = 0;
  int bound = 0;  // masters bound at the end
};
DeferringMastersRun RunDeferringMasters(const Knobs& knobs, uint64_t seed,
                                        const std::function<void(Kernel&)>& start) {
  BoardBuilder bb;
  bb.Add("clk", "test,clk");
  std::vector<int> masters;
  for (int i = 0; i < 3; ++i) masters.push_back(bb.Add("m" + std::to_string(i), "test,master"));
  bb.board().masters = masters;
  TestWorld w(bb.board(), knobs, seed);
  Kernel& k = w.k();
  bool clk_registered = false;
  DeviceDriver* md = w.Driver("master", "test,master", [&](Device*) {
    harness::Msleep(5);
    return clk_registered ? 0 : -EPROBE_DEFER;
  }, ProbeType::kPreferAsynchronous);
  DeviceDriver* cd = w.Driver("clk", "test,clk", [&](Device*) {
    clk_registered = true;
    return 0;
  });
  k.initcalls.push_back({InitLevel::kDevice, "master_init", [&] { return platform_driver_register(k, md); }});
  k.modules.push_back({"clk", [&] { return platform_driver_register(k, cd); },
                       {100 * harness::kMsec, 8 * harness::kSec}});
  w.engine().Spawn("boot", [&] { StartBoot(k); });
  start(k);
  DeferringMastersRun out{w.Run(), static_cast<int>(masters.size()), 0};
  for (int m : masters) out.bound += k.DeviceForNode(m)->bound.Peek() ? 1 : 0;
  return out;
}

// Churn on the deferring masters: the stores race the deferred worker, async probes and
// modprobe. Over a seed range no probe-exclusive or deferred-lists finding appears, every master
// ends bound, and the churn really ran (some rounds unbound and rebound a master, some binds
// deferred).
TEST(Churn, ConcurrentWithProbingKeepsProbeExclusiveAndDeferredLists) {
  int rebinds = 0, deferred_binds = 0;
  for (uint64_t seed = 1; seed <= 150; ++seed) {
    Knobs knobs;
    knobs.churn = 2;
    std::vector<ChurnRound> rounds;
    auto run = RunDeferringMasters(knobs, seed, [&rounds](Kernel& k) {
      StartChurn(k, [&rounds](const ChurnRound& r) { rounds.push_back(r); });
    });
    const harness::RunResult& r = run.result;
    ASSERT_EQ(CountFindings(r, "probe-exclusive"), 0) << "seed " << seed;
    ASSERT_EQ(CountFindings(r, "deferred-lists"), 0) << "seed " << seed;
    ASSERT_TRUE(r.findings.empty()) << "seed " << seed << ": " << r.findings.front().message;
    ASSERT_EQ(rounds.size(), 3u * 2u * 3u) << "seed " << seed;
    for (const ChurnRound& c : rounds) {
      if (c.unbind == 0 && c.bind == 0) ++rebinds;
      if (c.bind == -EAGAIN) ++deferred_binds;
    }
    ASSERT_EQ(run.bound, run.masters) << "seed " << seed;
  }
  EXPECT_GT(rebinds, 0);
  EXPECT_GT(deferred_binds, 0);  // some binds raced the supplier's module load
}


// drivers_probe: a device without a driver is attached (here: bound), a bound one is left alone,
// an absent one is -ENODEV, and a device whose probe deferred is probed again (the store still
// returns 0: device_attach reports a deferral as "nothing bound", not as an error).
TEST(DriversProbe, AttachesOnlyAnUnboundDevice) {
  BoardBuilder bb;
  const int d = bb.Add("decon", "test,decon");
  const int deferring = bb.Add("dsim", "test,dsim");
  Knobs knobs;
  TestWorld w(bb.board(), knobs, 1);
  Kernel& k = w.k();
  Calls calls;
  DeviceDriver* drv = calls.Attach(w);
  int dsim_probes = 0;
  DeviceDriver* later = w.Driver("dsim", "test,dsim", [&dsim_probes](Device*) {
    ++dsim_probes;
    return -EPROBE_DEFER;
  });
  int absent = 1, unbound = 1, bound = 1, deferred = 1;
  w.engine().Spawn("init", [&] {
    absent = drivers_probe_store(nullptr);
    of_platform_default_populate(k);
    Device* dev = k.DeviceForNode(d);
    unbound = drivers_probe_store(dev);  // no driver registered yet: nothing to attach
    driver_register(k, drv);             // binds it
    bound = drivers_probe_store(dev);    // already bound: no second probe
    driver_register(k, later);
    deferred = drivers_probe_store(k.DeviceForNode(deferring));
  });
  auto r = w.Run();
  EXPECT_EQ(absent, -ENODEV);
  EXPECT_EQ(unbound, 0);
  EXPECT_EQ(bound, 0);
  EXPECT_EQ(deferred, 0);
  EXPECT_EQ(dsim_probes, 2);  // at driver_register, then by the store
  EXPECT_THAT(calls.events, ElementsAre("probe locked"));
}

// The storm on masters whose probe defers until a clock module loads: every task writes
// drivers_probe kStormRounds times, some writes re-probe a deferred master (it stays unbound) and
// some find it bound, no finding appears and every master ends bound.
TEST(ProbeStorm, ReprobesDeferredMastersWithoutBreakingTheCore) {
  int deferred_writes = 0, bound_writes = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    Knobs knobs;
    knobs.probe_storm = 2;
    std::vector<StormRound> rounds;
    auto run = RunDeferringMasters(knobs, seed, [&rounds](Kernel& k) {
      StartProbeStorm(k, [&rounds](const StormRound& r) { rounds.push_back(r); });
    });
    const harness::RunResult& r = run.result;
    ASSERT_TRUE(r.findings.empty()) << "seed " << seed << ": " << r.findings.front().message;
    ASSERT_EQ(rounds.size(), 3u * 2u * 4u) << "seed " << seed;
    for (const StormRound& sr : rounds) {
      if (sr.dev == nullptr) continue;
      EXPECT_EQ(sr.ret, 0);
      ++(sr.bound_after ? bound_writes : deferred_writes);
    }
    ASSERT_EQ(run.bound, run.masters) << "seed " << seed;
  }
  EXPECT_GT(deferred_writes, 0);
  EXPECT_GT(bound_writes, 0);
}

}  // namespace
}  // namespace probestorm::kernel
