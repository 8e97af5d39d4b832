// Campaign reports: the JSON schema `probestorm-report/2` (README "Command line"), with
// campaign_id, seed, requested runs, invariants, per-ending run counts, model errors, the
// `incomplete` count of runs that stopped before quiescence with each such finding marked, and
// each finding's token; its reader, and the merge of shard reports.
//
// A campaign id is a hash of what defines a campaign: boards, profiles (name and knobs), engine,
// strategy, perturbation, seed, requested runs, invariants and shard count. Shards of one campaign
// share it; merge refuses reports whose ids differ.
//
// Thread-safety: values and pure functions.
#ifndef PROBESTORM_STRESS_REPORT_H_
#define PROBESTORM_STRESS_REPORT_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "stress/campaign.h"

namespace probestorm::stress {

// /2 added `probes`, `partial` and `interrupted_by`; ParseReport reads /1 and /2.
inline constexpr std::string_view kReportSchema = "probestorm-report/2";
inline constexpr std::string_view kReportSchemaV1 = "probestorm-report/1";
inline constexpr std::string_view kProbestormVersion = "0.1.0";

// A finding as the report holds it: the run's finding and where it came from, by name.
struct ReportFinding {
  harness::Finding finding;
  std::string board;
  std::string profile;
  uint64_t seed = 0;
  uint64_t run = 0;
  double wall_seconds = 0;
  std::string replay;      // "probestorm replay --token=..."
  std::string token;
  std::string trace_hash;  // 16 hex digits
  // Ending of a run that stopped before quiescence ("max-virtual-time", "max-steps"), else "":
  // such a finding may be an artifact of the cut (a boot that never finished).
  std::string incomplete_run;
};

struct Report {
  std::string schema = std::string(kReportSchema);
  std::string version = std::string(kProbestormVersion);
  std::string campaign_id;
  std::string engine;
  std::string strategy;
  std::string perturb;
  uint64_t seed = 0;
  uint64_t runs_requested = 0;  // 0: time budget
  std::vector<std::string> invariants;  // enabled ids
  std::vector<std::string> boards;
  std::vector<std::string> profiles;
  int shard_index = 0;
  int shard_count = 1;
  int merged_shards = 0;  // > 0 for a merged report
  uint64_t runs = 0;
  uint64_t incomplete = 0;     // CampaignResult::incomplete
  uint64_t cut_by_budget = 0;  // CampaignResult::cut_by_budget
  double wall_seconds = 0;
  uint64_t schedule_points = 0;
  uint64_t max_live_tasks = 0;
  uint64_t peak_rss_bytes = 0;
  uint64_t model_errors = 0;
  std::map<std::string, uint64_t> endings;
  // A campaign stopped by SIGINT/SIGTERM: its counts cover the runs that finished.
  bool partial = false;
  std::string interrupted_by;  // "SIGINT", "SIGTERM" or "" (merged: the first one met)
  // Interleaving probe name -> runs in which it fired (driver/probes.h); empty in /1 reports.
  std::map<std::string, uint64_t> probes;
  std::vector<ReportFinding> findings;
  std::map<std::string, InvariantCount> summary;  // every enabled invariant
  // Learning strategies only (`exploration` in the JSON); merge sums it (ExplorationResult).
  ExplorationResult exploration;

  bool Violated() const;
  bool AllIncomplete() const { return runs > 0 && incomplete == runs; }
};

std::string CampaignId(const CampaignOptions& o);
Report BuildReport(const CampaignOptions& o, const CampaignResult& r);
std::string ReportJson(const Report& r);

// True when the finding's token replays a recorded schedule (a learning strategy's run): such a
// token holds every choice of the run, megabytes at scale, and every finding of the run has one.
bool CarriesSchedule(const ReportFinding& rf);
// For the report written to `report_path`: each finding whose token carries a schedule gets
// `probestorm replay --report=<report_path> --finding=<its index>` as its replay line instead of
// the token command (the token stays in `token`), so the report, the JUnit and the page hold each
// schedule once per finding, not twice. The other findings keep their line.
void ReferReplaysToReport(Report& r, std::string_view report_path);
// The text summary of a campaign's exploration: coverage, curve, runs and findings per strategy.
// Empty when the strategy does not learn.
std::string ExplorationText(const ExplorationResult& e);
// `where` names the source in errors (a file path). Refuses another schema.
absl::StatusOr<Report> ParseReport(std::string_view json, std::string_view where);
// Shards of one campaign into one report. `names` name the inputs in errors.
absl::StatusOr<Report> MergeReports(const std::vector<Report>& reports,
                                    const std::vector<std::string>& names);
// Peak resident set of this process.
uint64_t PeakRssBytes();

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_REPORT_H_
