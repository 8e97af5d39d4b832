// LockDep: a lock-order checker over lock classes, in the spirit of the kernel's lockdep.
//
// Every Mutex/SpinLock names a lock class ("device_lock", "group->mutex", "deferred_probe_mutex").
// Acquiring class B while holding class A records the edge A -> B; if B already reaches A through
// recorded edges, the new edge closes a cycle and a `lock-order` finding names the cycle and the
// tasks that created its edges. Nesting of one class inside itself is allowed (device_lock of
// parent and child), as the kernel allows with subclasses.
//
// Thread-safety: the engine calls it under its own serialisation (controlled: one OS thread;
// free: under the LockDep's mutex).
#ifndef PROBESTORM_HARNESS_RACE_LOCKDEP_H_
#define PROBESTORM_HARNESS_RACE_LOCKDEP_H_

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace probestorm::harness {

class Engine;

class LockDep {
 public:
  explicit LockDep(Engine* engine) : engine_(engine) {}

  void Acquire(uint32_t task, const char* lock_class);
  void Release(uint32_t task, const char* lock_class);

 private:
  struct Edge {
    int to;
    std::string how;  // "T3 modprobe: device_lock -> group->mutex"
  };
  int ClassId(const char* lock_class);
  bool FindPath(int from, int to, std::vector<int>& path);

  Engine* engine_;
  std::mutex mu_;
  absl::flat_hash_map<std::string, int> ids_;
  std::vector<std::string> names_;
  std::vector<std::vector<Edge>> edges_;                     // by class id, in creation order
  absl::flat_hash_map<uint32_t, std::vector<int>> held_;     // task -> held class ids (stack)
  bool reported_ = false;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_RACE_LOCKDEP_H_
