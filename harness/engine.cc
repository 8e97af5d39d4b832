#include "harness/engine.h"

#include <stdexcept>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "harness/invariants/data_race.h"
#include "harness/invariants/lock_order.h"
#include "harness/race/lockdep.h"
#include "harness/strings.h"
#include "harness/race/race_detector.h"
#include "harness/trace/trace.h"

namespace probestorm::harness {
namespace {

thread_local Engine* tls_engine = nullptr;
// True on OS threads of a FreeEngine: RawLock is then a real lock.
thread_local bool tls_free_engine = false;

}  // namespace

void SetFreeEngineThread(bool on) { tls_free_engine = on; }

void RawLock::lock() {
  if (tls_free_engine) m_.lock();
}
void RawLock::unlock() {
  if (tls_free_engine) m_.unlock();
}

const char* SeverityName(Severity s) { return s == Severity::kViolation ? "violation" : "warning"; }

const char* EndingName(Ending e) {
  switch (e) {
    case Ending::kQuiescent: return "quiescent";
    case Ending::kFinding: return "finding";
    case Ending::kStall: return "stall";
    case Ending::kMaxVirtualTime: return "max-virtual-time";
    case Ending::kMaxSteps: return "max-steps";
    case Ending::kWallDeadline: return "wall-deadline";
    case Ending::kInterrupted: return "interrupted";
  }
  return "?";
}

bool Incomplete(Ending e) {
  return e == Ending::kMaxVirtualTime || e == Ending::kMaxSteps || e == Ending::kWallDeadline ||
         e == Ending::kInterrupted;
}

bool RunResult::Violated() const {
  for (const auto& f : findings) {
    if (f.severity == Severity::kViolation) return true;
  }
  return false;
}

Engine::Engine(EngineOptions options, bool threaded)
    : options_(std::move(options)),
      trace_(std::make_unique<Trace>(options_.keep_trace, options_.trace_tail, threaded)),
      model_rng_(Rng(options_.seed).Fork("model")) {
  if (options_.lockdep && options_.invariants.Has(invariants::kLockOrder)) {
    lockdep_ = std::make_unique<LockDep>(this, threaded);
  }
  if (!options_.invariants.Has(invariants::kDataRace)) options_.race_detection = false;
}

Engine::~Engine() = default;

Engine& Engine::Current() {
  if (tls_engine == nullptr) throw std::logic_error("no probestorm engine on this thread");
  return *tls_engine;
}
Engine* Engine::CurrentOrNull() { return tls_engine; }

Engine::Scope::Scope(Engine& e) : saved_(tls_engine) { tls_engine = &e; }
Engine::Scope::~Scope() { tls_engine = saved_; }

bool Engine::Report(InvariantId id, Severity severity, std::string message,
                    std::vector<std::string> devices, std::string detail,
                    std::vector<std::string> extra_tasks) {
  if (!Enabled(id)) return false;
  Finding f;
  f.invariant = id;
  f.severity = severity;
  f.message = std::move(message);
  f.detail = std::move(detail);
  f.devices = std::move(devices);
  f.tasks.push_back(TaskName(Self()));
  for (auto& t : extra_tasks) {
    if (t != f.tasks.front()) f.tasks.push_back(std::move(t));
  }
  AddFinding(std::move(f));
  // The two detectors observe the schedule rather than a broken model state: their findings are
  // recorded and the run goes on, so the semantic invariants behind them still get their chance
  // (in v6.1 the dev->iommu race precedes nearly every interesting interleaving).
  if (severity == Severity::kViolation && options_.stop_on_violation && !id.detector()) {
    stop_requested_ = true;
  }
  return true;
}

void Engine::Oops(InvariantId id, std::string message, std::vector<std::string> devices,
                  std::string detail) {
  std::string oops = absl::StrCat(Av(id.name()), " at t=",
                                  absl::StripLeadingAsciiWhitespace(FormatKernelTime(Now())),
                                  "s: ", message);
  Report(id, Severity::kViolation, std::move(message), std::move(devices), std::move(detail));
  throw TaskKilled{std::move(oops)};
}

void Oops(InvariantId id, std::string message, std::vector<std::string> devices, std::string detail) {
  Engine::Current().Oops(id, std::move(message), std::move(devices), std::move(detail));
}

void Engine::Panic(InvariantId id, std::string message, std::vector<std::string> devices,
                   std::string detail) {
  stop_requested_ = true;
  Oops(id, std::move(message), std::move(devices), std::move(detail));
}

void Panic(InvariantId id, std::string message, std::vector<std::string> devices, std::string detail) {
  Engine::Current().Panic(id, std::move(message), std::move(devices), std::move(detail));
}

void Engine::AddFinding(Finding f) {
  f.step = steps();
  f.virtual_time_ns = Now();
  trace_->Record(f.step, Now(), Self(), Phase::kFinding,
                 trace_->Intern(f.devices.empty() ? std::string_view() : f.devices.front()),
                 trace_->Intern(f.invariant.name()), f.message);
  if (options_.trace_tail > 0) f.trace_tail = trace_->TailLines(options_.trace_tail);
  std::lock_guard<std::mutex> g(findings_mu_);
  findings_.push_back(std::move(f));
}

void Engine::CollectFindings(RunResult& r) {
  {
    std::lock_guard<std::mutex> g(findings_mu_);
    r.findings = std::move(findings_);
  }
  if (end_check_) end_check_(r);
}

}  // namespace probestorm::harness
