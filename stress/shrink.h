// Shrink: minimises a failing run while the same invariant still fails.
//
// Deterministic passes, each accepting a candidate only if the invariant still fails:
//  1. board: mark masters and SysMMUs the finding does not involve unavailable (all at once, then
//     masters only), trying the token's seed and a few seeds forked from it;
//  2. churn: sysfs bind/unbind tasks off;
//  3. preemptions: replay the failing schedule with chunks of preemptions (a choice that switched
//     away from a task that could continue) replaced by "keep the current task", halving the
//     chunk size down to single preemptions (ddmin-like greedy);
//  4. virtual time: max_virtual_time cut to just after the finding.
// The result is a token with strategy "replay" carrying the schedule and the disabled nodes.
//
// Thread-safety: Shrink runs the model on the calling thread.
#ifndef PROBESTORM_STRESS_SHRINK_H_
#define PROBESTORM_STRESS_SHRINK_H_

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "absl/status/statusor.h"
#include "driver/model_run.h"
#include "harness/time.h"
#include "stress/token_run.h"

namespace probestorm::stress {

// What a failing run is made of, before and after shrinking.
struct ShrinkSize {
  size_t devices = 0, masters = 0, sysmmus = 0;
  uint32_t tasks = 0;
  size_t choices = 0, preemptions = 0;
  uint64_t steps = 0;
  harness::Nanos virtual_time = 0;
  int churn = 0;
};

struct ShrinkResult {
  TokenRun shrunk;     // the reduced board, profile and spec; its token replays `run` exactly
  kernel::ModelRun run;  // the replay of the shrunk token, with every trace event
  ShrinkSize before, after;
  int attempts = 0;    // model runs tried
};

// Shrinks the failing run of a controlled-engine token (`start.token.invariant` must fail) until
// `deadline`. kFailedPrecondition when the token's run does not fail its invariant or the reduced
// run does not reproduce; a model error's status otherwise.
absl::StatusOr<ShrinkResult> Shrink(const TokenRun& start, std::chrono::steady_clock::time_point deadline);

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_SHRINK_H_
