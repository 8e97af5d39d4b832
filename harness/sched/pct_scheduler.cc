#include "harness/sched/pct_scheduler.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace probestorm::harness {

void PctScheduler::Begin(uint64_t seed) {
  rng_ = Rng(seed).Fork("sched/pct");
  priority_.assign(1, 0);
  change_points_.clear();
  for (int i = 1; i < depth_; ++i) change_points_.push_back(1 + rng_.Below(std::max<uint64_t>(steps_, 1)));
  std::sort(change_points_.begin(), change_points_.end());
  next_change_ = 0;
  last_shared_ = 0;
}

void PctScheduler::OnSpawn(TaskId t) {
  if (priority_.size() <= t) priority_.resize(t + 1, 0);
  // Initial priorities lie above every change-point priority (1..depth-1).
  priority_[t] = (rng_.Next() >> 8) | (uint64_t{1} << 56);
}

size_t PctScheduler::Pick(const SchedView& view) {
  // Apply every change point passed since the last pick to the task that was running.
  while (next_change_ < change_points_.size() && change_points_[next_change_] <= view.shared_step) {
    if (view.current != kNoTask && view.current < priority_.size()) {
      priority_[view.current] = static_cast<uint64_t>(depth_ - 1 - static_cast<int>(next_change_));
    }
    ++next_change_;
  }
  last_shared_ = view.shared_step;
  size_t best = 0;
  for (size_t i = 1; i < view.runnable.size(); ++i) {
    if (priority_[view.runnable[i]] > priority_[view.runnable[best]]) best = i;
  }
  return best;
}

std::string PctScheduler::Name() const { return absl::StrCat("pct:", depth_); }

}  // namespace probestorm::harness
