// RaceDetector: happens-before (vector clock) detection of data races on Tracked<T> fields.
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

  void OnSpawn(uint32_t parent, uint32_t child);
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

 private:
  VectorClock& ClockOf(uint32_t task);
  void ReportRace(const FieldLabel& label, const AccessEpoch& earlier, bool earlier_write,
                  uint32_t task, const char* func, bool write);

  Engine* engine_;
  std::vector<VectorClock> clocks_;  // by task id
  uint64_t races_ = 0;
  std::set<std::string> reported_;  // labels already reported this run (one finding per field)
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_RACE_RACE_DETECTOR_H_
