// Findings: what a run reports when an invariant fails.
//
// A Finding is plain data, filled by the engine from the reporting task's context (step, virtual
// time, task names) and the reporter's text. It is copied out of the run; nothing in it points into
// the run's world.
#ifndef PROBESTORM_HARNESS_FINDING_H_
#define PROBESTORM_HARNESS_FINDING_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_replace.h"

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

// What a finding says with its devices left out: "pc : iommu_fwspec_init; <dev>: dev->iommu is
// NULL..." for the same oops on any master. Reports keep a few findings of each signature, so that
// many findings of one kind cannot hide the first of another.
inline std::string Signature(const Finding& f) {
  std::vector<std::pair<std::string, std::string>> masks;
  for (const std::string& d : f.devices) {
    if (!d.empty()) masks.emplace_back(d, "<dev>");
  }
  return absl::StrReplaceAll(f.message, masks);
}

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_FINDING_H_
