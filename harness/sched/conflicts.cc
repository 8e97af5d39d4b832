#include "harness/sched/conflicts.h"

#include <algorithm>
#include <atomic>

#include "harness/rng.h"

namespace probestorm::harness {
namespace {

uint64_t Mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Distinct readers of an object remembered between two writes: enough for the pairs that matter
// (a flag polled by many tasks would otherwise grow without bound).
constexpr size_t kMaxReaders = 8;

std::atomic<uint64_t> next_epoch{1};

}  // namespace

const ConflictRecorder::Pending ConflictRecorder::kNone{};

SiteId SiteOfHashes(uint64_t func_hash, uint64_t kind_hash, bool write) {
  const uint64_t h = Mix(func_hash ^ Mix(kind_hash));
  return (h & ~uint64_t{1}) | (write ? 1 : 0);
}

SiteId MakeSite(std::string_view func, uint64_t kind_hash, bool write) {
  return SiteOfHashes(Rng::Hash(func), kind_hash, write);
}

uint64_t ConflictRecorder::TextHash(const char* text) {
  auto [it, added] = text_hash_.try_emplace(text, 0);
  if (added) it->second = Rng::Hash(text);
  return it->second;
}

uint64_t SitePair::Key() const { return Mix(first * 0x9e3779b97f4a7c15ULL + second); }

void ConflictRecorder::BeginRun() {
  pending_.clear();
  events_.clear();
  epoch_ = next_epoch.fetch_add(1, std::memory_order_relaxed);
  objects_.assign(1, ObjectState{});
  text_hash_.clear();
  seen_pairs_.clear();
  seen_rf_.clear();
  pairs_.clear();
  rf_.clear();
}

void ConflictRecorder::Announce(TaskId t, ObjectId object, SiteId site) {
  if (pending_.size() <= t) pending_.resize(t + 1);
  pending_[t] = {object, site};
}

void ConflictRecorder::AddPair(SiteId a, SiteId b) {
  const SitePair p{a, b};
  if (seen_pairs_.insert(p.Key()).second) pairs_.push_back(p);
}

void ConflictRecorder::Access(TaskId t, ObjectId object, SiteId site) {
  if (t == kNoTask) return;
  if (pending_.size() <= t) pending_.resize(t + 1);
  pending_[t] = {};
  if (events_.size() <= t) events_.resize(t + 1, 0);
  ++events_[t];
  ObjectState& o = objects_[object];
  const bool write = SiteWrites(site);
  if (o.writer != kNoTask && o.writer != t) {
    AddPair(o.write_site, site);
    if (!write) {
      const SitePair e{o.write_site, site};
      if (seen_rf_.insert(e.Key()).second) rf_.push_back(e);
    }
  }
  if (write) {
    for (const auto& [reader, rsite] : o.readers) {
      if (reader != t) AddPair(rsite, site);
    }
    o.readers.clear();
    o.writer = t;
    o.write_site = site;
    return;
  }
  const std::pair<TaskId, SiteId> r{t, site};
  if (o.readers.size() < kMaxReaders && std::find(o.readers.begin(), o.readers.end(), r) == o.readers.end()) {
    o.readers.push_back(r);
  }
}

RunYield Corpus::Merge(const ConflictRecorder& run, const Schedule& schedule, uint64_t shared_steps,
                       const std::vector<std::string>& violated) {
  RunYield y;
  ++runs_;
  // A run counts at most twice the average before it: a run stuck in a priority livelock until
  // conflict's guard gave up on its priorities would otherwise raise the average, and with it
  // the guard of the next runs (on the double-iommu-probe board single runs reached 70x the
  // typical length, each longer than the last).
  const double steps = static_cast<double>(shared_steps);
  const double counted = runs_ == 1 ? steps : std::min(steps, 2 * shared_steps_);
  shared_steps_ += (counted - shared_steps_) / static_cast<double>(runs_);
  for (const SitePair& p : run.pairs()) {
    if (pair_keys_.insert(p.Key()).second) {
      pairs_.push_back(p);
      ++y.new_pairs;
    }
  }
  for (const SitePair& e : run.reads_from()) {
    if (rf_keys_.insert(e.Key()).second) {
      rf_.push_back(e);
      ++y.new_reads_from;
    }
  }
  if (y.new_pairs > 0 && !schedule.choices.empty()) {
    if (productive_.size() < kMaxPrefixes) {
      productive_.push_back(schedule);
    } else {
      productive_[next_slot_] = schedule;
      next_slot_ = (next_slot_ + 1) % kMaxPrefixes;
    }
  }
  y.violated = !violated.empty();
  for (const std::string& kind : violated) {
    if (kinds_.insert(kind).second) y.new_kind = true;
  }
  return y;
}

}  // namespace probestorm::harness
