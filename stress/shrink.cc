#include "stress/shrink.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "stress/boards.h"
#include "stress/campaign.h"

namespace probestorm::stress {
namespace {

using Clock = std::chrono::steady_clock;


using Clock = std::chrono::steady_clock;

// Follows `base` choice by choice (clamped to the runnable set), except at the choice points in
// `keep`, where it keeps the current task running if it can; records where it preempted.
class ShrinkStrategy final : public harness::Strategy {
 public:
  ShrinkStrategy(std::vector<uint32_t> base, std::vector<bool> keep)
      : base_(std::move(base)), keep_(std::move(keep)) {}
  void Begin(uint64_t) override {
    pos_ = 0;
    preemptions_.clear();
  }
  size_t Pick(const harness::SchedView& v) override {
    const size_t i = pos_++;
    int cur = -1;
    for (size_t k = 0; k < v.runnable.size(); ++k) {
      if (v.runnable[k] == v.current) cur = static_cast<int>(k);
    }
    size_t c = 0;
    if (i < keep_.size() && keep_[i] && cur >= 0) {
      c = static_cast<size_t>(cur);
    } else if (i < base_.size()) {
      c = base_[i] % v.runnable.size();
    } else {
      c = cur >= 0 ? static_cast<size_t>(cur) : 0;
    }
    if (cur >= 0 && c != static_cast<size_t>(cur)) preemptions_.push_back(i);
    return c;
  }
  std::string Name() const override { return "shrink"; }
  const std::vector<size_t>& preemptions() const { return preemptions_; }

 private:
  std::vector<uint32_t> base_;
  std::vector<bool> keep_;
  size_t pos_ = 0;
  std::vector<size_t> preemptions_;
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
    ShrinkStrategy follow(orig->schedule->choices, {});
    auto m = ExecuteRun(*cur.board, cur.profile, cur.spec, cur.token.seed, &follow);
    if (m.ok()) preemptions = follow.preemptions().size();
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

  // 3. Preemptions.
  std::vector<size_t> pre;
  {
    ShrinkStrategy follow(best.schedule->choices, {});
    ++attempts;
    auto m = ExecuteRun(*cur.board, cur.profile, cur.spec, cur.token.seed, &follow);
    if (m.ok() && HasViolation(*m, id)) {
      pre = follow.preemptions();
      best = std::move(*m);
    }
  }
  size_t chunk = std::max<size_t>(1, pre.size() / 2);
  while (!pre.empty() && time_left()) {
    bool progress = false;
    for (size_t start = 0; start < pre.size() && time_left(); start += chunk) {
      std::vector<bool> keep(best.schedule->choices.size(), false);
      for (size_t i = start; i < std::min(pre.size(), start + chunk); ++i) keep[pre[i]] = true;
      ShrinkStrategy s(best.schedule->choices, keep);
      ++attempts;
      auto m = ExecuteRun(*cur.board, cur.profile, cur.spec, cur.token.seed, &s);
      if (m.ok() && HasViolation(*m, id) && s.preemptions().size() < pre.size()) {
        pre = s.preemptions();
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
      ShrinkStrategy follow(best.schedule->choices, {});
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
    ShrinkStrategy follow(fin->schedule->choices, {});
    auto m = ExecuteRun(*cur.board, cur.profile, cur.spec, cur.token.seed, &follow);
    if (m.ok()) final_pre = follow.preemptions().size();
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
