// Trace: the structured event log of one run.
//
// Model code emits events through the free functions below (TraceLog, TraceSpan), which stamp
// them with the step, virtual time and task of the calling task. Every event feeds the run's trace
// hash (same seed + options => same hash). The trace keeps either every event (keep_trace, used by
// replay and the writers) or a ring of the last few (copied into findings).
//
// Recording is on the hot path of every run (thousands of events per boot): device and function
// names are interned once per trace and stored as ids with a precomputed hash, the ring reuses its
// slots (and their detail strings), and the hash mixes 64-bit words, never single bytes.
//
// Thread-safety: every method takes the trace's RunLock.
#ifndef PROBESTORM_HARNESS_TRACE_TRACE_H_
#define PROBESTORM_HARNESS_TRACE_TRACE_H_

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "harness/run_lock.h"
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
  using NameId = uint32_t;  // an interned device or function name

  // `threaded`: tasks record from several OS threads (RunLock).
  Trace(bool keep_all, size_t tail, bool threaded)
      : mu_(threaded), keep_all_(keep_all), tail_(tail) {}

  // The id of `name` in this trace; the same text always gets the same id.
  NameId Intern(std::string_view name);
  void Record(uint64_t step, Nanos time, uint32_t task, Phase phase, NameId device, NameId func,
              std::string_view detail);
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
  const char* CurrentFunction(uint32_t task) const {
    std::lock_guard<RunLock> g(mu_);
    return task < current_.size() ? current_[task] : "?";
  }

 private:
  struct Stored {
    uint64_t step;
    Nanos time;
    uint32_t task;
    Phase phase;
    NameId device;
    NameId func;
    std::string detail;
  };
  TraceEvent Expand(const Stored& s) const;
  // The i-th kept event, oldest first.
  const Stored& At(size_t i) const { return events_[(start_ + i) % events_.size()]; }

  // Names arrive as views of string literals and device names that outlive many events: a
  // direct-mapped cache by address (checked against the text) skips the map for most of them.
  struct RecentName {
    const char* data = nullptr;
    std::string_view text;  // the interned copy
    NameId id = 0;
  };
  static constexpr size_t kRecentNames = 256;

  mutable RunLock mu_;
  bool keep_all_;
  size_t tail_;
  std::vector<Stored> events_;  // keep_all: in order; else a ring whose oldest slot is start_
  size_t start_ = 0;
  std::deque<std::string> names_;  // by NameId; a deque keeps every name's address
  std::vector<uint64_t> name_hashes_;
  absl::flat_hash_map<std::string_view, NameId> ids_;  // views into names_
  std::array<RecentName, kRecentNames> recent_{};
  std::vector<std::string> task_names_;
  std::vector<std::vector<NameId>> spans_;  // by task: open function names
  std::vector<const char*> current_;        // by task: its innermost open span's name, or "?"
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
  Trace::NameId device_;
  Trace::NameId func_;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_TRACE_TRACE_H_
