// The subcommands of `probestorm` (README "Command line"). Each returns the
// process exit code (exit_codes.h) and prints its own one-line errors.
//
// Thread-safety: call from main() only.
#ifndef PROBESTORM_STRESS_COMMANDS_H_
#define PROBESTORM_STRESS_COMMANDS_H_

#include "stress/flags.h"

namespace probestorm::stress {

int RunCommand(const SubcommandArgs& args);
int ReplayCommand(const SubcommandArgs& args);
int ShrinkCommand(const SubcommandArgs& args);
int BisectCommand(const SubcommandArgs& args);
int DescribeCommand(const SubcommandArgs& args);
int ListCommand(const SubcommandArgs& args);
int MergeCommand(const SubcommandArgs& args);
int ReportCommand(const SubcommandArgs& args);

// The whole command line: argv[1] is the subcommand.
int ProbestormMain(int argc, char** argv);

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_COMMANDS_H_
