// Work items with the kernel's workqueue semantics (kernel/workqueue.c):
//  * queue_work on a pending item does nothing and returns false;
//  * an item queued while it runs runs once more afterwards, never two instances at once;
//  * flush_work waits until the instance queued at call time (if any) has finished;
//  * DelayedWork: a timer that queues the item; cancel returns whether it was pending (timer armed
//    or queued but not started); flush runs a still-armed timer's work at once and waits for it.
// Each run of the item executes in a worker task named "kworker/<wq>:<item>"; queue -> run is a
// happens-before edge.
//
// Thread-safety: thread-safe under both engines.
#ifndef PROBESTORM_HARNESS_SYNC_WORKQUEUE_H_
#define PROBESTORM_HARNESS_SYNC_WORKQUEUE_H_

#include <cstdint>
#include <functional>
#include <string>

#include "harness/engine.h"
#include "harness/race/vector_clock.h"

namespace probestorm::harness {

class Work {
 public:
  Work(std::string name, std::function<void()> fn, std::string wq = "events_unbound")
      : name_(std::move(name)), wq_(std::move(wq)), fn_(std::move(fn)) {}
  Work(const Work&) = delete;
  Work& operator=(const Work&) = delete;

  bool Queue();    // queue_work: true if it was not pending
  void Flush();    // flush_work
  bool Cancel();   // cancel_work: true if it was pending (removed before it started)
  bool Pending();  // work_pending
  bool Running();
  uint64_t runs() const { return runs_; }  // completed executions
  const std::string& name() const { return name_; }

 private:
  void WorkerLoop();

  std::string name_;
  std::string wq_;
  std::function<void()> fn_;
  RawLock raw_;
  bool pending_ ABSL_GUARDED_BY(raw_) = false;
  bool running_ ABSL_GUARDED_BY(raw_) = false;
  TaskId worker_ ABSL_GUARDED_BY(raw_) = kNoTask;    // the worker task while it runs the item (flush waiters name it)
  uint64_t queued_seq_ ABSL_GUARDED_BY(raw_) = 0;    // incremented by each successful Queue()
  uint64_t finished_seq_ ABSL_GUARDED_BY(raw_) = 0;  // queued_seq_ value consumed by the last finished run
  uint64_t runs_ = 0;
  WaitList idle_;
  SyncClock clock_;       // queue -> run
  SyncClock done_clock_;  // run -> flush_work (the kernel's flush barrier completes after the run)
};

class DelayedWork {
 public:
  DelayedWork(std::string name, std::function<void()> fn, std::string wq = "events_unbound")
      : work_(std::move(name), std::move(fn), std::move(wq)) {}

  // schedule_delayed_work / queue_delayed_work: false if already pending (timer or queue).
  bool Schedule(Nanos delay);
  // mod_delayed_work: re-arm whatever the state; true if it was pending.
  bool Modify(Nanos delay);
  // cancel_delayed_work: true if it was pending (timer armed or queued, not started).
  bool Cancel();
  // flush_delayed_work: an armed timer fires now; then waits for the run.
  void Flush();
  bool Pending();
  bool TimerArmed();
  Nanos deadline();  // of the armed timer, or -1
  Work& work() { return work_; }

 private:
  Work work_;
  RawLock raw_;
  TimerId timer_ ABSL_GUARDED_BY(raw_) = 0;  // 0: not armed
  Nanos deadline_ ABSL_GUARDED_BY(raw_) = -1;
};

// async_schedule_dev / async_synchronize_full: tasks tracked by one domain.
class AsyncDomain {
 public:
  explicit AsyncDomain(std::string prefix = "async") : prefix_(std::move(prefix)) {}
  void Schedule(std::string name, std::function<void()> fn);
  void SynchronizeFull();
  uint32_t InFlight();

 private:
  std::string prefix_;
  RawLock raw_;
  uint32_t in_flight_ ABSL_GUARDED_BY(raw_) = 0;
  WaitList idle_;
  SyncClock clock_;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SYNC_WORKQUEUE_H_
