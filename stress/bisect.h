// Bisect: the first bad (or first good) profile of an ordered list, git-bisect style.
//
// The known-bad end (the last profile for first-bad, the first for first-good) is measured first:
// --runs runs give the detection rate p of the invariant and a recorded failing run. The other end
// must then test good. A profile tests bad if (a) replaying any recorded failing schedule on it
// (same board and seed, ReplayScheduler over the recorded choices: cheap and exact) violates the
// invariant, or (b) a campaign of n = ceil(log(1 - confidence) / log(1 - p)) runs does; otherwise
// it tests good with confidence 1 - (1 - p)^runs. Each new failing run is recorded too.
//
// --time_budget (when given) bounds the whole bisection in wall-clock time: every campaign gets
// the same hard deadline, and a step the deadline cut before it found the invariant decides
// nothing: the result is then open, with the evidence gathered so far and the profiles the answer
// may still be.
//
// Thread-safety: Bisect runs campaigns from the calling thread.
#ifndef PROBESTORM_STRESS_BISECT_H_
#define PROBESTORM_STRESS_BISECT_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "driver/profile.h"
#include "stress/campaign.h"

namespace probestorm::stress {

// One profile tested: bad (fails the invariant) or good, and the evidence.
// `bisect --report_json`: the invariant, the direction, every tested profile's verdict in test
// order ("evidence"), the outcome and one verdict line; `probestorm report --html` shows it.
inline constexpr std::string_view kBisectSchema = "probestorm-bisect/1";

struct BisectVerdict {
  bool bad = false;
  std::string how;
  uint64_t runs = 0;
  uint64_t findings = 0;
  double seconds = 0;
  double confidence = 0;  // for good verdicts
  bool out_of_time = false;  // the deadline cut the step before it could decide
};

struct BisectOptions {
  CampaignOptions base;                   // boards, engine, seed, jobs, hard_deadline, interrupt
  std::vector<kernel::Profile> profiles;  // ordered, oldest first; at least two
  std::string invariant;                  // the id that defines bad
  bool first_bad = true;                  // else first good
  double confidence = 0.99;
  uint64_t measure_runs = 100;            // runs that measure the detection rate
  uint64_t max_runs = 20000;              // most runs spent on one profile
};

enum class BisectOutcome {
  kFound,                // hi is the answer
  kKnownBadNeverFailed,  // the known-bad end did not fail in measure_runs runs
  kBothEndsFail,         // the other end fails too
  kOpen,                 // the deadline or a signal came before the answer: see during / open
};

struct BisectResult {
  BisectOutcome outcome = BisectOutcome::kOpen;
  size_t known_bad = 0, other = 0;  // the ends: indices into BisectOptions::profiles
  size_t lo = 0, hi = 0;            // kFound: the answer (hi) and its neighbour on the other side
  double p = 0;                     // detection rate on the known-bad end
  double min_confidence = 1;        // lowest confidence of a good verdict
  uint64_t known_bad_runs = 0;      // kKnownBadNeverFailed: the runs measured
  std::string during, open;         // kOpen: what was being decided, what is still open
};

// Bisects; `on_verdict` sees each tested profile's verdict as it is decided (in test order).
BisectResult Bisect(const BisectOptions& options,
                    const std::function<void(const kernel::Profile&, const BisectVerdict&)>& on_verdict);

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_BISECT_H_
