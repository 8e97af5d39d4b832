// Strategy: picks the next task at each schedule point of the controlled engine.
//
// The engine calls Pick only when there is a choice (two or more runnable tasks); the chosen index
// into `runnable` is what a Schedule records and what replay feeds back. `runnable` is sorted by
// TaskId, so a choice means the same thing on every machine and compiler.
//
// A strategy object may serve many runs in turn (a campaign job keeps one): the engine calls
// Begin before and End after each run. An exploring strategy (pos, pos-hold, surw, conflict,
// auto) owns an Exploration: the engine fills its recorder during the run, End merges it into the
// corpus, and the next run's choices may depend on it. Such a strategy is therefore not
// reproduced by its seed alone: its runs are replayed from their recorded choices
// (SeedReproduces() is false).
//
// Thread-safety: one strategy per OS thread.
#ifndef PROBESTORM_HARNESS_SCHED_STRATEGY_H_
#define PROBESTORM_HARNESS_SCHED_STRATEGY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "harness/engine.h"
#include "harness/sched/conflicts.h"
#include "harness/sched/schedule.h"

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
  // Called by the engine after each run: merges the run into the exploration's corpus (if any),
  // then Learn()s from what it taught.
  void End(const Schedule& schedule, const RunResult& result);
  // Called after each run; false when the strategy has nothing left to explore (dfs: exhausted).
  virtual bool Next() { return true; }
  // Replay: true if the recorded schedule was followed to its end without divergence.
  virtual bool Diverged() const { return false; }
  virtual std::string Name() const = 0;
  // The strategy that made the last run's choices (auto: the portfolio arm it picked).
  virtual std::string Arm() const { return Name(); }
  // True if the run seed alone reproduces a run's choices (tokens need no schedule).
  virtual bool SeedReproduces() const { return exploration() == nullptr; }

  // The recorder and corpus of an exploring strategy; null for the others.
  virtual Exploration* exploration() const { return nullptr; }
  // A portfolio passes on to the arm that made the run what the run taught (End calls Learn
  // only for the portfolio); the recorder still holds the run.
  void LearnAsArm(const RunYield& yield) { Learn(yield); }

 protected:
  // What the run that just ended taught (exploring strategies).
  virtual void Learn(const RunYield& yield) {}
};

// Base of the strategies that own an Exploration (a portfolio shares its own with its arms).
class ExploringStrategy : public Strategy {
 public:
  ExploringStrategy() : own_(std::make_unique<Exploration>()), x_(own_.get()) {}
  Exploration* exploration() const override { return x_; }
  // Makes this strategy use `x` (owned by the caller, e.g. the portfolio) instead of its own.
  void Share(Exploration* x) {
    own_.reset();
    x_ = x;
  }

 protected:
  const ConflictRecorder& recorder() const { return x_->recorder; }
  const Corpus& corpus() const { return x_->corpus; }

 private:
  std::unique_ptr<Exploration> own_;
  Exploration* x_;
};

// A parsed strategy: what MakeStrategy builds a Strategy from. Parsed once where the text enters
// (a flag, a replay token); Format() gives the text back ("pct" stays "pct", "pct:3" stays
// "pct:3": a field is printed only when it was given).
struct StrategySpec {
  enum class Kind : uint8_t {
    kRandom, kPct, kDfs, kPos, kPosHold, kSurw, kConflict, kAuto, kReplay
  };
  static constexpr int kPctDefaultDepth = 3;
  static constexpr uint64_t kPctDefaultSteps = 20000;
  static constexpr int kDfsDefaultBound = 2;

  Kind kind = Kind::kRandom;
  std::optional<int> pct_depth;       // pct:D, 1..64
  std::optional<uint64_t> pct_steps;  // pct:D:K, K >= 1
  std::optional<int> dfs_bound;       // dfs:P, 0..16
  SharedSchedule schedule;            // kReplay: the recorded choices to follow

  // "random", "pct:D[:K]", "dfs:P", "pos", "pos-hold", "surw", "conflict", "auto". "replay" is
  // refused: it is made from a recorded schedule (Replay()). Errors name the text and list the
  // strategies.
  static absl::StatusOr<StrategySpec> Parse(std::string_view text);
  static StrategySpec Replay(SharedSchedule schedule);
  // The text Parse read ("replay" for a replay spec; its schedule travels separately).
  std::string Format() const;
  bool Is(Kind k) const { return kind == k; }
};

// A fresh strategy for `spec` (a ReplayScheduler over its schedule for kReplay).
std::unique_ptr<Strategy> MakeStrategy(const StrategySpec& spec);
// Parse, then MakeStrategy (tests and tools that hold the text).
absl::StatusOr<std::unique_ptr<Strategy>> MakeStrategy(std::string_view text);

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SCHED_STRATEGY_H_
