#include "harness/sync/mutex.h"

#include <mutex>

#include "harness/race/lockdep.h"
#include "harness/race/race_detector.h"

namespace probestorm::harness {

void Mutex::lock() {
  Engine& e = Engine::Current();
  e.Point(PointKind::kShared);
  const TaskId self = e.Self();
  if (auto* ld = e.lockdep()) ld->Acquire(self, class_);
  {
    std::unique_lock<RawLock> g(raw_);
    while (owner_ != kNoTask) e.Park(waiters_, raw_, class_, owner_);
    owner_ = self;
  }
  if (auto* r = e.race()) r->Acquire(self, clock_);
}

bool Mutex::try_lock() {
  Engine& e = Engine::Current();
  e.Point(PointKind::kShared);
  const TaskId self = e.Self();
  {
    std::unique_lock<RawLock> g(raw_);
    if (owner_ != kNoTask) return false;
    owner_ = self;
  }
  if (auto* ld = e.lockdep()) ld->Acquire(self, class_);
  if (auto* r = e.race()) r->Acquire(self, clock_);
  return true;
}

void Mutex::unlock() {
  Engine& e = Engine::Current();
  const TaskId self = e.Self();
  if (auto* r = e.race()) r->Release(self, clock_);
  if (auto* ld = e.lockdep()) ld->Release(self, class_);
  {
    std::unique_lock<RawLock> g(raw_);
    owner_ = kNoTask;
    e.Unpark(waiters_, false);
  }
  e.Point(PointKind::kShared);
}

bool Mutex::HeldBySelf() const {
  Engine* e = Engine::CurrentOrNull();
  return e != nullptr && owner_ != kNoTask && owner_ == e->Self();
}

}  // namespace probestorm::harness
