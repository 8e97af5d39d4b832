// AutoScheduler: a portfolio of strategies (random, pos, surw, conflict, pct:3) run by a bandit
// over their recent yield. (pct:2 is left out: pct:3 found every target of `ci/bench detection`
// sooner.)
//
// Before each run one arm is chosen: one run in three goes to an arm drawn uniformly (no arm is
// ever starved), every arm gets a first run, and otherwise the arm with the best recent reward
// plus an exploration bonus (shrinking with the arm's runs) runs. The reward of a run is its new conflict pairs (relative to the
// job's corpus, which all arms share) and its violations, most for an invariant the job had not
// seen. All draws come from the run seed, so a campaign seed and job layout repeat exactly.
#ifndef PROBESTORM_HARNESS_SCHED_AUTO_SCHEDULER_H_
#define PROBESTORM_HARNESS_SCHED_AUTO_SCHEDULER_H_

#include <memory>
#include <vector>

#include "harness/sched/strategy.h"

namespace probestorm::harness {

class AutoScheduler final : public ExploringStrategy {
 public:
  AutoScheduler();

  void Begin(uint64_t seed) override;
  void OnSpawn(TaskId t) override { arms_[current_].strategy->OnSpawn(t); }
  size_t Pick(const SchedView& view) override { return arms_[current_].strategy->Pick(view); }
  std::string Name() const override { return "auto"; }
  std::string Arm() const override { return arms_[current_].strategy->Name(); }

 protected:
  void Learn(const RunYield& yield) override;

 private:
  struct ArmState {
    std::unique_ptr<Strategy> strategy;
    uint64_t runs = 0;
    double reward = 0;  // recent average
  };
  size_t Choose(uint64_t seed) const;

  std::vector<ArmState> arms_;
  size_t current_ = 0;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SCHED_AUTO_SCHEDULER_H_
