#include "harness/controlled_engine.h"
#include "harness/test_invariants.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/sched/pct_scheduler.h"
#include "harness/sched/random_scheduler.h"
#include "harness/sched/replay_scheduler.h"
#include "harness/sync/completion.h"
#include "harness/sync/mutex.h"
#include "harness/sync/tracked.h"
#include "harness/sync/wait_queue.h"
#include "harness/sync/workqueue.h"
#include "harness/trace/trace.h"

namespace probestorm::harness {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Toy model: two tasks increment a counter with a read-yield-write sequence (a lost update).
struct Counter {
  Tracked<int> value;
  Mutex lock{"counter_lock"};
  bool locked = false;
};

RunResult RunLostUpdate(Strategy& s, uint64_t seed, bool locked, bool race_detection = false,
                        const char* dropped_lock_class = nullptr) {
  EngineOptions o;
  o.seed = seed;
  o.race_detection = race_detection;
  o.dropped_lock_class = dropped_lock_class;
  ControlledEngine e(o, &s);
  Engine::Scope scope(e);
  auto c = std::make_shared<Counter>();
  c->value.SetLabel("counter");
  for (int i = 0; i < 2; ++i) {
    // Conditional locking is the point of the toy: no static analysis.
    e.Spawn("inc" + std::to_string(i), [c, locked]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
      if (locked) c->lock.lock();
      const int v = c->value.Get();
      Yield();
      c->value.Set(v + 1);
      if (locked) c->lock.unlock();
    });
  }
  e.Spawn("check", [c] {});
  RunResult r = e.Run();
  if (c->value.Peek() != 2) {
    r.findings.push_back({.invariant = test_invariants::kLostUpdate, .message = "counter != 2"});
  }
  return r;
}

TEST(ControlledEngine, RandomFindsLostUpdate) {
  RandomScheduler s;
  int found = 0;
  for (uint64_t seed = 1; seed <= 50; ++seed) found += !RunLostUpdate(s, seed, false).findings.empty();
  EXPECT_GT(found, 0);
}

TEST(ControlledEngine, LockedTwinNeverLosesUpdate) {
  RandomScheduler s;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    EXPECT_TRUE(RunLostUpdate(s, seed, true).findings.empty()) << seed;
  }
}

TEST(ControlledEngine, PctDepth2FindsLostUpdate) {
  // The lost update needs one preemption between the read and the write: depth 2.
  PctScheduler s(2, 8);
  int found = 0;
  for (uint64_t seed = 1; seed <= 100; ++seed) found += !RunLostUpdate(s, seed, false).findings.empty();
  EXPECT_GT(found, 0);
}

TEST(ControlledEngine, PctDepth1NeverPreempts) {
  // Depth 1 has no change point: the highest-priority task runs to completion, no lost update.
  PctScheduler s(1, 8);
  for (uint64_t seed = 1; seed <= 100; ++seed) EXPECT_TRUE(RunLostUpdate(s, seed, false).findings.empty());
}

TEST(ControlledEngine, SameSeedSameTraceHash) {
  RandomScheduler s;
  const uint64_t h = RunLostUpdate(s, 7, false).trace_hash;
  for (int i = 0; i < 100; ++i) EXPECT_EQ(RunLostUpdate(s, 7, false).trace_hash, h);
}

TEST(ControlledEngine, ReplayReproducesSchedule) {
  RandomScheduler s;
  EngineOptions o;
  o.seed = 11;
  auto run = [&](Strategy& st, Schedule* out) {
    ControlledEngine e(o, &st);
    Engine::Scope scope(e);
    auto c = std::make_shared<Counter>();
    for (int i = 0; i < 3; ++i) {
      e.Spawn("t" + std::to_string(i), [c] {
        for (int k = 0; k < 5; ++k) {
          TraceLog("dev", "step", std::to_string(c->value.Get()));
          c->value.Set(c->value.Get() + 1);
        }
      });
    }
    RunResult r = e.Run();
    if (out) *out = e.schedule();
    return r.trace_hash;
  };
  Schedule sched;
  const uint64_t h = run(s, &sched);
  auto decoded = Schedule::Decode(sched.Encode());
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, sched);
  ReplayScheduler rs(std::make_shared<const Schedule>(*decoded));
  EXPECT_EQ(run(rs, nullptr), h);
  EXPECT_FALSE(rs.Diverged());
}

TEST(ControlledEngine, DeadlockIsStallWithWaitForGraph) {
  RandomScheduler s;
  EngineOptions o;
  o.lockdep = false;  // the deadlock is the subject here, not the inversion lockdep would flag
  ControlledEngine e(o, &s);
  Engine::Scope scope(e);
  auto a = std::make_shared<Mutex>("lock_a");
  auto b = std::make_shared<Mutex>("lock_b");
  // The tasks deadlock on purpose and never release: no static analysis.
  e.Spawn("ab", [a, b]() ABSL_NO_THREAD_SAFETY_ANALYSIS { a->lock(); Msleep(1); b->lock(); });
  e.Spawn("ba", [a, b]() ABSL_NO_THREAD_SAFETY_ANALYSIS { b->lock(); Msleep(1); a->lock(); });
  RunResult r = e.Run();
  EXPECT_EQ(r.ending, Ending::kStall);
  bool stall = false;
  for (const auto& f : r.findings) {
    if (f.invariant == "stall") {
      stall = true;
      EXPECT_THAT(f.detail, HasSubstr("held by"));
      EXPECT_THAT(f.message, Not(HasSubstr("oops")));  // negative control of the test below
    }
  }
  EXPECT_TRUE(stall);
}

// A stall behind an oops two daemon tasks away: "user" waits on a wait queue for "job" (a daemon,
// its holder), "job" waits for a lock that "irq" held when it oopsed. The daemons are not stalled
// tasks themselves, but the stall names the chain through them and the oops at its end (the
// exynos shape: unbind's pm_runtime_get_sync behind a DMA job's resume behind the pm_wq suspend
// of the SysMMU, which spins on data->lock left held by the oopsed fault IRQ).
TEST(ControlledEngine, StallBehindOopsThroughDaemonsNamesTheOops) {
  RandomScheduler s;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    EngineOptions o;
    o.seed = seed;
    o.stop_on_violation = false;  // as a campaign: the run goes on after the oops
    o.lockdep = false;
    ControlledEngine e(o, &s);
    Engine::Scope scope(e);
    auto lock = std::make_shared<SpinLock>("data->lock");
    auto wq = std::make_shared<WaitQueue>("dev->power.wait_queue");
    auto done = std::make_shared<bool>(false);
    // The oops leaves the lock held on purpose: no static analysis.
    e.Spawn("irq", [lock]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
      lock->lock();
      Oops(test_invariants::kSysmmuFault, "BUG_ON(ret != 0) in exynos_sysmmu_irq");
    }, {.daemon = true});
    const TaskId job = e.Spawn("job", [lock, wq, done] {
      Msleep(1);
      MutexLock l(*lock);
      *done = true;
      wq->WakeUpAll();
    }, {.daemon = true});
    e.Spawn("user", [wq, done, job] {
      Msleep(2);
      wq->WaitEvent([done] { return *done; }, job);
    });
    RunResult r = e.Run();
    EXPECT_EQ(r.ending, Ending::kStall) << seed;
    const Finding* stall = nullptr;
    for (const auto& f : r.findings) {
      if (f.invariant == "stall") stall = &f;
    }
    ASSERT_NE(stall, nullptr) << seed;
    EXPECT_THAT(stall->message, HasSubstr("(behind T1 irq, which died in an oops: sysmmu-fault at t=0"))
        << seed;
    EXPECT_THAT(stall->detail, HasSubstr("T3 user waits for dev->power.wait_queue held by T2 job\n"));
    EXPECT_THAT(stall->detail,
                HasSubstr("T2 job (daemon) waits for data->lock held by T1 irq (which died in an oops"));
    EXPECT_THAT(stall->detail, HasSubstr("T1 irq: sysmmu-fault at t=0.000000s: BUG_ON(ret != 0) in exynos_sysmmu_irq"));
  }
}

TEST(ControlledEngine, LockOrderInversionFound) {
  RandomScheduler s;
  EngineOptions o;
  ControlledEngine e(o, &s);
  Engine::Scope scope(e);
  auto a = std::make_shared<Mutex>("lock_a");
  auto b = std::make_shared<Mutex>("lock_b");
  // Sequential (no deadlock possible) but inverted order: lockdep still reports it.
  TaskId t1 = e.Spawn("ab", [a, b] { a->lock(); b->lock(); b->unlock(); a->unlock(); });
  e.Spawn("ba", [a, b, t1] { Engine::Current().Join(t1); b->lock(); a->lock(); a->unlock(); b->unlock(); });
  RunResult r = e.Run();
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].invariant, "lock-order");
  EXPECT_THAT(r.findings[0].message, HasSubstr("lock_b -> lock_a"));
}

TEST(ControlledEngine, ConsistentOrderNoLockOrderFinding) {
  RandomScheduler s;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    EngineOptions o;
    o.seed = seed;
    ControlledEngine e(o, &s);
    Engine::Scope scope(e);
    auto a = std::make_shared<Mutex>("lock_a");
    auto b = std::make_shared<Mutex>("lock_b");
    for (int i = 0; i < 3; ++i) e.Spawn("ab", [a, b] { a->lock(); b->lock(); b->unlock(); a->unlock(); });
    EXPECT_TRUE(e.Run().findings.empty());
  }
}

TEST(ControlledEngine, TrackedRaceFoundAndLockedTwinSilent) {
  RandomScheduler s;
  RunResult racy = RunLostUpdate(s, 3, false, /*race_detection=*/true);
  bool race = false;
  for (const auto& f : racy.findings) {
    if (f.invariant == "data-race") {
      race = true;
      EXPECT_THAT(f.message, HasSubstr("data race on counter"));
    }
  }
  EXPECT_TRUE(race);
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    EXPECT_TRUE(RunLostUpdate(s, seed, true, true).findings.empty()) << seed;
  }
}

// A planted lock drop (EngineOptions::dropped_lock_class) turns the locked twin racy; dropping
// another class changes nothing.
TEST(ControlledEngine, DroppedLockClassExcludesNothing) {
  RandomScheduler s;
  int raced = 0, lost = 0;
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    RunResult r = RunLostUpdate(s, seed, true, true, "counter_lock");
    for (const auto& f : r.findings) {
      if (f.invariant == "data-race") {
        ++raced;
        EXPECT_THAT(f.message, HasSubstr("data race on counter"));
      }
      lost += f.invariant == test_invariants::kLostUpdate;
    }
    EXPECT_TRUE(RunLostUpdate(s, seed, true, true, "another_lock").findings.empty()) << seed;
  }
  EXPECT_GT(raced, 0);
  EXPECT_GT(lost, 0);
}

TEST(ControlledEngine, OopsBecomesFindingNotCrash) {
  RandomScheduler s;
  EngineOptions o;
  ControlledEngine e(o, &s);
  Engine::Scope scope(e);
  bool after = false;
  e.Spawn("oopser", [&after] {
    Oops(test_invariants::kDevIommuFreedInUse, "Unable to handle kernel NULL pointer dereference");
    after = true;
  });
  RunResult r = e.Run();
  EXPECT_FALSE(after);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].invariant, "dev-iommu-freed-in-use");
  EXPECT_THAT(r.findings[0].message, HasSubstr("NULL pointer"));
  EXPECT_EQ(r.ending, Ending::kFinding);
}

// A panic ends the whole run at its step even when violations do not stop runs: a task that would
// run later never does. A plain oops (negative control) ends only its own task.
TEST(ControlledEngine, PanicEndsTheRunWhereAnOopsEndsOnlyItsTask) {
  for (bool panic : {true, false}) {
    RandomScheduler s;
    EngineOptions o;
    o.stop_on_violation = false;
    ControlledEngine e(o, &s);
    Engine::Scope scope(e);
    bool later = false;
    e.Spawn("irq", [panic] {
      if (panic) Panic(test_invariants::kSysmmuFault, "Kernel panic - not syncing: Fatal exception in interrupt");
      Oops(test_invariants::kSysmmuFault, "kernel BUG");
    });
    e.Spawn("later", [&later] {
      Engine::Current().Sleep(kSec);
      later = true;
    });
    RunResult r = e.Run();
    ASSERT_EQ(r.findings.size(), 1u) << panic;
    EXPECT_EQ(r.findings[0].invariant, "sysmmu-fault");
    EXPECT_EQ(later, !panic);
    EXPECT_EQ(r.ending, panic ? Ending::kFinding : Ending::kQuiescent);
  }
}

// An oopsing task unwinds to its end before the run stops: a schedule point in a destructor on
// the way (here Completion::CompleteAll) does not switch to the scheduler. Switching there left
// the rest of the unwinding to KillAll, where a task that blocked again stayed suspended until
// the engine's destruction unwound it outside the run (std::terminate from Engine::Current).
TEST(ControlledEngine, OopsingTaskFinishesUnwindingBeforeTheRunStops) {
  RandomScheduler s;
  EngineOptions o;
  ControlledEngine e(o, &s);
  Engine::Scope scope(e);
  std::vector<std::string> log;
  Completion never{"never"};
  Completion done{"done"};
  e.Spawn("waiter", [&] {
    struct Logged {
      std::vector<std::string>* log;
      ~Logged() { log->push_back("waiter killed"); }
    } logged{&log};
    never.Wait();
  });
  e.Spawn("oopser", [&] {
    struct Cleanup {
      std::vector<std::string>* log;
      Completion* done;
      ~Cleanup() noexcept(false) {
        log->push_back("cleanup begins");
        done->CompleteAll();  // a schedule point while unwinding
        log->push_back("cleanup ends");
      }
    } cleanup{&log, &done};
    Msleep(1);  // the waiter is parked by now
    Oops(test_invariants::kDevIommuFreedInUse, "Unable to handle kernel NULL pointer dereference");
  });
  RunResult r = e.Run();
  EXPECT_EQ(r.ending, Ending::kFinding);
  EXPECT_THAT(log, ::testing::ElementsAre("cleanup begins", "cleanup ends", "waiter killed"));
}

TEST(ControlledEngine, VirtualTimeJumpsAndTimersFire) {
  RandomScheduler s;
  EngineOptions o;
  ControlledEngine e(o, &s);
  Engine::Scope scope(e);
  Nanos woke = -1;
  e.Spawn("sleeper", [&woke] { Msleep(30'000); woke = Now(); });
  RunResult r = e.Run();
  EXPECT_EQ(woke, 30 * kSec);
  EXPECT_EQ(r.ending, Ending::kQuiescent);
}

TEST(ControlledEngine, MaxVirtualTimeEnding) {
  RandomScheduler s;
  EngineOptions o;
  o.max_virtual_time = 5 * kSec;
  ControlledEngine e(o, &s);
  Engine::Scope scope(e);
  e.Spawn("sleeper", [] { Msleep(10'000); });
  EXPECT_EQ(e.Run().ending, Ending::kMaxVirtualTime);
}

TEST(ControlledEngine, MaxStepsEnding) {
  RandomScheduler s;
  EngineOptions o;
  o.max_steps = 1000;
  ControlledEngine e(o, &s);
  Engine::Scope scope(e);
  e.Spawn("spinner", [] { while (true) Yield(); });
  e.Spawn("spinner2", [] { while (true) Yield(); });
  EXPECT_EQ(e.Run().ending, Ending::kMaxSteps);
}

TEST(ControlledEngine, DaemonDoesNotKeepRunAlive) {
  RandomScheduler s;
  EngineOptions o;
  ControlledEngine e(o, &s);
  Engine::Scope scope(e);
  e.Spawn("dma", [] { while (true) Msleep(1); }, {.daemon = true});
  e.Spawn("probe", [] { Msleep(5); });
  RunResult r = e.Run();
  EXPECT_EQ(r.ending, Ending::kQuiescent);
  EXPECT_EQ(r.virtual_time, 5 * kMsec);
}

TEST(ControlledEngine, ThousandsOfTasks) {
  RandomScheduler s;
  EngineOptions o;
  ControlledEngine e(o, &s);
  Engine::Scope scope(e);
  auto m = std::make_shared<Mutex>("m");
  auto n = std::make_shared<int>(0);
  for (int i = 0; i < 5000; ++i) e.Spawn("t", [m, n] { MutexLock g(*m); ++*n; });
  RunResult r = e.Run();
  EXPECT_EQ(*n, 5000);
  EXPECT_EQ(r.tasks, 5000u);
}

}  // namespace
}  // namespace probestorm::harness

namespace probestorm::harness {
namespace {

// EngineOptions::interrupt: a run that would take a million schedule points stops within one check
// interval (4 096 points) of the flag becoming non-zero, as Ending::kInterrupted (incomplete); a
// run whose flag stays 0 goes on to quiescence.
RunResult SpinWithInterrupt(int raise_at, uint64_t* iterations) {
  std::atomic<int> interrupt{0};
  EngineOptions o;
  o.interrupt = &interrupt;
  RandomScheduler s;
  ControlledEngine e(o, &s);
  Engine::Scope scope(e);
  *iterations = 0;
  e.Spawn("spinner", [&] {
    for (int i = 0; i < 1'000'000; ++i) {
      if (i == raise_at) interrupt.store(2);  // SIGINT
      ++*iterations;
      Yield();
    }
  });
  e.Spawn("other", [] { Yield(); });
  return e.Run();
}

TEST(ControlledEngine, InterruptStopsTheRunAtTheNextCheck) {
  uint64_t n = 0;
  RunResult r = SpinWithInterrupt(10'000, &n);
  EXPECT_EQ(r.ending, Ending::kInterrupted);
  EXPECT_TRUE(Incomplete(r.ending));
  EXPECT_STREQ(EndingName(r.ending), "interrupted");
  EXPECT_GE(n, 10'001u);
  EXPECT_LT(n, 10'000u + 2 * 4096u);
}
TEST(ControlledEngine, UnraisedInterruptLeavesTheRunAlone) {
  uint64_t n = 0;
  RunResult r = SpinWithInterrupt(-1, &n);
  EXPECT_EQ(r.ending, Ending::kQuiescent);
  EXPECT_EQ(n, 1'000'000u);
}

}  // namespace
}  // namespace probestorm::harness
