// Trace: the structured event log of one run.
//
// Model code emits events through the free functions below (TraceLog, TraceSpan), which stamp
// them with the step, virtual time and task of the calling task. Every event feeds the run's trace
// hash (same seed + options => same hash). The trace keeps either every event (keep_trace, used by
// replay and the writers) or a ring of the last few (copied into findings).
//
// Thread-safety: Record() takes an internal mutex (uncontended in the controlled engine).
#ifndef PROBESTORM_HARNESS_TRACE_TRACE_H_
#define PROBESTORM_HARNESS_TRACE_TRACE_H_

#include <cstdint>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "harness/time.h"

namespace probestorm::harness {

enum class Phase : char { kBegin = 'B', kEnd = 'E', kInstant = 'i', kFinding = 'F' };

struct TraceEvent {
  uint64_t step = 0;
  Nanos time = 0;
  uint32_t task = 0;
  Phase phase = Phase::kInstant;
  std::string device;  // "13a00000.sysmmu", may be empty
  std::string func;    // kernel function, "exynos_sysmmu_probe"
  std::string detail;  // free text
};

class Trace {
 public:
  Trace(bool keep_all, size_t tail) : keep_all_(keep_all), tail_(tail) {}

  void Record(TraceEvent e);
  uint64_t hash() const { return hash_; }
  uint64_t count() const { return count_; }
  // Every event (keep_all) or the tail, oldest first.
  std::vector<TraceEvent> Events() const;
  // The last `n` events as ftrace-like lines.
  std::vector<std::string> TailLines(size_t n) const;
  void SetTaskName(uint32_t task, std::string name);
  std::string TaskName(uint32_t task) const;

  // Innermost open span of `task` (for race reports), or "?". The pointer stays valid for the
  // lifetime of the Trace.
  const char* CurrentFunction(uint32_t task) const;

 private:
  mutable std::mutex mu_;
  bool keep_all_;
  size_t tail_;
  std::deque<TraceEvent> events_;
  std::vector<std::string> task_names_;
  std::vector<std::vector<const char*>> spans_;  // by task: open function names (interned)
  std::set<std::string, std::less<>> interned_;   // stable storage for span names
  uint64_t hash_ = 0xcbf29ce484222325ULL;
  uint64_t count_ = 0;
};

// One ftrace-like line: "[   10.000123] T42 modprobe/exynos-iommu 13a00000.sysmmu: func: detail".
std::string FormatTraceLine(const TraceEvent& e, std::string_view task_name);

// ---- model-facing helpers (the engine of the calling task)
void TraceLog(std::string_view device, std::string_view func, std::string_view detail = {});

// Marks a model function's span (Chrome trace slice; innermost function in race reports).
class TraceSpan {
 public:
  TraceSpan(std::string_view device, std::string_view func);
  ~TraceSpan();
  TraceSpan(const TraceSpan&) = delete;
  TraceSpan& operator=(const TraceSpan&) = delete;

 private:
  std::string device_;
  std::string func_;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_TRACE_TRACE_H_
