// ByNode<T>: a checker's record per DT node, set and read whole by hooks that free-engine tasks
// (OS threads) may call at once: every access takes the table's mutex and a read returns a copy,
// so no caller holds a reference that another thread's Set could free under it.
//
// Thread-safety: internally synchronized.
#ifndef PROBESTORM_DRIVER_INVARIANTS_BY_NODE_H_
#define PROBESTORM_DRIVER_INVARIANTS_BY_NODE_H_

#include <cstddef>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace probestorm::kernel::invariants {

template <typename T>
class ByNode {
 public:
  explicit ByNode(size_t nodes) : v_(nodes) {}
  void Set(int node, T value) {
    absl::MutexLock l(&mu_);
    v_[static_cast<size_t>(node)] = std::move(value);
  }
  T Get(int node) const {
    absl::MutexLock l(&mu_);
    return v_[static_cast<size_t>(node)];
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<T> v_ ABSL_GUARDED_BY(mu_);
};

}  // namespace probestorm::kernel::invariants

#endif  // PROBESTORM_DRIVER_INVARIANTS_BY_NODE_H_
