// Command-line flags of every subcommand (absl flags are process-global, so all are defined here)
// and the per-subcommand argument check that runs before absl parses anything.
//
// absl::ParseCommandLine exits with status 1 on an unknown flag or a malformed value, and 1 means
// "violation found" to git bisect; so ParseSubcommandArgs first checks every flag name against the
// subcommand's own list and every typed value, and reports problems as one line (exit 2). The
// repeatable flags --dt, --synthetic and --set are collected here (absl keeps only the last value
// of a flag) and removed before absl parses the rest. --help is answered here, per subcommand.
//
// Thread-safety: call from main() only.
#ifndef PROBESTORM_STRESS_FLAGS_H_
#define PROBESTORM_STRESS_FLAGS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"

ABSL_DECLARE_FLAG(std::vector<std::string>, dt);
ABSL_DECLARE_FLAG(std::vector<std::string>, synthetic);
ABSL_DECLARE_FLAG(std::string, profile);
ABSL_DECLARE_FLAG(std::vector<std::string>, set);
ABSL_DECLARE_FLAG(std::string, engine);
ABSL_DECLARE_FLAG(std::string, strategy);
ABSL_DECLARE_FLAG(std::string, perturb);
ABSL_DECLARE_FLAG(double, time_scale);
ABSL_DECLARE_FLAG(uint64_t, seed);
ABSL_DECLARE_FLAG(int64_t, runs);
ABSL_DECLARE_FLAG(std::string, time_budget);
ABSL_DECLARE_FLAG(int32_t, jobs);
ABSL_DECLARE_FLAG(std::string, invariants);
ABSL_DECLARE_FLAG(bool, stop_on_first);
ABSL_DECLARE_FLAG(std::string, stop_on);
ABSL_DECLARE_FLAG(std::string, report_json);
ABSL_DECLARE_FLAG(std::string, junit);
ABSL_DECLARE_FLAG(std::string, trace);
ABSL_DECLARE_FLAG(std::string, log);
ABSL_DECLARE_FLAG(std::string, out);
ABSL_DECLARE_FLAG(int32_t, shard_index);
ABSL_DECLARE_FLAG(int32_t, shard_count);
ABSL_DECLARE_FLAG(std::string, max_virtual_time);
ABSL_DECLARE_FLAG(std::string, format);
ABSL_DECLARE_FLAG(std::string, token);
ABSL_DECLARE_FLAG(std::string, report);
ABSL_DECLARE_FLAG(int32_t, finding);
ABSL_DECLARE_FLAG(std::string, profiles);
ABSL_DECLARE_FLAG(std::string, find);
ABSL_DECLARE_FLAG(std::string, invariant);
ABSL_DECLARE_FLAG(double, confidence);
ABSL_DECLARE_FLAG(int64_t, max_runs);
ABSL_DECLARE_FLAG(std::string, progress);
ABSL_DECLARE_FLAG(std::string, html);
ABSL_DECLARE_FLAG(bool, verbose);

namespace probestorm::stress {

struct SubcommandArgs {
  std::vector<std::string> positional;  // after the subcommand, flags removed
  std::vector<std::string> dt;          // --dt, in order
  std::vector<std::string> synthetic;   // --synthetic, in order
  std::vector<std::string> set;         // --set, in order
  std::vector<std::string> given;       // names of the flags given on the command line
  bool help = false;                    // --help / -h / --helpfull
  bool Given(std::string_view name) const;
};

// Names of the subcommands, in help order.
const std::vector<std::string>& Subcommands();
// One-line purpose of a subcommand.
std::string_view SubcommandPurpose(std::string_view sub);
// argv[0] is the program, argv[1] the subcommand. kInvalidArgument (one line) for an unknown
// flag, a flag of another subcommand or a malformed value.
absl::StatusOr<SubcommandArgs> ParseSubcommandArgs(std::string_view sub, int argc, char** argv);
// `probestorm SUB --help`: usage, purpose and every flag of SUB with its default.
std::string SubcommandHelp(std::string_view sub);
// `probestorm --help`.
// The exit-code block that ends every --help (kExitCodes).
std::string ExitCodesHelp();
std::string TopLevelHelp();

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_FLAGS_H_
