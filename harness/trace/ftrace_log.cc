#include "harness/trace/ftrace_log.h"

namespace probestorm::harness {

std::string FtraceLog(const std::vector<TraceEvent>& events, const std::vector<std::string>& task_names) {
  std::string out;
  for (const TraceEvent& e : events) {
    out += FormatTraceLine(e, e.task < task_names.size() ? std::string_view(task_names[e.task])
                                                         : std::string_view());
    out += '\n';
  }
  return out;
}

}  // namespace probestorm::harness
