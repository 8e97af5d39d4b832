#include "harness/controlled_engine.h"

#include <algorithm>
#include <exception>
#include <stdexcept>
#include <utility>

#include <boost/context/fiber.hpp>

#include "absl/strings/str_cat.h"
#include "harness/fiber_stack.h"
#include "harness/invariants/stall.h"
#include "harness/race/race_detector.h"
#include "harness/sanitizer_fiber.h"
#include "harness/trace/trace.h"

namespace probestorm::harness {

namespace ctx = boost::context;

enum class TaskState : uint8_t { kRunnable, kParked, kSleeping, kExited };

struct ControlledEngine::Task {
  TaskId id = kNoTask;
  std::string name;
  std::function<void()> body;
  TaskOptions options;
  ctx::fiber fiber;
  ctx::stack_context stack{};
  TaskState state = TaskState::kRunnable;
  bool started = false;
  bool oopsed = false;  // ended by an oops (TaskKilled outside teardown), possibly holding locks
  std::string oops;     // that oops (TaskKilled::oops)
  const char* waiting_on = nullptr;
  TaskId holder = kNoTask;
  WaitList* parked_on = nullptr;
  TimerId park_timer = 0;
  bool timed_out = false;
  std::vector<TaskId> joiners;
  void* tsan_fiber = nullptr;
  void* asan_fake_stack = nullptr;
};

struct ControlledEngine::SchedulerContext {
  ctx::fiber fiber;  // the scheduler's continuation while a task runs
  void* tsan_fiber = nullptr;
  void* asan_fake_stack = nullptr;
  const void* stack_bottom = nullptr;
  size_t stack_size = 0;
  std::exception_ptr error;  // an exception that escaped a task body (a harness/model bug)
};

ControlledEngine::ControlledEngine(EngineOptions options, Strategy* strategy)
    : Engine(std::move(options), /*threaded=*/false),
      strategy_(strategy),
      sched_(std::make_unique<SchedulerContext>()) {
  tasks_.emplace_back();  // TaskId 0 is "no task"
  if (options_.race_detection) race_ = std::make_unique<RaceDetector>(this, options_.race_clock_slots);
  if (Exploration* x = strategy_->exploration()) {
    x->recorder.BeginRun();
    conflicts_ = &x->recorder;
  }
  strategy_->Begin(options_.seed);  // before any Spawn: PCT assigns priorities at spawn
}

ControlledEngine::~ControlledEngine() {
  // Unstarted fibers unwind without running their body; KillAll() ended the started ones.
  for (auto& t : tasks_) {
    if (t) sanitizer::DestroyTsanFiber(t->tsan_fiber);
  }
}

TaskId ControlledEngine::Spawn(std::string name, std::function<void()> body, TaskOptions options) {
  return SpawnTask(std::move(name), std::move(body), options, nullptr);
}

TaskId ControlledEngine::SpawnTask(std::string name, std::function<void()> body, TaskOptions options,
                                   const SyncClock* start) {
  if (current_ != kNoTask && task(current_).options.daemon) options.daemon = true;
  const TaskId id = static_cast<TaskId>(tasks_.size());
  auto t = std::make_unique<Task>();
  t->id = id;
  t->name = std::move(name);
  t->body = std::move(body);
  t->options = options;
  Task* raw = t.get();
  t->fiber = ctx::fiber(std::allocator_arg, PooledStack(options_.stack_bytes, &raw->stack),
                        [this, raw](ctx::fiber&& sched) -> ctx::fiber {
    sched_->fiber = std::move(sched);
    sanitizer::FinishSwitch(nullptr, &sched_->stack_bottom, &sched_->stack_size);
    try {
      raw->body();
    } catch (const TaskKilled& k) {
      raw->oopsed = !killing_;
      if (raw->oopsed) raw->oops = k.oops;
    } catch (const ctx::detail::forced_unwind&) {
      throw;
    } catch (...) {
      if (!sched_->error) sched_->error = std::current_exception();
      stop_requested_ = true;
    }
    raw->body = nullptr;
    raw->state = TaskState::kExited;
    if (race_) race_->OnExit(raw->id);
    RemoveRunnable(raw->id);
    --live_;
    if (!raw->options.daemon) --nondaemon_live_;
    for (TaskId j : raw->joiners) MakeRunnable(j);
    raw->joiners.clear();
    trace_->Record(steps_, now_, raw->id, Phase::kInstant, trace_->Intern(""),
                   trace_->Intern("task_exit"), {});
    sanitizer::SwitchTsanFiber(sched_->tsan_fiber);
    sanitizer::StartSwitch(nullptr, sched_->stack_bottom, sched_->stack_size);
    return std::move(sched_->fiber);
  });
  t->tsan_fiber = sanitizer::CreateTsanFiber();
  trace_->SetTaskName(id, t->name);
  tasks_.push_back(std::move(t));
  ++live_;
  if (!options.daemon) ++nondaemon_live_;
  max_live_ = std::max(max_live_, live_);
  if (race_) race_->OnSpawn(current_, id, start);
  strategy_->OnSpawn(id);
  MakeRunnable(id);
  return id;
}

void ControlledEngine::Join(TaskId t) {
  if (t == kNoTask || t >= tasks_.size()) throw std::logic_error("Join: no such task");
  Point(PointKind::kShared);
  if (task(t).state != TaskState::kExited) {
    task(t).joiners.push_back(current_);
    Block("join", t);
  }
  if (race_) race_->OnJoin(current_, t);
}

std::string ControlledEngine::TaskName(TaskId t) const {
  if (t == kNoTask || t >= tasks_.size()) return "-";
  return tasks_[t]->name;
}

void ControlledEngine::Decide(PointKind kind) {
  if (current_ == kNoTask) return;
  if (killing_) {
    CheckKilled();
    return;
  }
  if (steps_ >= options_.max_steps && !stop_requested_) {
    stop_requested_ = true;
    ending_ = Ending::kMaxSteps;
  }
  if ((steps_ & 4095) == 0 && !stop_requested_) {
    if (options_.interrupt != nullptr && options_.interrupt->load(std::memory_order_relaxed) != 0) {
      stop_requested_ = true;
      ending_ = Ending::kInterrupted;
    } else if (options_.wall_deadline_seconds > 0 &&
               std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count() >
                   options_.wall_deadline_seconds) {
      stop_requested_ = true;
      ending_ = Ending::kWallDeadline;
    }
  }
  if (stop_requested_) {
    // A task unwinding (an oops thrown in it) finishes unwinding first: switching away here would
    // leave its destructors half run until KillAll, or until the fiber is destroyed with the
    // engine, outside the run.
    if (std::uncaught_exceptions() > 0) return;
    next_ = kNoTask;
    SwitchToScheduler();
    CheckKilled();
    return;
  }
  const TaskId n = Choose(current_, kind);
  if (n == current_) return;
  next_ = n;
  SwitchToScheduler();
  CheckKilled();
}

TaskId ControlledEngine::Choose(TaskId current, PointKind kind) {
  if (runnable_.size() == 1) return runnable_[0];
  SchedView view{runnable_, current, kind, steps_, shared_steps_};
  size_t idx = strategy_->Pick(view);
  if (idx >= runnable_.size()) idx = 0;
  schedule_.choices.push_back(static_cast<uint32_t>(idx));
  return runnable_[idx];
}

void ControlledEngine::CheckKilled() {
  if (killing_ && std::uncaught_exceptions() == 0) throw TaskKilled{};
}

void ControlledEngine::SwitchToScheduler() {
  Task& t = task(current_);
  sanitizer::SwitchTsanFiber(sched_->tsan_fiber);
  sanitizer::StartSwitch(&t.asan_fake_stack, sched_->stack_bottom, sched_->stack_size);
  sched_->fiber = std::move(sched_->fiber).resume();
  sanitizer::FinishSwitch(t.asan_fake_stack, &sched_->stack_bottom, &sched_->stack_size);
}

void ControlledEngine::Resume(TaskId id) {
  Task& t = task(id);
  current_ = id;
  t.started = true;
  ++switches_;
  sanitizer::SwitchTsanFiber(t.tsan_fiber);
  sanitizer::StartSwitch(&sched_->asan_fake_stack, static_cast<char*>(t.stack.sp) - t.stack.size,
                         t.stack.size);
  t.fiber = std::move(t.fiber).resume();
  sanitizer::FinishSwitch(sched_->asan_fake_stack, nullptr, nullptr);
  current_ = kNoTask;
}

void ControlledEngine::MakeRunnable(TaskId t) {
  task(t).state = TaskState::kRunnable;
  auto it = std::lower_bound(runnable_.begin(), runnable_.end(), t);
  if (it == runnable_.end() || *it != t) runnable_.insert(it, t);
}

void ControlledEngine::RemoveRunnable(TaskId t) {
  auto it = std::lower_bound(runnable_.begin(), runnable_.end(), t);
  if (it != runnable_.end() && *it == t) runnable_.erase(it);
}

void ControlledEngine::Block(const char* what, TaskId holder) {
  Task& t = task(current_);
  t.state = TaskState::kParked;
  t.waiting_on = what;
  t.holder = holder;
  RemoveRunnable(current_);
  next_ = kNoTask;
  SwitchToScheduler();
  t.waiting_on = nullptr;
  t.holder = kNoTask;
  CheckKilled();
}

void ControlledEngine::Park(WaitList& wl, RawLock& lock, const char* what, TaskId holder) {
  if (current_ == kNoTask) throw std::logic_error(absl::StrCat("Park outside a task: ", what));
  ++steps_;
  CheckKilled();
  task(current_).parked_on = &wl;
  wl.waiters_.push_back(current_);
  lock.unlock();
  Block(what, holder);
  lock.lock();
}

bool ControlledEngine::ParkUntil(WaitList& wl, RawLock& lock, const char* what, Nanos deadline) {
  if (current_ == kNoTask) throw std::logic_error(absl::StrCat("ParkUntil outside a task: ", what));
  ++steps_;
  CheckKilled();
  Task& t = task(current_);
  if (deadline <= now_) return false;
  t.park_timer = timers_.Add(deadline, TimerRec{current_, {}, {}, {}}, !t.options.daemon).first;
  t.timed_out = false;
  t.parked_on = &wl;
  wl.waiters_.push_back(current_);
  lock.unlock();
  Block(what, kNoTask);
  lock.lock();
  t.park_timer = 0;
  if (t.timed_out) {
    auto& w = wl.waiters_;
    w.erase(std::remove(w.begin(), w.end(), t.id), w.end());
    t.parked_on = nullptr;
    return false;
  }
  return true;
}

void ControlledEngine::Unpark(WaitList& wl, bool all) {
  while (!wl.waiters_.empty()) {
    const TaskId id = wl.waiters_.front();
    wl.waiters_.erase(wl.waiters_.begin());
    Task& t = task(id);
    t.parked_on = nullptr;
    if (t.park_timer != 0) {
      CancelTimer(t.park_timer);
      t.park_timer = 0;
    }
    if (t.state == TaskState::kParked) MakeRunnable(id);
    if (!all) break;
  }
}

void ControlledEngine::Sleep(Nanos duration) {
  if (current_ == kNoTask) throw std::logic_error("Sleep outside a task");
  Point(PointKind::kLocal);
  if (duration <= 0) return;
  Task& t = task(current_);
  timers_.Add(now_ + duration, TimerRec{current_, {}, {}, {}}, !t.options.daemon);
  t.state = TaskState::kSleeping;
  RemoveRunnable(current_);
  next_ = kNoTask;
  t.waiting_on = "msleep";
  SwitchToScheduler();
  t.waiting_on = nullptr;
  CheckKilled();
}

TimerId ControlledEngine::StartTimer(Nanos delay, std::string name, std::function<void()> fn) {
  auto [id, rec] = timers_.Add(now_ + std::max<Nanos>(delay, 0),
                               TimerRec{kNoTask, std::move(name), std::move(fn), {}});
  if (race_ && current_ != kNoTask) race_->Release(current_, rec.clock);
  return id;
}

bool ControlledEngine::CancelTimer(TimerId id) { return timers_.Cancel(id); }

bool ControlledEngine::FireNextTimers() {
  const bool nondaemon_live = nondaemon_live_ > 0;
  if (timers_.waited() == 0) {
    if (!nondaemon_live) {
      ending_ = Ending::kQuiescent;
    } else {
      ending_ = Ending::kStall;
      ReportStall();
    }
    return false;
  }
  const Nanos deadline = timers_.next_deadline();
  if (deadline > options_.max_virtual_time) {
    ending_ = Ending::kMaxVirtualTime;
    return false;
  }
  now_ = deadline;
  while (!timers_.empty() && timers_.next_deadline() == deadline) {
    auto [id, rec] = timers_.PopFirst();
    if (rec.wake != kNoTask) {
      Task& t = task(rec.wake);
      if (t.state == TaskState::kParked && t.park_timer == id) {
        t.timed_out = true;
        MakeRunnable(rec.wake);
      } else if (t.state == TaskState::kSleeping) {
        MakeRunnable(rec.wake);
      }
    } else {
      SpawnTask(std::move(rec.name), std::move(rec.fn), {}, &rec.clock);
    }
  }
  return true;
}

void ControlledEngine::ReportStall() {
  // One line per blocked task. A non-daemon task is listed in its own right; after it come the
  // daemon tasks its wait depends on (a DMA job resuming the device it waits for, the pm_wq work
  // suspending that job's SysMMU...), following `holder` until a task that waits for no known
  // task. A chain that ends at a task that died in an oops names that oops as the cause.
  std::string graph;
  std::vector<std::string> names;
  std::vector<TaskId> culprits;  // oopsed tasks at the end of a chain, first seen first
  auto append_wait = [this, &graph](const Task& t, const char* indent) {
    absl::StrAppend(&graph, indent, "T", t.id, " ", t.name, t.options.daemon ? " (daemon)" : "",
                    " waits for ", t.waiting_on ? t.waiting_on : "?");
    if (t.holder != kNoTask) {
      absl::StrAppend(&graph, " held by T", t.holder, " ", TaskName(t.holder));
      if (task(t.holder).oopsed) absl::StrAppend(&graph, " (which died in an oops holding it)");
    }
    absl::StrAppend(&graph, "\n");
  };
  for (size_t i = 1; i < tasks_.size(); ++i) {
    const Task& t = *tasks_[i];
    if (t.state == TaskState::kExited || t.options.daemon) continue;
    append_wait(t, "  ");
    names.push_back(t.name);
    std::vector<TaskId> seen{t.id};
    for (TaskId h = t.holder; h != kNoTask;) {
      const Task& ht = task(h);
      if (ht.oopsed) {
        if (std::find(culprits.begin(), culprits.end(), h) == culprits.end()) culprits.push_back(h);
        break;
      }
      if (ht.state == TaskState::kExited) break;
      if (std::find(seen.begin(), seen.end(), h) != seen.end()) break;  // a cycle: a deadlock
      seen.push_back(h);
      if (ht.options.daemon) append_wait(ht, "    ");  // a non-daemon task has its own line
      h = ht.holder;
    }
  }
  Finding f;
  f.invariant = invariants::kStall;
  f.message = absl::StrCat(names.size(), " task(s) blocked forever: no runnable task and no timer");
  f.detail = absl::StrCat("wait-for graph:\n", graph);
  if (!culprits.empty()) {
    const Task& c = task(culprits.front());
    absl::StrAppend(&f.message, " (behind T", c.id, " ", c.name, ", which died in an oops: ",
                    c.oops.substr(0, c.oops.find(':')), ")");
    absl::StrAppend(&f.detail, "caused by an earlier oops (the tasks it left waiting stay blocked, as "
                               "in the kernel):\n");
    for (TaskId id : culprits) {
      absl::StrAppend(&f.detail, "  T", id, " ", task(id).name, ": ", task(id).oops, "\n");
    }
  }
  f.tasks = std::move(names);
  if (Enabled(invariants::kStall)) AddFinding(std::move(f));
}

void ControlledEngine::KillAll() {
  killing_ = true;
  for (size_t i = 1; i < tasks_.size(); ++i) {
    Task& t = *tasks_[i];
    if (t.state == TaskState::kExited) continue;
    if (t.started) {
      Resume(t.id);
    } else {
      t.state = TaskState::kExited;
      --live_;
    }
  }
  runnable_.clear();
  timers_.Clear();
}

RunResult ControlledEngine::Run() {
  Scope scope(*this);
  wall_start_ = std::chrono::steady_clock::now();
  sched_->tsan_fiber = sanitizer::CurrentTsanFiber();
  while (true) {
    if (stop_requested_) {
      if (ending_ == Ending::kQuiescent) ending_ = Ending::kFinding;
      break;
    }
    if (next_ == kNoTask) {
      if (runnable_.empty()) {
        if (!FireNextTimers()) break;
        continue;
      }
      next_ = Choose(kNoTask, PointKind::kLocal);
    }
    const TaskId t = next_;
    next_ = kNoTask;
    Resume(t);
  }
  KillAll();
  if (sched_->error) std::rethrow_exception(sched_->error);
  RunResult r;
  r.ending = ending_;
  r.steps = steps_;
  r.shared_steps = shared_steps_;
  r.switches = switches_;
  r.virtual_time = now_;
  r.tasks = static_cast<uint32_t>(tasks_.size() - 1);
  r.max_live_tasks = max_live_;
  r.trace_hash = trace_->hash();
  CollectFindings(r);
  strategy_->End(schedule_, r);
  return r;
}

}  // namespace probestorm::harness
