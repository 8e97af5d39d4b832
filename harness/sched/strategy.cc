#include "harness/sched/strategy.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "harness/strings.h"
#include "harness/sched/dfs_scheduler.h"
#include "harness/sched/pct_scheduler.h"
#include "harness/sched/random_scheduler.h"

namespace probestorm::harness {

absl::StatusOr<std::unique_ptr<Strategy>> MakeStrategy(std::string_view spec) {
  std::vector<absl::string_view> parts = absl::StrSplit(Av(spec), ':');
  const auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("bad --strategy '", Av(spec), "': ", Av(why),
                                                   " (random, pct:D[:K], dfs:P)"));
  };
  if (parts[0] == "random" && parts.size() == 1) return std::make_unique<RandomScheduler>();
  if (parts[0] == "pct") {
    int depth = 3;
    uint64_t steps = 20000;
    if (parts.size() >= 2 && (!absl::SimpleAtoi(parts[1], &depth) || depth < 1 || depth > 64)) {
      return bad("depth D must be 1..64");
    }
    if (parts.size() >= 3 && (!absl::SimpleAtoi(parts[2], &steps) || steps < 1)) {
      return bad("K must be a positive step count");
    }
    if (parts.size() > 3) return bad("too many fields");
    return std::make_unique<PctScheduler>(depth, steps);
  }
  if (parts[0] == "dfs") {
    int bound = 2;
    if (parts.size() >= 2 && (!absl::SimpleAtoi(parts[1], &bound) || bound < 0 || bound > 16)) {
      return bad("preemption bound P must be 0..16");
    }
    if (parts.size() > 2) return bad("too many fields");
    return std::make_unique<DfsScheduler>(bound);
  }
  if (parts[0] == "replay") return bad("replay takes a recorded schedule: use `probestorm replay`");
  return bad("unknown strategy");
}

}  // namespace probestorm::harness
