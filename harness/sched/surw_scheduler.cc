#include "harness/sched/surw_scheduler.h"

#include <algorithm>
#include <cmath>

#include "absl/container/inlined_vector.h"

namespace probestorm::harness {

size_t SurwScheduler::Pick(const SchedView& view) {
  absl::InlinedVector<uint64_t, 16> weight;
  uint64_t total = 0;
  for (TaskId t : view.runnable) {
    const double left = corpus().ExpectedEvents(t) - static_cast<double>(recorder().EventsOf(t));
    const uint64_t w = std::max<uint64_t>(1, static_cast<uint64_t>(std::llround(std::max(left, 0.0))));
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
