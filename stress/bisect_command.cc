// `probestorm bisect`: flags to Bisect (bisect.h), its evidence as it comes, and the answer.
#include <chrono>
#include <cstdio>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "driver/invariants/all.h"
#include "harness/invariant.h"
#include "harness/json.h"
#include "harness/strings.h"
#include "stress/bisect.h"
#include "stress/commands.h"
#include "stress/exit_codes.h"
#include "stress/files.h"
#include "stress/interrupt.h"
#include "stress/load.h"

namespace probestorm::stress {
namespace {

using Clock = std::chrono::steady_clock;

// The bisect flags, checked: what Bisect needs, and what the command prints and writes.
struct BisectRequest {
  BisectOptions options;
  std::string profiles_text;  // --profiles as given (or every built-in profile), for the header
  std::string budget_text;    // --time_budget as given
  std::string report_json;    // --report_json, or empty
};

absl::StatusOr<BisectRequest> BisectRequestFromFlags(const SubcommandArgs& args, Clock::time_point start) {
  const auto usage = [](const std::string& m) { return absl::InvalidArgumentError(m); };
  if (!args.positional.empty()) {
    return usage(absl::StrCat("probestorm bisect: unexpected argument '", args.positional[0],
                              "' (see probestorm bisect --help)"));
  }
  BisectRequest req;
  BisectOptions& bo = req.options;
  bo.invariant = absl::GetFlag(FLAGS_invariant);
  const std::string& inv = bo.invariant;
  if (inv.empty()) return usage("probestorm bisect: --invariant=ID is required (`probestorm list invariants`)");
  auto id = kernel::invariants::Registry().Parse(inv);
  if (!id.ok()) return usage(absl::StrCat("probestorm bisect: --invariant: ", id.status().message()));
  const std::string find = absl::GetFlag(FLAGS_find);
  if (find != "first-bad" && find != "first-good") {
    return usage(absl::StrCat("probestorm bisect: bad --find '", find, "' (first-bad or first-good)"));
  }
  bo.first_bad = find == "first-bad";
  bo.confidence = absl::GetFlag(FLAGS_confidence);
  if (!(bo.confidence > 0 && bo.confidence < 1)) {
    return usage("probestorm bisect: --confidence must be in (0, 1), e.g. 0.99");
  }
  req.profiles_text = absl::GetFlag(FLAGS_profiles);
  if (req.profiles_text.empty()) {
    std::vector<std::string> names;
    for (const auto& p : kernel::BuiltinProfiles()) names.push_back(p.name);
    req.profiles_text = absl::StrJoin(names, ",");
  }
  auto profiles = LoadProfiles(req.profiles_text, args.set);
  if (!profiles.ok()) return profiles.status();
  if (profiles->size() < 2) return usage("probestorm bisect: --profiles needs at least two profiles");
  bo.profiles = std::move(*profiles);
  CampaignOptions& base = bo.base;
  auto boards = LoadBoards(args);
  if (!boards.ok()) return boards.status();
  base.boards = std::move(*boards);
  auto spec = EngineSpecFromFlags();
  if (!spec.ok()) return spec.status();
  base.engine = std::move(*spec);
  if (!base.engine.options.invariants.Has(*id)) {
    return usage(absl::StrCat("probestorm bisect: --invariants excludes ", inv));
  }
  base.seed = absl::GetFlag(FLAGS_seed);
  const int jobs = absl::GetFlag(FLAGS_jobs);
  if (jobs < 0) return usage("probestorm bisect: --jobs must be >= 1");
  base.jobs = jobs > 0 ? jobs : std::max(1u, std::thread::hardware_concurrency());
  if (args.Given("runs") && absl::GetFlag(FLAGS_runs) < 1) {
    return usage("probestorm bisect: --runs must be >= 1 (default 100)");
  }
  bo.measure_runs = static_cast<uint64_t>(args.Given("runs") ? absl::GetFlag(FLAGS_runs) : 100);
  const int64_t max_runs = absl::GetFlag(FLAGS_max_runs);
  if (max_runs < 1) return usage("probestorm bisect: --max_runs must be >= 1");
  bo.max_runs = static_cast<uint64_t>(max_runs);
  req.budget_text = absl::GetFlag(FLAGS_time_budget);
  if (args.Given("time_budget")) {
    auto budget = harness::ParseDuration(req.budget_text);
    if (!budget.ok() || *budget <= 0) {
      return usage(absl::StrCat("probestorm bisect: bad --time_budget '", req.budget_text,
                                "' (e.g. 90s, 10m)"));
    }
    base.hard_deadline = start + std::chrono::nanoseconds(*budget);
  }
  req.report_json = absl::GetFlag(FLAGS_report_json);
  return req;
}

// What the bisection shows as it goes: a line per tested profile on stdout, and the
// --report_json document (the same evidence, then the outcome), written at every exit.
class BisectLog {
 public:
  BisectLog(const BisectRequest& req, Clock::time_point start) : req_(req), start_(start) {
    const BisectOptions& o = req.options;
    doc_ = {{"schema", std::string(kBisectSchema)}, {"invariant", o.invariant},
            {"find", o.first_bad ? "first-bad" : "first-good"}, {"profiles", harness::Json::array()},
            {"evidence", harness::Json::array()}};
    for (const auto& p : o.profiles) doc_["profiles"].push_back(p.name);
  }

  void Show(const std::string& name, const BisectVerdict& v) {
    const char* state = v.bad ? "bad" : v.out_of_time ? "open" : "good";
    doc_["evidence"].push_back({{"profile", name}, {"state", state}, {"how", v.how}, {"runs", v.runs},
                                {"findings", v.findings}, {"seconds", v.seconds}});
    const std::string line = absl::StrFormat("%-24s %-4s  %s (%d runs, %d findings, %.1f s)", name,
                                             state, v.how, v.runs, v.findings, v.seconds);
    evidence_.push_back(line);
    brief_.push_back(absl::StrFormat("%s %s after %d runs", name, state, v.runs));
    std::printf("  %s\n", line.c_str());
    std::fflush(stdout);
  }

  // Writes the report (if asked) and returns `code`, or 125 when the file cannot be written.
  int Finish(int code, std::string_view outcome, std::string_view verdict, std::string_view answer = "",
             std::string_view neighbour = "") {
    if (req_.report_json.empty()) return code;
    doc_["outcome"] = std::string(outcome);
    doc_["verdict"] = std::string(verdict);
    doc_["answer"] = std::string(answer);
    doc_["neighbour"] = std::string(neighbour);
    doc_["exit_code"] = code;
    if (absl::Status s = WriteOutputFile(req_.report_json, harness::DumpJson(doc_, 2) + "\n"); !s.ok()) {
      return Undecided(Sv(s.message()));
    }
    return code;
  }

  // The budget ran out (or a signal came) before the answer was known: the evidence, what is
  // still open, exit 125 (130 / 143 for SIGINT / SIGTERM).
  int OutOfTime(std::string_view during, std::string_view open) {
    const double spent = std::chrono::duration<double>(Clock::now() - start_).count();
    if (const int sig = InterruptSignal().load(); sig != 0) {
      std::printf("interrupted by %s after %.1f s while %s\nevidence so far:\n",
                  std::string(SignalName(sig)).c_str(), spent, std::string(during).c_str());
      PrintOpen(open);
      return Finish(InterruptExitCode(sig), "open",
                    absl::StrCat("interrupted by ", Av(SignalName(sig)), " while ", Av(during),
                                 "; still open: ", Av(open)));
    }
    std::printf("out of time: --time_budget=%s ran out after %.1f s while %s\nevidence so far:\n",
                req_.budget_text.c_str(), spent, std::string(during).c_str());
    PrintOpen(open);
    const std::string why = absl::StrFormat(
        "--time_budget=%s ran out after %.1f s while %s (evidence: %s); still open: %s",
        req_.budget_text, spent, during, absl::StrJoin(brief_, "; "), open);
    return Finish(Undecided(why), "open", why);
  }

  harness::Json& doc() { return doc_; }

 private:
  void PrintOpen(std::string_view open) {
    for (const std::string& e : evidence_) std::printf("  %s\n", e.c_str());
    std::printf("still open: %s\n", std::string(open).c_str());
    std::fflush(stdout);
  }

  const BisectRequest& req_;
  const Clock::time_point start_;
  harness::Json doc_;
  std::vector<std::string> evidence_;  // one line per tested profile, in test order
  std::vector<std::string> brief_;     // its short form, for the stderr line
};

// The outcome: the answer line and exit 0, or why it is undecided (125, 130, 143).
int Conclude(const BisectOptions& o, const BisectResult& r, BisectLog& log) {
  const auto& P = o.profiles;
  const std::string& inv = o.invariant;
  switch (r.outcome) {
    case BisectOutcome::kOpen:
      return log.OutOfTime(r.during, r.open);
    case BisectOutcome::kKnownBadNeverFailed: {
      const std::string why = absl::StrCat("the known-bad end ", P[r.known_bad].name, " never failed ", inv,
                                           " in ", r.known_bad_runs,
                                           " runs: ends do not differ as required (try more --runs)");
      return log.Finish(Undecided(why), "known-bad-never-failed", why);
    }
    case BisectOutcome::kBothEndsFail: {
      const std::string why = absl::StrCat("both ends fail ", inv, " (", P[r.other].name, " and ",
                                           P[r.known_bad].name, "): ends do not differ as required");
      return log.Finish(Undecided(why), "both-ends-fail", why);
    }
    case BisectOutcome::kFound:
      break;
  }
  const bool first_bad = o.first_bad;
  const size_t lo = r.lo, hi = r.hi;
  const double min_conf = r.min_confidence;
  std::printf("%s: %s (%s: %s)\n  %s\n  detection rate %.3f; good verdicts at confidence >= %.4f\n",
              first_bad ? "first bad" : "first good", P[hi].name.c_str(),
              first_bad ? "last good" : "last bad", P[lo].name.c_str(), P[hi].description.c_str(),
              r.p, min_conf);
  log.doc()["detection_rate"] = r.p;
  log.doc()["min_confidence"] = min_conf;
  const std::string answer = absl::StrFormat("%s: %s (%s: %s)", first_bad ? "first bad" : "first good",
                                             P[hi].name, first_bad ? "last good" : "last bad", P[lo].name);
  if (min_conf + 1e-12 < o.confidence) {
    const std::string why = absl::StrFormat(
        "a good verdict reached only confidence %.4f < %.4f (raise --max_runs)", min_conf, o.confidence);
    return log.Finish(Undecided(why), "open", absl::StrCat(answer, "; ", why), P[hi].name, P[lo].name);
  }
  return log.Finish(kExitClean, "found", answer, P[hi].name, P[lo].name);
}

}  // namespace

int BisectCommand(const SubcommandArgs& args) {
  const auto start = Clock::now();
  auto req = BisectRequestFromFlags(args, start);
  if (!req.ok()) return UsageError(req.status());
  BisectOptions& o = req->options;
  InstallInterruptHandlers();  // before the header line: a signal after it stops the bisection
  o.base.interrupt = &InterruptSignal();
  std::printf("probestorm bisect: %s for %s over %s\n", o.first_bad ? "first-bad" : "first-good",
              o.invariant.c_str(), req->profiles_text.c_str());
  std::fflush(stdout);
  BisectLog log(*req, start);
  const BisectResult r =
      Bisect(o, [&](const kernel::Profile& p, const BisectVerdict& v) { log.Show(p.name, v); });
  return Conclude(o, r, log);
}

}  // namespace probestorm::stress
