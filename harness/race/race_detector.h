// RaceDetector: happens-before (vector clock) detection of data races on Tracked<T> fields.
//
// Clock slots: a task's component lives in a slot, not at its task id. When a task ends its slot
// goes to a free list; a new task takes a free slot (oldest first) only if its starting clock
// already covers the slot's last owner up to that owner's last access, so every check of an old
// access stays exact: a clock that knows the new owner knows, through the new owner's start, every
// access of the old one. Otherwise the new task gets a fresh slot. Epochs continue across owners.
// Clocks thus grow with the tasks live at once (plus ended tasks nobody synchronised with yet),
// not with every task ever created. Join of an ended task whose slot was taken again carries only
// that task's own component (no model path joins a long-ended task).
//
// Edges: task spawn (parent -> child), exit -> join, timer start -> timer task, and every
// release -> acquire of a SyncClock (mutex unlock -> lock, complete -> wait, atomic ops,
// queue_work -> work run, wake_up -> woken waiter). Two accesses to one field race when at least
// one writes and neither happens before the other. A race becomes a `data-race` finding naming
// the field, both tasks and the model function each was in; each field is reported once per run.
//
// Thread-safety: controlled engine only (one OS thread); the engine owns one per run.
#ifndef PROBESTORM_HARNESS_RACE_RACE_DETECTOR_H_
#define PROBESTORM_HARNESS_RACE_RACE_DETECTOR_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

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
  explicit RaceDetector(Engine* engine) : engine_(engine) {}

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
  // Slots handed out so far (the length of the longest clock).
  size_t slots() const { return clocks_.size(); }

 private:
  static constexpr uint32_t kNoSlot = UINT32_MAX;
  // How many free slots a spawn examines, oldest first, before it takes a fresh one.
  static constexpr size_t kFreeScan = 64;
  struct TaskSlot {
    uint32_t slot = kNoSlot;
    uint32_t final_epoch = 0;  // the slot's component when the task ended
  };
  uint32_t SlotOf(uint32_t task);
  VectorClock& ClockOf(uint32_t task) { return clocks_[SlotOf(task)]; }
  uint32_t TakeSlot(const VectorClock& start);
  // `c` already covers all of `s` (s is one release's clock whose epoch c knows).
  bool Known(const VectorClock& c, const SyncClock& s);
  void ReportRace(const FieldLabel& label, const AccessEpoch& earlier, bool earlier_write,
                  uint32_t task, const char* func, bool write);

  Engine* engine_;
  std::vector<VectorClock> clocks_;     // by slot: its owner's clock (an ended owner's final one)
  std::vector<uint32_t> owner_;         // by slot: current or last task
  std::vector<uint32_t> last_access_;   // by slot: the owner's component at its last access
  std::vector<TaskSlot> task_slots_;    // by task id
  std::vector<uint32_t> free_;          // slots of ended tasks, oldest first
  uint64_t races_ = 0;
  std::set<std::string> reported_;  // labels already reported this run (one finding per field)
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_RACE_RACE_DETECTOR_H_
