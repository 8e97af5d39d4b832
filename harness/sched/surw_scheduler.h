// SurwScheduler: selectively uniform random walk (after the ASPLOS 2025 paper behind Fray's SURW).
//
// A uniform random walk over interleavings picks each task with probability proportional to the
// events it has left; SURW counts only events of interest, here the accesses to shared state
// (tracked fields, atomics, locks). How many a task has left is estimated from the earlier runs
// of the job: the fewest the task (by spawn order) made in one run, minus what it did so far this
// run, at least 1. Before any run every weight is 1: a plain random walk.
//
// The estimate counts only SURW's own runs, not the job corpus's (which, in a portfolio, holds
// every arm's runs): the other arms' runs spawn tasks in other orders and set a task slot's fewest
// events near 0, which flattens the weights to a plain random walk. In `auto` that took s3-marek
// from 2.5 to 137.5 median runs beside conflict and to not found beside random (ci/bench
// detection, runs table, 10 seeds).
#ifndef PROBESTORM_HARNESS_SCHED_SURW_SCHEDULER_H_
#define PROBESTORM_HARNESS_SCHED_SURW_SCHEDULER_H_

#include <vector>

#include "harness/rng.h"
#include "harness/sched/strategy.h"

namespace probestorm::harness {

class SurwScheduler final : public ExploringStrategy {
 public:
  void Begin(uint64_t seed) override { rng_ = Rng(seed).Fork("sched/surw"); }
  size_t Pick(const SchedView& view) override;
  std::string Name() const override { return "surw"; }

 protected:
  void Learn(const RunYield& yield) override;

 private:
  Rng rng_{0};
  // By TaskId (spawn order): the fewest events the task made in one of this strategy's runs where
  // it made any; 0 before. The fewest, not the average: a task that polled a flag in one run would
  // otherwise weigh more in the next, poll longer still, and feed its own estimate (runs of
  // minutes).
  std::vector<uint64_t> expected_;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SCHED_SURW_SCHEDULER_H_
