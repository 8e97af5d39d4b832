// Kref: a reference count with the kernel's refcount_t saturation checks turned into oopses
// ("refcount_t: addition on 0; use-after-free", "refcount_t: underflow").
//
// Thread-safety: thread-safe under both engines.
#ifndef PROBESTORM_HARNESS_SYNC_KREF_H_
#define PROBESTORM_HARNESS_SYNC_KREF_H_

#include <functional>
#include <string>

#include "harness/sync/atomic.h"

namespace probestorm::harness {

class Kref {
 public:
  // `id`: the invariant an over-put or get-after-free violates for this object.
  Kref(std::string what, InvariantId id, int initial = 1)
      : what_(std::move(what)), id_(id), count_(initial) {}
  void Get();
  // Calls `release` when the count drops to zero; returns true then.
  bool Put(const std::function<void()>& release);
  int Peek() const { return count_.Peek(); }

 private:
  std::string what_;
  InvariantId id_;
  Atomic<int> count_;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SYNC_KREF_H_
