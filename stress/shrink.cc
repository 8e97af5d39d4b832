#include "stress/shrink.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "stress/boards.h"
#include "stress/campaign.h"

namespace probestorm::stress {
namespace {

using Clock = std::chrono::steady_clock;

// A schedule as the switches it made. At each choice point the task that was running (or, if it
// blocked, the last task picked) is at its n-th choice point; a switch says "there, run `to`". A
// preemption is a switch away from a task that could have gone on. Keyed by the progress of the
// task, a schedule with one preemption removed still lines up with the rest: the preempted task
// goes on, and every later switch happens at the same point of the same task. (Following the
// recorded indices instead shifts every later choice and trades one preemption for another.)
struct SwitchKey {
  harness::TaskId from;
  uint64_t at;
  bool operator==(const SwitchKey&) const = default;
  template <typename H>
  friend H AbslHashValue(H h, const SwitchKey& k) {
    return H::combine(std::move(h), k.from, k.at);
  }
};
struct Switch {
  SwitchKey key;
  harness::TaskId to;
  bool preemption;
};

// Follows either the recorded choices of a run (to translate them into switches) or a plan of
// switches, keeping the running task where the plan has none; records the switches it made.
class SwitchStrategy final : public harness::Strategy {
 public:
  explicit SwitchStrategy(const harness::Schedule* choices) : choices_(choices) {}
  SwitchStrategy(const std::vector<Switch>& plan, const absl::flat_hash_set<size_t>& drop) {
    for (size_t i = 0; i < plan.size(); ++i) {
      if (!drop.contains(i)) plan_[plan[i].key] = plan[i];
    }
  }
  void Begin(uint64_t) override {
    pos_ = 0;
    last_ = harness::kNoTask;
    progress_.clear();
    made_.clear();
    preemptions_ = 0;
  }
  size_t Pick(const harness::SchedView& v) override {
    const SwitchKey key{v.current != harness::kNoTask ? v.current : last_, 0};
    SwitchKey k = key;
    k.at = progress_[key.from]++;
    const int cur = IndexOf(v, v.current);
    size_t c = 0;
    if (choices_ != nullptr) {
      c = pos_ < choices_->choices.size() ? choices_->choices[pos_] % v.runnable.size()
                                          : static_cast<size_t>(std::max(cur, 0));
    } else if (auto it = plan_.find(k);
               it != plan_.end() && (it->second.preemption || cur < 0) && IndexOf(v, it->second.to) >= 0) {
      // A switch the plan made because its task blocked is no preemption to make here.
      c = static_cast<size_t>(IndexOf(v, it->second.to));
    } else {
      c = static_cast<size_t>(std::max(cur, 0));
    }
    ++pos_;
    last_ = v.runnable[c];
    if (last_ != k.from) {
      const bool preemption = cur >= 0;
      made_.push_back({k, last_, preemption});
      preemptions_ += preemption ? 1 : 0;
    }
    return c;
  }
  std::string Name() const override { return "shrink"; }
  const std::vector<Switch>& switches() const { return made_; }
  size_t preemptions() const { return preemptions_; }

 private:
  static int IndexOf(const harness::SchedView& v, harness::TaskId t) {
    const auto it = std::lower_bound(v.runnable.begin(), v.runnable.end(), t);
    return it != v.runnable.end() && *it == t ? static_cast<int>(it - v.runnable.begin()) : -1;
  }

  const harness::Schedule* choices_ = nullptr;
  absl::flat_hash_map<SwitchKey, Switch> plan_;
  size_t pos_ = 0;
  harness::TaskId last_ = harness::kNoTask;
  absl::flat_hash_map<harness::TaskId, uint64_t> progress_;
  std::vector<Switch> made_;
  size_t preemptions_ = 0;
};

size_t AvailableOf(const hwmodel::Board& b, const std::vector<int>& nodes) {
  size_t n = 0;
  for (int i : nodes) n += b.node(i).available ? 1 : 0;
  return n;
}

ShrinkSize Measure(const hwmodel::Board& b, const kernel::Profile& p, const kernel::ModelRun& m,
             size_t preemptions) {
  ShrinkSize s;
  s.devices = b.devices.size();
  s.masters = AvailableOf(b, b.masters);
  s.sysmmus = AvailableOf(b, b.sysmmus);
  s.tasks = m.result.tasks;
  s.choices = m.schedule != nullptr ? m.schedule->choices.size() : 0;
  s.preemptions = preemptions;
  s.steps = m.result.steps;
  s.virtual_time = m.result.virtual_time;
  s.churn = p.knobs.churn;
  return s;
}


}  // namespace

absl::StatusOr<ShrinkResult> Shrink(const TokenRun& start, Clock::time_point deadline) {
  const auto time_left = [&] { return Clock::now() < deadline; };

  TokenRun cur = start;
  const std::string id = cur.token.invariant;
  auto orig = RunToken(cur, false);
  if (!orig.ok()) return orig.status();
  if (!HasViolation(*orig, id)) {
    return absl::FailedPreconditionError(
        absl::StrCat("the token's run does not fail ", id, ": nothing to shrink"));
  }
  // Count the original preemptions by following the recorded schedule.
  size_t preemptions = 0;
  {
    SwitchStrategy follow(orig->schedule.get());
    auto m = ExecuteRun(*cur.board, cur.profile, cur.spec, cur.token.seed, &follow);
    if (m.ok()) preemptions = follow.preemptions();
  }
  const ShrinkSize before = Measure(*cur.board, cur.profile, *orig, preemptions);
  kernel::ModelRun best = std::move(*orig);
  int attempts = 0;

  // Tries (board, profile) with the token's strategy over a few seeds; adopts the first failure.
  const auto try_config = [&](const hwmodel::Board& board, const kernel::Profile& profile,
                              std::vector<std::string> disabled) {
    EngineSpec spec = cur.spec;
    if (spec.replays()) spec.strategy = harness::StrategySpec{};  // a replay has no seeds to try
    for (uint64_t k = 0; k < 8 && time_left(); ++k) {
      const uint64_t seed = k == 0 ? cur.token.seed : RunSeed(cur.token.seed, k);
      ++attempts;
      auto m = ExecuteRun(board, profile, spec, seed);
      if (m.ok() && HasViolation(*m, id)) {
        cur.board = std::make_shared<hwmodel::Board>(board);
        cur.profile = profile;
        cur.token.seed = seed;
        cur.token.disabled = std::move(disabled);
        cur.spec.strategy = harness::StrategySpec::Replay(m->schedule);
        best = std::move(*m);
        return true;
      }
    }
    return false;
  };

  // 1. Board: drop uninvolved masters and SysMMUs.
  if (const harness::Finding* f = ViolationOf(best, id)) {
    const hwmodel::Board& b = *cur.board;
    const auto involved = [&](int node) {
      return std::find(f->devices.begin(), f->devices.end(), b.node(node).device_name) !=
             f->devices.end();
    };
    std::vector<int> drop_masters, keep_masters;
    for (int m : b.masters) {
      if (!b.node(m).available) continue;
      (involved(m) ? keep_masters : drop_masters).push_back(m);
    }
    std::vector<int> drop_sysmmus;
    for (int s : b.sysmmus) {
      if (!b.node(s).available || involved(s)) continue;
      bool used = false;
      for (int m : keep_masters) {
        for (const auto& ref : b.node(m).iommus) used |= ref.node == s;
      }
      if (!used) drop_sysmmus.push_back(s);
    }
    std::vector<std::vector<int>> candidates;
    if (!drop_masters.empty() || !drop_sysmmus.empty()) {
      std::vector<int> all = drop_masters;
      all.insert(all.end(), drop_sysmmus.begin(), drop_sysmmus.end());
      candidates.push_back(all);
    }
    if (!drop_masters.empty() && !drop_sysmmus.empty()) candidates.push_back(drop_masters);
    if (drop_masters.size() > 1) {
      candidates.emplace_back(drop_masters.begin(), drop_masters.begin() + drop_masters.size() / 2);
    }
    for (const auto& cand : candidates) {
      if (!time_left()) break;
      std::vector<std::string> disabled = cur.token.disabled;
      for (int n : cand) disabled.push_back(b.node(n).path);
      auto reduced = LoadBoardSpec(cur.token.board);
      if (!reduced.ok() || !DisableNodes(*reduced, disabled).ok()) break;
      if (try_config(*reduced, cur.profile, disabled)) break;
    }
  }

  // 2. Churn off.
  if (cur.profile.knobs.churn > 0 && time_left()) {
    kernel::Profile p = cur.profile;
    p.knobs.churn = 0;
    const hwmodel::Board board = *cur.board;
    try_config(board, p, cur.token.disabled);
  }

  // 3. Preemptions: drop chunks of them, halving the chunk when none can go (delta debugging).
  std::vector<Switch> switches;
  {
    SwitchStrategy follow(best.schedule.get());
    ++attempts;
    auto m = ExecuteRun(*cur.board, cur.profile, cur.spec, cur.token.seed, &follow);
    if (m.ok() && HasViolation(*m, id)) {
      switches = follow.switches();
      best = std::move(*m);
    }
  }
  const auto preemptions_of = [](const std::vector<Switch>& sw) {
    std::vector<size_t> pre;
    for (size_t i = 0; i < sw.size(); ++i) {
      if (sw[i].preemption) pre.push_back(i);
    }
    return pre;
  };
  std::vector<size_t> pre = preemptions_of(switches);
  size_t chunk = std::max<size_t>(1, pre.size() / 2);
  while (!pre.empty() && time_left()) {
    bool progress = false;
    for (size_t start = 0; start < pre.size() && time_left(); start += chunk) {
      absl::flat_hash_set<size_t> drop;
      for (size_t i = start; i < std::min(pre.size(), start + chunk); ++i) drop.insert(pre[i]);
      SwitchStrategy s(switches, drop);
      ++attempts;
      auto m = ExecuteRun(*cur.board, cur.profile, cur.spec, cur.token.seed, &s);
      if (m.ok() && HasViolation(*m, id) && s.preemptions() < pre.size()) {
        switches = s.switches();
        pre = preemptions_of(switches);
        best = std::move(*m);
        progress = true;
        break;
      }
    }
    if (!progress) {
      if (chunk == 1) break;
      chunk = std::max<size_t>(1, chunk / 2);
    } else {
      chunk = std::min(chunk, std::max<size_t>(1, pre.size() / 2));
    }
  }
  cur.spec.strategy = harness::StrategySpec::Replay(best.schedule);

  // 4. Virtual time: stop just after the finding.
  if (const harness::Finding* f = ViolationOf(best, id); f != nullptr && time_left()) {
    const harness::Nanos cut = f->virtual_time_ns + harness::kMsec;
    if (cut < cur.spec.options.max_virtual_time) {
      EngineSpec spec = cur.spec;
      spec.options.max_virtual_time = cut;
      SwitchStrategy follow(best.schedule.get());
      ++attempts;
      auto m = ExecuteRun(*cur.board, cur.profile, spec, cur.token.seed, &follow);
      if (m.ok() && HasViolation(*m, id)) {
        cur.spec = spec;
        cur.spec.strategy = harness::StrategySpec::Replay(m->schedule);
        best = std::move(*m);
      }
    }
  }

  // Final: the exact replay of the reduced run, with its trace.
  cur.token.knobs = kernel::FormatKnobs(cur.profile.knobs);
  SetTokenEngine(cur.spec, cur.token);
  auto fin = RunToken(cur, /*keep_trace=*/true);
  if (!fin.ok()) return fin.status();
  if (!HasViolation(*fin, id)) {
    return absl::FailedPreconditionError(
        "the reduced schedule did not reproduce on replay (model not deterministic?)");
  }
  cur.token.trace_hash = fin->result.trace_hash;
  size_t final_pre = 0;
  {
    SwitchStrategy follow(fin->schedule.get());
    auto m = ExecuteRun(*cur.board, cur.profile, cur.spec, cur.token.seed, &follow);
    if (m.ok()) final_pre = follow.preemptions();
  }
  const ShrinkSize after = Measure(*cur.board, cur.profile, *fin, final_pre);

  ShrinkResult out;
  out.before = before;
  out.after = after;
  out.attempts = attempts;
  out.run = std::move(*fin);
  out.shrunk = std::move(cur);
  return out;
}

}  // namespace probestorm::stress
