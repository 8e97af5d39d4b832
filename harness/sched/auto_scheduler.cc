#include "harness/sched/auto_scheduler.h"

#include <algorithm>
#include <cmath>

#include "harness/rng.h"
#include "harness/sched/conflict_scheduler.h"
#include "harness/sched/pos_scheduler.h"
#include "harness/sched/surw_scheduler.h"

namespace probestorm::harness {
namespace {

constexpr uint64_t kUniformOneIn = 3;  // one run in three of a family goes to a uniformly drawn arm
constexpr double kMinStep = 0.1;       // the reward average forgets: "recent" yield
constexpr double kBonus = 0.3;         // weight of the exploration bonus

template <typename S, typename... Args>
std::unique_ptr<Strategy> Shared(Exploration* x, Args... args) {
  auto s = std::make_unique<S>(args...);
  s->Share(x);
  return s;
}

}  // namespace

AutoScheduler::AutoScheduler() {
  Exploration* x = exploration();
  // In this order each arm of a family gets its first run.
  arms_.push_back({Shared<PosScheduler>(x, /*hold_back=*/true), kHybrid});
  arms_.push_back({Shared<SurwScheduler>(x), kWalk});
  arms_.push_back({Shared<ConflictScheduler>(x), kHoldBack});
}

size_t AutoScheduler::Choose(uint64_t seed) const {
  Rng rng = Rng(seed).Fork("sched/auto");
  // The family furthest below its share of the points; a tie (the first runs) by a draw.
  std::vector<Family> behind;
  for (size_t f = 0; f < kFamilies; ++f) {
    if (behind.empty()) {
      behind.push_back(static_cast<Family>(f));
      continue;
    }
    // steps_f / share_f against steps_b / share_b, in integers.
    const uint64_t mine = family_steps_[f] * kShare[behind[0]];
    const uint64_t theirs = family_steps_[behind[0]] * kShare[f];
    if (mine < theirs) behind.clear();
    if (mine <= theirs) behind.push_back(static_cast<Family>(f));
  }
  const Family family = behind[rng.Below(behind.size())];
  std::vector<size_t> members;
  for (size_t i = 0; i < arms_.size(); ++i) {
    if (arms_[i].family == family) members.push_back(i);
  }
  if (rng.Chance(1, kUniformOneIn)) return members[rng.Below(members.size())];
  size_t best = members[0];
  double best_score = -1;
  for (size_t i : members) {
    const ArmState& a = arms_[i];
    if (a.runs == 0) return i;
    // sqrt is correctly rounded everywhere (a libm log need not be): the same score on every
    // machine and compiler.
    const double score = a.reward + kBonus / std::sqrt(static_cast<double>(a.runs));
    if (score > best_score) {
      best_score = score;
      best = i;
    }
  }
  return best;
}

void AutoScheduler::Begin(uint64_t seed) {
  current_ = Choose(seed);
  arms_[current_].strategy->Begin(seed);
}

void AutoScheduler::Learn(const RunYield& yield) {
  double reward = 0;
  if (yield.new_pairs > 0) reward += 0.5 + 0.05 * static_cast<double>(std::min<uint64_t>(yield.new_pairs, 10));
  if (yield.new_kind) {
    reward += 2;
  } else if (yield.violated) {
    reward += 0.5;
  }
  ArmState& a = arms_[current_];
  a.strategy->LearnAsArm(yield);  // an arm's own estimates (surw's events per task)
  family_steps_[a.family] += yield.steps;
  ++a.runs;
  a.reward += (reward - a.reward) * std::max(kMinStep, 1.0 / static_cast<double>(a.runs));
}

}  // namespace probestorm::harness
