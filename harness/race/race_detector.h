// RaceDetector: happens-before (vector clock) detection of data races on Tracked<T> fields.
//
// Clock slots (bounded, in the manner of TSan v3): clocks have one component per slot, at most
// `max_slots` of them, not one per task ever created. A task takes a slot at its first event that
// needs one and keeps it while it lives unless the slots run out. Epochs of a slot continue across
// its owners. A slot goes, in this order of preference:
//  1. to a task whose clock covers the slot's last owner up to that owner's last access (the last
//     owner ended): every check stays exact;
//  2. fresh, while fewer than max_slots exist;
//  3. from an ended task, oldest first, or else taken from a live task round robin (that task
//     takes another slot at its next event). Then a clock that learns the new owner's epochs also
//     counts as knowing the old owner's accesses in that slot: races with those are missed (never
//     reported falsely). Runs with at most max_slots tasks live at once never get here.
// Join of an ended task whose slot was taken again carries only that task's own component (no
// model path joins a long-ended task).
//
// Thread-safety: controlled engine only (one OS thread); the engine owns one per run.
#ifndef PROBESTORM_HARNESS_RACE_RACE_DETECTOR_H_
#define PROBESTORM_HARNESS_RACE_RACE_DETECTOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "harness/race/vector_clock.h"

namespace probestorm::harness {

class Engine;

// The name of a tracked field, "<prefix><suffix>" ("13800000.decon" + " dev->iommu"). Built into
// text only for a report: labelling every field of every device eagerly cost a heap string each.
struct FieldLabel {
  const std::string* prefix;  // outlives the field (the owner's name, or the field's own label)
  const char* suffix;         // a string literal
  std::string Text() const { return *prefix + suffix; }
};

class RaceDetector {
 public:
  RaceDetector(Engine* engine, uint32_t max_slots) : engine_(engine), max_slots_(max_slots) {}

  // `start`, if set, is acquired by the child as it starts (a timer's starter -> timer task).
  void OnSpawn(uint32_t parent, uint32_t child, const SyncClock* start = nullptr);
  // The task ended: its slot may be handed out again.
  void OnExit(uint32_t task);
  void OnJoin(uint32_t joiner, uint32_t exited);
  void Acquire(uint32_t task, const SyncClock& s);
  void Release(uint32_t task, SyncClock& s);
  // Both, as an atomic read-modify-write does.
  void AcquireRelease(uint32_t task, SyncClock& s) {
    Acquire(task, s);
    Release(task, s);
  }

  // `label` names the field ("13a00000.sysmmu drvdata"); `func` the task's current model function.
  void OnRead(uint32_t task, Shadow& sh, const FieldLabel& label, const char* func);
  void OnWrite(uint32_t task, Shadow& sh, const FieldLabel& label, const char* func);

  uint64_t races() const { return races_; }
  // Slots handed out so far (the length of the longest clock), and how often a slot changed owner
  // at the price of exactness (case 3 above).
  size_t slots() const { return owner_.size(); }
  uint64_t inexact_handovers() const { return inexact_handovers_; }

 private:
  static constexpr uint32_t kNoSlot = UINT32_MAX;
  // How many free slots a task examines, oldest first, for one it can take exactly.
  static constexpr size_t kFreeScan = 64;
  // Reads of one field since its last write that a read scans for its task's earlier entry. A
  // field that thousands of unordered tasks read (a device's iommu_group in every bus walk) made
  // that scan most of a large run's detector time: past this many, reads are appended and the
  // list is compacted when it has doubled and before a write checks it (CompactReads).
  static constexpr size_t kScanReads = 8;
  // Up to this many entries CompactReads finds duplicates by scanning, past it with a hash map.
  static constexpr size_t kCompactByScan = 64;
  struct TaskState {
    // Emptied when the task ends. While the task owns a slot, the clock's component of that slot
    // is stale: its value is epoch_[slot] (only the owner ticks it), so a tick writes no chunk and
    // a clock shared with a sync object by a release is not copied at the next tick.
    VectorClock clock;
    uint32_t slot = kNoSlot;       // its slot now; kNoSlot: none (yet, or taken by another task)
    uint32_t last_slot = kNoSlot;  // the last slot it had
    uint32_t final_epoch = 0;      // its epoch in last_slot when it ended
    bool ended = false;
  };
  TaskState& StateOf(uint32_t task) {
    if (task < tasks_.size()) [[likely]] return tasks_[task];
    return GrowTasks(task);
  }
  [[gnu::noinline]] TaskState& GrowTasks(uint32_t task);  // a task's first event
  // The task's slot, taking one if it has none; its clock's component of that slot is its epoch.
  uint32_t SlotOf(uint32_t task) {
    if (task < tasks_.size() && tasks_[task].slot != kNoSlot) [[likely]] return tasks_[task].slot;
    StateOf(task);
    TakeSlot(task);
    return tasks_[task].slot;
  }
  VectorClock& ClockOf(uint32_t task) { return StateOf(task).clock; }
  void TakeSlot(uint32_t task);
  void Tick(uint32_t task);  // the task's next epoch (after it published its clock)
  // The task's component of `slot`.
  uint32_t Get(const TaskState& t, uint32_t slot) const {
    return slot == t.slot ? epoch_[slot] : t.clock.Get(slot);
  }
  // The task's whole clock, its own component included (a copy).
  VectorClock FullClock(uint32_t task);
  // c |= s, for a clock whose component `own_slot` is kept in epoch_ (kNoSlot: none).
  static void JoinSync(VectorClock& c, uint32_t own_slot, const SyncClock& s);
  // Release's rare case, s not covered by the task's clock: s |= the task's clock. Out of line,
  // so that Release's common case (publish the task's clock) pays no register saves for it.
  [[gnu::noinline]] void ReleaseJoin(const TaskState& t, uint32_t slot, SyncClock& s);
  // The task already covers all of `s` (s is one release's clock whose epoch it knows).
  bool Known(const TaskState& t, const SyncClock& s) const;
  // Leaves one entry per task in `sh.reads`: at the place of its first read, holding its latest.
  static void CompactReads(Shadow& sh);
  // Reports a race on the field of `sh` unless the field or another of the same name already
  // raced this run (one finding per field: at scale a race on a field recurs thousands of times).
  void ReportRace(Shadow& sh, const FieldLabel& label, const AccessEpoch& earlier,
                  bool earlier_write, uint32_t task, const char* func, bool write);

  Engine* engine_;
  uint32_t max_slots_;
  std::vector<TaskState> tasks_;        // by task id
  std::vector<uint32_t> owner_;         // by slot: current or last task
  std::vector<uint32_t> epoch_;         // by slot: the last epoch any owner used
  std::vector<uint32_t> base_;          // by slot: the current owner's first epoch
  std::vector<uint32_t> last_access_;   // by slot: epoch of the last access of any owner
  std::vector<VectorClock> final_clock_;  // by slot: an ended owner's clock, until taken again
  std::vector<uint32_t> free_;          // slots of ended tasks, oldest first
  uint32_t hand_ = 0;                   // next slot to take from a live task
  uint64_t inexact_handovers_ = 0;
  uint64_t races_ = 0;
  absl::flat_hash_set<std::string> reported_;  // labels already reported this run
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_RACE_RACE_DETECTOR_H_
