// FtraceLog: a run's trace as ftrace-like text, one FormatTraceLine per event
// ("[   10.000123] T42 modprobe 13a00000.sysmmu: exynos_sysmmu_probe: iommu_device_register"),
// in trace (step) order, each line ending in '\n'.
//
// Output: streamed to a TextSink in blocks (text_sink.h), or returned as one string.
//
// Thread-safety: a pure function.
#ifndef PROBESTORM_HARNESS_TRACE_FTRACE_LOG_H_
#define PROBESTORM_HARNESS_TRACE_FTRACE_LOG_H_

#include <string>
#include <vector>

#include "harness/trace/text_sink.h"
#include "harness/trace/trace.h"

namespace probestorm::harness {

// `task_names` indexed by task id (missing: no name on the line).
void WriteFtraceLog(const TextSink& out, const std::vector<TraceEvent>& events,
                    const std::vector<std::string>& task_names);
std::string FtraceLog(const std::vector<TraceEvent>& events, const std::vector<std::string>& task_names);

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_TRACE_FTRACE_LOG_H_
