// The strict reader of probestorm's JSON inputs (`merge`, `replay --report`, `report`): ParseJson
// and JsonFields, on nlohmann-json. Every JSON output is written through harness/json.h.
// Integers keep 64 bits exactly: a seed or hash up to 2^64-1 reads back as the same uint64_t.
//
// Thread-safety: values; a JsonFields is used by one thread.
#ifndef PROBESTORM_STRESS_JSON_H_
#define PROBESTORM_STRESS_JSON_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "harness/json.h"

namespace probestorm::stress {

using harness::Json;

// Parses one JSON document (RFC 8259; strings must be valid UTF-8). An error is one printable line
// naming the line and column: "JSON parse error at line 3, column 7: ..."; a byte of the input it
// quotes that is not printable ASCII shows as \xNN.
absl::StatusOr<Json> ParseJson(std::string_view text);

// Reads the members of one object with the types the reader expects. An absent member reads as
// the default; a member present with another type (a string where a count belongs, a negative or
// fractional count, a list with a number in it) is an error naming `where` and the member. Read
// every member first, then check status().
class JsonFields {
 public:
  JsonFields(const Json& object, std::string where);
  std::string String(std::string_view key);
  int64_t Int(std::string_view key, int64_t def = 0);
  uint64_t Uint(std::string_view key);
  double Double(std::string_view key);
  bool Bool(std::string_view key);
  std::vector<std::string> Strings(std::string_view key);
  // An object of unsigned counts ({"name": 3, ...}); a bad member is named as "where: key: field".
  std::map<std::string, uint64_t> UintMap(std::string_view key);
  // The member when it is an object (or an array), else null; another type is an error.
  const Json* Object(std::string_view key);
  const Json* Array(std::string_view key);
  // The first type error, or OK.
  const absl::Status& status() const { return status_; }

 private:
  // The member `key`, or null when it is absent (or `object_` is no object).
  const Json* Find(std::string_view key) const;
  // Find, and an error naming `expected` when the member is there but `ok` says it is not.
  const Json* Typed(std::string_view key, bool (*ok)(const Json&), std::string_view expected);
  void Bad(std::string_view key, std::string_view expected);
  const Json& object_;
  std::string where_;
  absl::Status status_;
};

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_JSON_H_
