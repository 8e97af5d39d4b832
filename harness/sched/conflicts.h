// Conflicts: what the exploring strategies learn from (POS, SURW, conflict-directed, auto).
//
// A site is a static place of the model that touches shared state: the model function the task
// is in, the kind of the field (the label's literal part, " dev->iommu", never the owner's name)
// or the lock class, and whether it writes. Sites are hashes of that text, so they mean the same
// thing in every run, on every machine and compiler.
//
// ConflictRecorder (one per run, filled by Tracked<T>, Atomic<T> and Mutex through
// Engine::conflicts()):
//  * the access each task is about to make (announced before its schedule point): what POS and
//    the conflict-directed strategy look at when they pick;
//  * the run's conflicting pairs: an access, then a later access of the same object by another
//    task, at least one of them a write, as the ordered pair of their sites;
//  * reads-from edges: the site of the write a read saw, and the read's site (other task).
//
// Corpus (one per job of a campaign, kept across its runs): every pair and edge seen, the schedule
// prefixes of runs that found new ones, and per task (by spawn order) the fewest accesses it made
// in a run. It depends only on the runs of its job in order, so a campaign seed and
// job layout give the same corpus.
//
// Thread-safety: none; one recorder and one corpus per OS thread.
#ifndef PROBESTORM_HARNESS_SCHED_CONFLICTS_H_
#define PROBESTORM_HARNESS_SCHED_CONFLICTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "harness/engine.h"
#include "harness/sched/schedule.h"

namespace probestorm::harness {

using SiteId = uint64_t;

// The site of an access in `func` to a field of kind `kind` (or a lock of class `kind`).
SiteId MakeSite(std::string_view func, uint64_t kind_hash, bool write);
SiteId SiteOfHashes(uint64_t func_hash, uint64_t kind_hash, bool write);
inline bool SiteWrites(SiteId s) { return (s & 1) != 0; }

// An ordered pair of sites: `first` happened before `second` on the same object.
struct SitePair {
  SiteId first = 0;
  SiteId second = 0;
  uint64_t Key() const;
  SitePair Reversed() const { return {second, first}; }
};

// Names one shared object (a field, an atomic, a lock) for the recorder: a number given at the
// object's first recorded access in a run, in access order. Objects are not told apart by address,
// which malloc may reuse differently from one run (or machine) to the next.
class ConflictTag {
 private:
  friend class ConflictRecorder;
  mutable uint64_t epoch_ = 0;
  mutable uint32_t id_ = 0;
};

class ConflictRecorder {
 public:
  using ObjectId = uint32_t;  // 1.. in order of first access; 0: none
  struct Pending {
    ObjectId object = 0;  // 0: the task's next step is no announced access
    SiteId site = 0;
  };

  void BeginRun();
  ObjectId IdOf(const ConflictTag& tag) {
    if (tag.epoch_ != epoch_) {
      tag.epoch_ = epoch_;
      tag.id_ = static_cast<ObjectId>(objects_.size());
      objects_.emplace_back();
    }
    return tag.id_;
  }
  // MakeSite for a function name that stays put for the run (Trace::CurrentFunction), its hash
  // computed once per run.
  SiteId Site(const char* func, uint64_t kind_hash, bool write) {
    return SiteOfHashes(TextHash(func), kind_hash, write);
  }
  // Rng::Hash of a text that stays put for the run (a function name, a lock class), cached.
  uint64_t TextHash(const char* text);
  // Task `t` is about to access `object` at `site` (before the schedule point of the access).
  void Announce(TaskId t, ObjectId object, SiteId site);
  // The access happened.
  void Access(TaskId t, ObjectId object, SiteId site);

  const Pending& PendingOf(TaskId t) const { return t < pending_.size() ? pending_[t] : kNone; }
  uint64_t EventsOf(TaskId t) const { return t < events_.size() ? events_[t] : 0; }
  size_t TaskSlots() const { return events_.size(); }
  // This run's distinct pairs and reads-from edges, in the order they first happened.
  const std::vector<SitePair>& pairs() const { return pairs_; }
  const std::vector<SitePair>& reads_from() const { return rf_; }

 private:
  struct ObjectState {
    TaskId writer = kNoTask;
    SiteId write_site = 0;
    absl::InlinedVector<std::pair<TaskId, SiteId>, 2> readers;  // since the last write, distinct, capped
  };
  void AddPair(SiteId a, SiteId b);

  static const Pending kNone;
  std::vector<Pending> pending_;  // by task
  std::vector<uint64_t> events_;  // accesses by task
  uint64_t epoch_ = 0;                // unique to this run of this recorder (process-wide)
  std::vector<ObjectState> objects_;  // by ObjectId; [0] unused
  absl::flat_hash_map<const char*, uint64_t> text_hash_;
  absl::flat_hash_set<uint64_t> seen_pairs_, seen_rf_;
  std::vector<SitePair> pairs_, rf_;
};

// What a run taught the corpus.
struct RunYield {
  uint64_t new_pairs = 0;
  uint64_t new_reads_from = 0;
  bool violated = false;
  bool new_kind = false;  // a violation of a kind (its finding's signature) this job had not seen
  uint64_t steps = 0;          // the run's schedule points: what it cost
};

class Corpus {
 public:
  // Merges a finished run; `schedule` is its choices, kept as a productive prefix if it was new;
  // `violated` the kinds of its violations (invariant and finding signature).
  RunYield Merge(const ConflictRecorder& run, const Schedule& schedule, uint64_t shared_steps,
                 const std::vector<std::string>& violated);

  uint64_t runs() const { return runs_; }
  size_t pair_count() const { return pairs_.size(); }
  size_t reads_from_count() const { return rf_.size(); }
  bool HasPair(const SitePair& p) const { return pair_keys_.contains(p.Key()); }
  const std::vector<SitePair>& pairs() const { return pairs_; }
  // Schedules of runs that found new pairs (the newest kMaxPrefixes).
  const std::vector<Schedule>& productive() const { return productive_; }
  // Average kShared schedule points of a run so far (each run at most twice the average before it).
  double ExpectedSharedSteps() const { return shared_steps_; }

  static constexpr size_t kMaxPrefixes = 64;

 private:
  uint64_t runs_ = 0;
  absl::flat_hash_set<uint64_t> pair_keys_, rf_keys_;
  std::vector<SitePair> pairs_, rf_;
  std::vector<Schedule> productive_;
  size_t next_slot_ = 0;
  double shared_steps_ = 0;
  absl::flat_hash_set<std::string> kinds_;
};

// A job's recorder and corpus, shared by the strategies of a portfolio.
struct Exploration {
  ConflictRecorder recorder;
  Corpus corpus;
  RunYield last;  // what the last run taught
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SCHED_CONFLICTS_H_
