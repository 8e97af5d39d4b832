// The flags that name outputs: checked before any subcommand runs, and the --out folder made.
//
// Thread-safety: call from the main thread (they read the process-wide flags).
#ifndef PROBESTORM_STRESS_OUTPUT_FLAGS_H_
#define PROBESTORM_STRESS_OUTPUT_FLAGS_H_

#include "absl/status/status.h"

namespace probestorm::stress {

// --progress is one of its values, and every output file flag given (--report_json, --junit,
// --trace, --log, --html) names a writable place: not a folder, in a folder that exists. Checked before
// any subcommand runs.
absl::Status CheckOutputFlags();
// Creates the --out folder (when not empty): the one flag whose folder is made.
absl::Status MakeOutFolderFromFlag();

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_OUTPUT_FLAGS_H_
