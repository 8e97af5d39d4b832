#include "stress/common.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <limits>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "harness/free_engine.h"
#include "harness/invariant.h"
#include "harness/sched/replay_scheduler.h"
#include "harness/strings.h"
#include "harness/trace/chrome_trace.h"
#include "harness/trace/ftrace_log.h"
#include "stress/boards.h"
#include "stress/explain.h"
#include "stress/files.h"
#include "stress/json.h"
#include "stress/report.h"

namespace probestorm::stress {

// A campaign run goes on after a violation (an oops still ends its task): the seed report is a
// causal chain — a swallowed -ENODEV (xlate-uninit-controller) lets a master bind without its
// IOMMU, and a later SysMMU's bus_iommu_probe then attaches a domain under it (dma-ops-on-bound)
// — and every link of the chain should be reported, not only the first.
constexpr bool kStopOnViolation = false;

int UsageError(const absl::Status& s) { return UsageError(Sv(s.message())); }

int UsageError(std::string_view message) {
  std::string m(message);
  for (char& c : m) {
    if (c == '\n') c = ' ';
  }
  if (m.rfind("probestorm", 0) != 0) m = absl::StrCat("probestorm: ", m);
  std::fprintf(stderr, "%s\n", m.c_str());
  return kExitUsage;
}

int Undecided(std::string_view message) {
  std::fprintf(stderr, "probestorm: UNDECIDED: %s\n", std::string(message).c_str());
  return kExitUndecided;
}

absl::StatusOr<std::vector<CampaignBoard>> LoadBoards(const SubcommandArgs& args) {
  auto specs = ExpandBoardSpecs(args.dt, args.synthetic);
  if (!specs.ok()) return specs.status();
  std::vector<CampaignBoard> out;
  for (const std::string& spec : *specs) {
    auto b = LoadBoardSpec(spec);
    if (!b.ok()) return b.status();
    CampaignBoard cb;
    cb.spec = spec;
    cb.fingerprint = BoardFingerprint(*b);
    cb.board = std::make_shared<const hwmodel::Board>(std::move(*b));
    out.push_back(std::move(cb));
  }
  return out;
}

absl::StatusOr<std::vector<kernel::Profile>> LoadProfiles(std::string_view comma_list,
                                                          const std::vector<std::string>& sets) {
  std::vector<kernel::Profile> out;
  for (absl::string_view name : absl::StrSplit(Av(comma_list), ',', absl::SkipWhitespace())) {
    auto p = kernel::LoadProfile(Sv(name));
    if (!p.ok()) return p.status();
    for (const std::string& s : sets) {
      absl::Status st = kernel::ApplySet(*p, s);
      if (!st.ok()) return absl::InvalidArgumentError(absl::StrCat("--set=", s, ": ", st.message()));
    }
    out.push_back(std::move(*p));
  }
  if (out.empty()) return absl::InvalidArgumentError("no profile given");
  return out;
}

absl::StatusOr<EngineSpec> EngineSpecFromFlags() {
  EngineSpec spec;
  spec.engine = absl::GetFlag(FLAGS_engine);
  if (spec.engine != "controlled" && spec.engine != "free") {
    return absl::InvalidArgumentError(
        absl::StrCat("bad --engine '", spec.engine, "' (controlled or free)"));
  }
  spec.strategy = absl::GetFlag(FLAGS_strategy);
  if (auto s = harness::MakeStrategy(spec.strategy); !s.ok()) return s.status();
  spec.perturb = absl::GetFlag(FLAGS_perturb);
  if (auto p = harness::ParsePerturb(spec.perturb); !p.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad --perturb '", spec.perturb, "' (none, light or heavy)"));
  }
  spec.time_scale = absl::GetFlag(FLAGS_time_scale);
  if (!(spec.time_scale >= 0) || spec.time_scale == std::numeric_limits<double>::infinity()) {
    return absl::InvalidArgumentError("bad --time_scale (must be a number >= 0)");
  }
  spec.invariants = absl::GetFlag(FLAGS_invariants);
  auto inv = harness::InvariantSet::Parse(spec.invariants);
  if (!inv.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--invariants: ", inv.status().message()));
  }
  spec.options.invariants = *inv;
  auto mvt = harness::ParseDuration(absl::GetFlag(FLAGS_max_virtual_time));
  if (!mvt.ok() || *mvt <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad --max_virtual_time '", absl::GetFlag(FLAGS_max_virtual_time), "'"));
  }
  spec.options.max_virtual_time = *mvt;
  spec.options.stop_on_violation = kStopOnViolation;
  return spec;
}

absl::StatusOr<kernel::Profile> ProfileFromToken(const ReplayToken& t, std::string* warning) {
  kernel::Profile p;
  p.name = t.profile;
  p.description = "as recorded in the replay token";
  for (absl::string_view line : absl::StrSplit(t.knobs, '\n', absl::SkipEmpty())) {
    const size_t eq = line.find(" = ");
    if (eq == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("bad replay token: knob line '", line, "'"));
    }
    absl::Status s = kernel::SetKnob(p.knobs, Sv(line.substr(0, eq)), Sv(line.substr(eq + 3)));
    if (!s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("replay token knobs do not fit this probestorm: ", s.message()));
    }
  }
  for (const auto& b : kernel::BuiltinProfiles()) {
    if (b.name != t.profile || warning == nullptr) continue;
    // The token holds the knobs as run: a campaign's --set overrides and a built-in profile edited
    // since look the same here, so name the knobs that differ and both possible causes.
    const std::string builtin = kernel::FormatKnobs(b.knobs);
    if (builtin == t.knobs) continue;
    std::vector<std::string> differ;
    const std::vector<absl::string_view> ours = absl::StrSplit(builtin, '\n', absl::SkipEmpty());
    for (absl::string_view line : absl::StrSplit(t.knobs, '\n', absl::SkipEmpty())) {
      if (std::find(ours.begin(), ours.end(), line) == ours.end()) differ.emplace_back(line);
    }
    *warning = absl::StrCat("the token's knobs differ from built-in profile '", t.profile,
                            "' (--set overrides in the campaign, or the profile changed since): ",
                            absl::StrJoin(differ, ", "), "; replaying with the token's knobs");
  }
  return p;
}

absl::StatusOr<EngineSpec> EngineSpecFromToken(const ReplayToken& t) {
  EngineSpec spec;
  spec.engine = t.engine;
  spec.strategy = t.strategy;
  spec.perturb = t.perturb;
  spec.time_scale = t.time_scale;
  spec.invariants = t.invariants;
  auto inv = harness::InvariantSet::Parse(t.invariants);
  if (!inv.ok()) return absl::InvalidArgumentError(absl::StrCat("replay token: ", inv.status().message()));
  spec.options.invariants = *inv;
  spec.options.max_virtual_time = t.max_virtual_time_ns;
  spec.options.max_steps = t.max_steps;
  spec.options.stop_on_violation = kStopOnViolation;
  return spec;
}

absl::StatusOr<ReplayToken> TokenFromFlags(std::string_view sub) {
  const std::string token = absl::GetFlag(FLAGS_token);
  const std::string report = absl::GetFlag(FLAGS_report);
  const int finding = absl::GetFlag(FLAGS_finding);
  if (!token.empty() && !report.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("probestorm ", Av(sub), ": give --token or --report, not both"));
  }
  if (!token.empty()) {
    auto t = ReplayToken::Decode(token);
    if (!t.ok()) return absl::InvalidArgumentError(absl::StrCat("--token: ", t.status().message()));
    return t;
  }
  if (report.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("probestorm ", Av(sub), ": give --token=T or --report=R --finding=N"));
  }
  auto text = ReadFile(report);
  if (!text.ok()) return text.status();
  auto r = ParseReport(*text, report);
  if (!r.ok()) return r.status();
  if (finding < 0 || static_cast<size_t>(finding) >= r->findings.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        report, ": no finding ", finding, " (--finding must be 0..",
        static_cast<int64_t>(r->findings.size()) - 1, "; the report holds ", r->findings.size(),
        ")"));
  }
  auto t = ReplayToken::Decode(r->findings[static_cast<size_t>(finding)].token);
  if (!t.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(report, ": finding ", finding, ": ", t.status().message()));
  }
  return t;
}

std::string Wrap(std::string_view text, size_t width, std::string_view indent) {
  std::string out, line;
  for (absl::string_view word : absl::StrSplit(Av(text), ' ', absl::SkipEmpty())) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      absl::StrAppend(&out, Av(indent), line, "\n");
      line.clear();
    }
    if (!line.empty()) line += ' ';
    absl::StrAppend(&line, word);
  }
  if (!line.empty()) absl::StrAppend(&out, Av(indent), line, "\n");
  return out;
}

std::string FormatFinding(size_t index, const harness::Finding& f, std::string_view board,
                          std::string_view profile, uint64_t run, uint64_t seed,
                          std::string_view replay_command, bool explain) {
  std::string out = absl::StrFormat(
      "[%d] %s (%s) on %s / %s: run %d, seed %d, step %d, t=%ss\n", index, f.invariant,
      harness::SeverityName(f.severity), Av(board), Av(profile), run, seed, f.step,
      absl::StripLeadingAsciiWhitespace(harness::FormatKernelTime(f.virtual_time_ns)));
  absl::StrAppend(&out, "    ", f.message, "\n");
  if (explain) absl::StrAppend(&out, Wrap(Explain(f.invariant), 96, "    | "));
  if (!f.devices.empty()) absl::StrAppend(&out, "    devices: ", absl::StrJoin(f.devices, ", "), "\n");
  if (!f.tasks.empty()) absl::StrAppend(&out, "    tasks:   ", absl::StrJoin(f.tasks, ", "), "\n");
  if (!f.detail.empty()) {
    for (absl::string_view l : absl::StrSplit(f.detail, '\n', absl::SkipEmpty())) {
      absl::StrAppend(&out, "    > ", l, "\n");
    }
  }
  absl::StrAppend(&out, "    replay:  ", Av(replay_command), "\n");
  return out;
}

absl::Status WriteTraceFiles(const kernel::ModelRun& run, std::string_view chrome_path,
                             std::string_view log_path) {
  if (!chrome_path.empty()) {
    absl::Status s = WriteOutputFile(chrome_path, [&run](const harness::TextSink& put) {
      harness::WriteChromeTrace(put, run.trace, run.task_names, run.result.findings);
    });
    if (!s.ok()) return s;
  }
  if (!log_path.empty()) {
    absl::Status s = WriteOutputFile(log_path, [&run](const harness::TextSink& put) {
      harness::WriteFtraceLog(put, run.trace, run.task_names);
    });
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

bool ShowProgress() {
  const std::string p = absl::GetFlag(FLAGS_progress);
  if (p == "always") return true;
  if (p == "never") return false;
  return isatty(STDOUT_FILENO) == 1;
}

absl::Status CheckOutputFlags() {
  const std::string progress = absl::GetFlag(FLAGS_progress);
  if (progress != "auto" && progress != "always" && progress != "never") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--progress: unknown value '", absl::CHexEscape(progress), "' (auto, always or never)"));
  }
  for (const auto* flag : {&FLAGS_report_json, &FLAGS_junit, &FLAGS_trace, &FLAGS_log, &FLAGS_html}) {
    const std::string path = absl::GetFlag(*flag);
    if (path.empty()) continue;
    if (absl::Status s = CheckOutputPath(path); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", absl::GetFlagReflectionHandle(*flag).Name(), ": ", s.message()));
    }
  }
  return absl::OkStatus();
}

absl::Status MakeOutFolderFromFlag() {
  const std::string out = absl::GetFlag(FLAGS_out);
  return out.empty() ? absl::OkStatus() : MakeOutputFolder(out);
}

}  // namespace probestorm::stress

namespace probestorm::stress {

absl::StatusOr<TokenRun> PrepareTokenRun(const ReplayToken& t, const SubcommandArgs& args) {
  TokenRun tr;
  tr.token = t;
  if (!args.dt.empty() || !args.synthetic.empty()) {
    auto specs = ExpandBoardSpecs(args.dt, args.synthetic);
    if (!specs.ok()) return specs.status();
    if (specs->size() != 1 || (*specs)[0] != t.board) {
      return absl::InvalidArgumentError(absl::StrCat("token from another board: it was made on '",
                                                     t.board, "', not '", absl::StrJoin(*specs, ","),
                                                     "'"));
    }
  }
  auto b = LoadBoardSpec(t.board);
  if (!b.ok()) return b.status();
  if (BoardFingerprint(*b) != t.board_fingerprint) {
    return absl::InvalidArgumentError(absl::StrCat(
        "token from another board: '", t.board,
        "' is not the device tree the token was made on (its fingerprint differs)"));
  }
  if (absl::Status s = DisableNodes(*b, t.disabled); !s.ok()) return s;
  tr.board = std::make_shared<hwmodel::Board>(std::move(*b));
  auto p = ProfileFromToken(t, &tr.warning);
  if (!p.ok()) return p.status();
  tr.profile = std::move(*p);
  auto spec = EngineSpecFromToken(t);
  if (!spec.ok()) return spec.status();
  tr.spec = std::move(*spec);
  if (tr.spec.engine != "controlled" && tr.spec.engine != "free") {
    return absl::InvalidArgumentError(absl::StrCat("replay token: unknown engine '", tr.spec.engine, "'"));
  }
  if (tr.spec.engine == "controlled" && t.strategy != "replay") {
    if (auto s = harness::MakeStrategy(t.strategy); !s.ok()) return s.status();
  }
  return tr;
}

absl::StatusOr<kernel::ModelRun> RunToken(const TokenRun& tr, bool keep_trace) {
  std::unique_ptr<harness::Strategy> replay;
  if (tr.token.strategy == "replay") {
    replay = std::make_unique<harness::ReplayScheduler>(tr.token.schedule);
  }
  return ExecuteRun(*tr.board, tr.profile, tr.spec, tr.token.seed, replay.get(), keep_trace);
}

bool HasViolation(const kernel::ModelRun& run, std::string_view id) {
  for (const auto& f : run.result.findings) {
    if (f.severity == harness::Severity::kViolation && f.invariant == id) return true;
  }
  return false;
}

}  // namespace probestorm::stress
