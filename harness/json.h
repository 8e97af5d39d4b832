// JSON for every probestorm output, on nlohmann-json: one set of rules for how a string becomes
// JSON text, shared by the campaign report (stress/report.h), the Chrome trace
// (harness/trace/chrome_trace.h) and `describe --format=json` (hwmodel/dt/describe.h).
//
// * Json: an nlohmann value whose objects keep their members in insertion (or document) order,
//   so an output lists its fields in the order its writer gives them. Integers keep 64 bits
//   exactly: a uint64_t is stored and printed as an unsigned number (seeds, hashes).
// * DumpJson: the text of a value. Strings are escaped as RFC 8259 requires (quote, backslash and
//   control characters; \n, \t, \r, \b, \f short, the others as \u00XX), valid UTF-8 passes
//   through unchanged, and each invalid UTF-8 byte becomes U+FFFD, so the text is valid JSON
//   whatever bytes a device tree node name, a task name or a message holds.
// * AppendJsonString / JsonQuote: one string as a JSON string literal (quotes included) under the
//   same rules, for writers that stream their own layout (the Chrome trace, describe). A string
//   of printable ASCII other than '"' and '\\' needs no escape and is copied as it is; any other
//   goes through DumpJson.
//
// Thread-safety: pure functions.
#ifndef PROBESTORM_HARNESS_JSON_H_
#define PROBESTORM_HARNESS_JSON_H_

#include <string>
#include <string_view>

#include "nlohmann/json.hpp"

namespace probestorm::harness {

using Json = nlohmann::ordered_json;

// `indent` < 0: one line; otherwise members and elements one per line, indented by `indent` spaces.
std::string DumpJson(const Json& value, int indent);

void AppendJsonString(std::string& out, std::string_view s);
std::string JsonQuote(std::string_view s);

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_JSON_H_
