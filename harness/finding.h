// Findings: what a run reports when an invariant fails.
//
// A Finding is plain data, filled by the engine from the reporting task's context (step, virtual
// time, task names) and the reporter's text. It is copied out of the run; nothing in it points into
// the run's world.
#ifndef PROBESTORM_HARNESS_FINDING_H_
#define PROBESTORM_HARNESS_FINDING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "harness/invariant.h"
#include "harness/severity.h"

namespace probestorm::harness {

struct Finding {
  InvariantId invariant;             // formatted by its name only at output
  Severity severity = Severity::kViolation;
  std::string message;               // one line, kernel terms
  std::string detail;                // multi-line: oops text, wait-for graph, both racing accesses
  std::vector<std::string> tasks;    // names of the tasks involved, reporter first
  std::vector<std::string> devices;  // device names involved
  uint64_t step = 0;                 // schedule point count when reported
  int64_t virtual_time_ns = 0;
  std::vector<std::string> trace_tail;  // last trace lines before the finding
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_FINDING_H_
