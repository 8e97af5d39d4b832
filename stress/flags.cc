#include "stress/flags.h"

#include <algorithm>
#include <map>
#include <optional>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "harness/strings.h"
#include "stress/exit_codes.h"

ABSL_FLAG(std::vector<std::string>, dt, {},
          "board: embedded:tm2e (default), a .dtb or .dts file, or a folder of .dtb files; "
          "repeatable (run: every board is a campaign axis)");
ABSL_FLAG(std::vector<std::string>, synthetic, {},
          "synthetic board instead of --dt: sysmmus=N,masters=M,per_master=K[,unused=U][,plain=P]"
          "[,groups=G]; repeatable");
ABSL_FLAG(std::string, profile, "v6.1-modular",
          "profile: a built-in name or a profile file (`list profiles`); run: comma list");
ABSL_FLAG(std::vector<std::string>, set, {},
          "knob override knob=value, applied to every profile; repeatable (`list knobs`)");
ABSL_FLAG(std::string, engine, "controlled",
          "controlled (deterministic fibers) or free (OS threads, not deterministic)");
ABSL_FLAG(std::string, strategy, "random",
          "controlled engine scheduling: auto (a portfolio of the others, learning from conflicts; "
          "the default of `run`), random, pct:D[:K] (PCT depth D over K steps), pos (partial order "
          "sampling), pos-hold (pos that holds back one side of an unseen conflict pair), surw "
          "(selectively uniform random walk), conflict (conflict-directed), dfs:P "
          "(exhaustive, P preemptions); elsewhere the default is random");
ABSL_FLAG(std::string, perturb, "light",
          "free engine perturbation at schedule points: none (plain OS scheduling), light, heavy");
ABSL_FLAG(double, time_scale, 0,
          "free engine: 0 (default): virtual time moves only when every task waits, to the next "
          "timer, as in the controlled engine, so machine load cannot change when a timeout "
          "fires; N > 0: it also follows real time, N virtual ns per real ns (1000: 1 virtual s "
          "per real ms), so timers can fire in the middle of work, which depends on load");
ABSL_FLAG(uint64_t, seed, 1, "campaign seed; run r uses a seed forked from it and r");
ABSL_FLAG(int64_t, runs, 0,
          "number of runs per board x profile (fixed: with random, pct or dfs results identical for any "
          "--jobs and shards; a learning strategy depends on the job layout); "
          "0: run until --time_budget");
ABSL_FLAG(std::string, time_budget, "20s",
          "wall-clock budget (e.g. 20s, 5m); run: when --runs is not given");
ABSL_FLAG(int32_t, jobs, 0, "parallel runs (default: the number of cores)");
ABSL_FLAG(std::string, invariants, "", "comma list of invariant ids to check (default: all)");
ABSL_FLAG(bool, stop_on_first, false, "stop the campaign at the first violation");
ABSL_FLAG(std::string, stop_on, "",
          "stop the campaign at the first violation of this invariant id (others go on)");
ABSL_FLAG(std::string, report_json, "",
          "JSON report path (schema probestorm-report/2); run default: <out>/report.json");
ABSL_FLAG(std::string, junit, "", "JUnit XML path; run default: <out>/junit.xml");
ABSL_FLAG(std::string, trace, "",
          "Chrome trace-event JSON of the (first) failing run, opens in ui.perfetto.dev; "
          "run default: <out>/trace-<invariant>.json per invariant");
ABSL_FLAG(std::string, log, "",
          "ftrace-like log of the (first) failing run; run default: <out>/log-<invariant>.txt");
ABSL_FLAG(std::string, out, "probestorm-out",
          "folder for the default artifacts (report, JUnit, traces, logs); empty: none");
ABSL_FLAG(int32_t, shard_index, -1,
          "this shard (0-based); default from GTEST_SHARD_INDEX, JOB_COMPLETION_INDEX or "
          "SLURM_ARRAY_TASK_ID, else 0");
ABSL_FLAG(int32_t, shard_count, -1,
          "number of shards; default from GTEST_TOTAL_SHARDS, PROBESTORM_SHARD_COUNT (with "
          "JOB_COMPLETION_INDEX) or SLURM_ARRAY_TASK_COUNT, else 1");
ABSL_FLAG(std::string, max_virtual_time, "600s", "virtual time limit of one run");
ABSL_FLAG(std::string, format, "text", "describe output: text, json or dot");
ABSL_FLAG(std::string, token, "", "replay token (printed with every finding)");
ABSL_FLAG(std::string, report, "", "a JSON report to take the finding from (with --finding)");
ABSL_FLAG(int32_t, finding, -1, "index of the finding in --report (0-based, as printed by run)");
ABSL_FLAG(std::string, profiles, "",
          "bisect: ordered comma list of profiles, oldest first (default: the built-in stack)");
ABSL_FLAG(std::string, find, "first-bad", "bisect: first-bad or first-good");
ABSL_FLAG(std::string, invariant, "", "bisect: the invariant id that defines bad");
ABSL_FLAG(double, confidence, 0.99,
          "bisect: confidence that a profile judged good really does not fail");
ABSL_FLAG(int64_t, max_runs, 20000, "bisect: most runs spent on one profile");
ABSL_FLAG(std::string, progress, "auto", "progress line: auto (on a terminal), always, never");
ABSL_FLAG(std::string, html, "", "report: the HTML page to write (required)");
ABSL_FLAG(bool, verbose, false,
          "run: print every finding in full with its replay token (default: the first finding of "
          "each invariant, how many more the report holds, and a --report command for a token "
          "that carries a whole schedule)");

namespace probestorm::stress {
namespace {

enum class Kind { kString, kBool, kInt, kUint, kDouble, kRepeated };

struct FlagDef {
  std::string_view name;
  Kind kind;
};

constexpr FlagDef kFlags[] = {
    {"dt", Kind::kRepeated},        {"synthetic", Kind::kRepeated}, {"profile", Kind::kString},
    {"set", Kind::kRepeated},       {"engine", Kind::kString},      {"strategy", Kind::kString},
    {"perturb", Kind::kString},     {"time_scale", Kind::kDouble},  {"seed", Kind::kUint},
    {"runs", Kind::kInt},           {"time_budget", Kind::kString}, {"jobs", Kind::kInt},
    {"invariants", Kind::kString},  {"stop_on_first", Kind::kBool}, {"report_json", Kind::kString},
    {"junit", Kind::kString},       {"trace", Kind::kString},       {"log", Kind::kString},
    {"out", Kind::kString},         {"shard_index", Kind::kInt},    {"shard_count", Kind::kInt},
    {"max_virtual_time", Kind::kString}, {"format", Kind::kString}, {"token", Kind::kString},
    {"report", Kind::kString},      {"finding", Kind::kInt},        {"profiles", Kind::kString},
    {"find", Kind::kString},        {"invariant", Kind::kString},   {"confidence", Kind::kDouble},
    {"max_runs", Kind::kInt},       {"progress", Kind::kString},    {"html", Kind::kString},
    {"stop_on", Kind::kString},     {"verbose", Kind::kBool},
};

const FlagDef* FindFlag(std::string_view name) {
  for (const auto& f : kFlags) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

struct SubDef {
  std::string_view name;
  std::string_view usage;
  std::string_view purpose;
  std::vector<std::string_view> flags;
};

const std::vector<SubDef>& Subs() {
  static const auto* subs = new std::vector<SubDef>{
      {"run", "probestorm run [flags]",
       "one campaign: many runs of boards x profiles; prints the first finding of each invariant "
       "with a replay command (--verbose: every distinct finding) and writes report, JUnit, traces "
       "and logs",
       {"dt", "synthetic", "profile", "set", "engine", "strategy", "perturb", "time_scale", "seed",
        "runs", "time_budget", "jobs", "invariants", "stop_on_first", "stop_on", "report_json",
        "junit", "trace", "log", "out", "shard_index", "shard_count", "max_virtual_time",
        "progress", "verbose"}},
      {"replay", "probestorm replay --token=T | --report=R --finding=N [flags]",
       "re-run one finding exactly (trace hash checked), write its trace and log",
       {"token", "report", "finding", "dt", "synthetic", "trace", "log", "out"}},
      {"shrink", "probestorm shrink --token=T | --report=R --finding=N [flags]",
       "reduce a failing run (devices, churn, preemptions, virtual time) while the same invariant "
       "still fails; prints a new token",
       {"token", "report", "finding", "dt", "synthetic", "time_budget", "trace", "log", "out"}},
      {"bisect", "probestorm bisect --invariant=ID [--profiles=a,b,c] [flags]",
       "first bad (or first good) profile in an ordered list, to a stated confidence",
       {"profiles", "find", "invariant", "confidence", "dt", "synthetic", "set", "engine",
        "strategy", "perturb", "time_scale", "seed", "runs", "max_runs", "jobs", "max_virtual_time",
        "time_budget", "report_json"}},
      {"describe", "probestorm describe [--dt=...|--synthetic=...] [--format=text|json|dot] [--set=k=v]",
       "the board as the model sees it: arch and SysMMU version with their source, devices, SysMMUs, "
       "masters, fw_devlink links",
       {"dt", "synthetic", "format", "profile", "set"}},
      {"list", "probestorm list profiles|invariants|knobs|probes [--profile=P] [--set=k=v]",
       "built-in profiles with their knobs, invariant ids, knobs with defaults and descriptions",
       {"profile", "set"}},
      {"merge", "probestorm merge a.json b.json ... [--report_json=all.json] [--junit=all.xml]",
       "combine the shard reports of one campaign into one report",
       {"report_json", "junit"}},
      {"report", "probestorm report IN.json... --html=OUT.html",
       "the static nightly page from campaign reports and/or a ci/nightly summary (nightly.json, "
       "with history.jsonl beside it): expectations, findings, trace links, probes, trends",
       {"html"}},
  };
  return *subs;
}

// Where a subcommand gives a shared flag another meaning or default than its absl definition.
struct FlagNote {
  std::string_view sub, flag, help, default_value;
};
constexpr FlagNote kFlagNotes[] = {
    {"shrink", "time_budget", "wall-clock budget of the whole search", "120s"},
    {"bisect", "time_budget",
     "wall-clock budget of the whole bisection; when it runs out before deciding, exit 125 with "
     "the evidence so far",
     "none"},
    {"bisect", "runs", "runs that measure the detection rate on the known-bad end", "100"},
    {"bisect", "report_json",
     "write the evidence and the answer as JSON (schema probestorm-bisect/1); `probestorm report "
     "--html` shows it",
     ""},
};

const FlagNote* FindNote(std::string_view sub, std::string_view flag) {
  for (const auto& n : kFlagNotes) {
    if (n.sub == sub && n.flag == flag) return &n;
  }
  return nullptr;
}

const SubDef* FindSub(std::string_view name) {
  for (const auto& s : Subs()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

bool ValidBool(std::string_view v) {
  const std::string s = absl::AsciiStrToLower(Av(v));
  return s == "true" || s == "false" || s == "1" || s == "0" || s == "yes" || s == "no" ||
         s == "t" || s == "f" || s == "y" || s == "n";
}

absl::Status CheckValue(std::string_view sub, const FlagDef& f, std::string_view v) {
  bool ok = true;
  std::string_view expected;
  switch (f.kind) {
    case Kind::kInt: {
      int64_t x = 0;
      ok = absl::SimpleAtoi(Av(v), &x);
      expected = "an integer";
      break;
    }
    case Kind::kUint: {
      uint64_t x = 0;
      ok = absl::SimpleAtoi(Av(v), &x);
      expected = "a non-negative integer";
      break;
    }
    case Kind::kDouble: {
      double x = 0;
      ok = absl::SimpleAtod(Av(v), &x);
      expected = "a number";
      break;
    }
    case Kind::kBool:
      ok = ValidBool(v);
      expected = "true or false";
      break;
    default:
      break;
  }
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("probestorm ", Av(sub), ": bad value '", Av(v),
                                                 "' for --", Av(f.name), " (expected ",
                                                 Av(expected), ")"));
}

}  // namespace

bool SubcommandArgs::Given(std::string_view name) const {
  return std::find(given.begin(), given.end(), name) != given.end();
}

const std::vector<std::string>& Subcommands() {
  static const auto* names = [] {
    auto* v = new std::vector<std::string>;
    for (const auto& s : Subs()) v->emplace_back(s.name);
    return v;
  }();
  return *names;
}

std::string_view SubcommandPurpose(std::string_view sub) {
  const SubDef* s = FindSub(sub);
  return s ? s->purpose : "";
}

absl::StatusOr<SubcommandArgs> ParseSubcommandArgs(std::string_view sub, int argc, char** argv) {
  const SubDef* def = FindSub(sub);
  if (def == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("probestorm: unknown subcommand '", Av(sub),
                                                   "' (one of: ", absl::StrJoin(Subcommands(), ", "),
                                                   ")"));
  }
  SubcommandArgs out;
  std::vector<std::string> for_absl = {argv[0]};
  bool only_positional = false;
  for (int i = 2; i < argc; ++i) {
    std::string_view a = argv[i];
    if (only_positional || a.size() < 2 || a[0] != '-') {
      out.positional.emplace_back(a);
      continue;
    }
    if (a == "--") {
      only_positional = true;
      continue;
    }
    std::string_view body = a.substr(a[1] == '-' ? 2 : 1);
    std::string_view name = body;
    std::optional<std::string_view> value;
    if (const size_t eq = body.find('='); eq != std::string_view::npos) {
      name = body.substr(0, eq);
      value = body.substr(eq + 1);
    }
    if (name == "help" || name == "h" || name == "helpfull" || name == "helpshort") {
      out.help = true;
      continue;
    }
    const FlagDef* f = FindFlag(name);
    bool negated = false;
    if (f == nullptr && name.substr(0, 2) == "no") {
      const FlagDef* g = FindFlag(name.substr(2));
      if (g != nullptr && g->kind == Kind::kBool && !value) {
        f = g;
        negated = true;
      }
    }
    if (f == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("probestorm ", Av(sub), ": unknown flag --",
                                                     Av(name), " (see probestorm ", Av(sub),
                                                     " --help)"));
    }
    if (std::find(def->flags.begin(), def->flags.end(), f->name) == def->flags.end()) {
      return absl::InvalidArgumentError(absl::StrCat("probestorm ", Av(sub), ": flag --",
                                                     Av(f->name), " is not valid here (see probestorm ",
                                                     Av(sub), " --help)"));
    }
    if (!value && f->kind != Kind::kBool) {
      if (i + 1 >= argc) {
        return absl::InvalidArgumentError(
            absl::StrCat("probestorm ", Av(sub), ": flag --", Av(f->name), " needs a value"));
      }
      value = std::string_view(argv[++i]);
    }
    out.given.emplace_back(f->name);
    if (f->kind == Kind::kRepeated) {
      auto& list = f->name == "dt" ? out.dt : f->name == "synthetic" ? out.synthetic : out.set;
      list.emplace_back(*value);
      continue;
    }
    if (value) {
      absl::Status s = CheckValue(sub, *f, *value);
      if (!s.ok()) return s;
      for_absl.push_back(absl::StrCat("--", Av(f->name), "=", Av(*value)));
    } else {
      for_absl.push_back(absl::StrCat("--", Av(f->name), "=", negated ? "false" : "true"));
    }
  }
  if (!out.help) {
    std::vector<char*> av;
    for (auto& s : for_absl) av.push_back(s.data());
    absl::ParseCommandLine(static_cast<int>(av.size()), av.data());
  }
  return out;
}

std::string SubcommandHelp(std::string_view sub) {
  const SubDef* def = FindSub(sub);
  if (def == nullptr) return TopLevelHelp();
  std::string out = absl::StrCat("usage: ", Av(def->usage), "\n\n", Av(def->purpose), "\n\nflags:\n");
  for (std::string_view name : def->flags) {
    const absl::CommandLineFlag* f = absl::FindCommandLineFlag(Av(name));
    if (f == nullptr) continue;
    std::string def_value = f->DefaultValue();
    std::string help = f->Help();
    if (const FlagNote* note = FindNote(sub, name)) {
      help = std::string(note->help);
      def_value = std::string(note->default_value);
    }
    absl::StrAppend(&out, "  --", Av(name), "\n      ", help,
                    def_value.empty() ? "" : absl::StrCat(" (default: ", def_value, ")"), "\n");
  }
  if (sub == "run" || sub == "merge") {
    absl::StrAppend(&out,
                    "\nincomplete runs: a run that stops before quiescence (at --max_virtual_time "
                    "or the step limit) is\ncounted as `incomplete` in the summary line and the "
                    "report, never as clean, and its findings\nare marked; when every run is "
                    "incomplete the exit code is 125.\n");
  }
  absl::StrAppend(&out, "\n", ExitCodesHelp());
  return out;
}

std::string ExitCodesHelp() {
  std::string out = "exit codes:\n";
  for (const ExitCode& e : kExitCodes) absl::StrAppendFormat(&out, "  %3d  %s\n", e.code, Av(e.meaning));
  return out;
}

std::string TopLevelHelp() {
  std::string out =
      "usage: probestorm SUBCOMMAND [flags]\n\n"
      "probestorm stresses the Linux probe path of IOMMU controllers and their DMA masters (driver\n"
      "core, fw_devlink, IOMMU core, exynos SysMMU) on a model of a real device tree, under\n"
      "deterministic schedules, and checks named invariants.\n\nsubcommands:\n";
  for (const auto& s : Subs()) {
    absl::StrAppend(&out, "  ", absl::StrFormat("%-9s", Av(s.name)), " ", Av(s.purpose), "\n");
  }
  absl::StrAppend(&out,
                  "\n`probestorm SUBCOMMAND --help` lists the flags of each. With no subcommand "
                  "arguments, `probestorm run`\nstresses the embedded TM2E board with the seed "
                  "profile v6.1-modular for 20 s.\n",
                  ExitCodesHelp());
  return out;
}

}  // namespace probestorm::stress
