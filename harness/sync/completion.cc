#include "harness/sync/completion.h"

#include <mutex>

#include "harness/race/race_detector.h"

namespace probestorm::harness {

void Completion::Complete() {
  Engine& e = Engine::Current();
  e.Point(PointKind::kShared);
  if (auto* r = e.race()) r->Release(e.Self(), clock_);
  RawLockGuard g(raw_);
  if (done_ != kAll) ++done_;
  e.Unpark(waiters_, false);
}

void Completion::CompleteAll() {
  Engine& e = Engine::Current();
  e.Point(PointKind::kShared);
  if (auto* r = e.race()) r->Release(e.Self(), clock_);
  RawLockGuard g(raw_);
  done_ = kAll;
  e.Unpark(waiters_, true);
}

void Completion::Wait() {
  Engine& e = Engine::Current();
  e.Point(PointKind::kShared);
  {
    RawLockGuard g(raw_);
    while (done_ == 0) e.Park(waiters_, raw_, name_);
    if (done_ != kAll) --done_;
  }
  if (auto* r = e.race()) r->Acquire(e.Self(), clock_);
}

bool Completion::TryWait() {
  Engine& e = Engine::Current();
  e.Point(PointKind::kShared);
  {
    RawLockGuard g(raw_);
    if (done_ == 0) return false;
    if (done_ != kAll) --done_;
  }
  if (auto* r = e.race()) r->Acquire(e.Self(), clock_);
  return true;
}

bool Completion::Done() {
  Engine& e = Engine::Current();
  e.Point(PointKind::kShared);
  RawLockGuard g(raw_);
  return done_ != 0;
}

void Completion::Reinit() {
  RawLockGuard g(raw_);
  done_ = 0;
}

}  // namespace probestorm::harness
