// Models drivers/base/core.c of Linux v6.1: device_add, device links
// (device_link_add / del, device_links_check_suppliers, device_links_driver_bound, ...) and
// fw_devlink (fw_devlink_link_device, fw_devlink_create_devlink, fw_devlink_drivers_done,
// fw_devlink_relax_cycle, best effort and wait_for_init_devices_probe).
//
// fw_devlink as v6.1 does it (before the v6.3 cycle-detection rework):
//  * fw_devlink_parse_fwtree parses the device's node and every available descendant once
//    (FWNODE_FLAG_LINKS_ADDED), so child nodes that never become devices have fwnode links too;
//  * __fw_devlink_link_to_suppliers converts the device's own fwnode links (flags from the
//    fw_devlink mode), and after each new device link recurses into the supplier's own suppliers
//    (false-dependency pruning); for every available descendant it makes "proxy" links with
//    FW_DEVLINK_FLAGS_PERMISSIVE (SYNC_STATE_ONLY: never block probe) and keeps those fwnode links
//    for the descendant's own device, if one is added later;
//  * __fw_devlink_link_to_consumers converts links of consumers that have a device; for a consumer
//    without one it makes a proxy link from the consumer's nearest ancestor device unless that
//    device is an ancestor of the supplier, again keeping the fwnode link;
//  * cycles: a managed link device_link_add refuses, or a supplier whose nearest ancestor device
//    already depends on the consumer, is "fixed up": fw_devlink_relax_cycle relaxes every
//    fw_devlink link on the cycle to SYNC_STATE_ONLY and the fwnode link is dropped. No
//    FWNODE_LINK_CYCLE marking (v6.3).
//
// Deliberate divergences:
//  * no sync_state; no devlink class devices; device_links_read_lock (SRCU) walks copy the list
//    under device_links_lock instead;
//  * fw_devlink_parse_fwtree runs under fwnode_link_lock (the kernel takes it per fwnode_link_add),
//    and device_is_dependent in the "supplier's parent depends on the consumer" test runs under
//    device_links_lock (the kernel reads the lists unlocked there); dev->p->klist_children is
//    guarded by device_links_lock;
//  * FWNODE_FLAG_NEEDS_CHILD_BOUND_ON_ADD (MDIO buses) is not modelled; FWNODE_FLAG_BEST_EFFORT
//    exists but nothing sets it (the Board does not parse /chosen stdout-path);
//  * the device_link_add "resume the supplier during consumer probe" special case is omitted.
#include "driver/base/core.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "driver/base/bus.h"
#include "driver/base/dd.h"
#include "driver/base/driver_core.h"
#include "harness/sync/mutex.h"
#include "driver/base/pm_runtime.h"
#include "driver/invariants/deferred_lists.h"
#include "driver/kernel.h"
#include "driver/of/property.h"
#include "harness/trace/trace.h"

namespace probestorm::kernel {
namespace {

using harness::TraceLog;
using harness::TraceSpan;

constexpr uint32_t DL_MANAGED_LINK_FLAGS = DL_FLAG_AUTOREMOVE_CONSUMER | DL_FLAG_AUTOREMOVE_SUPPLIER |
                                           DL_FLAG_AUTOPROBE_CONSUMER | DL_FLAG_SYNC_STATE_ONLY |
                                           DL_FLAG_INFERRED;
constexpr uint32_t DL_ADD_VALID_FLAGS = DL_MANAGED_LINK_FLAGS | DL_FLAG_STATELESS |
                                        DL_FLAG_PM_RUNTIME | DL_FLAG_RPM_ACTIVE;

DriverCore& C(Device* dev) { return core(*dev->kernel); }

void EraseLink(std::vector<DeviceLink*>& v, DeviceLink* l) {
  v.erase(std::remove(v.begin(), v.end(), l), v.end());
}

// device_link_drop_managed: the link stops being managed; unless a stateless user also holds it,
// it is deleted. REQUIRES: device_links_lock.
void DeviceLinkDropManaged(DriverCore& c, DeviceLink* link)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(c.device_links_lock) {
  link->flags &= ~DL_FLAG_MANAGED;
  if (link->flags & DL_FLAG_STATELESS) return;
  link->deleted = true;
  EraseLink(link->supplier->consumers, link);
  EraseLink(link->consumer->suppliers, link);
  EraseLink(c.links, link);
}

// A link the consumer was probing against (or using) goes back to waiting: AVAILABLE if the
// supplier is bound, else DORMANT, which only a sync-state-only link can legitimately be in
// (WARN_ON otherwise). Shared by device_links_missing_supplier and __device_links_no_driver.
// REQUIRES: device_links_lock.
void DeviceLinkConsumerGone(DeviceLink* link, std::string_view func) {
  if (link->supplier->links_status == DlDevState::kDriverBound) {
    link->status = DL_STATE_AVAILABLE;
    return;
  }
  if (!(link->flags & DL_FLAG_SYNC_STATE_ONLY)) {
    harness::TraceLog(link->consumer->name, func,
                      absl::StrCat("WARN_ON: link to unbound supplier ", link->supplier->name,
                                   " in ", DlStateName(link->status)));
  }
  link->status = DL_STATE_DORMANT;
}

// device_is_ancestor(dev, target): dev is a proper ancestor of target.
bool DeviceIsAncestor(const Device* dev, const Device* target) {
  for (const Device* p = target->parent; p != nullptr; p = p->parent) {
    if (p == dev) return true;
  }
  return false;
}

// Links device_is_dependent and fw_devlink_relax_cycle do not follow: relaxed fw_devlink links
// and proxies, exactly MANAGED | SYNC_STATE_ONLY apart from INFERRED.
bool IsSyncStateOnlyManaged(const DeviceLink* link) {
  return (link->flags & ~DL_FLAG_INFERRED) == (DL_FLAG_SYNC_STATE_ONLY | DL_FLAG_MANAGED);
}

// device_is_dependent(dev, target): does `target` depend on `dev` already (consumer links,
// children, or target below dev in the tree)? REQUIRES: device_links_lock.
bool DeviceIsDependent(const Device* dev, const Device* target, int depth = 0) {
  if (dev == target || DeviceIsAncestor(dev, target)) return true;
  if (depth > 64) return false;
  for (const Device* child : dev->children) {
    if (DeviceIsDependent(child, target, depth + 1)) return true;
  }
  for (const DeviceLink* link : dev->consumers) {
    if (IsSyncStateOnlyManaged(link)) continue;
    if (link->consumer == target) return true;
    if (DeviceIsDependent(link->consumer, target, depth + 1)) return true;
  }
  return false;
}

// device_link_init_status. REQUIRES: device_links_lock.
void DeviceLinkInitStatus(DeviceLink* link, Device* consumer, Device* supplier) {
  switch (supplier->links_status) {
    case DlDevState::kProbing:
      link->status = consumer->links_status == DlDevState::kProbing ? DL_STATE_CONSUMER_PROBE
                                                                    : DL_STATE_DORMANT;
      break;
    case DlDevState::kDriverBound:
      switch (consumer->links_status) {
        case DlDevState::kProbing: link->status = DL_STATE_CONSUMER_PROBE; break;
        case DlDevState::kDriverBound: link->status = DL_STATE_ACTIVE; break;
        default: link->status = DL_STATE_AVAILABLE; break;
      }
      break;
    case DlDevState::kUnbinding:
      link->status = DL_STATE_SUPPLIER_UNBIND;
      break;
    default:
      link->status = DL_STATE_DORMANT;
      break;
  }
}

// fw_devlink_relax_link. REQUIRES: device_links_lock. Returns the supplier runtime-PM references
// the caller must drop after unlocking (pm_runtime_drop_link).
int FwDevlinkRelaxLink(DeviceLink* link) {
  if (!(link->flags & DL_FLAG_INFERRED)) return 0;
  if (link->flags == (DL_FLAG_MANAGED | FW_DEVLINK_FLAGS_PERMISSIVE)) return 0;
  const int drop = (link->flags & DL_FLAG_PM_RUNTIME) ? link->rpm_active : 0;
  link->rpm_active = 0;
  link->flags = DL_FLAG_MANAGED | FW_DEVLINK_FLAGS_PERMISSIVE;
  TraceLog(link->consumer->name, "fw_devlink_relax_link",
           absl::StrCat("Relaxing link with ", link->supplier->name));
  return drop;
}

// fw_devlink_relax_cycle(con, sup): relaxes every fw_devlink link on a path from sup's consumers
// (through children and consumer links) back to con. Returns whether con leads to sup.
// REQUIRES: device_links_lock. `drops` collects runtime-PM references to drop after unlocking.
bool FwDevlinkRelaxCycle(Device* con, Device* sup, std::vector<std::pair<Device*, int>>& drops,
                         int depth = 0) {
  if (con == sup) return true;
  if (depth > 64) return false;
  for (Device* child : con->children) {
    if (FwDevlinkRelaxCycle(child, sup, drops, depth + 1)) return true;
  }
  bool ret = false;
  for (DeviceLink* link : con->consumers) {
    if (IsSyncStateOnlyManaged(link)) continue;
    if (!FwDevlinkRelaxCycle(link->consumer, sup, drops, depth + 1)) continue;
    ret = true;
    if (int n = FwDevlinkRelaxLink(link)) drops.emplace_back(link->supplier, n);
  }
  return ret;
}

void DropSupplierRefs(Device* supplier, int n) {
  for (int i = 0; i < n; ++i) pm_runtime_put_noidle(supplier);
  if (n > 0) {
    // pm_request_idle(supplier): one more get/put pair runs the idle check synchronously.
    pm_runtime_get_noresume(supplier);
    pm_runtime_put(supplier);
  }
}

// The device the fwnode resolves to: its own device, or (get_dev_from_fwnode fails) nullptr.
// REQUIRES: fwnode_link_lock.
Device* GetDevFromFwnode(DriverCore& c, int node) ABSL_EXCLUSIVE_LOCKS_REQUIRED(c.fwnode_link_lock) { return c.fwnodes[static_cast<size_t>(node)].dev; }

// fwnode_get_next_parent_dev. REQUIRES: fwnode_link_lock.
Device* NextParentDev(DriverCore& c, int node) ABSL_EXCLUSIVE_LOCKS_REQUIRED(c.fwnode_link_lock) {
  const hwmodel::Board& b = c.kernel.board;
  for (int p = b.node(node).parent; p != hwmodel::kNoNode; p = b.node(p).parent) {
    if (Device* d = c.fwnodes[static_cast<size_t>(p)].dev) return d;
  }
  return nullptr;
}

void FwnodeLinkDel(DriverCore& c, int consumer, int supplier)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(c.fwnode_link_lock) {
  auto& s = c.fwnodes[static_cast<size_t>(consumer)].suppliers;
  s.erase(std::remove(s.begin(), s.end(), supplier), s.end());
  auto& k = c.fwnodes[static_cast<size_t>(supplier)].consumers;
  k.erase(std::remove(k.begin(), k.end(), consumer), k.end());
}

using RpmDrops = std::vector<std::pair<Device*, int>>;

// fwnode_is_ancestor_of(ancestor, child) for DT nodes, equality included.
bool FwnodeIsAncestorOf(const hwmodel::Board& b, int ancestor, int child) {
  for (int n = child; n != hwmodel::kNoNode; n = b.node(n).parent) {
    if (n == ancestor) return true;
  }
  return false;
}

// fw_devlink_relax_cycle under the device-links write lock, as fw_devlink_create_devlink calls it.
void RelaxCycleLocked(DriverCore& c, Device* con, Device* sup, RpmDrops& drops) {
  harness::MutexLock l(c.device_links_lock);
  FwDevlinkRelaxCycle(con, sup, drops);
}

// fw_devlink_create_devlink (drivers/base/core.c, v6.1). 0: device link made; -EINVAL: fwnode
// link invalid (dropped); -EAGAIN: keep the fwnode link. REQUIRES: fwnode_link_lock.
int FwDevlinkCreateDevlink(DriverCore& c, Device* con, int sup_node, uint32_t flags, RpmDrops& drops)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(c.fwnode_link_lock) {
  FwnodeState& sup = c.fwnodes[static_cast<size_t>(sup_node)];
  if (Device* sup_dev = sup.dev) {
    // An initialised fwnode (FWNODE_FLAG_INITIALIZED) whose device has no driver was set up
    // outside the driver core and will never bind: the consumer must not wait for it.
    if (sup_dev->links_status == DlDevState::kNoDriver && sup.initialized) return -EINVAL;
    // A refusal from device_link_add here comes from a cycle of device links: the cycle is
    // relaxed and the fwnode link is dropped as invalid.
    if (device_link_add(con, sup_dev, flags) == nullptr && !(flags & DL_FLAG_SYNC_STATE_ONLY)) {
      TraceLog(con->name, "fw_devlink_create_devlink",
               absl::StrCat("Fixing up cyclic dependency with ", sup_dev->name));
      RelaxCycleLocked(c, con, sup_dev, drops);
      device_link_add(con, sup_dev, FW_DEVLINK_FLAGS_PERMISSIVE);
      return -EINVAL;
    }
    return 0;
  }
  // The supplier was set up early (FWNODE_FLAG_INITIALIZED) and has no device: nothing to wait for.
  if (sup.initialized) return -EINVAL;
  // A SYNC_STATE_ONLY link never holds a probe back and may sit on a cycle: no cycle check needed.
  if (flags & DL_FLAG_SYNC_STATE_ONLY) return -EAGAIN;
  // A supplier without a device may be in a cycle with the consumer through its parent: if the
  // supplier's nearest ancestor device already depends on the consumer, relax the whole cycle
  // and drop this fwnode link.
  Device* parent_dev = NextParentDev(c, sup_node);
  if (parent_dev != nullptr) {
    bool dependent;
    {
      harness::MutexLock l(c.device_links_lock);
      dependent = DeviceIsDependent(con, parent_dev);
      if (dependent) FwDevlinkRelaxCycle(con, parent_dev, drops);
    }
    if (dependent) {
      TraceLog(con->name, "fw_devlink_create_devlink",
               absl::StrCat("Fixing up cyclic dependency with ",
                            c.kernel.board.node(sup_node).path, " (", parent_dev->name, ")"));
      return -EINVAL;
    }
  }
  // Whether a cycle exists cannot be decided yet: keep the fwnode link and retry later.
  return -EAGAIN;
}

// of_fwnode_add_links for one node (fw_devlink_parse_fwnode). REQUIRES: fwnode_link_lock.
void FwDevlinkParseFwnode(DriverCore& c, int node) ABSL_EXCLUSIVE_LOCKS_REQUIRED(c.fwnode_link_lock) {
  FwnodeState& f = c.fwnodes[static_cast<size_t>(node)];
  if (f.links_added) return;
  f.links_added = true;
  for (int sup : of_fwnode_supplier_links(c.kernel.board, c.kernel.knobs, node)) {
    // of_link_to_phandle's last test, "No struct device": no link to a compat node without a
    // device that is flagged FWNODE_FLAG_NOT_DEVICE (e.g. a child of a bound device that never
    // became a device itself) or OF_POPULATED (claimed by an OF_DECLARE early driver).
    const FwnodeState& s = c.fwnodes[static_cast<size_t>(sup)];
    if (s.dev == nullptr && (s.not_device || s.of_populated)) continue;
    f.suppliers.push_back(sup);
    c.fwnodes[static_cast<size_t>(sup)].consumers.push_back(node);
    TraceLog(c.kernel.board.node(node).path, "fwnode_link_add",
             absl::StrCat("Link ", c.kernel.board.node(node).path, " -> ",
                          c.kernel.board.node(sup).path));
  }
}

// fw_devlink_parse_fwtree: the node and every available descendant. REQUIRES: fwnode_link_lock.
void FwDevlinkParseFwtree(DriverCore& c, int node) ABSL_EXCLUSIVE_LOCKS_REQUIRED(c.fwnode_link_lock) {
  FwDevlinkParseFwnode(c, node);
  for (int child : c.kernel.board.node(node).children) {
    if (c.kernel.board.node(child).available) FwDevlinkParseFwtree(c, child);
  }
}

// __fw_devlink_link_to_consumers. REQUIRES: fwnode_link_lock.
void FwDevlinkLinkToConsumers(DriverCore& c, Device* dev, RpmDrops& drops)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(c.fwnode_link_lock) {
  const std::vector<int> consumers = c.fwnodes[static_cast<size_t>(dev->of_node)].consumers;
  for (int con_node : consumers) {
    uint32_t flags = c.fw_devlink_flags;
    bool own_link = true;
    Device* con_dev = GetDevFromFwnode(c, con_node);
    if (con_dev == nullptr) {
      // The consumer has no device (yet): a proxy SYNC_STATE_ONLY link from its nearest ancestor
      // device, unless that device is also an ancestor of this supplier (a parent cannot depend on
      // its own child).
      con_dev = NextParentDev(c, con_node);
      if (con_dev != nullptr && FwnodeIsAncestorOf(c.kernel.board, con_dev->of_node, dev->of_node)) {
        con_dev = nullptr;
      } else {
        own_link = false;
        flags = FW_DEVLINK_FLAGS_PERMISSIVE;
      }
    }
    if (con_dev == nullptr) continue;
    const int ret = FwDevlinkCreateDevlink(c, con_dev, dev->of_node, flags, drops);
    if (!own_link || ret == -EAGAIN) continue;
    FwnodeLinkDel(c, con_node, dev->of_node);
  }
}

// __fw_devlink_link_to_suppliers(dev, node). REQUIRES: fwnode_link_lock.
void FwDevlinkLinkToSuppliers(DriverCore& c, Device* dev, int node, RpmDrops& drops)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(c.fwnode_link_lock) {
  const bool own_link = dev->of_node == node;
  const uint32_t flags = own_link ? c.fw_devlink_flags : FW_DEVLINK_FLAGS_PERMISSIVE;
  const std::vector<int> suppliers = c.fwnodes[static_cast<size_t>(node)].suppliers;
  for (int sup_node : suppliers) {
    const int ret = FwDevlinkCreateDevlink(c, dev, sup_node, flags, drops);
    // A descendant's links stay for its own device (if one is ever added).
    if (!own_link || ret == -EAGAIN) continue;
    FwnodeLinkDel(c, node, sup_node);
    if (ret != 0) continue;  // no device link was created
    // A device link to this supplier now exists: link the supplier to its own suppliers too, so
    // that a false dependency (a cycle through fwnode links not converted yet) is found and
    // dropped now rather than leaving a device waiting on it forever.
    Device* sup_dev = GetDevFromFwnode(c, sup_node);
    FwDevlinkLinkToSuppliers(c, sup_dev, sup_dev->of_node, drops);
  }
  // Each available descendant's suppliers become SYNC_STATE_ONLY proxy links of this device;
  // they matter when a supplier was added before this device.
  for (int child : c.kernel.board.node(node).children) {
    if (c.kernel.board.node(child).available) FwDevlinkLinkToSuppliers(c, dev, child, drops);
  }
}

// fw_devlink_link_device (v6.1).
void fw_devlink_link_device(Device* dev) {
  DriverCore& c = C(dev);
  if (c.fw_devlink_flags == 0) return;
  TraceSpan span(dev->name, "fw_devlink_link_device");
  RpmDrops drops;
  {
    harness::MutexLock l(c.fwnode_link_lock);
    FwDevlinkParseFwtree(c, dev->of_node);
    FwDevlinkLinkToConsumers(c, dev, drops);
    FwDevlinkLinkToSuppliers(c, dev, dev->of_node, drops);
  }
  // pm_runtime_drop_link of relaxed links, after the locks (pm_request_idle is asynchronous).
  for (auto& [s, n] : drops) DropSupplierRefs(s, n);
}

// fw_devlink_purge_absent_suppliers. REQUIRES: fwnode_link_lock.
void FwDevlinkPurgeAbsentSuppliers(DriverCore& c, int node)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(c.fwnode_link_lock) {
  FwnodeState& f = c.fwnodes[static_cast<size_t>(node)];
  if (f.dev != nullptr) return;
  f.not_device = true;
  // fwnode_links_purge_consumers
  for (int con : std::vector<int>(f.consumers)) FwnodeLinkDel(c, con, node);
  for (int child : c.kernel.board.node(node).children) {
    if (c.kernel.board.node(child).available) FwDevlinkPurgeAbsentSuppliers(c, child);
  }
}

// fw_devlink_unblock_consumers. 
void fw_devlink_unblock_consumers(Device* dev) {
  DriverCore& c = C(dev);
  std::vector<std::pair<Device*, int>> drops;
  {
    harness::MutexLock l(c.device_links_lock);
    for (DeviceLink* link : dev->consumers) {
      if (int n = FwDevlinkRelaxLink(link)) drops.emplace_back(link->supplier, n);
    }
  }
  for (auto& [s, n] : drops) DropSupplierRefs(s, n);
}

}  // namespace

const char* DlStateName(DeviceLinkState s) {
  switch (s) {
    case DL_STATE_NONE: return "DL_STATE_NONE";
    case DL_STATE_DORMANT: return "DL_STATE_DORMANT";
    case DL_STATE_AVAILABLE: return "DL_STATE_AVAILABLE";
    case DL_STATE_CONSUMER_PROBE: return "DL_STATE_CONSUMER_PROBE";
    case DL_STATE_ACTIVE: return "DL_STATE_ACTIVE";
    case DL_STATE_SUPPLIER_UNBIND: return "DL_STATE_SUPPLIER_UNBIND";
  }
  return "?";
}

int device_add(Device* dev) {
  DriverCore& c = C(dev);
  TraceSpan span(dev->name, "device_add");
  // bus_add_device: on the bus klist from here on, a concurrent driver_attach walk can see it.
  bus_add_device(dev);
  // The IOMMU core's bus notifier runs here, before this device's fw_devlink links exist.
  bus_notify(dev, BusNotify::kAddDevice);
  bool link = false;
  {
    harness::MutexLock l(c.fwnode_link_lock);
    FwnodeState& f = c.fwnodes[static_cast<size_t>(dev->of_node)];
    if (f.dev == nullptr) {
      f.dev = dev;
      link = true;
    }
  }
  if (link) fw_devlink_link_device(dev);
  bus_probe_device(dev);
  // Once every driver has registered, a new device that no driver matches will stay driverless:
  // its consumers are let go, as they may manage without it.
  if (c.fw_devlink_drv_reg_done.Get() && !dev->can_match.Get()) fw_devlink_unblock_consumers(dev);
  // Stands for the kernel's klist_add_tail onto the parent's klist_children.
  if (dev->parent != nullptr) {
    harness::MutexLock l(c.device_links_lock);
    dev->parent->children.push_back(dev);
  }
  return 0;
}

DeviceLink* device_link_add(Device* consumer, Device* supplier, uint32_t flags) {
  if (consumer == nullptr || supplier == nullptr || consumer == supplier ||
      (flags & ~DL_ADD_VALID_FLAGS) ||
      ((flags & DL_FLAG_STATELESS) && (flags & DL_MANAGED_LINK_FLAGS)) ||
      ((flags & DL_FLAG_SYNC_STATE_ONLY) &&
       (flags & ~DL_FLAG_INFERRED) != DL_FLAG_SYNC_STATE_ONLY) ||
      ((flags & DL_FLAG_AUTOPROBE_CONSUMER) &&
       (flags & (DL_FLAG_AUTOREMOVE_CONSUMER | DL_FLAG_AUTOREMOVE_SUPPLIER)))) {
    return nullptr;
  }
  if ((flags & DL_FLAG_PM_RUNTIME) && (flags & DL_FLAG_RPM_ACTIVE)) {
    if (pm_runtime_get_sync(supplier) < 0) {
      pm_runtime_put_noidle(supplier);
      return nullptr;
    }
  }
  if (!(flags & DL_FLAG_STATELESS)) flags |= DL_FLAG_MANAGED;
  DriverCore& c = C(consumer);
  DeviceLink* link = nullptr;
  bool rpm_ref_unused = (flags & DL_FLAG_PM_RUNTIME) && (flags & DL_FLAG_RPM_ACTIVE);
  {
    harness::MutexLock l(c.device_links_lock);
    // No link (NULL) to a supplier not registered yet, nor to one that already depends on the
    // consumer, unless the new link is SYNC_STATE_ONLY (the reverse dependency is allowed then).
    if (!supplier->registered ||
        (!(flags & DL_FLAG_SYNC_STATE_ONLY) && DeviceIsDependent(consumer, supplier))) {
      goto out;
    }
    // A SYNC_STATE_ONLY link serves no purpose for a consumer past probing: refuse it.
    if ((flags & DL_FLAG_SYNC_STATE_ONLY) && consumer->links_status != DlDevState::kNoDriver &&
        consumer->links_status != DlDevState::kProbing) {
      goto out;
    }
    if (flags & DL_FLAG_AUTOREMOVE_SUPPLIER) flags &= ~DL_FLAG_AUTOREMOVE_CONSUMER;
    for (DeviceLink* l2 : supplier->consumers) {
      if (l2->consumer != consumer) continue;
      link = l2;
      if ((link->flags & DL_FLAG_INFERRED) && !(flags & DL_FLAG_INFERRED)) {
        link->flags &= ~DL_FLAG_INFERRED;
      }
      if (flags & DL_FLAG_PM_RUNTIME) {
        link->flags |= DL_FLAG_PM_RUNTIME;
        if (flags & DL_FLAG_RPM_ACTIVE) {
          ++link->rpm_active;
          rpm_ref_unused = false;
        }
      }
      if (flags & DL_FLAG_STATELESS) {
        ++link->kref;
        link->flags |= DL_FLAG_STATELESS;
        goto out;
      }
      if (flags & DL_FLAG_AUTOREMOVE_SUPPLIER) {
        if (link->flags & DL_FLAG_AUTOREMOVE_CONSUMER) {
          link->flags &= ~DL_FLAG_AUTOREMOVE_CONSUMER;
          link->flags |= DL_FLAG_AUTOREMOVE_SUPPLIER;
        }
      } else if (!(flags & DL_FLAG_AUTOREMOVE_CONSUMER)) {
        link->flags &= ~(DL_FLAG_AUTOREMOVE_CONSUMER | DL_FLAG_AUTOREMOVE_SUPPLIER);
      }
      if (!(link->flags & DL_FLAG_MANAGED)) {
        ++link->kref;
        link->flags |= DL_FLAG_MANAGED;
        DeviceLinkInitStatus(link, consumer, supplier);
      }
      if ((link->flags & DL_FLAG_SYNC_STATE_ONLY) && !(flags & DL_FLAG_SYNC_STATE_ONLY)) {
        link->flags &= ~DL_FLAG_SYNC_STATE_ONLY;
      }
      goto out;
    }
    link = c.kernel.Alloc<DeviceLink>();
    link->supplier = supplier;
    link->consumer = consumer;
    link->flags = flags;
    if ((flags & DL_FLAG_PM_RUNTIME) && (flags & DL_FLAG_RPM_ACTIVE)) {
      link->rpm_active = 1;
      rpm_ref_unused = false;
    }
    if (flags & DL_FLAG_STATELESS) {
      link->status = DL_STATE_NONE;
    } else {
      DeviceLinkInitStatus(link, consumer, supplier);
    }
    supplier->consumers.push_back(link);
    consumer->suppliers.push_back(link);
    c.links.push_back(link);
    TraceLog(consumer->name, "device_link_add",
             absl::StrCat("Linked as a consumer to ", supplier->name, " flags=0x",
                          absl::Hex(link->flags), " ", DlStateName(link->status)));
  }
out:
  if (rpm_ref_unused) pm_runtime_put(supplier);
  return link;
}

void device_link_del(DeviceLink* link) {
  if (link == nullptr) return;
  DriverCore& c = C(link->consumer);
  int drop = 0;
  Device* supplier = link->supplier;
  {
    harness::MutexLock l(c.device_links_lock);
    if (link->deleted) return;
    if (--link->kref > 0) return;
    link->deleted = true;
    if (link->flags & DL_FLAG_PM_RUNTIME) drop = link->rpm_active;
    link->rpm_active = 0;
    EraseLink(link->supplier->consumers, link);
    EraseLink(link->consumer->suppliers, link);
    EraseLink(c.links, link);
    TraceLog(link->consumer->name, "device_link_del",
             absl::StrCat("Dropping the link to ", supplier->name));
  }
  // pm_runtime_drop_link -> pm_request_idle(supplier), after the lock (asynchronous in the kernel).
  DropSupplierRefs(supplier, drop);
}

namespace {

// dev_is_best_effort: fw_devlink only enforces ordering with suppliers that have drivers.
bool dev_is_best_effort(DriverCore& c, Device* dev) {
  if (c.fw_devlink_best_effort.Get() && dev->can_match.Get()) return true;
  harness::MutexLock l(c.fwnode_link_lock);
  return c.fwnodes[static_cast<size_t>(dev->of_node)].best_effort;
}

}  // namespace

int device_links_check_suppliers(Device* dev) {
  DriverCore& c = C(dev);
  TraceSpan span(dev->name, "device_links_check_suppliers");
  const bool best_effort = dev_is_best_effort(c, dev);
  int ret = 0;
  int fwnode_ret = 0;
  // Fwnode links to suppliers not converted into device links yet keep the device from probing.
  {
    harness::MutexLock l(c.fwnode_link_lock);
    const FwnodeState& f = c.fwnodes[static_cast<size_t>(dev->of_node)];
    if (!f.suppliers.empty() && c.fw_devlink_flags != FW_DEVLINK_FLAGS_PERMISSIVE) {
      const std::string sup = c.kernel.board.node(f.suppliers.front()).path;
      if (best_effort) {
        fwnode_ret = -EAGAIN;
      } else {
        device_set_deferred_probe_reason(dev, absl::StrCat("wait for supplier ", sup));
        TraceLog(dev->name, "device_links_check_suppliers",
                 absl::StrCat("error -EPROBE_DEFER: wait for supplier ", sup));
        invariants::DeferralWaitsForSuppliers(dev, sup);
        return -EPROBE_DEFER;
      }
    }
  }
  {
    harness::MutexLock l(c.device_links_lock);
    for (DeviceLink* link : dev->suppliers) {
      if (!(link->flags & DL_FLAG_MANAGED)) continue;
      if (link->status != DL_STATE_AVAILABLE && !(link->flags & DL_FLAG_SYNC_STATE_ONLY)) {
        // Best effort: do not wait for a fw_devlink supplier no driver has ever matched.
        if (best_effort && (link->flags & DL_FLAG_INFERRED) && !link->supplier->can_match.Get()) {
          ret = -EAGAIN;
          continue;
        }
        // device_links_missing_supplier
        for (DeviceLink* l2 : dev->suppliers) {
          if (l2->status == DL_STATE_CONSUMER_PROBE) {
            DeviceLinkConsumerGone(l2, "device_links_missing_supplier");
          }
        }
        device_set_deferred_probe_reason(dev,
                                         absl::StrCat("supplier ", link->supplier->name, " not ready"));
        TraceLog(dev->name, "device_links_check_suppliers",
                 absl::StrCat("error -EPROBE_DEFER: supplier ", link->supplier->name,
                              " not ready (", DlStateName(link->status), ")"));
        invariants::DeferralWaitsForSuppliers(dev, link->supplier->name);
        ret = -EPROBE_DEFER;
        break;
      }
      link->status = DL_STATE_CONSUMER_PROBE;
    }
    dev->links_status = DlDevState::kProbing;
  }
  if (ret == 0 && fwnode_ret != 0) ret = fwnode_ret;
  if (ret == -EAGAIN) {
    TraceLog(dev->name, "device_links_check_suppliers",
             "best effort: probing with suppliers missing (-EAGAIN)");
  }
  return ret;
}

void wait_for_init_devices_probe(Kernel& k) {
  DriverCore& c = core(k);
  if (c.fw_devlink_flags == 0 || c.fw_devlink_flags == FW_DEVLINK_FLAGS_PERMISSIVE) return;
  TraceSpan span("", "wait_for_init_devices_probe");
  // Let the probes in flight finish first, so that best-effort mode only reaches devices with no
  // other way to probe.
  wait_for_device_probe(k);
  TraceLog("", "wait_for_init_devices_probe", "Trying to probe devices needed for running init ...");
  c.fw_devlink_best_effort.Set(true);
  driver_deferred_probe_trigger(k);
  // Strict ordering comes back only once every best-effort probe has completed.
  wait_for_device_probe(k);
  c.fw_devlink_best_effort.Set(false);
}

void fwnode_dev_initialized(Kernel& k, int node, bool initialized) {
  DriverCore& c = core(k);
  harness::MutexLock l(c.fwnode_link_lock);
  c.fwnodes[static_cast<size_t>(node)].initialized = initialized;
}

void device_links_driver_bound(Device* dev) {
  DriverCore& c = C(dev);
  TraceSpan span(dev->name, "device_links_driver_bound");
  {
    // A bound device has (or makes for itself) every device link it needs, so its remaining
    // fwnode links to suppliers go. A child node still without a device at this point is taken
    // never to get one (fw_devlink_purge_absent_suppliers).
    harness::MutexLock l(c.fwnode_link_lock);
    FwnodeState& f = c.fwnodes[static_cast<size_t>(dev->of_node)];
    if (f.dev == dev) {
      for (int sup : std::vector<int>(f.suppliers)) FwnodeLinkDel(c, dev->of_node, sup);
      for (int child : c.kernel.board.node(dev->of_node).children) {
        if (c.kernel.board.node(child).available) FwDevlinkPurgeAbsentSuppliers(c, child);
      }
    }
  }
  harness::MutexLock l(c.device_links_lock);
  for (DeviceLink* link : dev->consumers) {
    if (!(link->flags & DL_FLAG_MANAGED)) continue;
    // Skipped: a link a consumer added during its own probe, while this supplier was still
    // probing, starts in CONSUMER_PROBE and is ACTIVE if that consumer finished first.
    if (link->status == DL_STATE_CONSUMER_PROBE || link->status == DL_STATE_ACTIVE) continue;
    if (link->status != DL_STATE_DORMANT) {
      TraceLog(dev->name, "device_links_driver_bound",
               absl::StrCat("WARN_ON: consumer link to ", link->consumer->name, " in ",
                            DlStateName(link->status)));
    }
    link->status = DL_STATE_AVAILABLE;
    // The consumer may be deferred waiting for us: put it back on the pending list so the
    // trigger in driver_bound retries it.
    if (link->flags & DL_FLAG_AUTOPROBE_CONSUMER) driver_deferred_probe_add(link->consumer);
  }
  std::vector<DeviceLink*> drop;
  for (DeviceLink* link : dev->suppliers) {
    if (!(link->flags & DL_FLAG_MANAGED)) continue;
    if (link->flags & DL_FLAG_SYNC_STATE_ONLY) {
      drop.push_back(link);
    } else {
      link->status = DL_STATE_ACTIVE;
    }
  }
  for (DeviceLink* link : drop) DeviceLinkDropManaged(c, link);
  dev->links_status = DlDevState::kDriverBound;
}

namespace {

// __device_links_no_driver: the device has no driver any more (its probe failed or it was
// unbound); its links to suppliers go back to waiting. REQUIRES: device_links_lock.
void DeviceLinksNoDriverLocked(DriverCore& c, Device* dev)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(c.device_links_lock) {
  std::vector<DeviceLink*> drop;
  for (auto it = dev->suppliers.rbegin(); it != dev->suppliers.rend(); ++it) {
    DeviceLink* link = *it;
    if (!(link->flags & DL_FLAG_MANAGED)) continue;
    if (link->flags & DL_FLAG_AUTOREMOVE_CONSUMER) {
      drop.push_back(link);
      continue;
    }
    if (link->status != DL_STATE_CONSUMER_PROBE && link->status != DL_STATE_ACTIVE) continue;
    DeviceLinkConsumerGone(link, "__device_links_no_driver");
  }
  for (DeviceLink* link : drop) DeviceLinkDropManaged(c, link);
  dev->links_status = DlDevState::kNoDriver;
}

}  // namespace

void device_links_no_driver(Device* dev) {
  DriverCore& c = C(dev);
  harness::MutexLock l(c.device_links_lock);
  // The probe failed: a consumer link that is probing or active was made by a consumer that
  // probed while this device was still probing. It stays as a relationship but means nothing
  // until this device binds, so it becomes dormant; other consumer links keep their state.
  for (DeviceLink* link : dev->consumers) {
    if (!(link->flags & DL_FLAG_MANAGED)) continue;
    if (link->status == DL_STATE_CONSUMER_PROBE || link->status == DL_STATE_ACTIVE) {
      link->status = DL_STATE_DORMANT;
    }
  }
  DeviceLinksNoDriverLocked(c, dev);
}

void device_links_driver_cleanup(Device* dev) {
  DriverCore& c = C(dev);
  harness::MutexLock l(c.device_links_lock);
  // The driver went away after __device_release_driver unbound every consumer, so each managed
  // consumer link is in SUPPLIER_UNBIND; those with AUTOREMOVE_SUPPLIER go, the rest sleep.
  std::vector<DeviceLink*> drop;
  for (DeviceLink* link : dev->consumers) {
    if (!(link->flags & DL_FLAG_MANAGED)) continue;
    // (The model's busy check in __device_release_driver leaves sync-state-only links as they
    // are, so only the others are expected in SUPPLIER_UNBIND here.)
    const bool expected_unbind = !(link->flags & DL_FLAG_SYNC_STATE_ONLY);
    if ((link->flags & DL_FLAG_AUTOREMOVE_CONSUMER) ||
        (expected_unbind && link->status != DL_STATE_SUPPLIER_UNBIND)) {
      TraceLog(dev->name, "device_links_driver_cleanup",
               absl::StrCat("WARN_ON: consumer link to ", link->consumer->name, " in ",
                            DlStateName(link->status)));
    }
    if (link->status == DL_STATE_SUPPLIER_UNBIND && (link->flags & DL_FLAG_AUTOREMOVE_SUPPLIER)) {
      drop.push_back(link);
    }
    link->status = DL_STATE_DORMANT;
  }
  for (DeviceLink* link : drop) DeviceLinkDropManaged(c, link);
  DeviceLinksNoDriverLocked(c, dev);
}

void device_links_unbind_consumers(Device* dev) {
  DriverCore& c = C(dev);
  while (true) {
    Device* consumer = nullptr;
    bool wait = false;
    {
      harness::MutexLock l(c.device_links_lock);
      for (DeviceLink* link : dev->consumers) {
        if (!(link->flags & DL_FLAG_MANAGED) || (link->flags & DL_FLAG_SYNC_STATE_ONLY)) continue;
        if (link->status == DL_STATE_CONSUMER_PROBE) {
          wait = true;
          break;
        }
        if (link->status == DL_STATE_ACTIVE) {
          link->status = DL_STATE_SUPPLIER_UNBIND;
          consumer = link->consumer;
          break;
        }
      }
    }
    if (wait) {
      wait_for_device_probe(*dev->kernel);
      continue;
    }
    if (consumer == nullptr) return;
    TraceLog(dev->name, "device_links_unbind_consumers",
             absl::StrCat("unbinding consumer ", consumer->name));
    device_release_driver(consumer);
  }
}

void fw_devlink_drivers_done(Kernel& k) {
  DriverCore& c = core(k);
  TraceSpan span("", "fw_devlink_drivers_done");
  c.fw_devlink_drv_reg_done.Set(true);
  std::vector<std::pair<Device*, int>> drops;
  {
    harness::MutexLock l(c.device_links_lock);
    for (DeviceLink* link : c.links) {
      if (!link->supplier->can_match.Get()) {
        if (int n = FwDevlinkRelaxLink(link)) drops.emplace_back(link->supplier, n);
      }
    }
  }
  for (auto& [s, n] : drops) DropSupplierRefs(s, n);
}

bool device_links_suppliers_ready(Kernel& k, const Device* dev) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  // End-of-run query: no task runs, the lists are stable.
  DriverCore& c = core(k);
  if (!c.fwnodes[static_cast<size_t>(dev->of_node)].suppliers.empty() &&
      c.fw_devlink_flags != FW_DEVLINK_FLAGS_PERMISSIVE) {
    return false;
  }
  for (const DeviceLink* link : dev->suppliers) {
    if (!(link->flags & DL_FLAG_MANAGED) || (link->flags & DL_FLAG_SYNC_STATE_ONLY)) continue;
    if (link->status != DL_STATE_AVAILABLE) return false;
  }
  return true;
}

std::string fwnode_first_supplier(Kernel& k, const Device* dev) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  DriverCore& c = core(k);
  const auto& s = c.fwnodes[static_cast<size_t>(dev->of_node)].suppliers;
  return s.empty() ? std::string() : k.board.node(s.front()).path;
}

}  // namespace probestorm::kernel
