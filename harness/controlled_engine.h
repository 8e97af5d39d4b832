// ControlledEngine: the deterministic engine. Tasks are fibers (Boost.Context) on the calling OS
// thread; exactly one runs at a time; at every schedule point the Strategy picks the next runnable
// task. Virtual time advances only when nothing is runnable, jumping to the next timer.
//
// Same seed + strategy + model => same schedule, same trace hash, same findings, on any machine
// and compiler: runnable sets are sorted by TaskId and no unordered container is iterated.
//
// Thread-safety: one OS thread per engine. TSan builds announce every fiber switch through
// __tsan_switch_to_fiber; ASan builds through __sanitizer_{start,finish}_switch_fiber.
#ifndef PROBESTORM_HARNESS_CONTROLLED_ENGINE_H_
#define PROBESTORM_HARNESS_CONTROLLED_ENGINE_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "harness/engine.h"
#include "harness/timer_queue.h"
#include "harness/race/vector_clock.h"
#include "harness/sched/schedule.h"
#include "harness/sched/strategy.h"

namespace probestorm::harness {

class ControlledEngine final : public Engine {
 public:
  // `strategy` must outlive the engine; the constructor calls its Begin(seed), Run() its End.
  ControlledEngine(EngineOptions options, Strategy* strategy);
  ~ControlledEngine() override;

  TaskId Spawn(std::string name, std::function<void()> body, TaskOptions options = {}) override;
  void Join(TaskId t) override;
  TaskId Self() const override { return current_; }
  std::string TaskName(TaskId t) const override;
  bool IsControlled() const override { return true; }

  void Point(PointKind kind) override {
    ++steps_;
    if (kind == PointKind::kShared) ++shared_steps_;
    // Every 4 096th point also goes through Decide, for the deadline and interrupt checks of a
    // task that runs alone (with one runnable task Decide makes no choice: schedules are the same).
    if (runnable_.size() > 1 || stop_requested_ || steps_ >= options_.max_steps || (steps_ & 4095) == 0) {
      Decide(kind);
    }
  }
  void Park(WaitList& wl, RawLock& lock, const char* what, TaskId holder) override
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(lock);
  bool ParkUntil(WaitList& wl, RawLock& lock, const char* what, Nanos deadline) override
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(lock);
  void Unpark(WaitList& wl, bool all) override;

  Nanos Now() const override { return now_; }
  void Sleep(Nanos duration) override;
  TimerId StartTimer(Nanos delay, std::string name, std::function<void()> fn) override;
  bool CancelTimer(TimerId id) override;

  RunResult Run() override;

  // The choices this run made (after Run()).
  const Schedule& schedule() const { return schedule_; }
  // Moves the recorded choices out (after the run: the engine has no further use for them).
  Schedule TakeSchedule() { return std::move(schedule_); }

 private:
  struct Task;
  struct TimerRec {
    TaskId wake = kNoTask;        // wake this task (Sleep / ParkUntil), or
    std::string name;             // spawn a task running fn
    std::function<void()> fn;
    SyncClock clock;              // starter -> timer task happens-before edge
  };

  // Spawn; the new task also acquires `start` if set (a timer's starter -> timer task edge).
  TaskId SpawnTask(std::string name, std::function<void()> body, TaskOptions options,
                   const SyncClock* start);
  void Decide(PointKind kind);
  TaskId Choose(TaskId current, PointKind kind);
  void SwitchToScheduler();      // from the running task
  void Resume(TaskId t);         // from the scheduler
  void Block(const char* what, TaskId holder);  // current task leaves runnable_, switches away
  void MakeRunnable(TaskId t);
  void RemoveRunnable(TaskId t);
  bool FireNextTimers();         // false if no timer worth advancing to
  void ReportStall();
  void KillAll();
  void CheckKilled();
  Task& task(TaskId t) { return *tasks_[t]; }

  Strategy* strategy_;
  std::vector<std::unique_ptr<Task>> tasks_;  // index = TaskId; [0] unused
  std::vector<TaskId> runnable_;              // sorted
  // Model timers and task wake-ups; a daemon task's wake-up is not waited for.
  TimerQueue<TimerRec> timers_;
  TaskId current_ = kNoTask;
  TaskId next_ = kNoTask;        // chosen by a task at a point, run next by the scheduler
  Nanos now_ = 0;
  uint64_t shared_steps_ = 0;
  uint64_t switches_ = 0;
  uint32_t live_ = 0;
  uint32_t nondaemon_live_ = 0;  // live tasks that are not daemons (timers are worth waiting for)
  uint32_t max_live_ = 0;
  bool killing_ = false;
  Ending ending_ = Ending::kQuiescent;
  Schedule schedule_;
  std::chrono::steady_clock::time_point wall_start_;
  struct SchedulerContext;
  std::unique_ptr<SchedulerContext> sched_;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_CONTROLLED_ENGINE_H_
