// MutexGuard: scoped harness::Mutex holder for the driver core model.
//
// Differs from harness::MutexLock only in that its destructor is noexcept(false): unlock() is a
// schedule point, and when a finding stops the run the engine ends each task by throwing
// harness::TaskKilled from its next schedule point. From harness::MutexLock's (implicitly
// noexcept) destructor that throw calls std::terminate; from this one it unwinds the task like
// any other kill point. (The engine never throws while already unwinding.)
//
// Thread-safety: as harness::Mutex.
#ifndef PROBESTORM_DRIVER_BASE_LOCK_H_
#define PROBESTORM_DRIVER_BASE_LOCK_H_

#include "absl/base/thread_annotations.h"
#include "harness/sync/mutex.h"

namespace probestorm::kernel {

class ABSL_SCOPED_LOCKABLE MutexGuard {
 public:
  explicit MutexGuard(harness::Mutex& m) ABSL_EXCLUSIVE_LOCK_FUNCTION(m) : m_(m) { m_.lock(); }
  ~MutexGuard() noexcept(false) ABSL_UNLOCK_FUNCTION() { m_.unlock(); }
  MutexGuard(const MutexGuard&) = delete;
  MutexGuard& operator=(const MutexGuard&) = delete;

 private:
  harness::Mutex& m_;
};

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_BASE_LOCK_H_
