// ConflictScheduler: conflict-directed scheduling, after Snowboard/Snowcat (pairs of accesses as
// scheduling hints) and RFF (mutating the schedules that produced new coverage).
//
// Each run picks up to two target pairs from the corpus (HoldBack: a -> b seen, b -> a never).
// Tasks run by random priority as in PCT; a task about to make access a steps back below every
// other task (once per task), and a task about to make access b runs at once, so that b may come
// first. Half the runs that have a productive schedule in the corpus first follow one up to a
// random point, take a different choice there, and go on as above (a mutated prefix). One random
// change point, as in PCT depth 2, varies the rest. A run far longer than the job's average goes
// on with random picks (a priority livelock, as PCT can meet, would otherwise spin to max_steps).
//
// Replay needs no corpus: the choices are recorded like any other strategy's.
#ifndef PROBESTORM_HARNESS_SCHED_CONFLICT_SCHEDULER_H_
#define PROBESTORM_HARNESS_SCHED_CONFLICT_SCHEDULER_H_

#include <vector>

#include "harness/rng.h"
#include "harness/sched/hold_back.h"
#include "harness/sched/strategy.h"

namespace probestorm::harness {

class ConflictScheduler final : public ExploringStrategy {
 public:
  void Begin(uint64_t seed) override;
  void OnSpawn(TaskId t) override;
  size_t Pick(const SchedView& view) override;
  std::string Name() const override { return "conflict"; }

 private:
  Rng rng_{0};
  HoldBack targets_;
  std::vector<uint32_t> prefix_;       // choices to follow; then one different choice
  size_t pos_ = 0;
  std::vector<uint64_t> priority_;     // by TaskId
  std::vector<bool> demoted_;          // by TaskId
  uint64_t lowest_ = 0;                // next priority of a demoted task (below all others)
  uint64_t change_point_ = 0;          // shared step of the PCT change point
  uint64_t stuck_after_ = 0;           // shared steps after which the picks are random
  bool changed_ = false;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SCHED_CONFLICT_SCHEDULER_H_
