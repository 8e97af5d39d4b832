// exynos-iommu (drivers/iommu/exynos-iommu.c, v6.1 with the bbc4d205d93f variants by knob): the
// SysMMU platform driver, its iommu_ops and the driver's globals, plus the registration entry
// point used by the world builder.
//
// Defines: sysmmu_drvdata, exynos_iommu_owner, exynos_iommu_domain (kernel names), the probe
// progress SysmmuProbeStep (P0..P12: the steps of exynos_sysmmu_probe()) and ExynosIommuState (Kernel::exynos).
//
// Invariant hooks (driver/invariants/, hwmodel/invariants/): xlate-uninit-controller (of_xlate,
// probe_device, attach_dev use a controller), domain-alloc-uninit (domain_alloc; its BUG_ON is the
// driver's own oops), controllers-list (owner->controllers: ListHead (DEBUG_LIST) oopses, a SysMMU
// on two owners' lists, data->master inconsistent), double-iommu-probe (data->link overwritten),
// dev-iommu-freed-in-use (the runtime-PM oops on a freed owner), sysmmu-fault (the fault IRQ
// nobody handles: show_fault_information() and BUG_ON(ret != 0) in hard-IRQ context, a panic).
//
// Thread-safety (as the kernel): the globals are unlocked (Tracked); owner->controllers and
// data->owner_node are unlocked; domain->clients under domain->lock; data's hardware state under
// data->lock; owner->domain and runtime-PM decisions under owner->rpm_lock.
#ifndef PROBESTORM_DRIVER_IOMMU_EXYNOS_IOMMU_H_
#define PROBESTORM_DRIVER_IOMMU_EXYNOS_IOMMU_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "driver/base/core.h"
#include "driver/base/device.h"
#include "driver/iommu/iommu.h"
#include "driver/kernel.h"
#include "harness/sync/list.h"
#include "harness/sync/mutex.h"
#include "harness/sync/tracked.h"
#include "hwmodel/hw/clock.h"
#include "hwmodel/hw/sysmmu_block.h"

namespace probestorm::kernel {

// exynos_sysmmu_probe() progress (drivers/iommu/exynos-iommu.c, v6.1). kP5Registered is the v6.1 position of
// iommu_device_register, kP11Registered the bbc4d205d93f one.
enum class SysmmuProbeStep : uint8_t {
  kNotProbed,
  kP0Created,        // devm_kzalloc(data), sfrbase
  kP1Irq,            // devm_request_irq: the handler is live
  kP2Clocks,
  kP3Version,        // __sysmmu_get_version, variant
  kP4Sysfs,          // iommu_device_sysfs_add
  kP5Registered,     // v6.1: iommu_device_register
  kP6Drvdata,        // platform_set_drvdata
  kP7PgEntShift,     // PG_ENT_SHIFT, LV1_PROT/LV2_PROT
  kP8DmaMask,        // dma_set_mask(36)
  kP9DmaDev,         // dma_dev (first SysMMU)
  kP10PmRuntime,     // pm_runtime_enable
  kP11Registered,    // v6.2+: iommu_device_register last
  kP12Bound,         // probe returned 0 (driver_bound follows in the core)
  kFailed,           // probe failed: devres freed data
};
const char* SysmmuProbeStepName(SysmmuProbeStep s);

struct exynos_iommu_domain;

struct sysmmu_drvdata {
  explicit sysmmu_drvdata(Device* dev);
  Device* sysmmu;                               // data->sysmmu (set at P3 in the kernel)
  hwmodel::SysmmuBlock* sfrbase = nullptr;
  hwmodel::ClockGate* clk = nullptr;            // "sysmmu"
  hwmodel::ClockGate* aclk = nullptr;
  hwmodel::ClockGate* pclk = nullptr;
  hwmodel::ClockGate* clk_master = nullptr;
  harness::SpinLock lock{"data->lock"};
  harness::Tracked<exynos_iommu_domain*> domain{nullptr};  // under data->lock (and rpm_lock)
  harness::ListNode domain_node;                // on domain->clients (domain->lock)
  harness::ListNode owner_node;                 // on owner->controllers (no lock!)
  harness::Tracked<Device*> master{nullptr};    // the owner's device
  uint64_t pgtable = 0;                         // phys of lv1, under data->lock
  int version = 0;                              // MMU_VERSION >> 21 (major << 7 | minor)
  const hwmodel::sysmmu_reg::Variant* variant = nullptr;
  bool has_vcr = false;                         // v7: CAPA1 VCR (VM register layout)
  IommuDevice iommu;
  DeviceLink* link = nullptr;                   // from probe_device
  bool active = false;                          // under data->lock
  bool freed = false;                           // devres freed it (probe failure)
};

struct exynos_iommu_owner {
  exynos_iommu_owner(Device* dev);
  Device* dev;
  harness::ListHead controllers;                // of sysmmu_drvdata::owner_node, unlocked
  harness::Tracked<IommuDomain*> domain{nullptr};
  harness::Mutex rpm_lock{"owner->rpm_lock"};
};

struct exynos_iommu_domain : IommuDomain {
  exynos_iommu_domain(Kernel& k, std::string what);
  Kernel& kernel;
  uint64_t pgtable = 0;                         // phys of the 16 KiB lv1 table
  std::vector<int16_t> lv2entcnt;               // free lv2 entries per lv1 entry
  harness::ListHead clients;                    // of sysmmu_drvdata::domain_node
  harness::SpinLock lock{"domain->lock"};
  harness::SpinLock pgtablelock{"domain->pgtablelock"};
  bool lv1_from_null_zero_table = false;        // S1: filled while zero_lv2_table was NULL
};

struct SysmmuNodeState {
  // Written by the SysMMU's probe, read by masters' and bus probes' tasks that hold none of its
  // locks (the S2 overlap itself): atomic, since free-engine tasks are OS threads.
  std::atomic<SysmmuProbeStep> step{SysmmuProbeStep::kNotProbed};
  sysmmu_drvdata* data = nullptr;
  int attempts = 0;
};

struct ExynosIommuState {
  explicit ExynosIommuState(Kernel& k);
  Kernel& kernel;
  // ---- the driver's static globals of exynos-iommu.c, unlocked as in the kernel
  harness::Tracked<Device*> dma_dev{nullptr};
  harness::Tracked<bool> lv2table_kmem_cache{false};
  harness::Tracked<uint64_t> zero_lv2_table{0};     // phys; 0 = NULL
  harness::Tracked<int> PG_ENT_SHIFT{-1};
  harness::Tracked<const uint32_t*> LV1_PROT{nullptr};
  harness::Tracked<const uint32_t*> LV2_PROT{nullptr};
  // ---- static const tables
  IommuOps exynos_iommu_ops;
  IommuDomainOps exynos_iommu_domain_ops;
  DeviceDriver exynos_sysmmu_driver;
  // ---- bookkeeping (no schedule points)
  std::vector<SysmmuNodeState> nodes;               // by DT node
  bool init_done = false;
  uint64_t domains_with_null_zero_link = 0;
};

ExynosIommuState& exynos_state(Kernel& k);

// exynos_iommu_init: v6.1 order or the fixed one (knob exynos_init_fixed); ≤6.0 core ends
// with bus_set_iommu.
int exynos_iommu_init(Kernel& k);
// Built in: core_initcall(exynos_iommu_init); module "exynos-iommu" loaded at knobs.exynos_load_time.
void exynos_iommu_register(Kernel& k);

// The driver's entry points (exposed for unit tests).
int exynos_sysmmu_probe(Device* dev);
int exynos_iommu_of_xlate(Device* dev, const hwmodel::PhandleRef& spec);
IommuDevice* exynos_iommu_probe_device(Device* dev, int* err);
void exynos_iommu_release_device(Device* dev);
IommuDomain* exynos_iommu_domain_alloc(Kernel& k, IommuDomainType type);
int exynos_iommu_attach_device(IommuDomain* domain, Device* dev);
void exynos_iommu_detach_device(IommuDomain* domain, Device* dev);
int exynos_sysmmu_suspend(Device* dev);
int exynos_sysmmu_resume(Device* dev);
void exynos_sysmmu_irq(sysmmu_drvdata* data);
// The fault an INT_STATUS bit means to the v6.1 driver (sysmmu_faults / sysmmu_v5_faults):
// "AR MULTI-HIT", "PAGE", "BUS ERROR", ...; nullptr for a bit the version's table lacks.
const char* exynos_sysmmu_fault_name(int version, int itype);
// ZERO_LV2LINK as the macro computes it now (from the current zero_lv2_table).
uint32_t exynos_zero_lv2link(Kernel& k);

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_IOMMU_EXYNOS_IOMMU_H_
