#include "harness/sync/wait_queue.h"

namespace probestorm::harness {

void WaitQueue::Wake(bool all) {
  Engine& e = Engine::Current();
  if (auto* r = e.race()) r->Release(e.Self(), clock_);
  {
    std::unique_lock<RawLock> g(raw_);
    e.Unpark(waiters_, all);
  }
  e.Point(PointKind::kShared);
}

}  // namespace probestorm::harness
