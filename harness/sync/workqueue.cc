#include "harness/sync/workqueue.h"

#include <mutex>

#include "absl/strings/str_cat.h"
#include "harness/race/race_detector.h"

namespace probestorm::harness {

bool Work::Queue() {
  Engine& e = Engine::Current();
  e.Point(PointKind::kShared);
  bool spawn = false;
  {
    RawLockGuard g(raw_);
    if (pending_) return false;
    pending_ = true;
    ++queued_seq_;
    if (auto* r = e.race()) r->Release(e.Self(), clock_);
    if (!running_) {
      running_ = true;  // a worker is (about to be) on it; a running worker re-checks pending_
      spawn = true;
    }
  }
  if (spawn) {
    const TaskId worker = e.Spawn(absl::StrCat("kworker/", wq_, ":", name_), [this] { WorkerLoop(); });
    // Named before it starts, for a flush that parks before the worker runs.
    RawLockGuard g(raw_);
    if (running_ && worker_ == kNoTask) worker_ = worker;
  }
  return true;
}

void Work::WorkerLoop() {
  Engine& e = Engine::Current();
  while (true) {
    uint64_t seq;
    {
      RawLockGuard g(raw_);
      if (!pending_) {
        running_ = false;
        worker_ = kNoTask;
        e.Unpark(idle_, true);
        return;
      }
      pending_ = false;
      worker_ = e.Self();
      seq = queued_seq_;
    }
    if (auto* r = e.race()) r->Acquire(e.Self(), clock_);
    fn_();
    if (auto* r = e.race()) r->Release(e.Self(), done_clock_);
    {
      RawLockGuard g(raw_);
      finished_seq_ = seq;
      ++runs_;
      e.Unpark(idle_, true);
    }
  }
}

void Work::Flush() {
  Engine& e = Engine::Current();
  e.Point(PointKind::kShared);
  RawLockGuard g(raw_);
  // Wait for the instance queued (or running) at call time.
  const uint64_t target = queued_seq_;
  while (finished_seq_ < target) e.Park(idle_, raw_, "flush_work", worker_);
  g.Unlock();
  if (auto* r = e.race()) r->Acquire(e.Self(), done_clock_);
}

bool Work::Cancel() {
  Engine& e = Engine::Current();
  e.Point(PointKind::kShared);
  RawLockGuard g(raw_);
  if (!pending_) return false;
  pending_ = false;
  finished_seq_ = queued_seq_;  // the cancelled instance counts as done for flush
  e.Unpark(idle_, true);
  return true;
}

bool Work::Pending() {
  Engine::Current().Point(PointKind::kShared);
  RawLockGuard g(raw_);
  return pending_;
}

bool Work::Running() {
  Engine::Current().Point(PointKind::kShared);
  RawLockGuard g(raw_);
  return running_;
}

bool DelayedWork::Schedule(Nanos delay) {
  Engine& e = Engine::Current();
  e.Point(PointKind::kShared);
  {
    RawLockGuard g(raw_);
    if (timer_ != 0) return false;
  }
  if (work_.Pending()) return false;
  if (delay <= 0) return work_.Queue();
  RawLockGuard g(raw_);
  deadline_ = e.Now() + delay;
  timer_ = e.StartTimer(delay, absl::StrCat("timer/", work_.name()), [this] {
    {
      RawLockGuard g2(raw_);
      timer_ = 0;
      deadline_ = -1;
    }
    work_.Queue();
  });
  return true;
}

bool DelayedWork::Modify(Nanos delay) {
  const bool was = Cancel();
  Schedule(delay);
  return was;
}

bool DelayedWork::Cancel() {
  Engine& e = Engine::Current();
  e.Point(PointKind::kShared);
  {
    RawLockGuard g(raw_);
    if (timer_ != 0) {
      const bool cancelled = e.CancelTimer(timer_);
      timer_ = 0;
      deadline_ = -1;
      if (cancelled) return true;
    }
  }
  return work_.Cancel();
}

void DelayedWork::Flush() {
  Engine& e = Engine::Current();
  e.Point(PointKind::kShared);
  bool queue_now = false;
  {
    RawLockGuard g(raw_);
    if (timer_ != 0 && e.CancelTimer(timer_)) queue_now = true;
    timer_ = 0;
    deadline_ = -1;
  }
  if (queue_now) work_.Queue();
  work_.Flush();
}

bool DelayedWork::Pending() {
  {
    Engine::Current().Point(PointKind::kShared);
    RawLockGuard g(raw_);
    if (timer_ != 0) return true;
  }
  return work_.Pending();
}

bool DelayedWork::TimerArmed() {
  Engine::Current().Point(PointKind::kShared);
  RawLockGuard g(raw_);
  return timer_ != 0;
}

Nanos DelayedWork::deadline() {
  RawLockGuard g(raw_);
  return deadline_;
}

void AsyncDomain::Schedule(std::string name, std::function<void()> fn) {
  Engine& e = Engine::Current();
  e.Point(PointKind::kShared);
  {
    RawLockGuard g(raw_);
    ++in_flight_;
  }
  e.Spawn(absl::StrCat(prefix_, "/", name), [this, fn = std::move(fn)] {
    Engine& e2 = Engine::Current();
    fn();
    if (auto* r = e2.race()) r->Release(e2.Self(), clock_);
    RawLockGuard g(raw_);
    --in_flight_;
    if (in_flight_ == 0) e2.Unpark(idle_, true);
  });
}

void AsyncDomain::SynchronizeFull() {
  Engine& e = Engine::Current();
  e.Point(PointKind::kShared);
  {
    RawLockGuard g(raw_);
    while (in_flight_ != 0) e.Park(idle_, raw_, "async_synchronize_full");
  }
  if (auto* r = e.race()) r->Acquire(e.Self(), clock_);
}

uint32_t AsyncDomain::InFlight() {
  RawLockGuard g(raw_);
  return in_flight_;
}

}  // namespace probestorm::harness
