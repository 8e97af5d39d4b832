#include "harness/free_engine.h"
#include "harness/test_invariants.h"
#include "harness/sanitizer_fiber.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/sync/atomic.h"
#include "harness/sync/completion.h"
#include "harness/sync/mutex.h"
#include "harness/sync/tracked.h"
#include "harness/sync/wait_queue.h"
#include "harness/sync/workqueue.h"

namespace probestorm::harness {
namespace {

using ::testing::HasSubstr;

EngineOptions Opts(uint64_t seed = 1) {
  EngineOptions o;
  o.seed = seed;
  o.stack_bytes = 64 * 1024;
  o.wall_deadline_seconds = 30;  // a hung test fails instead of hanging the suite
  // At time_scale 1e6: 10 s of real time, so that a loaded machine (a sanitizer build under
  // ctest -j) still reaches quiescence before the virtual clock runs out.
  o.max_virtual_time = 10'000'000 * kSec;
  return o;
}

const Finding* FindingWith(const RunResult& r, std::string_view invariant) {
  for (const auto& f : r.findings) {
    if (f.invariant == invariant) return &f;
  }
  return nullptr;
}

// The run stalled with `blocked` tasks, and its wait-for graph holds each of `edges`.
void ExpectStall(const RunResult& r, int blocked, const std::vector<std::string>& edges) {
  EXPECT_EQ(r.ending, Ending::kStall);
  const Finding* f = FindingWith(r, "stall");
  ASSERT_NE(f, nullptr);
  EXPECT_THAT(f->message, HasSubstr(std::to_string(blocked) + " task(s) blocked forever"));
  for (const std::string& e : edges) EXPECT_THAT(f->detail, HasSubstr(e));
}

TEST(FreeEngine, ParsePerturb) {
  EXPECT_EQ(*ParsePerturb("none"), Perturb::kNone);
  EXPECT_EQ(*ParsePerturb("light"), Perturb::kLight);
  EXPECT_EQ(*ParsePerturb("heavy"), Perturb::kHeavy);
  EXPECT_FALSE(ParsePerturb("medium").ok());
}

// Peek is the harness's read (probes, reports), not the model's: a TSan build must not report it
// against a task's Set on another OS thread (it did, from a probe in bus_iommu_probe).
TEST(FreeEngine, PeekIsNotTheModelsAccess) {
  FreeEngine e(Opts(), Perturb::kNone, 0);
  Engine::Scope scope(e);
  auto field = std::make_shared<Tracked<int>>(0);
  e.Spawn("writer", [field] {
    for (int i = 1; i <= 200; ++i) {
      field->Set(i);
      Yield();
    }
  });
  e.Spawn("prober", [field] {
    while (field->Peek() < 200) Yield();
  });
  RunResult r = e.Run();
  EXPECT_EQ(r.ending, Ending::kQuiescent);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(field->Peek(), 200);
}

TEST(FreeEngine, TenThousandLiveTasks) {
#ifdef PROBESTORM_TSAN
  // ThreadSanitizer supports at most 8 128 simultaneous threads (its thread-slot table); the
  // 10 000 goal is checked by the uninstrumented builds.
  constexpr int kTasks = 4'000;
#else
  constexpr int kTasks = 10'000;
#endif
  // Time scale 0: virtual time moves only when all 10 000 wait, however long starting them takes.
  FreeEngine e(Opts(), Perturb::kNone, 0);
  Engine::Scope scope(e);
  auto done = std::make_shared<Completion>("all_arrived");
  auto arrived = std::make_shared<Atomic<int>>(0);
  auto released = std::make_shared<Atomic<int>>(0);
  for (int i = 0; i < kTasks; ++i) {
    e.Spawn("waiter", [done, arrived, released] {
      arrived->FetchAdd(1);
      done->Wait();
      released->FetchAdd(1);
    });
  }
  e.Spawn("releaser", [done, arrived] {
    while (arrived->Load() < kTasks) Msleep(100);  // 1 ms real
    done->CompleteAll();
  });
  RunResult r = e.Run();
  EXPECT_EQ(r.ending, Ending::kQuiescent);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_GE(r.max_live_tasks, static_cast<uint32_t>(kTasks));
  EXPECT_EQ(r.tasks, static_cast<uint32_t>(kTasks + 1));
  EXPECT_EQ(released->Peek(), kTasks);
  EXPECT_GT(r.steps, static_cast<uint64_t>(3 * kTasks));
}

// Toy lost update: a read and a write of an atomic counter with a schedule point between them
// (no data race for TSan, but a lost update). `locked` is the negative control.
int RunFreeCounter(uint64_t seed, bool locked, Perturb p) {
  constexpr int kTasks = 4;
  constexpr int kIncrements = 200;
  FreeEngine e(Opts(seed), p, 1000);
  Engine::Scope scope(e);
  auto value = std::make_shared<Atomic<int>>(0);
  auto lock = std::make_shared<Mutex>("counter_lock");
  for (int i = 0; i < kTasks; ++i) {
    // Conditional locking is the point of the toy: no static lock analysis.
    e.Spawn("inc" + std::to_string(i), [value, lock, locked]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
      for (int k = 0; k < kIncrements; ++k) {
        if (locked) lock->lock();
        const int v = value->Load();
        Yield();
        value->Store(v + 1);
        if (locked) lock->unlock();
      }
    });
  }
  RunResult r = e.Run();
  EXPECT_EQ(r.ending, Ending::kQuiescent);
  return kTasks * kIncrements - value->Peek();  // lost updates
}

TEST(FreeEngine, HeavyPerturbationFindsLostUpdate) {
  // Probabilistic: the OS schedule decides. Heavy perturbation makes an overlap likely in the
  // first run; allow up to 20.
  int runs = 0;
  int lost = 0;
  for (uint64_t seed = 1; seed <= 20 && lost == 0; ++seed, ++runs) lost = RunFreeCounter(seed, false, Perturb::kHeavy);
  EXPECT_GT(lost, 0) << "no lost update in " << runs << " runs";
}

TEST(FreeEngine, LockedCounterNeverLosesUpdate) {
  for (uint64_t seed = 1; seed <= 5; ++seed) EXPECT_EQ(RunFreeCounter(seed, true, Perturb::kHeavy), 0) << seed;
}

TEST(FreeEngine, DeadlockIsStallWithWaitForGraph) {
  EngineOptions o = Opts();
  o.lockdep = false;  // lockdep would report the inversion first and stop the run
  FreeEngine e(o, Perturb::kLight, 1000);
  Engine::Scope scope(e);
  auto a = std::make_shared<Mutex>("lock_a");
  auto b = std::make_shared<Mutex>("lock_b");
  auto both = std::make_shared<Completion>("both_hold_one");
  auto c = std::make_shared<Atomic<int>>(0);
  // Each takes its first lock, waits until the other holds its first lock too, then deadlocks.
  // Deliberately ends holding its locks (the deadlock under test): no static lock analysis.
  e.Spawn("ab", [a, b, c]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
    a->lock();
    c->FetchAdd(1);
    while (c->Load() < 2) Msleep(1);
    b->lock();
  });
  e.Spawn("ba", [a, b, c]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
    b->lock();
    c->FetchAdd(1);
    while (c->Load() < 2) Msleep(1);
    a->lock();
  });
  ExpectStall(e.Run(), 2, {"ab waits for lock_b held by T2 ba", "ba waits for lock_a held by T1 ab"});
}

TEST(FreeEngine, NoStallWhenTasksFinish) {
  FreeEngine e(Opts(), Perturb::kLight, 1000);
  Engine::Scope scope(e);
  auto a = std::make_shared<Mutex>("lock_a");
  auto b = std::make_shared<Mutex>("lock_b");
  for (int i = 0; i < 4; ++i) {
    e.Spawn("ab", [a, b] {
      for (int k = 0; k < 50; ++k) {
        MutexLock ga(*a);
        MutexLock gb(*b);
      }
    });
  }
  RunResult r = e.Run();
  EXPECT_EQ(r.ending, Ending::kQuiescent);
  EXPECT_TRUE(r.findings.empty());
}

TEST(FreeEngine, LockOrderInversionFound) {
  FreeEngine e(Opts(), Perturb::kNone, 1000);
  Engine::Scope scope(e);
  auto a = std::make_shared<Mutex>("lock_a");
  auto b = std::make_shared<Mutex>("lock_b");
  TaskId t1 = e.Spawn("ab", [a, b] { a->lock(); b->lock(); b->unlock(); a->unlock(); });
  e.Spawn("ba", [a, b, t1] { Engine::Current().Join(t1); b->lock(); a->lock(); a->unlock(); b->unlock(); });
  RunResult r = e.Run();
  const Finding* f = FindingWith(r, "lock-order");
  ASSERT_NE(f, nullptr);
  EXPECT_THAT(f->message, HasSubstr("lock_b -> lock_a"));
  EXPECT_EQ(r.ending, Ending::kQuiescent);  // detector findings do not stop a run
}

TEST(FreeEngine, SleepAndTimersUseScaledTime) {
  // 1 virtual second per real microsecond, and jumps while every task waits.
  FreeEngine e(Opts(), Perturb::kNone, 1e6);
  Engine::Scope scope(e);
  auto woke = std::make_shared<std::atomic<Nanos>>(-1);
  auto fired = std::make_shared<std::atomic<Nanos>>(-1);
  auto cancelled_fired = std::make_shared<std::atomic<bool>>(false);
  auto cancel_result = std::make_shared<std::atomic<int>>(-1);
  e.Spawn("sleeper", [woke] {
    Msleep(2000);
    woke->store(Now());
  });
  e.Spawn("armer", [fired, cancelled_fired, cancel_result] {
    Engine& en = Engine::Current();
    en.StartTimer(1 * kSec, "timer/fire", [fired] { fired->store(Now()); });
    // Far enough (about 1 s of real time) that the cancel below always comes first.
    const TimerId c = en.StartTimer(1'000'000 * kSec, "timer/cancelled", [cancelled_fired] { cancelled_fired->store(true); });
    cancel_result->store(en.CancelTimer(c) ? 1 : 0);
  });
  RunResult r = e.Run();
  EXPECT_EQ(r.ending, Ending::kQuiescent);
  EXPECT_GE(woke->load(), 2 * kSec);
  EXPECT_GE(fired->load(), 1 * kSec);
  EXPECT_FALSE(cancelled_fired->load());
  EXPECT_EQ(cancel_result->load(), 1);
  EXPECT_EQ(r.tasks, 3u);  // sleeper, armer, the fired timer's task
  EXPECT_GE(r.virtual_time, 2 * kSec);
}

TEST(FreeEngine, CancelAfterFireReturnsFalse) {
  FreeEngine e(Opts(), Perturb::kNone, 1e6);
  Engine::Scope scope(e);
  auto result = std::make_shared<std::atomic<int>>(-1);
  auto ran = std::make_shared<std::atomic<bool>>(false);
  e.Spawn("t", [result, ran] {
    Engine& en = Engine::Current();
    const TimerId id = en.StartTimer(1 * kMsec, "timer/x", [ran] { ran->store(true); });
    while (!ran->load()) Msleep(100);  // no timing assumption: wait until it has fired
    result->store(en.CancelTimer(id) ? 1 : 0);
  });
  EXPECT_EQ(e.Run().ending, Ending::kQuiescent);
  EXPECT_EQ(result->load(), 0);
}

TEST(FreeEngine, WaitEventTimeoutAndWakeUp) {
  // Time scale 0: the waker's 50 ms, the 500 ms timeout and the hour-long one are reached by
  // jumps, in that order, however slowly the machine starts the threads.
  FreeEngine e(Opts(), Perturb::kLight, 0);
  Engine::Scope scope(e);
  auto wq = std::make_shared<WaitQueue>("wq");
  auto flag = std::make_shared<std::atomic<bool>>(false);
  auto timed_out_at = std::make_shared<std::atomic<Nanos>>(-1);
  auto woken = std::make_shared<std::atomic<int>>(-1);
  e.Spawn("timeout", [wq, timed_out_at] {
    const Nanos start = Now();
    if (!wq->WaitEventTimeout([] { return false; }, 500 * kMsec)) timed_out_at->store(Now() - start);
  });
  e.Spawn("waiter", [wq, flag, woken] { woken->store(wq->WaitEventTimeout([flag] { return flag->load(); }, 3600 * kSec)); });
  e.Spawn("waker", [wq, flag] {
    Msleep(50);
    flag->store(true);
    wq->WakeUpAll();
  });
  RunResult r = e.Run();
  EXPECT_EQ(r.ending, Ending::kQuiescent);
  EXPECT_EQ(timed_out_at->load(), 500 * kMsec);
  EXPECT_EQ(woken->load(), 1);
}

TEST(FreeEngine, DaemonAndWorkqueueEndQuiescent) {
  FreeEngine e(Opts(), Perturb::kHeavy, 1e6);
  Engine::Scope scope(e);
  auto runs = std::make_shared<std::atomic<int>>(0);
  auto w = std::make_shared<DelayedWork>("toy", [runs] { runs->fetch_add(1); });
  e.Spawn("dma", [] { while (true) Msleep(1); }, {.daemon = true});
  e.Spawn("queuer", [w] {
    w->Schedule(10 * kMsec);
    w->Flush();
  });
  RunResult r = e.Run();
  EXPECT_EQ(r.ending, Ending::kQuiescent);
  EXPECT_EQ(runs->load(), 1);
}

TEST(FreeEngine, OopsStopsRunAndKillsSpinners) {
  FreeEngine e(Opts(), Perturb::kLight, 1000);
  Engine::Scope scope(e);
  e.Spawn("spinner", [] { while (true) Yield(); });
  e.Spawn("parked", [] {
    Completion never("never");
    never.Wait();
  });
  e.Spawn("oopser", [] {
    Msleep(1);
    Oops(test_invariants::kDevIommuFreedInUse, "Unable to handle kernel NULL pointer dereference");
  });
  RunResult r = e.Run();
  EXPECT_EQ(r.ending, Ending::kFinding);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].invariant, "dev-iommu-freed-in-use");
  EXPECT_THAT(r.findings[0].message, HasSubstr("NULL pointer"));
}

// Time scale 0: a timer fires only when no task can run, so a worker that never sleeps finishes
// its work at virtual time 0 before the timer due at 1 s, whatever the machine's load; the
// sleepers then wake at exactly their deadlines, in order.
TEST(FreeEngine, TimeJumpsOnlyWhenNoTaskCanRun) {
  FreeEngine e(Opts(), Perturb::kHeavy, 0);
  Engine::Scope scope(e);
  auto worker_done_at = std::make_shared<std::atomic<Nanos>>(-1);
  auto timer_at = std::make_shared<std::atomic<Nanos>>(-1);
  auto timer_saw_worker_done = std::make_shared<std::atomic<bool>>(false);
  auto woke = std::make_shared<std::vector<Nanos>>(3, -1);
  e.Spawn("armer", [timer_at, timer_saw_worker_done, worker_done_at] {
    Engine::Current().StartTimer(1 * kSec, "timer/1s", [=] {
      timer_at->store(Now());
      timer_saw_worker_done->store(worker_done_at->load() >= 0);
    });
  });
  e.Spawn("worker", [worker_done_at] {
    for (int i = 0; i < 20'000; ++i) Yield();
    worker_done_at->store(Now());
  });
  for (int i = 0; i < 3; ++i) {
    e.Spawn("sleeper", [woke, i] {
      Msleep(3'600'000 * (i + 1));  // hours: a run this long is only possible by jumping
      (*woke)[static_cast<size_t>(i)] = Now();
    });
  }
  RunResult r = e.Run();
  EXPECT_EQ(r.ending, Ending::kQuiescent);
  EXPECT_EQ(worker_done_at->load(), 0);
  EXPECT_EQ(timer_at->load(), 1 * kSec);
  EXPECT_TRUE(timer_saw_worker_done->load());
  EXPECT_EQ((*woke)[0], 3'600 * kSec);
  EXPECT_EQ((*woke)[1], 7'200 * kSec);
  EXPECT_EQ((*woke)[2], 10'800 * kSec);
  EXPECT_EQ(r.virtual_time, 10'800 * kSec);
  EXPECT_GE(e.jumps(), 4u);
}

// Time scale 0: the deadlock is a stall as soon as both wait (no real-time window), with the graph.
TEST(FreeEngine, StallWithoutRealTime) {
  EngineOptions o = Opts();
  o.lockdep = false;
  FreeEngine e(o, Perturb::kNone, 0);
  Engine::Scope scope(e);
  auto never = std::make_shared<Completion>("never_done");
  e.Spawn("waiter", [never] { never->Wait(); });
  e.Spawn("dma", [] { while (true) Msleep(1); }, {.daemon = true});  // cannot wake the waiter
  RunResult r = e.Run();
  ExpectStall(r, 1, {"T1 waiter waits for never_done"});
  ASSERT_FALSE(r.findings.empty());
  EXPECT_THAT(r.findings[0].message + r.findings[0].detail, ::testing::Not(HasSubstr("oops")));
}

// A task that dies in an oops holding a lock leaves its waiters blocked forever, as in the
// kernel: the stall names the oops as the cause.
TEST(FreeEngine, StallBehindAnOopsNamesIt) {
  EngineOptions o = Opts();
  o.stop_on_violation = false;  // the oops alone does not end the run
  FreeEngine e(o, Perturb::kLight, 0);
  Engine::Scope scope(e);
  auto lock = std::make_shared<Mutex>("dev_lock");
  e.Spawn("oopser", [lock]() ABSL_NO_THREAD_SAFETY_ANALYSIS {  // dies holding it, on purpose
    lock->lock();
    Oops(test_invariants::kDevIommuFreedInUse, "NULL pointer dereference");
  });
  e.Spawn("waiter", [lock] {
    Msleep(10);  // after the oops: every other task has exited by then
    MutexLock g(*lock);
  });
  RunResult r = e.Run();
  ExpectStall(r, 1, {"T2 waiter waits for dev_lock held by T1 oopser (which died in an oops holding it)",
                     "caused by an earlier oops", "T1 oopser: dev-iommu-freed-in-use"});
  const Finding* f = FindingWith(r, "stall");
  ASSERT_NE(f, nullptr);
  EXPECT_THAT(f->message, HasSubstr("(behind T1 oopser, which died in an oops: dev-iommu-freed-in-use"));
}

// The negative control of the stall rule: a waiter whose waker sleeps first is not stalled.
TEST(FreeEngine, NoStallWhileASleeperCanWake) {
  FreeEngine e(Opts(), Perturb::kNone, 0);
  Engine::Scope scope(e);
  auto done = std::make_shared<Completion>("done");
  e.Spawn("waiter", [done] { done->Wait(); });
  e.Spawn("waker", [done] {
    Msleep(30'000);
    done->CompleteAll();
  });
  RunResult r = e.Run();
  EXPECT_EQ(r.ending, Ending::kQuiescent);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(r.virtual_time, 30 * kSec);
}

// 100 000 short-lived tasks over one run, at most 64 alive at once: the OS threads of finished
// tasks are joined as the run goes, so the threads alive at once stay bounded too.
TEST(FreeEngine, HundredThousandShortTasksReaped) {
#ifdef PROBESTORM_TSAN
  constexpr int kTasks = 10'000;  // TSan makes every thread creation slow
#else
  constexpr int kTasks = 100'000;
#endif
  constexpr size_t kWindow = 63;
  EngineOptions o = Opts();
  o.wall_deadline_seconds = 600;
  FreeEngine e(o, Perturb::kNone, 0);
  Engine::Scope scope(e);
  auto ran = std::make_shared<std::atomic<int>>(0);
  e.Spawn("spawner", [ran] {
    std::vector<TaskId> window;
    for (int i = 0; i < kTasks; ++i) {
      if (window.size() == kWindow) {
        Engine::Current().Join(window.front());
        window.erase(window.begin());
      }
      window.push_back(Spawn("short", [ran] {
        Yield();
        ran->fetch_add(1);
      }));
    }
    for (TaskId t : window) Engine::Current().Join(t);
  });
  RunResult r = e.Run();
  EXPECT_EQ(r.ending, Ending::kQuiescent);
  EXPECT_EQ(ran->load(), kTasks);
  EXPECT_EQ(r.tasks, static_cast<uint32_t>(kTasks + 1));
  EXPECT_LE(r.max_live_tasks, kWindow + 1);
  EXPECT_LE(e.max_threads(), r.max_live_tasks + FreeEngine::kReapBatch);
}

// Thread creation that fails (EAGAIN, injected after 5 threads) ends the run with a clear error
// naming the task, never a hang.
TEST(FreeEngine, ThreadCreateFailureIsReported) {
  auto created = std::make_shared<std::atomic<int>>(0);
  ThreadCreateFn fail_after_5 = [created](pthread_t* th, const pthread_attr_t* attr,
                                          void* (*fn)(void*), void* arg) {
    if (created->fetch_add(1) >= 5) return EAGAIN;
    return pthread_create(th, attr, fn, arg);
  };
  FreeEngine e(Opts(), Perturb::kLight, 0, fail_after_5);
  Engine::Scope scope(e);
  auto gate = std::make_shared<Completion>("gate");
  for (int i = 0; i < 3; ++i) e.Spawn("early", [gate] { gate->Wait(); });
  e.Spawn("spawner", [gate] {
    for (int i = 0; i < 10; ++i) Spawn("late" + std::to_string(i), [gate] { gate->Wait(); });
    gate->CompleteAll();
  });
  try {
    e.Run();
    ADD_FAILURE() << "Run() returned although a thread could not be created";
  } catch (const ThreadCreateError& err) {
    EXPECT_THAT(err.what(), HasSubstr("cannot create an OS thread for task T6 late1"));
    EXPECT_THAT(err.what(), HasSubstr("ulimit -u"));
  }
}

// The negative control: the same run with thread creation that succeeds ends quiescent.
TEST(FreeEngine, ThreadCreateSucceedsWithoutInjection) {
  auto created = std::make_shared<std::atomic<int>>(0);
  ThreadCreateFn counting = [created](pthread_t* th, const pthread_attr_t* attr,
                                      void* (*fn)(void*), void* arg) {
    created->fetch_add(1);
    return pthread_create(th, attr, fn, arg);
  };
  FreeEngine e(Opts(), Perturb::kLight, 0, counting);
  Engine::Scope scope(e);
  auto gate = std::make_shared<Completion>("gate");
  e.Spawn("spawner", [gate] {
    for (int i = 0; i < 10; ++i) Spawn("late" + std::to_string(i), [gate] { gate->Wait(); });
    gate->CompleteAll();
  });
  EXPECT_EQ(e.Run().ending, Ending::kQuiescent);
  EXPECT_EQ(created->load(), 11);
}

TEST(FreeEngine, MaxVirtualTimeEnding) {
  EngineOptions o = Opts();
  o.max_virtual_time = 1 * kSec;
  FreeEngine e(o, Perturb::kNone, 1e6);  // 1 virtual s = 1 real microsecond
  Engine::Scope scope(e);
  auto woke = std::make_shared<std::atomic<bool>>(false);
  e.Spawn("sleeper", [woke] {
    Msleep(3'600'000);
    woke->store(true);
  });
  EXPECT_EQ(e.Run().ending, Ending::kMaxVirtualTime);
  EXPECT_FALSE(woke->load());  // however late the engine looks at the clock
}

// Time scale 0: the next deadline lies beyond max_virtual_time, so the run ends there at once.
TEST(FreeEngine, MaxVirtualTimeEndingWithoutRealTime) {
  EngineOptions o = Opts();
  o.max_virtual_time = 1 * kSec;
  FreeEngine e(o, Perturb::kNone, 0);
  Engine::Scope scope(e);
  e.Spawn("sleeper", [] { Msleep(3'600'000); });
  RunResult r = e.Run();
  EXPECT_EQ(r.ending, Ending::kMaxVirtualTime);
  EXPECT_TRUE(Incomplete(r.ending));
  EXPECT_LE(r.virtual_time, 1 * kSec);
}

}  // namespace
}  // namespace probestorm::harness

namespace probestorm::harness {
namespace {

// EngineOptions::interrupt stops a free run whose task would otherwise spin forever: the engine's
// 2 ms check ends it as Ending::kInterrupted.
TEST(FreeEngine, InterruptStopsTheRun) {
  std::atomic<int> interrupt{0};
  EngineOptions o = Opts();
  o.interrupt = &interrupt;  // Opts' 30 s deadline ends the run as wall-deadline if this fails
  FreeEngine e(o, Perturb::kNone, 0);
  Engine::Scope scope(e);
  e.Spawn("spinner", [] {
    for (;;) Yield();
  });
  e.Spawn("raiser", [&interrupt] { interrupt.store(15); });  // SIGTERM
  RunResult r = e.Run();
  EXPECT_EQ(r.ending, Ending::kInterrupted);
}

}  // namespace
}  // namespace probestorm::harness
