#include "harness/sched/surw_scheduler.h"

#include "absl/container/inlined_vector.h"

namespace probestorm::harness {

void SurwScheduler::Learn(const RunYield& /*yield*/) {
  const ConflictRecorder& run = recorder();
  if (expected_.size() < run.TaskSlots()) expected_.resize(run.TaskSlots(), 0);
  for (size_t t = 0; t < run.TaskSlots(); ++t) {
    const uint64_t n = run.EventsOf(static_cast<TaskId>(t));
    if (n > 0 && (expected_[t] == 0 || n < expected_[t])) expected_[t] = n;
  }
}

size_t SurwScheduler::Pick(const SchedView& view) {
  absl::InlinedVector<uint64_t, 16> weight;
  uint64_t total = 0;
  for (TaskId t : view.runnable) {
    const uint64_t expected = t < expected_.size() ? expected_[t] : 0;
    const uint64_t done = recorder().EventsOf(t);
    const uint64_t w = expected > done ? expected - done : 1;
    weight.push_back(w);
    total += w;
  }
  uint64_t r = rng_.Below(total);
  for (size_t i = 0; i < weight.size(); ++i) {
    if (r < weight[i]) return i;
    r -= weight[i];
  }
  return weight.size() - 1;
}

}  // namespace probestorm::harness
