// KmemCache<T>: a slab cache of one kernel object type (mm/slab_common.c kmem_cache_alloc /
// kmem_cache_free) with KASAN's free quarantine (mm/kasan/quarantine.c).
//
// A freed object stays intact (its owner marks it freed, so a late use is caught and reported)
// while the next `quarantine` frees of the cache happen; after that its memory is handed out again
// by Alloc, as the slab allocator reuses a freed object once KASAN lets it go. A use that late
// would go unseen, as it does under KASAN. `reusable` vetoes the reuse of an object something
// still points at (a held lock, a registered holder): such an object stays in the Kernel's arena
// for the run. Without this, an object allocated and freed on every bus walk (dev->iommu of each
// device without an IOMMU, at every iommu_device_register) kept memory quadratic in the board.
//
// Thread-safety: Alloc and Free take the cache's RawLock (a real lock under the free engine).
#ifndef PROBESTORM_DRIVER_KMEM_CACHE_H_
#define PROBESTORM_DRIVER_KMEM_CACHE_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <new>
#include <utility>

#include "driver/kernel.h"
#include "harness/engine.h"

namespace probestorm::kernel {

template <typename T>
class KmemCache {
 public:
  KmemCache(size_t quarantine, std::function<bool(const T&)> reusable)
      : quarantine_(quarantine), reusable_(std::move(reusable)) {}
  KmemCache(const KmemCache&) = delete;
  KmemCache& operator=(const KmemCache&) = delete;

  template <typename... Args>
  T* Alloc(Kernel& k, Args&&... args) {
    T* p = nullptr;
    {
      harness::RawLockGuard g(lock_);
      while (p == nullptr && freed_.size() > quarantine_) {
        T* oldest = freed_.front();
        freed_.pop_front();
        if (reusable_(*oldest)) p = oldest;
      }
    }
    if (p == nullptr) return k.Alloc<T>(std::forward<Args>(args)...);
    // The arena keeps owning the storage: a new object of the same type takes the old one's place.
    p->~T();
    return new (p) T(std::forward<Args>(args)...);
  }

  void Free(T* p) {
    harness::RawLockGuard g(lock_);
    freed_.push_back(p);
  }

 private:
  size_t quarantine_;
  std::function<bool(const T&)> reusable_;
  harness::RawLock lock_;
  std::deque<T*> freed_ ABSL_GUARDED_BY(lock_);  // oldest first
};

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_KMEM_CACHE_H_
