// Models drivers/iommu/iommu.c of Linux v6.1, with the generation differences of
// knob iommu_core:
//   6.0  iommu_device_register only lists the instance; bus_set_iommu() does the bus probe.
//   6.1  iommu_device_register: -EBUSY on different ops, list add, bus->iommu_ops, bus_iommu_probe
//        over the whole platform bus; no probe lock; group_list add outside group->mutex.
//   6.2  01657bc14a39: static iommu_probe_device_lock around __iommu_probe_device; group_list add
//        under group->mutex.
//   6.7  a2e7e59a9426: the lock is global and of_iommu_configure takes it too (of_iommu.cc);
//        __iommu_probe_device returns at once for a device already in a group (6.6 refactor).
//   6.15 bcb81ac6ae3c: ops come from the fwspec; a device without fwspec and without driver is
//        firmware-parsed from the probe path; IOMMU-probing a device with dev->driver set is the
//        dev_WARN "late IOMMU probe at driver bind, something fishy here!", placed after
//        probe_device accepted the device as 73d2f10957f5 placed it: a `late-iommu-probe` warning
//        finding (the kernel's own diagnostic of the window S9; the harm it warns about is
//        checked by dma-ops-on-bound).
// Knob arch arm32: CONFIG_IOMMU_DMA is off, iommu_get_dma_cookie() is the -ENODEV stub, so
// __iommu_domain_alloc() frees every DMA domain right after the driver's domain_alloc() made it:
// groups get no default domain and bus_iommu_probe()/iommu_probe_device() attach nothing (the
// only IOMMU DMA path is arm_setup_iommu_dma_ops() at the master's own probe, driver/arch).
// Deliberate divergences: one bus (platform); no sysfs, no notifiers (BUS_NOTIFY_ADD_DEVICE would
// find no ops: devices exist before any IOMMU registers in every modelled boot); no reserved
// regions or direct mappings; try_module_get never fails (exynos-iommu has no module exit, so its
// module never goes away); groups are never freed (iommu_group_put is a no-op).
#include "driver/iommu/iommu.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "driver/arch/fault.h"
#include "driver/base/bus.h"
#include "driver/base/dd.h"
#include "driver/invariants/default_domain_owner.h"
#include "driver/invariants/dev_iommu_freed_in_use.h"
#include "driver/invariants/dma_ops_on_bound.h"
#include "driver/invariants/double_iommu_probe.h"
#include "driver/invariants/late_iommu_probe.h"
#include "driver/iommu/dma_iommu.h"
#include "driver/iommu/of_iommu.h"
#include "harness/trace/trace.h"

namespace probestorm::kernel {

using harness::TraceLog;
using harness::TraceSpan;

const char* IommuDomainTypeName(IommuDomainType t) {
  switch (t) {
    case IommuDomainType::kBlocked: return "BLOCKED";
    case IommuDomainType::kIdentity: return "IDENTITY";
    case IommuDomainType::kUnmanaged: return "UNMANAGED";
    case IommuDomainType::kDma: return "DMA";
    case IommuDomainType::kDmaFq: return "DMA_FQ";
  }
  return "?";
}

DevIommu::DevIommu(Device* d) : dev(d) {
  fwspec.SetLabel(d->name, " dev->iommu->fwspec");
  iommu_dev.SetLabel(d->name, " dev->iommu->iommu_dev");
  priv.SetLabel(d->name, " dev->iommu->priv");
}

// Frees of dev->iommu objects after which a freed one is reused: a late use of a freed dev->iommu
// comes within a few schedule points of the free (S3), far below this.
constexpr size_t kDevIommuQuarantine = size_t{1} << 14;

IommuState::IommuState(Kernel& k)
    : kernel(k),
      iommu_device_list("iommu_device_list", invariants::kDoubleIommuProbe),
      configurers(k.board.nodes.size()),
      dev_iommu_cache(kDevIommuQuarantine, [](const DevIommu& p) {
        // Reused only when no task holds its lock.
        return p.lock.owner() == harness::kNoTask;
      }) {
  bus_iommu_ops.SetLabel("platform_bus_type.iommu_ops");
}

ConfiguringScope::ConfiguringScope(Device* dev) : dev_(dev) {
  IommuState& s = iommu_state(*dev->kernel);
  harness::RawLockGuard g(s.configurers_lock);
  s.configurers[static_cast<size_t>(dev->of_node)].push_back(harness::Current().Self());
}

ConfiguringScope::~ConfiguringScope() {
  IommuState& s = iommu_state(*dev_->kernel);
  harness::RawLockGuard g(s.configurers_lock);
  auto& v = s.configurers[static_cast<size_t>(dev_->of_node)];
  auto it = std::find(v.begin(), v.end(), harness::Current().Self());
  if (it != v.end()) v.erase(it);
}

IommuState& iommu_state(Kernel& k) {
  if (!k.iommu) k.iommu = std::make_shared<IommuState>(k);
  return *k.iommu;
}

namespace {

IommuCoreGen Gen(Kernel& k) { return k.knobs.iommu_core; }
bool ProbeLockInProbe(Kernel& k) { return Gen(k) >= IommuCoreGen::k6_2; }

// True when a task other than the caller is inside of_iommu_configure for `dev`.
bool OtherTaskConfiguring(Device* dev) {
  IommuState& s = iommu_state(*dev->kernel);
  const harness::TaskId self = harness::Current().Self();
  harness::RawLockGuard g(s.configurers_lock);
  for (harness::TaskId t : s.configurers[static_cast<size_t>(dev->of_node)]) {
    if (t != self) return true;
  }
  return false;
}

DevIommu* DerefDevIommu(Device* dev, const char* func, const KernelField& field, bool write) {
  DevIommu* param = dev->iommu.Get();
  if (param == nullptr) invariants::DevIommuNullDeref(dev, func, field, write);
  if (param->freed) invariants::DevIommuUseAfterFree(dev, func);
  return param;
}

// dev_iommu_ops(): dev->iommu->iommu_dev->ops.
const IommuOps* dev_iommu_ops(Device* dev, const char* func) {
  DevIommu* param = DerefDevIommu(dev, func, kDevIommuIommuDev, false);
  IommuDevice* iommu_dev = param->iommu_dev.Get();
  if (iommu_dev == nullptr) invariants::DevIommuNullDeref(dev, func, kIommuDeviceOps, false);
  return iommu_dev->ops;
}

IommuGroup* iommu_group_alloc(Kernel& k) {
  IommuState& s = iommu_state(k);
  auto* g = k.Alloc<IommuGroup>();
  s.iommu_device_lock.lock();
  g->id = s.next_group_id++;
  s.iommu_device_lock.unlock();
  g->name = absl::StrCat("iommu_group ", g->id);
  g->default_domain.SetLabel(g->name, " default_domain");
  g->domain.SetLabel(g->name, " domain");
  return g;
}

int __iommu_attach_device(IommuDomain* domain, Device* dev, const char* via) {
  if (!domain->ops || !domain->ops->attach_dev) return -ENODEV;
  invariants::OnDmaSetupChange(dev, absl::StrCat("attach of ", domain->name, " by ", via));
  const int ret = domain->ops->attach_dev(domain, dev);
  TraceLog(dev->name, "__iommu_attach_device", absl::StrCat(domain->name, " ret=", ErrName(ret)));
  return ret;
}

// iommu_group_add_device: dev->iommu_group, the group's device list and, if the group already has
// a domain, an attach — the third attach site (after bus_iommu_probe's
// __iommu_group_dma_attach and iommu_probe_device's replay).
int iommu_group_add_device(IommuGroup* group, Device* dev) {
  invariants::OnIommuGroupAddDevice(dev, group);
  dev->iommu_group.Set(group);
  int ret = 0;
  group->mutex.lock();
  invariants::OnGroupDevicesAdd(dev, group);
  group->devices.push_back(dev);
  IommuDomain* domain = group->domain.Get();
  if (domain != nullptr) ret = __iommu_attach_device(domain, dev, "iommu_group_add_device");
  group->mutex.unlock();
  TraceLog(dev->name, "iommu_group_add_device", group->name);
  return ret;
}

void iommu_group_remove_device(Device* dev) {
  IommuGroup* group = dev->iommu_group.Get();
  if (group == nullptr) return;
  group->mutex.lock();
  auto it = std::find(group->devices.begin(), group->devices.end(), dev);
  if (it != group->devices.end()) group->devices.erase(it);
  group->mutex.unlock();
  dev->iommu_group.Set(nullptr);
}

IommuGroup* iommu_group_get_for_dev(Device* dev) {
  IommuGroup* group = iommu_group_get(dev);
  if (group != nullptr) return group;
  const IommuOps* ops = dev_iommu_ops(dev, "iommu_group_get_for_dev");
  group = ops->device_group ? ops->device_group(dev) : generic_device_group(dev);
  const int ret = iommu_group_add_device(group, dev);
  if (ret != 0) {
    iommu_group_remove_device(dev);
    return nullptr;
  }
  return group;
}

// iommu_group_alloc_default_domain / probe_alloc_default_domain. REQUIRES: group->mutex.
void iommu_alloc_default_domain(IommuGroup* group, Device* dev, const IommuOps* ops) {
  if (group->default_domain.Get() != nullptr) return;
  Kernel& k = *dev->kernel;
  IommuDomainType type = k.knobs.default_domain_dma ? IommuDomainType::kDma : IommuDomainType::kIdentity;
  // v6.7 gives arm32 an IDENTITY default domain ("iommu: Allow an IDENTITY domain as the
  // default_domain in ARM32"; exynos' identity domain, b3d14960e629). The model has no exynos
  // identity domain: the request finds none, as v6.1's DMA request finds no cookie, and the group
  // stays without a default domain; both leave translation off under the master.
  if (k.knobs.arch == Arch::kArm32 && Gen(k) >= IommuCoreGen::k6_7) type = IommuDomainType::kIdentity;
  if (ops->def_domain_type) {
    if (int t = ops->def_domain_type(dev); t != 0) type = static_cast<IommuDomainType>(t - 1);
  }
  IommuDomain* dom = iommu_domain_alloc_type(k, ops, type);
  if (dom == nullptr && type != IommuDomainType::kDma) {
    TraceLog(dev->name, "iommu_group_alloc_default_domain",
             absl::StrCat("Failed to allocate default IOMMU domain of type ", IommuDomainTypeName(type),
                          " for group ", group->name, " - Falling back to IOMMU_DOMAIN_DMA"));
    dom = iommu_domain_alloc_type(k, ops, IommuDomainType::kDma);
  }
  if (dom == nullptr) return;
  group->default_domain.Set(dom);
  if (group->domain.Get() == nullptr) group->domain.Set(dom);
  TraceLog(dev->name, "iommu_group_alloc_default_domain", absl::StrCat(group->name, ": ", dom->name));
}

}  // namespace

// ---------------------------------------------------------------- registration

int iommu_device_sysfs_add(IommuDevice* iommu, Device* parent) {
  iommu->sysfs_added = true;
  TraceLog(parent->name, "iommu_device_sysfs_add");
  return 0;
}

void iommu_device_sysfs_remove(IommuDevice* iommu) { iommu->sysfs_added = false; }

const IommuOps* iommu_ops_from_fwnode(Kernel& k, int node) {
  IommuState& s = iommu_state(k);
  const IommuOps* ops = nullptr;
  s.iommu_device_lock.lock();
  for (void* o : s.iommu_device_list.Owners()) {
    auto* iommu = static_cast<IommuDevice*>(o);
    if (iommu->fwnode == node) {
      ops = iommu->ops;
      break;
    }
  }
  s.iommu_device_lock.unlock();
  return ops;
}

int iommu_device_register(IommuDevice* iommu, const IommuOps* ops, Device* hwdev) {
  Kernel& k = *hwdev->kernel;
  IommuState& s = iommu_state(k);
  TraceSpan span(hwdev->name, "iommu_device_register");
  if (Gen(k) >= IommuCoreGen::k6_1 && Gen(k) < IommuCoreGen::k6_15) {
    const IommuOps* cur = s.bus_iommu_ops.Get();
    if (cur != nullptr && cur != ops) return -EBUSY;
  }
  iommu->ops = ops;
  iommu->fwnode = hwdev->of_node;
  iommu->dev = hwdev;
  s.iommu_device_lock.lock();
  s.iommu_device_list.AddTail(&iommu->list);
  s.iommu_device_lock.unlock();
  TraceLog(hwdev->name, "iommu_device_register", "added to iommu_device_list");
  if (Gen(k) == IommuCoreGen::k6_0) return 0;
  // 57365a04c921: every registration re-probes the whole bus. Several SysMMUs probing at once
  // run several bus_iommu_probe() concurrently (S4); a SysMMU registering before its own probe is
  // complete exposes it to every master (S2) and may allocate domains before the exynos globals
  // exist (S1).
  // iommu_buses[] in order: platform, pci (no PCI device on the modelled boards), amba.
  s.bus_iommu_ops.Set(ops);
  int err = 0;
  for (BusType bus : {BusType::kPlatform, BusType::kAmba}) {
    if (err == 0) err = bus_iommu_probe(k, bus);
  }
  if (err != 0) iommu_device_unregister(iommu);
  return err;
}

void iommu_device_unregister(IommuDevice* iommu) {
  IommuState& s = iommu_state(*iommu->dev->kernel);
  s.iommu_device_lock.lock();
  s.iommu_device_list.Del(&iommu->list);
  s.iommu_device_lock.unlock();
  TraceLog(iommu->dev->name, "iommu_device_unregister");
}

int bus_set_iommu(Kernel& k, const IommuOps* ops) {
  IommuState& s = iommu_state(k);
  TraceSpan span("", "bus_set_iommu");
  if (s.bus_iommu_ops.Get() != nullptr) return -EBUSY;
  s.bus_iommu_ops.Set(ops);
  return bus_iommu_probe(k, BusType::kPlatform);  // exynos_iommu_init sets the platform bus only
}

// ---------------------------------------------------------------- dev->iommu, fwspec

DevIommu* dev_iommu_get(Device* dev) {
  DevIommu* param = dev->iommu.Get();
  if (param != nullptr) return param;
  // Unlocked check-then-set, as the kernel: two tasks may both allocate; the last store wins.
  might_sleep();  // kzalloc(GFP_KERNEL)
  param = iommu_state(*dev->kernel).dev_iommu_cache.Alloc(*dev->kernel, dev);
  dev->iommu.Set(param);
  TraceLog(dev->name, "dev_iommu_get", "allocated dev->iommu");
  return param;
}

void dev_iommu_free(Device* dev) {
  Kernel& k = *dev->kernel;
  DevIommu* param = dev->iommu.Get();
  // param->fwspec is read before anything is checked: a second free dereferences NULL.
  if (param == nullptr) invariants::DevIommuNullDeref(dev, "dev_iommu_free", kDevIommuFwspec, false);
  // Recorded before the store: the store is a schedule point, and a task that runs right after it
  // and finds NULL must learn who cleared it.
  invariants::OnDevIommuFree(dev);
  dev->iommu.Set(nullptr);
  IommuFwspec* fwspec = param->fwspec.Get();
  if (fwspec != nullptr) fwspec->freed = true;
  param->freed = true;
  iommu_state(k).dev_iommu_cache.Free(param);
  TraceLog(dev->name, "dev_iommu_free", "dev->iommu = NULL, fwspec and dev_iommu kfree'd");
  if (OtherTaskConfiguring(dev)) k.probes.Hit(ProbeId::kDevIommuFreeWhileHeld);
}

IommuFwspec* dev_iommu_fwspec_get(Device* dev) {
  DevIommu* param = dev->iommu.Get();
  if (param == nullptr) return nullptr;
  if (param->freed) invariants::DevIommuUseAfterFree(dev, "dev_iommu_fwspec_get");
  return param->fwspec.Get();
}

void* dev_iommu_priv_get(Device* dev) {
  DevIommu* param = dev->iommu.Get();
  if (param == nullptr) return nullptr;
  if (param->freed) invariants::DevIommuUseAfterFree(dev, "dev_iommu_priv_get");
  return param->priv.Get();
}

void dev_iommu_priv_set(Device* dev, void* priv, const char* caller) {
  DevIommu* param = DerefDevIommu(dev, caller, kDevIommuPriv, true);
  param->priv.Set(priv);
}

int iommu_fwspec_init(Device* dev, int iommu_fwnode, const IommuOps* ops) {
  IommuFwspec* fwspec = dev_iommu_fwspec_get(dev);
  // v6.1 compares the ops, not the fwnode: a second `iommus` entry whose instance is not
  // registered yet (ops NULL) after a first one that is gives -EINVAL, which of_iommu_configure
  // swallows (the multi-IOMMU readiness hole the 2026 report describes).
  if (fwspec != nullptr) return ops == fwspec->ops ? 0 : -EINVAL;
  DevIommu* param = dev_iommu_get(dev);
  might_sleep();  // kzalloc(GFP_KERNEL)
  fwspec = dev->kernel->Alloc<IommuFwspec>();
  fwspec->iommu_fwnode = iommu_fwnode;
  fwspec->ops = ops;
  // dev_iommu_fwspec_set: dev->iommu->fwspec = fwspec (dereferences dev->iommu again).
  (void)param;
  DerefDevIommu(dev, "iommu_fwspec_init", kDevIommuFwspec, true)->fwspec.Set(fwspec);
  return 0;
}

void iommu_fwspec_free(Device* dev) {
  IommuFwspec* fwspec = dev_iommu_fwspec_get(dev);
  if (fwspec == nullptr) return;
  fwspec->freed = true;
  DerefDevIommu(dev, "iommu_fwspec_free", kDevIommuFwspec, true)->fwspec.Set(nullptr);
}

int iommu_fwspec_add_ids(Device* dev, const std::vector<uint32_t>& ids) {
  IommuFwspec* fwspec = dev_iommu_fwspec_get(dev);
  if (fwspec == nullptr) return -EINVAL;
  fwspec->ids.insert(fwspec->ids.end(), ids.begin(), ids.end());
  return 0;
}

// ---------------------------------------------------------------- probe

bool device_iommu_mapped(Device* dev) { return dev->iommu_group.Get() != nullptr; }

IommuGroup* iommu_group_get(Device* dev) { return dev->iommu_group.Get(); }

IommuGroup* generic_device_group(Device* dev) { return iommu_group_alloc(*dev->kernel); }

// Which locks are held here depends on the modelled generation (iommu_core knob: none in 6.1, the
// probe lock from 6.2, group->mutex around group_list only from 6.2): conditional locking that
// clang's static analysis cannot follow.
int __iommu_probe_device(Device* dev, harness::ListHead* group_list) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  Kernel& k = *dev->kernel;
  IommuState& s = iommu_state(k);
  TraceSpan span(dev->name, "__iommu_probe_device");
  const IommuOps* ops = nullptr;
  if (Gen(k) >= IommuCoreGen::k6_15) {
    // bcb81ac6ae3c: the probe path does the firmware parsing itself when nothing did yet.
    DevIommu* param = dev->iommu.Get();
    if ((param == nullptr || param->fwspec.Get() == nullptr) && dev->driver.Get() == nullptr &&
        dev->np->IsMaster()) {
      s.iommu_probe_device_lock.unlock();
      of_iommu_configure_fwspec(dev);
      s.iommu_probe_device_lock.lock();
    }
    IommuFwspec* fwspec = dev_iommu_fwspec_get(dev);
    ops = fwspec != nullptr ? fwspec->ops : nullptr;
  } else {
    ops = s.bus_iommu_ops.Get();
  }
  if (ops == nullptr) return -ENODEV;
  if (Gen(k) >= IommuCoreGen::k6_7 && dev->iommu_group.Get() != nullptr) return 0;

  dev_iommu_get(dev);
  // try_module_get(ops->owner): always succeeds (no module exit, see the file comment).
  int err = 0;
  IommuDevice* iommu_dev = ops->probe_device(dev, &err);
  if (iommu_dev == nullptr) {
    TraceLog(dev->name, "__iommu_probe_device", absl::StrCat("probe_device: ", ErrName(err)));
    // module_put; dev_iommu_free: frees dev->iommu even if another task is inside of_xlate
    // with it (S3). 6.15 keeps a dev->iommu that carries a fwspec (3832862eb9c4).
    if (Gen(k) < IommuCoreGen::k6_15 || dev_iommu_fwspec_get(dev) == nullptr) dev_iommu_free(dev);
    return err;
  }
  invariants::OnIommuProbeDevice(dev);
  // dev->iommu->iommu_dev = iommu_dev: dereferences dev->iommu again, which a concurrent
  // failed probe may just have freed.
  DerefDevIommu(dev, "__iommu_probe_device", kDevIommuIommuDev, true)->iommu_dev.Set(iommu_dev);

  IommuGroup* group = iommu_group_get_for_dev(dev);
  if (group == nullptr) {
    if (ops->release_device) ops->release_device(dev);
    invariants::OnIommuProbeUndone(dev);
    dev_iommu_free(dev);
    return -EINVAL;
  }
  if (group_list != nullptr) {
    // v6.1 adds to the caller's group_list outside group->mutex; 01657bc14a39 moved it inside.
    const bool locked = ProbeLockInProbe(k);
    if (locked) group->mutex.lock();
    if (group->default_domain.Get() == nullptr && group->entry.next == nullptr) {
      group_list->AddTail(&group->entry);
    }
    if (locked) group->mutex.unlock();
  }
  // 6.15: after iommu_init_device succeeded, i.e. after probe_device accepted the device (73d2f10957f5
  // moved it there so that devices the IOMMU driver rejects do not warn).
  if (Gen(k) >= IommuCoreGen::k6_15) {
    if (const DeviceDriver* drv = dev->driver.Get()) invariants::OnLateIommuProbe(dev, drv);
  }
  invariants::OnIommuProbeOk(dev);
  TraceLog(dev->name, "__iommu_probe_device", absl::StrCat("ok: ", group->name));
  return 0;
}

namespace {

// __iommu_probe_device with the generation's lock.
int iommu_probe_device_locked(Device* dev, harness::ListHead* group_list) {
  IommuState& s = iommu_state(*dev->kernel);
  if (!ProbeLockInProbe(*dev->kernel)) return __iommu_probe_device(dev, group_list);
  s.iommu_probe_device_lock.lock();
  const int ret = __iommu_probe_device(dev, group_list);
  s.iommu_probe_device_lock.unlock();
  return ret;
}

}  // namespace

int iommu_probe_device(Device* dev) {
  TraceSpan span(dev->name, "iommu_probe_device");
  int ret = iommu_probe_device_locked(dev, nullptr);
  if (ret != 0) return ret;
  IommuGroup* group = iommu_group_get(dev);
  if (group == nullptr) {
    iommu_release_device(dev);
    return -ENODEV;
  }
  group->mutex.lock();
  const IommuOps* ops = dev_iommu_ops(dev, "iommu_probe_device");
  iommu_alloc_default_domain(group, dev, ops);
  IommuDomain* def = group->default_domain.Get();
  if (def != nullptr) {
    ret = __iommu_attach_device(def, dev, "iommu_probe_device");
    if (ret != 0) {
      group->mutex.unlock();
      iommu_release_device(dev);
      return ret;
    }
  }
  group->mutex.unlock();
  return 0;
}

void iommu_release_device(Device* dev) {
  if (dev->iommu.Get() == nullptr) return;
  const IommuOps* ops = dev_iommu_ops(dev, "iommu_release_device");
  if (ops->release_device) ops->release_device(dev);
  invariants::OnIommuReleaseDevice(dev);
  iommu_group_remove_device(dev);
  dev_iommu_free(dev);
}

int bus_iommu_probe(Kernel& k, BusType bus) {
  IommuState& s = iommu_state(k);
  TraceSpan span("", absl::StrCat("bus_iommu_probe ", BusName(bus)));
  s.bus_probes.fetch_add(1, std::memory_order_relaxed);
  // LIST_HEAD(group_list) on this task's stack; a group on two tasks' lists is a DEBUG_LIST bug.
  auto* group_list = k.Alloc<harness::ListHead>(absl::StrCat("bus_iommu_probe group_list of ", harness::SelfName()),
                                                invariants::kDoubleIommuProbe);
  int ret = bus_for_each_dev(k, bus, [&](Device* dev) -> int {
    // probe_iommu_group: a device that already has a group has been probed; skip it.
    if (iommu_group_get(dev) != nullptr) return 0;
    if (dev->np->IsMaster() && dev->driver.Peek() != nullptr) {
      k.probes.Hit(ProbeId::kBusProbeVisitsBoundMaster);
    }
    int r = iommu_probe_device_locked(dev, group_list);
    if (r == -ENODEV) r = 0;
    return r;
  });
  if (ret != 0) return ret;
  for (void* o : group_list->Owners()) {
    auto* group = static_cast<IommuGroup*>(o);
    group_list->Del(&group->entry);
    group->mutex.lock();
    std::vector<Device*> devs = group->devices;
    if (!devs.empty()) {
      const IommuOps* ops = s.bus_iommu_ops.Get();
      if (Gen(k) >= IommuCoreGen::k6_15) ops = dev_iommu_ops(devs[0], "probe_alloc_default_domain");
      iommu_alloc_default_domain(group, devs[0], ops);
    }
    IommuDomain* def = group->default_domain.Get();
    if (def == nullptr) {
      group->mutex.unlock();
      continue;
    }
    // __iommu_group_dma_attach: every device of the group, bound to a driver or not.
    for (Device* dev : devs) {
      ret = __iommu_attach_device(def, dev, "bus_iommu_probe");
      if (ret != 0) break;
    }
    group->mutex.unlock();
    if (ret != 0) break;
  }
  return ret;
}

// ---------------------------------------------------------------- domains

IommuDomain* iommu_domain_alloc_type(Kernel& k, const IommuOps* ops, IommuDomainType type) {
  if (ops == nullptr || !ops->domain_alloc) return nullptr;
  IommuDomain* domain = ops->domain_alloc(type);
  if (domain == nullptr) return nullptr;
  IommuState& s = iommu_state(k);
  domain->type = type;
  domain->owner = ops;
  domain->pgsize_bitmap = ops->pgsize_bitmap;
  if (domain->ops == nullptr) domain->ops = ops->default_domain_ops;
  domain->name = absl::StrCat("domain#", s.next_domain_id++, " (", IommuDomainTypeName(type), ")");
  // __iommu_domain_alloc: the driver's domain_alloc ran first (exynos: its BUG_ON, S1); a DMA
  // domain without a cookie (arm32: the -ENODEV stub) is freed again.
  if ((type == IommuDomainType::kDma || type == IommuDomainType::kDmaFq) && iommu_get_dma_cookie(k, domain) != 0) {
    TraceLog("", "__iommu_domain_alloc", absl::StrCat(domain->name, ": no DMA cookie, iommu_domain_free"));
    return nullptr;
  }
  return domain;
}

IommuDomain* iommu_get_domain_for_dev(Device* dev) {
  IommuGroup* group = iommu_group_get(dev);
  if (group == nullptr) return nullptr;
  return group->domain.Get();
}

int iommu_attach_device(IommuDomain* domain, Device* dev) {
  IommuGroup* group = iommu_group_get(dev);
  if (group == nullptr) return -ENODEV;
  group->mutex.lock();
  int ret = __iommu_attach_device(domain, dev, "iommu_attach_device");
  if (ret == 0) group->domain.Set(domain);
  group->mutex.unlock();
  return ret;
}

int iommu_device_use_default_domain(Device* dev) {
  IommuGroup* group = iommu_group_get(dev);
  if (group == nullptr) return 0;
  int ret = 0;
  group->mutex.lock();
  if (group->owner_cnt != 0 && group->domain.Get() != group->default_domain.Get()) {
    ret = -EBUSY;
  } else {
    ++group->owner_cnt;
  }
  const int owner_cnt = group->owner_cnt;  // as this call left it
  group->mutex.unlock();
  TraceLog(dev->name, "iommu_device_use_default_domain",
           absl::StrCat(group->name, " owner_cnt=", owner_cnt, " ret=", ErrName(ret)));
  return ret;
}

void iommu_device_unuse_default_domain(Device* dev) {
  IommuGroup* group = iommu_group_get(dev);
  if (group == nullptr) return;
  group->mutex.lock();
  if (group->owner_cnt == 0) {
    invariants::OnDefaultDomainUnuseWithoutUse(dev, group);  // WARN_ON(!group->owner_cnt)
  } else {
    --group->owner_cnt;
  }
  group->mutex.unlock();
}

void iommu_detach_device(IommuDomain* domain, Device* dev) {
  IommuGroup* group = iommu_group_get(dev);
  if (group == nullptr) return;
  group->mutex.lock();
  if (domain->ops && domain->ops->detach_dev) domain->ops->detach_dev(domain, dev);
  IommuDomain* def = group->default_domain.Get();
  if (def != nullptr && def != domain) {
    __iommu_attach_device(def, dev, "iommu_detach_device");
  }
  group->domain.Set(def);
  group->mutex.unlock();
}

int iommu_map(IommuDomain* domain, uint64_t iova, uint64_t paddr, uint64_t size, int prot) {
  if (!domain->ops || !domain->ops->map) return -ENODEV;
  // Largest page size in the bitmap that fits alignment and length (iommu_pgsize).
  while (size > 0) {
    uint64_t pgsize = 0;
    for (int bit = 63; bit >= 0; --bit) {
      const uint64_t ps = 1ULL << bit;
      if (!(domain->pgsize_bitmap & ps)) continue;
      if (ps <= size && (iova & (ps - 1)) == 0 && (paddr & (ps - 1)) == 0) {
        pgsize = ps;
        break;
      }
    }
    if (pgsize == 0) return -EINVAL;
    const int ret = domain->ops->map(domain, iova, paddr, pgsize, prot);
    if (ret != 0) return ret;
    iova += pgsize;
    paddr += pgsize;
    size -= pgsize;
  }
  return 0;
}

uint64_t iommu_unmap(IommuDomain* domain, uint64_t iova, uint64_t size) {
  if (!domain->ops || !domain->ops->unmap) return 0;
  uint64_t done = 0;
  while (done < size) {
    const uint64_t n = domain->ops->unmap(domain, iova + done, size - done);
    if (n == 0) break;
    done += n;
  }
  return done;
}

uint64_t iommu_iova_to_phys(IommuDomain* domain, uint64_t iova) {
  if (!domain->ops || !domain->ops->iova_to_phys) return 0;
  return domain->ops->iova_to_phys(domain, iova);
}

int report_iommu_fault(IommuDomain* domain, Device* dev, uint64_t iova, int flags) {
  // No driver in the model installs a fault handler (iommu_set_fault_handler).
  TraceLog(dev->name, "report_iommu_fault",
           absl::StrCat(domain ? domain->name : "no domain", " iova=0x", absl::Hex(iova),
                        flags ? " write" : " read", ": no handler"));
  return -ENOSYS;
}

}  // namespace probestorm::kernel
