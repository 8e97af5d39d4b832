// The nightly page: cell verdicts and escaping as units; then the whole page, made by the
// `probestorm report` binary from real campaign folders and a nightly summary, loaded in Debian's
// headless chromium and checked through its DOM (rows, the failing cell, every link resolves to a
// file), with a screenshot left in the test's temporary folder.
#include "stress/html_report.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace probestorm::stress {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

HtmlCampaign Judged(std::vector<std::string> find, std::vector<std::string> clean) {
  HtmlCampaign c;
  c.judged = true;
  c.find = std::move(find);
  c.clean = std::move(clean);
  c.report.runs = 10;
  c.report.summary["a"].runs_violated = 3;
  c.report.summary["b"].runs_violated = 0;
  return c;
}

TEST(HtmlReportTest, CellVerdicts) {
  EXPECT_EQ(JudgeCell(Judged({"a"}, {}), "a"), CellVerdict::kExpectedFound);
  EXPECT_EQ(JudgeCell(Judged({"b"}, {}), "b"), CellVerdict::kFail);      // expected, missing
  EXPECT_EQ(JudgeCell(Judged({}, {"a"}), "a"), CellVerdict::kFail);      // violated where clean
  EXPECT_EQ(JudgeCell(Judged({}, {"*"}), "a"), CellVerdict::kFail);
  EXPECT_EQ(JudgeCell(Judged({}, {"*"}), "b"), CellVerdict::kClean);
  EXPECT_EQ(JudgeCell(Judged({}, {}), "a"), CellVerdict::kFound);        // not judged
  HtmlCampaign unjudged = Judged({"b"}, {"a"});
  unjudged.judged = false;
  EXPECT_EQ(JudgeCell(unjudged, "a"), CellVerdict::kFound);
  EXPECT_EQ(JudgeCell(unjudged, "b"), CellVerdict::kNone);
}

TEST(HtmlReportTest, UserTextIsEscaped) {
  HtmlInput in;
  in.title = "<script>alert(1)</script>";
  in.campaigns.push_back(Judged({}, {}));
  in.campaigns[0].label = "v6.1 <b>";
  const std::string page = RenderHtml(in);
  EXPECT_THAT(page, ::testing::Not(HasSubstr("<script>")));
  EXPECT_THAT(page, HasSubstr("v6.1 &lt;b&gt;"));
}

struct Shell {
  int code;
  std::string out;
};

Shell Sh(const std::string& cmd) {
  const std::string file = ::testing::TempDir() + "/html_report_cmd_" + std::to_string(getpid());
  const int status = std::system((cmd + " >" + file + " 2>&1").c_str());
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ss.str()};
}

const char* kChromium = "chromium --headless=new --no-sandbox --disable-gpu --no-first-run";

// A bisection that could not decide is shown as such; a page given none has no bisect section.
TEST(HtmlReportTest, BisectSectionOnlyWhenGiven) {
  HtmlInput in;
  in.title = "t";
  EXPECT_THAT(RenderHtml(in), ::testing::Not(HasSubstr("<h2>Bisect</h2>")));
  HtmlBisect b;
  b.invariant = "xlate-uninit-controller";
  b.find = "first-good";
  b.outcome = "open";
  b.verdict = "--time_budget=1ms ran out";
  b.steps.push_back({"v6.1-modular", "open", "stopped by the budget", 3, 0, 0.01});
  in.bisects.push_back(b);
  const std::string page = RenderHtml(in);
  EXPECT_THAT(page, HasSubstr("<h2>Bisect</h2>"));
  EXPECT_THAT(page, HasSubstr("<p class=\"fail\">first-good for xlate-uninit-controller: <b>--time_budget=1ms ran out</b>"));
  EXPECT_THAT(page, ::testing::Not(HasSubstr("class=\"answer\"")));
}

TEST(HtmlReportTest, NightlyPageInHeadlessChromium) {
  if (Shell probe = Sh(std::string(kChromium) + " --dump-dom about:blank"); probe.code != 0) {
    GTEST_SKIP() << "chromium cannot start here (exit " << probe.code << "): " << probe.out;
  }
  const std::string dir = ::testing::TempDir() + "/html_report_" + std::to_string(getpid());
  fs::remove_all(dir);
  fs::create_directories(dir + "/campaigns");
  const std::string bin = PROBESTORM_BINARY;
  for (const auto& [name, profile] : {std::pair{"clean", "v6.1"}, std::pair{"seed", "v6.1-modular"}}) {
    Shell r = Sh(bin + " run --profile=" + profile + " --runs=40 --jobs=2 --progress=never --out=" +
                  dir + "/campaigns/" + name);
    ASSERT_TRUE(r.code == 0 || r.code == 1) << r.out;
  }
  // v6.1 must be clean (it is); v6.1-modular "must be clean" of the seed race: a failing cell.
  std::ofstream(dir + "/nightly.json") << R"({
  "schema": "probestorm-nightly/1", "date": "2026-12-02T03:00:00+00:00", "commit": "abc1234",
  "ok": false, "failed": 1, "errors": 0,
  "campaigns": [
    {"label": "v6.1", "board": "embedded:tm2e", "report": "campaigns/clean/report.json",
     "find": [], "clean": ["*"], "problems": []},
    {"label": "v6.1-modular", "board": "embedded:tm2e", "report": "campaigns/seed/report.json",
     "find": [], "clean": ["xlate-uninit-controller"],
     "problems": ["xlate-uninit-controller violated where the expectations say clean"]}]})";
  std::ofstream history(dir + "/history.jsonl");
  for (int night = 0; night < 3; ++night) {
    history << R"({"date": "2026-11-3)" << night << R"(", "commit": "c)" << night
            << R"(", "ok": true, "failed": )" << night
            << R"(, "campaigns": {"v6.1-modular@embedded:tm2e": {"runs": 12, "violated": {"xlate-uninit-controller": )"
            << night * 2 << "}, \"problems\": []}}}\n";
  }
  history.close();
  // A bisection of the same series, shown on the page.
  Shell bisect = Sh(bin + " bisect --profiles=v6.1,v6.1-modular --invariant=xlate-uninit-controller "
                    "--jobs=2 --report_json=" + dir + "/bisect.json");
  ASSERT_EQ(bisect.code, 0) << bisect.out;
  Shell made = Sh(bin + " report " + dir + "/nightly.json " + dir + "/bisect.json --html=" + dir +
                  "/index.html");
  ASSERT_EQ(made.code, 0) << made.out;
  EXPECT_THAT(made.out, HasSubstr("2 campaigns (1 against expectations), 3 nights of history"));

  Shell dom = Sh(std::string(kChromium) + " --dump-dom file://" + dir + "/index.html");
  ASSERT_EQ(dom.code, 0) << dom.out;
  const std::string& d = dom.out;
  // Rows: one per campaign.
  const std::regex row("<tr class=\"campaign\">");
  EXPECT_EQ(std::distance(std::sregex_iterator(d.begin(), d.end(), row), std::sregex_iterator()), 2);
  // The failing cell is marked, in the row of the failing campaign; the clean campaign has none.
  const size_t seed_row = d.find(">v6.1-modular</a>");
  ASSERT_NE(seed_row, std::string::npos);
  const size_t fail = d.find("<td class=\"fail\" data-invariant=\"xlate-uninit-controller\">");
  EXPECT_NE(fail, std::string::npos);
  EXPECT_GT(fail, seed_row);
  EXPECT_EQ(d.substr(0, seed_row).find("class=\"fail\""), std::string::npos);
  EXPECT_THAT(d, HasSubstr("FAIL: xlate-uninit-controller violated where the expectations say clean"));
  // The bisect result: the verdict line and the answer's row.
  EXPECT_THAT(d, HasSubstr("first-bad for xlate-uninit-controller: <b>first bad: v6.1-modular (last good: v6.1)</b>"));
  EXPECT_THAT(d, HasSubstr("<tr class=\"answer\"><td>v6.1-modular</td><td class=\"fail\">bad</td>"));
  // Trends drawn from the three nights.
  EXPECT_THAT(d, HasSubstr("<polyline"));
  // Every link resolves to a file beside the page (or an anchor on it).
  const std::regex href("href=\"([^\"]+)\"");
  int files = 0;
  for (auto it = std::sregex_iterator(d.begin(), d.end(), href); it != std::sregex_iterator(); ++it) {
    const std::string target = (*it)[1];
    if (target[0] == '#') {
      EXPECT_THAT(d, HasSubstr("id=\"" + target.substr(1) + "\"")) << target;
      continue;
    }
    ++files;
    EXPECT_TRUE(fs::exists(fs::path(dir) / target)) << target;
  }
  EXPECT_GE(files, 4) << "reports, traces and logs are linked";
  EXPECT_THAT(d, HasSubstr("Perfetto trace"));

  const std::string shot = ::testing::TempDir() + "/probestorm-nightly-page.png";
  Shell s = Sh(std::string(kChromium) + " --window-size=1400,1600 --screenshot=" + shot +
                " file://" + dir + "/index.html");
  EXPECT_EQ(s.code, 0) << s.out;
  EXPECT_TRUE(fs::exists(shot));
  std::printf("screenshot: %s\n", shot.c_str());
}

}  // namespace
}  // namespace probestorm::stress
