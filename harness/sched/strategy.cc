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
#include "harness/sched/replay_scheduler.h"
#include "harness/sched/surw_scheduler.h"

namespace probestorm::harness {

void Strategy::End(const Schedule& schedule, const RunResult& result) {
  Exploration* x = exploration();
  if (x == nullptr) return;
  std::vector<std::string> violated;
  for (const Finding& f : result.findings) {
    if (f.severity == Severity::kViolation) violated.push_back(absl::StrCat(Av(f.invariant.name()), ": ", Signature(f)));
  }
  x->last = x->corpus.Merge(x->recorder, schedule, result.shared_steps, violated);
  x->last.steps = result.steps;
  Learn(x->last);
}

absl::StatusOr<StrategySpec> StrategySpec::Parse(std::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(Av(text), ':');
  const auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad --strategy '", Av(text), "': ", Av(why),
                     " (auto, random, pct:D[:K], pos, pos-hold, surw, conflict, dfs:P)"));
  };
  StrategySpec s;
  if (parts.size() == 1) {
    static constexpr std::pair<std::string_view, Kind> kPlain[] = {
        {"random", Kind::kRandom}, {"pos", Kind::kPos},           {"pos-hold", Kind::kPosHold},
        {"surw", Kind::kSurw},     {"conflict", Kind::kConflict}, {"auto", Kind::kAuto},
    };
    for (const auto& [name, kind] : kPlain) {
      if (parts[0] == Av(name)) {
        s.kind = kind;
        return s;
      }
    }
  }
  if (parts[0] == "pct") {
    s.kind = Kind::kPct;
    if (parts.size() >= 2) {
      int depth = 0;
      if (!absl::SimpleAtoi(parts[1], &depth) || depth < 1 || depth > 64) {
        return bad("depth D must be 1..64");
      }
      s.pct_depth = depth;
    }
    if (parts.size() >= 3) {
      uint64_t steps = 0;
      if (!absl::SimpleAtoi(parts[2], &steps) || steps < 1) {
        return bad("K must be a positive step count");
      }
      s.pct_steps = steps;
    }
    if (parts.size() > 3) return bad("too many fields");
    return s;
  }
  if (parts[0] == "dfs") {
    s.kind = Kind::kDfs;
    if (parts.size() >= 2) {
      int bound = 0;
      if (!absl::SimpleAtoi(parts[1], &bound) || bound < 0 || bound > 16) {
        return bad("preemption bound P must be 0..16");
      }
      s.dfs_bound = bound;
    }
    if (parts.size() > 2) return bad("too many fields");
    return s;
  }
  if (parts[0] == "replay") return bad("replay takes a recorded schedule: use `probestorm replay`");
  return bad("unknown strategy");
}

StrategySpec StrategySpec::Replay(SharedSchedule schedule) {
  StrategySpec s;
  s.kind = Kind::kReplay;
  s.schedule = std::move(schedule);
  return s;
}

std::string StrategySpec::Format() const {
  switch (kind) {
    case Kind::kRandom: return "random";
    case Kind::kPos: return "pos";
    case Kind::kPosHold: return "pos-hold";
    case Kind::kSurw: return "surw";
    case Kind::kConflict: return "conflict";
    case Kind::kAuto: return "auto";
    case Kind::kReplay: return "replay";
    case Kind::kPct: {
      std::string out = "pct";
      if (pct_depth) absl::StrAppend(&out, ":", *pct_depth);
      if (pct_steps) absl::StrAppend(&out, ":", *pct_steps);
      return out;
    }
    case Kind::kDfs:
      return dfs_bound ? absl::StrCat("dfs:", *dfs_bound) : "dfs";
  }
  return "?";
}

std::unique_ptr<Strategy> MakeStrategy(const StrategySpec& spec) {
  using Kind = StrategySpec::Kind;
  switch (spec.kind) {
    case Kind::kRandom: return std::make_unique<RandomScheduler>();
    case Kind::kPos: return std::make_unique<PosScheduler>();
    case Kind::kPosHold: return std::make_unique<PosScheduler>(/*hold_back=*/true);
    case Kind::kSurw: return std::make_unique<SurwScheduler>();
    case Kind::kConflict: return std::make_unique<ConflictScheduler>();
    case Kind::kAuto: return std::make_unique<AutoScheduler>();
    case Kind::kReplay: return std::make_unique<ReplayScheduler>(spec.schedule);
    case Kind::kPct:
      return std::make_unique<PctScheduler>(spec.pct_depth.value_or(StrategySpec::kPctDefaultDepth),
                                            spec.pct_steps.value_or(StrategySpec::kPctDefaultSteps));
    case Kind::kDfs:
      return std::make_unique<DfsScheduler>(spec.dfs_bound.value_or(StrategySpec::kDfsDefaultBound));
  }
  return std::make_unique<RandomScheduler>();
}

absl::StatusOr<std::unique_ptr<Strategy>> MakeStrategy(std::string_view text) {
  auto spec = StrategySpec::Parse(text);
  if (!spec.ok()) return spec.status();
  return MakeStrategy(*spec);
}

}  // namespace probestorm::harness
