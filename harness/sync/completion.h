// Completion: the kernel's struct completion (complete, complete_all, wait_for_completion,
// try_wait_for_completion, reinit). complete -> wait is a happens-before edge.
//
// Thread-safety: thread-safe under both engines.
#ifndef PROBESTORM_HARNESS_SYNC_COMPLETION_H_
#define PROBESTORM_HARNESS_SYNC_COMPLETION_H_

#include <cstdint>

#include "harness/engine.h"
#include "harness/race/vector_clock.h"

namespace probestorm::harness {

class Completion {
 public:
  explicit Completion(const char* name = "completion") : name_(name) {}
  Completion(const Completion&) = delete;
  Completion& operator=(const Completion&) = delete;

  void Complete();
  void CompleteAll();
  void Wait();
  bool TryWait();
  bool Done();
  void Reinit();

 private:
  static constexpr uint32_t kAll = UINT32_MAX;
  const char* name_;
  RawLock raw_;
  uint32_t done_ ABSL_GUARDED_BY(raw_) = 0;
  WaitList waiters_;
  SyncClock clock_;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SYNC_COMPLETION_H_
