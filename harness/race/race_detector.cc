#include "harness/race/race_detector.h"

#include <algorithm>
#include <cstddef>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "harness/engine.h"
#include "harness/invariants/data_race.h"

namespace probestorm::harness {

void RaceDetector::TakeSlot(uint32_t task) {
  TaskState& t = tasks_[task];
  uint32_t s = kNoSlot;
  bool exact = true;
  const size_t scan = std::min(free_.size(), kFreeScan);
  for (size_t i = 0; i < scan; ++i) {
    if (t.clock.Get(free_[i]) < last_access_[free_[i]]) continue;  // an old access is unknown
    s = free_[i];
    free_.erase(free_.begin() + static_cast<std::ptrdiff_t>(i));
    break;
  }
  if (s == kNoSlot && owner_.size() < max_slots_) {
    s = static_cast<uint32_t>(owner_.size());
    owner_.push_back(0);
    epoch_.push_back(0);
    base_.push_back(0);
    last_access_.push_back(0);
    final_clock_.emplace_back();
  }
  if (s == kNoSlot && !free_.empty()) {
    s = free_.front();
    free_.erase(free_.begin());
    exact = false;
  }
  if (s == kNoSlot) {
    // Every slot belongs to a live task (not this one: it has none); take the next in turn.
    s = hand_;
    hand_ = (hand_ + 1) % static_cast<uint32_t>(owner_.size());
    TaskState& loser = tasks_[owner_[s]];
    loser.clock.Set(s, epoch_[s]);  // its own component, kept in epoch_ while it owned the slot
    loser.slot = kNoSlot;
    exact = false;
  }
  if (!exact) ++inexact_handovers_;
  final_clock_[s] = VectorClock();
  owner_[s] = task;
  base_[s] = ++epoch_[s];  // one past the slot's last epoch
  t.slot = s;
  t.last_slot = s;
}

RaceDetector::TaskState& RaceDetector::GrowTasks(uint32_t task) {
  tasks_.resize(task + 1);
  return tasks_[task];
}

void RaceDetector::Tick(uint32_t task) {
  ++epoch_[SlotOf(task)];
}

void RaceDetector::OnSpawn(uint32_t parent, uint32_t child, const SyncClock* start) {
  VectorClock c;
  if (parent != 0) c = FullClock(parent);
  if (start != nullptr) JoinSync(c, kNoSlot, *start);
  StateOf(child).clock = std::move(c);  // the child takes a slot at its first event
  if (parent != 0) Tick(parent);
}

void RaceDetector::OnExit(uint32_t task) {
  TaskState& t = StateOf(task);
  t.ended = true;
  if (t.slot != kNoSlot) t.clock.Set(t.slot, epoch_[t.slot]);
  if (t.last_slot != kNoSlot) t.final_epoch = t.clock.Get(t.last_slot);
  if (t.slot != kNoSlot) {
    free_.push_back(t.slot);
    final_clock_[t.slot] = std::move(t.clock);  // kept for a Join until the slot is taken again
    t.clock = VectorClock();
  }
  // A task without a slot (it never released or accessed tracked state, or lost its slot to the
  // hand) keeps its clock for a Join: what it acquired still reaches whoever joins it.
}

void RaceDetector::OnJoin(uint32_t joiner, uint32_t exited) {
  if (joiner == 0) return;
  const TaskState& x = StateOf(exited);
  VectorClock e;
  if (!x.ended) {
    e = FullClock(exited);
  } else if (x.slot == kNoSlot) {
    e = x.clock;  // ended without a slot: its clock stayed with it
  } else if (owner_[x.slot] == exited) {
    e = final_clock_[x.slot];
  } else {
    e.Set(x.last_slot, x.final_epoch);  // its slot has a new owner: only its last epoch is left
  }
  ClockOf(joiner).Join(e);
}

VectorClock RaceDetector::FullClock(uint32_t task) {
  const TaskState& t = StateOf(task);
  VectorClock c = t.clock;
  if (t.slot != kNoSlot) c.Set(t.slot, epoch_[t.slot]);
  return c;
}

void RaceDetector::JoinSync(VectorClock& c, uint32_t own_slot, const SyncClock& s) {
  c.Join(s.vc);
  if (s.epoch != 0 && s.slot != own_slot && c.Get(s.slot) < s.epoch) c.Set(s.slot, s.epoch);
}

bool RaceDetector::Known(const TaskState& t, const SyncClock& s) const {
  // Epochs from base_ on belong to the slot's current owner only.
  return s.epoch != 0 && s.epoch >= base_[s.slot] && Get(t, s.slot) >= s.epoch;
}

void RaceDetector::Acquire(uint32_t task, const SyncClock& s) {
  if (task == 0) return;
  TaskState& t = StateOf(task);
  if (!Known(t, s)) JoinSync(t.clock, t.slot, s);
  s.covered_by = task;
}

void RaceDetector::Release(uint32_t task, SyncClock& s) {
  if (task == 0) return;
  const uint32_t slot = SlotOf(task);
  TaskState& t = tasks_[task];
  // s holds nothing yet (no clock, no epoch), or only what this task's clock covers. (A clock
  // with no entries can still carry its releaser's epoch: a task that knows nothing but its own
  // component publishes an empty vc and (slot, epoch).)
  if ((s.vc.Empty() && s.epoch == 0) || s.covered_by == task || Known(t, s)) {
    // s is covered by the task's clock: the join is that clock, shared, with the task's own
    // component as s's epoch.
    s.vc = t.clock;
    s.slot = slot;
    s.epoch = epoch_[slot];
    s.covered_by = task;
  } else {
    ReleaseJoin(t, slot, s);
  }
  ++epoch_[slot];  // the task's next epoch (Tick; the slot is the one taken above)
}

void RaceDetector::ReleaseJoin(const TaskState& t, uint32_t slot, SyncClock& s) {
  if (s.epoch != 0 && s.vc.Get(s.slot) < s.epoch) s.vc.Set(s.slot, s.epoch);
  s.vc.Join(t.clock);
  s.vc.Set(slot, epoch_[slot]);
  s.epoch = 0;
  s.covered_by = 0;
}

void RaceDetector::OnRead(uint32_t task, Shadow& sh, const FieldLabel& label, const char* func) {
  if (task == 0) return;
  const uint32_t slot = SlotOf(task);
  const TaskState& t = tasks_[task];
  if (sh.write.task != 0 && sh.write.task != task && Get(t, sh.write.slot) < sh.write.clock) {
    ReportRace(sh, label, sh.write, true, task, func, false);
  }
  const uint32_t epoch = epoch_[slot];
  if (!sh.reads.empty()) {
    // Read again in the same epoch (no release since): the entry stands, only the place moves.
    AccessEpoch& last = sh.reads.back();
    if (last.task == task && last.clock == epoch && last.slot == slot) {
      last.func = func;
      return;
    }
  }
  last_access_[slot] = epoch;
  const AccessEpoch me{task, slot, epoch, func};
  if (sh.reads.size() < kScanReads) {
    for (auto& r : sh.reads) {
      if (r.task == task) {
        r = me;
        return;
      }
    }
    sh.reads.push_back(me);
    return;
  }
  sh.reads.push_back(me);
  if (sh.reads.size() >= sh.compact_at) CompactReads(sh);
}

void RaceDetector::CompactReads(Shadow& sh) {
  auto& v = sh.reads;
  size_t n = 0;
  if (v.size() <= kCompactByScan) {
    // Few entries: look each task up among the kept ones (no map to allocate).
    for (size_t i = 0; i < v.size(); ++i) {
      size_t j = 0;
      while (j < n && v[j].task != v[i].task) ++j;
      v[j] = v[i];
      if (j == n) ++n;
    }
  } else {
    absl::flat_hash_map<uint32_t, size_t> at;
    at.reserve(v.size());
    for (size_t i = 0; i < v.size(); ++i) {
      const auto [it, first] = at.try_emplace(v[i].task, n);
      v[first ? n++ : it->second] = v[i];
    }
  }
  v.resize(n);
  sh.compact_at = static_cast<uint32_t>(2 * std::max(n, kScanReads));
}

void RaceDetector::OnWrite(uint32_t task, Shadow& sh, const FieldLabel& label, const char* func) {
  if (task == 0) return;
  const uint32_t slot = SlotOf(task);
  const TaskState& t = tasks_[task];
  if (sh.reads.size() > kScanReads) CompactReads(sh);
  if (sh.write.task != 0 && sh.write.task != task && Get(t, sh.write.slot) < sh.write.clock) {
    ReportRace(sh, label, sh.write, true, task, func, true);
  } else {
    for (const auto& r : sh.reads) {
      if (r.task != task && Get(t, r.slot) < r.clock) {
        ReportRace(sh, label, r, false, task, func, true);
        break;
      }
    }
  }
  sh.reads.clear();
  sh.compact_at = 0;
  last_access_[slot] = epoch_[slot];
  sh.write = {task, slot, epoch_[slot], func};
}

void RaceDetector::ReportRace(Shadow& sh, const FieldLabel& field, const AccessEpoch& earlier,
                              bool earlier_write, uint32_t task, const char* func, bool write) {
  ++races_;
  if (sh.raced) return;
  sh.raced = true;
  const std::string label = field.Text();
  if (!reported_.insert(label).second) return;  // another field of the same name (a new object)
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
  engine_->Report(invariants::kDataRace, invariants::kDataRace.severity, std::move(msg), {},
                  std::move(detail), {other});
}

}  // namespace probestorm::harness
