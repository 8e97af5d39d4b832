// Pieces shared by the subcommands: exit codes, loading boards and profiles from flags, engine
// options from flags, finding printouts and trace files.
//
// Thread-safety: call from the main thread.
#ifndef PROBESTORM_STRESS_COMMON_H_
#define PROBESTORM_STRESS_COMMON_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "driver/profile.h"
#include "driver/model_run.h"
#include "stress/campaign.h"
#include "stress/exit_codes.h"
#include "stress/flags.h"
#include "stress/token.h"

namespace probestorm::stress {

// Prints "probestorm: <message>" (one line) on stderr and returns kExitUsage.
int UsageError(const absl::Status& s);
int UsageError(std::string_view message);
// One loud line on stderr, returns kExitUndecided. Also the exit of a run whose verdict is known
// but one of whose artifacts (report, JUnit, trace, log) could not be written.
int Undecided(std::string_view message);

// Boards from --dt / --synthetic (default embedded:tm2e), loaded and fingerprinted.
absl::StatusOr<std::vector<CampaignBoard>> LoadBoards(const SubcommandArgs& args);
// Each name of a comma list, loaded, with every --set applied. Errors name the profile/knob.
absl::StatusOr<std::vector<kernel::Profile>> LoadProfiles(std::string_view comma_list,
                                                          const std::vector<std::string>& sets);
// --engine, --strategy, --perturb, --time_scale, --invariants, --max_virtual_time, checked.
absl::StatusOr<EngineSpec> EngineSpecFromFlags();
// The profile a token recorded: its knob text applied to defaults; `warning` is set when the
// built-in (or file) of that name now has other knobs.
absl::StatusOr<kernel::Profile> ProfileFromToken(const ReplayToken& t, std::string* warning);
// The engine spec a token recorded.
absl::StatusOr<EngineSpec> EngineSpecFromToken(const ReplayToken& t);
// --token, or --report + --finding; the source named in errors.
absl::StatusOr<ReplayToken> TokenFromFlags(std::string_view sub);

// Human printout of one finding: header, message, explanation, devices, tasks, replay command.
std::string FormatFinding(size_t index, const harness::Finding& f, std::string_view board,
                          std::string_view profile, uint64_t run, uint64_t seed,
                          std::string_view replay_command, bool explain = true);
// Writes the Chrome trace and ftrace log of a kept-trace run (empty path: skipped).
absl::Status WriteTraceFiles(const kernel::ModelRun& run, std::string_view chrome_path,
                             std::string_view log_path);
// Wraps `text` at `width` columns with `indent` before each line.
std::string Wrap(std::string_view text, size_t width, std::string_view indent);
// True when stdout is a terminal (or --progress=always; never with --progress=never).
bool ShowProgress();
// --progress is one of its values, and every output file flag given (--report_json, --junit,
// --trace, --log, --html) names a writable place: not a folder, in a folder that exists. Checked before
// any subcommand runs.
absl::Status CheckOutputFlags();
// Creates the --out folder (when not empty): the one flag whose folder is made.
absl::Status MakeOutFolderFromFlag();

}  // namespace probestorm::stress


namespace probestorm::stress {

// Everything a token re-run needs, checked: the board (same spec if --dt/--synthetic were given,
// same fingerprint, shrink's nodes disabled), the recorded profile and engine spec.
struct TokenRun {
  ReplayToken token;
  std::shared_ptr<hwmodel::Board> board;
  kernel::Profile profile;
  EngineSpec spec;
  std::string warning;  // e.g. the built-in profile changed since
};
absl::StatusOr<TokenRun> PrepareTokenRun(const ReplayToken& t, const SubcommandArgs& args);
// Runs a token: its schedule when it has one, else its strategy and seed.
absl::StatusOr<kernel::ModelRun> RunToken(const TokenRun& tr, bool keep_trace);
// True if `run` has a violation of invariant `id`.
bool HasViolation(const kernel::ModelRun& run, std::string_view id);

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_COMMON_H_
