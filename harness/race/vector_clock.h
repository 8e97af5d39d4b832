// Vector clocks for the happens-before race detector.
//
// A VectorClock maps a clock slot -> logical time; absent entries are 0. Slots are bounded and
// handed from task to task (see RaceDetector), so a clock has at most one entry per slot, not one
// per task ever created. SyncClock is the clock a synchronisation object (mutex, atomic,
// completion, work item) carries between a release and the next acquire. Shadow is the per-field
// access history of a Tracked<T>.
//
// Thread-safety: used only by the controlled engine's single OS thread. Clocks share chunks
// through plain (non-atomic) counts: a clock never leaves the run (the OS thread) it was made in.
#ifndef PROBESTORM_HARNESS_RACE_VECTOR_CLOCK_H_
#define PROBESTORM_HARNESS_RACE_VECTOR_CLOCK_H_

#include <algorithm>
#include <cstdint>

#include "absl/container/inlined_vector.h"

namespace probestorm::harness {

// Storage: copy-on-write chunks of kChunk slots, shared between clocks. A release copies the
// task's clock into the sync object (one pointer and a count per chunk, not a copy of every slot)
// and an acquire joins only the chunks that differ: chunks two clocks share are equal by address,
// and a chunk that covers the other is kept as it is. HB makes clocks alike (every join leaves
// both sides sharing the chunks where one covered the other), so a join costs the chunks that
// changed since the clocks last met, not the slots. Values are exactly those of a dense clock
// (vector_clock_test.cc checks them against one on random operation sequences).
class VectorClock {
 public:
  static constexpr uint32_t kChunk = 32;

  VectorClock() = default;
  VectorClock(const VectorClock& o) : c_(o.c_) {
    for (Chunk* k : c_) Ref(k);
  }
  // Swap, not InlinedVector's move constructor: GCC 12 at -O2 reports the moved-from inline
  // storage as used uninitialized (-Wuninitialized, a false positive in absl's MemcpyFrom).
  VectorClock(VectorClock&& o) noexcept { c_.swap(o.c_); }
  // In place, chunk by chunk (a release republishing its task's clock changes few chunks, often
  // none): no temporary clock and no swap of inline storage.
  VectorClock& operator=(const VectorClock& o) {
    if (c_.size() != o.c_.size()) {
      for (size_t i = o.c_.size(); i < c_.size(); ++i) Unref(c_[i]);
      c_.resize(o.c_.size(), nullptr);
    }
    for (size_t i = 0; i < c_.size(); ++i) {
      if (c_[i] == o.c_[i]) continue;
      Ref(o.c_[i]);
      Unref(c_[i]);
      c_[i] = o.c_[i];
    }
    return *this;
  }
  VectorClock& operator=(VectorClock&& o) noexcept {
    if (this != &o) {
      VectorClock old(std::move(*this));
      c_.swap(o.c_);
    }
    return *this;
  }
  ~VectorClock() {
    for (Chunk* k : c_) Unref(k);
  }

  uint32_t Get(uint32_t slot) const {
    const size_t i = slot / kChunk;
    return i < c_.size() && c_[i] != nullptr ? c_[i]->v[slot % kChunk] : 0;
  }
  void Set(uint32_t slot, uint32_t v) {
    const size_t i = slot / kChunk;
    if (i >= c_.size()) c_.resize(i + 1, nullptr);
    Own(c_[i])->v[slot % kChunk] = v;
  }
  void Tick(uint32_t slot) { Set(slot, Get(slot) + 1); }
  void Join(const VectorClock& o) {
    if (o.c_.size() > c_.size()) c_.resize(o.c_.size(), nullptr);
    for (size_t i = 0; i < o.c_.size(); ++i) {
      Chunk* b = o.c_[i];
      Chunk*& a = c_[i];
      if (b == nullptr || a == b) continue;
      if (a == nullptr) {
        a = b;
        Ref(b);
        continue;
      }
      // Integer or-reductions with no early exit: the compiler turns them into SIMD compares
      // (a bool &= reduction stayed scalar, 11 instructions a slot).
      uint32_t a_behind = 0;  // a slot where a < b
      uint32_t b_behind = 0;  // a slot where b < a
      for (uint32_t j = 0; j < kChunk; ++j) {
        a_behind |= a->v[j] < b->v[j];
        b_behind |= b->v[j] < a->v[j];
      }
      if (a_behind == 0) continue;  // a covers b
      if (b_behind == 0) {          // b covers a
        Unref(a);
        a = b;
        Ref(b);
        continue;
      }
      Chunk* m = Own(a);
      for (uint32_t j = 0; j < kChunk; ++j) m->v[j] = std::max(m->v[j], b->v[j]);
    }
  }
  bool Empty() const { return c_.empty(); }
  // Slots the clock spans (a multiple of kChunk; entries past the last Set are 0).
  size_t size() const { return c_.size() * kChunk; }

 private:
  struct Chunk {
    uint32_t refs;
    uint32_t v[kChunk];
  };
  static void Ref(Chunk* k) {
    if (k != nullptr) ++k->refs;
  }
  static void Unref(Chunk* k) {
    if (k != nullptr && --k->refs == 0) delete k;
  }
  // `k` made this clock's own (a fresh zero chunk, or a copy of a shared one), for writing.
  static Chunk* Own(Chunk*& k) {
    if (k == nullptr) {
      k = new Chunk{1, {}};
    } else if (k->refs > 1) {
      --k->refs;
      k = new Chunk(*k);
      k->refs = 1;
    }
    return k;
  }

  // By slot / kChunk; nullptr: all zero. Two chunks inline: a clock of up to 64 slots (every run
  // of a real board) is copied without a heap allocation.
  absl::InlinedVector<Chunk*, 2> c_;
};

struct SyncClock {
  VectorClock vc;
  // epoch != 0: the clock is exactly the one a release published at `epoch` of `slot`, so an
  // acquirer that already knows that epoch (of the slot's same owner) has nothing to join. vc's
  // own component of `slot` may lag behind: the clock is vc with `slot` raised to `epoch`.
  // epoch == 0: the clock is vc.
  uint32_t slot = 0;
  uint32_t epoch = 0;
  // A task whose clock covers vc (it acquired or released vc since vc last grew), 0 = none known.
  // Task clocks only grow, so its release publishes its own clock instead of joining: a mutex's
  // unlock after its lock, an atomic read-modify-write.
  mutable uint32_t covered_by = 0;  // set by an acquire, which does not change the clock
};

struct AccessEpoch {
  uint32_t task = 0;   // 0: none
  uint32_t slot = 0;   // the task's clock slot at the access
  uint32_t clock = 0;  // that slot's component (the task's epoch) at the access
  const char* func = nullptr;  // innermost model function of the task at the access
};

struct Shadow {
  AccessEpoch write;
  // Reads since the last write, in the order of each task's first read, holding its latest. Up to
  // RaceDetector::kScanReads entries a re-read replaces in place; past that a read is appended and
  // the list may hold older reads of the same task until it is compacted (RaceDetector::OnRead).
  absl::InlinedVector<AccessEpoch, 2> reads;
  uint32_t compact_at = 0;  // the length at which an appended read compacts `reads`
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_RACE_VECTOR_CLOCK_H_
