// ClockGate: one gateable clock of the simulated CMU, as a consumer sees it through the common
// clock framework (clk_prepare_enable / clk_disable_unprepare, drivers/clk/clk.c).
//
// The model keeps one reference count for prepare and enable together: prepare_enable()/enable()
// increment it, disable_unprepare()/disable() decrement it, the clock runs while it is > 0.
// A disable of a clock whose count is already 0 is the kernel's WARN "already disabled"
// (clk_core_disable): the model keeps the count at its floor of 0, counts the event in
// unbalanced_disables() and writes a trace event, but reports no finding (no invariant covers
// clock balance; a caller that wants one can check unbalanced_disables() after the run).
//
// Gates are shared by every consumer that names the same clock specifier (Hardware::clock), so
// the count is a shared refcount exactly as in the CCF.
//
// Thread-safety: thread-safe under both engines. Every count change is a schedule point
// (harness::Atomic, acquire-release for the race detector, like the CCF's enable_lock).
// enabled() is an instantaneous observation without a schedule point: it is what the hardware
// (a SysMMU register access) sees at that instant.
#ifndef PROBESTORM_HWMODEL_HW_CLOCK_H_
#define PROBESTORM_HWMODEL_HW_CLOCK_H_

#include <cstdint>
#include <string>

#include "harness/sync/atomic.h"

namespace probestorm::hwmodel {

class ClockGate {
 public:
  explicit ClockGate(std::string name) : name_(std::move(name)) {}
  ClockGate(const ClockGate&) = delete;
  ClockGate& operator=(const ClockGate&) = delete;

  // clk_prepare_enable(): always succeeds in the model; returns 0 (kernel errno convention).
  int prepare_enable();
  // clk_disable_unprepare().
  void disable_unprepare();
  // clk_enable()/clk_disable() on an already prepared clock: same counter.
  int enable() { return prepare_enable(); }
  void disable() { disable_unprepare(); }

  // Instantaneous state, no schedule point.
  bool enabled() const { return count_.Peek() > 0; }
  int enable_count() const { return count_.Peek(); }
  uint64_t unbalanced_disables() const { return unbalanced_.Peek(); }
  // "<provider node name>:<cells>", e.g. "clock-controller@13b90000:45".
  const std::string& name() const { return name_; }

 private:
  const std::string name_;
  harness::Atomic<int> count_{0};
  harness::Atomic<uint64_t> unbalanced_{0};
};

}  // namespace probestorm::hwmodel

#endif  // PROBESTORM_HWMODEL_HW_CLOCK_H_
