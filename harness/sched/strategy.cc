#include "harness/sched/strategy.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "harness/strings.h"
#include "harness/sched/auto_scheduler.h"
#include "harness/sched/conflict_scheduler.h"
#include "harness/sched/dfs_scheduler.h"
#include "harness/sched/pct_scheduler.h"
#include "harness/sched/pos_scheduler.h"
#include "harness/sched/random_scheduler.h"
#include "harness/sched/surw_scheduler.h"

namespace probestorm::harness {

void Strategy::End(const Schedule& schedule, const RunResult& result) {
  Exploration* x = exploration();
  if (x == nullptr) return;
  std::vector<std::string> violated;
  for (const Finding& f : result.findings) {
    if (f.severity == Severity::kViolation) violated.emplace_back(f.invariant.name());
  }
  x->last = x->corpus.Merge(x->recorder, schedule, result.shared_steps, violated);
  Learn(x->last);
}

absl::StatusOr<std::unique_ptr<Strategy>> MakeStrategy(std::string_view spec) {
  std::vector<absl::string_view> parts = absl::StrSplit(Av(spec), ':');
  const auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("bad --strategy '", Av(spec), "': ", Av(why),
                                                   " (auto, random, pct:D[:K], pos, surw, conflict, dfs:P)"));
  };
  if (parts.size() == 1) {
    if (parts[0] == "random") return std::make_unique<RandomScheduler>();
    if (parts[0] == "pos") return std::make_unique<PosScheduler>();
    if (parts[0] == "surw") return std::make_unique<SurwScheduler>();
    if (parts[0] == "conflict") return std::make_unique<ConflictScheduler>();
    if (parts[0] == "auto") return std::make_unique<AutoScheduler>();
  }
  if (parts[0] == "pct") {
    int depth = 3;
    uint64_t steps = 20000;
    if (parts.size() >= 2 && (!absl::SimpleAtoi(parts[1], &depth) || depth < 1 || depth > 64)) {
      return bad("depth D must be 1..64");
    }
    if (parts.size() >= 3 && (!absl::SimpleAtoi(parts[2], &steps) || steps < 1)) {
      return bad("K must be a positive step count");
    }
    if (parts.size() > 3) return bad("too many fields");
    return std::make_unique<PctScheduler>(depth, steps);
  }
  if (parts[0] == "dfs") {
    int bound = 2;
    if (parts.size() >= 2 && (!absl::SimpleAtoi(parts[1], &bound) || bound < 0 || bound > 16)) {
      return bad("preemption bound P must be 0..16");
    }
    if (parts.size() > 2) return bad("too many fields");
    return std::make_unique<DfsScheduler>(bound);
  }
  if (parts[0] == "replay") return bad("replay takes a recorded schedule: use `probestorm replay`");
  return bad("unknown strategy");
}

}  // namespace probestorm::harness
