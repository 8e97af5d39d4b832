// The IOMMU core (drivers/iommu/iommu.c, v6.1, with the v6.0 / v6.2 / v6.7 / v6.15 differences
// selected by knob iommu_core; docs/model.md): iommu_device registration, dev->iommu and the
// fwspec, device probe (__iommu_probe_device, bus_iommu_probe, iommu_probe_device), groups, default
// domains and attach.
//
// Defines: IommuOps / IommuDomainOps (struct iommu_ops / iommu_domain_ops), IommuDevice
// (struct iommu_device), IommuFwspec, DevIommu (struct dev_iommu), IommuDomain, IommuGroup and
// IommuState, the run's IOMMU-core globals hung on Kernel::iommu.
//
// Invariant hooks (driver/invariants/): double-iommu-probe (probe_device / release_device /
// group add), dev-iommu-freed-in-use (dev_iommu_free and the oopses of dereferencing a cleared
// dev->iommu), dma-ops-on-bound (every attach), late-iommu-probe (the v6.15 dev_WARN).
//
// Thread-safety (by generation, as the kernel): iommu_device_list under iommu_device_lock;
// group->devices and group->domain under group->mutex (v6.1 adds groups to a bus probe's
// group_list outside it, fixed in 6.2); iommu_probe_device_lock serialises __iommu_probe_device
// from 6.2 and also of_iommu_configure's fwspec part from 6.7. dev->iommu, its fwspec and priv are
// unlocked in 6.1 (Tracked: the race detector sees them).
#ifndef PROBESTORM_DRIVER_IOMMU_IOMMU_H_
#define PROBESTORM_DRIVER_IOMMU_IOMMU_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "driver/base/bus.h"
#include "driver/base/device.h"
#include "driver/kernel.h"
#include "driver/kmem_cache.h"
#include "harness/engine.h"
#include "harness/sync/list.h"
#include "harness/sync/mutex.h"
#include "harness/sync/tracked.h"
#include "hwmodel/dt/board.h"

namespace probestorm::kernel {

struct IommuDomain;
struct IommuGroup;
struct IovaDomain;  // driver/iommu/dma_iommu.h

// IOMMU_DOMAIN_* (include/linux/iommu.h).
enum class IommuDomainType { kBlocked, kIdentity, kUnmanaged, kDma, kDmaFq };
const char* IommuDomainTypeName(IommuDomainType t);

inline constexpr int IOMMU_READ = 1 << 0;
inline constexpr int IOMMU_WRITE = 1 << 1;

// of_iommu_xlate's "no IOMMU, not an error" result (drivers/iommu/of_iommu.c NO_IOMMU).
inline constexpr int NO_IOMMU = 1;

struct IommuDomainOps {
  std::function<int(IommuDomain*, Device*)> attach_dev;
  std::function<void(IommuDomain*, Device*)> detach_dev;
  // map/unmap of one page size (the core splits by pgsize_bitmap). map returns 0 or -errno;
  // unmap returns the unmapped size.
  std::function<int(IommuDomain*, uint64_t iova, uint64_t paddr, uint64_t size, int prot)> map;
  std::function<uint64_t(IommuDomain*, uint64_t iova, uint64_t size)> unmap;
  std::function<uint64_t(IommuDomain*, uint64_t iova)> iova_to_phys;
  std::function<void(IommuDomain*)> free;
};

struct IommuDevice;

struct IommuOps {
  std::string name;                 // "exynos_iommu_ops"
  std::string owner;                // module name ("" built in): try_module_get(ops->owner)
  std::function<IommuDomain*(IommuDomainType)> domain_alloc;
  // Returns the iommu_device or nullptr with *err set (ERR_PTR).
  std::function<IommuDevice*(Device*, int* err)> probe_device;
  std::function<void(Device*)> release_device;
  std::function<IommuGroup*(Device*)> device_group;
  std::function<int(Device*, const hwmodel::PhandleRef&)> of_xlate;
  std::function<int(Device*)> def_domain_type;   // 0: no preference
  const IommuDomainOps* default_domain_ops = nullptr;
  uint64_t pgsize_bitmap = 0;
};

// struct iommu_device: one registered IOMMU instance.
struct IommuDevice {
  IommuDevice() { list.owner = this; }
  harness::ListNode list;           // on IommuState::iommu_device_list
  const IommuOps* ops = nullptr;
  int fwnode = hwmodel::kNoNode;    // the instance's DT node (dev_fwnode(hwdev))
  Device* dev = nullptr;            // hwdev
  bool sysfs_added = false;         // iommu_device_sysfs_add
};

// struct iommu_fwspec.
struct IommuFwspec {
  const IommuOps* ops = nullptr;    // NULL: the awaited IOMMU was not registered (empty fwspec)
  int iommu_fwnode = hwmodel::kNoNode;
  std::vector<uint32_t> ids;
  bool freed = false;               // kfree'd (iommu_fwspec_free / dev_iommu_free)
};

// struct dev_iommu. Never really freed: dev_iommu_free marks `freed` and clears dev->iommu.
struct DevIommu {
  explicit DevIommu(Device* d);
  Device* dev;
  harness::Mutex lock{"dev->iommu->lock"};
  harness::Tracked<IommuFwspec*> fwspec{nullptr};
  harness::Tracked<IommuDevice*> iommu_dev{nullptr};
  harness::Tracked<void*> priv{nullptr};
  bool freed = false;
};

struct IommuDomain {
  virtual ~IommuDomain() = default;
  IommuDomainType type = IommuDomainType::kDma;
  const IommuOps* owner = nullptr;
  const IommuDomainOps* ops = nullptr;
  uint64_t pgsize_bitmap = 0;
  uint64_t aperture_start = 0;
  uint64_t aperture_end = 0;
  IovaDomain* iova_cookie = nullptr;  // iommu_get_dma_cookie / iommu_dma_init_domain
  std::string name;                   // "domain#3 (DMA)" for reports
  bool freed = false;
};

struct IommuGroup {
  IommuGroup() { entry.owner = this; }
  int id = 0;
  harness::Mutex mutex{"group->mutex"};
  std::vector<Device*> devices ABSL_GUARDED_BY(mutex);
  harness::Tracked<IommuDomain*> default_domain{nullptr};
  harness::Tracked<IommuDomain*> domain{nullptr};
  harness::ListNode entry;            // on a bus_iommu_probe group_list (v6.1: outside mutex)
  // Drivers using the default domain through the DMA API (iommu_device_use_default_domain). No
  // user-space owner (group->owner) exists here: nothing claims a group.
  int owner_cnt ABSL_GUARDED_BY(mutex) = 0;
  std::string name;                   // "iommu_group 3"
};

// Marks the calling task as inside of_iommu_configure for `dev` for its lifetime (bookkeeping for
// the dev-iommu-free-while-held probe; no schedule points).
class ConfiguringScope {
 public:
  explicit ConfiguringScope(Device* dev);
  ~ConfiguringScope();
  ConfiguringScope(const ConfiguringScope&) = delete;
  ConfiguringScope& operator=(const ConfiguringScope&) = delete;

 private:
  Device* dev_;
};

struct IommuState {
  explicit IommuState(Kernel& k);
  Kernel& kernel;
  harness::SpinLock iommu_device_lock{"iommu_device_lock"};
  harness::ListHead iommu_device_list ABSL_GUARDED_BY(iommu_device_lock);
  // platform_bus_type.iommu_ops (bus_set_iommu / iommu_device_register, 6.0..6.7).
  harness::Tracked<const IommuOps*> bus_iommu_ops{nullptr};
  // iommu_probe_device_lock (static in __iommu_probe_device in 6.2; global from 6.7).
  harness::Mutex iommu_probe_device_lock{"iommu_probe_device_lock"};
  int next_group_id ABSL_GUARDED_BY(iommu_device_lock) = 0;  // the ida, under this lock in the model
  // The number in a domain's name (harness naming, not kernel state): taken by tasks that allocate
  // domains under different group mutexes, so atomic (free-engine tasks are OS threads).
  std::atomic<int> next_domain_id{0};
  // Tasks inside of_iommu_configure, per device (the dev-iommu-free-while-held probe).
  // Bookkeeping, no schedule points.
  harness::RawLock configurers_lock;
  std::vector<std::vector<harness::TaskId>> configurers ABSL_GUARDED_BY(configurers_lock);
  // dev->iommu objects: every bus walk allocates and frees one for each device without an IOMMU.
  KmemCache<DevIommu> dev_iommu_cache;
  // bus_iommu_probe runs (coverage). Harness bookkeeping: concurrent walks bump it under the free
  // engine, so it is atomic and invisible to the model's race detector.
  std::atomic<uint64_t> bus_probes{0};
};

// The run's IommuState, created on first use.
IommuState& iommu_state(Kernel& k);

// ---- registration (iommu_device_register and the bus walk)
// iommu_device_sysfs_add: a no-op apart from the flag (sysfs is not modelled).
int iommu_device_sysfs_add(IommuDevice* iommu, Device* parent);
void iommu_device_sysfs_remove(IommuDevice* iommu);
// 6.0: only the list. 6.1+: -EBUSY on different ops for the bus, list add, bus->iommu_ops and
// bus_iommu_probe over the whole platform bus (unregistering on failure).
int iommu_device_register(IommuDevice* iommu, const IommuOps* ops, Device* hwdev);
void iommu_device_unregister(IommuDevice* iommu);
// ≤6.0: bus_set_iommu(&platform_bus_type, ops): bus->iommu_ops and bus_iommu_probe.
int bus_set_iommu(Kernel& k, const IommuOps* ops);
// Walks iommu_device_list under iommu_device_lock: the ops of the instance registered for `node`.
const IommuOps* iommu_ops_from_fwnode(Kernel& k, int node);

// ---- dev->iommu and the fwspec
DevIommu* dev_iommu_get(Device* dev);
// Frees the fwspec and dev->iommu and sets dev->iommu = NULL (whoever else uses them).
void dev_iommu_free(Device* dev);
IommuFwspec* dev_iommu_fwspec_get(Device* dev);
void* dev_iommu_priv_get(Device* dev);
// Dereferences dev->iommu without a NULL check, as the kernel: NULL dev->iommu is an oops
// (dev-iommu-freed-in-use) at the offset of priv, with `caller` as the pc.
void dev_iommu_priv_set(Device* dev, void* priv, const char* caller);
// 0, -EINVAL (an existing fwspec with different ops), -ENOMEM.
int iommu_fwspec_init(Device* dev, int iommu_fwnode, const IommuOps* ops);
void iommu_fwspec_free(Device* dev);
int iommu_fwspec_add_ids(Device* dev, const std::vector<uint32_t>& ids);

// ---- probe (bus_iommu_probe, iommu_probe_device)
int __iommu_probe_device(Device* dev, harness::ListHead* group_list);
int iommu_probe_device(Device* dev);
void iommu_release_device(Device* dev);
// Probes every device of `bus` without a group, then attaches the new groups' default domains.
int bus_iommu_probe(Kernel& k, BusType bus);
bool device_iommu_mapped(Device* dev);

// ---- groups and domains
IommuGroup* generic_device_group(Device* dev);
IommuGroup* iommu_group_get(Device* dev);
IommuDomain* iommu_get_domain_for_dev(Device* dev);
IommuDomain* iommu_domain_alloc_type(Kernel& k, const IommuOps* ops, IommuDomainType type);
int iommu_attach_device(IommuDomain* domain, Device* dev);
// The DMA-ownership claim of a bound driver (v5.19+): use counts the group's kernel DMA users
// (-EBUSY if the group is not on its default domain while it has users), unuse drops the count
// with the kernel's WARN_ON(!group->owner_cnt). Both do nothing for a device without a group.
int iommu_device_use_default_domain(Device* dev);
void iommu_device_unuse_default_domain(Device* dev);
void iommu_detach_device(IommuDomain* domain, Device* dev);
// iommu_map / iommu_unmap: split by the domain's pgsize_bitmap into ops->map/unmap calls.
int iommu_map(IommuDomain* domain, uint64_t iova, uint64_t paddr, uint64_t size, int prot);
uint64_t iommu_unmap(IommuDomain* domain, uint64_t iova, uint64_t size);
uint64_t iommu_iova_to_phys(IommuDomain* domain, uint64_t iova);
// report_iommu_fault: -ENOSYS when nobody handles it (no fault handler is ever installed here).
int report_iommu_fault(IommuDomain* domain, Device* dev, uint64_t iova, int flags);

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_IOMMU_IOMMU_H_
