// Runtime PM over DL_FLAG_PM_RUNTIME device links (driver/base/pm_runtime.cc): a consumer's
// suspend and its next resume racing each other must never leave the supplier suspended under an
// active consumer.
#include <string>
#include <vector>

#include "driver/base/core.h"
#include "driver/base/driver.h"
#include "driver/base/driver_core.h"
#include "driver/base/pm_runtime.h"
#include "driver/base/test_util.h"
#include "driver/base/init.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "harness/engine.h"
#include "harness/sync/mutex.h"

namespace probestorm::kernel {
namespace {

using ::probestorm::kernel::testing::BoardBuilder;
using ::probestorm::kernel::testing::TestWorld;

// The master's suspend callback starts a second user, whose get_sync then waits for the
// suspend to end and races with what rpm_suspend does after the callback. __rpm_callback drops the
// suppliers' references while the consumer is still RPM_SUSPENDING, so the new resume always takes
// its own afterwards; the model once dropped them after RPM_SUSPENDED and took the new resume's
// reference away with the old ones (the supplier then suspended under an active master: the free
// engine showed it as a SysMMU bypass under DMA on v6.1).
// Returns the first "supplier not active under an active consumer" observation, or "".
std::string RaceSuspendAgainstResume(uint64_t seed) {
  BoardBuilder bb;
  const int s = bb.Add("sysmmu", "test,sysmmu");
  const int m = bb.Add("master", "test,master");
  Knobs knobs;
  knobs.fw_devlink = FwDevlinkMode::kOff;
  TestWorld w(bb.board(), knobs, seed);
  Kernel& k = w.k();
  DeviceDriver* sd = w.Driver("sysmmu", "test,sysmmu");
  DeviceDriver* md = w.Driver("master", "test,master");
  std::string seen;
  Device* sdev = nullptr;
  Device* mdev = nullptr;
  bool started = false;
  DeviceLink* link = nullptr;
  md->pm.runtime_suspend = [&](Device*) {
    if (started) return 0;
    started = true;
    // The moment the master's status reads RPM_SUSPENDED, its references on the supplier must
    // already be gone.
    const uint64_t before = mdev->power.transitions_ended.load();
    harness::Spawn("observer", [&, before] {
      DevPmInfo& p = mdev->power;
      p.wait_queue.WaitEvent([&p, before] { return p.transitions_ended.load() != before; });
      // Under the master's power lock, so that no resume can have started taking new references.
      harness::MutexLock l(p.lock);
      if (p.transitions_ended.load() != before + 1 || p.runtime_status.Get() != RpmStatus::kSuspended) {
        return;  // a resume already ran: not the moment to look at
      }
      int held;
      {
        harness::MutexLock ll(core(k).device_links_lock);
        held = link->rpm_active;
      }
      if (held != 0 && seen.empty()) {
        seen = absl::StrCat("master RPM_SUSPENDED still holding ", held, " reference(s) on sysmmu");
      }
    });
    harness::Spawn("user-b", [&] {
      if (pm_runtime_get_sync(mdev) < 0) return;
      harness::Msleep(2);  // a job with the master active; the pm_wq idle tasks run meanwhile
      if (!pm_runtime_active(sdev) && seen.empty()) seen = "sysmmu suspended while the master is active";
      pm_runtime_put(mdev);
    });
    return 0;
  };
  w.engine().Spawn("user-a", [&] {
    of_platform_default_populate(k);
    driver_register(k, sd);
    driver_register(k, md);
    sdev = k.DeviceForNode(s);
    mdev = k.DeviceForNode(m);
    link = device_link_add(mdev, sdev, DL_FLAG_STATELESS | DL_FLAG_PM_RUNTIME);
    pm_runtime_enable(sdev);
    pm_runtime_enable(mdev);
    if (pm_runtime_get_sync(mdev) < 0) return;
    harness::Msleep(1);
    pm_runtime_put_sync(mdev);  // suspends the master here, in this task
  });
  auto r = w.Run();
  for (const auto& f : r.findings) ADD_FAILURE() << "seed " << seed << ": " << f.message;
  EXPECT_TRUE(started) << "seed " << seed << ": the master never suspended";
  return seen;
}

TEST(PmRuntime, ConsumerSuspendRacingItsResumeKeepsTheSupplierActive) {
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    const std::string seen = RaceSuspendAgainstResume(seed);
    ASSERT_EQ(seen, "") << "seed " << seed;
  }
}

}  // namespace
}  // namespace probestorm::kernel
