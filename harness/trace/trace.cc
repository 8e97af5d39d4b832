#include "harness/trace/trace.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "harness/engine.h"
#include "harness/strings.h"

namespace probestorm::harness {
namespace {

// Deterministic on every compiler and run (the trace hash identifies a run): a multiply-xorshift
// over 64-bit words, the string's bytes read little-endian.
uint64_t Mix(uint64_t h, uint64_t v) {
  h = (h ^ v) * 0x9e3779b97f4a7c15ULL;
  return h ^ (h >> 29);
}

uint64_t HashText(std::string_view s) {
  uint64_t h = Mix(0x100000001b3ULL, s.size());
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w = 0;
    for (size_t b = 0; b < 8; ++b) w |= uint64_t{static_cast<unsigned char>(s[i + b])} << (8 * b);
    h = Mix(h, w);
  }
  uint64_t w = 0;
  for (size_t b = 0; i + b < s.size(); ++b) w |= uint64_t{static_cast<unsigned char>(s[i + b])} << (8 * b);
  return Mix(h, w);
}

}  // namespace

Trace::NameId Trace::Intern(std::string_view name) {
  std::lock_guard<RunLock> g(mu_);
  RecentName& slot =
      recent_[((reinterpret_cast<uintptr_t>(name.data()) >> 3) ^ name.size()) % kRecentNames];
  // An unused slot has no text (every interned copy has a non-null data()).
  if (slot.text.data() != nullptr && slot.data == name.data() && slot.text == name) return slot.id;
  NameId id;
  if (auto it = ids_.find(name); it != ids_.end()) {
    id = it->second;
  } else {
    id = static_cast<NameId>(names_.size());
    const std::string& stored = names_.emplace_back(name);
    name_hashes_.push_back(HashText(stored));
    ids_.emplace(stored, id);
  }
  slot = {name.data(), names_[id], id};
  return id;
}

void Trace::Record(uint64_t step, Nanos time, uint32_t task, Phase phase, NameId device, NameId func,
                   std::string_view detail) {
  std::lock_guard<RunLock> g(mu_);
  hash_ = Mix(hash_, step);
  hash_ = Mix(hash_, static_cast<uint64_t>(time));
  hash_ = Mix(hash_, (uint64_t{task} << 8) | static_cast<uint64_t>(phase));
  hash_ = Mix(hash_, name_hashes_[device]);
  hash_ = Mix(hash_, name_hashes_[func]);
  hash_ = Mix(hash_, detail.empty() ? 0 : HashText(detail));
  ++count_;
  if (phase == Phase::kBegin || phase == Phase::kEnd) {
    if (spans_.size() <= task) {
      spans_.resize(task + 1);
      current_.resize(task + 1, "?");
    }
    auto& st = spans_[task];
    if (phase == Phase::kBegin) {
      st.push_back(func);
    } else if (!st.empty()) {
      st.pop_back();
    }
    current_[task] = st.empty() ? "?" : names_[st.back()].c_str();
  }
  if (keep_all_ || events_.size() < tail_) {
    events_.push_back({step, time, task, phase, device, func, std::string(detail)});
  } else if (tail_ > 0) {
    Stored& slot = events_[start_];
    slot.step = step;
    slot.time = time;
    slot.task = task;
    slot.phase = phase;
    slot.device = device;
    slot.func = func;
    slot.detail.assign(detail);
    start_ = (start_ + 1) % tail_;
  }
}

TraceEvent Trace::Expand(const Stored& s) const {
  return {s.step, s.time, s.task, s.phase, names_[s.device], names_[s.func], s.detail};
}

std::vector<TraceEvent> Trace::Events() const {
  std::lock_guard<RunLock> g(mu_);
  std::vector<TraceEvent> out;
  out.reserve(events_.size());
  for (size_t i = 0; i < events_.size(); ++i) out.push_back(Expand(At(i)));
  return out;
}

std::vector<std::string> Trace::TailLines(size_t n) const {
  std::lock_guard<RunLock> g(mu_);
  std::vector<std::string> out;
  for (size_t i = events_.size() > n ? events_.size() - n : 0; i < events_.size(); ++i) {
    const Stored& e = At(i);
    out.push_back(FormatTraceLine(Expand(e), e.task < task_names_.size() ? task_names_[e.task] : ""));
  }
  return out;
}

void Trace::SetTaskName(uint32_t task, std::string name) {
  std::lock_guard<RunLock> g(mu_);
  if (task_names_.size() <= task) task_names_.resize(task + 1);
  task_names_[task] = std::move(name);
}

std::string Trace::TaskName(uint32_t task) const {
  std::lock_guard<RunLock> g(mu_);
  return task < task_names_.size() ? task_names_[task] : std::string();
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
  Trace& t = e.trace();
  t.Record(e.steps(), e.Now(), e.Self(), Phase::kInstant, t.Intern(device), t.Intern(func), detail);
}

TraceSpan::TraceSpan(std::string_view device, std::string_view func) {
  Engine& e = Engine::Current();
  Trace& t = e.trace();
  device_ = t.Intern(device);
  func_ = t.Intern(func);
  t.Record(e.steps(), e.Now(), e.Self(), Phase::kBegin, device_, func_, {});
}

TraceSpan::~TraceSpan() {
  Engine* e = Engine::CurrentOrNull();
  if (e == nullptr) return;
  e->trace().Record(e->steps(), e->Now(), e->Self(), Phase::kEnd, device_, func_, {});
}

}  // namespace probestorm::harness
