// FreeEngine: the non-deterministic engine (DESIGN.md "Execution engines", free). Every task is a
// real OS thread (a pthread with a small stack, EngineOptions::stack_bytes); the primitives'
// RawLocks are real mutexes; Park queues the task on WaitList::waiters_ (FIFO, under the
// primitive's RawLock) and waits on WaitList::cv_; Unpark takes one (or all) off the queue, marks
// them woken and notifies cv_ (the others wait again); every schedule point applies a
// seeded perturbation (yield, spin, a sleep of a few microseconds) drawn from a per-task stream
// forked from the seed and the task id. Virtual time is real elapsed time times `time_scale`.
//
// A run: Spawn() before Run() creates tasks that start when Run() starts; Run() then waits for
// quiescence (every non-daemon task exited, no non-daemon timer pending), a stop request (a
// violation with stop_on_violation, max_steps), max_virtual_time, the wall deadline, or a stall
// (every live non-daemon task parked without a deadline, no timer pending, no progress for
// kStallWindow of real time: reported as `stall` with a wait-for graph). It then stops the rest:
// a task at a schedule point, parked, sleeping or joining throws TaskKilled (like the controlled
// engine's teardown), and every thread is joined before Run() returns.
//
// Not deterministic: the seed fixes the perturbation streams, not the OS schedule. The race
// detector is off (race() is null; TSan is the detector here); lockdep works; findings and the
// trace are thread-safe.
//
// Caveats: a task that never reaches a schedule point cannot be stopped (Run() would wait for
// it). As in the controlled engine, TaskKilled is thrown from schedule points, so a point reached
// from a destructor during teardown (a MutexLock going out of scope normally) terminates.
//
// Thread-safety: every public method is thread-safe. One Run() per engine.
#ifndef PROBESTORM_HARNESS_FREE_ENGINE_H_
#define PROBESTORM_HARNESS_FREE_ENGINE_H_

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "harness/engine.h"

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

class FreeEngine final : public Engine {
 public:
  // Real time without progress after which parked tasks count as stalled.
  static constexpr std::chrono::milliseconds kStallWindow{300};

  // `time_scale`: virtual nanoseconds per real nanosecond (1000: one virtual second per real
  // millisecond). Must be > 0.
  FreeEngine(EngineOptions options, Perturb perturb, double time_scale);
  ~FreeEngine() override;

  TaskId Spawn(std::string name, std::function<void()> body, TaskOptions options = {}) override;
  void Join(TaskId t) override;
  TaskId Self() const override;
  std::string TaskName(TaskId t) const override;
  bool IsControlled() const override { return false; }

  void Point(PointKind kind) override;
  void Park(WaitList& wl, RawLock& lock, const char* what, TaskId holder) override;
  bool ParkUntil(WaitList& wl, RawLock& lock, const char* what, Nanos deadline) override;
  void Unpark(WaitList& wl, bool all) override;

  Nanos Now() const override;
  void Sleep(Nanos duration) override;
  TimerId StartTimer(Nanos delay, std::string name, std::function<void()> fn) override;
  bool CancelTimer(TimerId id) override;

  RunResult Run() override;

  Perturb perturb() const { return perturb_; }
  double time_scale() const { return time_scale_; }

 private:
  struct Task;
  enum class State : uint8_t {
    kCreated,   // spawned, thread not started
    kRunning,   // running (or runnable: the OS decides)
    kParked,    // Park / Join: waits for another task, no deadline
    kTimed,     // Sleep / ParkUntil: will wake by itself
    kExited,
  };
  struct TimerRec {
    TimerId id;
    std::string name;
    std::function<void()> fn;
  };
  using TimerKey = std::pair<Nanos, TimerId>;  // virtual deadline, id
  using Clock = std::chrono::steady_clock;

  static void* ThreadMain(void* arg);
  void TaskMain(Task* t);
  void StartThread(Task* t) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  TaskId SpawnLocked(std::string name, std::function<void()> body, TaskOptions options)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void TimerLoop();
  Task* SelfTask() const;
  // Throws TaskKilled if the run is stopping (and no exception is already unwinding).
  void CheckKilled() const;
  void Perturbation(Task* t);
  void SetState(Task* t, State s, const char* what, TaskId holder, WaitList* wl);
  // Removes `id` from wl.waiters_. REQUIRES: the primitive's RawLock held.
  static void Unlist(WaitList& wl, TaskId id);
  Clock::time_point RealDeadline(Nanos virtual_deadline) const;
  void RequestStop(Ending why);
  // True (and the graph filled) if every live non-daemon task is parked with no deadline and no
  // non-daemon timer is pending.
  bool AllBlocked(std::string* graph, std::vector<std::string>* names) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool QuiescentLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void StopAll();

  const Perturb perturb_;
  const double time_scale_;

  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Task>> tasks_ ABSL_GUARDED_BY(mu_);  // index = TaskId; [0] unused
  std::map<TimerKey, TimerRec> timers_ ABSL_GUARDED_BY(mu_);
  std::map<TimerId, Nanos> timer_deadline_ ABSL_GUARDED_BY(mu_);
  TimerId next_timer_ ABSL_GUARDED_BY(mu_) = 1;
  uint32_t live_ ABSL_GUARDED_BY(mu_) = 0;            // tasks not exited (incl. created)
  uint32_t live_nondaemon_ ABSL_GUARDED_BY(mu_) = 0;
  uint32_t max_live_ ABSL_GUARDED_BY(mu_) = 0;
  bool running_ ABSL_GUARDED_BY(mu_) = false;         // Run() started the threads
  std::vector<pthread_t> threads_ ABSL_GUARDED_BY(mu_);  // to join at the end of Run()
  Ending ending_ ABSL_GUARDED_BY(mu_) = Ending::kQuiescent;
  bool ending_set_ ABSL_GUARDED_BY(mu_) = false;
  std::exception_ptr error_ ABSL_GUARDED_BY(mu_);      // escaped a task body, or thread creation
  absl::CondVar run_cv_;    // Run() waits here: exits, stop requests
  absl::CondVar timer_cv_;  // the timer thread waits here
  absl::CondVar exit_cv_;   // Join() waits here

  std::atomic<bool> stopping_{false};      // teardown: tasks unwind at their next point
  std::atomic<uint64_t> shared_steps_{0};
  std::atomic<uint64_t> progress_{0};      // non-daemon points, unparks, timer firings
  Clock::time_point start_{};              // written once by Run() before started_ is set
  std::atomic<bool> started_{false};
  std::atomic<Nanos> end_time_{-1};        // frozen virtual time after Run(), -1 while running
  std::thread timer_thread_;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_FREE_ENGINE_H_
