// PosScheduler: partial order sampling (Yuan, Yang, Gu; CAV 2018).
//
// Every pending event (the next step of a runnable task) carries a random priority, and the
// highest-priority event runs. When an event runs, the next event of its task draws a fresh
// priority, and so does every pending event that conflicts with it (same object, at least one
// write): those are the events whose order relative to it the choice just decided, and redrawing
// them spreads runs evenly over the partial orders instead of over interleavings. The pending
// accesses come from the ConflictRecorder; a task whose next step is no announced access (a
// yield, a wake-up) conflicts with nothing.
#ifndef PROBESTORM_HARNESS_SCHED_POS_SCHEDULER_H_
#define PROBESTORM_HARNESS_SCHED_POS_SCHEDULER_H_

#include <vector>

#include "harness/rng.h"
#include "harness/sched/strategy.h"

namespace probestorm::harness {

class PosScheduler final : public ExploringStrategy {
 public:
  void Begin(uint64_t seed) override;
  size_t Pick(const SchedView& view) override;
  std::string Name() const override { return "pos"; }

 private:
  void Redraw(TaskId t);

  Rng rng_{0};
  std::vector<uint64_t> priority_;  // by TaskId; 0 = not drawn yet
  TaskId last_ = kNoTask;           // the task picked last: it has run an event since
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SCHED_POS_SCHEDULER_H_
