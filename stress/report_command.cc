// `probestorm report IN... --html=OUT.html`: reads campaign reports (probestorm-report/*) and
// nightly summaries (probestorm-nightly/1, written by ci/nightly, with history.jsonl beside
// them) and writes the static page of stress/html_report.h.
#include <cstdio>
#include <filesystem>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "harness/strings.h"
#include "stress/commands.h"
#include "stress/exit_codes.h"
#include "stress/files.h"
#include "stress/bisect.h"
#include "stress/html_report.h"
#include "stress/json.h"
#include "stress/report.h"

namespace probestorm::stress {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kNightlySchema = "probestorm-nightly/1";

// `target` as a link from a page in `page_dir`, or "" when it does not exist.
std::string Href(const fs::path& target, const fs::path& page_dir) {
  std::error_code ec;
  if (!fs::exists(target, ec)) return "";
  return fs::absolute(target).lexically_normal().lexically_relative(fs::absolute(page_dir).lexically_normal()).string();
}

// A campaign from its report file: links to the traces and logs `run --out` wrote beside it.
absl::StatusOr<HtmlCampaign> LoadCampaign(const fs::path& report_path, const fs::path& page_dir) {
  auto text = ReadFile(report_path.string());
  if (!text.ok()) return text.status();
  auto report = ParseReport(*text, report_path.string());
  if (!report.ok()) return report.status();
  HtmlCampaign c;
  c.report = std::move(*report);
  c.label = absl::StrJoin(c.report.profiles, ",");
  c.board = absl::StrJoin(c.report.boards, ",");
  c.report_href = Href(report_path, page_dir);
  const fs::path dir = report_path.parent_path();
  for (const auto& [id, s] : c.report.summary) {
    if (std::string t = Href(dir / absl::StrCat("trace-", id, ".json"), page_dir); !t.empty()) {
      c.trace_href[id] = t;
    }
    if (std::string l = Href(dir / absl::StrCat("log-", id, ".txt"), page_dir); !l.empty()) {
      c.log_href[id] = l;
    }
  }
  return c;
}

absl::Status LoadHistory(const fs::path& path, HtmlInput& in) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return absl::OkStatus();
  auto text = ReadFile(path.string());
  if (!text.ok()) return text.status();
  int number = 0;
  for (absl::string_view line : absl::StrSplit(*text, '\n', absl::SkipWhitespace())) {
    ++number;
    const std::string where = absl::StrCat(path.string(), ":", number);
    auto doc = ParseJson(Sv(line));
    if (!doc.ok()) return absl::InvalidArgumentError(absl::StrCat(where, ": ", doc.status().message()));
    JsonFields f(*doc, where);
    HtmlNight n;
    n.date = f.String("date");
    n.commit = f.String("commit");
    n.ok = f.Bool("ok");
    n.failed = f.Uint("failed");
    if (const Json* cs = f.Object("campaigns")) {
      for (const auto& [name, c] : cs->items()) {
        JsonFields cf(c, absl::StrCat(where, ": ", name));
        if (const Json* v = cf.Object("violated")) {
          JsonFields vf(*v, absl::StrCat(where, ": ", name, ": violated"));
          for (const auto& [id, count] : v->items()) n.violated[id] += vf.Uint(id);
          if (!vf.status().ok()) return vf.status();
        }
        if (!cf.status().ok()) return cf.status();
      }
    }
    if (!f.status().ok()) return f.status();
    in.history.push_back(std::move(n));
  }
  return absl::OkStatus();
}

absl::StatusOr<HtmlBisect> LoadBisect(const fs::path& path, const Json& doc) {
  JsonFields f(doc, path.string());
  HtmlBisect b;
  b.invariant = f.String("invariant");
  b.find = f.String("find");
  b.outcome = f.String("outcome");
  b.answer = f.String("answer");
  b.neighbour = f.String("neighbour");
  b.verdict = f.String("verdict");
  if (const Json* steps = f.Array("evidence")) {
    for (size_t i = 0; i < steps->size(); ++i) {
      JsonFields sf((*steps)[i], absl::StrCat(path.string(), ": evidence[", i, "]"));
      HtmlBisectStep s;
      s.profile = sf.String("profile");
      s.state = sf.String("state");
      s.how = sf.String("how");
      s.runs = static_cast<int64_t>(sf.Uint("runs"));
      s.findings = static_cast<int64_t>(sf.Uint("findings"));
      s.seconds = sf.Double("seconds");
      if (!sf.status().ok()) return sf.status();
      b.steps.push_back(std::move(s));
    }
  }
  if (!f.status().ok()) return f.status();
  return b;
}

absl::Status LoadNightly(const fs::path& path, const Json& doc, const fs::path& page_dir,
                         HtmlInput& in) {
  JsonFields f(doc, path.string());
  in.title = absl::StrCat("probestorm nightly ", f.String("date"), " (", f.String("commit"), ")");
  const fs::path dir = path.parent_path();
  if (const Json* cs = f.Array("campaigns")) {
    for (size_t i = 0; i < cs->size(); ++i) {
      const Json& j = (*cs)[i];
      JsonFields cf(j, absl::StrCat(path.string(), ": campaigns[", i, "]"));
      const std::string report = cf.String("report");
      HtmlCampaign c;
      if (!report.empty()) {
        auto loaded = LoadCampaign(dir / report, page_dir);
        if (!loaded.ok()) return loaded.status();
        c = std::move(*loaded);
      }
      c.label = cf.String("label");
      c.board = cf.String("board");
      c.judged = true;
      c.find = cf.Strings("find");
      c.clean = cf.Strings("clean");
      c.problems = cf.Strings("problems");
      if (!cf.status().ok()) return cf.status();
      in.campaigns.push_back(std::move(c));
    }
  }
  if (!f.status().ok()) return f.status();
  return LoadHistory(dir / "history.jsonl", in);
}

}  // namespace

int ReportCommand(const SubcommandArgs& args) {
  if (args.positional.empty()) {
    return UsageError("probestorm report: give campaign reports or a nightly.json: "
                      "probestorm report IN.json... --html=OUT.html");
  }
  const std::string html = absl::GetFlag(FLAGS_html);
  if (html.empty()) return UsageError("probestorm report: --html=OUT.html is required");
  const fs::path page_dir = fs::path(html).parent_path().empty() ? fs::path(".") : fs::path(html).parent_path();
  HtmlInput in;
  in.title = "probestorm report";
  for (const std::string& path : args.positional) {
    auto text = ReadFile(path);
    if (!text.ok()) return UsageError(text.status());
    auto doc = ParseJson(*text);
    if (!doc.ok()) return UsageError(absl::StrCat(path, ": ", doc.status().message()));
    JsonFields f(*doc, path);
    const std::string schema = f.String("schema");
    if (!f.status().ok()) return UsageError(f.status());
    if (schema == kNightlySchema) {
      if (absl::Status s = LoadNightly(path, *doc, page_dir, in); !s.ok()) return UsageError(s);
      continue;
    }
    if (schema == kBisectSchema) {
      auto b = LoadBisect(path, *doc);
      if (!b.ok()) return UsageError(b.status());
      in.bisects.push_back(std::move(*b));
      continue;
    }
    auto c = LoadCampaign(path, page_dir);
    if (!c.ok()) return UsageError(c.status());
    in.campaigns.push_back(std::move(*c));
  }
  if (absl::Status s = WriteOutputFile(html, RenderHtml(in)); !s.ok()) return Undecided(Sv(s.message()));
  size_t failing = 0;
  for (const HtmlCampaign& c : in.campaigns) failing += !c.problems.empty();
  std::printf("wrote %s: %zu campaigns (%zu against expectations), %zu nights of history\n",
              html.c_str(), in.campaigns.size(), failing, in.history.size());
  return kExitClean;
}

}  // namespace probestorm::stress
