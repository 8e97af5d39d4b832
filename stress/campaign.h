// Campaigns: boards x profiles x runs of the kernel model, spread over --jobs OS threads with TBB,
// with deterministic per-run seeds and deterministic sharding.
//
// Run r of a campaign with seed S uses EngineOptions::seed = RunSeed(S, r) on every board and
// profile (so run r means the same thing across profiles, which bisect relies on). Shard I of N
// takes the runs with r % N == I. With --runs the set of runs is fixed, so the result (findings,
// counts) is identical for any --jobs and shards merged equal one unsharded campaign; with a time
// budget the set of finished runs depends on machine speed and --jobs (runs still in flight at
// the deadline are discarded, never half-counted). Distinct findings keep the lowest run that
// produced them, so the choice does not depend on thread timing either.
//
// Job j of J takes the units j, j + J, ... in order and keeps one strategy object for all of
// them: a learning strategy (pos, pos-hold, surw, conflict, auto) sees the earlier runs of its
// own job, so the campaign seed and the job layout decide every choice (so --jobs and shards
// change what it explores; the equalities above hold for random, pct and dfs). Such runs' tokens
// carry their recorded choices.
//
// Thread-safety: RunCampaign is called from one thread; it runs model runs on a TBB arena of
// `jobs` threads and merges their results under a mutex.
#ifndef PROBESTORM_STRESS_CAMPAIGN_H_
#define PROBESTORM_STRESS_CAMPAIGN_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "driver/profile.h"
#include "driver/model_run.h"
#include "harness/engine.h"
#include "harness/finding.h"
#include "harness/sched/schedule.h"
#include "harness/sched/strategy.h"
#include "hwmodel/dt/board.h"
#include "stress/engine_spec.h"
#include "stress/token.h"

namespace probestorm::stress {

// The seed of run `run` of a campaign with seed `campaign_seed`.
uint64_t RunSeed(uint64_t campaign_seed, uint64_t run);
// The run indices of shard `index` of `count` among runs [0, runs).
std::vector<uint64_t> ShardRuns(uint64_t runs, int index, int count);

// One run, controlled (`strategy` if given, else a fresh one from spec.strategy) or free. Never
// throws: a model exception becomes kInternal, an OS thread the host refused kResourceExhausted.
absl::StatusOr<kernel::ModelRun> ExecuteRun(const hwmodel::Board& board,
                                            const kernel::Profile& profile, const EngineSpec& spec,
                                            uint64_t seed, harness::Strategy* strategy = nullptr,
                                            bool keep_trace = false);

struct CampaignBoard {
  std::string spec;  // as on the command line (embedded:tm2e, path, synthetic:...)
  std::shared_ptr<const hwmodel::Board> board;
  uint64_t fingerprint = 0;
};

// What a running campaign shows of itself, sampled every 250 ms.
struct CampaignProgress {
  uint64_t runs = 0;             // finished
  uint64_t total_runs = 0;       // with --runs: runs x boards x profiles of this shard; else 0
  double elapsed_seconds = 0;
  uint64_t schedule_points = 0;
  uint64_t conflict_pairs = 0;   // learning strategies
  std::vector<std::pair<std::string, uint64_t>> violations;  // violated invariants, registry order
  double seconds_left = -1;      // a time budget: what is left of it; else -1
};
// Receives the samples on the campaign's progress thread, then Done() once before RunCampaign
// returns.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void Update(const CampaignProgress& p) = 0;
  virtual void Done() = 0;
};

struct CampaignOptions {
  std::vector<CampaignBoard> boards;
  std::vector<kernel::Profile> profiles;
  EngineSpec engine;
  uint64_t seed = 1;
  uint64_t runs = 0;                 // 0: until the time budget is spent
  double time_budget_seconds = 20;   // with runs == 0
  int jobs = 1;
  bool stop_on_first = false;        // stop at the first violation (of stop_invariant if set)
  std::string stop_invariant;
  int shard_index = 0;
  int shard_count = 1;
  ProgressSink* progress = nullptr;  // e.g. one updating line on a terminal (progress.h)
  size_t cap_per_key = 8;            // distinct findings kept per invariant x board x profile x signature
  // A wall-clock limit that holds even with `runs` (bisect --time_budget): no run starts after
  // it, a run still going is cut and discarded, and CampaignResult::out_of_time says whether runs
  // were left undone. The epoch (default) means none.
  std::chrono::steady_clock::time_point hard_deadline{};
  // Free engine only: runs keep every trace event, and the campaign keeps the run of the first
  // finding of each invariant (CampaignResult::free_traces). A free run cannot be re-run for its
  // trace the way a controlled one is: the OS schedule does not repeat.
  bool keep_free_traces = false;
  // When it becomes non-zero (a signal number, stress/interrupt.h), no new run starts; runs in
  // flight stop at their engine's next check and are not counted (as runs cut by the budget), and
  // CampaignResult::interrupted records the signal.
  const std::atomic<int>* interrupt = nullptr;
};

struct FoundRecord {
  harness::Finding finding;
  int board = 0;    // index into CampaignOptions::boards
  int profile = 0;  // index into CampaignOptions::profiles
  uint64_t run = 0;
  uint64_t seed = 0;
  uint64_t trace_hash = 0;
  double wall_seconds = 0;  // since the campaign started
  ReplayToken token;
  // The run stopped before quiescence (harness::Incomplete): its ending, else kQuiescent.
  harness::Ending incomplete_run = harness::Ending::kQuiescent;
};

struct InvariantCount {
  uint64_t violations = 0;
  uint64_t warnings = 0;
  int64_t first_run = -1;
  double first_wall_seconds = 0;
  uint64_t runs_violated = 0;  // runs with at least one violation of this invariant
};

// Exploration of a campaign whose strategy learns (pos, pos-hold, surw, conflict, auto): coverage
// and what each strategy of the portfolio did.
struct ArmRecord {
  uint64_t runs = 0;
  uint64_t new_pairs = 0;                       // campaign-new conflict pairs its runs found
  std::map<std::string, uint64_t> violations;   // by invariant: its runs that violated it
};
struct ExplorationResult {
  bool recorded = false;
  uint64_t pairs = 0;        // distinct conflict pairs of the campaign
  uint64_t reads_from = 0;   // distinct reads-from edges
  std::vector<uint64_t> curve;  // new pairs in each 100 explored runs, in run order
  // > 0: merged from that many shard reports. Distinct pairs and edges are then the largest
  // shard's (a lower bound of the union: the pair sets stay in their shards), the curve is empty,
  // and an arm's runs, new pairs (new in their shard) and violations are summed.
  int merged_shards = 0;
  std::map<std::string, ArmRecord> arms;  // by strategy name
};

struct CampaignResult {
  uint64_t runs = 0;              // finished runs (counted)
  uint64_t incomplete = 0;        // of those, runs that stopped before quiescence (max virtual
                                  // time, max steps): never clean, whatever they found
  uint64_t cut_by_budget = 0;     // runs cut by the wall deadline or a signal: not counted,
                                  // findings dropped
  uint64_t schedule_points = 0;
  uint32_t max_live_tasks = 0;
  double wall_seconds = 0;
  uint64_t model_errors = 0;      // runs whose model threw (a harness bug): exit 125
  std::string first_error;
  std::map<std::string, uint64_t> endings;         // EndingName -> runs
  std::vector<FoundRecord> findings;               // distinct, in (invariant, run) order
  std::map<std::string, InvariantCount> summary;   // by invariant id
  bool stopped_early = false;
  bool out_of_time = false;       // hard_deadline came before every requested run finished
  int interrupted = 0;            // the signal that stopped the campaign, or 0
  std::map<std::string, uint64_t> probes;  // interleaving probe name -> runs in which it fired
  // keep_free_traces: by invariant, the lowest-numbered run that reported it, with every event.
  struct KeptRun {
    uint64_t run = 0;
    std::shared_ptr<const kernel::ModelRun> model;
  };
  std::map<std::string, KeptRun> free_traces;
  ExplorationResult exploration;
  bool Violated() const;
  // At least one counted run, and every counted run stopped before quiescence: exit 125.
  bool AllIncomplete() const { return runs > 0 && incomplete == runs; }
};

// Token for one finding of a campaign run; `schedule` (null when the seed reproduces the run) is
// shared, not copied.
ReplayToken MakeToken(const CampaignOptions& o, int board, int profile, uint64_t run,
                      const harness::Finding& f, uint64_t trace_hash,
                      harness::SharedSchedule schedule);

CampaignResult RunCampaign(const CampaignOptions& options);

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_CAMPAIGN_H_
