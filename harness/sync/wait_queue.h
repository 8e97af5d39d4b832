// WaitQueue: wait_event / wake_up. The condition is re-evaluated after every wake-up; wake_up ->
// woken waiter is a happens-before edge, and so is wake_up -> the next wake_up of the queue (both
// take the queue's spinlock in the kernel). wait_event_timeout gives up at a virtual deadline.
//
// Thread-safety: thread-safe under both engines. The condition is evaluated under the queue's
// internal lock, so a wake_up after the state change is never lost.
#ifndef PROBESTORM_HARNESS_SYNC_WAIT_QUEUE_H_
#define PROBESTORM_HARNESS_SYNC_WAIT_QUEUE_H_

#include <mutex>

#include "harness/engine.h"
#include "harness/race/race_detector.h"
#include "harness/race/vector_clock.h"

namespace probestorm::harness {

class WaitQueue {
 public:
  explicit WaitQueue(const char* name = "wait_queue") : name_(name) {}
  WaitQueue(const WaitQueue&) = delete;
  WaitQueue& operator=(const WaitQueue&) = delete;

  // `holder`, if known, is the task whose progress makes `cond` true: the wait-for graph of a
  // stall follows it (a wait queue has no owner of its own).
  template <typename Cond>
  void WaitEvent(Cond cond, TaskId holder = kNoTask) {
    Engine& e = Engine::Current();
    e.Point(PointKind::kShared);
    RawLockGuard g(raw_);
    while (!cond()) e.Park(waiters_, raw_, name_, holder);
    Acquired(e);
  }

  // Returns false if `timeout` elapsed with the condition still false.
  template <typename Cond>
  bool WaitEventTimeout(Cond cond, Nanos timeout) {
    Engine& e = Engine::Current();
    e.Point(PointKind::kShared);
    const Nanos deadline = e.Now() + timeout;
    RawLockGuard g(raw_);
    while (!cond()) {
      if (!e.ParkUntil(waiters_, raw_, name_, deadline)) {
        if (cond()) break;
        return false;
      }
    }
    Acquired(e);
    return true;
  }

  void WakeUp() { Wake(false); }
  void WakeUpAll() { Wake(true); }

 private:
  void Acquired(Engine& e) {
    if (auto* r = e.race()) r->Acquire(e.Self(), clock_);
  }
  void Wake(bool all);

  const char* name_;
  RawLock raw_;
  WaitList waiters_;
  SyncClock clock_;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SYNC_WAIT_QUEUE_H_
