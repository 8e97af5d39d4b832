// RunLock: guards the bookkeeping that all tasks of one run share (the trace, lockdep).
//
// Under the free engine tasks run on their own OS threads and the lock is a real mutex. Under the
// controlled engine tasks take turns on one OS thread, so the lock does nothing: every schedule
// point records trace events and lock-order edges, and an uncontended mutex there costs more
// than the bookkeeping itself.
//
// Thread-safety: as a mutex when `threaded`; otherwise the owner promises one thread.
#ifndef PROBESTORM_HARNESS_RUN_LOCK_H_
#define PROBESTORM_HARNESS_RUN_LOCK_H_

#include <mutex>

namespace probestorm::harness {

class RunLock {
 public:
  explicit RunLock(bool threaded) : threaded_(threaded) {}
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

  void lock() {
    if (threaded_) m_.lock();
  }
  void unlock() {
    if (threaded_) m_.unlock();
  }

 private:
  const bool threaded_;
  std::mutex m_;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_RUN_LOCK_H_
