// The trace files of one run: its Chrome trace (ui.perfetto.dev) and its ftrace-like log; and the
// trace files of a campaign's findings, each run rendered once.
//
// Thread-safety: call from one thread per run; a FindingTraceFiles from one thread.
#ifndef PROBESTORM_STRESS_TRACE_FILES_H_
#define PROBESTORM_STRESS_TRACE_FILES_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "driver/model_run.h"
#include "stress/campaign.h"

namespace probestorm::stress {

// Writes the Chrome trace and ftrace log of a kept-trace run (empty path: skipped).
absl::Status WriteTraceFiles(const kernel::ModelRun& run, std::string_view chrome_path,
                             std::string_view log_path);

// Writes the trace files of the run that made `rec` (empty path: skipped): a free run's as the
// campaign kept it, a controlled run re-run from its token with keep_trace (a trace hash that
// differs from the recorded one is a model bug: warned on stderr, written anyway). False when
// there was nothing to write (a free run whose trace was not kept).
absl::StatusOr<bool> RenderFindingTrace(const CampaignOptions& o, const CampaignResult& res,
                                        const FoundRecord& rec, const std::string& chrome,
                                        const std::string& log);

// The trace files of a campaign's findings. Several invariants found in one run share that run's
// files: the run is rendered once per kind of file, and each further name is a copy
// (CopyOutputFile: a hard link where the file system allows).
class FindingTraceFiles {
 public:
  // RenderFindingTrace, or a stand-in in tests.
  using Render = std::function<absl::StatusOr<bool>(const FoundRecord&, const std::string& chrome,
                                                    const std::string& log)>;
  explicit FindingTraceFiles(Render render) : render_(std::move(render)) {}

  // Puts the trace of rec's run at `chrome` and its log at `log` (empty: none).
  absl::Status Write(const FoundRecord& rec, const std::string& chrome, const std::string& log);
  // Every path written so far, in order.
  const std::vector<std::string>& written() const { return written_; }

 private:
  struct RunFiles {
    std::string chrome, log;  // the first of each kind written for the run, or empty
  };
  Render render_;
  std::map<uint64_t, RunFiles> runs_;
  std::vector<std::string> written_;
};

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_TRACE_FILES_H_
