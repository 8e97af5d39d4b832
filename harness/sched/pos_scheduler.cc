#include "harness/sched/pos_scheduler.h"

namespace probestorm::harness {

void PosScheduler::Begin(uint64_t seed) {
  rng_ = Rng(seed).Fork("sched/pos");
  priority_.clear();
  last_ = kNoTask;
}

void PosScheduler::Redraw(TaskId t) {
  if (priority_.size() <= t) priority_.resize(t + 1, 0);
  priority_[t] = rng_.Next() | 1;
}

size_t PosScheduler::Pick(const SchedView& view) {
  if (last_ != kNoTask) Redraw(last_);
  for (TaskId t : view.runnable) {
    if (t >= priority_.size() || priority_[t] == 0) Redraw(t);
  }
  size_t best = 0;
  for (size_t i = 1; i < view.runnable.size(); ++i) {
    if (priority_[view.runnable[i]] > priority_[view.runnable[best]]) best = i;
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
