#include "harness/free_engine.h"

#include <limits.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
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
  std::vector<TaskId> joiners;    // tasks in Join(this task)
  absl::CondVar wake;             // Sleep waits here
  // Guarded by the RawLock of the primitive the task is parked on: set by Unpark when it takes
  // this task off WaitList::waiters_ (so a woken task never counts as blocked for the stall check).
  bool woken = false;
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

FreeEngine::FreeEngine(EngineOptions options, Perturb perturb, double time_scale)
    : Engine(std::move(options), /*threaded=*/true), perturb_(perturb), time_scale_(time_scale) {
  if (!(time_scale_ > 0)) throw std::invalid_argument("FreeEngine: time_scale must be > 0");
  absl::MutexLock g(&mu_);
  tasks_.emplace_back();  // TaskId 0 is "no task"
}

FreeEngine::~FreeEngine() {
  // Run() joins every thread it started; without Run() no thread exists.
  if (timer_thread_.joinable()) timer_thread_.join();
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
  progress_.fetch_add(1, std::memory_order_relaxed);
  if (stopping_.load()) {  // teardown: the task never runs
    raw->state = State::kExited;
    return id;
  }
  ++live_;
  if (!options.daemon) ++live_nondaemon_;
  max_live_ = std::max(max_live_, live_);
  if (running_) StartThread(raw);
  return id;
}

void FreeEngine::StartThread(Task* t) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  size_t bytes = std::max<size_t>(options_.stack_bytes, PTHREAD_STACK_MIN);
  bytes = (bytes + page - 1) / page * page;
  pthread_attr_setstacksize(&attr, bytes);
  pthread_t th;
  auto* args = new StartArgs{this, t};
  int rc = 0;
  for (int attempt = 0; attempt < 50; ++attempt) {
    rc = pthread_create(&th, &attr, &FreeEngine::ThreadMain, args);
    if (rc != EAGAIN) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // threads of a previous run exiting
  }
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    delete args;
    t->state = State::kExited;
    --live_;
    if (!t->options.daemon) --live_nondaemon_;
    if (!error_) {
      error_ = std::make_exception_ptr(std::system_error(
          rc, std::generic_category(), absl::StrCat("FreeEngine: cannot create thread for task ", t->id)));
    }
    stop_requested_ = true;
    run_cv_.Signal();
    return;
  }
  threads_.push_back(th);
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
      t->state = State::kRunning;
    }
    try {
      if (!stopping_.load()) t->body();
    } catch (const TaskKilled&) {
    } catch (...) {
      absl::MutexLock g(&mu_);
      if (!error_) error_ = std::current_exception();
      stop_requested_ = true;
    }
    t->body = nullptr;  // the closure's captures die on the task's own thread
    trace_->Record(steps(), Now(), t->id, Phase::kInstant, trace_->Intern(""),
                   trace_->Intern("task_exit"), {});
    absl::MutexLock g(&mu_);
    t->state = State::kExited;
    for (TaskId j : t->joiners) {
      Task& jt = *tasks_[j];
      if (jt.state == State::kParked) jt.state = State::kRunning;  // runnable, not blocked
    }
    t->joiners.clear();
    --live_;
    if (!t->options.daemon) {
      --live_nondaemon_;
      progress_.fetch_add(1, std::memory_order_relaxed);
    }
    exit_cv_.SignalAll();
    run_cv_.Signal();
  }
  SetFreeEngineThread(false);
  tls_task = nullptr;
  tls_engine_of_task = nullptr;
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

void FreeEngine::RequestStop(Ending why) {
  absl::MutexLock g(&mu_);
  if (!ending_set_) {
    ending_ = why;
    ending_set_ = true;
  }
  stop_requested_ = true;
  run_cv_.Signal();
}

void FreeEngine::Point(PointKind kind) {
  const uint64_t step =
      std::atomic_ref<uint64_t>(steps_).fetch_add(1, std::memory_order_relaxed) + 1;
  if (kind == PointKind::kShared) shared_steps_.fetch_add(1, std::memory_order_relaxed);
  Task* t = SelfTask();
  if (t == nullptr) return;  // setup code
  if (!t->options.daemon) progress_.fetch_add(1, std::memory_order_relaxed);
  if (step == options_.max_steps) RequestStop(Ending::kMaxSteps);
  CheckKilled();
  Perturbation(t);
}

void FreeEngine::SetState(Task* t, State s, const char* what, TaskId holder, WaitList* wl) {
  absl::MutexLock g(&mu_);
  t->state = s;
  t->waiting_on = what;
  t->holder = holder;
  t->parked_on = wl;
  if (s == State::kRunning && !t->options.daemon) progress_.fetch_add(1, std::memory_order_relaxed);
}

void FreeEngine::Park(WaitList& wl, RawLock& lock, const char* what, TaskId holder) {
  Task* t = SelfTask();
  if (t == nullptr) throw std::logic_error(absl::StrCat("Park outside a task: ", what));
  std::atomic_ref<uint64_t>(steps_).fetch_add(1, std::memory_order_relaxed);
  CheckKilled();
  // Under `lock`: Unpark takes tasks off waiters_ in FIFO order and sets their `woken`; the
  // cv_ is notified for all, so a task not taken off simply waits again.
  t->woken = false;
  wl.waiters_.push_back(t->id);
  SetState(t, State::kParked, what, holder, &wl);
  while (!t->woken && !stopping_.load()) wl.cv_.wait(lock);
  if (!t->woken) Unlist(wl, t->id);
  SetState(t, State::kRunning, nullptr, kNoTask, nullptr);
  CheckKilled();
}

bool FreeEngine::ParkUntil(WaitList& wl, RawLock& lock, const char* what, Nanos deadline) {
  Task* t = SelfTask();
  if (t == nullptr) throw std::logic_error(absl::StrCat("ParkUntil outside a task: ", what));
  std::atomic_ref<uint64_t>(steps_).fetch_add(1, std::memory_order_relaxed);
  CheckKilled();
  if (deadline <= Now()) return false;
  t->woken = false;
  wl.waiters_.push_back(t->id);
  SetState(t, State::kTimed, what, kNoTask, &wl);
  const Clock::time_point until = RealDeadline(deadline);
  while (!t->woken && !stopping_.load()) {
    if (wl.cv_.wait_until(lock, until) == std::cv_status::timeout) break;
  }
  const bool woken = t->woken;
  if (!woken) Unlist(wl, t->id);
  SetState(t, State::kRunning, nullptr, kNoTask, nullptr);
  CheckKilled();
  return woken;
}

void FreeEngine::Unlist(WaitList& wl, TaskId id) {
  auto& w = wl.waiters_;
  w.erase(std::remove(w.begin(), w.end(), id), w.end());
}

void FreeEngine::Unpark(WaitList& wl, bool all) {
  progress_.fetch_add(1, std::memory_order_relaxed);
  if (wl.waiters_.empty()) return;
  {
    absl::MutexLock g(&mu_);
    size_t n = all ? wl.waiters_.size() : 1;
    for (size_t i = 0; i < n; ++i) {
      Task& t = *tasks_[wl.waiters_[i]];
      t.woken = true;
      t.state = State::kRunning;  // runnable: no longer counts as blocked
    }
    wl.waiters_.erase(wl.waiters_.begin(), wl.waiters_.begin() + static_cast<ptrdiff_t>(n));
  }
  // condition_variable_any cannot target one thread: wake all, the others wait again.
  wl.cv_.notify_all();
}

Nanos FreeEngine::Now() const {
  const Nanos end = end_time_.load(std::memory_order_acquire);
  if (end >= 0) return end;
  if (!started_.load(std::memory_order_acquire)) return 0;
  const auto real = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start_);
  return static_cast<Nanos>(static_cast<double>(real.count()) * time_scale_);
}

FreeEngine::Clock::time_point FreeEngine::RealDeadline(Nanos virtual_deadline) const {
  const double real_ns = static_cast<double>(virtual_deadline) / time_scale_;
  return start_ + std::chrono::nanoseconds(static_cast<int64_t>(std::min(real_ns, 1e18)));
}

void FreeEngine::Sleep(Nanos duration) {
  Task* t = SelfTask();
  if (t == nullptr) throw std::logic_error("Sleep outside a task");
  Point(PointKind::kLocal);
  if (duration <= 0) return;
  const Clock::time_point until = RealDeadline(Now() + duration);
  {
    absl::MutexLock g(&mu_);
    t->state = State::kTimed;
    t->waiting_on = "msleep";
    while (!stopping_.load()) {
      const auto now = Clock::now();
      if (now >= until) break;
      t->wake.WaitWithTimeout(&mu_, absl::FromChrono(until - now));
    }
    t->state = State::kRunning;
    t->waiting_on = nullptr;
    if (!t->options.daemon) progress_.fetch_add(1, std::memory_order_relaxed);
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
    if (self != nullptr && target->state != State::kExited) {
      self->state = State::kParked;
      self->waiting_on = "join";
      self->holder = id;
      target->joiners.push_back(self->id);
    }
    while (target->state != State::kExited && !(self != nullptr && stopping_.load())) {
      exit_cv_.Wait(&mu_);
    }
    if (self != nullptr) {
      self->state = State::kRunning;
      self->waiting_on = nullptr;
      self->holder = kNoTask;
      if (!self->options.daemon) progress_.fetch_add(1, std::memory_order_relaxed);
    }
  }
  CheckKilled();
}

TimerId FreeEngine::StartTimer(Nanos delay, std::string name, std::function<void()> fn) {
  const Nanos deadline = Now() + std::max<Nanos>(delay, 0);
  absl::MutexLock g(&mu_);
  const TimerId id = next_timer_++;
  timers_.emplace(TimerKey{deadline, id}, TimerRec{id, std::move(name), std::move(fn)});
  timer_deadline_[id] = deadline;
  timer_cv_.Signal();
  return id;
}

bool FreeEngine::CancelTimer(TimerId id) {
  absl::MutexLock g(&mu_);
  auto it = timer_deadline_.find(id);
  if (it == timer_deadline_.end()) return false;
  timers_.erase(TimerKey{it->second, id});
  timer_deadline_.erase(it);
  return true;
}

void FreeEngine::TimerLoop() {
  absl::MutexLock g(&mu_);
  while (!stopping_.load()) {
    if (timers_.empty()) {
      timer_cv_.Wait(&mu_);
      continue;
    }
    const Clock::time_point when = RealDeadline(timers_.begin()->first.first);
    const Clock::time_point now = Clock::now();
    if (now < when) {
      timer_cv_.WaitWithTimeout(&mu_, absl::FromChrono(when - now));
      continue;
    }
    TimerRec rec = std::move(timers_.begin()->second);
    timers_.erase(timers_.begin());
    timer_deadline_.erase(rec.id);
    progress_.fetch_add(1, std::memory_order_relaxed);
    // Spawned under mu_: Run() never sees the timer gone and its task not yet live.
    SpawnLocked(std::move(rec.name), std::move(rec.fn), {});
  }
}

bool FreeEngine::QuiescentLocked() const { return live_nondaemon_ == 0 && timers_.empty(); }

bool FreeEngine::AllBlocked(std::string* graph, std::vector<std::string>* names) const {
  if (live_nondaemon_ == 0 || !timers_.empty()) return false;
  graph->clear();
  names->clear();
  for (size_t i = 1; i < tasks_.size(); ++i) {
    const Task& t = *tasks_[i];
    if (t.state == State::kExited || t.options.daemon) continue;
    if (t.state != State::kParked) return false;
    absl::StrAppend(graph, "  T", t.id, " ", t.name, " waits for ",
                    t.waiting_on != nullptr ? t.waiting_on : "?");
    if (t.holder != kNoTask && t.holder < tasks_.size()) {
      absl::StrAppend(graph, " held by T", t.holder, " ", tasks_[t.holder]->name);
    }
    absl::StrAppend(graph, "\n");
    names->push_back(t.name);
  }
  return true;
}

void FreeEngine::StopAll() {
  stopping_.store(true, std::memory_order_release);
  {
    absl::MutexLock g(&mu_);
    timer_cv_.SignalAll();
  }
  if (timer_thread_.joinable()) timer_thread_.join();
  std::vector<pthread_t> threads;
  {
    absl::MutexLock g(&mu_);
    while (live_ != 0) {
      // Re-notified every millisecond: a task may be between its last check and its wait.
      for (size_t i = 1; i < tasks_.size(); ++i) {
        Task& t = *tasks_[i];
        if (t.state == State::kExited) continue;
        if (t.parked_on != nullptr) t.parked_on->cv_.notify_all();
        t.wake.Signal();
      }
      exit_cv_.SignalAll();
      run_cv_.WaitWithTimeout(&mu_, absl::Milliseconds(1));
    }
    threads.swap(threads_);
  }
  for (pthread_t th : threads) pthread_join(th, nullptr);
}

RunResult FreeEngine::Run() {
  Scope scope(*this);
  const auto wall_start = Clock::now();
  {
    absl::MutexLock g(&mu_);
    start_ = wall_start;
    started_.store(true, std::memory_order_release);
    running_ = true;
    for (size_t i = 1; i < tasks_.size(); ++i) {
      if (tasks_[i]->state == State::kCreated) StartThread(tasks_[i].get());
    }
  }
  timer_thread_ = std::thread([this] { TimerLoop(); });

  Ending ending = Ending::kQuiescent;
  bool stalled = false;
  std::string graph;
  std::vector<std::string> names;
  Nanos end_time = 0;
  {
    absl::MutexLock g(&mu_);
    uint64_t last_progress = progress_.load();
    auto last_change = Clock::now();
    while (true) {
      const auto now = Clock::now();
      if (stop_requested_ || error_) {
        ending = ending_set_ ? ending_ : Ending::kFinding;
        break;
      }
      if (QuiescentLocked()) {
        ending = Ending::kQuiescent;
        break;
      }
      if (Now() > options_.max_virtual_time) {
        ending = Ending::kMaxVirtualTime;
        break;
      }
      if (options_.wall_deadline_seconds > 0 &&
          std::chrono::duration<double>(now - wall_start).count() > options_.wall_deadline_seconds) {
        ending = Ending::kWallDeadline;
        break;
      }
      const uint64_t p = progress_.load();
      if (p != last_progress) {
        last_progress = p;
        last_change = now;
      } else if (now - last_change >= kStallWindow && AllBlocked(&graph, &names)) {
        ending = Ending::kStall;
        stalled = true;
        break;
      }
      run_cv_.WaitWithTimeout(&mu_, absl::Milliseconds(2));
    }
    end_time = Now();
  }
  if (stalled && Enabled(InvariantId::kStall)) {
    Finding f;
    f.invariant = std::string(InvariantName(InvariantId::kStall));
    f.message = absl::StrCat(names.size(),
                             " task(s) blocked forever: every live task parked, no timer, no "
                             "progress for ",
                             kStallWindow.count(), " ms");
    f.detail = absl::StrCat("wait-for graph:\n", graph);
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
  r.findings = TakeFindings();
  return r;
}

}  // namespace probestorm::harness
