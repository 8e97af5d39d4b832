// Kernel: the world of one model run — every "global" of the modelled kernel as a member, built
// fresh for each run (so a test owns its world).
//
// Each subsystem defines its own state struct in the file that models it and hangs it here:
//   core    -> driver/base/driver_core.h  (deferred-probe lists, trigger count, bus klists, devlinks)
//   iommu   -> driver/iommu/iommu.h       (iommu_device_list, groups, probe lock)
//   exynos  -> driver/iommu/exynos_iommu.h (dma_dev, lv2 cache, zero_lv2_table, PG_ENT_SHIFT)
//   masters -> driver/masters/dma_master.h
// Boot (initcalls, OF population, late_initcall, modprobe tasks) lives in driver/base/init.h.
//
// Thread-safety: the members are the model's shared state; each is protected (or deliberately not)
// as the kernel does, through harness primitives.
#ifndef PROBESTORM_DRIVER_KERNEL_H_
#define PROBESTORM_DRIVER_KERNEL_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "driver/base/device.h"
#include "driver/probes.h"
#include "driver/profile.h"
#include "harness/engine.h"
#include "harness/finding.h"
#include "harness/time.h"
#include "hwmodel/dt/board.h"

namespace probestorm::hwmodel {
class Hardware;
}

namespace probestorm::kernel {

struct DriverCore;
struct IommuState;
struct ExynosIommuState;
struct MastersState;
namespace invariants {
struct Checker;
}

// Initcall levels (include/linux/init.h), in boot order.
enum class InitLevel { kCore, kPostcore, kArch, kArchSync, kSubsys, kFs, kDevice, kLate };

struct Initcall {
  InitLevel level;
  std::string name;               // "exynos_iommu_init"
  std::function<int()> fn;
};

// A loadable module: `init` runs in a modprobe task at a time drawn from `load_time`.
struct Module {
  std::string name;               // "exynos-iommu"
  std::function<int()> init;
  LoadTime load_time;
};

// might_sleep(): a kernel call that may sleep or reschedule (kzalloc(GFP_KERNEL), cond_resched) and
// touches no modelled state. A plain schedule point, so that the interleavings the kernel allows
// there exist in the model.
inline void might_sleep() { harness::Yield(); }

class Kernel {
 public:
  // `hw` may be null in driver-core tests that model no hardware.
  Kernel(const hwmodel::Board& board, const Knobs& knobs, hwmodel::Hardware* hw);
  ~Kernel();
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  const hwmodel::Board& board;
  const Knobs& knobs;
  hwmodel::Hardware* hw;

  // Platform devices, created by OF population (driver/base/init); indexed by DT node.
  std::vector<Device*> devices;   // platform bus klist order (population order)
  Device* DeviceForNode(int node) const;
  Device* AddDevice(int node);    // allocates the struct device (device_add is separate)

  // Built-in drivers register through initcalls; modular ones through modules.
  std::vector<Initcall> initcalls;
  std::vector<Module> modules;

  // shared_ptr: each subsystem creates its state where its type is complete; this header and
  // kernel.cc need not know them.
  std::shared_ptr<DriverCore> core;
  std::shared_ptr<IommuState> iommu;
  std::shared_ptr<ExynosIommuState> exynos;
  std::shared_ptr<MastersState> masters;
  // The invariants' bookkeeping (driver/invariants/checker.h), apart from the kernel's state.
  std::shared_ptr<invariants::Checker> checker;

  // Interleaving probes hit during this run (driver/probes.h).
  ProbeCounters probes;

  // kzalloc: the object lives until the run ends (kfree only marks it; see device.h).
  // The arena itself is harness bookkeeping, not modelled state: it is locked (a real lock under
  // the free engine, where model tasks allocate from several OS threads at once).
  template <typename T, typename... Args>
  T* Alloc(Args&&... args) {
    auto p = std::make_shared<T>(std::forward<Args>(args)...);
    T* raw = p.get();
    harness::RawLockGuard g(arena_lock_);
    arena_.push_back(std::move(p));
    return raw;
  }

  // Findings that only the end of a run can decide (stall of masters, pending devices).
  // Each subsystem registers a checker; RunModel calls them after the engine stops.
  std::vector<std::function<void(std::vector<harness::Finding>&, bool quiescent)>> end_checks;

 private:
  std::vector<std::unique_ptr<Device>> device_storage_;
  std::vector<Device*> by_node_;
  harness::RawLock arena_lock_;
  std::vector<std::shared_ptr<void>> arena_ ABSL_GUARDED_BY(arena_lock_);
};

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_KERNEL_H_
