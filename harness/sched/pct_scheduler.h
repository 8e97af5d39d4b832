// PctScheduler: Probabilistic Concurrency Testing (Burckhardt et al., ASPLOS 2010) with depth D.
//
// Each task gets a random priority at spawn; the highest-priority runnable task always runs.
// D-1 change points are drawn uniformly over the first K shared schedule points; when the run
// reaches one, the running task's priority drops below every initial priority. Only kShared points
// count, so the bound keeps its meaning when thousands of tasks do local work. A bug of depth d is
// found with probability >= 1/(n k^(d-1)) per run.
#ifndef PROBESTORM_HARNESS_SCHED_PCT_SCHEDULER_H_
#define PROBESTORM_HARNESS_SCHED_PCT_SCHEDULER_H_

#include <vector>

#include "harness/rng.h"
#include "harness/sched/strategy.h"

namespace probestorm::harness {

class PctScheduler final : public Strategy {
 public:
  // `depth` >= 1; `steps` = K, the expected number of shared points of a run.
  PctScheduler(int depth, uint64_t steps) : depth_(depth), steps_(steps) {}

  void Begin(uint64_t seed) override;
  void OnSpawn(TaskId t) override;
  size_t Pick(const SchedView& view) override;
  std::string Name() const override;

 private:
  int depth_;
  uint64_t steps_;
  Rng rng_{0};
  std::vector<uint64_t> priority_;      // by TaskId
  std::vector<uint64_t> change_points_; // sorted shared-step numbers
  size_t next_change_ = 0;
  uint64_t last_shared_ = 0;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SCHED_PCT_SCHEDULER_H_
