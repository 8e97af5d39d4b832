#include "harness/trace/chrome_trace.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "harness/json.h"
#include "harness/strings.h"

namespace probestorm::harness {
namespace {

// Microseconds with three decimals from nanoseconds, exact (no floating point).
std::string Micros(int64_t ns) {
  if (ns < 0) ns = 0;
  return absl::StrFormat("%d.%03d", ns / 1000, ns % 1000);
}

std::string TrackName(uint32_t task, const std::vector<std::string>& task_names) {
  if (task == 0) return "T0 setup";
  const std::string name = task < task_names.size() ? task_names[task] : std::string();
  return name.empty() ? absl::StrCat("T", task) : absl::StrCat("T", task, " ", name);
}

void AppendArgs(std::string& out, const TraceEvent& e) {
  absl::StrAppend(&out, ",\"args\":{\"step\":", e.step);
  if (!e.device.empty()) absl::StrAppend(&out, ",\"device\":", JsonQuote(e.device));
  if (!e.detail.empty()) absl::StrAppend(&out, ",\"detail\":", JsonQuote(e.detail));
  out += "}";
}

std::string EventName(const TraceEvent& e) {
  return e.device.empty() ? e.func : absl::StrCat(e.device, ": ", e.func);
}

}  // namespace

void WriteChromeTrace(const TextSink& sink, const std::vector<TraceEvent>& events,
                      const std::vector<std::string>& task_names, const std::vector<Finding>& findings) {
  BufferedText out(sink);
  out += "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n";
  bool first = true;
  const auto emit = [&](const std::string& ev) {
    if (!first) out += ",\n";
    first = false;
    out += ev;
  };
  emit("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"tid\":0,\"args\":{\"name\":\"probestorm\"}}");

  std::set<uint32_t> tracks;
  for (const TraceEvent& e : events) tracks.insert(e.task);
  for (uint32_t t : tracks) {
    emit(absl::StrCat("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":", t,
                      ",\"args\":{\"name\":", JsonQuote(TrackName(t, task_names)), "}}"));
    emit(absl::StrCat("{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":1,\"tid\":", t,
                      ",\"args\":{\"sort_index\":", t, "}}"));
  }

  std::map<uint32_t, std::vector<std::string>> open;  // task -> names of open slices
  int64_t last_ts = -1;
  for (const TraceEvent& e : events) {
    const int64_t ts = std::max<int64_t>(e.time, last_ts + 1);
    last_ts = ts;
    const std::string head = absl::StrCat("\"pid\":1,\"tid\":", e.task, ",\"ts\":", Micros(ts));
    std::string ev;
    switch (e.phase) {
      case Phase::kBegin:
        open[e.task].push_back(EventName(e));
        ev = absl::StrCat("{\"name\":", JsonQuote(EventName(e)), ",\"cat\":\"span\",\"ph\":\"B\",", head);
        AppendArgs(ev, e);
        break;
      case Phase::kEnd: {
        auto& st = open[e.task];
        if (st.empty()) continue;  // the tail began inside this span
        ev = absl::StrCat("{\"name\":", JsonQuote(st.back()), ",\"cat\":\"span\",\"ph\":\"E\",", head);
        st.pop_back();
        break;
      }
      case Phase::kInstant:
        ev = absl::StrCat("{\"name\":", JsonQuote(EventName(e)), ",\"cat\":\"log\",\"ph\":\"i\",\"s\":\"t\",",
                          head);
        AppendArgs(ev, e);
        break;
      case Phase::kFinding:
        ev = absl::StrCat("{\"name\":", JsonQuote(absl::StrCat("FINDING ", e.func)),
                          ",\"cat\":\"finding\",\"ph\":\"i\",\"s\":\"t\",", head);
        AppendArgs(ev, e);
        break;
    }
    ev += "}";
    emit(ev);
  }
  // Close what is still open (a task killed mid-span, or a trace cut short), innermost first.
  for (auto& [task, st] : open) {
    while (!st.empty()) {
      last_ts = std::max<int64_t>(last_ts + 1, 0);
      emit(absl::StrCat("{\"name\":", JsonQuote(st.back()), ",\"cat\":\"span\",\"ph\":\"E\",\"pid\":1,\"tid\":",
                        task, ",\"ts\":", Micros(last_ts), "}"));
      st.pop_back();
    }
  }
  for (const Finding& f : findings) {
    std::string tasks;
    for (const auto& t : f.tasks) absl::StrAppend(&tasks, tasks.empty() ? "" : ", ", t);
    emit(absl::StrCat("{\"name\":", JsonQuote(absl::StrCat(Av(f.invariant.name()), ": ", f.message)),
                      ",\"cat\":\"finding\",\"ph\":\"i\",\"s\":\"g\",\"pid\":1,\"tid\":0,\"ts\":",
                      Micros(f.virtual_time_ns), ",\"args\":{\"invariant\":", JsonQuote(f.invariant.name()),
                      ",\"severity\":", JsonQuote(SeverityName(f.severity)), ",\"message\":",
                      JsonQuote(f.message), ",\"tasks\":", JsonQuote(tasks), ",\"step\":", f.step,
                      ",\"detail\":", JsonQuote(f.detail), "}}"));
  }
  out += "\n]}\n";
}

std::string ChromeTraceJson(const std::vector<TraceEvent>& events,
                            const std::vector<std::string>& task_names,
                            const std::vector<Finding>& findings) {
  std::string text;
  WriteChromeTrace([&text](std::string_view piece) { text.append(piece); }, events, task_names,
                   findings);
  return text;
}

}  // namespace probestorm::harness
