#include "stress/shard.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace probestorm::stress {
namespace {

absl::Status EnvInt(const GetEnv& getenv, const char* name, int& out, bool& present) {
  const char* v = getenv(name);
  present = v != nullptr && *v != '\0';
  if (!present) return absl::OkStatus();
  if (!absl::SimpleAtoi(v, &out)) {
    return absl::InvalidArgumentError(absl::StrCat("environment ", name, "='", v, "' is not an integer"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Shard> ResolveShard(int flag_index, int flag_count, const GetEnv& getenv) {
  Shard s;
  s.source = "default";
  bool have_index = false, have_count = false;
  if (flag_index >= 0 || flag_count >= 0) {
    s.source = "flags";
  }
  int idx = 0, cnt = 0;
  bool a = false, b = false;
  if (flag_index < 0 || flag_count < 0) {
    // GTEST_*
    if (auto st = EnvInt(getenv, "GTEST_SHARD_INDEX", idx, a); !st.ok()) return st;
    if (auto st = EnvInt(getenv, "GTEST_TOTAL_SHARDS", cnt, b); !st.ok()) return st;
    if (a || b) {
      s.source = "GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS";
      have_index = a;
      have_count = b;
    } else {
      if (auto st = EnvInt(getenv, "JOB_COMPLETION_INDEX", idx, a); !st.ok()) return st;
      if (a) {
        if (auto st = EnvInt(getenv, "PROBESTORM_SHARD_COUNT", cnt, b); !st.ok()) return st;
        s.source = "JOB_COMPLETION_INDEX";
        have_index = true;
        have_count = b;
      } else {
        if (auto st = EnvInt(getenv, "SLURM_ARRAY_TASK_ID", idx, a); !st.ok()) return st;
        if (auto st = EnvInt(getenv, "SLURM_ARRAY_TASK_COUNT", cnt, b); !st.ok()) return st;
        if (a) {
          int min = 0;
          bool m = false;
          if (auto st = EnvInt(getenv, "SLURM_ARRAY_TASK_MIN", min, m); !st.ok()) return st;
          if (m) idx -= min;
          s.source = "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT";
          have_index = true;
          have_count = b;
        }
      }
    }
  }
  s.index = flag_index >= 0 ? flag_index : (have_index ? idx : 0);
  s.count = flag_count >= 0 ? flag_count : (have_count ? cnt : 1);
  if (flag_count < 0 && have_index && !have_count) {
    return absl::InvalidArgumentError(absl::StrCat(
        s.source, " gives a shard index but no shard count: pass --shard_count (or set "
                  "PROBESTORM_SHARD_COUNT)"));
  }
  if (s.count < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("shard count ", s.count, " (from ", s.source, ") must be >= 1"));
  }
  if (s.index < 0 || s.index >= s.count) {
    return absl::InvalidArgumentError(absl::StrCat("shard index ", s.index, " (from ", s.source,
                                                   ") must be in 0..", s.count - 1));
  }
  return s;
}

}  // namespace probestorm::stress
