// Strategy: picks the next task at each schedule point of the controlled engine.
//
// The engine calls Pick only when there is a choice (two or more runnable tasks); the chosen index
// into `runnable` is what a Schedule records and what replay feeds back. `runnable` is sorted by
// TaskId, so a choice means the same thing on every machine and compiler.
//
// Thread-safety: one strategy per run, used by that run's thread.
#ifndef PROBESTORM_HARNESS_SCHED_STRATEGY_H_
#define PROBESTORM_HARNESS_SCHED_STRATEGY_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "harness/engine.h"

namespace probestorm::harness {

struct SchedView {
  std::span<const TaskId> runnable;  // sorted, size >= 2
  TaskId current = kNoTask;          // the task at the point; kNoTask if it blocked or exited
  PointKind kind = PointKind::kLocal;
  uint64_t step = 0;
  uint64_t shared_step = 0;          // kShared points so far
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  // Called once before each run with the run's seed.
  virtual void Begin(uint64_t seed) = 0;
  // A new task exists (PCT gives it a priority).
  virtual void OnSpawn(TaskId t) {}
  // Index into view.runnable.
  virtual size_t Pick(const SchedView& view) = 0;
  // Called after each run; false when the strategy has nothing left to explore (dfs: exhausted).
  virtual bool Next() { return true; }
  // Replay: true if the recorded schedule was followed to its end without divergence.
  virtual bool Diverged() const { return false; }
  virtual std::string Name() const = 0;
};

// "random", "pct:D", "dfs:P", "replay" (the schedule comes from ReplayStrategy's constructor).
absl::StatusOr<std::unique_ptr<Strategy>> MakeStrategy(std::string_view spec);

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SCHED_STRATEGY_H_
