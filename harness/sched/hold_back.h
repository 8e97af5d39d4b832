// HoldBack: the target pairs of one run of a hold-back strategy (conflict, pos-hold).
//
// A target is a pair of sites a -> b the job's corpus has seen in that order and never b -> a. A
// task about to make access a is held back (it runs only when nothing else can), and a task
// about to make access b runs at once, so that b may come first. How long a held-back task stays
// behind is the strategy's to decide (conflict: for the rest of the run, below every priority).
#ifndef PROBESTORM_HARNESS_SCHED_HOLD_BACK_H_
#define PROBESTORM_HARNESS_SCHED_HOLD_BACK_H_

#include <algorithm>
#include <vector>

#include "harness/rng.h"
#include "harness/sched/conflicts.h"

namespace probestorm::harness {

class HoldBack {
 public:
  // Draws up to two unseen reversed pairs of `corpus` (none on a job's first run).
  void Begin(const Corpus& corpus, Rng& rng) {
    delay_.clear();
    hurry_.clear();
    const std::vector<SitePair>& pairs = corpus.pairs();
    for (int i = 0; i < kTargets && !pairs.empty(); ++i) {
      for (int k = 0; k < kTries; ++k) {
        const SitePair& p = pairs[rng.Below(pairs.size())];
        if (corpus.HasPair(p.Reversed())) continue;
        delay_.push_back(p.first);
        hurry_.push_back(p.second);
        break;
      }
    }
  }
  bool empty() const { return delay_.empty(); }
  // A task whose pending access is at `site` is to be held back / to run at once.
  bool Delays(SiteId site) const { return Has(delay_, site); }
  bool Hurries(SiteId site) const { return Has(hurry_, site); }

 private:
  static constexpr int kTargets = 2;
  static constexpr int kTries = 16;
  static bool Has(const std::vector<SiteId>& sites, SiteId s) {
    return std::find(sites.begin(), sites.end(), s) != sites.end();
  }

  std::vector<SiteId> delay_, hurry_;  // first and second sides of the target pairs
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SCHED_HOLD_BACK_H_
