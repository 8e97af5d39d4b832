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
#include "harness/sched/conflicts.h"
#include "harness/trace/trace.h"

namespace probestorm::harness {

template <typename T>
class Atomic {
 public:
  explicit Atomic(T v = T{}) : v_(v) {}
  Atomic(const Atomic&) = delete;
  Atomic& operator=(const Atomic&) = delete;

  T Load() { Sync(false); return v_.load(); }
  void Store(T v) { Sync(true); v_.store(v); }
  T FetchAdd(T d) { Sync(true); return v_.fetch_add(d); }
  T FetchSub(T d) { Sync(true); return v_.fetch_sub(d); }
  T Exchange(T v) { Sync(true); return v_.exchange(v); }
  bool CompareExchange(T& expected, T desired) {
    Sync(true);
    return v_.compare_exchange_strong(expected, desired);
  }
  // Value without a schedule point or race edge (reports, assertions after the run).
  T Peek() const { return v_.load(std::memory_order_relaxed); }

 private:
  // `write`: the operation may change the value (for the conflict recorder; every operation is
  // both an acquire and a release for the race detector).
  void Sync(bool write) {
    Engine& e = Engine::Current();
    ConflictRecorder* c = e.conflicts();
    SiteId site = 0;
    if (c) {
      site = c->Site(e.trace().CurrentFunction(e.Self()), kAtomicKind, write);
      c->Announce(e.Self(), c->IdOf(tag_), site);
    }
    e.Point(PointKind::kShared);
    if (auto* r = e.race()) r->AcquireRelease(e.Self(), clock_);
    if (c) c->Access(e.Self(), c->IdOf(tag_), site);
  }

  static constexpr uint64_t kAtomicKind = 0x61746f6d6963;  // atomics carry no label: one kind

  std::atomic<T> v_;
  SyncClock clock_;
  ConflictTag tag_;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SYNC_ATOMIC_H_
