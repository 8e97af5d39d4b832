// DfsScheduler: exhaustive depth-first search over schedules with at most P preemptions
// (a switch away from a task that could have continued), by re-execution: each run follows the
// recorded prefix and then takes the non-preempting choice; Next() backtracks to the deepest choice
// point with an untried alternative within the bound. Next() returns false once the space is
// exhausted. For small configurations only: the space grows as (points^P).
#ifndef PROBESTORM_HARNESS_SCHED_DFS_SCHEDULER_H_
#define PROBESTORM_HARNESS_SCHED_DFS_SCHEDULER_H_

#include <vector>

#include "harness/sched/strategy.h"

namespace probestorm::harness {

class DfsScheduler final : public Strategy {
 public:
  explicit DfsScheduler(int preemption_bound) : bound_(preemption_bound) {}

  void Begin(uint64_t seed) override { depth_ = 0; }
  size_t Pick(const SchedView& view) override;
  bool Next() override;
  std::string Name() const override;
  uint64_t runs() const { return runs_; }
  bool exhausted() const { return exhausted_; }

 private:
  struct Frame {
    std::vector<uint32_t> order;  // alternatives, the non-preempting one first
    size_t pos = 0;               // current alternative in `order`
    int current_idx = -1;         // index of the running task in runnable, -1 if none
    int preemptions_before = 0;
  };
  static bool IsPreemption(const Frame& f, uint32_t choice) {
    return f.current_idx >= 0 && choice != static_cast<uint32_t>(f.current_idx);
  }

  int bound_;
  std::vector<Frame> stack_;
  size_t depth_ = 0;
  uint64_t runs_ = 0;
  bool exhausted_ = false;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SCHED_DFS_SCHEDULER_H_
