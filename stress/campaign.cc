#include "stress/campaign.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <iterator>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "driver/invariants/all.h"
#include "harness/invariant.h"
#include "harness/rng.h"
#include "harness/sched/replay_scheduler.h"
#include "harness/strings.h"
#include "tbb/task_arena.h"
#include "tbb/task_group.h"

namespace probestorm::stress {

using Clock = std::chrono::steady_clock;

uint64_t RunSeed(uint64_t campaign_seed, uint64_t run) {
  return harness::Rng(campaign_seed).Fork(run).seed();
}

std::vector<uint64_t> ShardRuns(uint64_t runs, int index, int count) {
  std::vector<uint64_t> out;
  for (uint64_t r = static_cast<uint64_t>(index); r < runs; r += static_cast<uint64_t>(count)) {
    out.push_back(r);
  }
  return out;
}

absl::StatusOr<kernel::ModelRun> ExecuteRun(const hwmodel::Board& board,
                                            const kernel::Profile& profile, const EngineSpec& spec,
                                            uint64_t seed, harness::Strategy* strategy,
                                            bool keep_trace) {
  if (absl::Status s = kernel::CheckKnobsForBoard(profile.knobs, board); !s.ok()) return s;
  harness::EngineOptions o = spec.options;
  o.seed = seed;
  o.keep_trace = keep_trace;
  try {
    if (spec.free()) {
      return kernel::RunFree(board, profile, o, spec.perturb, spec.time_scale, spec.create_thread);
    }
    std::unique_ptr<harness::Strategy> own;
    if (strategy == nullptr) {
      own = harness::MakeStrategy(spec.strategy);
      strategy = own.get();
    }
    return kernel::RunControlled(board, profile, o, *strategy);
  } catch (const harness::ThreadCreateError& e) {
    return absl::ResourceExhaustedError(absl::StrCat("host limit: ", e.what()));
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("model error (", e.what(), ")"));
  } catch (...) {
    return absl::InternalError("model error (unknown exception)");
  }
}

bool CampaignResult::Violated() const {
  for (const auto& [id, c] : summary) {
    if (c.violations > 0) return true;
  }
  return false;
}

ReplayToken MakeToken(const CampaignOptions& o, int board, int profile, uint64_t run,
                      const harness::Finding& f, uint64_t trace_hash,
                      harness::SharedSchedule schedule) {
  ReplayToken t;
  const CampaignBoard& b = o.boards[static_cast<size_t>(board)];
  t.board = b.spec;
  t.board_fingerprint = b.fingerprint;
  t.profile = o.profiles[static_cast<size_t>(profile)].name;
  t.knobs = kernel::FormatKnobs(o.profiles[static_cast<size_t>(profile)].knobs);
  if (schedule != nullptr) {
    EngineSpec replay = o.engine;
    replay.strategy = harness::StrategySpec::Replay(std::move(schedule));
    SetTokenEngine(replay, t);
  } else {
    SetTokenEngine(o.engine, t);
  }
  t.seed = RunSeed(o.seed, run);
  t.run = run;
  t.invariant = std::string(f.invariant.name());
  t.trace_hash = trace_hash;
  return t;
}

namespace {

// A distinct finding: same place, same invariant, same words.
using DistinctKey = std::tuple<std::string, int, int, int, std::string>;
// Where the cap on distinct findings applies: invariant, board, profile, signature.
using CapKey = std::tuple<std::string, int, int, std::string>;
// A distinct finding's place in its CapKey's order: run, message, severity.
using CapRank = std::tuple<uint64_t, std::string, int>;

class Campaign {
 public:
  explicit Campaign(const CampaignOptions& o) : o_(o), start_(Clock::now()) {
    combos_ = o.boards.size() * o.profiles.size();
    dfs_ = o.engine.strategy.Is(harness::StrategySpec::Kind::kDfs) && !o.engine.free();
    deadline_ = start_ + std::chrono::duration_cast<Clock::duration>(
                             std::chrono::duration<double>(o.time_budget_seconds));
    if (o.runs > 0) {
      const auto mine = ShardRuns(o.runs, o.shard_index, o.shard_count);
      total_units_ = mine.size() * combos_;
    }
  }

  CampaignResult Run() {
    std::thread progress;
    if (o_.progress) progress = std::thread([this] { ProgressLoop(); });
    if (dfs_) {
      RunDfs();
    } else {
      const int jobs = std::max(1, o_.jobs);
      tbb::task_arena arena(jobs);
      arena.execute([&] {
        tbb::task_group g;
        for (int i = 0; i < jobs; ++i) g.run([this, i, jobs] { Worker(i, jobs); });
        g.wait();
      });
    }
    {
      std::lock_guard<std::mutex> l(progress_mu_);
      finished_ = true;
    }
    progress_cv_.notify_all();
    if (progress.joinable()) {
      progress.join();
      o_.progress->Done();
    }
    return Finish();
  }

 private:
  bool HasHardDeadline() const { return o_.hard_deadline != Clock::time_point{}; }
  int Interrupted() const {
    return o_.interrupt == nullptr ? 0 : o_.interrupt->load(std::memory_order_relaxed);
  }
  bool TimeUp() const {
    if (Interrupted() != 0) return true;
    const auto now = Clock::now();
    return (o_.runs == 0 && now >= deadline_) || (HasHardDeadline() && now >= o_.hard_deadline);
  }
  double Elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

  // Unit u -> (run index, board, profile).
  bool Unit(uint64_t u, uint64_t& run, int& board, int& profile) const {
    const uint64_t k = u / combos_;
    const uint64_t combo = u % combos_;
    run = static_cast<uint64_t>(o_.shard_index) + k * static_cast<uint64_t>(o_.shard_count);
    if (o_.runs > 0 && run >= o_.runs) return false;
    board = static_cast<int>(combo / o_.profiles.size());
    profile = static_cast<int>(combo % o_.profiles.size());
    return true;
  }

  // Run order of (run, board, profile): by run, then board x profile as Unit() numbers them.
  uint64_t Order(uint64_t run, int board, int profile) const {
    return run * combos_ + static_cast<uint64_t>(board) * o_.profiles.size() +
           static_cast<uint64_t>(profile);
  }

  void Worker(int job, int jobs) {
    std::unique_ptr<harness::Strategy> strategy;
    if (!o_.engine.free()) strategy = harness::MakeStrategy(o_.engine.strategy);
    for (uint64_t u = static_cast<uint64_t>(job); !stop_.load(std::memory_order_relaxed) && !TimeUp();
         u += static_cast<uint64_t>(jobs)) {
      uint64_t run = 0;
      int board = 0, profile = 0;
      if (!Unit(u, run, board, profile)) return;
      OneRun(run, board, profile, strategy.get());
    }
  }

  // dfs: one strategy per board x profile, explored in order; run r is the r-th schedule.
  void RunDfs() {
    for (size_t b = 0; b < o_.boards.size(); ++b) {
      for (size_t p = 0; p < o_.profiles.size(); ++p) {
        auto s = harness::MakeStrategy(o_.engine.strategy);
        for (uint64_t run = 0; !stop_ && !TimeUp() && (o_.runs == 0 || run < o_.runs); ++run) {
          const bool mine = run % static_cast<uint64_t>(o_.shard_count) ==
                            static_cast<uint64_t>(o_.shard_index);
          OneRun(run, static_cast<int>(b), static_cast<int>(p), s.get(), !mine);
          if (!s->Next()) break;
        }
      }
    }
  }

  void OneRun(uint64_t run, int board, int profile, harness::Strategy* strategy,
              bool uncounted = false) {
    const auto& b = *o_.boards[static_cast<size_t>(board)].board;
    const auto& prof = o_.profiles[static_cast<size_t>(profile)];
    EngineSpec spec = o_.engine;
    if (o_.runs == 0 || HasHardDeadline()) {
      // A run still going at the deadline is cut and discarded; the deadline never changes the
      // schedule of a run that finishes.
      Clock::time_point until = o_.runs == 0 ? deadline_ : o_.hard_deadline;
      if (HasHardDeadline()) until = std::min(until, o_.hard_deadline);
      spec.options.wall_deadline_seconds =
          std::max(0.001, std::chrono::duration<double>(until - Clock::now()).count());
    }
    spec.options.interrupt = o_.interrupt;
    const uint64_t seed = RunSeed(o_.seed, run);
    const bool keep_trace = o_.keep_free_traces && o_.engine.free();
    auto m = ExecuteRun(b, prof, spec, seed, strategy, keep_trace);
    if (uncounted) return;
    const double wall = Elapsed();
    std::lock_guard<std::mutex> l(mu_);
    if (!m.ok()) {
      if (++result_.model_errors == 1) {
        result_.first_error = absl::StrCat("run ", run, " on ", o_.boards[static_cast<size_t>(board)].spec,
                                           " / ", prof.name, ": ", m.status().message());
      }
      return;
    }
    const harness::RunResult& r = m->result;
    if (r.ending == harness::Ending::kWallDeadline || r.ending == harness::Ending::kInterrupted) {
      // cut by the budget or a signal: not counted
      ++result_.cut_by_budget;
      return;
    }
    ++result_.runs;
    const bool incomplete = harness::Incomplete(r.ending);
    if (incomplete) ++result_.incomplete;
    const harness::Exploration* x = strategy != nullptr ? strategy->exploration() : nullptr;
    if (x != nullptr) NoteExploration(*strategy, *x, r, Order(run, board, profile));
    runs_done_.fetch_add(1, std::memory_order_relaxed);
    result_.schedule_points += r.steps;
    points_.fetch_add(r.steps, std::memory_order_relaxed);
    result_.max_live_tasks = std::max(result_.max_live_tasks, r.max_live_tasks);
    ++result_.endings[harness::EndingName(r.ending)];
    for (const kernel::ProbeInfo& p : kernel::kProbes) {
      if (m->probes[static_cast<size_t>(p.id)] != 0) ++result_.probes[std::string(p.name)];
    }
    std::vector<std::string> violated;
    for (const harness::Finding& f : r.findings) {
      const std::string id(f.invariant.name());
      InvariantCount& c = result_.summary[id];
      if (f.severity == harness::Severity::kViolation) {
        ++c.violations;
        if (std::find(violated.begin(), violated.end(), id) == violated.end()) {
          violated.push_back(id);
          ++c.runs_violated;
        }
        const size_t idx = kernel::invariants::Registry().Rank(f.invariant);
        if (idx < by_id_.size()) by_id_[idx].fetch_add(1, std::memory_order_relaxed);
        if (o_.stop_on_first && (o_.stop_invariant.empty() || o_.stop_invariant == id)) {
          stop_ = true;
          result_.stopped_early = true;
        }
      } else {
        ++c.warnings;
      }
      if (c.first_run < 0 || static_cast<uint64_t>(c.first_run) > run) {
        c.first_run = static_cast<int64_t>(run);
      }
      if (c.first_wall_seconds == 0 || wall < c.first_wall_seconds) c.first_wall_seconds = wall;
      const DistinctKey key{id, board, profile, static_cast<int>(f.severity), f.message};
      auto it = distinct_.find(key);
      if (it != distinct_.end() && it->second.run <= run) continue;
      const FoundRecord* old = it == distinct_.end() ? nullptr : &it->second;
      if (!KeepDistinct(key, harness::Signature(f), old, run)) continue;
      FoundRecord rec;
      rec.finding = f;
      rec.board = board;
      rec.profile = profile;
      rec.run = run;
      rec.seed = seed;
      rec.trace_hash = r.trace_hash;
      rec.wall_seconds = wall;
      const bool by_schedule = dfs_ || (strategy != nullptr && !strategy->SeedReproduces());
      rec.token = MakeToken(o_, board, profile, run, f, r.trace_hash, by_schedule ? m->schedule : nullptr);
      if (incomplete) rec.incomplete_run = r.ending;
      distinct_[key] = std::move(rec);
    }
    if (keep_trace && !r.findings.empty()) KeepFreeTrace(run, std::move(*m));
  }

  // REQUIRES: mu_. Keeps at most cap_per_key distinct findings per invariant x board x profile x
  // signature (harness::Signature) while the campaign runs, the first ones in (run, message,
  // severity) order, exactly those that Finish() keeps: a long campaign with many distinct
  // findings holds (and, with a learning strategy, keeps schedules for) only those. `key` is
  // about to be recorded from `run`, replacing `old` (a record of a later run) if not null.
  // False when it falls outside the cap.
  bool KeepDistinct(const DistinctKey& key, const std::string& signature, const FoundRecord* old,
                    uint64_t run) {
    const auto& [id, board, profile, severity, message] = key;
    if (o_.cap_per_key == 0) return false;
    if (old != nullptr) {
      cap_ranks_[CapKey{id, board, profile, harness::Signature(old->finding)}].erase(
          CapRank{old->run, message, severity});
    }
    std::set<CapRank>& ranks = cap_ranks_[CapKey{id, board, profile, signature}];
    const CapRank rank{run, message, severity};
    if (old == nullptr && ranks.size() >= o_.cap_per_key && rank > *ranks.rbegin()) return false;
    ranks.insert(rank);
    if (ranks.size() > o_.cap_per_key) {
      const auto& [last_run, last_message, last_severity] = *ranks.rbegin();
      distinct_.erase(DistinctKey{id, board, profile, last_severity, last_message});
      ranks.erase(std::prev(ranks.end()));
    }
    return true;
  }

  // REQUIRES: mu_. Coverage of the campaign and the tally of the strategy (arm) that ran. A pair
  // is credited to the first run that found it in run order (run, board, profile), not in the
  // order runs finish, so that jobs racing to finish do not change the report: each pair keeps
  // the least order of the runs that found it, and Finish() credits the arms and fills the curve.
  void NoteExploration(const harness::Strategy& strategy, const harness::Exploration& x,
                       const harness::RunResult& r, uint64_t order) {
    ExplorationResult& e = result_.exploration;
    e.recorded = true;
    for (const harness::SitePair& p : x.recorder.pairs()) {
      const auto [it, fresh] = pair_first_.try_emplace(p.Key(), order);
      if (!fresh) it->second = std::min(it->second, order);
    }
    for (const harness::SitePair& p : x.recorder.reads_from()) rf_keys_.insert(p.Key());
    e.pairs = pair_first_.size();
    e.reads_from = rf_keys_.size();
    pairs_total_.store(e.pairs, std::memory_order_relaxed);
    ArmRecord& a = e.arms[strategy.Arm()];
    ++a.runs;
    explored_.emplace_back(order, &a);  // a std::map's elements stay where they are
    std::vector<std::string> seen;
    for (const harness::Finding& f : r.findings) {
      if (f.severity != harness::Severity::kViolation) continue;
      const std::string id(f.invariant.name());
      if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
      seen.push_back(id);
      ++a.violations[id];
    }
  }

  // REQUIRES: mu_. Each pair to the arm of the first run in run order that found it; the curve
  // counts new pairs per 100 explored runs in that order.
  void CreditPairs() {
    ExplorationResult& e = result_.exploration;
    if (!e.recorded) return;
    const auto by_order = [](const auto& x, const auto& y) { return x.first < y.first; };
    std::sort(explored_.begin(), explored_.end(), by_order);
    e.curve.assign((explored_.size() + 99) / 100, 0);
    for (const auto& [key, order] : pair_first_) {  // any order: each pair adds one to counts
      const auto it = std::lower_bound(explored_.begin(), explored_.end(),
                                       std::make_pair(order, nullptr), by_order);
      ++e.curve[static_cast<size_t>(it - explored_.begin()) / 100];
      ++it->second->new_pairs;
    }
  }

  // REQUIRES: mu_. `m` reported findings; it replaces kept runs of higher index.
  void KeepFreeTrace(uint64_t run, kernel::ModelRun m) {
    std::vector<std::string> take;
    for (const harness::Finding& f : m.result.findings) {
      const std::string id(f.invariant.name());
      auto it = result_.free_traces.find(id);
      if (it == result_.free_traces.end() || it->second.run > run) take.push_back(id);
    }
    if (take.empty()) return;
    auto shared = std::make_shared<const kernel::ModelRun>(std::move(m));
    for (const std::string& id : take) result_.free_traces[id] = {run, shared};
  }

  CampaignResult Finish() {
    std::lock_guard<std::mutex> l(mu_);
    result_.wall_seconds = Elapsed();
    result_.interrupted = Interrupted();
    for (const kernel::ProbeInfo& p : kernel::kProbes) result_.probes.emplace(p.name, 0);
    // Every unit of a fixed campaign either finished, was cut by the deadline (not counted) or
    // was never started; a stop at the first violation leaves units undone on purpose.
    if (HasHardDeadline() && o_.runs > 0 && !result_.stopped_early &&
        result_.runs + result_.model_errors < total_units_) {
      result_.out_of_time = true;
    }
    std::vector<FoundRecord> all;
    for (auto& [k, rec] : distinct_) all.push_back(std::move(rec));
    std::sort(all.begin(), all.end(), [](const FoundRecord& a, const FoundRecord& b) {
      const harness::InvariantRegistry& reg = kernel::invariants::Registry();
      return std::make_tuple(reg.Rank(a.finding.invariant), a.finding.invariant.name(), a.run, a.board,
                             a.profile, a.finding.message, a.finding.severity) <
             std::make_tuple(reg.Rank(b.finding.invariant), b.finding.invariant.name(), b.run, b.board,
                             b.profile, b.finding.message, b.finding.severity);
    });
    result_.findings = std::move(all);  // already within cap_per_key (KeepDistinct)
    CreditPairs();
    return std::move(result_);
  }

  void ProgressLoop() {
    const auto t0 = Clock::now();
    std::unique_lock<std::mutex> l(progress_mu_);
    while (!finished_) {
      progress_cv_.wait_for(l, std::chrono::milliseconds(250));
      if (finished_) break;
      CampaignProgress p;
      p.runs = runs_done_.load();
      p.total_runs = total_units_;
      p.elapsed_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
      p.schedule_points = points_.load();
      p.conflict_pairs = pairs_total_.load();
      const harness::InvariantRegistry& reg = kernel::invariants::Registry();
      for (size_t i = 0; i < reg.size(); ++i) {
        const uint64_t n = by_id_[i].load();
        if (n > 0) p.violations.emplace_back(std::string(reg.all()[i].name()), n);
      }
      if (o_.runs == 0) {
        p.seconds_left =
            std::max(0.0, std::chrono::duration<double>(deadline_ - Clock::now()).count());
      }
      o_.progress->Update(p);
    }
  }

  const CampaignOptions& o_;
  const Clock::time_point start_;
  Clock::time_point deadline_;
  size_t combos_ = 1;
  bool dfs_ = false;
  uint64_t total_units_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> runs_done_{0};
  std::atomic<uint64_t> points_{0};
  std::atomic<uint64_t> pairs_total_{0};
  // Violations by the registry rank of their invariant (the progress line).
  std::vector<std::atomic<uint64_t>> by_id_ =
      std::vector<std::atomic<uint64_t>>(kernel::invariants::Registry().size());

  std::mutex mu_;  // guards result_ and distinct_
  CampaignResult result_;
  std::map<DistinctKey, FoundRecord> distinct_;
  std::map<CapKey, std::set<CapRank>> cap_ranks_;  // the ranks of distinct_'s records
  // Campaign-wide coverage: each conflict pair with the least run order that found it, the
  // reads-from edges, and the run order and arm of each explored run.
  absl::flat_hash_map<uint64_t, uint64_t> pair_first_;
  absl::flat_hash_set<uint64_t> rf_keys_;
  std::vector<std::pair<uint64_t, ArmRecord*>> explored_;

  std::mutex progress_mu_;
  std::condition_variable progress_cv_;
  bool finished_ = false;
};

}  // namespace

CampaignResult RunCampaign(const CampaignOptions& options) { return Campaign(options).Run(); }

}  // namespace probestorm::stress
