// Workqueue semantics (kernel/workqueue.c) on toy work items, over many seeds of the controlled
// engine: queue while pending, queue while running, one instance at a time, flush, delayed work
// cancel and flush, and no trigger lost while a run is in progress.
#include "harness/sync/workqueue.h"
#include "harness/test_invariants.h"

#include <algorithm>
#include <functional>
#include <memory>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/controlled_engine.h"
#include "harness/sched/random_scheduler.h"
#include "harness/sync/completion.h"
#include "harness/sync/tracked.h"

namespace probestorm::harness {
namespace {

using ::testing::HasSubstr;

EngineOptions Opts(uint64_t seed, bool race_detection = true) {
  EngineOptions o;
  o.seed = seed;
  o.race_detection = race_detection;
  return o;
}

std::string Describe(const RunResult& r) {
  std::string s;
  for (const auto& f : r.findings) s += std::string(f.invariant.name()) + ": " + f.message + "\n";
  return s;
}

TEST(Workqueue, QueueWhilePendingReturnsFalse) {
  RandomScheduler s;
  ControlledEngine e(Opts(1), &s);
  Engine::Scope scope(e);
  int runs = 0;
  Work w("toy", [&runs] { ++runs; });
  EXPECT_TRUE(w.Queue());
  EXPECT_FALSE(w.Queue());  // pending: nothing happens
  EXPECT_TRUE(w.Pending());
  RunResult r = e.Run();
  EXPECT_EQ(r.ending, Ending::kQuiescent);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(w.runs(), 1u);
}

TEST(Workqueue, QueuedWhileRunningRunsOnceMore) {
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    RandomScheduler s;
    ControlledEngine e(Opts(seed), &s);
    Engine::Scope scope(e);
    Completion entered("entered");
    Completion release("release");
    int runs = 0;
    bool requeued = false;
    bool was_pending = true;
    uint64_t after_flush = 0;
    Work w("toy", [&] {
      if (++runs == 1) {
        entered.Complete();
        release.Wait();
      }
    });
    e.Spawn("queuer", [&] {
      EXPECT_TRUE(w.Queue());
      entered.Wait();          // the first run is in progress
      was_pending = w.Pending();
      requeued = w.Queue();    // not pending any more: queued again
      release.Complete();
      w.Flush();
      after_flush = w.runs();
    });
    RunResult r = e.Run();
    EXPECT_TRUE(r.findings.empty()) << Describe(r);
    EXPECT_FALSE(was_pending) << seed;
    EXPECT_TRUE(requeued) << seed;
    EXPECT_EQ(after_flush, 2u) << seed;
    EXPECT_EQ(runs, 2) << seed;
  }
}

TEST(Workqueue, NeverTwoInstancesAndOneRunPerSuccessfulQueue) {
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    RandomScheduler s;
    ControlledEngine e(Opts(seed), &s);
    Engine::Scope scope(e);
    int inside = 0;
    int max_inside = 0;
    int runs = 0;
    int queued = 0;
    Work w("toy", [&] {
      max_inside = std::max(max_inside, ++inside);
      Yield();
      Msleep(1);
      Yield();
      --inside;
      ++runs;
    });
    for (int t = 0; t < 3; ++t) {
      e.Spawn("queuer", [&] {
        for (int k = 0; k < 4; ++k) {
          queued += w.Queue();
          Yield();
          if (k == 1) Msleep(1);
        }
      });
    }
    RunResult r = e.Run();
    EXPECT_EQ(r.ending, Ending::kQuiescent);
    EXPECT_EQ(max_inside, 1) << seed;
    EXPECT_EQ(runs, queued) << seed;
    EXPECT_GE(runs, 1);
  }
}

// A work item that oopses never finishes: flush_work waits forever, as in the kernel, and the
// stall names the worker and its oops (the deferred-probe timeout work flushing a deferred-probe
// work that died in dev_iommu_free's NULL dereference).
TEST(Workqueue, FlushBehindAnOopsedWorkerStallsNamingTheOops) {
  RandomScheduler s;
  EngineOptions o = Opts(1, /*race_detection=*/false);
  o.stop_on_violation = false;
  ControlledEngine e(o, &s);
  Engine::Scope scope(e);
  Work w("toy", [] { Oops(test_invariants::kDevIommuFreedInUse, "Unable to handle kernel NULL pointer"); });
  e.Spawn("flusher", [&w] {
    w.Queue();
    w.Flush();
  });
  RunResult r = e.Run();
  EXPECT_EQ(r.ending, Ending::kStall);
  ASSERT_EQ(r.findings.size(), 2u) << Describe(r);
  EXPECT_EQ(r.findings[1].invariant, "stall");
  EXPECT_THAT(r.findings[1].message,
              HasSubstr("(behind T2 kworker/events_unbound:toy, which died in an oops: "
                        "dev-iommu-freed-in-use at t=0.000000s)"));
  EXPECT_THAT(r.findings[1].detail, HasSubstr("T1 flusher waits for flush_work held by T2"));
}

TEST(Workqueue, FlushWaitsForTheRunAndOrdersItsWrites) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    RandomScheduler s;
    ControlledEngine e(Opts(seed), &s);
    Engine::Scope scope(e);
    Tracked<int> result;
    result.SetLabel("toy result");
    uint64_t runs_at_flush = 0;
    Nanos flushed_at = -1;
    int seen = -1;
    Work w("toy", [&] {
      Msleep(10);
      result.Set(7);
    });
    e.Spawn("flusher", [&] {
      w.Flush();  // idle: returns at once
      w.Queue();
      w.Flush();
      runs_at_flush = w.runs();
      flushed_at = Now();
      seen = result.Get();  // no lock: flush_work orders the run before this read
    });
    RunResult r = e.Run();
    EXPECT_TRUE(r.findings.empty()) << Describe(r);  // negative control of the race detector
    EXPECT_EQ(runs_at_flush, 1u);
    EXPECT_EQ(flushed_at, 10 * kMsec);
    EXPECT_EQ(seen, 7);
  }
}

TEST(Workqueue, ReadWithoutFlushIsADataRace) {
  // Positive control for the test above: the same read without flush_work races with the run.
  RandomScheduler s;
  ControlledEngine e(Opts(1), &s);
  Engine::Scope scope(e);
  Tracked<int> result;
  result.SetLabel("toy result");
  Work w("toy", [&] { result.Set(7); });
  e.Spawn("reader", [&] {
    w.Queue();
    Msleep(5);
    (void)result.Get();
  });
  RunResult r = e.Run();
  ASSERT_EQ(r.findings.size(), 1u) << Describe(r);
  EXPECT_EQ(r.findings[0].invariant, "data-race");
  EXPECT_THAT(r.findings[0].message, HasSubstr("data race on toy result"));
}

TEST(Workqueue, DelayedWorkCancelReturnsPendingness) {
  RandomScheduler s;
  ControlledEngine e(Opts(1), &s);
  Engine::Scope scope(e);
  int runs = 0;
  DelayedWork dw("toy", [&runs] { ++runs; });
  std::vector<bool> got;
  e.Spawn("t", [&] {
    got.push_back(dw.Schedule(100 * kMsec));  // true: armed
    got.push_back(dw.Schedule(50 * kMsec));   // false: already pending
    got.push_back(dw.Pending());              // true
    got.push_back(dw.Cancel());               // true: was pending
    got.push_back(dw.Cancel());               // false: nothing pending
    got.push_back(dw.Pending());              // false
    Msleep(200);
    got.push_back(runs == 0);                 // the cancelled timer never ran it
    got.push_back(dw.Schedule(1 * kMsec));    // true
    Msleep(5);
    got.push_back(runs == 1);
    got.push_back(dw.Cancel());               // false: already ran
  });
  RunResult r = e.Run();
  EXPECT_EQ(r.ending, Ending::kQuiescent);
  EXPECT_EQ(got, (std::vector<bool>{true, false, true, true, false, false, true, true, true, false}));
}

TEST(Workqueue, CancelOfQueuedNotStartedWork) {
  RandomScheduler s;
  ControlledEngine e(Opts(1), &s);
  Engine::Scope scope(e);
  int runs = 0;
  DelayedWork dw("toy", [&runs] { ++runs; });
  EXPECT_TRUE(dw.Schedule(0));  // queued at once; the worker has not started (setup code)
  EXPECT_TRUE(dw.Cancel());
  EXPECT_FALSE(dw.Cancel());
  EXPECT_EQ(e.Run().ending, Ending::kQuiescent);
  EXPECT_EQ(runs, 0);
}

TEST(Workqueue, FlushOfArmedDelayedWorkRunsItNow) {
  RandomScheduler s;
  ControlledEngine e(Opts(1), &s);
  Engine::Scope scope(e);
  int runs = 0;
  Nanos ran_at = -1;
  DelayedWork dw("toy", [&] {
    ++runs;
    ran_at = Now();
  });
  bool armed_after = true;
  e.Spawn("t", [&] {
    dw.Schedule(10 * kSec);
    Msleep(1);
    dw.Flush();
    armed_after = dw.TimerArmed();
  });
  RunResult r = e.Run();
  EXPECT_EQ(r.ending, Ending::kQuiescent);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(ran_at, 1 * kMsec);  // not 10 s
  EXPECT_FALSE(armed_after);
  EXPECT_EQ(r.virtual_time, 1 * kMsec);
}

TEST(Workqueue, TriggerDuringRunIsNotLost) {
  // Like driver_deferred_probe_trigger: the producer bumps a generation and queues the work; a
  // run that already read an older generation must be followed by another run.
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    RandomScheduler s;
    ControlledEngine e(Opts(seed, false), &s);
    Engine::Scope scope(e);
    int produced = 0;
    int consumed = 0;
    Work w("toy", [&] {
      const int seen = produced;
      Msleep(1);
      consumed = seen;
    });
    e.Spawn("producer", [&] {
      for (int i = 1; i <= 5; ++i) {
        produced = i;
        w.Queue();
        Yield();
        if (i % 2 == 0) Msleep(1);
      }
    });
    EXPECT_EQ(e.Run().ending, Ending::kQuiescent);
    EXPECT_EQ(consumed, 5) << seed;
  }
}

}  // namespace
}  // namespace probestorm::harness
