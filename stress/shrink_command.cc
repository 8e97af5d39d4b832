// `probestorm shrink`: flags to Shrink (shrink.h), the shrunk run's trace files and its printout.
#include <chrono>
#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "harness/strings.h"
#include "stress/commands.h"
#include "stress/exit_codes.h"
#include "stress/files.h"
#include "stress/finding_text.h"
#include "stress/output_flags.h"
#include "stress/shrink.h"
#include "stress/token_run.h"
#include "stress/trace_files.h"

namespace probestorm::stress {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

int ShrinkCommand(const SubcommandArgs& args) {
  if (!args.positional.empty()) {
    return UsageError(absl::StrCat("probestorm shrink: unexpected argument '", args.positional[0],
                                   "' (see probestorm shrink --help)"));
  }
  auto token = TokenFromFlags("shrink");
  if (!token.ok()) return UsageError(token.status());
  auto prepared = PrepareTokenRun(*token, args);
  if (!prepared.ok()) return UsageError(prepared.status());
  if (!prepared->spec.controlled()) {
    return UsageError("probestorm shrink: needs a token of the controlled engine (free-engine runs "
                      "cannot be replayed)");
  }
  if (!prepared->warning.empty()) std::fprintf(stderr, "probestorm: WARNING: %s\n", prepared->warning.c_str());
  auto budget = harness::ParseDuration(absl::GetFlag(FLAGS_time_budget));
  if (!budget.ok() || *budget <= 0) {
    return UsageError(absl::StrCat("probestorm shrink: bad --time_budget '",
                                   absl::GetFlag(FLAGS_time_budget), "'"));
  }
  if (absl::Status s = MakeOutFolderFromFlag(); !s.ok()) return UsageError(s);
  const double budget_s = args.Given("time_budget") ? static_cast<double>(*budget) / 1e9 : 120.0;
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(budget_s));

  auto shrunk = Shrink(*prepared, deadline);
  if (!shrunk.ok()) return Undecided(Sv(shrunk.status().message()));
  const TokenRun& cur = shrunk->shrunk;
  const std::string& id = cur.token.invariant;
  const kernel::ModelRun* fin = &shrunk->run;
  const ShrinkSize& before = shrunk->before;
  const ShrinkSize& after = shrunk->after;
  const int attempts = shrunk->attempts;

  const std::string out_dir = absl::GetFlag(FLAGS_out);
  std::string chrome = absl::GetFlag(FLAGS_trace);
  std::string log = absl::GetFlag(FLAGS_log);
  if (chrome.empty() && !out_dir.empty()) chrome = JoinPath(out_dir, absl::StrCat("shrink-", id, ".json"));
  if (log.empty() && !out_dir.empty()) log = JoinPath(out_dir, absl::StrCat("shrink-", id, ".txt"));
  const absl::Status written = WriteTraceFiles(*fin, chrome, log);
  if (!written.ok()) std::fprintf(stderr, "probestorm: %s\n", std::string(written.message()).c_str());

  std::printf("probestorm shrink: %s on %s / %s (%d attempts)\n", id.c_str(),
              cur.token.board.c_str(), cur.token.profile.c_str(), attempts);
  std::printf("  %-14s %12s %12s\n", "", "before", "after");
  const auto row = [](const char* what, uint64_t a, uint64_t b) {
    std::printf("  %-14s %12llu %12llu\n", what, static_cast<unsigned long long>(a),
                static_cast<unsigned long long>(b));
  };
  row("devices", before.devices, after.devices);
  row("masters", before.masters, after.masters);
  row("sysmmus", before.sysmmus, after.sysmmus);
  row("churn", static_cast<uint64_t>(before.churn), static_cast<uint64_t>(after.churn));
  row("tasks", before.tasks, after.tasks);
  row("choices", before.choices, after.choices);
  row("preemptions", before.preemptions, after.preemptions);
  row("steps", before.steps, after.steps);
  std::printf("  %-14s %12s %12s\n", "virtual time",
              harness::FormatKernelTime(before.virtual_time).c_str(),
              harness::FormatKernelTime(after.virtual_time).c_str());
  if (const harness::Finding* f = ViolationOf(*fin, id)) {
    std::printf("%s", FormatFinding(0, *f, cur.token.board, cur.token.profile, cur.token.run,
                                    cur.token.seed, ReplayCommandLine(cur.token))
                          .c_str());
  }
  if (!chrome.empty()) std::printf("trace: %s\nlog:   %s\n", chrome.c_str(), log.c_str());
  std::printf("shrunk token:\n  %s\n", ReplayCommandLine(cur.token).c_str());
  if (!written.ok()) return Undecided("the shrunk run's trace could not be written (see above)");
  return kExitViolation;
}

}  // namespace probestorm::stress
