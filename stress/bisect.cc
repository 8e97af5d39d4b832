#include "stress/bisect.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "harness/sched/replay_scheduler.h"
#include "stress/token_run.h"

namespace probestorm::stress {
namespace {

struct Recorded {
  std::string profile;
  int board = 0;
  uint64_t run = 0;
  uint64_t seed = 0;
  harness::SharedSchedule schedule;
};


class Bisector {
 public:
  Bisector(CampaignOptions base, std::string invariant, double p_runs_cap)
      : base_(std::move(base)), inv_(std::move(invariant)), max_runs_(p_runs_cap) {}

  bool TimeUp() const {
    if (base_.interrupt != nullptr && base_.interrupt->load(std::memory_order_relaxed) != 0) return true;
    return base_.hard_deadline != std::chrono::steady_clock::time_point{} &&
           std::chrono::steady_clock::now() >= base_.hard_deadline;
  }

  // Measures the known-bad end. False if it never fails.
  bool Measure(const kernel::Profile& profile, uint64_t runs, BisectVerdict& v) {
    CampaignOptions o = base_;
    o.profiles = {profile};
    o.runs = runs;
    const auto t0 = std::chrono::steady_clock::now();
    CampaignResult r = RunCampaign(o);
    v.seconds = Seconds(t0);
    v.runs = r.runs;
    auto it = r.summary.find(inv_);
    const uint64_t failing = it == r.summary.end() ? 0 : it->second.runs_violated;
    v.findings = it == r.summary.end() ? 0 : it->second.violations;
    if (r.runs == 0 || failing == 0) {
      v.out_of_time = r.out_of_time || r.interrupted != 0;
      v.how = absl::StrFormat("%d of %d runs fail%s", failing, r.runs,
                              r.out_of_time ? absl::StrCat(" (cut by --time_budget before ", runs,
                                                           " runs)")
                                            : "");
      return false;
    }
    v.bad = true;
    p_ = static_cast<double>(failing) / static_cast<double>(r.runs);
    v.how = absl::StrFormat("%d of %d runs fail: detection rate p = %.3f", failing, r.runs, p_);
    Record(o, r);
    return true;
  }

  uint64_t RunsNeeded(double confidence) const {
    if (p_ >= 1) return 1;
    const double n = std::ceil(std::log(1 - confidence) / std::log(1 - p_));
    return static_cast<uint64_t>(std::min<double>(std::max(1.0, n), max_runs_));
  }
  double p() const { return p_; }

  BisectVerdict Test(const kernel::Profile& profile, double confidence) {
    BisectVerdict v;
    const auto t0 = std::chrono::steady_clock::now();
    // (a) Replay recorded failing schedules.
    if (base_.engine.controlled()) {
      for (const Recorded& rec : recorded_) {
        if (TimeUp()) break;
        harness::ReplayScheduler replay(rec.schedule);
        const auto& board = *base_.boards[static_cast<size_t>(rec.board)].board;
        auto m = ExecuteRun(board, profile, base_.engine, rec.seed, &replay);
        ++v.runs;
        if (m.ok() && HasViolation(*m, inv_)) {
          v.bad = true;
          v.findings = 1;
          v.how = absl::StrCat("replayed the failing schedule of ", rec.profile, " run ", rec.run);
          v.seconds = Seconds(t0);
          return v;
        }
      }
    }
    // (b) A campaign sized by the detection rate.
    CampaignOptions o = base_;
    o.profiles = {profile};
    o.runs = RunsNeeded(confidence);
    o.stop_on_first = true;
    o.stop_invariant = inv_;
    CampaignResult r = RunCampaign(o);
    v.runs += r.runs;
    auto it = r.summary.find(inv_);
    v.findings = it == r.summary.end() ? 0 : it->second.violations;
    v.seconds = Seconds(t0);
    if (v.findings > 0) {
      v.bad = true;
      v.how = absl::StrCat(r.runs, " runs: failed at run ", it->second.first_run);
      Record(o, r);
    } else if (r.out_of_time || r.interrupted != 0 || TimeUp()) {
      v.out_of_time = true;
      v.confidence = 1 - std::pow(1 - p_, static_cast<double>(r.runs));
      v.how = absl::StrFormat("%d of %d runs without %s before --time_budget ran out (confidence "
                              "%.4f)",
                              r.runs, o.runs, inv_, v.confidence);
    } else {
      v.confidence = 1 - std::pow(1 - p_, static_cast<double>(r.runs));
      v.how = absl::StrFormat("%d runs without %s: confidence %.4f", r.runs, inv_, v.confidence);
    }
    return v;
  }

 private:
  static double Seconds(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }

  // Keeps the schedule of the lowest failing run of the invariant (controlled engine).
  void Record(const CampaignOptions& o, const CampaignResult& r) {
    if (!o.engine.controlled()) return;
    for (const FoundRecord& f : r.findings) {
      if (f.finding.invariant != inv_ || f.finding.severity != harness::Severity::kViolation) continue;
      const auto& board = *o.boards[static_cast<size_t>(f.board)].board;
      const auto& profile = o.profiles[static_cast<size_t>(f.profile)];
      auto m = ExecuteRun(board, profile, o.engine, f.seed);
      if (!m.ok() || !HasViolation(*m, inv_)) continue;
      recorded_.push_back({profile.name, f.board, f.run, f.seed, m->schedule});
      return;
    }
  }

  CampaignOptions base_;
  std::string inv_;
  double max_runs_;
  double p_ = 0;
  std::vector<Recorded> recorded_;
};

}  // namespace

BisectResult Bisect(const BisectOptions& options,
                    const std::function<void(const kernel::Profile&, const BisectVerdict&)>& on_verdict) {
  const auto& P = options.profiles;
  const std::string& inv = options.invariant;
  const bool first_bad = options.first_bad;
  const size_t last = P.size() - 1;
  BisectResult res;
  res.known_bad = first_bad ? last : 0;
  res.other = first_bad ? 0 : last;
  const auto range = [&](size_t from, size_t to) {
    std::vector<std::string> names;
    for (size_t i = from; i <= to; ++i) names.push_back(P[i].name);
    return absl::StrJoin(names, ",");
  };
  const auto open = [&](std::string during, std::string still_open) {
    res.outcome = BisectOutcome::kOpen;
    res.during = std::move(during);
    res.open = std::move(still_open);
    return res;
  };

  Bisector b(options.base, inv, static_cast<double>(options.max_runs));
  BisectVerdict vb;
  const kernel::Profile& bad_end = P[res.known_bad];
  if (!b.Measure(bad_end, options.measure_runs, vb)) {
    on_verdict(bad_end, vb);
    if (vb.out_of_time) {
      return open(absl::StrCat("measuring the known-bad end ", bad_end.name),
                  absl::StrCat("whether ", bad_end.name, " fails ", inv, " at all"));
    }
    res.outcome = BisectOutcome::kKnownBadNeverFailed;
    res.known_bad_runs = vb.runs;
    return res;
  }
  on_verdict(bad_end, vb);
  res.p = b.p();
  const kernel::Profile& other_end = P[res.other];
  BisectVerdict vo = b.Test(other_end, options.confidence);
  on_verdict(other_end, vo);
  if (vo.out_of_time) {
    return open(absl::StrCat("checking the other end ", other_end.name),
                absl::StrCat("whether ", other_end.name, " is ", first_bad ? "good" : "bad",
                             " (the answer would be one of ", range(1, last), ")"));
  }
  if (vo.bad) {
    res.outcome = BisectOutcome::kBothEndsFail;
    return res;
  }
  res.min_confidence = std::min(res.min_confidence, vo.confidence);
  // Invariant: state(lo) != target, state(hi) == target, where target is bad for first-bad and
  // good for first-good; the answer is the smallest index in the target state.
  size_t lo = 0, hi = last;
  while (hi - lo > 1) {
    const size_t mid = lo + (hi - lo) / 2;
    BisectVerdict v = b.Test(P[mid], options.confidence);
    on_verdict(P[mid], v);
    if (v.out_of_time) {
      return open(absl::StrCat("testing ", P[mid].name),
                  absl::StrCat("the ", first_bad ? "first bad" : "first good", " profile is one of ",
                               range(lo + 1, hi)));
    }
    if (!v.bad) res.min_confidence = std::min(res.min_confidence, v.confidence);
    if (v.bad == first_bad) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  res.outcome = BisectOutcome::kFound;
  res.lo = lo;
  res.hi = hi;
  return res;
}

}  // namespace probestorm::stress
