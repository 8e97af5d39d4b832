// Replay tokens: one printable string (base64url, no padding) that carries everything needed to
// re-run one finding exactly.
//
// Layout (before base64url): "PSt" magic, format version byte (1), then fields as LEB128 varints
// and length-prefixed strings in a fixed order (see token.cc), then a 32-bit FNV-1a checksum of
// everything before it. The knob text is the profile's full `FormatKnobs` output, so replay uses
// the knobs the campaign used even if the built-in profile has changed since (and says so). The
// board is named by its spec and pinned by a fingerprint of the loaded tree; shrink adds the node
// paths it disabled and, for schedule-reduced runs, the exact schedule (strategy "replay").
//
// Thread-safety: values.
#ifndef PROBESTORM_STRESS_TOKEN_H_
#define PROBESTORM_STRESS_TOKEN_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "harness/sched/schedule.h"

namespace probestorm::stress {

struct ReplayToken {
  std::string board;                  // board spec: embedded:tm2e, a path, synthetic:...
  uint64_t board_fingerprint = 0;     // BoardFingerprint of the loaded board (before `disabled`)
  std::vector<std::string> disabled;  // node paths marked unavailable (shrink)
  std::string profile;                // profile name (built-in name or file path)
  std::string knobs;                  // FormatKnobs text: what the run really used
  std::string engine = "controlled";  // controlled | free
  std::string strategy = "random";    // strategy spec; "replay" when `schedule` is the schedule
  std::string perturb = "light";      // free engine
  double time_scale = 0;              // free engine
  uint64_t seed = 0;                  // the run's seed (EngineOptions::seed)
  uint64_t run = 0;                   // run index in its campaign
  std::string invariants;             // --invariants text ("" = all)
  int64_t max_virtual_time_ns = 0;    // EngineOptions::max_virtual_time
  uint64_t max_steps = 0;             // EngineOptions::max_steps
  std::string invariant;              // the finding's invariant id
  uint64_t trace_hash = 0;            // RunResult::trace_hash of the recorded run
  harness::SharedSchedule schedule;   // when strategy == "replay" (null: none)

  std::string Encode() const;
  // kInvalidArgument when malformed, truncated, of another format version or with a bad checksum.
  static absl::StatusOr<ReplayToken> Decode(std::string_view text);
};

// "probestorm replay --token=T".
std::string ReplayCommandLine(const ReplayToken& t);

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_TOKEN_H_
