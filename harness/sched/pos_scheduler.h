// PosScheduler: partial order sampling (Yuan, Yang, Gu; CAV 2018).
//
// Every pending event (the next step of a runnable task) carries a random priority, and the
// highest-priority event runs. When an event runs, the next event of its task draws a fresh
// priority, and so does every pending event that conflicts with it (same object, at least one
// write): those are the events whose order relative to it the choice just decided, and redrawing
// them spreads runs evenly over the partial orders instead of over interleavings. The pending
// accesses come from the ConflictRecorder; a task whose next step is no announced access (a
// yield, a wake-up) conflicts with nothing.
//
// pos-hold adds conflict's hold-back to the walk (HoldBack): a task about to make the first side
// of a target pair is held back (picked only when every runnable task is held back), and a task
// about to make a second side runs at once. Half the runs (a draw) hold for the whole run, for the
// long delays of one task that only a hold-back finds (a lost trigger); the other half stop
// holding once a second side has run, and are POS's from there, for the fine interleavings a walk
// finds. Every other choice is POS's. (Holding all run long slowed a walk-found window 2.6x,
// holding until the first second side slowed the long delays about 2x: README, time to the first
// finding.)
#ifndef PROBESTORM_HARNESS_SCHED_POS_SCHEDULER_H_
#define PROBESTORM_HARNESS_SCHED_POS_SCHEDULER_H_

#include <vector>

#include "harness/rng.h"
#include "harness/sched/hold_back.h"
#include "harness/sched/strategy.h"

namespace probestorm::harness {

class PosScheduler final : public ExploringStrategy {
 public:
  explicit PosScheduler(bool hold_back = false) : hold_back_(hold_back) {}
  void Begin(uint64_t seed) override;
  size_t Pick(const SchedView& view) override;
  std::string Name() const override { return hold_back_ ? "pos-hold" : "pos"; }

 private:
  void Redraw(TaskId t);

  const bool hold_back_;
  Rng rng_{0};
  std::vector<uint64_t> priority_;  // by TaskId; 0 = not drawn yet
  TaskId last_ = kNoTask;           // the task picked last: it has run an event since
  HoldBack targets_;
  bool holding_ = false;            // targets drawn, and (short_hold_) no second side picked yet
  bool short_hold_ = false;         // this run holds only until the first second side is picked
  std::vector<bool> held_;          // by TaskId
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SCHED_POS_SCHEDULER_H_
