// The exit codes of every subcommand (they fit `git bisect run`), with the one-line
// meanings that --help, the JSON report and the README print.
#ifndef PROBESTORM_STRESS_EXIT_CODES_H_
#define PROBESTORM_STRESS_EXIT_CODES_H_

#include <array>
#include <string_view>

namespace probestorm::stress {

inline constexpr int kExitClean = 0;
inline constexpr int kExitViolation = 1;
inline constexpr int kExitUsage = 2;
// ThreadSanitizer's own exit code (its `exitcode` option) when a `tsan` build reported a race in
// probestorm itself or in the free engine's OS threads. probestorm never returns it.
inline constexpr int kExitSanitizer = 66;
inline constexpr int kExitUndecided = 125;
inline constexpr int kExitSigint = 130;   // 128 + SIGINT (stress/interrupt.h)
inline constexpr int kExitSigterm = 143;  // 128 + SIGTERM

struct ExitCode {
  int code;
  std::string_view meaning;
};
inline constexpr std::array<ExitCode, 7> kExitCodes = {{
    {kExitClean, "no violation"},
    {kExitViolation, "violation found"},
    {kExitUsage, "usage or input error"},
    {kExitSanitizer, "a ThreadSanitizer report (tsan build only)"},
    {kExitUndecided, "undecided, could not run the model, or an artifact could not be written"},
    {kExitSigint, "interrupted by SIGINT: partial report and JUnit written"},
    {kExitSigterm, "interrupted by SIGTERM: partial report and JUnit written"},
}};

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_EXIT_CODES_H_
