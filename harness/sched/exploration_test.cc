// Schedule exploration on toy models (not the kernel model): each strategy finds the bug it
// should, within its bound, and stays silent on the fixed twin; every finding replays from its
// token; a seed fixes the trace.
#include <array>
#include <cstdio>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/controlled_engine.h"
#include "harness/test_invariants.h"
#include "harness/sched/auto_scheduler.h"
#include "harness/sched/conflict_scheduler.h"
#include "harness/sched/conflicts.h"
#include "harness/sched/dfs_scheduler.h"
#include "harness/sched/pct_scheduler.h"
#include "harness/sched/pos_scheduler.h"
#include "harness/sched/random_scheduler.h"
#include "harness/sched/surw_scheduler.h"
#include "harness/sched/replay_scheduler.h"
#include "harness/sync/completion.h"
#include "harness/sync/list.h"
#include "harness/sync/mutex.h"
#include "harness/sync/tracked.h"
#include "harness/sync/workqueue.h"
#include "harness/trace/trace.h"

namespace probestorm::harness {
namespace {

using ::testing::HasSubstr;

struct Outcome {
  RunResult result;
  Schedule schedule;
  const Finding* Find(std::string_view invariant) const {
    for (const auto& f : result.findings) {
      if (f.invariant == invariant) return &f;
    }
    return nullptr;
  }
};

// Builds a toy world in `e`; returns what must outlive the engine (work items referenced by
// worker tasks that may still exist when the run ends).
using Model = std::function<std::shared_ptr<void>(Engine&)>;

Outcome RunModel(Strategy& s, uint64_t seed, const Model& model, bool race_detection = false) {
  EngineOptions o;
  o.seed = seed;
  o.race_detection = race_detection;
  std::shared_ptr<void> world;  // destroyed after the engine
  Outcome out;
  ControlledEngine e(o, &s);
  Engine::Scope scope(e);
  world = model(e);
  out.result = e.Run();
  out.schedule = e.schedule();
  return out;
}

// ---- Toy 1: a lost update. Two tasks do read; <gap>; write. The checker joins both and reports
// a `deferred-lists` violation (a lost trigger) if an increment was lost.
enum class Gap { kBlocking, kYield };

Model LostUpdate(bool locked, Gap gap) {
  return [locked, gap](Engine& e) -> std::shared_ptr<void> {
    struct State {
      Tracked<int> value;
      Mutex lock{"counter_lock"};
    };
    auto st = std::make_shared<State>();
    st->value.SetLabel("counter");
    std::vector<TaskId> incs;
    for (int i = 0; i < 2; ++i) {
      // Conditional locking is the point of the toy: no static lock analysis.
      incs.push_back(e.Spawn("inc" + std::to_string(i), [st, locked, gap]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
        if (locked) st->lock.lock();
        const int v = st->value.Get();
        if (gap == Gap::kBlocking) {
          Msleep(1);  // blocks: the other task runs without any preemption
        } else {
          Yield();    // a switch here is a preemption
        }
        st->value.Set(v + 1);
        if (locked) st->lock.unlock();
      }));
    }
    e.Spawn("check", [st, incs] {
      for (TaskId t : incs) Current().Join(t);
      const int v = st->value.Get();
      if (v != 2) Report(test_invariants::kDeferredLists, "lost update: counter is " + std::to_string(v) + ", expected 2");
    });
    return st;
  };
}

TEST(Exploration, RandomFindsBlockingLostUpdate) {
  RandomScheduler s;
  int found = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Outcome o = RunModel(s, seed, LostUpdate(false, Gap::kBlocking));
    if (const Finding* f = o.Find("deferred-lists")) {
      ++found;
      EXPECT_THAT(f->message, HasSubstr("lost update: counter is 1"));
    }
  }
  EXPECT_EQ(found, 20);  // the sleep between read and write makes every schedule lose one
}

TEST(Exploration, Pct1FindsBlockingLostUpdate) {
  // Depth 1 (no change point): the blocking point alone exposes the bug.
  PctScheduler s(1, 8);
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Outcome o = RunModel(s, seed, LostUpdate(false, Gap::kBlocking));
    ASSERT_NE(o.Find("deferred-lists"), nullptr) << seed;
  }
}

TEST(Exploration, LockedLostUpdateTwinSilent) {
  RandomScheduler r;
  PctScheduler p(1, 8);
  PctScheduler p3(3, 16);
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    for (Strategy* s : std::vector<Strategy*>{&r, &p, &p3}) {
      EXPECT_TRUE(RunModel(*s, seed, LostUpdate(true, Gap::kBlocking)).result.findings.empty()) << seed;
      EXPECT_TRUE(RunModel(*s, seed, LostUpdate(true, Gap::kYield)).result.findings.empty()) << seed;
    }
  }
}

// ---- Toy 2: a depth-2 ordering bug. The publisher sets `ready` before `data` (the bug); the
// consumer does 12 shared steps of its own work and then checks. It fails only if the publisher
// is preempted between its two writes and stays off the CPU for the consumer's 12 steps: one
// well-placed priority change for PCT (probability ~ 1/2 * 1/K), but 2^-12-ish for a random walk.
// Noise tasks do local work (kLocal points) that PCT's depth does not count.
Model OrderingBug() {
  return [](Engine& e) -> std::shared_ptr<void> {
    struct State {
      Tracked<int> ready;
      Tracked<int> data;
      Tracked<int> busy;
    };
    auto st = std::make_shared<State>();
    for (int i = 0; i < 4; ++i) {
      e.Spawn("noise" + std::to_string(i), [] {
        for (int k = 0; k < 10; ++k) Yield();
      });
    }
    e.Spawn("publisher", [st] {
      st->ready.Set(1);   // BUG: published before initialised
      st->data.Set(42);
    });
    e.Spawn("consumer", [st] {
      for (int k = 0; k < 12; ++k) st->busy.Set(k);
      if (st->ready.Get() == 1 && st->data.Get() != 42) {
        Report(test_invariants::kDomainAllocUninit, "consumer saw ready before data was initialised");
      }
    });
    return st;
  };
}

TEST(Exploration, Pct2FindsOrderingBugFarMoreOftenThanRandom) {
  constexpr uint64_t kSeeds = 400;
  PctScheduler pct(2, 16);  // K = 16: the model's shared points
  RandomScheduler random;
  int pct_hits = 0;
  int random_hits = 0;
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    Outcome p = RunModel(pct, seed, OrderingBug());
    if (const Finding* f = p.Find("domain-alloc-uninit")) {
      ++pct_hits;
      EXPECT_THAT(f->message, HasSubstr("ready before data"));
    }
    random_hits += RunModel(random, seed, OrderingBug()).Find("domain-alloc-uninit") != nullptr;
  }
  // Deterministic counts over seeds 1..400 (gcc and clang draw the same numbers): pct:2 finds
  // it in 9 runs, random in 0 (recorded when this test was written).
  EXPECT_GT(pct_hits, random_hits);
  EXPECT_GE(pct_hits, 4);
  RecordProperty("pct_hits", pct_hits);
  RecordProperty("random_hits", random_hits);
  std::printf("ordering bug over %d seeds: pct:2 %d hits, random %d hits\n", static_cast<int>(kSeeds), pct_hits,
              random_hits);
}

TEST(Exploration, Pct1NeverFindsOrderingBug) {
  // Negative control: without a change point the publisher is never preempted between its writes.
  PctScheduler s(1, 16);
  for (uint64_t seed = 1; seed <= 100; ++seed) {
    EXPECT_EQ(RunModel(s, seed, OrderingBug()).Find("domain-alloc-uninit"), nullptr) << seed;
  }
}

// ---- Toy 3: dfs over the non-blocking lost update (one preemption needed).
TEST(Exploration, Dfs2ExhaustsAndFindsLostUpdate) {
  DfsScheduler s(2);
  int found = 0;
  uint64_t runs = 0;
  do {
    Outcome o = RunModel(s, 1, LostUpdate(false, Gap::kYield));
    found += o.Find("deferred-lists") != nullptr;
    ++runs;
    ASSERT_LT(runs, 100'000u) << "dfs:2 does not terminate on a 3-task model";
  } while (s.Next());
  EXPECT_TRUE(s.exhausted());
  EXPECT_EQ(s.runs(), runs);
  EXPECT_GT(found, 0);
}

TEST(Exploration, Dfs0ExhaustsWithoutPreemptionBug) {
  DfsScheduler s(0);
  uint64_t runs = 0;
  do {
    Outcome o = RunModel(s, 1, LostUpdate(false, Gap::kYield));
    EXPECT_EQ(o.Find("deferred-lists"), nullptr);
    ++runs;
    ASSERT_LT(runs, 10'000u);
  } while (s.Next());
  EXPECT_TRUE(s.exhausted());
  EXPECT_GT(runs, 1u);  // the start order is still explored: it is not a preemption
}

TEST(Exploration, Dfs2LockedTwinSilent) {
  DfsScheduler s(2);
  do {
    EXPECT_TRUE(RunModel(s, 1, LostUpdate(true, Gap::kYield)).result.findings.empty());
  } while (s.Next());
  EXPECT_TRUE(s.exhausted());
}

// ---- Toy 4: two tasks add to one list without its lock.
Model ListAdders(bool locked) {
  return [locked](Engine& e) -> std::shared_ptr<void> {
    struct State {
      ListHead list{"toy->controllers", test_invariants::kControllersList};
      Mutex lock{"toy_list_lock"};
      ListNode nodes[2];
    };
    auto st = std::make_shared<State>();
    std::vector<TaskId> adders;
    for (int i = 0; i < 2; ++i) {
      // Conditional locking is the point of the toy: no static lock analysis.
      adders.push_back(e.Spawn("adder" + std::to_string(i), [st, locked, i]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
        if (locked) st->lock.lock();
        st->list.AddTail(&st->nodes[i]);
        if (locked) st->lock.unlock();
      }));
    }
    e.Spawn("walker", [st, adders] {
      for (TaskId t : adders) Current().Join(t);
      if (st->list.Owners().size() != 2) {
        Oops(test_invariants::kControllersList, "list corruption in toy->controllers: an entry was lost");
      }
    });
    return st;
  };
}

TEST(Exploration, UnlockedListAddCorruptsLockedTwinDoesNot) {
  RandomScheduler s;
  int corrupt = 0;
  for (uint64_t seed = 1; seed <= 100; ++seed) {
    Outcome o = RunModel(s, seed, ListAdders(false));
    if (const Finding* f = o.Find("controllers-list")) {
      ++corrupt;
      EXPECT_THAT(f->message, HasSubstr("list corruption"));
      EXPECT_THAT(f->message, HasSubstr("toy->controllers"));
    }
    EXPECT_TRUE(RunModel(s, seed, ListAdders(true)).result.findings.empty()) << seed;
  }
  EXPECT_GT(corrupt, 0);
}

// ---- Replay: every finding's schedule token reproduces the finding and the trace hash.
void ExpectReplays(const Outcome& found, uint64_t seed, const Model& model, std::string_view invariant) {
  ASSERT_NE(found.Find(invariant), nullptr);
  const std::string token = found.schedule.Encode();
  auto decoded = Schedule::Decode(token);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, found.schedule);
  ReplayScheduler replay(std::make_shared<const Schedule>(*decoded));
  Outcome again = RunModel(replay, seed, model);
  EXPECT_FALSE(replay.Diverged());
  EXPECT_EQ(again.result.trace_hash, found.result.trace_hash);
  const Finding* f = again.Find(invariant);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->message, found.Find(invariant)->message);
  EXPECT_EQ(f->step, found.Find(invariant)->step);
}

TEST(Exploration, ReplayReproducesEachFinding) {
  {
    RandomScheduler s;
    ExpectReplays(RunModel(s, 5, LostUpdate(false, Gap::kBlocking)), 5, LostUpdate(false, Gap::kBlocking),
                  "deferred-lists");
  }
  {
    PctScheduler s(2, 16);
    bool replayed = false;
    for (uint64_t seed = 1; seed <= 400 && !replayed; ++seed) {
      Outcome o = RunModel(s, seed, OrderingBug());
      if (o.Find("domain-alloc-uninit") != nullptr) {
        ExpectReplays(o, seed, OrderingBug(), "domain-alloc-uninit");
        replayed = true;
      }
    }
    EXPECT_TRUE(replayed);
  }
  {
    RandomScheduler s;
    bool replayed = false;
    for (uint64_t seed = 1; seed <= 100 && !replayed; ++seed) {
      Outcome o = RunModel(s, seed, ListAdders(false));
      if (o.Find("controllers-list") != nullptr) {
        ExpectReplays(o, seed, ListAdders(false), "controllers-list");
        replayed = true;
      }
    }
    EXPECT_TRUE(replayed);
  }
  {
    DfsScheduler s(2);
    bool replayed = false;
    do {
      Outcome o = RunModel(s, 1, LostUpdate(false, Gap::kYield));
      if (!replayed && o.Find("deferred-lists") != nullptr) {
        ExpectReplays(o, 1, LostUpdate(false, Gap::kYield), "deferred-lists");
        replayed = true;
      }
    } while (s.Next());
    EXPECT_TRUE(replayed);
  }
}

// ---- Learning strategies: conflicts recorded, bugs found, runs replayed from their choices.

// A writer and a reader of one field of object `owner`, and a task that writes and reads a field
// of its own; run by a learning strategy so the engine records conflicts.
Model SharedAndPrivate(const std::string* owner) {
  return [owner](Engine& e) -> std::shared_ptr<void> {
    struct State {
      Tracked<int> shared;
      Tracked<int> own;
    };
    auto st = std::make_shared<State>();
    st->shared.SetLabel(*owner, " shared");
    st->own.SetLabel(*owner, " own");
    e.Spawn("writer", [st] { st->shared.Set(1); });
    e.Spawn("reader", [st] { (void)st->shared.Get(); });
    e.Spawn("private", [st] {
      st->own.Set(1);
      (void)st->own.Get();
    });
    return st;
  };
}

TEST(Conflicts, PairsAndReadsFromJoinTasksOnOneFieldOnly) {
  const std::string owner = "dev0";
  const uint64_t shared_kind = Rng::Hash(" shared") | 1;
  const SiteId w = MakeSite("?", shared_kind, true);
  const SiteId r = MakeSite("?", shared_kind, false);
  PosScheduler s;
  bool saw_rf = false, saw_rw = false;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    RunModel(s, seed, SharedAndPrivate(&owner));
    const ConflictRecorder& rec = s.exploration()->recorder;
    // Exactly one pair per run: the shared field's write and read, in the order they ran; the
    // private field (one task) gives none.
    ASSERT_EQ(rec.pairs().size(), 1u) << seed;
    const SitePair p = rec.pairs()[0];
    EXPECT_TRUE((p.first == w && p.second == r) || (p.first == r && p.second == w)) << seed;
    if (p.first == w) {
      saw_rf = true;
      ASSERT_EQ(rec.reads_from().size(), 1u);
      EXPECT_EQ(rec.reads_from()[0].first, w);
      EXPECT_EQ(rec.reads_from()[0].second, r);
    } else {
      saw_rw = true;
      EXPECT_TRUE(rec.reads_from().empty());
    }
  }
  EXPECT_TRUE(saw_rf);
  EXPECT_TRUE(saw_rw);
  EXPECT_EQ(s.exploration()->corpus.pair_count(), 2u);
  EXPECT_EQ(s.exploration()->corpus.reads_from_count(), 1u);
}

TEST(Conflicts, ANewKindIsANewInvariantOrANewSignature) {
  Corpus c;
  const ConflictRecorder none;
  const Schedule empty;
  EXPECT_FALSE(c.Merge(none, empty, 0, {}).new_kind);
  RunYield y = c.Merge(none, empty, 0, {"stall: a wait-for cycle"});
  EXPECT_TRUE(y.violated);
  EXPECT_TRUE(y.new_kind);
  y = c.Merge(none, empty, 0, {"stall: a wait-for cycle"});
  EXPECT_TRUE(y.violated);
  EXPECT_FALSE(y.new_kind);
  EXPECT_TRUE(c.Merge(none, empty, 0, {"stall: another cycle"}).new_kind);
  EXPECT_TRUE(c.Merge(none, empty, 0, {"deferred-lists: a wait-for cycle"}).new_kind);
}

// The expected run length (conflict's change point and livelock guard) counts a run at most twice
// the average before it, so one run stuck for 100x the usual length barely moves it; a typical
// run still counts in full.
TEST(Conflicts, ExpectedRunLengthIgnoresMostOfAStuckRun) {
  Corpus c;
  const ConflictRecorder none;
  const Schedule empty;
  c.Merge(none, empty, 1000, {});
  c.Merge(none, empty, 1000, {});
  EXPECT_DOUBLE_EQ(c.ExpectedSharedSteps(), 1000);
  c.Merge(none, empty, 100'000, {});  // counted as 2 000
  EXPECT_DOUBLE_EQ(c.ExpectedSharedSteps(), (1000 + 1000 + 2000) / 3.0);
  c.Merge(none, empty, 600, {});
  EXPECT_DOUBLE_EQ(c.ExpectedSharedSteps(), (1000 + 1000 + 2000 + 600) / 4.0);
}

TEST(Conflicts, SitesDoNotDependOnTheOwnersName) {
  const std::string a = "13800000.decon", b = "14450000.mixer";
  PosScheduler sa, sb;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    RunModel(sa, seed, SharedAndPrivate(&a));
    RunModel(sb, seed, SharedAndPrivate(&b));
    ASSERT_EQ(sa.exploration()->recorder.pairs().size(), sb.exploration()->recorder.pairs().size());
    EXPECT_EQ(sa.exploration()->recorder.pairs()[0].Key(), sb.exploration()->recorder.pairs()[0].Key());
  }
}

// The reader reads `flag` at once; the writer writes it after 12 shared steps of its own. A random
// walk almost never lets the write come first (the reader must stay off the CPU for 12 steps).
Model LateWriter() {
  return [](Engine& e) -> std::shared_ptr<void> {
    struct State {
      Tracked<int> flag;
      Tracked<int> busy;
    };
    auto st = std::make_shared<State>();
    st->flag.SetLabel("flag");
    e.Spawn("reader", [st] { (void)st->flag.Get(); });
    e.Spawn("writer", [st] {
      for (int k = 0; k < 12; ++k) st->busy.Set(k);
      st->flag.Set(1);
    });
    return st;
  };
}

TEST(Exploration, HoldBackStrategiesRunAPairTheOtherWayRound) {
  const uint64_t kind = Rng::Hash("flag") | 1;
  const SitePair write_first{MakeSite("?", kind, true), MakeSite("?", kind, false)};
  for (const char* spec : {"conflict", "pos-hold"}) {
    auto s = MakeStrategy(spec);
    ASSERT_TRUE(s.ok()) << spec;
    int first_run = -1;
    for (int run = 0; run < 20 && first_run < 0; ++run) {
      RunModel(**s, static_cast<uint64_t>(run) + 1, LateWriter());
      if ((*s)->exploration()->corpus.HasPair(write_first)) first_run = run;
    }
    // Run 0 sees read -> write; a later run holds the reader back before its read.
    EXPECT_GT(first_run, 0) << spec;
    std::printf("write before read: %s from run %d\n", spec, first_run);
  }
}

// A reader reads `flag` once; a writer makes 12 unrelated writes, writes `flag`, and makes 12
// more. `*seen` receives the writer's count of finished writes at the moment of the read (25: the
// writer had ended).
Model ReadDuringWrites(std::shared_ptr<int> seen) {
  return [seen](Engine& e) -> std::shared_ptr<void> {
    struct State {
      Tracked<int> flag;
      Tracked<int> busy;
      int done = 0;  // the writer's progress; plain: read without a schedule point
    };
    auto st = std::make_shared<State>();
    st->flag.SetLabel("flag");
    e.Spawn("reader", [st, seen] {
      (void)st->flag.Get();
      *seen = st->done;
    });
    e.Spawn("writer", [st] {
      for (int k = 0; k < 12; ++k, ++st->done) st->busy.Set(k);
      st->flag.Set(1);
      ++st->done;
      for (int k = 0; k < 12; ++k, ++st->done) st->busy.Set(k);
    });
    return st;
  };
}

// pos-hold's two hold lengths: once the corpus has seen read -> write on `flag` (and never the
// reverse), the reader is held at its read until the write has run; then half the runs go on
// holding it to the end of the writer, the other half are POS's again and let it read among the
// writer's last writes.
TEST(Exploration, PosHoldHoldsForTheWholeRunOrUntilTheFirstSecondSide) {
  const uint64_t kind = Rng::Hash("flag") | 1;
  const SitePair read_first{MakeSite("?", kind, false), MakeSite("?", kind, true)};
  int whole = 0, short_hold = 0, primed = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    PosScheduler s(/*hold_back=*/true);
    auto seen = std::make_shared<int>(-1);
    // A first run with no corpus holds nothing; keep priming runs until the read came first.
    for (uint64_t prime = 1000 * seed; prime < 1000 * seed + 20; ++prime) {
      if (s.exploration()->corpus.HasPair(read_first)) break;
      RunModel(s, prime, ReadDuringWrites(seen));
    }
    const Corpus& corpus = s.exploration()->corpus;
    if (!corpus.HasPair(read_first) || corpus.HasPair(read_first.Reversed())) continue;
    ++primed;
    RunModel(s, seed, ReadDuringWrites(seen));
    EXPECT_GE(*seen, 13) << "seed " << seed << ": the reader read before the write it was held for";
    if (*seen == 25) ++whole;
    if (*seen >= 13 && *seen < 25) ++short_hold;
  }
  EXPECT_GE(primed, 30);
  EXPECT_GT(whole, 0);
  EXPECT_GT(short_hold, 0);
  std::printf("pos-hold over %d primed runs: held to the end %d, released after the write %d\n",
              primed, whole, short_hold);
}

std::vector<std::unique_ptr<Strategy>> LearningStrategies() {
  std::vector<std::unique_ptr<Strategy>> out;
  for (const char* spec : {"pos", "pos-hold", "surw", "conflict", "auto"}) {
    auto s = MakeStrategy(spec);
    EXPECT_TRUE(s.ok()) << spec;
    EXPECT_FALSE((*s)->SeedReproduces()) << spec;
    out.push_back(std::move(*s));
  }
  return out;
}

TEST(Exploration, LearningStrategiesFindTheLostUpdateAndReplayIt) {
  for (auto& s : LearningStrategies()) {
    int found = 0;
    bool replayed = false;
    for (uint64_t seed = 1; seed <= 200; ++seed) {
      Outcome o = RunModel(*s, seed, LostUpdate(false, Gap::kYield));
      if (o.Find("deferred-lists") == nullptr) continue;
      ++found;
      if (!replayed) {
        ExpectReplays(o, seed, LostUpdate(false, Gap::kYield), "deferred-lists");
        replayed = true;
      }
    }
    EXPECT_GT(found, 0) << s->Name();
    std::printf("lost update over 200 runs: %s %d hits\n", s->Name().c_str(), found);
  }
}

TEST(Exploration, LearningStrategiesStaySilentOnTheLockedTwin) {
  for (auto& s : LearningStrategies()) {
    for (uint64_t seed = 1; seed <= 100; ++seed) {
      EXPECT_TRUE(RunModel(*s, seed, LostUpdate(true, Gap::kYield)).result.findings.empty()) << s->Name();
      EXPECT_TRUE(RunModel(*s, seed, ListAdders(true)).result.findings.empty()) << s->Name();
    }
  }
}

TEST(Exploration, LearningStrategiesOnTheOrderingBug) {
  // Counted, not bounded: what each learning strategy makes of the depth-2 toy in 400 runs.
  for (auto& s : LearningStrategies()) {
    int hits = 0;
    for (uint64_t seed = 1; seed <= 400; ++seed) hits += RunModel(*s, seed, OrderingBug()).Find("domain-alloc-uninit") != nullptr;
    std::printf("ordering bug over 400 runs: %s %d hits\n", s->Name().c_str(), hits);
    if (s->Name() == "auto") {
      EXPECT_GT(hits, 0);
    }
  }
}

TEST(Exploration, AutoRepeatsItsChoicesForTheSameSeeds) {
  AutoScheduler first, second;
  std::set<std::string> arms;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    const Outcome a = RunModel(first, seed, ListAdders(false));
    const Outcome b = RunModel(second, seed, ListAdders(false));
    ASSERT_EQ(a.schedule, b.schedule) << seed;
    ASSERT_EQ(a.result.trace_hash, b.result.trace_hash) << seed;
    ASSERT_EQ(first.Arm(), second.Arm());
    arms.insert(first.Arm());
  }
  // No arm starves: 60 runs reach all three.
  EXPECT_EQ(arms.size(), 3u);
}

// Three tasks making n, 2n and 3n accesses to their own fields, a yield after each.
Model UnevenWorkers(int n) {
  return [n](Engine& e) -> std::shared_ptr<void> {
    auto st = std::make_shared<std::array<Tracked<int>, 3>>();
    for (int i = 0; i < 3; ++i) {
      e.Spawn("worker" + std::to_string(i), [st, i, n] {
        for (int k = 0; k < n * (i + 1); ++k) {
          (*st)[static_cast<size_t>(i)].Set(k);
          Yield();
        }
      });
    }
    return st;
  };
}

// surw weighs a task by the events it has left, estimated from surw's own runs: runs another
// strategy made on the same corpus (in auto, the other arms'), here with far fewer events per
// task, change none of its choices. (Estimated from the corpus, the short runs flattened surw to
// a plain random walk inside auto.)
TEST(Exploration, SurwWeighsTasksByItsOwnRunsOnly) {
  SurwScheduler alone, shared;
  PosScheduler other;
  other.Share(shared.exploration());
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    RunModel(alone, seed, UnevenWorkers(10));
    RunModel(shared, seed, UnevenWorkers(10));
    RunModel(other, seed, UnevenWorkers(1));
  }
  for (uint64_t seed = 4; seed <= 10; ++seed) {
    EXPECT_EQ(RunModel(alone, seed, UnevenWorkers(10)).schedule,
              RunModel(shared, seed, UnevenWorkers(10)).schedule)
        << seed;
  }
}

// ---- Determinism of a bigger toy: timers, delayed and plain work, async, locks, sleeps.
Model BusyWorld() {
  return [](Engine& e) -> std::shared_ptr<void> {
    struct State {
      Mutex lock{"world_lock"};
      Tracked<int> counter;
      Completion ready{"ready"};
      AsyncDomain async{"async"};
      std::unique_ptr<Work> work;
      std::unique_ptr<DelayedWork> dwork;
    };
    auto st = std::make_shared<State>();
    State* raw = st.get();
    st->work = std::make_unique<Work>("toy_work", [raw] {
      TraceSpan span("toy.0", "toy_work_fn");
      MutexLock g(raw->lock);
      raw->counter.Set(raw->counter.Get() + 1);
    });
    st->dwork = std::make_unique<DelayedWork>("toy_dwork", [raw] {
      TraceLog("toy.0", "toy_dwork_fn", std::to_string(Now()));
      raw->work->Queue();
    });
    Rng& rng = e.model_rng();
    for (int i = 0; i < 6; ++i) {
      const int64_t sleep_ms = rng.Between(0, 20);
      e.Spawn("client" + std::to_string(i), [st, sleep_ms, i] {
        TraceSpan span("toy.0", "client");
        Msleep(sleep_ms);
        st->work->Queue();
        if (i % 2 == 0) st->dwork->Schedule((i + 1) * kMsec);
        st->async.Schedule("a" + std::to_string(i), [st] {
          MutexLock g(st->lock);
          st->counter.Set(st->counter.Get() + 10);
        });
        if (i == 5) st->ready.Complete();
      });
    }
    e.Spawn("waiter", [st] {
      st->ready.Wait();
      st->async.SynchronizeFull();
      st->dwork->Flush();
      st->work->Flush();
      MutexLock g(st->lock);  // clients may still queue the work: read under the lock
      TraceLog("toy.0", "done", std::to_string(st->counter.Get()));
    });
    e.StartTimer(7 * kMsec, "timer/toy", [st] { TraceLog("toy.0", "timer", std::to_string(Now())); });
    return st;
  };
}

TEST(Exploration, SameSeedSameTraceHashWithTimersAndWorkqueues) {
  RandomScheduler s;
  const Outcome first = RunModel(s, 42, BusyWorld(), /*race_detection=*/true);
  EXPECT_EQ(first.result.ending, Ending::kQuiescent);
  for (const auto& f : first.result.findings) ADD_FAILURE() << f.invariant << ": " << f.message << "\n" << f.detail;
  EXPECT_GT(first.result.tasks, 8u);
  for (int i = 0; i < 100; ++i) {
    const Outcome again = RunModel(s, 42, BusyWorld(), true);
    ASSERT_EQ(again.result.trace_hash, first.result.trace_hash) << i;
    ASSERT_EQ(again.result.steps, first.result.steps) << i;
    ASSERT_EQ(again.result.virtual_time, first.result.virtual_time) << i;
  }
  // And the seed matters: some other seed gives another trace.
  bool differs = false;
  for (uint64_t seed = 1; seed <= 10 && !differs; ++seed) {
    differs = RunModel(s, seed, BusyWorld(), true).result.trace_hash != first.result.trace_hash;
  }
  EXPECT_TRUE(differs);
}

}  // namespace
}  // namespace probestorm::harness
