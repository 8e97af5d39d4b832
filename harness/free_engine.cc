#include "harness/free_engine.h"

#include <limits.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "harness/invariants/stall.h"
#include "harness/strings.h"
#include "harness/trace/trace.h"

namespace probestorm::harness {

struct FreeEngine::Task {
  FreeEngine* engine = nullptr;
  TaskId id = kNoTask;
  std::string name;
  std::function<void()> body;  // touched only by the task's own thread once started
  TaskOptions options;
  Rng rng{0};                  // perturbation stream; the task's own thread only
  // Guarded by engine->mu_:
  State state = State::kCreated;
  const char* waiting_on = nullptr;
  TaskId holder = kNoTask;
  WaitList* parked_on = nullptr;  // valid while the task is inside Park/ParkUntil
  Nanos deadline = 0;             // kTimed: when the clock wakes it (its key in sleepers_)
  Wake wake_reason = Wake::kNone;  // set by whoever ends the wait (Unpark, the clock, an exit)
  std::vector<TaskId> joiners;    // tasks in Join(this task)
  std::string oops;               // the oops that ended the task (TaskKilled::oops), if any
  absl::CondVar wake;             // every wait of the task waits here, under mu_
};

namespace {

thread_local FreeEngine* tls_engine_of_task = nullptr;
thread_local void* tls_task = nullptr;  // FreeEngine::Task* of the calling thread

void Spin(uint64_t n) {
  for (uint64_t i = 0; i < n; ++i) std::atomic_signal_fence(std::memory_order_seq_cst);
}

// A copyable capture of the thread start arguments.
struct StartArgs {
  FreeEngine* engine;
  void* task;
};

}  // namespace

absl::StatusOr<Perturb> ParsePerturb(std::string_view text) {
  if (text == "none") return Perturb::kNone;
  if (text == "light") return Perturb::kLight;
  if (text == "heavy") return Perturb::kHeavy;
  return absl::InvalidArgumentError(
      absl::StrCat("bad perturbation '", Av(text), "' (none, light, heavy)"));
}

const char* PerturbName(Perturb p) {
  switch (p) {
    case Perturb::kNone: return "none";
    case Perturb::kLight: return "light";
    case Perturb::kHeavy: return "heavy";
  }
  return "?";
}

FreeEngine::FreeEngine(EngineOptions options, Perturb perturb, double time_scale,
                       ThreadCreateFn create_thread)
    : Engine(std::move(options), /*threaded=*/true),
      perturb_(perturb),
      time_scale_(time_scale),
      create_thread_(std::move(create_thread)) {
  if (!(time_scale_ >= 0)) throw std::invalid_argument("FreeEngine: time_scale must be >= 0");
  absl::MutexLock g(&mu_);
  tasks_.emplace_back();  // TaskId 0 is "no task"
}

FreeEngine::~FreeEngine() {
  // Run() joins every thread it started; without Run() no thread exists.
  if (clock_thread_.joinable()) clock_thread_.join();
}

FreeEngine::Task* FreeEngine::SelfTask() const {
  return tls_engine_of_task == this ? static_cast<Task*>(tls_task) : nullptr;
}

TaskId FreeEngine::Self() const {
  const Task* t = SelfTask();
  return t != nullptr ? t->id : kNoTask;
}

std::string FreeEngine::TaskName(TaskId t) const {
  absl::MutexLock g(&mu_);
  if (t == kNoTask || t >= tasks_.size()) return "-";
  return tasks_[t]->name;
}

uint32_t FreeEngine::max_threads() const {
  absl::MutexLock g(&mu_);
  return max_threads_;
}

TaskId FreeEngine::Spawn(std::string name, std::function<void()> body, TaskOptions options) {
  if (const Task* self = SelfTask(); self != nullptr && self->options.daemon) options.daemon = true;
  absl::MutexLock g(&mu_);
  return SpawnLocked(std::move(name), std::move(body), options);
}

TaskId FreeEngine::SpawnLocked(std::string name, std::function<void()> body, TaskOptions options) {
  const TaskId id = static_cast<TaskId>(tasks_.size());
  auto t = std::make_unique<Task>();
  t->engine = this;
  t->id = id;
  t->name = std::move(name);
  t->body = std::move(body);
  t->options = options;
  t->rng = Rng(options_.seed).Fork("free/perturb").Fork(uint64_t{id});
  trace_->SetTaskName(id, t->name);
  Task* raw = t.get();
  tasks_.push_back(std::move(t));
  if (stopping_.load()) {  // teardown: the task never runs
    raw->state = State::kExited;
    return id;
  }
  ++live_;
  ++runnable_;  // kCreated
  if (!options.daemon) ++live_nondaemon_;
  max_live_ = std::max(max_live_, live_);
  if (running_) StartThread(raw);
  return id;
}

void FreeEngine::ReapLocked() {
  for (pthread_t th : exited_threads_) pthread_join(th, nullptr);
  threads_ -= static_cast<uint32_t>(exited_threads_.size());
  exited_threads_.clear();
}

void FreeEngine::StartThread(Task* t) {
  if (exited_threads_.size() >= kReapBatch) ReapLocked();
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  size_t bytes = std::max<size_t>(options_.stack_bytes, PTHREAD_STACK_MIN);
  bytes = (bytes + page - 1) / page * page;
  pthread_attr_setstacksize(&attr, bytes);
  pthread_t th;
  auto* args = new StartArgs{this, t};
  int rc = 0;
  for (int attempt = 0; attempt < 10; ++attempt) {
    ReapLocked();  // threads of this run that exited free their slots
    rc = create_thread_(&th, &attr, &FreeEngine::ThreadMain, args);
    if (rc != EAGAIN) break;
    // Other threads (of this run or of other runs in the process) may be exiting.
    mu_.Unlock();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    mu_.Lock();
  }
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    delete args;
    Transition(t, State::kExited);
    --live_;
    if (!t->options.daemon) --live_nondaemon_;
    if (!error_) {
      error_ = std::make_exception_ptr(ThreadCreateError(absl::StrCat(
          "cannot create an OS thread for task T", t->id, " ", t->name, " (", live_,
          " other live tasks, ", threads_, " threads of this run): ", std::strerror(rc),
          rc == EAGAIN ? "; the host's limit on threads was reached (ulimit -u, "
                         "kernel.threads-max, a cgroup's pids.max) or their stacks do not fit"
                       : "")));
    }
    stop_requested_ = true;
    run_cv_.Signal();
    return;
  }
  ++threads_;
  max_threads_ = std::max(max_threads_, threads_);
}

void* FreeEngine::ThreadMain(void* arg) {
  auto* a = static_cast<StartArgs*>(arg);
  FreeEngine* e = a->engine;
  Task* t = static_cast<Task*>(a->task);
  delete a;
  e->TaskMain(t);
  return nullptr;
}

void FreeEngine::TaskMain(Task* t) {
  tls_engine_of_task = this;
  tls_task = t;
  SetFreeEngineThread(true);
  {
    Engine::Scope scope(*this);
    {
      absl::MutexLock g(&mu_);
      Transition(t, State::kRunning);
    }
    try {
      if (!stopping_.load()) t->body();
    } catch (const TaskKilled& k) {
      absl::MutexLock g(&mu_);
      t->oops = k.oops;  // empty at teardown
    } catch (...) {
      absl::MutexLock g(&mu_);
      if (!error_) error_ = std::current_exception();
      stop_requested_ = true;
    }
    t->body = nullptr;  // the closure's captures die on the task's own thread
    trace_->Record(steps(), Now(), t->id, Phase::kInstant, trace_->Intern(""),
                   trace_->Intern("task_exit"), {});
    absl::MutexLock g(&mu_);
    for (TaskId j : t->joiners) {
      Task& jt = *tasks_[j];
      if (jt.state == State::kParked && jt.wake_reason == Wake::kNone) {
        jt.wake_reason = Wake::kWoken;
        Transition(&jt, State::kRunning);
        jt.wake.Signal();
      }
    }
    t->joiners.clear();
    Transition(t, State::kExited);
    --live_;
    if (!t->options.daemon) --live_nondaemon_;
    exited_threads_.push_back(pthread_self());  // joined by Run() or the next StartThread
    exit_cv_.SignalAll();
    if (live_nondaemon_ == 0 || live_ == 0) run_cv_.Signal();
  }
  SetFreeEngineThread(false);
  tls_task = nullptr;
  tls_engine_of_task = nullptr;
}

void FreeEngine::Transition(Task* t, State s, const char* what, TaskId holder, WaitList* wl) {
  const auto runnable = [](State x) { return x == State::kCreated || x == State::kRunning; };
  if (t->state == State::kTimed && sleepers_.erase(SleeperKey{t->deadline, t->id}) > 0 &&
      !t->options.daemon) {
    --nondaemon_sleepers_;
  }
  const bool was = runnable(t->state);
  t->state = s;
  t->waiting_on = what;
  t->holder = holder;
  t->parked_on = wl;
  if (s == State::kTimed) {
    sleepers_.insert(SleeperKey{t->deadline, t->id});
    if (!t->options.daemon) ++nondaemon_sleepers_;
    if (time_scale_ > 0) clock_cv_.Signal();  // real time may reach it before the next idle
  }
  const bool is = runnable(s);
  if (was && !is) {
    if (--runnable_ == 0 && running_) clock_cv_.Signal();
  } else if (!was && is) {
    ++runnable_;
  }
}

FreeEngine::Wake FreeEngine::WaitForWake(Task* t) {
  while (t->wake_reason == Wake::kNone && !stopping_.load()) t->wake.Wait(&mu_);
  const Wake w = t->wake_reason;
  if (w == Wake::kNone) Transition(t, State::kRunning);  // the run is stopping
  return w;
}

void FreeEngine::CheckKilled() const {
  if (stopping_.load(std::memory_order_acquire) && SelfTask() != nullptr &&
      std::uncaught_exceptions() == 0) {
    throw TaskKilled{};
  }
}

void FreeEngine::Perturbation(Task* t) {
  switch (perturb_) {
    case Perturb::kNone:
      return;
    case Perturb::kLight: {
      const uint64_t r = t->rng.Below(64);
      if (r < 4) {
        std::this_thread::yield();
      } else if (r < 5) {
        Spin(t->rng.Below(200));
      }
      return;
    }
    case Perturb::kHeavy: {
      const uint64_t r = t->rng.Below(32);
      if (r < 12) {
        std::this_thread::yield();
      } else if (r < 18) {
        Spin(t->rng.Below(2000));
      } else if (r < 20) {
        std::this_thread::sleep_for(std::chrono::microseconds(1 + t->rng.Below(5)));
      }
      return;
    }
  }
}

void FreeEngine::StopLocked(Ending why) {
  if (!ending_set_) {
    ending_ = why;
    ending_set_ = true;
  }
  stop_requested_ = true;
  run_cv_.Signal();
}

void FreeEngine::RequestStop(Ending why) {
  absl::MutexLock g(&mu_);
  StopLocked(why);
}

void FreeEngine::Point(PointKind kind) {
  const uint64_t step =
      std::atomic_ref<uint64_t>(steps_).fetch_add(1, std::memory_order_relaxed) + 1;
  if (kind == PointKind::kShared) shared_steps_.fetch_add(1, std::memory_order_relaxed);
  Task* t = SelfTask();
  if (t == nullptr) return;  // setup code
  if (step == options_.max_steps) RequestStop(Ending::kMaxSteps);
  CheckKilled();
  Perturbation(t);
}

void FreeEngine::Park(WaitList& wl, RawLock& lock, const char* what, TaskId holder) {
  Task* t = SelfTask();
  if (t == nullptr) throw std::logic_error(absl::StrCat("Park outside a task: ", what));
  std::atomic_ref<uint64_t>(steps_).fetch_add(1, std::memory_order_relaxed);
  CheckKilled();
  // Queued under `lock`; the wait starts under mu_ before `lock` is released, so an Unpark
  // (which takes `lock`, then mu_) always finds the task waiting or not yet queued.
  wl.waiters_.push_back(t->id);
  Wake w = Wake::kNone;
  {
    absl::MutexLock g(&mu_);
    t->wake_reason = Wake::kNone;
    Transition(t, State::kParked, what, holder, &wl);
    lock.unlock();
    w = WaitForWake(t);
  }
  lock.lock();
  if (w != Wake::kWoken) Unlist(wl, t->id);
  CheckKilled();
}

bool FreeEngine::ParkUntil(WaitList& wl, RawLock& lock, const char* what, Nanos deadline) {
  Task* t = SelfTask();
  if (t == nullptr) throw std::logic_error(absl::StrCat("ParkUntil outside a task: ", what));
  std::atomic_ref<uint64_t>(steps_).fetch_add(1, std::memory_order_relaxed);
  CheckKilled();
  if (deadline <= Now()) return false;
  wl.waiters_.push_back(t->id);
  Wake w = Wake::kNone;
  {
    absl::MutexLock g(&mu_);
    t->wake_reason = Wake::kNone;
    t->deadline = deadline;
    Transition(t, State::kTimed, what, kNoTask, &wl);
    lock.unlock();
    w = WaitForWake(t);
  }
  lock.lock();
  // A task that timed out may still be queued: Unpark skips it (its wake_reason is set).
  if (w != Wake::kWoken) Unlist(wl, t->id);
  CheckKilled();
  return w == Wake::kWoken;
}

void FreeEngine::Unlist(WaitList& wl, TaskId id) {
  auto& w = wl.waiters_;
  w.erase(std::remove(w.begin(), w.end(), id), w.end());
}

void FreeEngine::Unpark(WaitList& wl, bool all) {
  if (wl.waiters_.empty()) return;
  absl::MutexLock g(&mu_);
  std::vector<TaskId> rest;
  bool woke_one = false;
  for (TaskId id : wl.waiters_) {
    Task& t = *tasks_[id];
    if (t.wake_reason != Wake::kNone) continue;  // timed out: leaves the queue by itself
    if (!all && woke_one) {
      rest.push_back(id);
      continue;
    }
    t.wake_reason = Wake::kWoken;
    Transition(&t, State::kRunning);  // runnable before Unpark returns: never counted as waiting
    t.wake.Signal();
    woke_one = true;
  }
  wl.waiters_ = std::move(rest);
}

Nanos FreeEngine::Now() const {
  const Nanos end = end_time_.load(std::memory_order_acquire);
  if (end >= 0) return end;
  if (!started_.load(std::memory_order_acquire)) return 0;
  Nanos v = offset_.load(std::memory_order_acquire);
  if (time_scale_ > 0) {
    const auto real = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start_);
    v += static_cast<Nanos>(static_cast<double>(real.count()) * time_scale_);
  }
  return v;
}

void FreeEngine::Sleep(Nanos duration) {
  Task* t = SelfTask();
  if (t == nullptr) throw std::logic_error("Sleep outside a task");
  Point(PointKind::kLocal);
  if (duration <= 0) return;
  {
    absl::MutexLock g(&mu_);
    t->wake_reason = Wake::kNone;
    t->deadline = Now() + duration;
    Transition(t, State::kTimed, "msleep");
    WaitForWake(t);
  }
  CheckKilled();
}

void FreeEngine::Join(TaskId id) {
  {
    absl::MutexLock g(&mu_);
    if (id == kNoTask || id >= tasks_.size()) throw std::logic_error("Join: no such task");
  }
  Point(PointKind::kShared);
  Task* self = SelfTask();
  {
    absl::MutexLock g(&mu_);
    Task* target = tasks_[id].get();
    if (self == nullptr) {  // setup code
      while (target->state != State::kExited) exit_cv_.Wait(&mu_);
    } else if (target->state != State::kExited) {
      target->joiners.push_back(self->id);
      self->wake_reason = Wake::kNone;
      Transition(self, State::kParked, "join", id);
      WaitForWake(self);
    }
  }
  CheckKilled();
}

TimerId FreeEngine::StartTimer(Nanos delay, std::string name, std::function<void()> fn) {
  const Nanos deadline = Now() + std::max<Nanos>(delay, 0);
  absl::MutexLock g(&mu_);
  const TimerId id = timers_.Add(deadline, TimerRec{std::move(name), std::move(fn)}).first;
  clock_cv_.Signal();
  return id;
}

bool FreeEngine::CancelTimer(TimerId id) {
  absl::MutexLock g(&mu_);
  return timers_.Cancel(id);
}

Nanos FreeEngine::NextDeadline() const {
  Nanos next = -1;
  if (!timers_.empty()) next = timers_.next_deadline();
  if (!sleepers_.empty() && (next < 0 || sleepers_.begin()->first < next)) {
    next = sleepers_.begin()->first;
  }
  return next;
}

bool FreeEngine::FireDue(Nanos now) {
  bool fired = false;
  while (true) {
    const bool timer = !timers_.empty() && timers_.next_deadline() <= now;
    const bool sleeper = !sleepers_.empty() && sleepers_.begin()->first <= now;
    if (!timer && !sleeper) return fired;
    // Earliest first; a timer before a sleeper due at the same time.
    const bool timer_first =
        timer && (!sleeper || timers_.next_deadline() <= sleepers_.begin()->first);
    const Nanos due = timer_first ? timers_.next_deadline() : sleepers_.begin()->first;
    if (due > options_.max_virtual_time) {  // real time (time_scale > 0) got there first
      StopLocked(Ending::kMaxVirtualTime);
      return fired;
    }
    fired = true;
    if (timer_first) {
      TimerRec rec = timers_.PopFirst().second;
      // Spawned under mu_: Run() never sees the timer gone and its task not yet live.
      SpawnLocked(std::move(rec.name), std::move(rec.fn), {});
    } else {
      Task& t = *tasks_[sleepers_.begin()->second];
      t.wake_reason = Wake::kTimeout;
      Transition(&t, State::kRunning);
      t.wake.Signal();
    }
  }
}

void FreeEngine::OnIdle(Nanos now) {
  if (QuiescentLocked()) {
    run_cv_.Signal();
    return;
  }
  if (timers_.empty() && nondaemon_sleepers_ == 0) {
    // Nothing can wake a non-daemon task: the controlled engine's stall rule.
    RecordStall();
    StopLocked(Ending::kStall);
    return;
  }
  const Nanos next = NextDeadline();
  if (next > options_.max_virtual_time) {
    StopLocked(Ending::kMaxVirtualTime);
    return;
  }
  if (next > now) {
    offset_.fetch_add(next - now, std::memory_order_acq_rel);
    jumps_.fetch_add(1, std::memory_order_relaxed);
  }
}

void FreeEngine::ClockLoop() {
  absl::MutexLock g(&mu_);
  while (!stopping_.load()) {
    if (ending_set_ || error_) {  // Run() is about to stop the run
      clock_cv_.Wait(&mu_);
      continue;
    }
    const Nanos now = Now();
    if (FireDue(now) || ending_set_) continue;
    if (runnable_ == 0) {
      const Nanos before = offset_.load();
      OnIdle(now);
      if (offset_.load() != before) continue;  // jumped: fire what is due there
    }
    const Nanos next = NextDeadline();
    if (time_scale_ > 0 && next >= 0) {
      const double real_ns = static_cast<double>(next - now) / time_scale_;
      clock_cv_.WaitWithTimeout(&mu_, absl::Nanoseconds(std::min(real_ns, 1e15)));
    } else {
      clock_cv_.Wait(&mu_);
    }
  }
}

bool FreeEngine::QuiescentLocked() const { return live_nondaemon_ == 0 && timers_.empty(); }

void FreeEngine::AppendWaitLine(const Task& t, const char* indent) {
  absl::StrAppend(&stall_graph_, indent, "T", t.id, " ", t.name, t.options.daemon ? " (daemon)" : "",
                  " waits for ", t.waiting_on != nullptr ? t.waiting_on : "?");
  if (t.holder != kNoTask && t.holder < tasks_.size()) {
    const Task& h = *tasks_[t.holder];
    absl::StrAppend(&stall_graph_, " held by T", h.id, " ", h.name,
                    h.oops.empty() ? "" : " (which died in an oops holding it)");
  }
  absl::StrAppend(&stall_graph_, "\n");
}

void FreeEngine::RecordStall() {
  stalled_ = true;
  stall_graph_.clear();
  stall_names_.clear();
  stall_culprit_ = kNoTask;
  // One line per blocked non-daemon task, then the live daemon tasks its wait depends on
  // (following `holder`); a chain that ends at a task that died in an oops names that oops.
  for (size_t i = 1; i < tasks_.size(); ++i) {
    const Task& t = *tasks_[i];
    if (t.state == State::kExited || t.options.daemon) continue;
    AppendWaitLine(t, "  ");
    stall_names_.push_back(t.name);
    std::vector<TaskId> seen{t.id};
    for (TaskId h = t.holder; h != kNoTask && h < tasks_.size();) {
      const Task& ht = *tasks_[h];
      if (!ht.oops.empty()) {
        if (stall_culprit_ == kNoTask) stall_culprit_ = ht.id;
        break;
      }
      if (ht.state == State::kExited || !ht.options.daemon) break;  // a non-daemon has its line
      if (std::find(seen.begin(), seen.end(), h) != seen.end()) break;  // a cycle
      seen.push_back(h);
      AppendWaitLine(ht, "    ");
      h = ht.holder;
    }
  }
}

void FreeEngine::StopAll() {
  stopping_.store(true, std::memory_order_release);
  {
    absl::MutexLock g(&mu_);
    clock_cv_.SignalAll();
    // Every wait re-checks stopping_ under mu_, so one signal each is enough.
    for (size_t i = 1; i < tasks_.size(); ++i) {
      if (tasks_[i]->state != State::kExited) tasks_[i]->wake.Signal();
    }
    exit_cv_.SignalAll();
  }
  if (clock_thread_.joinable()) clock_thread_.join();
  absl::MutexLock g(&mu_);
  while (live_ != 0) run_cv_.WaitWithTimeout(&mu_, absl::Milliseconds(5));
  ReapLocked();
}

RunResult FreeEngine::Run() {
  Scope scope(*this);
  const auto wall_start = Clock::now();
  {
    absl::MutexLock g(&mu_);
    start_ = wall_start;
    started_.store(true, std::memory_order_release);
    running_ = true;
    // Only the tasks spawned before Run(): StartThread may release mu_ (EAGAIN back-off), and a
    // task that starts meanwhile spawns and starts its own.
    const size_t before_run = tasks_.size();
    for (size_t i = 1; i < before_run; ++i) {
      if (tasks_[i]->state == State::kCreated) StartThread(tasks_[i].get());
    }
  }
  clock_thread_ = std::thread([this] { ClockLoop(); });

  Ending ending = Ending::kQuiescent;
  bool stalled = false;
  std::string graph;
  std::vector<std::string> names;
  std::string cause, cause_detail;  // the oops behind a stall, if any
  Nanos end_time = 0;
  {
    absl::MutexLock g(&mu_);
    while (true) {
      if (stop_requested_ || error_) {
        ending = ending_set_ ? ending_ : Ending::kFinding;
        break;
      }
      if (QuiescentLocked()) {
        ending = Ending::kQuiescent;
        break;
      }
      if (time_scale_ > 0 && Now() > options_.max_virtual_time) {
        ending = Ending::kMaxVirtualTime;
        break;
      }
      if (options_.interrupt != nullptr && options_.interrupt->load(std::memory_order_relaxed) != 0) {
        ending = Ending::kInterrupted;
        break;
      }
      if (options_.wall_deadline_seconds > 0 &&
          std::chrono::duration<double>(Clock::now() - wall_start).count() >
              options_.wall_deadline_seconds) {
        ending = Ending::kWallDeadline;
        break;
      }
      ReapLocked();
      run_cv_.WaitWithTimeout(&mu_, absl::Milliseconds(2));
    }
    end_time = Now();
    stalled = stalled_ && ending == Ending::kStall;
    graph = stall_graph_;
    names = stall_names_;
    if (stall_culprit_ != kNoTask) {
      const Task& c = *tasks_[stall_culprit_];
      cause = absl::StrCat(" (behind T", c.id, " ", c.name, ", which died in an oops: ",
                           c.oops.substr(0, c.oops.find(':')), ")");
      cause_detail = absl::StrCat("caused by an earlier oops (the tasks it left waiting stay "
                                  "blocked, as in the kernel):\n  T", c.id, " ", c.name, ": ",
                                  c.oops, "\n");
    }
  }
  if (stalled && Enabled(invariants::kStall)) {
    Finding f;
    f.invariant = invariants::kStall;
    f.message = absl::StrCat(names.size(),
                             " task(s) blocked forever: no task can run and no timer is pending");
    absl::StrAppend(&f.message, cause);
    f.detail = absl::StrCat("wait-for graph:\n", graph, cause_detail);
    f.tasks = std::move(names);
    AddFinding(std::move(f));
  }
  StopAll();
  end_time_.store(end_time, std::memory_order_release);

  std::exception_ptr error;
  RunResult r;
  {
    absl::MutexLock g(&mu_);
    error = error_;
    r.tasks = static_cast<uint32_t>(tasks_.size() - 1);
    r.max_live_tasks = max_live_;
  }
  if (error) std::rethrow_exception(error);
  r.ending = ending;
  r.steps = steps();
  r.shared_steps = shared_steps_.load();
  r.switches = 0;  // the OS switches threads; not observable here
  r.virtual_time = end_time;
  r.trace_hash = trace_->hash();
  CollectFindings(r);
  return r;
}

}  // namespace probestorm::harness
