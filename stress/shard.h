// Shard selection: --shard_index/--shard_count, else the environment of the site's scheduler:
// GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS (ctest, Bazel), then JOB_COMPLETION_INDEX (Kubernetes
// Indexed Job; the count from PROBESTORM_SHARD_COUNT or --shard_count), then
// SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT (minus SLURM_ARRAY_TASK_MIN), else shard 0 of 1.
//
// Thread-safety: pure given `getenv`.
#ifndef PROBESTORM_STRESS_SHARD_H_
#define PROBESTORM_STRESS_SHARD_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"

namespace probestorm::stress {

struct Shard {
  int index = 0;
  int count = 1;
  std::string source;  // "flags", "GTEST_*", "JOB_COMPLETION_INDEX", "SLURM_*", "default"
};

using GetEnv = std::function<const char*(const char*)>;

// flag values < 0 mean "not given".
absl::StatusOr<Shard> ResolveShard(int flag_index, int flag_count, const GetEnv& getenv);

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_SHARD_H_
