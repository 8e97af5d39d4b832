// DriverCore: every global of the modelled driver core (drivers/base/{dd,core,bus,driver}.c and
// drivers/base/power/runtime.c, v6.1) for one run, hung on Kernel::core.
//
// The rules of the deferred lists are invariant `deferred-lists` (driver/invariants/
// deferred_lists.h); the checker keeps its own bookkeeping (Kernel::checker).
//
// Thread-safety: fields name their lock. Booleans the kernel reads without a lock
// (driver_deferred_probe_enable, initcalls_done, defer_all_probes, driver_deferred_probe_timeout)
// are harness::Tracked so races on them are visible.
#ifndef PROBESTORM_DRIVER_BASE_DRIVER_CORE_H_
#define PROBESTORM_DRIVER_BASE_DRIVER_CORE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "driver/base/device.h"
#include "harness/sync/atomic.h"
#include "harness/sync/list.h"
#include "harness/sync/mutex.h"
#include "harness/sync/tracked.h"
#include "harness/sync/wait_queue.h"
#include "harness/sync/workqueue.h"

namespace probestorm::kernel {

class Kernel;
struct DeviceLink;

// Per-DT-node fw_devlink state (struct fwnode_handle: flags + suppliers/consumers fwnode links).
struct FwnodeState {
  bool links_added = false;   // FWNODE_FLAG_LINKS_ADDED: of_fwnode_add_links() ran
  bool not_device = false;    // FWNODE_FLAG_NOT_DEVICE
  bool initialized = false;   // FWNODE_FLAG_INITIALIZED: fwnode_dev_initialized(fwnode, true)
  bool best_effort = false;   // FWNODE_FLAG_BEST_EFFORT (of_alias_scan sets it on stdout-path)
  bool of_populated = false;  // OF_POPULATED: an OF_DECLARE early init claimed the node, so
                              // of_platform_populate creates no device for it
  Device* dev = nullptr;      // fwnode->dev (set by device_add)
  std::vector<int> suppliers; // fwnode links where this node is the consumer (supplier nodes)
  std::vector<int> consumers; // fwnode links where this node is the supplier (consumer nodes)
};

enum class DeferredList : uint8_t { kNone, kPending, kActive };
const char* DeferredListName(DeferredList l);

struct DriverCore {
  explicit DriverCore(Kernel& k);
  DriverCore(const DriverCore&) = delete;
  DriverCore& operator=(const DriverCore&) = delete;

  Kernel& kernel;

  // ---- dd.c: deferred probe (driver_deferred_probe_add/del, deferred_probe_work_func,
  //      driver_deferred_probe_trigger, deferred_probe_timeout_work_func; v6.1)
  harness::Mutex deferred_probe_mutex{"deferred_probe_mutex"};
  // ListHead itself is lock-free; the model locks as dd.c does.
  harness::ListHead deferred_probe_pending_list ABSL_GUARDED_BY(deferred_probe_mutex);
  harness::ListHead deferred_probe_active_list ABSL_GUARDED_BY(deferred_probe_mutex);
  harness::Atomic<int> deferred_trigger_count{0};
  harness::Tracked<bool> driver_deferred_probe_enable{false};
  harness::Tracked<bool> initcalls_done{false};
  harness::Tracked<bool> defer_all_probes{false};
  // Seconds; 0 = expired/none, -1 = never (the knob). Zeroed by the timeout work.
  harness::Tracked<int> driver_deferred_probe_timeout{0};
  harness::Work deferred_probe_work;              // on system_unbound_wq ("events_unbound")
  harness::DelayedWork deferred_probe_timeout_work;
  // Which list each device (by DT node) is on, kept beside the intrusive node under
  // deferred_probe_mutex (the model's list_del_init needs to know which list to unlink from).
  std::vector<DeferredList> deferred_list_of ABSL_GUARDED_BY(deferred_probe_mutex);
  bool deferred_probe_timeout_ran = false;        // the timeout work completed (stall check)
  harness::Atomic<int> probe_count{0};
  harness::WaitQueue probe_waitqueue{"probe_waitqueue"};
  harness::AsyncDomain async{"async"};            // async_schedule_dev / async_synchronize_full

  // ---- bus.c: the platform and AMBA buses (klist_drivers, klist_devices)
  harness::Mutex bus_klist_lock{"bus->p->klist_drivers.k_lock"};
  // Each bus's klist_devices, indexed by BusType: the devices bus_add_device made visible, in
  // Kernel::devices order (by Device::population_index). Immutable once published: an add
  // publishes a new list, so a walk's snapshot is the pointer, not a copy of thousands of devices.
  std::shared_ptr<const std::vector<Device*>> bus_devices[2] ABSL_GUARDED_BY(bus_klist_lock) = {
      std::make_shared<const std::vector<Device*>>(),
      std::make_shared<const std::vector<Device*>>()};
  std::vector<DeviceDriver*> drivers ABSL_GUARDED_BY(bus_klist_lock);  // registration order
  bool drivers_autoprobe = true;
  // bus->p->bus_notifier (the IOMMU core registers here). Registered before the run starts.
  std::vector<std::function<void(int action, Device* dev)>> bus_notifiers;

  // ---- core.c: device links and fw_devlink (device_link_add, fw_devlink_link_device,
  //      fwnode_link_add; v6.1)
  harness::Mutex device_links_lock{"device_links_lock"};  // device_links_write_lock()
  std::vector<DeviceLink*> links ABSL_GUARDED_BY(device_links_lock);  // the devlink class
  harness::Mutex fwnode_link_lock{"fwnode_link_lock"};
  std::vector<FwnodeState> fwnodes ABSL_GUARDED_BY(fwnode_link_lock);  // by DT node index
  uint32_t fw_devlink_flags = 0;                   // from knobs.fw_devlink (fw_devlink_setup)
  harness::Tracked<bool> fw_devlink_drv_reg_done{false};
  // fw_devlink_best_effort: true only while wait_for_init_devices_probe() runs.
  harness::Tracked<bool> fw_devlink_best_effort{false};

  // ---- init.cc: the built-in supplier drivers (registered once per run)
  bool supplier_drivers_registered = false;
  std::vector<DeviceDriver*> supplier_drivers;
  // OF_DECLARE-style early drivers (DeviceDriver::of_declare): run by of_declare_init before the
  // first initcall, never registered on the bus.
  std::vector<DeviceDriver*> early_drivers;

};

// The run's DriverCore, created on first use (knob-derived fields filled from Kernel::knobs).
DriverCore& core(Kernel& k);
// Creates Kernel::core if absent, registers the end-of-run checks (deferred-lists lost trigger,
// stall). Idempotent. core() calls it.
void driver_core_init(Kernel& k);

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_BASE_DRIVER_CORE_H_
