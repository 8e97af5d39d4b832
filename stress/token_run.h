// Re-running a replay token (replay, shrink): the token from --token or --report + --finding,
// checked against the board and this probestorm, and run.
//
// Thread-safety: call from the main thread.
#ifndef PROBESTORM_STRESS_TOKEN_RUN_H_
#define PROBESTORM_STRESS_TOKEN_RUN_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "driver/model_run.h"
#include "driver/profile.h"
#include "hwmodel/dt/board.h"
#include "stress/engine_spec.h"
#include "stress/flags.h"
#include "stress/token.h"

namespace probestorm::stress {

// --token, or --report + --finding; the source named in errors.
absl::StatusOr<ReplayToken> TokenFromFlags(std::string_view sub);

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
// Runs a token: its schedule when it has one (a replay spec), else its strategy and seed.
absl::StatusOr<kernel::ModelRun> RunToken(const TokenRun& tr, bool keep_trace);
// The first violation of invariant `id` in `run`, or null.
const harness::Finding* ViolationOf(const kernel::ModelRun& run, std::string_view id);
// True if `run` has a violation of invariant `id`.
bool HasViolation(const kernel::ModelRun& run, std::string_view id);

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_TOKEN_RUN_H_
