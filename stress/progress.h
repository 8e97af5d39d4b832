// The progress line of a campaign on a terminal: runs, rates, the counts of violated invariants,
// coverage and time left, fitted to the terminal's width (re-read at every refresh) so that a
// refresh never wraps and leaves a line behind.
//
// Thread-safety: TerminalProgress is called from the campaign's progress thread only.
#ifndef PROBESTORM_STRESS_PROGRESS_H_
#define PROBESTORM_STRESS_PROGRESS_H_

#include <cstddef>
#include <string>

#include "stress/campaign.h"

namespace probestorm::stress {

// True when stdout is a terminal (or --progress=always; never with --progress=never).
bool ShowProgress();
// Columns of the terminal on `fd` (TIOCGWINSZ), else $COLUMNS, else 80.
size_t TerminalColumns(int fd);
// The line for `p`, at most columns - 1 characters (a line filling the last column would wrap on
// some terminals). What does not fit goes in this order: points/s, conflict pairs, runs/s; the
// violated invariants then show as many counts as fit and "+N more".
std::string ProgressLine(const CampaignProgress& p, size_t columns);

// Rewrites one line of stdout in place ("\r\033[K" + ProgressLine) and erases it when done.
class TerminalProgress final : public ProgressSink {
 public:
  void Update(const CampaignProgress& p) override;
  void Done() override;
};

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_PROGRESS_H_
