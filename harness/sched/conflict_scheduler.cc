#include "harness/sched/conflict_scheduler.h"

#include <algorithm>
#include <cstdint>

namespace probestorm::harness {
namespace {

constexpr uint64_t kLow = uint64_t{1} << 40;  // demoted priorities count down from here
// A run this many times longer (in shared steps) than the job's average is taken to be stuck in a
// priority livelock (a high-priority task polling, or spawning work, for something only a
// demoted task can do): from there on the picks are random. 4 rather than 8: on the
// double-iommu-probe board half as many runs to the first finding (ci/bench detection, 10 seeds:
// 42 against 105), the same on every other target; 2 cut the long holds the lost trigger needs.
constexpr double kStuckFactor = 4;
constexpr uint64_t kStuckFirstRun = 2'000'000;  // before the job has an average

}  // namespace

void ConflictScheduler::Begin(uint64_t seed) {
  rng_ = Rng(seed).Fork("sched/conflict");
  prefix_.clear();
  pos_ = 0;
  priority_.assign(1, 0);
  demoted_.assign(1, false);
  lowest_ = kLow;
  changed_ = false;
  targets_.Begin(corpus(), rng_);
  const std::vector<Schedule>& productive = corpus().productive();
  if (!productive.empty() && rng_.Chance(1, 2)) {
    const std::vector<uint32_t>& c = productive[rng_.Below(productive.size())].choices;
    prefix_.assign(c.begin(), c.begin() + static_cast<ptrdiff_t>(rng_.Below(c.size()) + 1));
  }
  const auto steps = static_cast<uint64_t>(std::max(1.0, corpus().ExpectedSharedSteps()));
  change_point_ = 1 + rng_.Below(steps);
  stuck_after_ = corpus().runs() == 0 ? kStuckFirstRun
                                      : static_cast<uint64_t>(kStuckFactor * static_cast<double>(steps));
}

void ConflictScheduler::OnSpawn(TaskId t) {
  if (priority_.size() <= t) {
    priority_.resize(t + 1, 0);
    demoted_.resize(t + 1, false);
  }
  priority_[t] = (rng_.Next() >> 8) | (uint64_t{1} << 56);
}

size_t ConflictScheduler::Pick(const SchedView& view) {
  const size_t n = view.runnable.size();
  if (pos_ < prefix_.size()) {
    const uint32_t c = prefix_[pos_++];
    if (c < n) {
      if (pos_ < prefix_.size()) return c;
      return (c + 1 + rng_.Below(n - 1)) % n;  // the mutation: a different choice at the end
    }
    prefix_.clear();  // the run left the recorded path: go on by priority
  }
  if (view.shared_step > stuck_after_) return rng_.Below(n);
  if (!changed_ && view.shared_step >= change_point_) {
    changed_ = true;
    if (view.current != kNoTask && view.current < priority_.size()) priority_[view.current] = --lowest_;
  }
  const ConflictRecorder& rec = recorder();
  if (!targets_.empty()) {
    for (size_t i = 0; i < n; ++i) {
      const ConflictRecorder::Pending& p = rec.PendingOf(view.runnable[i]);
      if (p.object != 0 && targets_.Hurries(p.site)) return i;
    }
  }
  while (true) {
    size_t best = 0;
    for (size_t i = 1; i < n; ++i) {
      if (priority_[view.runnable[i]] > priority_[view.runnable[best]]) best = i;
    }
    const TaskId t = view.runnable[best];
    const ConflictRecorder::Pending& p = rec.PendingOf(t);
    if (demoted_[t] || p.object == 0 || !targets_.Delays(p.site)) return best;
    demoted_[t] = true;
    priority_[t] = --lowest_;
  }
}

}  // namespace probestorm::harness
