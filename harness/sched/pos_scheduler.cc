#include "harness/sched/pos_scheduler.h"

namespace probestorm::harness {

void PosScheduler::Begin(uint64_t seed) {
  rng_ = Rng(seed).Fork("sched/pos");
  priority_.clear();
  last_ = kNoTask;
  held_.clear();
  holding_ = false;
  if (hold_back_) {
    Rng targets = Rng(seed).Fork("sched/pos-hold");
    targets_.Begin(corpus(), targets);
    holding_ = !targets_.empty();
    short_hold_ = targets.Chance(1, 2);
  }
}

void PosScheduler::Redraw(TaskId t) {
  if (priority_.size() <= t) priority_.resize(t + 1, 0);
  priority_[t] = rng_.Next() | 1;
}

bool PosScheduler::HeldBack(TaskId t) {
  if (held_.size() <= t) held_.resize(t + 1, false);
  if (!held_[t]) {
    const ConflictRecorder::Pending& p = recorder().PendingOf(t);
    if (p.object != 0 && targets_.Delays(p.site)) held_[t] = true;
  }
  return held_[t];
}

size_t PosScheduler::Pick(const SchedView& view) {
  if (last_ != kNoTask) Redraw(last_);
  for (TaskId t : view.runnable) {
    if (t >= priority_.size() || priority_[t] == 0) Redraw(t);
  }
  const size_t n = view.runnable.size();
  size_t best = 0;
  if (holding_) {
    size_t hurry = n;
    bool free_task = false;  // a runnable task that is not held back
    for (size_t i = 0; i < n; ++i) {
      const TaskId t = view.runnable[i];
      const ConflictRecorder::Pending& p = recorder().PendingOf(t);
      if (hurry == n && p.object != 0 && targets_.Hurries(p.site)) hurry = i;
      if (HeldBack(t)) continue;
      if (!free_task || priority_[t] > priority_[view.runnable[best]]) best = i;
      free_task = true;
    }
    if (hurry < n) {
      best = hurry;
      if (short_hold_) holding_ = false;  // the rest of the run is POS's
    } else if (!free_task) {
      for (size_t i = 1; i < n; ++i) {
        if (priority_[view.runnable[i]] > priority_[view.runnable[best]]) best = i;
      }
    }
  } else {
    for (size_t i = 1; i < n; ++i) {
      if (priority_[view.runnable[i]] > priority_[view.runnable[best]]) best = i;
    }
  }
  const TaskId chosen = view.runnable[best];
  const ConflictRecorder::Pending& e = recorder().PendingOf(chosen);
  if (e.object != 0) {
    for (TaskId u : view.runnable) {
      if (u == chosen) continue;
      const ConflictRecorder::Pending& o = recorder().PendingOf(u);
      if (o.object == e.object && (SiteWrites(o.site) || SiteWrites(e.site))) Redraw(u);
    }
  }
  last_ = chosen;
  return best;
}

}  // namespace probestorm::harness
