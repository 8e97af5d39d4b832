// Clock slots of the race detector. While slots remain, an ended task's slot is handed out again
// only when that keeps every check exact. The positive control is the case a careless reuse would
// miss: a task writes a field and ends with no synchronisation, a new task takes a slot, and a
// third task that learned only about the new task writes the field. The negative control
// synchronises the first task's end, so its slot is reused and the same writes are ordered.
// With more tasks than slots, slots pass between live tasks: races may be missed but none is
// invented (a locked counter stays silent), and an unlocked one is still caught.
#include "harness/race/race_detector.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/controlled_engine.h"
#include "harness/sched/random_scheduler.h"
#include "harness/sync/completion.h"
#include "harness/sync/mutex.h"
#include "harness/sync/tracked.h"
#include "harness/sync/wait_queue.h"
#include "harness/trace/trace.h"

namespace probestorm::harness {
namespace {

using ::testing::HasSubstr;

struct Shared {
  Tracked<int> x;
  Completion first_done{"first_done"};
  Completion second_done{"second_done"};
};

struct Outcome {
  RunResult result;
  size_t slots = 0;
};

// "first" writes x; the spawner then starts "second" (after waiting for first_done when
// `first_synchronised`); "third" waits for second_done and writes x.
Outcome RunHandover(uint64_t seed, bool first_synchronised) {
  RandomScheduler s;
  EngineOptions o;
  o.seed = seed;
  o.race_detection = true;
  ControlledEngine e(o, &s);
  Engine::Scope scope(e);
  auto sh = std::make_shared<Shared>();
  sh->x.SetLabel("handover x");
  e.Spawn("spawner", [sh, first_synchronised] {
    Spawn("first", [sh, first_synchronised] {
      sh->x.Set(1);
      if (first_synchronised) sh->first_done.Complete();
    });
    if (first_synchronised) {
      sh->first_done.Wait();
    } else {
      // No happens-before edge: the first task, alone runnable, ends while this one sleeps.
      Msleep(10);
    }
    Spawn("second", [sh] { sh->second_done.Complete(); });
    Spawn("third", [sh] {
      sh->second_done.Wait();
      sh->x.Set(2);
    });
  });
  Outcome out;
  out.result = e.Run();
  out.slots = e.race()->slots();
  return out;
}

TEST(RaceDetectorSlots, WriteOfAnEndedUnsynchronisedTaskStillRaces) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Outcome o = RunHandover(seed, /*first_synchronised=*/false);
    ASSERT_EQ(o.result.findings.size(), 1u) << seed;
    EXPECT_EQ(o.result.findings[0].invariant, "data-race");
    EXPECT_THAT(o.result.findings[0].message, HasSubstr("data race on handover x"));
    EXPECT_THAT(o.result.findings[0].message, HasSubstr("(third) vs earlier write"));
    EXPECT_THAT(o.result.findings[0].message, HasSubstr("(first)"));
  }
}

TEST(RaceDetectorSlots, SynchronisedEndLetsTheSlotBeReusedAndStaysSilent) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Outcome o = RunHandover(seed, /*first_synchronised=*/true);
    EXPECT_TRUE(o.result.findings.empty()) << seed;
    EXPECT_LT(o.slots, 4u) << seed;  // 4 tasks, the first one's slot taken again
  }
}

// Thousands of tasks one after the other, each ending before the next starts: the clocks stay
// as long as the tasks alive at once, not as the tasks created.
TEST(RaceDetectorSlots, SequentialTasksShareAFewSlots) {
  RandomScheduler s;
  EngineOptions o;
  o.race_detection = true;
  ControlledEngine e(o, &s);
  Engine::Scope scope(e);
  auto x = std::make_shared<Tracked<int>>();
  e.Spawn("parent", [x] {
    for (int i = 0; i < 2000; ++i) {
      Completion done{"done"};
      Spawn("child" + std::to_string(i), [x, &done, i] {
        x->Set(i);
        done.Complete();
      });
      done.Wait();
      Msleep(1);  // the child has ended by now
    }
  });
  RunResult r = e.Run();
  EXPECT_TRUE(r.findings.empty());
  EXPECT_LE(e.race()->slots(), 4u);
}

struct TwoSlotRun {
  RunResult result;
  size_t slots = 0;
  uint64_t inexact = 0;
};

// Ten tasks each add to a counter three times (read, yield, write), with or without its lock,
// while the race detector has two clock slots.
TwoSlotRun RunCounterOnTwoSlots(uint64_t seed, bool locked) {
  RandomScheduler s;
  EngineOptions o;
  o.seed = seed;
  o.race_detection = true;
  o.race_clock_slots = 2;
  ControlledEngine e(o, &s);
  Engine::Scope scope(e);
  struct Counter {
    Tracked<int> value;
    Mutex lock{"counter_lock"};
  };
  auto c = std::make_shared<Counter>();
  c->value.SetLabel("two-slot counter");
  for (int i = 0; i < 10; ++i) {
    e.Spawn("adder" + std::to_string(i), [c, locked]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
      for (int round = 0; round < 3; ++round) {
        if (locked) c->lock.lock();
        const int v = c->value.Get();
        Yield();
        c->value.Set(v + 1);
        if (locked) c->lock.unlock();
        Yield();
      }
    });
  }
  TwoSlotRun out;
  out.result = e.Run();
  out.slots = e.race()->slots();
  out.inexact = e.race()->inexact_handovers();
  return out;
}

TEST(RaceDetectorSlots, MoreTasksThanSlotsInventsNoRace) {
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    TwoSlotRun r = RunCounterOnTwoSlots(seed, /*locked=*/true);
    EXPECT_TRUE(r.result.findings.empty()) << seed << ": " << r.result.findings.front().message;
    EXPECT_EQ(r.slots, 2u);
    EXPECT_GT(r.inexact, 0u) << seed;  // slots did pass between live tasks
  }
}

TEST(RaceDetectorSlots, MoreTasksThanSlotsStillCatchesAnUnlockedCounter) {
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    TwoSlotRun r = RunCounterOnTwoSlots(seed, /*locked=*/false);
    ASSERT_FALSE(r.result.findings.empty()) << seed;
    EXPECT_EQ(r.result.findings[0].invariant, "data-race");
    EXPECT_THAT(r.result.findings[0].message, HasSubstr("data race on two-slot counter"));
    EXPECT_EQ(r.slots, 2u);
  }
}

// A race-detecting controlled run of the tasks `spawn` starts, with the random strategy.
RunResult RunDetected(uint64_t seed, const std::function<void(ControlledEngine&)>& spawn) {
  RandomScheduler s;
  EngineOptions o;
  o.seed = seed;
  o.race_detection = true;
  ControlledEngine e(o, &s);
  Engine::Scope scope(e);
  spawn(e);
  return e.Run();
}

// Many unordered readers of one field (more than RaceDetector::kScanReads), each reading twice,
// then a writer that waited for every reader but `unsynchronised` (-1: for all of them). The
// readers have finished before the write (the writer sleeps first).
RunResult RunManyReaders(uint64_t seed, int unsynchronised) {
  static constexpr int kReaders = 24;
  return RunDetected(seed, [&](ControlledEngine& e) {
    struct Field {
      Tracked<int> x;
      std::vector<std::unique_ptr<Completion>> done;
    };
    auto f = std::make_shared<Field>();
    f->x.SetLabel("many-reader x");
    for (int i = 0; i < kReaders; ++i) f->done.push_back(std::make_unique<Completion>("read_done"));
    for (int i = 0; i < kReaders; ++i) {
      e.Spawn("reader" + std::to_string(i), [f, i] {
        (void)f->x.Get();
        Yield();
        (void)f->x.Get();
        f->done[static_cast<size_t>(i)]->Complete();
      });
    }
    e.Spawn("writer", [f, unsynchronised] {
      for (int i = 0; i < kReaders; ++i) {
        if (i != unsynchronised) f->done[static_cast<size_t>(i)]->Wait();
      }
      Msleep(100);
      f->x.Set(1);
    });
  });
}

TEST(RaceDetectorReads, WriteRacesWithTheOneUnorderedReaderAmongMany) {
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    const RunResult r = RunManyReaders(seed, /*unsynchronised=*/17);
    ASSERT_EQ(r.findings.size(), 1u) << seed;
    EXPECT_EQ(r.findings[0].invariant, "data-race");
    EXPECT_THAT(r.findings[0].message, HasSubstr("data race on many-reader x: write"));
    EXPECT_THAT(r.findings[0].message, HasSubstr("(writer) vs earlier read"));
    EXPECT_THAT(r.findings[0].message, HasSubstr("(reader17)"));
  }
}

TEST(RaceDetectorReads, WriteAfterEveryReaderIsSilent) {
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    const RunResult r = RunManyReaders(seed, /*unsynchronised=*/-1);
    EXPECT_TRUE(r.findings.empty()) << seed << ": " << r.findings.front().message;
  }
}

// A task that reads a field again before it releases anything keeps one entry for the field, and
// the entry names the function of its latest read: an unordered writer's report cites it, and the
// run stays silent when the writer is ordered after the reads.
RunResult RunRereads(uint64_t seed, bool ordered) {
  return RunDetected(seed, [&](ControlledEngine& e) {
    struct Field {
      Tracked<int> x;
      Completion done{"reads_done"};
    };
    auto f = std::make_shared<Field>();
    f->x.SetLabel("reread x");
    e.Spawn("reader", [f] {
      {
        TraceSpan span("toy.0", "first_look");
        (void)f->x.Get();
      }
      {
        TraceSpan span("toy.0", "second_look");
        (void)f->x.Get();
        (void)f->x.Get();
      }
      f->done.Complete();
    });
    e.Spawn("writer", [f, ordered] {
      if (ordered) f->done.Wait();
      Msleep(100);
      TraceSpan span("toy.1", "writer_fn");
      f->x.Set(1);
    });
  });
}

TEST(RaceDetectorReads, RereadInOneEpochIsReportedAtItsLatestFunction) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const RunResult r = RunRereads(seed, /*ordered=*/false);
    ASSERT_EQ(r.findings.size(), 1u) << seed;
    EXPECT_EQ(r.findings[0].invariant, "data-race");
    EXPECT_THAT(r.findings[0].message,
                HasSubstr("write in writer_fn (writer) vs earlier read in second_look (reader)"));
    const RunResult quiet = RunRereads(seed, /*ordered=*/true);
    EXPECT_TRUE(quiet.findings.empty()) << seed << ": " << quiet.findings.front().message;
  }
}

// Each field is reported once per run however often its race recurs; a second object with a
// field of the same name (an object made again) adds no finding, and a field whose name differs
// only after a shared prefix is a field of its own.
TEST(RaceDetectorReports, OneFindingPerFieldText) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    const RunResult r = RunDetected(seed, [](ControlledEngine& e) {
      struct Fields {
        Tracked<int> x, again, y;
      };
      auto f = std::make_shared<Fields>();
      f->x.SetLabel("shared prefix x");
      f->again.SetLabel("shared prefix x");
      f->y.SetLabel("shared prefix y");
      for (const char* name : {"w1", "w2"}) {
        e.Spawn(name, [f] {
          for (int i = 0; i < 5; ++i) {  // x races again and again
            f->x.Set(i);
            Yield();
          }
          f->again.Set(1);
          f->y.Set(1);
        });
      }
    });
    ASSERT_EQ(r.findings.size(), 2u) << seed;
    std::vector<std::string> fields;
    for (const Finding& fd : r.findings) {
      EXPECT_EQ(fd.invariant, "data-race");
      fields.push_back(fd.message.substr(0, fd.message.find(':')));
    }
    EXPECT_THAT(fields, ::testing::UnorderedElementsAre("data race on shared prefix x",
                                                        "data race on shared prefix y"));
  }
}

// wake_up takes the queue's spinlock (__wake_up_common_lock), so two wake-ups of one queue are
// ordered: what the first waker wrote before its wake-up happens before what the second does
// after its own. "first" writes x and wakes the queue at t=0; "second" sleeps past that (no edge),
// then reads x after its wake-up (silent) or before it (a race).
RunResult RunTwoWakers(uint64_t seed, bool read_after_wake) {
  auto x = std::make_shared<Tracked<int>>();
  x->SetLabel("woken x");
  auto wq = std::make_shared<WaitQueue>("wq");
  return RunDetected(seed, [x, wq, read_after_wake](ControlledEngine& e) {
    e.Spawn("first", [x, wq] {
      x->Set(1);
      wq->WakeUpAll();
    });
    e.Spawn("second", [x, wq, read_after_wake] {
      Msleep(10);
      if (!read_after_wake) (void)x->Get();
      wq->WakeUpAll();
      if (read_after_wake) (void)x->Get();
    });
  });
}

TEST(RaceDetectorWaitQueue, WakeUpsOfOneQueueAreOrdered) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    EXPECT_TRUE(RunTwoWakers(seed, /*read_after_wake=*/true).findings.empty()) << seed;
  }
}

TEST(RaceDetectorWaitQueue, ReadBeforeTheSecondWakeUpRaces) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    RunResult r = RunTwoWakers(seed, /*read_after_wake=*/false);
    ASSERT_EQ(r.findings.size(), 1u) << seed;
    EXPECT_EQ(r.findings[0].invariant, "data-race");
    EXPECT_THAT(r.findings[0].message, HasSubstr("data race on woken x: read"));
    EXPECT_THAT(r.findings[0].message, HasSubstr("(second) vs earlier write"));
  }
}

}  // namespace
}  // namespace probestorm::harness
