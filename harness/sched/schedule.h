// Schedule: the sequence of choices a controlled run made, encodable as a compact printable token
// (LEB128 varints, run-length of repeated choices, base64url) and as a file (one choice per line).
//
// Thread-safety: a value type.
#ifndef PROBESTORM_HARNESS_SCHED_SCHEDULE_H_
#define PROBESTORM_HARNESS_SCHED_SCHEDULE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace probestorm::harness {

struct Schedule {
  std::vector<uint32_t> choices;  // index into the sorted runnable set at each choice point

  std::string Encode() const;
  static absl::StatusOr<Schedule> Decode(std::string_view token);
  std::string ToFileText() const;
  static absl::StatusOr<Schedule> FromFileText(std::string_view text);
  bool operator==(const Schedule&) const = default;
};

// A recorded schedule shared by the tokens and specs that replay it: a run's choices can be
// millions long, and every finding of the run replays the same ones.
using SharedSchedule = std::shared_ptr<const Schedule>;

// base64url without padding, used for tokens.
std::string Base64UrlEncode(std::string_view bytes);
absl::StatusOr<std::string> Base64UrlDecode(std::string_view text);

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SCHED_SCHEDULE_H_
