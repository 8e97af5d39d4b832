// `probestorm describe`, `list` and `merge`, and the subcommand dispatch.
#include <cstdio>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "driver/invariants/all.h"
#include "driver/probes.h"
#include "driver/profile.h"
#include "harness/invariant.h"
#include "harness/strings.h"
#include "hwmodel/dt/describe.h"
#include "stress/commands.h"
#include "stress/exit_codes.h"
#include "stress/load.h"
#include "stress/output_flags.h"
#include "stress/files.h"
#include "stress/junit.h"
#include "stress/report.h"

namespace probestorm::stress {

int DescribeCommand(const SubcommandArgs& args) {
  if (!args.positional.empty()) {
    return UsageError(absl::StrCat("probestorm describe: unexpected argument '", args.positional[0],
                                   "' (see probestorm describe --help)"));
  }
  const std::string format = absl::GetFlag(FLAGS_format);
  if (format != "text" && format != "json" && format != "dot") {
    return UsageError(absl::StrCat("probestorm describe: bad --format '", format, "' (text, json or dot)"));
  }
  auto boards = LoadBoards(args);
  if (!boards.ok()) return UsageError(boards.status());
  kernel::Profile profile;  // default knobs: arch and SysMMU version come from the board
  if (args.Given("profile") || !args.set.empty()) {
    auto ps = LoadProfiles(absl::GetFlag(FLAGS_profile), args.set);
    if (!ps.ok()) return UsageError(ps.status());
    if (ps->size() != 1) return UsageError("probestorm describe: give one --profile");
    profile = (*ps)[0];
  }
  for (const auto& b : *boards) {
    kernel::Knobs knobs = profile.knobs;
    auto text = hwmodel::DescribeBoard(*b.board, format, kernel::ResolveForBoard(knobs, *b.board));
    if (!text.ok()) return UsageError(text.status());
    std::fputs(text->c_str(), stdout);
  }
  return kExitClean;
}

int ListCommand(const SubcommandArgs& args) {
  if (args.positional.size() != 1) {
    return UsageError("probestorm list: say what to list: profiles, invariants, knobs or probes");
  }
  const std::string& what = args.positional[0];
  if (what == "profiles") {
    for (const auto& p : kernel::BuiltinProfiles()) {
      std::printf("%s\n  %s\n", p.name.c_str(), p.description.c_str());
      for (absl::string_view line : absl::StrSplit(kernel::FormatKnobs(p.knobs), '\n', absl::SkipEmpty())) {
        std::printf("    %s\n", std::string(line).c_str());
      }
    }
    return kExitClean;
  }
  if (what == "invariants") {
    for (harness::InvariantId id : kernel::invariants::Registry().all()) {
      std::printf("%-26s %s\n", std::string(id.name()).c_str(), std::string(id.def()->what).c_str());
    }
    return kExitClean;
  }
  if (what == "probes") {
    for (const kernel::ProbeInfo& p : kernel::kProbes) {
      std::printf("%-32s %s\n", std::string(p.name).c_str(), std::string(p.window).c_str());
    }
    return kExitClean;
  }
  if (what == "knobs") {
    const bool with_profile = args.Given("profile") || !args.set.empty();
    kernel::Profile p;
    if (with_profile) {
      auto ps = LoadProfiles(absl::GetFlag(FLAGS_profile), args.set);
      if (!ps.ok()) return UsageError(ps.status());
      if (ps->size() != 1) return UsageError("probestorm list knobs: give one --profile");
      p = (*ps)[0];
    }
    const kernel::Knobs defaults;
    for (const auto& k : kernel::AllKnobs()) {
      std::printf("%-34s default %-16s", std::string(k.name).c_str(),
                  kernel::KnobValue(defaults, k.name).c_str());
      if (with_profile) std::printf(" %s: %s", p.name.c_str(), kernel::KnobValue(p.knobs, k.name).c_str());
      std::printf("\n    %s\n", std::string(k.description).c_str());
    }
    return kExitClean;
  }
  return UsageError(absl::StrCat("probestorm list: unknown list '", what,
                                 "' (profiles, invariants, knobs or probes)"));
}

int MergeCommand(const SubcommandArgs& args) {
  if (args.positional.empty()) {
    return UsageError("probestorm merge: give the shard reports: probestorm merge a.json b.json ...");
  }
  std::vector<Report> reports;
  for (const std::string& path : args.positional) {
    auto text = ReadFile(path);
    if (!text.ok()) return UsageError(text.status());
    auto r = ParseReport(*text, path);
    if (!r.ok()) return UsageError(r.status());
    reports.push_back(std::move(*r));
  }
  auto merged = MergeReports(reports, args.positional);
  if (!merged.ok()) return UsageError(merged.status());
  if (merged->merged_shards < merged->shard_count) {
    std::fprintf(stderr, "probestorm: warning: %d of %d shards merged\n", merged->merged_shards,
                 merged->shard_count);
  }
  const std::string json = absl::GetFlag(FLAGS_report_json);
  const std::string junit = absl::GetFlag(FLAGS_junit);
  ReferReplaysToReport(*merged, json);  // the shards' lines name the shards' reports
  if (!json.empty()) {
    if (auto s = WriteOutputFile(json, ReportJson(*merged)); !s.ok()) return Undecided(Sv(s.message()));
  }
  if (!junit.empty()) {
    if (auto s = WriteOutputFile(junit, JunitXml(*merged)); !s.ok()) return Undecided(Sv(s.message()));
  }
  std::printf("merged %zu reports: %llu runs, incomplete %llu, %zu distinct findings\n",
              reports.size(), static_cast<unsigned long long>(merged->runs),
              static_cast<unsigned long long>(merged->incomplete), merged->findings.size());
  for (const auto& [id, s] : merged->summary) {
    if (s.violations == 0 && s.warnings == 0) continue;
    std::printf("  %-26s %llu violations, %llu warnings, first run %lld\n", id.c_str(),
                static_cast<unsigned long long>(s.violations),
                static_cast<unsigned long long>(s.warnings), static_cast<long long>(s.first_run));
  }
  if (merged->AllIncomplete()) {
    return Undecided(absl::StrCat("every run (", merged->runs,
                                  ") stopped before quiescence: no verdict"));
  }
  return merged->Violated() ? kExitViolation : kExitClean;
}

int ProbestormMain(int argc, char** argv) {
  if (argc < 2) {
    // No subcommand: the default campaign.
    static char run[] = "run";
    char* av[] = {argv[0], run};
    return ProbestormMain(2, av);
  }
  const std::string_view sub = argv[1];
  if (sub == "--help" || sub == "-h" || sub == "help" || sub == "--helpfull") {
    std::fputs(TopLevelHelp().c_str(), stdout);
    return kExitClean;
  }
  if (sub == "--version" || sub == "version") {
    std::printf("probestorm %s\n", std::string(kProbestormVersion).c_str());
    return kExitClean;
  }
  if (sub.size() > 1 && sub[0] == '-') {
    // Flags without a subcommand: `probestorm --runs=10` is `probestorm run --runs=10`.
    static char run[] = "run";
    std::vector<char*> av = {argv[0], run};
    for (int i = 1; i < argc; ++i) av.push_back(argv[i]);
    return ProbestormMain(static_cast<int>(av.size()), av.data());
  }
  auto args = ParseSubcommandArgs(sub, argc, argv);
  if (!args.ok()) return UsageError(args.status());
  if (args->help) {
    std::fputs(SubcommandHelp(sub).c_str(), stdout);
    return kExitClean;
  }
  if (absl::Status s = CheckOutputFlags(); !s.ok()) return UsageError(s);
  if (sub == "run") return RunCommand(*args);
  if (sub == "replay") return ReplayCommand(*args);
  if (sub == "shrink") return ShrinkCommand(*args);
  if (sub == "bisect") return BisectCommand(*args);
  if (sub == "describe") return DescribeCommand(*args);
  if (sub == "list") return ListCommand(*args);
  if (sub == "merge") return MergeCommand(*args);
  if (sub == "report") return ReportCommand(*args);
  return UsageError(absl::StrCat("probestorm: unknown subcommand '", Av(sub), "'"));
}

}  // namespace probestorm::stress
