// Engine: runs the tasks of one model run and owns everything a run observes.
//
// Two engines implement this interface:
//  * ControlledEngine: every task is a fiber on one OS thread; exactly one runs at a time; at each
//    schedule point a Strategy picks the next task. Deterministic for a seed, strategy and model.
//  * FreeEngine: every task is an OS thread; primitives are real locks; seeded perturbation at
//    schedule points. Not deterministic; the engine TSan checks.
//
// The model (driver/, hwmodel/) never calls an Engine directly for synchronisation: it uses the
// kernel-shaped primitives of harness/sync/, which call Point/Park/Unpark here. Reports (findings),
// trace events and time are reached through the free functions at the bottom of this file, which
// use the engine of the calling task (a thread-local set while the engine runs).
//
// Thread-safety: a ControlledEngine is used by one OS thread. A FreeEngine is used by its task
// threads; its public methods are thread-safe. Several engines (one per run) may run at once on
// different OS threads.
#ifndef PROBESTORM_HARNESS_ENGINE_H_
#define PROBESTORM_HARNESS_ENGINE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "harness/finding.h"
#include "harness/invariant.h"
#include "harness/rng.h"
#include "harness/time.h"

namespace probestorm::harness {

class RaceDetector;
class LockDep;
class ConflictRecorder;
class Trace;

using TaskId = uint32_t;  // 1.. in spawn order; 0 = no task (setup code, the scheduler itself)
inline constexpr TaskId kNoTask = 0;
using TimerId = uint64_t;

// What a schedule point touches. PCT counts only kShared points, so its depth bound keeps its
// meaning when thousands of tasks do local work.
enum class PointKind : uint8_t {
  kLocal,   // no shared state (a plain yield, task start)
  kShared,  // a lock operation, an atomic, a tracked field access, a register access
};

struct TaskOptions {
  bool daemon = false;  // a daemon (DMA traffic, watchers) does not keep the run alive; tasks a
                        // daemon spawns (e.g. the pm_wq idle work of a DMA job) are daemons too
};

// How a run ended. Each ending is reported distinctly.
enum class Ending : uint8_t {
  kQuiescent,       // every non-daemon task exited and no non-daemon timer is pending
  kFinding,         // a violation stopped the run (stop_on_violation)
  kStall,           // tasks blocked forever: no runnable task, no timer
  kMaxVirtualTime,  // the next event lies beyond max_virtual_time
  kMaxSteps,
  kWallDeadline,
  kInterrupted,     // EngineOptions::interrupt became non-zero (a signal): stopped where it was
};
const char* EndingName(Ending e);
// True for the endings that stop a run before it reached quiescence or a verdict of its own
// (max-virtual-time, max-steps, wall-deadline, interrupted): such a run is `incomplete`, never
// clean.
bool Incomplete(Ending e);

struct EngineOptions {
  uint64_t seed = 1;                       // root of every random choice of the run
  InvariantSet invariants = InvariantSet::All();
  bool stop_on_violation = true;           // the first violation ends the run (data-race and
                                           // lock-order findings are recorded and the run goes on)
  Nanos max_virtual_time = 600 * kSec;
  uint64_t max_steps = 200'000'000;
  double wall_deadline_seconds = 0;        // 0: none
  // When it becomes non-zero (a signal number), the run stops at its next check (every 4 096
  // schedule points in the controlled engine, every 2 ms in the free engine): Ending::kInterrupted.
  const std::atomic<int>* interrupt = nullptr;
  bool race_detection = true;              // vector clocks over Tracked<T> (controlled engine)
  uint32_t race_clock_slots = 1024;        // components of a race-detector clock (harness/race)
  bool lockdep = true;                     // lock-order checker
  bool keep_trace = false;                 // keep every event (for writers)
  // Trace lines copied into each finding (0: none; a report's trace comes from replaying the
  // finding's token, so exploration keeps no events, only the trace hash).
  size_t trace_tail = 0;
  size_t stack_bytes = 256 * 1024;         // per task (fiber stack / thread stack)
  // A planted bug, for sanitizer and detector controls: every Mutex/SpinLock of this lock class
  // (compared by text) only passes its schedule point, it excludes nothing. Null: none.
  const char* dropped_lock_class = nullptr;
};

struct RunResult {
  Ending ending = Ending::kQuiescent;
  uint64_t steps = 0;           // schedule points
  uint64_t shared_steps = 0;    // of which kShared
  uint64_t switches = 0;        // context switches
  Nanos virtual_time = 0;
  uint32_t tasks = 0;           // tasks created
  uint32_t max_live_tasks = 0;
  uint64_t trace_hash = 0;
  std::vector<Finding> findings;  // in report order
  bool Violated() const;          // any finding of severity violation
};

// Thrown inside a task to end it (oops, or run teardown). Only the engine catches it.
struct TaskKilled {
  // An oops: "<invariant> at t=<seconds>s: <message>" of its finding; empty at teardown. A stall
  // behind the dead task names it as the cause.
  std::string oops;
};

// A list of parked tasks, embedded in every blocking primitive.
class WaitList {
 public:
  WaitList() = default;
  WaitList(const WaitList&) = delete;
  WaitList& operator=(const WaitList&) = delete;

 private:
  friend class ControlledEngine;
  friend class FreeEngine;
  std::vector<TaskId> waiters_;  // FIFO of parked tasks (free engine: under the primitive's RawLock)
};

// Marks the calling OS thread as a FreeEngine task thread (RawLock becomes a real lock).
void SetFreeEngineThread(bool on);

// Guards a primitive's own state. A no-op under the controlled engine (one task runs at a time),
// a real mutex under the free engine. Taken through RawLockGuard, so that clang's -Wthread-safety
// checks the fields marked ABSL_GUARDED_BY a RawLock.
class ABSL_LOCKABLE RawLock {
 public:
  void lock() ABSL_EXCLUSIVE_LOCK_FUNCTION();
  void unlock() ABSL_UNLOCK_FUNCTION();

 private:
  std::mutex m_;
};

// Holds a RawLock for its scope; Unlock() lets it go early.
class ABSL_SCOPED_LOCKABLE RawLockGuard {
 public:
  explicit RawLockGuard(RawLock& lock) ABSL_EXCLUSIVE_LOCK_FUNCTION(lock) : lock_(&lock) { lock.lock(); }
  ~RawLockGuard() ABSL_UNLOCK_FUNCTION() {
    if (lock_ != nullptr) lock_->unlock();
  }
  RawLockGuard(const RawLockGuard&) = delete;
  RawLockGuard& operator=(const RawLockGuard&) = delete;
  void Unlock() ABSL_UNLOCK_FUNCTION() {
    lock_->unlock();
    lock_ = nullptr;
  }

 private:
  RawLock* lock_;
};

class Engine {
 public:
  // `threaded`: the engine runs tasks on several OS threads at once (the trace and lockdep lock).
  Engine(EngineOptions options, bool threaded);
  virtual ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // The engine of the calling task, or of the thread that is setting a run up (see Scope).
  static Engine& Current();
  static Engine* CurrentOrNull();
  // Makes `e` current on this OS thread for the lifetime of the scope (setup code before Run()).
  class Scope {
   public:
    explicit Scope(Engine& e);
    ~Scope();

   private:
    Engine* saved_;
  };

  // ---- tasks
  // Creates a runnable task. Callable from a task or from setup code before Run().
  virtual TaskId Spawn(std::string name, std::function<void()> body, TaskOptions options = {}) = 0;
  // Blocks the calling task until `t` has exited.
  virtual void Join(TaskId t) = 0;
  virtual TaskId Self() const = 0;
  virtual std::string TaskName(TaskId t) const = 0;
  virtual bool IsControlled() const = 0;

  // ---- scheduling
  // A schedule point: the controlled engine may switch to another task here.
  virtual void Point(PointKind kind) = 0;
  // Releases `lock`, parks the calling task on `wl` until Unpark, re-takes `lock`. `what` names
  // what the task waits for (wait-for graph); `holder`, if known, the task that must act.
  virtual void Park(WaitList& wl, RawLock& lock, const char* what, TaskId holder = kNoTask)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(lock) = 0;
  // Parks like Park but gives up at virtual time `deadline`; returns false on timeout.
  virtual bool ParkUntil(WaitList& wl, RawLock& lock, const char* what, Nanos deadline)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(lock) = 0;
  // Makes one (or all) tasks parked on `wl` runnable. REQUIRES: the primitive's RawLock held.
  virtual void Unpark(WaitList& wl, bool all) = 0;

  // ---- time
  virtual Nanos Now() const = 0;
  virtual void Sleep(Nanos duration) = 0;
  // Runs `fn` in a new task named `name` at Now() + delay.
  virtual TimerId StartTimer(Nanos delay, std::string name, std::function<void()> fn) = 0;
  // True if the timer was pending and is now cancelled; false if it already fired or never existed.
  virtual bool CancelTimer(TimerId id) = 0;

  // ---- running
  virtual RunResult Run() = 0;
  // `check` runs once the run has ended and its tasks are gone, before the strategy learns from
  // the run: the end-of-run invariants add their findings to the result there.
  void SetEndCheck(std::function<void(RunResult&)> check) { end_check_ = std::move(check); }

  // ---- findings
  // Records a finding for the calling task. Returns false if `id` is disabled. A violation with
  // stop_on_violation ends the run at the next schedule point.
  bool Report(InvariantId id, Severity severity, std::string message,
              std::vector<std::string> devices = {}, std::string detail = {},
              std::vector<std::string> extra_tasks = {});
  // A modelled oops (NULL dereference, BUG_ON, list corruption): reports a violation and ends the
  // calling task by throwing TaskKilled (the task's locks stay held, and a runtime-PM transition
  // it was running stays in progress, as after a kernel oops).
  [[noreturn]] void Oops(InvariantId id, std::string message, std::vector<std::string> devices = {},
            std::string detail = {});
  // A kernel panic (an oops in hard-IRQ context: "Kernel panic - not syncing: Fatal exception in
  // interrupt"): Oops, and the whole run ends at this step whatever stop_on_violation says.
  [[noreturn]] void Panic(InvariantId id, std::string message, std::vector<std::string> devices = {},
                          std::string detail = {});
  bool Enabled(InvariantId id) const { return options_.invariants.Has(id); }
  bool StopRequested() const { return stop_requested_; }

  const EngineOptions& options() const { return options_; }
  Trace& trace() { return *trace_; }
  RaceDetector* race() { return race_.get(); }   // null when disabled or not controlled
  LockDep* lockdep() { return lockdep_.get(); }  // null when disabled
  // The run's conflict recorder (harness/sched/conflicts.h): set by the controlled engine when its
  // strategy explores, null otherwise.
  ConflictRecorder* conflicts() { return conflicts_; }
  // The model's random stream (hardware choices, module load times...), forked from the seed.
  Rng& model_rng() { return model_rng_; }
  // Relaxed atomic read: FreeEngine task threads bump steps_ through std::atomic_ref while others
  // read it; the controlled engine's single thread updates it with plain increments.
  uint64_t steps() const {
    return std::atomic_ref<uint64_t>(const_cast<uint64_t&>(steps_)).load(std::memory_order_relaxed);
  }

 protected:
  // Fills step, time and the trace tail (EngineOptions::trace_tail); appends under findings_mu_.
  void AddFinding(Finding f);
  // Moves the findings into `r`, then runs the end check on it.
  void CollectFindings(RunResult& r);

  EngineOptions options_;
  std::unique_ptr<Trace> trace_;
  std::unique_ptr<RaceDetector> race_;
  std::unique_ptr<LockDep> lockdep_;
  ConflictRecorder* conflicts_ = nullptr;
  Rng model_rng_;
  uint64_t steps_ = 0;  // FreeEngine: accessed only through std::atomic_ref (see steps())
  std::atomic<bool> stop_requested_{false};  // set by Report on any task thread

 private:
  std::mutex findings_mu_;
  std::vector<Finding> findings_;
  std::function<void(RunResult&)> end_check_;
};

// ---- convenience for model code (the engine of the calling task)
inline Engine& Current() { return Engine::Current(); }
inline Nanos Now() { return Engine::Current().Now(); }
inline void Msleep(int64_t ms) { Engine::Current().Sleep(ms * kMsec); }
inline void Yield() { Engine::Current().Point(PointKind::kLocal); }
// The calling task's name ("modprobe/exynos-iommu"), for findings and traces.
inline std::string SelfName() { return Engine::Current().TaskName(Engine::Current().Self()); }
inline TaskId Spawn(std::string name, std::function<void()> body, TaskOptions o = {}) {
  return Engine::Current().Spawn(std::move(name), std::move(body), o);
}
// A finding of `id` with the severity its definition carries (InvariantDef::severity). A check
// that grades one invariant's findings differently passes the severity to Engine::Report.
inline bool Report(InvariantId id, std::string message, std::vector<std::string> devices = {},
                   std::string detail = {}) {
  return Engine::Current().Report(id, id.severity(), std::move(message), std::move(devices),
                                  std::move(detail));
}
[[noreturn]] void Oops(InvariantId id, std::string message, std::vector<std::string> devices = {},
                       std::string detail = {});
[[noreturn]] void Panic(InvariantId id, std::string message, std::vector<std::string> devices = {},
                        std::string detail = {});

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_ENGINE_H_
