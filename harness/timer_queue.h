// TimerQueue: the pending timers of an engine, in firing order, with cancellation by id.
//
// Both engines keep their virtual-time events here: timers started by the model (StartTimer), and
// in the controlled engine also the wake-ups of sleeping and parked tasks. The order is (deadline,
// id), and ids grow, so timers due at the same time fire in the order they were started; that
// order is part of a controlled run's schedule and must not change. A timer may be "waited for":
// the engines end a run when no task can run and no waited-for timer is pending (daemon wake-ups
// are not worth advancing time to), which `waited()` answers in O(1).
//
// Thread-safety: none; each engine guards its queue (the controlled engine runs on one thread, the
// free engine holds its mutex).
#ifndef PROBESTORM_HARNESS_TIMER_QUEUE_H_
#define PROBESTORM_HARNESS_TIMER_QUEUE_H_

#include <cstddef>
#include <iterator>
#include <map>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "harness/engine.h"

namespace probestorm::harness {

template <typename Rec>
class TimerQueue {
 public:
  // Adds a timer due at `deadline` and returns its id and record (for the caller to fill in
  // what needs the id or a stable address).
  std::pair<TimerId, Rec&> Add(Nanos deadline, Rec rec, bool waited = true) {
    const TimerId id = next_id_++;
    auto it = timers_.emplace(Key{deadline, id}, Entry{std::move(rec), waited}).first;
    deadlines_.emplace(id, deadline);
    if (waited) ++waited_;
    return {id, it->second.rec};
  }

  // True if the timer was pending and is now gone; false if it already fired or never existed.
  bool Cancel(TimerId id) {
    auto d = deadlines_.find(id);
    if (d == deadlines_.end()) return false;
    auto it = timers_.find(Key{d->second, id});
    if (it->second.waited) --waited_;
    timers_.erase(it);
    deadlines_.erase(d);
    return true;
  }

  bool empty() const { return timers_.empty(); }
  size_t size() const { return timers_.size(); }
  // Pending timers that were added with `waited`.
  size_t waited() const { return waited_; }
  // REQUIRES: !empty().
  Nanos next_deadline() const { return timers_.begin()->first.first; }

  // Removes the earliest timer and returns its id and record. REQUIRES: !empty().
  std::pair<TimerId, Rec> PopFirst() {
    auto it = timers_.begin();
    std::pair<TimerId, Rec> out{it->first.second, std::move(it->second.rec)};
    if (it->second.waited) --waited_;
    deadlines_.erase(out.first);
    timers_.erase(it);
    return out;
  }

  void Clear() {
    timers_.clear();
    deadlines_.clear();
    waited_ = 0;
  }

 private:
  using Key = std::pair<Nanos, TimerId>;
  struct Entry {
    Rec rec;
    bool waited;
  };
  std::map<Key, Entry> timers_;
  absl::flat_hash_map<TimerId, Nanos> deadlines_;
  TimerId next_id_ = 1;
  size_t waited_ = 0;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_TIMER_QUEUE_H_
