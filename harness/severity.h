// Severity of a finding: a violation fails the run (exit 1); a warning is reported and counted.
//
// Thread-safety: values.
#ifndef PROBESTORM_HARNESS_SEVERITY_H_
#define PROBESTORM_HARNESS_SEVERITY_H_

#include <cstdint>

namespace probestorm::harness {

enum class Severity : uint8_t { kViolation, kWarning };

const char* SeverityName(Severity s);

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SEVERITY_H_
