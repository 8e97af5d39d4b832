#include "stress/trace_files.h"

#include "harness/trace/chrome_trace.h"
#include "harness/trace/ftrace_log.h"
#include "stress/files.h"

namespace probestorm::stress {

absl::Status WriteTraceFiles(const kernel::ModelRun& run, std::string_view chrome_path,
                             std::string_view log_path) {
  if (!chrome_path.empty()) {
    absl::Status s = WriteOutputFile(chrome_path, [&run](const harness::TextSink& put) {
      harness::WriteChromeTrace(put, run.trace, run.task_names, run.result.findings);
    });
    if (!s.ok()) return s;
  }
  if (!log_path.empty()) {
    absl::Status s = WriteOutputFile(log_path, [&run](const harness::TextSink& put) {
      harness::WriteFtraceLog(put, run.trace, run.task_names);
    });
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace probestorm::stress
