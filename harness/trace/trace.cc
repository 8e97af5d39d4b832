#include "harness/trace/trace.h"

#include "absl/strings/str_cat.h"
#include "harness/engine.h"
#include "harness/strings.h"

namespace probestorm::harness {
namespace {

void HashBytes(uint64_t& h, std::string_view s) {
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  h = (h ^ 0xff) * 0x100000001b3ULL;  // field separator
}
void HashU64(uint64_t& h, uint64_t v) {
  for (int i = 0; i < 8; ++i) h = (h ^ ((v >> (8 * i)) & 0xff)) * 0x100000001b3ULL;
}

}  // namespace

void Trace::Record(TraceEvent e) {
  std::lock_guard<std::mutex> g(mu_);
  HashU64(hash_, e.step);
  HashU64(hash_, static_cast<uint64_t>(e.time));
  HashU64(hash_, e.task);
  HashU64(hash_, static_cast<uint64_t>(e.phase));
  HashBytes(hash_, e.device);
  HashBytes(hash_, e.func);
  HashBytes(hash_, e.detail);
  ++count_;
  if (e.phase == Phase::kBegin || e.phase == Phase::kEnd) {
    if (spans_.size() <= e.task) spans_.resize(e.task + 1);
    auto& st = spans_[e.task];
    if (e.phase == Phase::kBegin) {
      auto it = interned_.find(e.func);
      if (it == interned_.end()) it = interned_.insert(e.func).first;
      st.push_back(it->c_str());
    } else if (!st.empty()) {
      st.pop_back();
    }
  }
  events_.push_back(std::move(e));
  if (!keep_all_ && events_.size() > tail_) events_.pop_front();
}

std::vector<TraceEvent> Trace::Events() const {
  std::lock_guard<std::mutex> g(mu_);
  return {events_.begin(), events_.end()};
}

std::vector<std::string> Trace::TailLines(size_t n) const {
  std::lock_guard<std::mutex> g(mu_);
  std::vector<std::string> out;
  const size_t start = events_.size() > n ? events_.size() - n : 0;
  for (size_t i = start; i < events_.size(); ++i) {
    const auto& e = events_[i];
    out.push_back(FormatTraceLine(e, e.task < task_names_.size() ? task_names_[e.task] : ""));
  }
  return out;
}

void Trace::SetTaskName(uint32_t task, std::string name) {
  std::lock_guard<std::mutex> g(mu_);
  if (task_names_.size() <= task) task_names_.resize(task + 1);
  task_names_[task] = std::move(name);
}

std::string Trace::TaskName(uint32_t task) const {
  std::lock_guard<std::mutex> g(mu_);
  return task < task_names_.size() ? task_names_[task] : std::string();
}

const char* Trace::CurrentFunction(uint32_t task) const {
  std::lock_guard<std::mutex> g(mu_);
  if (task < spans_.size() && !spans_[task].empty()) return spans_[task].back();
  return "?";
}

std::string FormatTraceLine(const TraceEvent& e, std::string_view task_name) {
  std::string line = absl::StrCat("[", FormatKernelTime(e.time), "] T", e.task);
  if (!task_name.empty()) absl::StrAppend(&line, " ", Av(task_name));
  absl::StrAppend(&line, " ");
  if (!e.device.empty()) absl::StrAppend(&line, e.device, ": ");
  switch (e.phase) {
    case Phase::kBegin: absl::StrAppend(&line, e.func, " {"); break;
    case Phase::kEnd: absl::StrAppend(&line, "} ", e.func); break;
    case Phase::kFinding: absl::StrAppend(&line, "FINDING ", e.func); break;
    case Phase::kInstant: absl::StrAppend(&line, e.func); break;
  }
  if (!e.detail.empty()) absl::StrAppend(&line, ": ", e.detail);
  return line;
}

void TraceLog(std::string_view device, std::string_view func, std::string_view detail) {
  Engine& e = Engine::Current();
  e.trace().Record({e.steps(), e.Now(), e.Self(), Phase::kInstant, std::string(device),
                    std::string(func), std::string(detail)});
}

TraceSpan::TraceSpan(std::string_view device, std::string_view func) : device_(device), func_(func) {
  Engine& e = Engine::Current();
  e.trace().Record({e.steps(), e.Now(), e.Self(), Phase::kBegin, device_, func_, ""});
}

TraceSpan::~TraceSpan() {
  Engine* e = Engine::CurrentOrNull();
  if (e == nullptr) return;
  e->trace().Record({e->steps(), e->Now(), e->Self(), Phase::kEnd, device_, func_, ""});
}

}  // namespace probestorm::harness
