// struct device, struct device_driver and struct bus_type of the model (include/linux/device.h,
// drivers/base/base.h as of v6.1), shared by every file under driver/.
//
// Kernel names are kept (dev->driver is `driver`, dev->p->dead is `dead`, ...). Fields that tasks
// race on in the kernel are harness::Tracked so the race detector sees every access; fields the
// kernel protects with the device lock are annotated with it. Objects are never really freed while
// a run lives: "freeing" marks them (`freed`) so a later use is a detectable use-after-free finding,
// never undefined behaviour in the harness.
//
// Thread-safety: per-field, as annotated; the device lock is `lock` (device_lock()).
#ifndef PROBESTORM_DRIVER_BASE_DEVICE_H_
#define PROBESTORM_DRIVER_BASE_DEVICE_H_

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "harness/sync/list.h"
#include "harness/sync/mutex.h"
#include "harness/sync/tracked.h"
#include "harness/sync/wait_queue.h"
#include "hwmodel/dt/board.h"

namespace probestorm::kernel {

class Kernel;
struct Device;
struct DeviceDriver;
struct DeviceLink;
struct DevIommu;      // driver/iommu/iommu.h
struct IommuGroup;    // driver/iommu/iommu.h
struct DmaMapOps;     // driver/arch/dma_mapping.h

// Kernel errno values used by the model (returned negated, as in the kernel). The standard ones
// come from <cerrno> (every C++ header that includes <string> defines them as macros, so they
// cannot be redeclared); on Linux their values are the kernel's, which the asserts pin down.
// EPROBE_DEFER is kernel-internal (include/linux/errno.h).
static_assert(EPERM == 1 && ENOENT == 2 && EIO == 5 && ENXIO == 6 && EAGAIN == 11 &&
                  ENOMEM == 12 && EACCES == 13 && EBUSY == 16 && EEXIST == 17 && ENODEV == 19 &&
                  EINVAL == 22 && ENOSYS == 38 && ETIMEDOUT == 110,
              "host errno values differ from Linux's");
inline constexpr int EPROBE_DEFER = 517;
const char* ErrName(int err);  // "-EPROBE_DEFER", "0", ...

enum class ProbeType { kDefaultStrategy, kPreferAsynchronous, kForceSynchronous };

// Runtime PM status (include/linux/pm.h rpm_status).
// kResuming/kSuspending: a transition is in progress (callbacks run with power.lock dropped).
enum class RpmStatus { kActive, kResuming, kSuspended, kSuspending };

// DL_DEV_* (device links status of a device).
enum class DlDevState { kNoDriver, kProbing, kDriverBound, kUnbinding };

struct DevPmOps {
  std::function<int(Device*)> runtime_suspend;
  std::function<int(Device*)> runtime_resume;
};

struct DeviceDriver {
  std::string name;                       // "exynos-sysmmu"
  std::vector<std::string> of_match;      // compatible strings (of_device_id table)
  std::string module;                     // owning module name, "" if built in
  ProbeType probe_type = ProbeType::kDefaultStrategy;
  bool suppress_bind_attrs = false;
  // CLK_OF_DECLARE / IRQCHIP_DECLARE style: matched by compatible in start_kernel (of_clk_init,
  // of_irq_init), claims its nodes (OF_POPULATED) and marks them initialised
  // (fwnode_dev_initialized) without ever binding a struct device. Never registered on the bus.
  bool of_declare = false;
  std::function<int(Device*)> probe;
  std::function<void(Device*)> remove;
  DevPmOps pm;
  bool registered = false;                // driver_register() done
  std::vector<Device*> klist_devices;     // bound devices (knode_driver), guarded by the bus
  Kernel* kernel = nullptr;               // set by driver_register (drv->bus->p of the model)
  bool async_probe_param = false;         // module loaded with async_probe
};

// Runtime PM state of a device (drivers/base/power/runtime.c), see driver/base/pm_runtime.h.
struct DevPmInfo {
  harness::Tracked<int> usage_count{0};
  harness::Tracked<RpmStatus> runtime_status{RpmStatus::kSuspended};
  harness::Tracked<int> disable_depth{1};  // pm_runtime_enable() decrements
  harness::Mutex lock{"dev->power.lock"};
  harness::WaitQueue wait_queue{"dev->power.wait_queue"};  // transitions in progress
  // Bumped under `lock` whenever a transition ends. The kernel re-checks runtime_status under
  // power.lock after each wake-up; the model's wait predicate runs under the wait queue's own lock,
  // so it watches this counter instead of reading runtime_status unlocked.
  std::atomic<uint64_t> transitions_ended{0};
  // Model only, under `lock`: the task running the transition in progress (RPM_RESUMING or
  // RPM_SUSPENDING), kNoTask when the status is stable. Waiters name it in the wait-for graph, so
  // a stall behind a transition whose task died in an oops says so.
  harness::TaskId transition_task ABSL_GUARDED_BY(lock) = harness::kNoTask;
};

struct Device {
  Device(Kernel* k, const hwmodel::Board& board, int node_index);
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  Kernel* kernel;
  std::string name;                        // dev_name(): "13a00000.sysmmu"
  int of_node;                             // index into the Board (dev->of_node)
  const hwmodel::DtNode* np;               // the node itself
  Device* parent = nullptr;
  // dev->p->klist_children: added at the end of device_add (guarded by device_links_lock in the
  // model; read by device_is_dependent and fw_devlink_relax_cycle).
  std::vector<Device*> children;

  harness::Mutex lock{"device_lock"};      // device_lock(dev)

  // dev->driver: set by really_probe before dma_configure; read without the lock by many paths.
  harness::Tracked<DeviceDriver*> driver{nullptr};
  harness::Tracked<void*> driver_data{nullptr};   // dev_get_drvdata()
  // dev->p (struct device_private)
  harness::Tracked<bool> dead{false};
  harness::Tracked<bool> can_match{false};
  harness::Tracked<DeviceDriver*> async_driver{nullptr};
  harness::ListNode deferred_probe;        // on deferred_probe_{pending,active}_list
  std::string deferred_probe_reason;       // guarded by deferred_probe_mutex
  harness::Tracked<bool> bound{false};     // knode_driver attached: device_is_bound()
  bool registered = false;                 // device_add() finished
  uint32_t population_index = 0;           // its place in Kernel::devices (set by AddDevice)
  // Last result of really_probe() on this device (0 never probed or bound), under device_lock;
  // the stall check reads it to tell "given up with an error" from "never probed".
  int last_probe_ret = 0;
  DeviceDriver* last_probe_drv = nullptr;

  // Device links (drivers/base/core.c)
  std::vector<DeviceLink*> suppliers;      // links where this is the consumer (device_links_write_lock)
  std::vector<DeviceLink*> consumers;      // links where this is the supplier
  DlDevState links_status = DlDevState::kNoDriver;
  // Remaining fwnode links for which this is the consumer (supplier node indexes).
  std::vector<int> fwnode_suppliers;

  // DMA / IOMMU (include/linux/device.h)
  harness::Tracked<const DmaMapOps*> dma_ops{nullptr};     // NULL: dma-direct
  harness::Tracked<DevIommu*> iommu{nullptr};              // dev->iommu
  harness::Tracked<IommuGroup*> iommu_group{nullptr};      // dev->iommu_group
  uint64_t dma_mask = 0xffffffffULL;
  bool dma_coherent = false;
  void* archdata_mapping = nullptr;        // arm32: dev->archdata.mapping (dma_iommu_mapping)
  bool archdata_dma_ops_setup = false;     // arm32: dev->archdata.dma_ops_setup

  DevPmInfo power;

  bool IsMaster() const { return np->IsMaster(); }
  bool IsSysmmu() const { return np->IsSysmmu(); }
};

// dev_get_drvdata / dev_set_drvdata / platform_{get,set}_drvdata.
inline void* dev_get_drvdata(Device* dev) { return dev->driver_data.Get(); }
inline void dev_set_drvdata(Device* dev, void* data) { dev->driver_data.Set(data); }

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_BASE_DEVICE_H_
