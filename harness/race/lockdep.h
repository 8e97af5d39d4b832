// LockDep: a lock-order checker over lock classes, in the spirit of the kernel's lockdep.
//
// Every Mutex/SpinLock names a lock class ("device_lock", "group->mutex", "deferred_probe_mutex").
// Acquiring class B while holding class A records the edge A -> B; if B already reaches A through
// recorded edges, the new edge closes a cycle and a `lock-order` finding names the cycle and the
// tasks that created its edges. Nesting of one class inside itself is allowed (device_lock of
// parent and child), as the kernel allows with subclasses.
//
// Thread-safety: Acquire and Release take the LockDep's RunLock.
#ifndef PROBESTORM_HARNESS_RACE_LOCKDEP_H_
#define PROBESTORM_HARNESS_RACE_LOCKDEP_H_

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "harness/run_lock.h"

namespace probestorm::harness {

class Engine;

class LockDep {
 public:
  // `threaded`: tasks acquire locks from several OS threads (RunLock).
  LockDep(Engine* engine, bool threaded) : engine_(engine), mu_(threaded) {}

  void Acquire(uint32_t task, const char* lock_class);
  void Release(uint32_t task, const char* lock_class);

 private:
  // Lock classes are string literals: a direct-mapped cache by address finds the class without
  // reading the text; on a miss the text decides, so equal texts at different addresses (one per
  // translation unit) still name one class.
  struct RecentClass {
    const char* lock_class = nullptr;
    int id = -1;
  };
  struct Edge {
    int to;
    std::string how;  // "T3 modprobe: device_lock -> group->mutex"
  };
  // The class of `lock_class`, registering it if `create`; -1 if unknown and not created. The
  // cache hit and the known task are inline; the rest is out of line, so that the common path
  // pays no call and no register saves of the rare one.
  int ClassId(const char* lock_class, bool create) {
    RecentClass& slot = recent_[(reinterpret_cast<uintptr_t>(lock_class) >> 3) % recent_.size()];
    if (slot.lock_class == lock_class) [[likely]] return slot.id;
    return ClassIdByName(lock_class, create, slot);
  }
  int ClassIdByName(const char* lock_class, bool create, RecentClass& slot);
  bool FindPath(int from, int to, std::vector<int>& path);
  std::vector<int>& Held(uint32_t task) {
    if (task < held_.size()) [[likely]] return held_[task];
    return HeldGrow(task);
  }
  std::vector<int>& HeldGrow(uint32_t task);

  Engine* engine_;
  RunLock mu_;
  std::array<RecentClass, 64> recent_{};
  absl::flat_hash_map<std::string_view, int> ids_;  // views into names_
  std::deque<std::string> names_;
  std::vector<std::vector<Edge>> edges_;  // by class id, in creation order
  std::vector<std::vector<int>> held_;    // by task id: held class ids (stack)
  bool reported_ = false;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_RACE_LOCKDEP_H_
