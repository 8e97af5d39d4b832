// ChromeTraceJson: a run's trace as Chrome trace-event JSON ("JSON Object Format"), which
// Perfetto (ui.perfetto.dev) and chrome://tracing open (the `trace-<invariant>.json` files of
// `probestorm run`).
//
// Layout: one process (pid 1, "probestorm"); one track per task (tid = task id, named by a
// thread_name metadata event "T<id> <name>"); TraceSpan begin/end become 'B'/'E' slices; TraceLog
// events become thread-scoped 'i' instants; Phase::kFinding trace events become thread-scoped
// instants of category "finding"; every Finding of the run also becomes a global instant carrying
// its invariant, message, tasks and detail. Strings follow harness/json.h: any bytes in a device,
// task or function name give valid JSON (an invalid UTF-8 byte becomes U+FFFD).
//
// Time: ts is virtual time in microseconds with nanosecond decimals. Many events share one virtual
// instant (the controlled engine advances time only when no task is runnable), and viewers order
// events by ts, so each event's ts is max(its virtual time, the previous event's ts + 1 ns): events
// keep trace (step) order and slices nest; the drift is at most 1 ns per event at one instant.
// Slices stay balanced per track: an 'E' with no open slice (a trace tail starting mid-span) is
// dropped and slices still open at the end are closed at the last timestamp.
//
// Output: streamed to a TextSink in blocks (text_sink.h); the whole file is never one string. Memory
// beyond the events is the open-slice names of each track and one block.
//
// Thread-safety: a pure function.
#ifndef PROBESTORM_HARNESS_TRACE_CHROME_TRACE_H_
#define PROBESTORM_HARNESS_TRACE_CHROME_TRACE_H_

#include <string>
#include <vector>

#include "harness/finding.h"
#include "harness/trace/text_sink.h"
#include "harness/trace/trace.h"

namespace probestorm::harness {

// `events` in trace order (Trace::Events()); `task_names` indexed by task id (missing: "").
void WriteChromeTrace(const TextSink& out, const std::vector<TraceEvent>& events,
                      const std::vector<std::string>& task_names, const std::vector<Finding>& findings);
// The same, as one string (tests, small traces).
std::string ChromeTraceJson(const std::vector<TraceEvent>& events,
                            const std::vector<std::string>& task_names,
                            const std::vector<Finding>& findings);

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_TRACE_CHROME_TRACE_H_
