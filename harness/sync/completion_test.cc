// Completion, WaitQueue and AsyncDomain on toy tasks under the controlled engine.
#include "harness/sync/completion.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/controlled_engine.h"
#include "harness/sched/random_scheduler.h"
#include "harness/sync/mutex.h"
#include "harness/sync/tracked.h"
#include "harness/sync/wait_queue.h"
#include "harness/sync/workqueue.h"

namespace probestorm::harness {
namespace {

using ::testing::HasSubstr;

EngineOptions Opts(uint64_t seed) {
  EngineOptions o;
  o.seed = seed;
  return o;
}

TEST(Completion, CompleteReleasesOneWaiterPerCall) {
  RandomScheduler s;
  ControlledEngine e(Opts(1), &s);
  Engine::Scope scope(e);
  Completion c("probe_done");
  int passed = 0;
  for (int i = 0; i < 3; ++i) e.Spawn("waiter" + std::to_string(i), [&] { c.Wait(); ++passed; });
  e.Spawn("completer", [&] { c.Complete(); c.Complete(); });
  RunResult r = e.Run();
  EXPECT_EQ(passed, 2);
  EXPECT_EQ(r.ending, Ending::kStall);  // the third waiter waits forever
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].invariant, "stall");
  EXPECT_THAT(r.findings[0].detail, HasSubstr("waits for probe_done"));
}

TEST(Completion, CompleteAllReleasesEveryWaiterAndLater) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    RandomScheduler s;
    ControlledEngine e(Opts(seed), &s);
    Engine::Scope scope(e);
    Completion c("probe_done");
    int passed = 0;
    bool try_before = true;
    bool try_after = false;
    for (int i = 0; i < 3; ++i) e.Spawn("waiter", [&] { c.Wait(); ++passed; });
    e.Spawn("completer", [&] {
      try_before = c.Done();
      c.CompleteAll();
      try_after = c.TryWait();
    });
    e.Spawn("late", [&] { Msleep(5); c.Wait(); ++passed; });
    RunResult r = e.Run();
    EXPECT_EQ(r.ending, Ending::kQuiescent);
    EXPECT_TRUE(r.findings.empty());
    EXPECT_EQ(passed, 4);
    EXPECT_FALSE(try_before);
    EXPECT_TRUE(try_after);
  }
}

TEST(WaitQueue, WaitEventTimeoutTimesOutAtTheDeadline) {
  RandomScheduler s;
  ControlledEngine e(Opts(1), &s);
  Engine::Scope scope(e);
  WaitQueue wq("deferred_probe_wq");
  bool ok = true;
  Nanos at = -1;
  e.Spawn("waiter", [&] {
    Msleep(3);
    ok = wq.WaitEventTimeout([] { return false; }, 50 * kMsec);
    at = Now();
  });
  RunResult r = e.Run();
  EXPECT_EQ(r.ending, Ending::kQuiescent);
  EXPECT_FALSE(ok);
  EXPECT_EQ(at, 53 * kMsec);
}

TEST(WaitQueue, WakeUpBeforeTheDeadline) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    RandomScheduler s;
    ControlledEngine e(Opts(seed), &s);
    Engine::Scope scope(e);
    WaitQueue wq("wq");
    bool flag = false;
    bool ok = false;
    Nanos at = -1;
    e.Spawn("waiter", [&] {
      ok = wq.WaitEventTimeout([&] { return flag; }, 50 * kMsec);
      at = Now();
    });
    e.Spawn("waker", [&] {
      Msleep(10);
      flag = true;
      wq.WakeUp();
    });
    RunResult r = e.Run();
    EXPECT_EQ(r.ending, Ending::kQuiescent);
    EXPECT_TRUE(ok) << seed;
    EXPECT_EQ(at, 10 * kMsec) << seed;
  }
}

TEST(WaitQueue, WaitEventWithoutWakeUpStalls) {
  // Negative control of the wake-up: the condition becomes true but nobody calls wake_up.
  RandomScheduler s;
  ControlledEngine e(Opts(1), &s);
  Engine::Scope scope(e);
  WaitQueue wq("forgotten_wq");
  bool flag = false;
  e.Spawn("waiter", [&] { wq.WaitEvent([&] { return flag; }); });
  e.Spawn("setter", [&] {
    Msleep(1);
    flag = true;
  });
  RunResult r = e.Run();
  EXPECT_EQ(r.ending, Ending::kStall);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_THAT(r.findings[0].detail, HasSubstr("waits for forgotten_wq"));
}

TEST(AsyncDomain, SynchronizeFullWaitsForEveryAsyncTask) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    RandomScheduler s;
    ControlledEngine e(Opts(seed), &s);
    Engine::Scope scope(e);
    AsyncDomain domain("async");
    Tracked<int> probed;
    probed.SetLabel("probed count");
    Mutex lock("probed_lock");
    int seen = -1;
    Nanos at = -1;
    uint32_t in_flight_after = 99;
    e.Spawn("init", [&] {
      for (int i = 0; i < 5; ++i) {
        domain.Schedule("probe" + std::to_string(i), [&, i] {
          Msleep(i + 1);
          MutexLock g(lock);
          probed.Set(probed.Get() + 1);
        });
      }
      domain.SynchronizeFull();
      at = Now();
      in_flight_after = domain.InFlight();
      seen = probed.Get();  // no lock: synchronize orders every async run before this read
    });
    RunResult r = e.Run();
    EXPECT_TRUE(r.findings.empty()) << r.findings[0].message;
    EXPECT_EQ(seen, 5);
    EXPECT_EQ(at, 5 * kMsec);
    EXPECT_EQ(in_flight_after, 0u);
  }
}

}  // namespace
}  // namespace probestorm::harness
