#include "harness/sync/mutex.h"

#include <cstring>
#include <mutex>

#include "harness/race/lockdep.h"
#include "harness/race/race_detector.h"
#include "harness/sched/conflicts.h"
#include "harness/trace/trace.h"

namespace probestorm::harness {
namespace {

// Taking a lock is recorded as a write of the lock by the task (lock operations of two tasks on
// one lock conflict); its site is the model function and the lock class.
SiteId AnnounceLock(Engine& e, ConflictRecorder& c, const Mutex& m) {
  const SiteId site = c.Site(e.trace().CurrentFunction(e.Self()), c.TextHash(m.lock_class()), true);
  c.Announce(e.Self(), c.IdOf(m.conflict_tag()), site);
  return site;
}

// EngineOptions::dropped_lock_class names this lock's class.
bool Dropped(const Engine& e, const char* lock_class) {
  const char* dropped = e.options().dropped_lock_class;
  return dropped != nullptr && std::strcmp(dropped, lock_class) == 0;
}

}  // namespace

void Mutex::lock() {
  Engine& e = Engine::Current();
  if (Dropped(e, class_)) return e.Point(PointKind::kShared);
  ConflictRecorder* c = e.conflicts();
  const SiteId site = c ? AnnounceLock(e, *c, *this) : 0;
  e.Point(PointKind::kShared);
  const TaskId self = e.Self();
  if (auto* ld = e.lockdep()) ld->Acquire(self, class_);
  {
    RawLockGuard g(raw_);
    while (owner_ != kNoTask) e.Park(waiters_, raw_, class_, owner_);
    owner_ = self;
  }
  if (auto* r = e.race()) r->Acquire(self, clock_);
  if (c) c->Access(self, c->IdOf(tag_), site);
}

bool Mutex::try_lock() {
  Engine& e = Engine::Current();
  if (Dropped(e, class_)) {
    e.Point(PointKind::kShared);
    return true;
  }
  ConflictRecorder* c = e.conflicts();
  const SiteId site = c ? AnnounceLock(e, *c, *this) : 0;
  e.Point(PointKind::kShared);
  const TaskId self = e.Self();
  if (c) c->Access(self, c->IdOf(tag_), site);
  {
    RawLockGuard g(raw_);
    if (owner_ != kNoTask) return false;
    owner_ = self;
  }
  if (auto* ld = e.lockdep()) ld->Acquire(self, class_);
  if (auto* r = e.race()) r->Acquire(self, clock_);
  return true;
}

void Mutex::unlock() {
  Engine& e = Engine::Current();
  if (Dropped(e, class_)) return e.Point(PointKind::kShared);
  const TaskId self = e.Self();
  if (auto* r = e.race()) r->Release(self, clock_);
  if (auto* ld = e.lockdep()) ld->Release(self, class_);
  {
    RawLockGuard g(raw_);
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
