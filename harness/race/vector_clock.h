// Vector clocks for the happens-before race detector.
//
// A VectorClock maps a clock slot -> logical time; absent entries are 0. Slots are bounded and
// handed from task to task (see RaceDetector), so a clock has at most one entry per slot, not one
// per task ever created. SyncClock is the clock a synchronisation object (mutex, atomic,
// completion, work item) carries between a release and the next acquire. Shadow is the per-field
// access history of a Tracked<T>.
//
// Thread-safety: used only by the controlled engine's single OS thread. Clocks share bodies and
// chunks through plain (non-atomic) counts: a clock never leaves the run (the OS thread) it was
// made in.
#ifndef PROBESTORM_HARNESS_RACE_VECTOR_CLOCK_H_
#define PROBESTORM_HARNESS_RACE_VECTOR_CLOCK_H_

#include <algorithm>
#include <cstdint>
#include <new>

#include "absl/container/inlined_vector.h"

namespace probestorm::harness {

// Storage: copy-on-write at two levels. A clock is a pointer to a shared body, the array of its
// chunks; the chunks of kChunk slots are shared between bodies. A release publishes the task's
// clock into the sync object by sharing the body (one pointer and a count, whatever the number of
// slots); an acquire joins only the chunks that differ: chunks two clocks share are equal by
// address, and a chunk that covers the other is kept as it is. HB makes clocks alike (every join
// leaves both sides sharing the chunks where one covered the other), so a join costs the chunks
// that changed since the clocks last met, not the slots. A write to a shared body first copies
// the body (its chunk pointers), a write to a shared chunk the chunk. Values are exactly those of
// a dense clock (vector_clock_test.cc checks them against one on random operation sequences).
class VectorClock {
 public:
  static constexpr uint32_t kChunk = 32;

  VectorClock() = default;
  VectorClock(const VectorClock& o) : b_(o.b_) {
    if (b_ != nullptr) ++b_->refs;
  }
  VectorClock(VectorClock&& o) noexcept : b_(o.b_) { o.b_ = nullptr; }
  VectorClock& operator=(const VectorClock& o) {
    if (b_ != o.b_) {
      if (o.b_ != nullptr) ++o.b_->refs;
      Drop(b_);
      b_ = o.b_;
    }
    return *this;
  }
  VectorClock& operator=(VectorClock&& o) noexcept {
    if (this != &o) {
      Drop(b_);
      b_ = o.b_;
      o.b_ = nullptr;
    }
    return *this;
  }
  ~VectorClock() { Drop(b_); }

  uint32_t Get(uint32_t slot) const {
    const uint32_t i = slot / kChunk;
    if (b_ == nullptr || i >= b_->n) return 0;
    const Chunk* k = b_->chunks()[i];
    return k != nullptr ? k->v[slot % kChunk] : 0;
  }
  void Set(uint32_t slot, uint32_t v) {
    const uint32_t i = slot / kChunk;
    Own(b_ == nullptr ? i + 1 : std::max(b_->n, i + 1), i)->v[slot % kChunk] = v;
  }
  void Join(const VectorClock& o) {
    Body* ob = o.b_;
    if (ob == nullptr || ob == b_) return;
    if (b_ == nullptr) {
      b_ = o.b_;
      ++b_->refs;
      return;
    }
    for (uint32_t i = 0; i < ob->n; ++i) {
      Chunk* b = ob->chunks()[i];
      Chunk* a = i < b_->n ? b_->chunks()[i] : nullptr;
      if (b == nullptr || a == b) continue;
      if (a != nullptr) {
        // Integer or-reductions with no early exit: the compiler turns them into SIMD compares
        // (a bool &= reduction stayed scalar, 11 instructions a slot).
        uint32_t a_behind = 0;  // a slot where a < b
        uint32_t b_behind = 0;  // a slot where b < a
        for (uint32_t j = 0; j < kChunk; ++j) {
          a_behind |= a->v[j] < b->v[j];
          b_behind |= b->v[j] < a->v[j];
        }
        if (a_behind == 0) continue;  // a covers b
        if (b_behind != 0) {          // neither covers the other: the slot-wise maximum
          Chunk* m = Own(std::max(b_->n, i + 1), i);
          for (uint32_t j = 0; j < kChunk; ++j) m->v[j] = std::max(m->v[j], b->v[j]);
          continue;
        }
      }
      // b covers a (or a is all zero): share b's chunk.
      Chunk*& mine = OwnBody(std::max(b_->n, i + 1))->chunks()[i];
      Unref(mine);
      mine = b;
      ++b->refs;
    }
  }
  bool Empty() const { return b_ == nullptr; }
  // Slots the clock spans (a multiple of kChunk; entries past the last Set are 0).
  size_t size() const { return b_ == nullptr ? 0 : size_t{b_->n} * kChunk; }

 private:
  struct Chunk {
    uint32_t refs;
    uint32_t v[kChunk];
  };
  // A body: its count, its length n, then n chunk pointers (nullptr: all zero).
  struct Body {
    uint32_t refs;
    uint32_t n;
    Chunk** chunks() { return reinterpret_cast<Chunk**>(this + 1); }
    const Chunk* const* chunks() const { return reinterpret_cast<const Chunk* const*>(this + 1); }
  };
  static_assert(sizeof(Body) % alignof(Chunk*) == 0);

  static void Unref(Chunk* k) {
    if (k != nullptr && --k->refs == 0) delete k;
  }
  static Body* NewBody(uint32_t n) {
    Body* b = new (::operator new(sizeof(Body) + n * sizeof(Chunk*))) Body{1, n};
    std::fill_n(b->chunks(), n, nullptr);
    return b;
  }
  static void Drop(Body* b) {
    if (b == nullptr || --b->refs != 0) return;
    for (uint32_t i = 0; i < b->n; ++i) Unref(b->chunks()[i]);
    ::operator delete(b);
  }
  // This clock's body made its own (a copy if shared) with at least `n` chunk pointers.
  Body* OwnBody(uint32_t n) {
    if (b_ != nullptr && b_->refs == 1 && b_->n >= n) return b_;
    const uint32_t have = b_ == nullptr ? 0 : b_->n;
    Body* nb = NewBody(std::max(n, have));
    for (uint32_t i = 0; i < have; ++i) {
      Chunk* k = b_->chunks()[i];
      if (k != nullptr) ++k->refs;
      nb->chunks()[i] = k;
    }
    Drop(b_);
    b_ = nb;
    return nb;
  }
  // Chunk `i` of this clock made its own (a fresh zero chunk, or a copy of a shared one), for
  // writing; the body has at least `n` chunk pointers.
  Chunk* Own(uint32_t n, uint32_t i) {
    Chunk*& k = OwnBody(n)->chunks()[i];
    if (k == nullptr) {
      k = new Chunk{1, {}};
    } else if (k->refs > 1) {
      --k->refs;
      k = new Chunk(*k);
      k->refs = 1;
    }
    return k;
  }
  Body* b_ = nullptr;
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
  bool raced = false;       // a race on the field was reported (RaceDetector::ReportRace)
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_RACE_VECTOR_CLOCK_H_
