#include "harness/race/race_detector.h"

#include <algorithm>
#include <cstddef>

#include "absl/strings/str_cat.h"
#include "harness/engine.h"

namespace probestorm::harness {

uint32_t RaceDetector::SlotOf(uint32_t task) {
  if (task >= task_slots_.size()) task_slots_.resize(task + 1);
  if (task_slots_[task].slot == kNoSlot) OnSpawn(0, task);  // a task the engine did not announce
  return task_slots_[task].slot;
}

uint32_t RaceDetector::TakeSlot(const VectorClock& start) {
  const size_t scan = std::min(free_.size(), kFreeScan);
  for (size_t i = 0; i < scan; ++i) {
    const uint32_t s = free_[i];
    if (start.Get(s) < last_access_[s]) continue;  // an access of the last owner is unknown
    free_.erase(free_.begin() + static_cast<std::ptrdiff_t>(i));
    return s;
  }
  clocks_.emplace_back();
  owner_.push_back(0);
  last_access_.push_back(0);
  return static_cast<uint32_t>(clocks_.size() - 1);
}

void RaceDetector::OnSpawn(uint32_t parent, uint32_t child, const SyncClock* start) {
  VectorClock c;
  if (parent != 0) c = ClockOf(parent);
  if (start != nullptr) c.Join(start->vc);
  const uint32_t s = TakeSlot(c);
  // Every owner starts one past the slot's last epoch (1 for a fresh slot).
  c.Set(s, clocks_[s].Get(s) + 1);
  clocks_[s] = std::move(c);
  owner_[s] = child;  // last_access_ stays: it covers every earlier owner of the slot
  if (child >= task_slots_.size()) task_slots_.resize(child + 1);
  task_slots_[child] = {s, 0};
  if (parent != 0) ClockOf(parent).Tick(SlotOf(parent));
}

void RaceDetector::OnExit(uint32_t task) {
  const uint32_t s = SlotOf(task);
  task_slots_[task].final_epoch = clocks_[s].Get(s);
  free_.push_back(s);
}

void RaceDetector::OnJoin(uint32_t joiner, uint32_t exited) {
  if (joiner == 0) return;
  const uint32_t s = SlotOf(exited);
  if (owner_[s] == exited) {
    VectorClock e = clocks_[s];
    ClockOf(joiner).Join(e);
  } else {
    VectorClock& c = ClockOf(joiner);
    c.Set(s, std::max(c.Get(s), task_slots_[exited].final_epoch));
  }
}

bool RaceDetector::Known(const VectorClock& c, const SyncClock& s) {
  if (s.task == 0) return false;
  const uint32_t slot = SlotOf(s.task);
  // A slot handed to a later owner carries that owner's epochs: they say nothing of s.
  return owner_[slot] == s.task && c.Get(slot) >= s.epoch;
}

void RaceDetector::Acquire(uint32_t task, const SyncClock& s) {
  if (task == 0) return;
  VectorClock& c = ClockOf(task);
  if (Known(c, s)) return;
  c.Join(s.vc);
}

void RaceDetector::Release(uint32_t task, SyncClock& s) {
  if (task == 0) return;
  const uint32_t slot = SlotOf(task);
  VectorClock& c = clocks_[slot];
  if (s.vc.Empty() || Known(c, s)) {
    s.vc = c;  // s is covered by c: the join is c itself
    s.task = task;
    s.epoch = c.Get(slot);
  } else {
    s.vc.Join(c);
    s.task = 0;
  }
  c.Tick(slot);
}

void RaceDetector::OnRead(uint32_t task, Shadow& sh, const FieldLabel& label, const char* func) {
  if (task == 0) return;
  const uint32_t slot = SlotOf(task);
  const VectorClock& c = clocks_[slot];
  if (sh.write.task != 0 && sh.write.task != task && c.Get(SlotOf(sh.write.task)) < sh.write.clock) {
    ReportRace(label, sh.write, true, task, func, false);
  }
  last_access_[slot] = c.Get(slot);
  const AccessEpoch me{task, c.Get(slot), func};
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
  const uint32_t slot = SlotOf(task);
  const VectorClock& c = clocks_[slot];
  if (sh.write.task != 0 && sh.write.task != task && c.Get(SlotOf(sh.write.task)) < sh.write.clock) {
    ReportRace(label, sh.write, true, task, func, true);
  } else {
    for (const auto& r : sh.reads) {
      if (r.task != task && c.Get(SlotOf(r.task)) < r.clock) {
        ReportRace(label, r, false, task, func, true);
        break;
      }
    }
  }
  sh.reads.clear();
  last_access_[slot] = c.Get(slot);
  sh.write = {task, c.Get(slot), func};
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
