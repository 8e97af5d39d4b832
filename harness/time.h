// Virtual time: nanoseconds since the start of a run ("boot").
#ifndef PROBESTORM_HARNESS_TIME_H_
#define PROBESTORM_HARNESS_TIME_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace probestorm::harness {

using Nanos = int64_t;
inline constexpr Nanos kUsec = 1'000;
inline constexpr Nanos kMsec = 1'000'000;
inline constexpr Nanos kSec = 1'000'000'000;

// "12s", "250ms", "40us", "7ns", "1.5s"; a bare number is seconds.
absl::StatusOr<Nanos> ParseDuration(std::string_view text);
// Kernel log style: "   12.000345" (seconds.microseconds).
std::string FormatKernelTime(Nanos t);

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_TIME_H_
