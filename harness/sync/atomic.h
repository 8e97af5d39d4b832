// Atomic<T>: the kernel's atomic_t / READ_ONCE-WRITE_ONCE-with-barriers, as a schedule point with
// acquire-release semantics for the race detector (every operation synchronises with the previous
// one on the same atomic, like a seq_cst std::atomic).
//
// Thread-safety: thread-safe under both engines.
#ifndef PROBESTORM_HARNESS_SYNC_ATOMIC_H_
#define PROBESTORM_HARNESS_SYNC_ATOMIC_H_

#include <atomic>

#include "harness/engine.h"
#include "harness/race/race_detector.h"
#include "harness/race/vector_clock.h"

namespace probestorm::harness {

template <typename T>
class Atomic {
 public:
  explicit Atomic(T v = T{}) : v_(v) {}
  Atomic(const Atomic&) = delete;
  Atomic& operator=(const Atomic&) = delete;

  T Load() { Sync(); return v_.load(); }
  void Store(T v) { Sync(); v_.store(v); }
  T FetchAdd(T d) { Sync(); return v_.fetch_add(d); }
  T FetchSub(T d) { Sync(); return v_.fetch_sub(d); }
  T Exchange(T v) { Sync(); return v_.exchange(v); }
  bool CompareExchange(T& expected, T desired) {
    Sync();
    return v_.compare_exchange_strong(expected, desired);
  }
  // Value without a schedule point or race edge (reports, assertions after the run).
  T Peek() const { return v_.load(std::memory_order_relaxed); }

 private:
  void Sync() {
    Engine& e = Engine::Current();
    e.Point(PointKind::kShared);
    if (auto* r = e.race()) r->AcquireRelease(e.Self(), clock_);
  }

  std::atomic<T> v_;
  SyncClock clock_;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SYNC_ATOMIC_H_
