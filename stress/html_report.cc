#include "stress/html_report.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "driver/invariants/all.h"
#include "harness/invariant.h"
#include "harness/strings.h"
#include "stress/junit.h"

namespace probestorm::stress {
namespace {

constexpr std::string_view kStyle = R"(
body { font-family: sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.5em; font-size: 0.9em; }
th { background: #eee; }
td.fail { background: #f4b4b4; font-weight: bold; }
td.expected-found { background: #b9e6b9; }
td.found { background: #f3e2a9; }
td.clean { background: #e4f4e4; }
td.verdict-ok { color: #176317; }
td.verdict-fail { color: #a11; font-weight: bold; }
code { font-size: 0.85em; word-break: break-all; }
tr.answer td { outline: 2px solid #222; }
p.fail { color: #a11; }
.finding { margin: 0.4em 0 0.8em 1em; }
svg { background: #fafafa; border: 1px solid #ddd; }
)";

std::vector<std::string> Columns(const HtmlInput& in) {
  std::set<std::string> ids;
  for (const HtmlCampaign& c : in.campaigns) {
    for (const auto& [id, s] : c.report.summary) ids.insert(id);
  }
  std::vector<std::string> out(ids.begin(), ids.end());
  const auto order = [](const std::string& id) {
    return std::make_pair(kernel::invariants::Registry().Rank(id), id);
  };
  std::sort(out.begin(), out.end(),
            [&](const std::string& a, const std::string& b) { return order(a) < order(b); });
  return out;
}

bool Listed(const std::vector<std::string>& list, std::string_view id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}

uint64_t RunsViolated(const HtmlCampaign& c, std::string_view id) {
  auto it = c.report.summary.find(std::string(id));
  return it == c.report.summary.end() ? 0 : it->second.runs_violated;
}

const char* CellClass(CellVerdict v) {
  switch (v) {
    case CellVerdict::kNone: return "none";
    case CellVerdict::kFound: return "found";
    case CellVerdict::kExpectedFound: return "expected-found";
    case CellVerdict::kClean: return "clean";
    case CellVerdict::kFail: return "fail";
  }
  return "none";
}

std::string Link(std::string_view href, std::string_view text) {
  if (href.empty()) return "";
  return absl::StrCat("<a href=\"", XmlEscape(href), "\">", XmlEscape(text), "</a>");
}

// A small line chart of `values` (one per night), with its maximum written beside it.
std::string Sparkline(const std::vector<uint64_t>& values) {
  constexpr int kW = 240, kH = 40;
  const uint64_t max = std::max<uint64_t>(1, *std::max_element(values.begin(), values.end()));
  std::string points;
  for (size_t i = 0; i < values.size(); ++i) {
    const double x = values.size() == 1 ? kW / 2.0 : 4 + (kW - 8) * static_cast<double>(i) / static_cast<double>(values.size() - 1);
    const double y = kH - 4 - (kH - 8) * static_cast<double>(values[i]) / static_cast<double>(max);
    absl::StrAppendFormat(&points, "%s%.1f,%.1f", points.empty() ? "" : " ", x, y);
  }
  return absl::StrFormat(
      "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\"><polyline "
      "fill=\"none\" stroke=\"#a11\" stroke-width=\"2\" points=\"%s\"/></svg> max %d",
      kW, kH, kW, kH, points, max);
}

void CampaignTable(const HtmlInput& in, const std::vector<std::string>& cols, std::string& out) {
  absl::StrAppend(&out, "<h2>Campaigns</h2>\n<table id=\"campaigns\">\n<tr><th>campaign</th><th>board</th>"
                        "<th>runs</th><th>verdict</th>");
  for (const std::string& c : cols) absl::StrAppend(&out, "<th>", XmlEscape(c), "</th>");
  absl::StrAppend(&out, "</tr>\n");
  for (size_t i = 0; i < in.campaigns.size(); ++i) {
    const HtmlCampaign& c = in.campaigns[i];
    const bool ok = c.problems.empty();
    absl::StrAppend(&out, "<tr class=\"campaign\"><td><a href=\"#c", i, "\">", XmlEscape(c.label),
                    "</a></td><td>", XmlEscape(c.board), "</td><td>", c.report.runs, "</td>");
    if (c.judged) {
      absl::StrAppend(&out, "<td class=\"", ok ? "verdict-ok" : "verdict-fail", "\">",
                      ok ? "as expected" : "FAIL", "</td>");
    } else {
      absl::StrAppend(&out, "<td>not judged</td>");
    }
    for (const std::string& id : cols) {
      const CellVerdict v = JudgeCell(c, id);
      const uint64_t n = RunsViolated(c, id);
      std::string text = n ? absl::StrCat(n, "/", c.report.runs) : "–";
      auto it = c.report.summary.find(id);
      if (!n && it != c.report.summary.end() && it->second.warnings) {
        text = absl::StrCat("warn ", it->second.warnings);
      }
      absl::StrAppend(&out, "<td class=\"", CellClass(v), "\" data-invariant=\"", XmlEscape(id),
                      "\">", XmlEscape(text), "</td>");
    }
    absl::StrAppend(&out, "</tr>\n");
  }
  absl::StrAppend(&out, "</table>\n<p>Cells: runs in which the invariant was violated. ",
                  "<span style=\"background:#f4b4b4\">red</span>: against the expectations ",
                  "(violated where clean, or an expected finding missing); ",
                  "<span style=\"background:#b9e6b9\">green</span>: expected and found; ",
                  "<span style=\"background:#e4f4e4\">pale green</span>: expected clean and clean; ",
                  "<span style=\"background:#f3e2a9\">yellow</span>: found, not judged.</p>\n");
}

void Findings(const HtmlInput& in, std::string& out) {
  absl::StrAppend(&out, "<h2>Findings</h2>\n");
  for (size_t i = 0; i < in.campaigns.size(); ++i) {
    const HtmlCampaign& c = in.campaigns[i];
    absl::StrAppend(&out, "<h3 id=\"c", i, "\">", XmlEscape(c.label), " on ", XmlEscape(c.board),
                    "</h3>\n<p>", Link(c.report_href, "report.json"), "</p>\n");
    for (const std::string& p : c.problems) {
      absl::StrAppend(&out, "<p class=\"problem\">FAIL: ", XmlEscape(p), "</p>\n");
    }
    // The first finding (lowest run) of each invariant, violations before warnings.
    std::set<std::string> shown;
    for (int pass = 0; pass < 2; ++pass) {
      for (const ReportFinding& rf : c.report.findings) {
        const harness::Finding& f = rf.finding;
        const std::string id(f.invariant.name());
        if ((f.severity == harness::Severity::kWarning) != (pass == 1) || !shown.insert(id).second) {
          continue;
        }
        auto trace = c.trace_href.find(id);
        auto log = c.log_href.find(id);
        absl::StrAppend(&out, "<div class=\"finding\"><b>", XmlEscape(id), "</b> (",
                        XmlEscape(harness::SeverityName(f.severity)), ", run ", rf.run, ", seed ",
                        rf.seed, ")<br>", XmlEscape(f.message), "<br><code>", XmlEscape(rf.replay),
                        "</code><br>",
                        trace == c.trace_href.end() ? "" : Link(trace->second, "Perfetto trace"), " ",
                        log == c.log_href.end() ? "" : Link(log->second, "log"), "</div>\n");
      }
    }
    if (shown.empty()) absl::StrAppend(&out, "<p>no finding</p>\n");
  }
}

void Probes(const HtmlInput& in, std::string& out) {
  absl::StrAppend(&out, "<h2>Interleaving probes</h2>\n");
  std::map<std::string, std::vector<uint64_t>> rows;
  for (size_t i = 0; i < in.campaigns.size(); ++i) {
    for (const auto& [name, n] : in.campaigns[i].report.probes) {
      auto& row = rows[name];
      row.resize(in.campaigns.size());
      row[i] = n;
    }
  }
  if (rows.empty()) {
    absl::StrAppend(&out, "<p>These reports carry no interleaving probes.</p>\n");
    return;
  }
  absl::StrAppend(&out, "<table id=\"probes\"><tr><th>probe</th>");
  for (const HtmlCampaign& c : in.campaigns) absl::StrAppend(&out, "<th>", XmlEscape(c.label), "</th>");
  absl::StrAppend(&out, "</tr>\n");
  for (auto& [name, counts] : rows) {
    counts.resize(in.campaigns.size());
    absl::StrAppend(&out, "<tr><td>", XmlEscape(name), "</td>");
    for (uint64_t n : counts) {
      absl::StrAppend(&out, "<td class=\"", n ? "clean" : "fail", "\">", n, "</td>");
    }
    absl::StrAppend(&out, "</tr>\n");
  }
  absl::StrAppend(&out, "</table>\n");
}

void Bisects(const HtmlInput& in, std::string& out) {
  if (in.bisects.empty()) return;
  absl::StrAppend(&out, "<h2>Bisect</h2>\n");
  for (const HtmlBisect& b : in.bisects) {
    const bool found = b.outcome == "found";
    absl::StrAppend(&out, "<div class=\"bisect\"><p class=\"", found ? "clean" : "fail", "\">",
                    XmlEscape(b.find), " for ", XmlEscape(b.invariant), ": <b>", XmlEscape(b.verdict),
                    "</b></p>\n<table><tr><th>profile</th><th>verdict</th><th>how</th><th>runs</th>"
                    "<th>findings</th><th>seconds</th></tr>\n");
    for (const HtmlBisectStep& s : b.steps) {
      const bool answer = found && s.profile == b.answer;
      absl::StrAppend(&out, "<tr", answer ? " class=\"answer\"" : "", "><td>", XmlEscape(s.profile),
                      "</td><td class=\"", s.state == "bad" ? "fail" : s.state == "good" ? "clean" : "",
                      "\">", XmlEscape(s.state), "</td><td>", XmlEscape(s.how), "</td><td>", s.runs,
                      "</td><td>", s.findings, "</td><td>", absl::StrFormat("%.1f", s.seconds),
                      "</td></tr>\n");
    }
    absl::StrAppend(&out, "</table></div>\n");
  }
}

void Trends(const HtmlInput& in, std::string& out) {
  absl::StrAppend(&out, "<h2>Trends</h2>\n");
  if (in.history.empty()) {
    absl::StrAppend(&out, "<p>No history (history.jsonl) beside the inputs.</p>\n");
    return;
  }
  absl::StrAppend(&out, "<p>", in.history.size(), " nights, from ", XmlEscape(in.history.front().date),
                  " to ", XmlEscape(in.history.back().date), ".</p>\n<table id=\"trends\">"
                  "<tr><th>series</th><th>per night</th><th>last</th></tr>\n");
  std::vector<uint64_t> failed;
  std::set<std::string> ids;
  for (const HtmlNight& n : in.history) {
    failed.push_back(n.failed);
    for (const auto& [id, v] : n.violated) ids.insert(id);
  }
  absl::StrAppend(&out, "<tr><td>campaigns against expectations</td><td>", Sparkline(failed),
                  "</td><td>", failed.back(), "</td></tr>\n");
  for (const std::string& id : ids) {
    std::vector<uint64_t> v;
    for (const HtmlNight& n : in.history) {
      auto it = n.violated.find(id);
      v.push_back(it == n.violated.end() ? 0 : it->second);
    }
    absl::StrAppend(&out, "<tr><td>runs violating ", XmlEscape(id), "</td><td>", Sparkline(v),
                    "</td><td>", v.back(), "</td></tr>\n");
  }
  absl::StrAppend(&out, "</table>\n");
}

}  // namespace

CellVerdict JudgeCell(const HtmlCampaign& c, std::string_view id) {
  const bool violated = RunsViolated(c, id) > 0;
  if (c.judged && Listed(c.find, id)) return violated ? CellVerdict::kExpectedFound : CellVerdict::kFail;
  if (c.judged && (Listed(c.clean, id) || Listed(c.clean, "*"))) {
    return violated ? CellVerdict::kFail : CellVerdict::kClean;
  }
  return violated ? CellVerdict::kFound : CellVerdict::kNone;
}

std::string RenderHtml(const HtmlInput& in) {
  const std::vector<std::string> cols = Columns(in);
  size_t failing = 0;
  for (const HtmlCampaign& c : in.campaigns) failing += !c.problems.empty();
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>",
      XmlEscape(in.title), "</title><style>", Av(kStyle), "</style></head><body>\n<h1>",
      XmlEscape(in.title), "</h1>\n<p id=\"overall\">", in.campaigns.size(), " campaigns, ", failing,
      " against expectations.</p>\n");
  CampaignTable(in, cols, out);
  Probes(in, out);
  Trends(in, out);
  Bisects(in, out);
  Findings(in, out);
  absl::StrAppend(&out, "</body></html>\n");
  return out;
}

}  // namespace probestorm::stress
