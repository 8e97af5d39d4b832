#include "harness/sched/dfs_scheduler.h"

#include "absl/strings/str_cat.h"

namespace probestorm::harness {

size_t DfsScheduler::Pick(const SchedView& view) {
  const size_t n = view.runnable.size();
  if (depth_ < stack_.size()) {
    Frame& f = stack_[depth_++];
    const uint32_t c = f.order[f.pos];
    return c < n ? c : 0;  // a different choice count means the model is not deterministic
  }
  Frame f;
  for (size_t i = 0; i < n; ++i) {
    if (view.runnable[i] == view.current) f.current_idx = static_cast<int>(i);
  }
  const uint32_t first = f.current_idx >= 0 ? static_cast<uint32_t>(f.current_idx) : 0;
  f.order.push_back(first);
  for (uint32_t i = 0; i < n; ++i) {
    if (i != first) f.order.push_back(i);
  }
  if (!stack_.empty()) {
    const Frame& prev = stack_.back();
    f.preemptions_before = prev.preemptions_before + (IsPreemption(prev, prev.order[prev.pos]) ? 1 : 0);
  }
  stack_.push_back(std::move(f));
  ++depth_;
  return first;
}

bool DfsScheduler::Next() {
  ++runs_;
  while (!stack_.empty()) {
    Frame& f = stack_.back();
    while (++f.pos < f.order.size()) {
      const int p = f.preemptions_before + (IsPreemption(f, f.order[f.pos]) ? 1 : 0);
      if (p <= bound_) return true;
    }
    stack_.pop_back();
  }
  exhausted_ = true;
  return false;
}

std::string DfsScheduler::Name() const { return absl::StrCat("dfs:", bound_); }

}  // namespace probestorm::harness
