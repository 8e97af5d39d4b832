#include "harness/sync/wait_queue.h"

namespace probestorm::harness {

void WaitQueue::Wake(bool all) {
  Engine& e = Engine::Current();
  if (auto* r = e.race()) {
    // __wake_up_common_lock: spin_lock_irqsave(&wq_head->lock) ... unlock.
    r->Acquire(e.Self(), clock_);
    r->Release(e.Self(), clock_);
  }
  {
    RawLockGuard g(raw_);
    e.Unpark(waiters_, all);
  }
  e.Point(PointKind::kShared);
}

}  // namespace probestorm::harness
