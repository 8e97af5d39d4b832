#include "harness/time.h"

#include <cmath>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "harness/strings.h"

namespace probestorm::harness {

absl::StatusOr<Nanos> ParseDuration(std::string_view text) {
  absl::string_view t = absl::StripAsciiWhitespace(Av(text));
  struct Unit {
    absl::string_view suffix;
    double scale;
  };
  static constexpr Unit kUnits[] = {{"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}};
  double scale = 1e9;
  for (const auto& u : kUnits) {
    if (t.size() > u.suffix.size() && t.substr(t.size() - u.suffix.size()) == u.suffix) {
      // "ms" must not be read as "m" + "s": the table tries longer suffixes first.
      t.remove_suffix(u.suffix.size());
      scale = u.scale;
      break;
    }
  }
  double v = 0;
  if (t.empty() || !absl::SimpleAtod(t, &v) || !std::isfinite(v) || v < 0 || v * scale > 9.2e18) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad duration '", Av(text), "' (examples: 20s, 250ms, 1.5s)"));
  }
  return static_cast<Nanos>(std::llround(v * scale));
}

std::string FormatKernelTime(Nanos t) {
  return absl::StrFormat("%5lld.%06lld", static_cast<long long>(t / kSec),
                         static_cast<long long>((t % kSec) / kUsec));
}

}  // namespace probestorm::harness
