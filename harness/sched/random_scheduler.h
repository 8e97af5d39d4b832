// RandomScheduler: at every choice point, a uniformly random runnable task.
#ifndef PROBESTORM_HARNESS_SCHED_RANDOM_SCHEDULER_H_
#define PROBESTORM_HARNESS_SCHED_RANDOM_SCHEDULER_H_

#include "harness/rng.h"
#include "harness/sched/strategy.h"

namespace probestorm::harness {

class RandomScheduler final : public Strategy {
 public:
  void Begin(uint64_t seed) override { rng_ = Rng(seed).Fork("sched/random"); }
  size_t Pick(const SchedView& view) override { return rng_.Below(view.runnable.size()); }
  std::string Name() const override { return "random"; }

 private:
  Rng rng_{0};
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SCHED_RANDOM_SCHEDULER_H_
