// `probestorm replay`: re-runs one finding exactly, checks the trace hash, writes trace and log.
#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "stress/commands.h"
#include "stress/exit_codes.h"
#include "stress/finding_text.h"
#include "stress/output_flags.h"
#include "stress/token_run.h"
#include "stress/trace_files.h"
#include "stress/files.h"
#include "harness/strings.h"

namespace probestorm::stress {

int ReplayCommand(const SubcommandArgs& args) {
  if (!args.positional.empty()) {
    return UsageError(absl::StrCat("probestorm replay: unexpected argument '", args.positional[0],
                                   "' (see probestorm replay --help)"));
  }
  auto token = TokenFromFlags("replay");
  if (!token.ok()) return UsageError(token.status());
  auto tr = PrepareTokenRun(*token, args);
  if (!tr.ok()) return UsageError(tr.status());
  if (absl::Status s = MakeOutFolderFromFlag(); !s.ok()) return UsageError(s);
  if (!tr->warning.empty()) std::fprintf(stderr, "probestorm: WARNING: %s\n", tr->warning.c_str());
  const ReplayToken& t = tr->token;
  const EngineSpec& spec = tr->spec;
  std::printf("probestorm replay: %s on %s / %s, %s engine (%s), run %llu, seed %llu\n",
              t.invariant.c_str(), t.board.c_str(), t.profile.c_str(),
              std::string(EngineKindName(spec.engine)).c_str(),
              spec.free() ? harness::PerturbName(spec.perturb) : spec.strategy.Format().c_str(),
              static_cast<unsigned long long>(t.run), static_cast<unsigned long long>(t.seed));
  auto m = RunToken(*tr, /*keep_trace=*/true);
  if (!m.ok()) return Undecided(Sv(m.status().message()));

  const std::string out_dir = absl::GetFlag(FLAGS_out);
  std::string chrome = absl::GetFlag(FLAGS_trace);
  std::string log = absl::GetFlag(FLAGS_log);
  if (chrome.empty() && !out_dir.empty()) chrome = JoinPath(out_dir, absl::StrCat("replay-", t.invariant, ".json"));
  if (log.empty() && !out_dir.empty()) log = JoinPath(out_dir, absl::StrCat("replay-", t.invariant, ".txt"));
  const absl::Status written = WriteTraceFiles(*m, chrome, log);
  if (!written.ok()) {
    std::fprintf(stderr, "probestorm: %s\n", std::string(written.message()).c_str());
  } else {
    std::printf("trace: %s\nlog:   %s\n", chrome.c_str(), log.c_str());
  }

  const std::string command = ReplayCommandLine(t);
  for (size_t i = 0; i < m->result.findings.size(); ++i) {
    std::printf("%s", FormatFinding(i, m->result.findings[i], t.board, t.profile, t.run, t.seed,
                                    command)
                          .c_str());
  }
  std::printf("run: %llu steps, %u tasks, ended %s at t=%s\n",
              static_cast<unsigned long long>(m->result.steps), m->result.tasks,
              harness::EndingName(m->result.ending),
              harness::FormatKernelTime(m->result.virtual_time).c_str());

  const bool reproduced = HasViolation(*m, t.invariant);
  if (spec.controlled() && m->result.trace_hash != t.trace_hash) {
    std::fprintf(stderr,
                 "probestorm: REPLAY MISMATCH: trace hash %016llx, the token recorded %016llx.\n"
                 "  The run did not follow the recorded execution: the model, the harness or the "
                 "board changed since the token was made (or the model is not deterministic).\n",
                 static_cast<unsigned long long>(m->result.trace_hash),
                 static_cast<unsigned long long>(t.trace_hash));
    return kExitUndecided;
  }
  if (spec.free()) {
    std::printf("note: free engine: the seed fixes the perturbation, not the OS schedule; "
                "the trace differs from the recorded run\n");
  } else {
    std::printf("trace hash %016llx matches the recorded run\n",
                static_cast<unsigned long long>(m->result.trace_hash));
  }
  if (!written.ok()) {
    std::printf("result: %s %s, but the trace could not be written (exit 125)\n",
                t.invariant.c_str(), reproduced ? "reproduced" : "did not reproduce");
    return Undecided("an artifact could not be written (see above)");
  }
  if (reproduced) {
    std::printf("result: %s reproduced (exit 1)\n", t.invariant.c_str());
    return kExitViolation;
  }
  std::printf("result: %s did not reproduce (exit 0)\n", t.invariant.c_str());
  return kExitClean;
}

}  // namespace probestorm::stress
