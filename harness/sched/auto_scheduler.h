// AutoScheduler: a portfolio of strategies in families with fixed shares of the schedule points,
// and a bandit over recent yield between the arms of a family.
//
// The arms come in three families, which find different bugs:
// - hybrid (pos-hold): POS with conflict's hold-back; it finds every target of `ci/bench
//   detection` in every campaign, and is faster than pos on the narrow windows controllers-list,
//   xlate-oops and the lost trigger;
// - hold-back (conflict): priorities as in PCT, a task about to make one side of an unseen pair
//   dropped below all others, so one task can stay behind for a long stretch of the boot;
// - walk (surw): a fresh draw at every point, for fine-grained interleavings (random and pos were
//   dropped: neither adds to surw on the narrow windows, and their turns are worth more to surw,
//   which finds xlate-oops in 5x fewer runs than pos-hold, 19.5 vs 90, runs table).
// Before a campaign's first finding nothing tells the arms apart (the new conflict pairs a run
// adds are about equal for all arms, on every target of `ci/bench detection`), so the families
// share the schedule points by fixed shares (kShare): each run goes to the family furthest below
// its share, 4 : 2 : 3. The hybrid takes the most (it alone is fast on controllers-list); the
// walk needs about a third for the windows only surw finds fast (xlate-oops, s3-marek) and the
// hold-back about a quarter for the longest hold-backs (the lost trigger). Each arm's runs are
// also passed to it (Strategy::LearnAsArm): surw estimates its weights from its own runs only.
//
// Within a family (each has one arm today; a family is where an arm is added) one run in three goes
// to an arm drawn uniformly, every arm gets a first run, and otherwise the arm with the best recent
// reward plus an exploration bonus (shrinking with the arm's runs) runs. The reward of a run is its
// new conflict pairs (relative to the job's corpus, which all arms share) and its violations, most
// for a kind of finding the job had not seen (an invariant and the finding's signature: a new oops
// site counts, the same oops on another master does not). All draws come from the run seed and the
// costs are step counts, so a campaign seed and job layout repeat exactly. (pct is left out:
// conflict found every target of `ci/bench detection` in more runs than pct:3, by up to 10x on the
// lost trigger.)
#ifndef PROBESTORM_HARNESS_SCHED_AUTO_SCHEDULER_H_
#define PROBESTORM_HARNESS_SCHED_AUTO_SCHEDULER_H_

#include <array>
#include <memory>
#include <vector>

#include "harness/sched/strategy.h"

namespace probestorm::harness {

class AutoScheduler final : public ExploringStrategy {
 public:
  AutoScheduler();

  void Begin(uint64_t seed) override;
  void OnSpawn(TaskId t) override { arms_[current_].strategy->OnSpawn(t); }
  size_t Pick(const SchedView& view) override { return arms_[current_].strategy->Pick(view); }
  std::string Name() const override { return "auto"; }
  std::string Arm() const override { return arms_[current_].strategy->Name(); }

 protected:
  void Learn(const RunYield& yield) override;

 private:
  enum Family : size_t { kHybrid, kHoldBack, kWalk, kFamilies };
  // Each family's share of the schedule points, in ninths.
  static constexpr std::array<uint64_t, kFamilies> kShare = {4, 2, 3};
  struct ArmState {
    std::unique_ptr<Strategy> strategy;
    Family family;
    uint64_t runs = 0;
    double reward = 0;  // recent average
  };
  size_t Choose(uint64_t seed) const;

  std::vector<ArmState> arms_;
  std::array<uint64_t, kFamilies> family_steps_{};  // schedule points spent by each family
  size_t current_ = 0;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SCHED_AUTO_SCHEDULER_H_
