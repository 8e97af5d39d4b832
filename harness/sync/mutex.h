// Mutex and SpinLock: the model's sleeping and spinning locks (device_lock, group->mutex,
// deferred_probe_mutex, data->lock ...).
//
// lock() and unlock() are schedule points. Under the controlled engine a contended lock parks the
// task (the wait-for graph names the owner); acquire/release feed the race detector and lockdep.
// A SpinLock behaves like a Mutex in the model (a task never sleeps while holding one in the
// modelled code); it exists so lock classes and annotations read like the kernel.
//
// Thread-safety: thread-safe under both engines.
#ifndef PROBESTORM_HARNESS_SYNC_MUTEX_H_
#define PROBESTORM_HARNESS_SYNC_MUTEX_H_

#include "absl/base/thread_annotations.h"
#include "harness/engine.h"
#include "harness/race/vector_clock.h"
#include "harness/sched/conflicts.h"

namespace probestorm::harness {

class ABSL_LOCKABLE Mutex {
 public:
  // `lock_class` must outlive the mutex (a string literal).
  explicit Mutex(const char* lock_class = "mutex") : class_(lock_class) {}
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock() ABSL_EXCLUSIVE_LOCK_FUNCTION();
  bool try_lock() ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true);
  void unlock() ABSL_UNLOCK_FUNCTION();

  // The holder, or kNoTask. Racy by nature; for assertions and the wait-for graph.
  TaskId owner() const { return owner_; }
  bool HeldBySelf() const;
  const char* lock_class() const { return class_; }
  const ConflictTag& conflict_tag() const { return tag_; }

 private:
  const char* class_;
  RawLock raw_;
  TaskId owner_ = kNoTask;
  WaitList waiters_;
  SyncClock clock_;
  ConflictTag tag_;
};

class ABSL_LOCKABLE SpinLock : public Mutex {
 public:
  explicit SpinLock(const char* lock_class = "spinlock") : Mutex(lock_class) {}
};

class ABSL_SCOPED_LOCKABLE MutexLock {
 public:
  explicit MutexLock(Mutex& m) ABSL_EXCLUSIVE_LOCK_FUNCTION(m) : m_(m) { m_.lock(); }
  // noexcept(false): unlock() is a schedule point, where a stopping run unwinds the task by
  // throwing TaskKilled (harness/engine.h).
  ~MutexLock() noexcept(false) ABSL_UNLOCK_FUNCTION() { m_.unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex& m_;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SYNC_MUTEX_H_
