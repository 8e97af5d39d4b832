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

size_t PosScheduler::Pick(const SchedView& view) {
  if (last_ != kNoTask) Redraw(last_);
  for (TaskId t : view.runnable) {
    if (t >= priority_.size() || priority_[t] == 0) Redraw(t);
  }
  const size_t n = view.runnable.size();
  // The runnable task of highest priority, among those not held back if `unheld`; n if none.
  auto highest = [&](bool unheld) {
    size_t best = n;
    for (size_t i = 0; i < n; ++i) {
      const TaskId t = view.runnable[i];
      if (unheld && held_[t]) continue;
      if (best == n || priority_[t] > priority_[view.runnable[best]]) best = i;
    }
    return best;
  };
  size_t best = n;
  if (holding_) {
    // Every task at a first side is held from now on, the one picked now included (a site can
    // be the second side of one target and the first of another).
    for (size_t i = 0; i < n; ++i) {
      const TaskId t = view.runnable[i];
      if (held_.size() <= t) held_.resize(t + 1, false);
      const ConflictRecorder::Pending& p = recorder().PendingOf(t);
      if (p.object == 0) continue;
      if (best == n && targets_.Hurries(p.site)) best = i;
      if (targets_.Delays(p.site)) held_[t] = true;
    }
    if (best < n) {
      if (short_hold_) holding_ = false;  // a second side ran: the rest of the run is POS's
    } else {
      best = highest(/*unheld=*/true);
    }
  }
  if (best == n) best = highest(/*unheld=*/false);
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
