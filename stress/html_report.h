// The static nightly page of `probestorm report`: one self-contained HTML file (no script, no
// network) with, per campaign (board x profile), what was expected, found and clean; per finding
// its message, replay command and links to its Chrome trace and log; the interleaving probes;
// trends across nights as inline SVG; and the bisections given.
//
// Thread-safety: pure functions.
#ifndef PROBESTORM_STRESS_HTML_REPORT_H_
#define PROBESTORM_STRESS_HTML_REPORT_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "stress/report.h"

namespace probestorm::stress {

struct HtmlCampaign {
  std::string label;  // "v6.1-modular --set=arch=arm32"
  std::string board;
  Report report;  // its `probes`: interleaving probe name -> runs in which it fired
  // Links, relative to the page; empty when the file does not exist.
  std::string report_href;
  std::map<std::string, std::string> trace_href;  // invariant -> Chrome trace of its first finding
  std::map<std::string, std::string> log_href;    // invariant -> ftrace-like log
  // From a nightly summary: what the expectations file says, and what broke it.
  bool judged = false;
  std::vector<std::string> find;
  std::vector<std::string> clean;  // may hold "*"
  std::vector<std::string> problems;
};

struct HtmlNight {
  std::string date;
  std::string commit;
  bool ok = true;
  uint64_t failed = 0;  // campaigns with problems
  std::map<std::string, uint64_t> violated;  // invariant -> runs violated, over all campaigns
};

// One tested profile of a bisection, in test order.
struct HtmlBisectStep {
  std::string profile;
  std::string state;  // "bad", "good" or "open"
  std::string how;
  int64_t runs = 0;
  int64_t findings = 0;
  double seconds = 0;
};

// A `probestorm bisect --report_json` result (schema probestorm-bisect/1).
struct HtmlBisect {
  std::string invariant;
  std::string find;     // "first-bad" or "first-good"
  std::string outcome;  // "found", "open", "known-bad-never-failed", "both-ends-fail"
  std::string answer, neighbour;  // found: the answer and its neighbour on the other side
  std::string verdict;  // one line: the answer, or why there is none
  std::vector<HtmlBisectStep> steps;
};

struct HtmlInput {
  std::string title;
  std::vector<HtmlCampaign> campaigns;
  std::vector<HtmlBisect> bisects;
  std::vector<HtmlNight> history;  // oldest first
};

// How one cell of the campaign table is judged.
enum class CellVerdict { kNone, kFound, kExpectedFound, kClean, kFail };
CellVerdict JudgeCell(const HtmlCampaign& c, std::string_view invariant);

// User text goes through XmlEscape (stress/junit.h), valid for HTML text and attributes too.
std::string RenderHtml(const HtmlInput& in);

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_HTML_REPORT_H_
