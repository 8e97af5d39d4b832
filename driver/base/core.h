// device_add and device links / fw_devlink (drivers/base/core.c, v6.1).
//
// Thread-safety: device links are guarded by DriverCore::device_links_lock
// (device_links_write_lock()), fwnode links by DriverCore::fwnode_link_lock. device_link_add may
// be called with device_lock of the consumer held (really_probe paths, the IOMMU core).
#ifndef PROBESTORM_DRIVER_BASE_CORE_H_
#define PROBESTORM_DRIVER_BASE_CORE_H_

#include <cstdint>
#include <string>

#include "driver/base/device.h"

namespace probestorm::kernel {

class Kernel;

// include/linux/device.h DL_FLAG_*.
inline constexpr uint32_t DL_FLAG_STATELESS = 1u << 0;
inline constexpr uint32_t DL_FLAG_AUTOREMOVE_CONSUMER = 1u << 1;
inline constexpr uint32_t DL_FLAG_PM_RUNTIME = 1u << 2;
inline constexpr uint32_t DL_FLAG_RPM_ACTIVE = 1u << 3;
inline constexpr uint32_t DL_FLAG_AUTOREMOVE_SUPPLIER = 1u << 4;
inline constexpr uint32_t DL_FLAG_AUTOPROBE_CONSUMER = 1u << 5;
inline constexpr uint32_t DL_FLAG_MANAGED = 1u << 6;
inline constexpr uint32_t DL_FLAG_SYNC_STATE_ONLY = 1u << 7;
inline constexpr uint32_t DL_FLAG_INFERRED = 1u << 8;

// drivers/base/core.c FW_DEVLINK_FLAGS_*.
inline constexpr uint32_t FW_DEVLINK_FLAGS_PERMISSIVE = DL_FLAG_INFERRED | DL_FLAG_SYNC_STATE_ONLY;
inline constexpr uint32_t FW_DEVLINK_FLAGS_ON = DL_FLAG_INFERRED | DL_FLAG_AUTOPROBE_CONSUMER;
inline constexpr uint32_t FW_DEVLINK_FLAGS_RPM = FW_DEVLINK_FLAGS_ON | DL_FLAG_PM_RUNTIME;

// enum device_link_state.
enum DeviceLinkState {
  DL_STATE_NONE = -1,
  DL_STATE_DORMANT = 0,
  DL_STATE_AVAILABLE,
  DL_STATE_CONSUMER_PROBE,
  DL_STATE_ACTIVE,
  DL_STATE_SUPPLIER_UNBIND,
};
const char* DlStateName(DeviceLinkState s);

// struct device_link. Fields guarded by device_links_lock except rpm_active (power lock of the
// consumer's rpm transitions) — see pm_runtime.h.
struct DeviceLink {
  Device* supplier = nullptr;
  Device* consumer = nullptr;
  uint32_t flags = 0;
  DeviceLinkState status = DL_STATE_NONE;
  int kref = 1;              // STATELESS links are refcounted per device_link_add
  int rpm_active = 0;        // supplier usage references held on behalf of the consumer
  bool supplier_preactivated = false;
  bool deleted = false;      // device_link_del ran (the object stays: kfree marks only)
};

// device_add, in the kernel's order: bus klist insertion, BUS_NOTIFY_ADD_DEVICE (trace), fwnode->dev,
// fw_devlink_link_device, bus_probe_device, fw_devlink_unblock_consumers. Returns 0.
int device_add(Device* dev);

// Returns the link (new or existing) or nullptr (cycle for a managed link, or bad flags).
DeviceLink* device_link_add(Device* consumer, Device* supplier, uint32_t flags);
void device_link_del(DeviceLink* link);

// device_links_check_suppliers. REQUIRES: device_lock(dev). 0, -EPROBE_DEFER, or -EAGAIN when the
// device is best effort (dev_is_best_effort) and only fwnode links or INFERRED links to suppliers with !can_match are
// missing: really_probe then probes and turns a probe failure into -EPROBE_DEFER.
int device_links_check_suppliers(Device* dev);
// wait_for_init_devices_probe (core.c, v6.0+): waits for probing, then retries every deferred
// device in best-effort mode (fw_devlink_best_effort) and waits again. No-op when fw_devlink is
// off or permissive. The kernel calls it from ip_auto_config for an NFS root; the boot model does
// not (TM2E has no network root).
void wait_for_init_devices_probe(Kernel& k);
// fwnode_dev_initialized(fwnode, true) for a DT node (FWNODE_FLAG_INITIALIZED): the provider was
// set up without a struct device (of_clk_add_provider, __irq_domain_add).
void fwnode_dev_initialized(Kernel& k, int node, bool initialized);
// driver_bound's bookkeeping: consumer links -> AVAILABLE, supplier links -> ACTIVE, fwnode
// supplier links purged, absent child fwnodes purged.
void device_links_driver_bound(Device* dev);
// Failed probe: supplier links back to AVAILABLE, links_status NO_DRIVER.
void device_links_no_driver(Device* dev);
// Unbind: consumer links of an unbinding supplier; links_status NO_DRIVER.
void device_links_driver_cleanup(Device* dev);
// Unbinds every consumer bound through a managed link to `dev` (device_links_unbind_consumers).
void device_links_unbind_consumers(Device* dev);
// fw_devlink_drivers_done: relax INFERRED links to suppliers with !can_match.
void fw_devlink_drivers_done(Kernel& k);
// "Retry would pass device_links_check_suppliers" (no schedule points; end-of-run checks).
bool device_links_suppliers_ready(Kernel& k, const Device* dev);
// Name of the first remaining fwnode supplier of dev's node, or "" (no schedule points).
std::string fwnode_first_supplier(Kernel& k, const Device* dev);

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_BASE_CORE_H_
