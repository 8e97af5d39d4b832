// SurwScheduler: selectively uniform random walk (after the ASPLOS 2025 paper behind Fray's SURW).
//
// A uniform random walk over interleavings picks each task with probability proportional to the
// events it has left; SURW counts only events of interest, here the accesses to shared state
// (tracked fields, atomics, locks). How many a task has left is estimated from the earlier runs
// of the job: the fewest the task (by spawn order) made in one run, minus what it did so far this
// run, at least 1. Before any run every weight is 1: a plain random walk.
#ifndef PROBESTORM_HARNESS_SCHED_SURW_SCHEDULER_H_
#define PROBESTORM_HARNESS_SCHED_SURW_SCHEDULER_H_

#include "harness/rng.h"
#include "harness/sched/strategy.h"

namespace probestorm::harness {

class SurwScheduler final : public ExploringStrategy {
 public:
  void Begin(uint64_t seed) override { rng_ = Rng(seed).Fork("sched/surw"); }
  size_t Pick(const SchedView& view) override;
  std::string Name() const override { return "surw"; }

 private:
  Rng rng_{0};
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SCHED_SURW_SCHEDULER_H_
