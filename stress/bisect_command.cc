// `probestorm bisect`: the first bad (or first good) profile of an ordered list, git-bisect style.
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
// nothing. Then bisect exits 125 and prints the evidence gathered so far and the profiles the
// answer may still be.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "driver/invariants/all.h"
#include "harness/invariant.h"
#include "harness/sched/replay_scheduler.h"
#include "harness/strings.h"
#include "stress/commands.h"
#include "stress/common.h"
#include "stress/interrupt.h"

namespace probestorm::stress {
namespace {

struct Recorded {
  std::string profile;
  int board = 0;
  uint64_t run = 0;
  uint64_t seed = 0;
  harness::Schedule schedule;
};

struct Verdict {
  bool bad = false;
  std::string how;
  uint64_t runs = 0;
  uint64_t findings = 0;
  double seconds = 0;
  double confidence = 0;  // for good verdicts
  bool out_of_time = false;  // the deadline cut the step before it could decide
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
  bool Measure(const kernel::Profile& profile, uint64_t runs, Verdict& v) {
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

  Verdict Test(const kernel::Profile& profile, double confidence) {
    Verdict v;
    const auto t0 = std::chrono::steady_clock::now();
    // (a) Replay recorded failing schedules.
    if (base_.engine.engine == "controlled") {
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
    if (o.engine.engine != "controlled") return;
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

int BisectCommand(const SubcommandArgs& args) {
  if (!args.positional.empty()) {
    return UsageError(absl::StrCat("probestorm bisect: unexpected argument '", args.positional[0],
                                   "' (see probestorm bisect --help)"));
  }
  const std::string inv = absl::GetFlag(FLAGS_invariant);
  if (inv.empty()) return UsageError("probestorm bisect: --invariant=ID is required (`probestorm list invariants`)");
  if (auto id = kernel::invariants::Registry().Parse(inv); !id.ok()) {
    return UsageError(absl::StrCat("probestorm bisect: --invariant: ", id.status().message()));
  }
  const std::string find = absl::GetFlag(FLAGS_find);
  if (find != "first-bad" && find != "first-good") {
    return UsageError(absl::StrCat("probestorm bisect: bad --find '", find, "' (first-bad or first-good)"));
  }
  const double confidence = absl::GetFlag(FLAGS_confidence);
  if (!(confidence > 0 && confidence < 1)) {
    return UsageError("probestorm bisect: --confidence must be in (0, 1), e.g. 0.99");
  }
  std::string list = absl::GetFlag(FLAGS_profiles);
  if (list.empty()) {
    std::vector<std::string> names;
    for (const auto& p : kernel::BuiltinProfiles()) names.push_back(p.name);
    list = absl::StrJoin(names, ",");
  }
  auto profiles = LoadProfiles(list, args.set);
  if (!profiles.ok()) return UsageError(profiles.status());
  if (profiles->size() < 2) return UsageError("probestorm bisect: --profiles needs at least two profiles");
  CampaignOptions base;
  auto boards = LoadBoards(args);
  if (!boards.ok()) return UsageError(boards.status());
  base.boards = std::move(*boards);
  auto spec = EngineSpecFromFlags();
  if (!spec.ok()) return UsageError(spec.status());
  base.engine = std::move(*spec);
  if (!base.engine.options.invariants.Has(*kernel::invariants::Registry().Parse(inv))) {
    return UsageError(absl::StrCat("probestorm bisect: --invariants excludes ", inv));
  }
  base.seed = absl::GetFlag(FLAGS_seed);
  const int jobs = absl::GetFlag(FLAGS_jobs);
  if (jobs < 0) return UsageError("probestorm bisect: --jobs must be >= 1");
  base.jobs = jobs > 0 ? jobs : std::max(1u, std::thread::hardware_concurrency());
  if (args.Given("runs") && absl::GetFlag(FLAGS_runs) < 1) {
    return UsageError("probestorm bisect: --runs must be >= 1 (default 100)");
  }
  const int64_t measure = args.Given("runs") ? absl::GetFlag(FLAGS_runs) : 100;
  const int64_t max_runs = absl::GetFlag(FLAGS_max_runs);
  if (max_runs < 1) return UsageError("probestorm bisect: --max_runs must be >= 1");
  const auto start = std::chrono::steady_clock::now();
  const std::string budget_text = absl::GetFlag(FLAGS_time_budget);
  if (args.Given("time_budget")) {
    auto budget = harness::ParseDuration(budget_text);
    if (!budget.ok() || *budget <= 0) {
      return UsageError(absl::StrCat("probestorm bisect: bad --time_budget '", budget_text,
                                     "' (e.g. 90s, 10m)"));
    }
    base.hard_deadline = start + std::chrono::nanoseconds(*budget);
  }

  const bool first_bad = find == "first-bad";
  const size_t last = profiles->size() - 1;
  const size_t known_bad = first_bad ? last : 0;
  const size_t other = first_bad ? 0 : last;
  const auto& P = *profiles;
  InstallInterruptHandlers();  // before the header line: a signal after it stops the bisection
  base.interrupt = &InterruptSignal();
  std::printf("probestorm bisect: %s for %s over %s\n", find.c_str(), inv.c_str(), list.c_str());
  std::fflush(stdout);
  // One line per tested profile, in test order, and its short form for the stderr line.
  std::vector<std::string> evidence, brief;
  const auto show = [&](const std::string& name, const Verdict& v) {
    const char* state = v.bad ? "bad" : v.out_of_time ? "open" : "good";
    const std::string line =
        absl::StrFormat("%-24s %-4s  %s (%d runs, %d findings, %.1f s)", name, state, v.how,
                        v.runs, v.findings, v.seconds);
    evidence.push_back(line);
    brief.push_back(absl::StrFormat("%s %s after %d runs", name, state, v.runs));
    std::printf("  %s\n", line.c_str());
    std::fflush(stdout);
  };
  // The budget ran out (or a signal came) before the answer was known: the evidence, what is still
  // open, exit 125 (130 / 143 for SIGINT / SIGTERM).
  const auto out_of_time = [&](std::string_view during, std::string_view open) {
    const double spent =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (const int sig = InterruptSignal().load(); sig != 0) {
      std::printf("interrupted by %s after %.1f s while %s\nevidence so far:\n",
                  std::string(SignalName(sig)).c_str(), spent, std::string(during).c_str());
      for (const std::string& e : evidence) std::printf("  %s\n", e.c_str());
      std::printf("still open: %s\n", std::string(open).c_str());
      std::fflush(stdout);
      return InterruptExitCode(sig);
    }
    std::printf("out of time: --time_budget=%s ran out after %.1f s while %s\nevidence so far:\n",
                budget_text.c_str(), spent, std::string(during).c_str());
    for (const std::string& e : evidence) std::printf("  %s\n", e.c_str());
    std::printf("still open: %s\n", std::string(open).c_str());
    std::fflush(stdout);
    return Undecided(absl::StrFormat(
        "--time_budget=%s ran out after %.1f s while %s (evidence: %s); still open: %s",
        budget_text, spent, during, absl::StrJoin(brief, "; "), open));
  };
  const auto range = [&](size_t from, size_t to) {
    std::vector<std::string> names;
    for (size_t i = from; i <= to; ++i) names.push_back((*profiles)[i].name);
    return absl::StrJoin(names, ",");
  };

  Bisector b(base, inv, static_cast<double>(max_runs));
  Verdict vb;
  if (!b.Measure(P[known_bad], static_cast<uint64_t>(measure), vb)) {
    show(P[known_bad].name, vb);
    if (vb.out_of_time) {
      return out_of_time(absl::StrCat("measuring the known-bad end ", P[known_bad].name),
                         absl::StrCat("whether ", P[known_bad].name, " fails ", inv, " at all"));
    }
    return Undecided(absl::StrCat("the known-bad end ", P[known_bad].name, " never failed ", inv,
                                  " in ", vb.runs, " runs: ends do not differ as required (try more --runs)"));
  }
  show(P[known_bad].name, vb);
  double min_conf = 1;
  Verdict vo = b.Test(P[other], confidence);
  show(P[other].name, vo);
  if (vo.out_of_time) {
    return out_of_time(absl::StrCat("checking the other end ", P[other].name),
                       absl::StrCat("whether ", P[other].name, " is ",
                                    first_bad ? "good" : "bad", " (the answer would be one of ",
                                    range(1, last), ")"));
  }
  if (vo.bad) {
    return Undecided(absl::StrCat("both ends fail ", inv, " (", P[other].name, " and ",
                                  P[known_bad].name, "): ends do not differ as required"));
  }
  min_conf = std::min(min_conf, vo.confidence);
  // Invariant: state(lo) != target, state(hi) == target, where target is bad for first-bad and
  // good for first-good; the answer is the smallest index in the target state.
  size_t lo = 0, hi = last;
  while (hi - lo > 1) {
    const size_t mid = lo + (hi - lo) / 2;
    Verdict v = b.Test(P[mid], confidence);
    show(P[mid].name, v);
    if (v.out_of_time) {
      return out_of_time(absl::StrCat("testing ", P[mid].name),
                         absl::StrCat("the ", first_bad ? "first bad" : "first good",
                                      " profile is one of ", range(lo + 1, hi)));
    }
    if (!v.bad) min_conf = std::min(min_conf, v.confidence);
    if (v.bad == first_bad) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  std::printf("%s: %s (%s: %s)\n  %s\n  detection rate %.3f; good verdicts at confidence >= %.4f\n",
              first_bad ? "first bad" : "first good", P[hi].name.c_str(),
              first_bad ? "last good" : "last bad", P[lo].name.c_str(), P[hi].description.c_str(),
              b.p(), min_conf);
  if (min_conf + 1e-12 < confidence) {
    return Undecided(absl::StrFormat(
        "a good verdict reached only confidence %.4f < %.4f (raise --max_runs)", min_conf, confidence));
  }
  return kExitClean;
}

}  // namespace probestorm::stress
