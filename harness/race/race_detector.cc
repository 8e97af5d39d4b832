#include "harness/race/race_detector.h"

#include "absl/strings/str_cat.h"
#include "harness/engine.h"

namespace probestorm::harness {

VectorClock& RaceDetector::ClockOf(uint32_t task) {
  if (task >= clocks_.size()) clocks_.resize(task + 1);
  VectorClock& c = clocks_[task];
  if (c.Get(task) == 0) c.Set(task, 1);  // every task starts at epoch 1
  return c;
}

void RaceDetector::OnSpawn(uint32_t parent, uint32_t child) {
  VectorClock& c = ClockOf(child);
  if (parent != 0) {
    VectorClock& p = ClockOf(parent);
    c.Join(p);
    p.Tick(parent);
  }
}

void RaceDetector::OnJoin(uint32_t joiner, uint32_t exited) {
  if (joiner == 0) return;
  VectorClock e = ClockOf(exited);
  ClockOf(joiner).Join(e);
}

void RaceDetector::Acquire(uint32_t task, const SyncClock& s) {
  if (task == 0) return;
  ClockOf(task).Join(s.vc);
}

void RaceDetector::Release(uint32_t task, SyncClock& s) {
  if (task == 0) return;
  VectorClock& c = ClockOf(task);
  s.vc.Join(c);
  c.Tick(task);
}

void RaceDetector::OnRead(uint32_t task, Shadow& sh, const FieldLabel& label, const char* func) {
  if (task == 0) return;
  VectorClock& c = ClockOf(task);
  if (sh.write.task != 0 && sh.write.task != task && c.Get(sh.write.task) < sh.write.clock) {
    ReportRace(label, sh.write, true, task, func, false);
  }
  const AccessEpoch me{task, c.Get(task), func};
  for (auto& r : sh.reads) {
    if (r.task == task) {
      r = me;
      return;
    }
  }
  sh.reads.push_back(me);
}

void RaceDetector::OnWrite(uint32_t task, Shadow& sh, const FieldLabel& label, const char* func) {
  if (task == 0) return;
  VectorClock& c = ClockOf(task);
  if (sh.write.task != 0 && sh.write.task != task && c.Get(sh.write.task) < sh.write.clock) {
    ReportRace(label, sh.write, true, task, func, true);
  } else {
    for (const auto& r : sh.reads) {
      if (r.task != task && c.Get(r.task) < r.clock) {
        ReportRace(label, r, false, task, func, true);
        break;
      }
    }
  }
  sh.reads.clear();
  sh.write = {task, c.Get(task), func};
}

void RaceDetector::ReportRace(const FieldLabel& field, const AccessEpoch& earlier,
                              bool earlier_write, uint32_t task, const char* func, bool write) {
  ++races_;
  const std::string label = field.Text();
  if (!reported_.insert(label).second) return;
  const std::string other = engine_->TaskName(earlier.task);
  const std::string me = engine_->TaskName(task);
  std::string msg = absl::StrCat("data race on ", label, ": ", write ? "write" : "read", " in ",
                                 func ? func : "?", " (", me, ") vs earlier ",
                                 earlier_write ? "write" : "read", " in ",
                                 earlier.func ? earlier.func : "?", " (", other,
                                 ") with no happens-before between them");
  std::string detail =
      absl::StrCat("access 1: T", earlier.task, " ", other, " ", earlier_write ? "write" : "read",
                   " in ", earlier.func ? earlier.func : "?", "\naccess 2: T", task, " ", me, " ",
                   write ? "write" : "read", " in ", func ? func : "?", "\n");
  engine_->Report(InvariantId::kDataRace, Severity::kViolation, std::move(msg), {}, std::move(detail),
                  {other});
}

}  // namespace probestorm::harness
