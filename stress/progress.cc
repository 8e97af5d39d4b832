#include "stress/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "stress/flags.h"

namespace probestorm::stress {

bool ShowProgress() {
  const std::string p = absl::GetFlag(FLAGS_progress);
  if (p == "always") return true;
  if (p == "never") return false;
  return isatty(STDOUT_FILENO) == 1;
}

size_t TerminalColumns(int fd) {
  struct winsize ws {};
  if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  size_t cols = 0;
  if (const char* env = std::getenv("COLUMNS"); env != nullptr && absl::SimpleAtoi(env, &cols) && cols > 0) {
    return cols;
  }
  return 80;
}

namespace {

// " | findings" with the first `shown` counts, then "+N more" for the rest.
std::string Findings(const CampaignProgress& p, size_t shown) {
  if (p.violations.empty()) return " | findings none";
  std::string out = " | findings";
  for (size_t i = 0; i < shown && i < p.violations.size(); ++i) {
    absl::StrAppend(&out, " ", p.violations[i].first, ":", p.violations[i].second);
  }
  if (shown < p.violations.size()) absl::StrAppend(&out, " +", p.violations.size() - shown, " more");
  return out;
}

}  // namespace

std::string ProgressLine(const CampaignProgress& p, size_t columns) {
  const size_t limit = columns > 1 ? columns - 1 : 1;
  const double el = std::max(1e-3, p.elapsed_seconds);
  std::string head = absl::StrCat("runs ", p.runs);
  if (p.total_runs > 0) absl::StrAppend(&head, "/", p.total_runs);
  const std::string rate = absl::StrFormat(" | %.1f runs/s", static_cast<double>(p.runs) / el);
  const std::string points =
      absl::StrFormat(" | %.3gM points/s", static_cast<double>(p.schedule_points) / el / 1e6);
  const std::string pairs = p.conflict_pairs > 0 ? absl::StrCat(" | ", p.conflict_pairs, " conflict pairs") : "";
  const std::string left = p.seconds_left >= 0 ? absl::StrFormat(" | %.0fs left", p.seconds_left) : "";
  // Fields dropped in turn when the line is too long: points/s, conflict pairs, runs/s.
  const bool keep[4][3] = {{true, true, true}, {true, false, true}, {true, false, false},
                           {false, false, false}};
  for (const auto& k : keep) {
    const std::string before = head + (k[0] ? rate : "") + (k[1] ? points : "");
    const std::string after = (k[2] ? pairs : "") + left;
    // As many counts as fit, at least one when any invariant was violated.
    for (size_t shown = p.violations.size() + 1; shown-- > 0;) {
      const std::string line = before + Findings(p, shown) + after;
      if (line.size() <= limit && (shown > 0 || p.violations.empty() || &k == &keep[3])) return line;
      if (shown == 0) break;
    }
  }
  std::string line = head + Findings(p, 0) + left;
  if (line.size() > limit) line.resize(limit);
  return line;
}

void TerminalProgress::Update(const CampaignProgress& p) {
  const std::string line = ProgressLine(p, TerminalColumns(STDOUT_FILENO));
  std::printf("\r\033[K%s", line.c_str());
  std::fflush(stdout);
}

void TerminalProgress::Done() {
  std::printf("\r\033[K");
  std::fflush(stdout);
}

}  // namespace probestorm::stress
