#include "harness/trace/ftrace_log.h"

namespace probestorm::harness {

void WriteFtraceLog(const TextSink& sink, const std::vector<TraceEvent>& events,
                    const std::vector<std::string>& task_names) {
  BufferedText out(sink);
  for (const TraceEvent& e : events) {
    out += FormatTraceLine(e, e.task < task_names.size() ? std::string_view(task_names[e.task])
                                                         : std::string_view());
    out += '\n';
  }
}

std::string FtraceLog(const std::vector<TraceEvent>& events, const std::vector<std::string>& task_names) {
  std::string text;
  WriteFtraceLog([&text](std::string_view piece) { text.append(piece); }, events, task_names);
  return text;
}

}  // namespace probestorm::harness
