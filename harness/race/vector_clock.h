// Vector clocks for the happens-before race detector.
//
// A VectorClock maps a clock slot -> logical time; absent entries are 0. Slots are bounded and
// handed from task to task (see RaceDetector), so a clock has at most one entry per slot, not one
// per task ever created. SyncClock is the clock a synchronisation object (mutex, atomic,
// completion, work item) carries between a release and the next acquire. Shadow is the per-field
// access history of a Tracked<T>.
//
// Thread-safety: used only by the controlled engine's single OS thread.
#ifndef PROBESTORM_HARNESS_RACE_VECTOR_CLOCK_H_
#define PROBESTORM_HARNESS_RACE_VECTOR_CLOCK_H_

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/container/inlined_vector.h"

namespace probestorm::harness {

class VectorClock {
 public:
  uint32_t Get(uint32_t task) const { return task < c_.size() ? c_[task] : 0; }
  void Set(uint32_t task, uint32_t v) {
    if (task >= c_.size()) c_.resize(task + 1, 0);
    c_[task] = v;
  }
  void Tick(uint32_t task) { Set(task, Get(task) + 1); }
  void Join(const VectorClock& o) {
    if (o.c_.size() > c_.size()) c_.resize(o.c_.size(), 0);
    for (size_t i = 0; i < o.c_.size(); ++i) c_[i] = std::max(c_[i], o.c_[i]);
  }
  bool Empty() const { return c_.empty(); }
  size_t size() const { return c_.size(); }

 private:
  std::vector<uint32_t> c_;
};

struct SyncClock {
  VectorClock vc;
  // epoch != 0: vc is exactly the clock one release published at `epoch` of `slot`, so an acquirer
  // that already knows that epoch (of the slot's same owner) has nothing to join.
  uint32_t slot = 0;
  uint32_t epoch = 0;
};

struct AccessEpoch {
  uint32_t task = 0;   // 0: none
  uint32_t slot = 0;   // the task's clock slot at the access
  uint32_t clock = 0;  // that slot's component (the task's epoch) at the access
  const char* func = nullptr;  // innermost model function of the task at the access
};

struct Shadow {
  AccessEpoch write;
  absl::InlinedVector<AccessEpoch, 2> reads;  // reads since the last write, one per task
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_RACE_VECTOR_CLOCK_H_
