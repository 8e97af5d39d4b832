// ReplayScheduler: follows a recorded Schedule choice by choice. Diverged() reports a choice that
// does not fit the runnable set, or a run that ended before or after the recording did: the model,
// profile or board is not the one that recorded it.
#ifndef PROBESTORM_HARNESS_SCHED_REPLAY_SCHEDULER_H_
#define PROBESTORM_HARNESS_SCHED_REPLAY_SCHEDULER_H_

#include "harness/sched/schedule.h"
#include "harness/sched/strategy.h"

namespace probestorm::harness {

class ReplayScheduler final : public Strategy {
 public:
  explicit ReplayScheduler(SharedSchedule s)
      : schedule_(s ? std::move(s) : std::make_shared<const Schedule>()) {}

  void Begin(uint64_t seed) override {
    pos_ = 0;
    diverged_ = false;
  }
  size_t Pick(const SchedView& view) override {
    if (pos_ >= schedule_->choices.size()) {
      diverged_ = true;
      return 0;
    }
    const uint32_t c = schedule_->choices[pos_++];
    if (c >= view.runnable.size()) {
      diverged_ = true;
      return 0;
    }
    return c;
  }
  bool Diverged() const override { return diverged_ || pos_ != schedule_->choices.size(); }
  std::string Name() const override { return "replay"; }

 private:
  SharedSchedule schedule_;  // never null
  size_t pos_ = 0;
  bool diverged_ = false;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SCHED_REPLAY_SCHEDULER_H_
