// FreeEngine: the non-deterministic engine (README "The free engine"). Every task is a
// real OS thread (a pthread with a small stack, EngineOptions::stack_bytes); the primitives'
// RawLocks are real mutexes; every schedule point applies a seeded perturbation (yield, spin, a
// sleep of a few microseconds) drawn from a per-task stream forked from the seed and the task id.
//
// Waiting. Park queues the task on WaitList::waiters_ (FIFO, under the primitive's RawLock) and
// waits on the task's own condition variable under the engine lock mu_; Unpark takes one (or all)
// off the queue and wakes exactly those. Sleep, ParkUntil and Join wait the same way. So the
// engine knows at every moment how many tasks can run (`runnable_`: created or running, not
// parked, sleeping or exited).
//
// Virtual time. A clock thread owns time. When no task can run (every live task is parked,
// joining or sleeping), virtual time jumps to the earliest pending deadline (a timer, a Sleep, a
// ParkUntil) and what is due there fires, as in the controlled engine. With time_scale == 0 (the
// default of `probestorm run`) that is the only way time moves: the virtual time at which an event
// happens does not depend on how fast the machine runs the tasks, so a busy or slow machine cannot
// make a timeout fire before the work it waits for is done. With time_scale > 0 virtual time also
// follows real time at that scale (virtual ns per real ns) while tasks run, so timers can fire in
// the middle of work, as on a slow machine: that part depends on machine load.
//
// A run: Spawn() before Run() creates tasks that start when Run() starts; Run() then waits for
// quiescence (every non-daemon task exited, no timer pending), a stop request (a violation with
// stop_on_violation, max_steps), max_virtual_time (the next deadline lies beyond it), the wall
// deadline, or a stall (no task can run and no timer or non-daemon sleeper is pending while
// non-daemon tasks live: reported as `stall` with a wait-for graph). It then stops the rest: a
// task at a schedule point, parked, sleeping or joining throws TaskKilled (like the controlled
// engine's teardown).
//
// Threads. A task's thread is joined soon after the task exits (Run() reaps exited threads while
// the run goes on), so the number of OS threads is bounded by the live tasks, not by the tasks
// ever created. A thread that cannot be created (EAGAIN: a limit on threads or memory) stops the
// run; Run() then throws ThreadCreateError naming the task and the live count.
//
// Not deterministic: the seed fixes the perturbation streams, not the OS schedule. The race
// detector is off (race() is null; TSan is the detector here); lockdep works; findings and the
// trace are thread-safe.
//
// Caveats: a task that never reaches a schedule point cannot be stopped (Run() would wait for
// it). As in the controlled engine, TaskKilled is thrown from schedule points, so a point reached
// from a destructor during teardown (a MutexLock going out of scope normally) terminates. A task
// that polls with Yield() and never sleeps keeps time still at time_scale 0 (as in the controlled
// engine).
//
// Thread-safety: every public method is thread-safe. One Run() per engine.
#ifndef PROBESTORM_HARNESS_FREE_ENGINE_H_
#define PROBESTORM_HARNESS_FREE_ENGINE_H_

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "harness/engine.h"
#include "harness/timer_queue.h"

namespace probestorm::harness {

// Perturbation at schedule points.
enum class Perturb : uint8_t {
  kNone,   // nothing: the OS schedule only
  kLight,  // occasional yield or short spin
  kHeavy,  // frequent yields and spins, sleeps of a few microseconds
};

// "none", "light", "heavy".
absl::StatusOr<Perturb> ParsePerturb(std::string_view text);
const char* PerturbName(Perturb p);

// The host refused an OS thread for a task (what() names the task, the live count and the errno).
struct ThreadCreateError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// pthread_create's signature: the seam through which tests make thread creation fail.
using ThreadCreateFn =
    std::function<int(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*)>;

class FreeEngine final : public Engine {
 public:
  // `time_scale`: 0, or virtual nanoseconds per real nanosecond (1000: one virtual second per
  // real millisecond) by which virtual time also follows real time. Must be >= 0.
  // `create_thread`: pthread_create unless a test injects failures.
  FreeEngine(EngineOptions options, Perturb perturb, double time_scale,
             ThreadCreateFn create_thread = &pthread_create);
  ~FreeEngine() override;

  TaskId Spawn(std::string name, std::function<void()> body, TaskOptions options = {}) override;
  void Join(TaskId t) override;
  TaskId Self() const override;
  std::string TaskName(TaskId t) const override;
  bool IsControlled() const override { return false; }

  void Point(PointKind kind) override;
  void Park(WaitList& wl, RawLock& lock, const char* what, TaskId holder) override
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(lock);
  bool ParkUntil(WaitList& wl, RawLock& lock, const char* what, Nanos deadline) override
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(lock);
  void Unpark(WaitList& wl, bool all) override;

  Nanos Now() const override;
  void Sleep(Nanos duration) override;
  TimerId StartTimer(Nanos delay, std::string name, std::function<void()> fn) override;
  bool CancelTimer(TimerId id) override;

  RunResult Run() override;

  Perturb perturb() const { return perturb_; }
  double time_scale() const { return time_scale_; }
  // Virtual-time jumps taken so far (each one a moment when no task could run).
  uint64_t jumps() const { return jumps_.load(std::memory_order_relaxed); }
  // The most OS threads of this engine that existed at once (started and not yet joined).
  uint32_t max_threads() const;

  // Exited threads are joined at the latest when this many wait (or every few milliseconds).
  static constexpr size_t kReapBatch = 64;

 private:
  struct Task;
  enum class State : uint8_t {
    kCreated,   // spawned, thread not started (counts as runnable)
    kRunning,   // running (or runnable: the OS decides)
    kParked,    // Park / Join: waits for another task, no deadline
    kTimed,     // Sleep / ParkUntil: the clock wakes it at Task::deadline
    kExited,
  };
  // Why a waiting task stopped waiting.
  enum class Wake : uint8_t { kNone, kWoken, kTimeout };
  struct TimerRec {  // a model timer: spawns a task running fn
    std::string name;
    std::function<void()> fn;
  };
  using SleeperKey = std::pair<Nanos, TaskId>;  // virtual deadline, task
  using Clock = std::chrono::steady_clock;

  static void* ThreadMain(void* arg);
  void TaskMain(Task* t);
  void StartThread(Task* t) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  TaskId SpawnLocked(std::string name, std::function<void()> body, TaskOptions options)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Moves `t` to state `s` and keeps runnable_, the sleepers and the clock up to date.
  void Transition(Task* t, State s, const char* what = nullptr, TaskId holder = kNoTask,
                  WaitList* wl = nullptr) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Waits on t->wake until a Wake reason is set or the run stops; returns the reason (kNone
  // when stopping), with `t` running again.
  Wake WaitForWake(Task* t) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ClockLoop();
  // Fires what is due at `now`: timers spawn their task, sleepers wake. False if nothing was due.
  // Never fires past max_virtual_time: the run stops there instead.
  bool FireDue(Nanos now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // No task can run: jump to the next deadline, or decide stall / max-virtual-time.
  void OnIdle(Nanos now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Nanos NextDeadline() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);  // -1: none
  Task* SelfTask() const;
  // Throws TaskKilled if the run is stopping (and no exception is already unwinding).
  void CheckKilled() const;
  void Perturbation(Task* t);
  static void Unlist(WaitList& wl, TaskId id);
  void StopLocked(Ending why) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void RequestStop(Ending why);
  // Fills the stall finding's wait-for graph. REQUIRES: no task can run.
  void RecordStall() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // One line of that graph: what `t` waits for and who holds it.
  void AppendWaitLine(const Task& t, const char* indent) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool QuiescentLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Joins the threads of tasks that exited (their threads no longer need mu_, so joining under
  // it is safe).
  void ReapLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void StopAll();

  const Perturb perturb_;
  const double time_scale_;
  const ThreadCreateFn create_thread_;

  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Task>> tasks_ ABSL_GUARDED_BY(mu_);  // index = TaskId; [0] unused
  TimerQueue<TimerRec> timers_ ABSL_GUARDED_BY(mu_);
  std::set<SleeperKey> sleepers_ ABSL_GUARDED_BY(mu_);  // tasks in kTimed
  uint32_t live_ ABSL_GUARDED_BY(mu_) = 0;            // tasks not exited (incl. created)
  uint32_t live_nondaemon_ ABSL_GUARDED_BY(mu_) = 0;
  uint32_t max_live_ ABSL_GUARDED_BY(mu_) = 0;
  uint32_t runnable_ ABSL_GUARDED_BY(mu_) = 0;        // tasks in kCreated or kRunning
  uint32_t nondaemon_sleepers_ ABSL_GUARDED_BY(mu_) = 0;
  bool running_ ABSL_GUARDED_BY(mu_) = false;         // Run() started the threads
  std::vector<pthread_t> exited_threads_ ABSL_GUARDED_BY(mu_);  // to join (reap)
  uint32_t threads_ ABSL_GUARDED_BY(mu_) = 0;          // started and not yet joined
  uint32_t max_threads_ ABSL_GUARDED_BY(mu_) = 0;
  Ending ending_ ABSL_GUARDED_BY(mu_) = Ending::kQuiescent;
  bool ending_set_ ABSL_GUARDED_BY(mu_) = false;
  bool stalled_ ABSL_GUARDED_BY(mu_) = false;
  std::string stall_graph_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> stall_names_ ABSL_GUARDED_BY(mu_);
  TaskId stall_culprit_ ABSL_GUARDED_BY(mu_) = kNoTask;  // the oopsed task behind the stall
  std::exception_ptr error_ ABSL_GUARDED_BY(mu_);      // escaped a task body, or thread creation
  absl::CondVar run_cv_;    // Run() waits here: quiescence, stop requests, exits at teardown
  absl::CondVar clock_cv_;  // the clock thread waits here
  absl::CondVar exit_cv_;   // Join() from setup code (no task) waits here

  std::atomic<bool> stopping_{false};      // teardown: tasks unwind at their next point
  std::atomic<uint64_t> shared_steps_{0};
  std::atomic<uint64_t> jumps_{0};
  std::atomic<Nanos> offset_{0};           // virtual time gained by jumps
  Clock::time_point start_{};              // written once by Run() before started_ is set
  std::atomic<bool> started_{false};
  std::atomic<Nanos> end_time_{-1};        // frozen virtual time after Run(), -1 while running
  std::thread clock_thread_;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_FREE_ENGINE_H_
