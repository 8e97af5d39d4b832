#include "harness/sync/wait_queue.h"

namespace probestorm::harness {

void WaitQueue::Wake(bool all) {
  Engine& e = Engine::Current();
  if (auto* r = e.race()) r->Release(e.Self(), clock_);
  {
    RawLockGuard g(raw_);
    e.Unpark(waiters_, all);
  }
  e.Point(PointKind::kShared);
}

}  // namespace probestorm::harness
