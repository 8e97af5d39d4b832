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
  const auto& P = *profiles;
  InstallInterruptHandlers();  // before the header line: a signal after it stops the bisection
  base.interrupt = &InterruptSignal();
  std::printf("probestorm bisect: %s for %s over %s\n", find.c_str(), inv.c_str(), list.c_str());
  std::fflush(stdout);
  // One line per tested profile, in test order, and its short form for the stderr line.
  std::vector<std::string> evidence, brief;
  // --report_json: the same evidence, then the outcome, written at every exit of the command.
  const std::string report_json = absl::GetFlag(FLAGS_report_json);
  harness::Json doc = {{"schema", std::string(kBisectSchema)}, {"invariant", inv}, {"find", find},
                       {"profiles", harness::Json::array()}, {"evidence", harness::Json::array()}};
  for (const auto& p : *profiles) doc["profiles"].push_back(p.name);
  // Writes the report (if asked) and returns `code`, or 125 when the file cannot be written.
  const auto finish = [&](int code, std::string_view outcome, std::string_view verdict,
                          std::string_view answer = "", std::string_view neighbour = "") {
    if (report_json.empty()) return code;
    doc["outcome"] = std::string(outcome);
    doc["verdict"] = std::string(verdict);
    doc["answer"] = std::string(answer);
    doc["neighbour"] = std::string(neighbour);
    doc["exit_code"] = code;
    if (absl::Status s = WriteOutputFile(report_json, harness::DumpJson(doc, 2) + "\n"); !s.ok()) {
      return Undecided(Sv(s.message()));
    }
    return code;
  };
  const auto show = [&](const std::string& name, const BisectVerdict& v) {
    const char* state = v.bad ? "bad" : v.out_of_time ? "open" : "good";
    doc["evidence"].push_back({{"profile", name}, {"state", state}, {"how", v.how}, {"runs", v.runs},
                               {"findings", v.findings}, {"seconds", v.seconds}});
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
      return finish(InterruptExitCode(sig), "open",
                    absl::StrCat("interrupted by ", Av(SignalName(sig)), " while ", Av(during),
                                 "; still open: ", Av(open)));
    }
    std::printf("out of time: --time_budget=%s ran out after %.1f s while %s\nevidence so far:\n",
                budget_text.c_str(), spent, std::string(during).c_str());
    for (const std::string& e : evidence) std::printf("  %s\n", e.c_str());
    std::printf("still open: %s\n", std::string(open).c_str());
    std::fflush(stdout);
    const std::string why = absl::StrFormat(
        "--time_budget=%s ran out after %.1f s while %s (evidence: %s); still open: %s", budget_text,
        spent, during, absl::StrJoin(brief, "; "), open);
    return finish(Undecided(why), "open", why);
  };

  BisectOptions bo;
  bo.base = base;
  bo.profiles = P;
  bo.invariant = inv;
  bo.first_bad = first_bad;
  bo.confidence = confidence;
  bo.measure_runs = static_cast<uint64_t>(measure);
  bo.max_runs = static_cast<uint64_t>(max_runs);
  const BisectResult r =
      Bisect(bo, [&](const kernel::Profile& p, const BisectVerdict& v) { show(p.name, v); });
  switch (r.outcome) {
    case BisectOutcome::kOpen:
      return out_of_time(r.during, r.open);
    case BisectOutcome::kKnownBadNeverFailed: {
      const std::string why = absl::StrCat("the known-bad end ", P[r.known_bad].name, " never failed ", inv,
                                           " in ", r.known_bad_runs,
                                           " runs: ends do not differ as required (try more --runs)");
      return finish(Undecided(why), "known-bad-never-failed", why);
    }
    case BisectOutcome::kBothEndsFail: {
      const std::string why = absl::StrCat("both ends fail ", inv, " (", P[r.other].name, " and ",
                                           P[r.known_bad].name, "): ends do not differ as required");
      return finish(Undecided(why), "both-ends-fail", why);
    }
    case BisectOutcome::kFound:
      break;
  }
  const size_t lo = r.lo, hi = r.hi;
  const double min_conf = r.min_confidence;
  std::printf("%s: %s (%s: %s)\n  %s\n  detection rate %.3f; good verdicts at confidence >= %.4f\n",
              first_bad ? "first bad" : "first good", P[hi].name.c_str(),
              first_bad ? "last good" : "last bad", P[lo].name.c_str(), P[hi].description.c_str(),
              r.p, min_conf);
  doc["detection_rate"] = r.p;
  doc["min_confidence"] = min_conf;
  const std::string answer = absl::StrFormat("%s: %s (%s: %s)", first_bad ? "first bad" : "first good",
                                             P[hi].name, first_bad ? "last good" : "last bad", P[lo].name);
  if (min_conf + 1e-12 < confidence) {
    const std::string why = absl::StrFormat(
        "a good verdict reached only confidence %.4f < %.4f (raise --max_runs)", min_conf, confidence);
    return finish(Undecided(why), "open", absl::StrCat(answer, "; ", why), P[hi].name, P[lo].name);
  }
  return finish(kExitClean, "found", answer, P[hi].name, P[lo].name);
}

}  // namespace probestorm::stress
