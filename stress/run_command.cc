// `probestorm run`: one campaign, its human summary and its artifacts.
#include <cstdio>
#include <cstdlib>
#include <set>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "driver/invariants/all.h"
#include "harness/invariant.h"
#include "harness/strings.h"
#include "stress/campaign.h"
#include "stress/commands.h"
#include "stress/exit_codes.h"
#include "stress/finding_text.h"
#include "stress/load.h"
#include "stress/output_flags.h"
#include "stress/progress.h"
#include "stress/trace_files.h"
#include "stress/files.h"
#include "stress/interrupt.h"
#include "stress/junit.h"
#include "stress/report.h"
#include "stress/shard.h"

namespace probestorm::stress {

namespace {

absl::Status Usage(const std::string& message) { return absl::InvalidArgumentError(message); }

// The campaign the flags describe; every bad flag is an error, before anything runs.
absl::StatusOr<CampaignOptions> CampaignOptionsFromFlags(const SubcommandArgs& args) {
  if (!args.positional.empty()) {
    return Usage(absl::StrCat("probestorm run: unexpected argument '", args.positional[0],
                              "' (see probestorm run --help)"));
  }
  CampaignOptions o;
  auto boards = LoadBoards(args);
  if (!boards.ok()) return boards.status();
  o.boards = std::move(*boards);
  auto profiles = LoadProfiles(absl::GetFlag(FLAGS_profile), args.set);
  if (!profiles.ok()) return profiles.status();
  o.profiles = std::move(*profiles);
  for (const auto& b : o.boards) {
    for (const auto& p : o.profiles) {
      if (absl::Status s = kernel::CheckKnobsForBoard(p.knobs, *b.board); !s.ok()) {
        return Usage(absl::StrCat("profile ", p.name, ": ", s.message()));
      }
      kernel::Knobs knobs = p.knobs;
      const hwmodel::BoardFacts facts = kernel::ResolveForBoard(knobs, *b.board);
      if (!facts.note.empty()) std::fprintf(stderr, "probestorm: note: %s\n", facts.note.c_str());
    }
  }
  auto spec = EngineSpecFromFlags();
  if (!spec.ok()) return spec.status();
  o.engine = std::move(*spec);
  if (!args.Given("strategy")) {  // run's default: the portfolio
    o.engine.strategy.kind = harness::StrategySpec::Kind::kAuto;
  }
  o.seed = absl::GetFlag(FLAGS_seed);
  const int64_t runs = absl::GetFlag(FLAGS_runs);
  if (runs < 0) return Usage("probestorm run: --runs must be >= 0");
  o.runs = static_cast<uint64_t>(runs);
  auto budget = harness::ParseDuration(absl::GetFlag(FLAGS_time_budget));
  if (!budget.ok() || *budget <= 0) {
    return Usage(absl::StrCat("probestorm run: bad --time_budget '",
                              absl::GetFlag(FLAGS_time_budget), "' (e.g. 20s, 5m)"));
  }
  o.time_budget_seconds = static_cast<double>(*budget) / 1e9;
  if (o.runs > 0 && args.Given("time_budget")) {
    std::fprintf(stderr, "probestorm: warning: --time_budget is ignored with --runs\n");
  }
  const int jobs = absl::GetFlag(FLAGS_jobs);
  if (jobs < 0) return Usage("probestorm run: --jobs must be >= 1");
  o.jobs = jobs > 0 ? jobs : std::max(1u, std::thread::hardware_concurrency());
  o.stop_on_first = absl::GetFlag(FLAGS_stop_on_first);
  if (const std::string stop_on = absl::GetFlag(FLAGS_stop_on); !stop_on.empty()) {
    if (!kernel::invariants::Registry().Parse(stop_on).ok()) {
      return Usage(absl::StrCat("probestorm run: bad --stop_on '", stop_on,
                                "' (an invariant id: probestorm list invariants)"));
    }
    o.stop_on_first = true;
    o.stop_invariant = stop_on;
  }
  auto shard = ResolveShard(absl::GetFlag(FLAGS_shard_index), absl::GetFlag(FLAGS_shard_count),
                            [](const char* n) { return std::getenv(n); });
  if (!shard.ok()) return shard.status();
  o.shard_index = shard->index;
  o.shard_count = shard->count;
  o.keep_free_traces = !absl::GetFlag(FLAGS_out).empty() || !absl::GetFlag(FLAGS_trace).empty() ||
                       !absl::GetFlag(FLAGS_log).empty();
  return o;
}

// "probestorm run: embedded:tm2e x v6.1-modular, controlled engine (auto), seed 1, 20s budget..."
std::string HeaderLine(const CampaignOptions& o) {
  std::vector<std::string> board_names, profile_names;
  for (const auto& b : o.boards) board_names.push_back(b.spec);
  for (const auto& p : o.profiles) profile_names.push_back(p.name);
  return absl::StrCat(
      "probestorm run: ", absl::StrJoin(board_names, ","), " x ", absl::StrJoin(profile_names, ","),
      ", ", std::string(EngineKindName(o.engine.engine)), " engine",
      o.engine.free() ? absl::StrCat(" (perturb ", harness::PerturbName(o.engine.perturb), ")")
                      : absl::StrCat(" (", o.engine.strategy.Format(), ")"),
      ", seed ", o.seed, ", ",
      o.runs > 0 ? absl::StrCat(o.runs, " runs") : absl::StrFormat("%gs budget", o.time_budget_seconds),
      ", ", o.jobs, " jobs",
      o.shard_count > 1 ? absl::StrCat(", shard ", o.shard_index, "/", o.shard_count) : "", "\n");
}

// Writes the report, the JUnit file and a trace and log of the first finding of each invariant
// (campaign order: lowest run; invariants found in one run share its files), prints what it wrote
// and returns false if any of them could not be written.
bool WriteArtifacts(const CampaignOptions& o, const CampaignResult& res, const Report& report,
                    const std::string& report_path, const std::string& junit_path) {
  std::vector<std::string> written;
  bool ok = true;
  const auto fail = [&](const absl::Status& s) {
    std::fprintf(stderr, "probestorm: %s\n", std::string(s.message()).c_str());
    ok = false;
  };
  const auto write = [&](const std::string& path, const std::string& contents) {
    if (absl::Status s = WriteOutputFile(path, contents); !s.ok()) return fail(s);
    written.push_back(path);
  };
  // Rendered only when asked for (--out= with no --report_json: 3 % of a masters=256 run).
  if (!report_path.empty()) write(report_path, ReportJson(report));
  if (!junit_path.empty()) write(junit_path, JunitXml(report));
  FindingTraceFiles traces([&](const FoundRecord& rec, const std::string& chrome,
                               const std::string& log) {
    return RenderFindingTrace(o, res, rec, chrome, log);
  });
  const auto trace = [&](const FoundRecord& rec, const std::string& chrome, const std::string& log) {
    if (absl::Status s = traces.Write(rec, chrome, log); !s.ok()) fail(s);
  };
  const std::string out_dir = absl::GetFlag(FLAGS_out);
  const std::string trace_flag = absl::GetFlag(FLAGS_trace);
  const std::string log_flag = absl::GetFlag(FLAGS_log);
  std::set<std::string> traced;
  for (const FoundRecord& rec : res.findings) {
    const std::string id(rec.finding.invariant.name());
    const bool first = traced.empty();
    if (!traced.insert(id).second) continue;
    if (!out_dir.empty()) {
      trace(rec, JoinPath(out_dir, absl::StrCat("trace-", id, ".json")),
            JoinPath(out_dir, absl::StrCat("log-", id, ".txt")));
    }
    if (first) trace(rec, trace_flag, log_flag);
  }
  written.insert(written.end(), traces.written().begin(), traces.written().end());
  if (!written.empty()) std::printf("artifacts: %s\n", absl::StrJoin(written, ", ").c_str());
  return ok;
}

// The exit code and result line of a finished campaign.
int Verdict(const CampaignResult& res, const Report& report, bool artifacts_written) {
  // A verdict whose report is missing is no verdict for a script: 125 before 1 or 0.
  if (!artifacts_written) {
    std::printf("result: %s, but an artifact could not be written (exit 125)\n",
                report.Violated() ? "VIOLATION" : "no violation");
    return Undecided("an artifact could not be written (see the lines above)");
  }
  if (res.interrupted != 0) {
    const int code = InterruptExitCode(res.interrupted);
    std::printf("result: interrupted by %s after %llu runs (%s so far); partial report (exit %d)\n",
                std::string(SignalName(res.interrupted)).c_str(),
                static_cast<unsigned long long>(res.runs),
                report.Violated() ? "violations" : "no violation", code);
    return code;
  }
  if (res.AllIncomplete()) {
    return Undecided(absl::StrCat(
        "every run (", res.runs, ") stopped before quiescence (max virtual time or max steps): "
        "no run finished its boot, so no verdict (raise --max_virtual_time)"));
  }
  if (report.Violated()) {
    std::printf("result: VIOLATION (exit 1)\n");
    return kExitViolation;
  }
  if (res.model_errors > 0) {
    return Undecided(absl::StrCat(res.model_errors,
                                  " run(s) could not finish (a model error or a host limit); first: ",
                                  res.first_error));
  }
  if (res.runs == 0) return Undecided("no run finished within the budget");
  std::printf("result: no violation (exit 0)\n");
  return kExitClean;
}

}  // namespace

int RunCommand(const SubcommandArgs& args) {
  auto options = CampaignOptionsFromFlags(args);
  if (!options.ok()) return UsageError(options.status());
  CampaignOptions& o = *options;
  TerminalProgress terminal;
  if (ShowProgress()) o.progress = &terminal;
  if (absl::Status s = MakeOutFolderFromFlag(); !s.ok()) return UsageError(s);
  const std::string out_dir = absl::GetFlag(FLAGS_out);
  std::string report_path = absl::GetFlag(FLAGS_report_json);
  std::string junit_path = absl::GetFlag(FLAGS_junit);
  if (report_path.empty() && !out_dir.empty()) report_path = JoinPath(out_dir, "report.json");
  if (junit_path.empty() && !out_dir.empty()) junit_path = JoinPath(out_dir, "junit.xml");

  InstallInterruptHandlers();  // before the header line: a signal after it stops the campaign
  o.interrupt = &InterruptSignal();
  std::fputs(HeaderLine(o).c_str(), stdout);
  std::fflush(stdout);

  CampaignResult res = RunCampaign(o);
  Report report = BuildReport(o, res);
  if (!report_path.empty()) ReferReplaysToReport(report, report_path);

  // The first finding of each invariant (--verbose: every finding), numbered as
  // `replay --report --finding=N` expects.
  std::fputs(CampaignFindingsText(report, absl::GetFlag(FLAGS_verbose)).c_str(), stdout);
  std::fputs(CampaignSummaryText(report).c_str(), stdout);
  if (res.stopped_early) std::printf("  stopped at the first violation (--stop_on_first)\n");

  const bool written = WriteArtifacts(o, res, report, report_path, junit_path);
  if (o.engine.free() && !res.findings.empty()) {
    std::printf("note: the free engine is not deterministic: its traces were recorded during the "
                "campaign, and replay re-runs the seed without reproducing the OS schedule\n");
  }
  return Verdict(res, report, written);
}

}  // namespace probestorm::stress
