// JUnit XML of a campaign report: one <testcase> per invariant x profile x board, classname
// "probestorm.<board>.<profile>", name = invariant id; <failure> (message + replay command) when
// the invariant was violated there, <skipped/> when it was disabled, warnings in <system-out>.
// Follows the common Jenkins/Ant JUnit schema (testsuites > testsuite > testcase).
//
// Thread-safety: pure functions.
#ifndef PROBESTORM_STRESS_JUNIT_H_
#define PROBESTORM_STRESS_JUNIT_H_

#include <string>
#include <string_view>

#include "stress/report.h"

namespace probestorm::stress {

// Escapes &, <, >, " and ' and drops characters XML 1.0 does not allow.
std::string XmlEscape(std::string_view s);
std::string JunitXml(const Report& r);

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_JUNIT_H_
