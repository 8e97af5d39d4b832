#include "stress/report.h"

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "driver/invariants/all.h"
#include "harness/invariant.h"
#include "harness/rng.h"
#include "harness/strings.h"
#include "stress/exit_codes.h"
#include "stress/interrupt.h"
#include "stress/json.h"

namespace probestorm::stress {
namespace {

constexpr size_t kCapPerKey = 8;

size_t IdOrder(std::string_view id) { return kernel::invariants::Registry().Rank(id); }

size_t IndexOf(const std::vector<std::string>& v, std::string_view s) {
  return static_cast<size_t>(std::find(v.begin(), v.end(), s) - v.begin());
}

// Report order: invariant, run, board, profile, message; then cap per invariant x board x profile x
// signature.
void SortAndCap(Report& r) {
  auto key = [&](const ReportFinding& f) {
    return std::make_tuple(IdOrder(f.finding.invariant.name()), f.finding.invariant.name(), f.run,
                           IndexOf(r.boards, f.board), IndexOf(r.profiles, f.profile),
                           std::string_view(harness::SeverityName(f.finding.severity)),
                           std::string_view(f.finding.message));
  };
  std::sort(r.findings.begin(), r.findings.end(),
            [&](const ReportFinding& a, const ReportFinding& b) { return key(a) < key(b); });
  std::map<std::tuple<std::string, std::string, std::string, std::string>, size_t> kept;
  std::vector<ReportFinding> out;
  for (auto& f : r.findings) {
    const std::string id(f.finding.invariant.name());
    if (kept[{id, f.board, f.profile, harness::Signature(f.finding)}]++ < kCapPerKey) out.push_back(std::move(f));
  }
  r.findings = std::move(out);
}

std::string Hex(uint64_t v) { return absl::StrFormat("%016x", v); }

// Seconds to 6 significant digits (what a wall time is worth); 0 for NaN or infinity, which JSON
// cannot hold.
double Seconds(double v) {
  double rounded = 0;
  if (!std::isfinite(v) || !absl::SimpleAtod(absl::StrFormat("%.6g", v), &rounded)) return 0;
  return rounded;
}

// A count per name as a JSON object, in the map's (name) order.
Json Counts(const std::map<std::string, uint64_t>& counts) {
  Json o = Json::object();
  for (const auto& [name, n] : counts) o[name] = n;
  return o;
}

}  // namespace

bool Report::Violated() const {
  for (const auto& [id, s] : summary) {
    if (s.violations > 0) return true;
  }
  return false;
}

uint64_t PeakRssBytes() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<uint64_t>(ru.ru_maxrss) * 1024;
}

std::string CampaignId(const CampaignOptions& o) {
  std::string s = "campaign/1;";
  for (const auto& b : o.boards) absl::StrAppend(&s, b.spec, "#", Hex(b.fingerprint), ";");
  for (const auto& p : o.profiles) absl::StrAppend(&s, p.name, "{", kernel::FormatKnobs(p.knobs), "};");
  absl::StrAppend(&s, Av(EngineKindName(o.engine.engine)), ";", o.engine.strategy.Format(), ";",
                  harness::PerturbName(o.engine.perturb), ";",
                  FormatInvariants(o.engine.options.invariants), ";", o.seed, ";", o.runs, ";", o.shard_count, ";",
                  o.engine.options.max_virtual_time, ";", o.engine.options.max_steps);
  return Hex(harness::Rng::Hash(s));
}

Report BuildReport(const CampaignOptions& o, const CampaignResult& res) {
  Report r;
  r.campaign_id = CampaignId(o);
  r.engine = std::string(EngineKindName(o.engine.engine));
  r.strategy = o.engine.free() ? "" : o.engine.strategy.Format();
  r.perturb = o.engine.free() ? harness::PerturbName(o.engine.perturb) : "";
  r.seed = o.seed;
  r.runs_requested = o.runs;
  for (harness::InvariantId id : kernel::invariants::Registry().all()) {
    if (o.engine.options.invariants.Has(id)) r.invariants.emplace_back(id.name());
  }
  for (const auto& b : o.boards) r.boards.push_back(b.spec);
  for (const auto& p : o.profiles) r.profiles.push_back(p.name);
  r.shard_index = o.shard_index;
  r.shard_count = o.shard_count;
  r.runs = res.runs;
  r.incomplete = res.incomplete;
  r.cut_by_budget = res.cut_by_budget;
  r.wall_seconds = res.wall_seconds;
  r.schedule_points = res.schedule_points;
  r.max_live_tasks = res.max_live_tasks;
  r.peak_rss_bytes = PeakRssBytes();
  r.model_errors = res.model_errors;
  r.endings = res.endings;
  r.probes = res.probes;
  r.partial = res.interrupted != 0;
  if (r.partial) r.interrupted_by = std::string(SignalName(res.interrupted));
  for (const FoundRecord& rec : res.findings) {
    ReportFinding f;
    f.finding = rec.finding;
    f.board = o.boards[static_cast<size_t>(rec.board)].spec;
    f.profile = o.profiles[static_cast<size_t>(rec.profile)].name;
    f.seed = rec.seed;
    f.run = rec.run;
    f.wall_seconds = rec.wall_seconds;
    f.token = rec.token.Encode();
    f.replay = absl::StrCat("probestorm replay --token=", f.token);
    f.trace_hash = Hex(rec.trace_hash);
    if (harness::Incomplete(rec.incomplete_run)) f.incomplete_run = harness::EndingName(rec.incomplete_run);
    r.findings.push_back(std::move(f));
  }
  for (const std::string& id : r.invariants) r.summary[id];
  for (const auto& [id, c] : res.summary) r.summary[id] = c;
  r.exploration = res.exploration;
  SortAndCap(r);
  return r;
}

std::string ExplorationText(const ExplorationResult& e) {
  if (!e.recorded) return "";
  std::string out = absl::StrCat("coverage: ", e.pairs, " conflict pairs, ", e.reads_from,
                                 " reads-from edges; new pairs per 100 runs:");
  for (uint64_t n : e.curve) absl::StrAppend(&out, " ", n);
  absl::StrAppend(&out, "\n");
  if (e.merged_shards > 0) {
    out = absl::StrCat("coverage: at least ", e.pairs, " conflict pairs, ", e.reads_from,
                       " reads-from edges (the largest of ", e.merged_shards, " shards)\n");
  }
  for (const auto& [arm, a] : e.arms) {
    absl::StrAppend(&out, "  strategy ", arm, ": ", a.runs, " runs, ", a.new_pairs, " new pairs");
    for (const auto& [id, n] : a.violations) absl::StrAppend(&out, ", ", id, " in ", n, " runs");
    absl::StrAppend(&out, "\n");
  }
  return out;
}

bool CarriesSchedule(const ReportFinding& rf) {
  auto t = ReplayToken::Decode(rf.token);
  if (!t.ok()) return false;
  auto spec = EngineSpecFromToken(*t);
  return spec.ok() && spec->replays();
}

void ReferReplaysToReport(Report& r, std::string_view report_path) {
  for (size_t i = 0; i < r.findings.size(); ++i) {
    ReportFinding& f = r.findings[i];
    if (CarriesSchedule(f)) {
      f.replay = absl::StrCat("probestorm replay --report=", Av(report_path), " --finding=", i);
    }
  }
}

std::string ReportJson(const Report& r) {
  Json j = Json::object();
  j["schema"] = r.schema;
  j["version"] = r.version;
  j["campaign_id"] = r.campaign_id;
  j["engine"] = r.engine;
  j["strategy"] = r.strategy;
  if (!r.perturb.empty()) j["perturb"] = r.perturb;
  j["seed"] = r.seed;
  j["runs_requested"] = r.runs_requested;
  j["invariants"] = r.invariants;
  j["boards"] = r.boards;
  j["profiles"] = r.profiles;
  Json shard = {{"index", r.shard_index}, {"count", r.shard_count}};
  if (r.merged_shards > 0) shard["merged"] = r.merged_shards;
  j["shard"] = std::move(shard);
  j["runs"] = r.runs;
  j["incomplete"] = r.incomplete;
  j["cut_by_budget"] = r.cut_by_budget;
  j["wall_seconds"] = Seconds(r.wall_seconds);
  j["schedule_points"] = r.schedule_points;
  j["max_live_tasks"] = r.max_live_tasks;
  j["peak_rss_bytes"] = r.peak_rss_bytes;
  j["model_errors"] = r.model_errors;
  j["endings"] = Counts(r.endings);
  j["probes"] = Counts(r.probes);
  j["partial"] = r.partial;
  if (!r.interrupted_by.empty()) j["interrupted_by"] = r.interrupted_by;
  if (r.exploration.recorded) {
    const ExplorationResult& e = r.exploration;
    Json arms = Json::object();
    for (const auto& [arm, a] : e.arms) {
      arms[arm] = {{"runs", a.runs}, {"new_pairs", a.new_pairs}, {"violations", Counts(a.violations)}};
    }
    j["exploration"] = {{"conflict_pairs", e.pairs},
                        {"reads_from_edges", e.reads_from},
                        {"new_pairs_per_100_runs", e.curve},
                        {"strategies", std::move(arms)}};
    if (e.merged_shards > 0) j["exploration"]["merged_shards"] = e.merged_shards;
  }
  Json findings = Json::array();
  for (const ReportFinding& rf : r.findings) {
    const harness::Finding& f = rf.finding;
    Json o = Json::object();
    o["invariant"] = std::string(f.invariant.name());
    o["severity"] = harness::SeverityName(f.severity);
    o["board"] = rf.board;
    o["profile"] = rf.profile;
    o["seed"] = rf.seed;
    o["run"] = rf.run;
    o["step"] = f.step;
    o["virtual_time_ns"] = f.virtual_time_ns;
    o["wall_seconds"] = Seconds(rf.wall_seconds);
    o["tasks"] = f.tasks;
    o["devices"] = f.devices;
    o["message"] = f.message;
    if (!f.detail.empty()) o["detail"] = f.detail;
    o["replay"] = rf.replay;
    o["token"] = rf.token;
    o["trace_hash"] = rf.trace_hash;
    if (!rf.incomplete_run.empty()) o["incomplete_run"] = rf.incomplete_run;
    findings.push_back(std::move(o));
  }
  j["findings"] = std::move(findings);
  Json summary = Json::object();
  std::vector<std::string> ids;
  for (const auto& [id, s] : r.summary) ids.push_back(id);
  std::sort(ids.begin(), ids.end(), [](const std::string& a, const std::string& b) {
    return std::make_pair(IdOrder(a), a) < std::make_pair(IdOrder(b), b);
  });
  for (const std::string& id : ids) {
    const InvariantCount& s = r.summary.at(id);
    summary[id] = {{"violations", s.violations},
                   {"warnings", s.warnings},
                   {"first_run", s.first_run},
                   {"first_wall_seconds", Seconds(s.first_wall_seconds)},
                   {"runs_violated", s.runs_violated}};
  }
  j["summary"] = std::move(summary);
  // What the process exit code means, for a script that holds only the report.
  Json codes = Json::object();
  for (const ExitCode& e : kExitCodes) codes[absl::StrCat(e.code)] = e.meaning;
  j["exit_codes"] = std::move(codes);
  return harness::DumpJson(j, 2) + "\n";
}

namespace {

absl::Status ParseExploration(const Json& x, const std::string& where, ExplorationResult& e) {
  JsonFields xf(x, where);
  e.recorded = true;
  e.pairs = xf.Uint("conflict_pairs");
  e.reads_from = xf.Uint("reads_from_edges");
  e.merged_shards = static_cast<int>(xf.Int("merged_shards"));
  if (const Json* c = xf.Array("new_pairs_per_100_runs")) {
    for (const Json& n : *c) {
      if (!n.is_number_unsigned()) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": new_pairs_per_100_runs: not an unsigned count"));
      }
      e.curve.push_back(n.get<uint64_t>());
    }
  }
  if (const Json* arms = xf.Object("strategies")) {
    for (const auto& [name, v] : arms->items()) {
      JsonFields af(v, absl::StrCat(where, ": strategies.", name));
      ArmRecord& a = e.arms[name];
      a.runs = af.Uint("runs");
      a.new_pairs = af.Uint("new_pairs");
      a.violations = af.UintMap("violations");
      if (!af.status().ok()) return af.status();
    }
  }
  return xf.status();
}

void MergeExploration(const ExplorationResult& from, ExplorationResult& into) {
  if (!from.recorded) return;
  into.recorded = true;
  into.pairs = std::max(into.pairs, from.pairs);
  into.reads_from = std::max(into.reads_from, from.reads_from);
  for (const auto& [name, a] : from.arms) {
    ArmRecord& m = into.arms[name];
    m.runs += a.runs;
    m.new_pairs += a.new_pairs;
    for (const auto& [id, n] : a.violations) m.violations[id] += n;
  }
}

}  // namespace

absl::StatusOr<Report> ParseReport(std::string_view json, std::string_view where) {
  auto doc = ParseJson(json);
  if (!doc.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(Av(where), ": ", doc.status().message()));
  }
  const Json& d = *doc;
  if (!d.is_object()) {
    return absl::InvalidArgumentError(absl::StrCat(Av(where), ": not a probestorm report (not an object)"));
  }
  Report r;
  JsonFields top(d, std::string(where));
  r.schema = top.String("schema");
  if (top.status().ok() && r.schema != kReportSchema && r.schema != kReportSchemaV1) {
    return absl::InvalidArgumentError(absl::StrCat(
        Av(where), ": schema '", r.schema, "' is not ", Av(kReportSchema), " (or ",
        Av(kReportSchemaV1), ")"));
  }
  r.version = top.String("version");
  r.campaign_id = top.String("campaign_id");
  r.engine = top.String("engine");
  r.strategy = top.String("strategy");
  r.perturb = top.String("perturb");
  r.seed = top.Uint("seed");
  r.runs_requested = top.Uint("runs_requested");
  r.invariants = top.Strings("invariants");
  r.boards = top.Strings("boards");
  r.profiles = top.Strings("profiles");
  if (const Json* s = top.Object("shard")) {
    JsonFields shard(*s, absl::StrCat(Av(where), ": shard"));
    r.shard_index = static_cast<int>(shard.Int("index"));
    r.shard_count = static_cast<int>(shard.Int("count", 1));
    r.merged_shards = static_cast<int>(shard.Int("merged"));
    if (!shard.status().ok()) return shard.status();
  }
  r.runs = top.Uint("runs");
  r.incomplete = top.Uint("incomplete");
  r.cut_by_budget = top.Uint("cut_by_budget");
  r.wall_seconds = top.Double("wall_seconds");
  r.schedule_points = top.Uint("schedule_points");
  r.max_live_tasks = top.Uint("max_live_tasks");
  r.peak_rss_bytes = top.Uint("peak_rss_bytes");
  r.model_errors = top.Uint("model_errors");
  r.endings = top.UintMap("endings");
  r.probes = top.UintMap("probes");
  r.partial = top.Bool("partial");
  r.interrupted_by = top.String("interrupted_by");
  if (const Json* x = top.Object("exploration")) {
    if (absl::Status st = ParseExploration(*x, absl::StrCat(Av(where), ": exploration"), r.exploration);
        !st.ok()) {
      return st;
    }
  }
  const Json* fs = top.Array("findings");
  if (!top.status().ok()) return top.status();
  if (fs == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(Av(where), ": report has no findings array"));
  }
  for (const Json& j : *fs) {
    JsonFields jf(j, absl::StrCat(Av(where), ": findings[", r.findings.size(), "]"));
    if (!j.is_object()) return absl::InvalidArgumentError(absl::StrCat(Av(where), ": findings[", r.findings.size(), "] is not an object"));
    ReportFinding f;
    const std::string invariant = jf.String("invariant");
    const std::string severity = jf.String("severity");
    f.board = jf.String("board");
    f.profile = jf.String("profile");
    f.seed = jf.Uint("seed");
    f.run = jf.Uint("run");
    f.finding.step = jf.Uint("step");
    f.finding.virtual_time_ns = jf.Int("virtual_time_ns");
    f.wall_seconds = jf.Double("wall_seconds");
    f.finding.tasks = jf.Strings("tasks");
    f.finding.devices = jf.Strings("devices");
    f.finding.message = jf.String("message");
    f.finding.detail = jf.String("detail");
    f.replay = jf.String("replay");
    f.token = jf.String("token");
    f.trace_hash = jf.String("trace_hash");
    f.incomplete_run = jf.String("incomplete_run");
    if (!jf.status().ok()) return jf.status();
    auto id = kernel::invariants::Registry().Parse(invariant);
    if (!id.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(Av(where), ": findings[", r.findings.size(),
                                                     "]: ", id.status().message()));
    }
    f.finding.invariant = *id;
    if (severity != "violation" && severity != "warning") {
      return absl::InvalidArgumentError(absl::StrCat(Av(where), ": findings[", r.findings.size(),
                                                     "]: bad severity '", severity,
                                                     "' (violation or warning)"));
    }
    f.finding.severity =
        severity == "warning" ? harness::Severity::kWarning : harness::Severity::kViolation;
    r.findings.push_back(std::move(f));
  }
  if (const Json* s = top.Object("summary")) {
    for (const auto& [id, v] : s->items()) {
      JsonFields sf(v, absl::StrCat(Av(where), ": summary.", id));
      InvariantCount& x = r.summary[id];
      x.violations = sf.Uint("violations");
      x.warnings = sf.Uint("warnings");
      x.first_run = sf.Int("first_run", -1);
      x.first_wall_seconds = sf.Double("first_wall_seconds");
      x.runs_violated = sf.Uint("runs_violated");
      if (!sf.status().ok()) return sf.status();
    }
  }
  if (!top.status().ok()) return top.status();
  return r;
}

absl::StatusOr<Report> MergeReports(const std::vector<Report>& reports,
                                    const std::vector<std::string>& names) {
  if (reports.empty()) return absl::InvalidArgumentError("merge: no report given");
  const Report& first = reports[0];
  Report m = first;
  m.findings.clear();
  m.summary.clear();
  m.endings.clear();
  m.probes.clear();
  m.exploration = ExplorationResult();
  m.schema = std::string(kReportSchema);
  m.runs = m.incomplete = m.cut_by_budget = 0;
  m.schedule_points = m.max_live_tasks = m.peak_rss_bytes = m.model_errors = 0;
  m.wall_seconds = 0;
  std::set<int> shards;
  for (size_t i = 0; i < reports.size(); ++i) {
    const Report& r = reports[i];
    const std::string& name = names[i];
    if (r.campaign_id != first.campaign_id) {
      return absl::InvalidArgumentError(absl::StrCat(
          name, ": campaign ", r.campaign_id, " differs from ", names[0], "'s campaign ",
          first.campaign_id, " (different boards, profiles, strategy, seed, runs or shard count)"));
    }
    if (r.merged_shards == 0 && !shards.insert(r.shard_index).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": shard ", r.shard_index, " of ", r.shard_count, " given twice"));
    }
    m.runs += r.runs;
    m.partial = m.partial || r.partial;
    for (const auto& [k, v] : r.probes) m.probes[k] += v;
    MergeExploration(r.exploration, m.exploration);
    if (m.interrupted_by.empty()) m.interrupted_by = r.interrupted_by;
    m.incomplete += r.incomplete;
    m.cut_by_budget += r.cut_by_budget;
    m.schedule_points += r.schedule_points;
    m.model_errors += r.model_errors;
    m.max_live_tasks = std::max(m.max_live_tasks, r.max_live_tasks);
    m.peak_rss_bytes = std::max(m.peak_rss_bytes, r.peak_rss_bytes);
    m.wall_seconds = std::max(m.wall_seconds, r.wall_seconds);  // shards run side by side
    for (const auto& [k, v] : r.endings) m.endings[k] += v;
    for (const auto& [id, s] : r.summary) {
      InvariantCount& x = m.summary[id];
      x.violations += s.violations;
      x.warnings += s.warnings;
      x.runs_violated += s.runs_violated;
      if (s.first_run >= 0 && (x.first_run < 0 || s.first_run < x.first_run)) {
        x.first_run = s.first_run;
        x.first_wall_seconds = s.first_wall_seconds;
      }
    }
    // Union of distinct findings, keeping the lowest run of each.
    for (const ReportFinding& f : r.findings) {
      auto same = std::find_if(m.findings.begin(), m.findings.end(), [&](const ReportFinding& g) {
        return g.finding.invariant == f.finding.invariant && g.board == f.board &&
               g.profile == f.profile && g.finding.severity == f.finding.severity &&
               g.finding.message == f.finding.message;
      });
      if (same == m.findings.end()) {
        m.findings.push_back(f);
      } else if (f.run < same->run) {
        *same = f;
      }
    }
  }
  m.shard_index = 0;
  m.merged_shards = static_cast<int>(reports.size());
  if (m.exploration.recorded) m.exploration.merged_shards = m.merged_shards;
  SortAndCap(m);
  return m;
}

}  // namespace probestorm::stress
