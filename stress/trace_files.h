// The trace files of one run: its Chrome trace (ui.perfetto.dev) and its ftrace-like log.
//
// Thread-safety: call from one thread per run.
#ifndef PROBESTORM_STRESS_TRACE_FILES_H_
#define PROBESTORM_STRESS_TRACE_FILES_H_

#include <string_view>

#include "absl/status/status.h"
#include "driver/model_run.h"

namespace probestorm::stress {

// Writes the Chrome trace and ftrace log of a kept-trace run (empty path: skipped).
absl::Status WriteTraceFiles(const kernel::ModelRun& run, std::string_view chrome_path,
                             std::string_view log_path);

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_TRACE_FILES_H_
