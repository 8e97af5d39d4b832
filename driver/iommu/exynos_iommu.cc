// Models drivers/iommu/exynos-iommu.c of Linux v6.1 (the v6.3 copy read directly,
// v6.1 differences from the diffs of bbc4d205d93f and "Clean up bus_set_iommu()"), with:
//   knob exynos_init_fixed    bbc4d205d93f part 1: zero_lv2_table allocated before
//                             platform_driver_register (v6.1: after).
//   knob exynos_register_last bbc4d205d93f part 2: iommu_device_register last in probe (P11)
//                             instead of right after iommu_device_sysfs_add (P5).
//   knob iommu_core 6.0       exynos_iommu_init ends with bus_set_iommu(&platform_bus_type).
//   knob inject               clk_get_defer: a seeded subset of SysMMUs gets -EPROBE_DEFER from
//                             devm_clk_get on its first probe; dma_set_mask: a seeded subset of
//                             v5+ SysMMUs fails dma_set_mask (after drvdata is set).
// Deliberate divergences: the IRQ number, MEM resource and sysfs are implicit; lv2 tables come
// from whole pages tagged "lv2table" (the kmem_cache is a flag); DMA syncs of page tables are
// no-ops (dma == phys, checked by the kernel's BUG_ON too); only VM instance 0 of a VM-capable v7
// (as the kernel); no system sleep ops; devres freeing of `data` after a failed probe
// is done at the failure return (the driver core's devres_release_all follows right after).
#include "driver/iommu/exynos_iommu.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "driver/arch/fault.h"
#include "driver/base/bus.h"
#include "driver/base/core.h"
#include "driver/base/driver.h"
#include "driver/base/pm_runtime.h"
#include "driver/invariants/controllers_list.h"
#include "driver/invariants/deferred_lists.h"
#include "driver/invariants/dev_iommu_freed_in_use.h"
#include "driver/invariants/domain_alloc_uninit.h"
#include "driver/invariants/double_iommu_probe.h"
#include "driver/invariants/xlate_uninit_controller.h"
#include "harness/strings.h"
#include "harness/trace/trace.h"
#include "hwmodel/hw/hardware.h"
#include "hwmodel/invariants/sysmmu_fault.h"

namespace probestorm::kernel {

using harness::TraceLog;
using harness::TraceSpan;
namespace reg = hwmodel::sysmmu_reg;

namespace {

constexpr int SYSMMU_PG_ENT_SHIFT = 0;
constexpr int SYSMMU_V5_PG_ENT_SHIFT = 4;
constexpr uint32_t NUM_LV1ENTRIES = 4096;
constexpr uint32_t NUM_LV2ENTRIES = 256;
constexpr uint64_t SECT_SIZE = 1ULL << 20;
constexpr uint64_t LPAGE_SIZE = 1ULL << 16;
constexpr uint64_t SPAGE_SIZE = 1ULL << 12;
constexpr int kEADDRINUSE = 98;

constexpr uint32_t SYSMMU_LV1_PROT[] = {(0u << 15) | (0u << 10), (1u << 15) | (1u << 10),
                                        (0u << 15) | (1u << 10), (0u << 15) | (1u << 10)};
constexpr uint32_t SYSMMU_LV2_PROT[] = {(0u << 9) | (0u << 4), (1u << 9) | (1u << 4),
                                        (0u << 9) | (1u << 4), (0u << 9) | (1u << 4)};
constexpr uint32_t SYSMMU_V5_LV1_PROT[] = {0u << 4, 1u << 4, 2u << 4, 3u << 4};
constexpr uint32_t SYSMMU_V5_LV2_PROT[] = {0u << 2, 1u << 2, 2u << 2, 3u << 2};

int MMU_MAJ_VER(int version) { return version >> 7; }

// Lines of the BUG_ONs in drivers/iommu/exynos-iommu.c of v6.1 (the file is the same in rc7 and
// 6.1.15: docs/model.md), which report_bug prints as "kernel BUG at
// drivers/iommu/exynos-iommu.c:<line>!".
constexpr char kExynosIommuFile[] = "drivers/iommu/exynos-iommu.c";
constexpr int kLineBugUnknownFault = 500;  // exynos_sysmmu_irq: BUG_ON(i == n)
constexpr int kLineBugUnrecovered = 510;   // exynos_sysmmu_irq: BUG_ON(ret != 0)
constexpr int kLineBugDomainAlloc = 828;   // exynos_iommu_domain_alloc: BUG_ON(PG_ENT_SHIFT < 0 || !dma_dev)
constexpr int kLineWarnIrqInactive = 481;  // exynos_sysmmu_irq: WARN_ON(!data->active)

exynos_iommu_domain* to_exynos_domain(IommuDomain* d) { return static_cast<exynos_iommu_domain*>(d); }

hwmodel::PhysMemory& Mem(Kernel& k) { return k.hw->memory(); }

void Step(sysmmu_drvdata* data, SysmmuProbeStep s, std::string_view detail = {}) {
  Kernel& k = *data->sysmmu->kernel;
  exynos_state(k).nodes[static_cast<size_t>(data->sysmmu->of_node)].step = s;
  TraceLog(data->sysmmu->name, "exynos_sysmmu_probe",
           absl::StrCat(SysmmuProbeStepName(s), detail.empty() ? "" : ": ", Av(detail)));
}

std::vector<sysmmu_drvdata*> Controllers(exynos_iommu_owner* owner) {
  std::vector<sysmmu_drvdata*> out;
  for (void* o : owner->controllers.Owners()) out.push_back(static_cast<sysmmu_drvdata*>(o));
  return out;
}

// ---- hardware helpers

void __sysmmu_enable_clocks(sysmmu_drvdata* data) {
  if (data->clk_master) data->clk_master->prepare_enable();
  if (data->clk) data->clk->prepare_enable();
  if (data->pclk) data->pclk->prepare_enable();
  if (data->aclk) data->aclk->prepare_enable();
}

void __sysmmu_disable_clocks(sysmmu_drvdata* data) {
  if (data->aclk) data->aclk->disable_unprepare();
  if (data->pclk) data->pclk->disable_unprepare();
  if (data->clk) data->clk->disable_unprepare();
  if (data->clk_master) data->clk_master->disable_unprepare();
}

bool __sysmmu_has_capa1(sysmmu_drvdata* data) {
  return (data->sfrbase->readl(reg::kV7Capa0) & reg::kCapa0Capa1Exist) != 0;
}

void __sysmmu_get_vcr(sysmmu_drvdata* data) {
  data->has_vcr = (data->sfrbase->readl(reg::kV7Capa1) & reg::kCapa1VcrEnabled) != 0;
}

void __sysmmu_get_version(sysmmu_drvdata* data) {
  __sysmmu_enable_clocks(data);
  uint32_t ver = data->sfrbase->readl(reg::kMmuVersion);
  // v1.0 is 0x80000001, otherwise the version is in bits [31:21].
  if (ver == reg::kVersionV1Special) {
    data->version = static_cast<int>(reg::MakeMmuVer(1, 0));
  } else {
    data->version = static_cast<int>(ver >> 21);
  }
  const int maj = MMU_MAJ_VER(data->version);
  // v6.1 has three layouts: v1 (v1..v3), v5 (v5 and a v7 without VCR), v7 VM.
  if (maj < 5) {
    data->variant = &reg::kV1Variant;
  } else if (maj < 7) {
    data->variant = &reg::kV5Variant;
  } else {
    if (__sysmmu_has_capa1(data)) __sysmmu_get_vcr(data);
    data->variant = data->has_vcr ? &reg::kV7VmVariant : &reg::kV5Variant;
  }
  __sysmmu_disable_clocks(data);
}

void __sysmmu_tlb_invalidate(sysmmu_drvdata* data) {
  data->sfrbase->writel(data->variant->flush_all, 0x1);
}

void __sysmmu_set_ptbase(sysmmu_drvdata* data, uint64_t pgd) {
  if (MMU_MAJ_VER(data->version) < 5) {
    data->sfrbase->writel(data->variant->pt_base, static_cast<uint32_t>(pgd));
  } else {
    data->sfrbase->writel(data->variant->pt_base, static_cast<uint32_t>(pgd >> 12));
  }
  __sysmmu_tlb_invalidate(data);
}

void __sysmmu_init_config(sysmmu_drvdata* data) {
  uint32_t cfg = 0;
  const int maj = MMU_MAJ_VER(data->version);
  const int min = data->version & 0x7f;
  if (static_cast<uint32_t>(data->version) <= reg::MakeMmuVer(3, 1)) {
    cfg = reg::kCfgLru | reg::CfgQos(15);
  } else if (static_cast<uint32_t>(data->version) <= reg::MakeMmuVer(3, 2)) {
    cfg = reg::kCfgLru | reg::CfgQos(15) | reg::kCfgFlpdCache | reg::kCfgSysSel;
  } else {
    cfg = reg::CfgQos(15) | reg::kCfgFlpdCache | reg::kCfgAcGen;
  }
  (void)maj;
  (void)min;
  cfg |= reg::kCfgEap;  // CFG_EAP: the hardware checks the PTE access-protection bits
  data->sfrbase->writel(reg::kMmuCfg, cfg);
}

// VM instance 0 of a VM-capable v7: enabled, faults stall. REQUIRES: data->lock.
void __sysmmu_enable_vid(sysmmu_drvdata* data) {
  if (MMU_MAJ_VER(data->version) < 7 || !data->has_vcr) return;
  uint32_t ctrl = data->sfrbase->readl(reg::kV7CtrlVm);
  ctrl |= reg::kCtrlVmEnable | reg::kCtrlVmFaultModeStall;
  data->sfrbase->writel(reg::kV7CtrlVm, ctrl);
}

// REQUIRES: data->lock not held.
void __sysmmu_enable(sysmmu_drvdata* data) {
  TraceSpan span(data->sysmmu->name, "__sysmmu_enable");
  __sysmmu_enable_clocks(data);
  data->lock.lock();
  data->sfrbase->writel(reg::kMmuCtrl, reg::kCtrlBlock);
  __sysmmu_init_config(data);
  __sysmmu_set_ptbase(data, data->pgtable);
  __sysmmu_enable_vid(data);
  data->sfrbase->writel(reg::kMmuCtrl, reg::kCtrlEnable);
  data->active = true;
  data->lock.unlock();
  // The driver holds the master's clock just for its own register writes; keeping it on while
  // the master does DMA is the master driver's business.
  if (data->clk_master) data->clk_master->disable();
}

void __sysmmu_disable(sysmmu_drvdata* data) {
  TraceSpan span(data->sysmmu->name, "__sysmmu_disable");
  data->lock.lock();
  data->sfrbase->writel(reg::kMmuCtrl, reg::kCtrlDisable);
  data->sfrbase->writel(reg::kMmuCfg, 0);
  data->active = false;
  data->lock.unlock();
  // __sysmmu_enable dropped the master clock already; balance what remains.
  if (data->aclk) data->aclk->disable_unprepare();
  if (data->pclk) data->pclk->disable_unprepare();
  if (data->clk) data->clk->disable_unprepare();
}

void sysmmu_tlb_invalidate_entry(sysmmu_drvdata* data, uint64_t iova, uint64_t size) {
  data->lock.lock();
  if (data->active) {
    if (data->clk_master) data->clk_master->enable();
    const uint64_t num_inv = std::max<uint64_t>(1, size / SPAGE_SIZE);
    if (MMU_MAJ_VER(data->version) < 5 || num_inv == 1) {
      for (uint64_t i = 0; i < std::min<uint64_t>(num_inv, 64); ++i) {
        data->sfrbase->writel(data->variant->flush_entry,
                              static_cast<uint32_t>(((iova + i * SPAGE_SIZE) & ~0xfffULL) | 1));
      }
    } else {
      data->sfrbase->writel(data->variant->flush_start, static_cast<uint32_t>(iova & ~0xfffULL));
      data->sfrbase->writel(data->variant->flush_end,
                            static_cast<uint32_t>((iova & ~0xfffULL) + (num_inv - 1) * SPAGE_SIZE));
      data->sfrbase->writel(data->variant->flush_range, 1);
    }
    if (data->clk_master) data->clk_master->disable();
  }
  data->lock.unlock();
}

void exynos_iommu_tlb_invalidate_entry(exynos_iommu_domain* domain, uint64_t iova, uint64_t size) {
  domain->lock.lock();
  for (void* o : domain->clients.Owners()) {
    sysmmu_tlb_invalidate_entry(static_cast<sysmmu_drvdata*>(o), iova, size);
  }
  domain->lock.unlock();
}

// ---- page tables

uint32_t mk_lv1ent_page(int shift, uint64_t pa) { return static_cast<uint32_t>((pa >> shift) | 1); }
uint32_t mk_lv1ent_sect(int shift, uint64_t pa, uint32_t prot) {
  return static_cast<uint32_t>((pa >> shift) | prot | 2);
}
uint32_t mk_lv2ent_spage(int shift, uint64_t pa) { return static_cast<uint32_t>((pa >> shift) | 2); }
uint32_t mk_lv2ent_lpage(int shift, uint64_t pa) { return static_cast<uint32_t>((pa >> shift) | 1); }
uint64_t lv2table_base(int shift, uint32_t ent) { return static_cast<uint64_t>(ent & 0xFFFFFFC0u) << shift; }

// Returns the lv2 entry for iova, allocating a lv2 table if the lv1 entry is a fault / zero link.
// REQUIRES: domain->pgtablelock. 0 with *err on failure.
uint64_t alloc_lv2entry(exynos_iommu_domain* domain, uint64_t sent, uint64_t iova, int* err) {
  Kernel& k = domain->kernel;
  ExynosIommuState& s = exynos_state(k);
  hwmodel::PhysMemory& mem = Mem(k);
  const int shift = s.PG_ENT_SHIFT.Get();
  const uint32_t ent = mem.Read32(sent);
  const uint32_t zero_link = exynos_zero_lv2link(k);
  if ((ent & 3) == 2) {
    *err = -kEADDRINUSE;  // WARN "Trying mapping on %#08x mapped with 1MiB page"
    return 0;
  }
  const bool fault = ent == zero_link || (ent & 3) == 0 || (ent & 3) == 3;
  if (fault) {
    const bool need_flush_flpd_cache = ent == zero_link;
    const uint64_t pent = mem.AllocPages(0, absl::StrCat("lv2table ", domain->name));
    if (pent == 0) {
      *err = -ENOMEM;
      return 0;
    }
    mem.Write32(sent, mk_lv1ent_page(shift, pent));
    domain->lv2entcnt[(iova >> 20) & 0xfff] = NUM_LV2ENTRIES;
    if (need_flush_flpd_cache) {
      domain->lock.lock();
      for (void* o : domain->clients.Owners()) {
        auto* data = static_cast<sysmmu_drvdata*>(o);
        if (static_cast<uint32_t>(data->version) >= reg::MakeMmuVer(3, 3)) sysmmu_tlb_invalidate_entry(data, iova, SPAGE_SIZE);
      }
      domain->lock.unlock();
    }
  }
  // page_entry(sent, iova): a lv1 entry built from a NULL zero_lv2_table that no longer equals
  // ZERO_LV2LINK is taken for a real lv2 link to physical ~0: the S1 corruption.
  return lv2table_base(shift, mem.Read32(sent)) + ((iova >> 12) & 0xff) * 4;
}

// LV1_PROT[prot] / LV2_PROT[prot], read when the entry is built as the kernel does; NULL is the oops.
uint32_t ProtBits(Kernel& k, const harness::Tracked<const uint32_t*>& table, const char* name, int prot) {
  const uint32_t* bits = table.Get();
  if (bits == nullptr) invariants::ExynosProtTableNull(k, name, prot);
  return bits[prot];
}

int exynos_iommu_map(IommuDomain* iommu_domain, uint64_t iova, uint64_t paddr, uint64_t size, int prot) {
  exynos_iommu_domain* domain = to_exynos_domain(iommu_domain);
  Kernel& k = domain->kernel;
  ExynosIommuState& s = exynos_state(k);
  hwmodel::PhysMemory& mem = Mem(k);
  const int shift = s.PG_ENT_SHIFT.Get();
  prot &= IOMMU_READ | IOMMU_WRITE;
  domain->pgtablelock.lock();
  const uint64_t sent = domain->pgtable + ((iova >> 20) & 0xfff) * 4;
  int ret = 0;
  if (size == SECT_SIZE) {
    const uint32_t ent = mem.Read32(sent);
    if (!(ent == exynos_zero_lv2link(k) || (ent & 3) == 0 || (ent & 3) == 3)) {
      ret = -kEADDRINUSE;
    } else {
      mem.Write32(sent, mk_lv1ent_sect(shift, paddr, ProtBits(k, s.LV1_PROT, "LV1_PROT", prot)));
    }
  } else {
    int err = 0;
    const uint64_t pent = alloc_lv2entry(domain, sent, iova, &err);
    if (pent == 0) {
      ret = err;
    } else if (size == SPAGE_SIZE) {
      if ((mem.Read32(pent) & 3) != 0) {
        ret = -kEADDRINUSE;
      } else {
        mem.Write32(pent, mk_lv2ent_spage(shift, paddr) | ProtBits(k, s.LV2_PROT, "LV2_PROT", prot));
        domain->lv2entcnt[(iova >> 20) & 0xfff] -= 1;
      }
    } else {
      for (int i = 0; i < 16; ++i) {
        if ((mem.Read32(pent + i * 4) & 3) != 0) {
          ret = -kEADDRINUSE;
          break;
        }
      }
      if (ret == 0) {
        const uint32_t bits = ProtBits(k, s.LV2_PROT, "LV2_PROT", prot);
        for (int i = 0; i < 16; ++i) mem.Write32(pent + i * 4, mk_lv2ent_lpage(shift, paddr) | bits);
        domain->lv2entcnt[(iova >> 20) & 0xfff] -= 16;
      }
    }
  }
  domain->pgtablelock.unlock();
  TraceLog("", "exynos_iommu_map",
           absl::StrCat(domain->name, " iova 0x", absl::Hex(iova), " -> 0x", absl::Hex(paddr), " size 0x",
                        absl::Hex(size), " ret=", ret));
  return ret;
}

uint64_t exynos_iommu_unmap(IommuDomain* iommu_domain, uint64_t iova, uint64_t size) {
  exynos_iommu_domain* domain = to_exynos_domain(iommu_domain);
  Kernel& k = domain->kernel;
  ExynosIommuState& s = exynos_state(k);
  hwmodel::PhysMemory& mem = Mem(k);
  const int shift = s.PG_ENT_SHIFT.Get();
  domain->pgtablelock.lock();
  const uint64_t sent = domain->pgtable + ((iova >> 20) & 0xfff) * 4;
  const uint32_t ent = mem.Read32(sent);
  uint64_t done = 0;
  if ((ent & 3) == 2) {
    mem.Write32(sent, exynos_zero_lv2link(k));
    done = SECT_SIZE;
  } else if (ent == exynos_zero_lv2link(k) || (ent & 3) != 1) {
    done = SPAGE_SIZE;  // unmapping an unmapped range: the kernel WARNs and returns the page size
  } else {
    const uint64_t pent = lv2table_base(shift, ent) + ((iova >> 12) & 0xff) * 4;
    const uint32_t l2 = mem.Read32(pent);
    if (l2 & 2) {
      mem.Write32(pent, 0);
      domain->lv2entcnt[(iova >> 20) & 0xfff] += 1;
      done = SPAGE_SIZE;
    } else if ((l2 & 3) == 1) {
      const uint64_t first = pent & ~uint64_t{63};
      for (int i = 0; i < 16; ++i) mem.Write32(first + i * 4, 0);
      domain->lv2entcnt[(iova >> 20) & 0xfff] += 16;
      done = LPAGE_SIZE;
    } else {
      done = SPAGE_SIZE;
    }
  }
  domain->pgtablelock.unlock();
  exynos_iommu_tlb_invalidate_entry(domain, iova, done);
  return std::min(done, size);
}

uint64_t exynos_iommu_iova_to_phys(IommuDomain* iommu_domain, uint64_t iova) {
  exynos_iommu_domain* domain = to_exynos_domain(iommu_domain);
  Kernel& k = domain->kernel;
  hwmodel::PhysMemory& mem = Mem(k);
  const int shift = exynos_state(k).PG_ENT_SHIFT.Get();
  domain->pgtablelock.lock();
  uint64_t phys = 0;
  const uint32_t ent = mem.Read32(domain->pgtable + ((iova >> 20) & 0xfff) * 4);
  if ((ent & 3) == 2) {
    phys = ((static_cast<uint64_t>(ent) << shift) & ~(SECT_SIZE - 1)) + (iova & (SECT_SIZE - 1));  // section_phys: shift, then mask
  } else if ((ent & 3) == 1 && ent != exynos_zero_lv2link(k)) {
    const uint32_t l2 = mem.Read32(lv2table_base(shift, ent) + ((iova >> 12) & 0xff) * 4);
    if (l2 & 2) phys = ((static_cast<uint64_t>(l2) << shift) & ~(SPAGE_SIZE - 1)) + (iova & 0xfff);
    else if ((l2 & 3) == 1) phys = ((static_cast<uint64_t>(l2) << shift) & ~(LPAGE_SIZE - 1)) + (iova & 0xffff);
  }
  domain->pgtablelock.unlock();
  return phys;
}

// Injection choice for a site and a device: a named fork of the model rng, 1 in `den`.
bool Injected(Kernel& k, std::string_view site, Device* dev, uint64_t den) {
  if (!k.knobs.Injected(site)) return false;
  harness::Rng r = harness::Current().model_rng().Fork(absl::StrCat("inject/", Av(site), "/", dev->name));
  return r.Chance(1, den);
}

hwmodel::ClockGate* devm_clk_get_optional(Device* dev, std::string_view con_id) {
  for (const auto& c : dev->kernel->hw->NodeClocks(dev->of_node)) {
    if (c.con_id == con_id) return c.gate;
  }
  return nullptr;
}

// Marks `data` freed as devres_release_all will (and drops the devm IRQ); it may still be linked
// on an owner's list (S5). drvdata is left alone: the driver's error path does not clear it, and
// the driver core's device_unbind_cleanup does dev_set_drvdata(dev, NULL) only after
// devres_release_all, so until then a master's exynos_iommu_of_xlate still finds (freed) `data`.
void devres_free_data(sysmmu_drvdata* data) {
  data->sfrbase->SetIrqHandler({});
  data->freed = true;
  data->owner_node.freed = true;
  data->domain_node.freed = true;
  Step(data, SysmmuProbeStep::kFailed, "devres freed data");
}

}  // namespace

// ---------------------------------------------------------------- objects

const char* SysmmuProbeStepName(SysmmuProbeStep s) {
  switch (s) {
    case SysmmuProbeStep::kNotProbed: return "not probed";
    case SysmmuProbeStep::kP0Created: return "devm_kzalloc";
    case SysmmuProbeStep::kP1Irq: return "devm_request_irq";
    case SysmmuProbeStep::kP2Clocks: return "devm_clk_get";
    case SysmmuProbeStep::kP3Version: return "__sysmmu_get_version";
    case SysmmuProbeStep::kP4Sysfs: return "iommu_device_sysfs_add";
    case SysmmuProbeStep::kP5Registered: return "iommu_device_register";
    case SysmmuProbeStep::kP6Drvdata: return "platform_set_drvdata";
    case SysmmuProbeStep::kP7PgEntShift: return "PG_ENT_SHIFT";
    case SysmmuProbeStep::kP8DmaMask: return "dma_set_mask";
    case SysmmuProbeStep::kP9DmaDev: return "dma_dev";
    case SysmmuProbeStep::kP10PmRuntime: return "pm_runtime_enable";
    case SysmmuProbeStep::kP11Registered: return "iommu_device_register (last)";
    case SysmmuProbeStep::kP12Bound: return "probe done";
    case SysmmuProbeStep::kFailed: return "probe failed";
  }
  return "?";
}

sysmmu_drvdata::sysmmu_drvdata(Device* dev) : sysmmu(dev) {
  owner_node.owner = this;
  domain_node.owner = this;
  domain.SetLabel(dev->name, " data->domain");
  master.SetLabel(dev->name, " data->master");
}

exynos_iommu_owner::exynos_iommu_owner(Device* d)
    : dev(d), controllers(absl::StrCat("owner->controllers of ", d->name), invariants::kControllersList) {
  domain.SetLabel(d->name, " owner->domain");
}

exynos_iommu_domain::exynos_iommu_domain(Kernel& k, std::string what)
    : kernel(k), lv2entcnt(NUM_LV1ENTRIES, 0), clients(std::move(what), invariants::kControllersList) {}

ExynosIommuState::ExynosIommuState(Kernel& k) : kernel(k), nodes(k.board.nodes.size()) {
  dma_dev.SetLabel("exynos-iommu dma_dev");
  lv2table_kmem_cache.SetLabel("exynos-iommu lv2table_kmem_cache");
  zero_lv2_table.SetLabel("exynos-iommu zero_lv2_table");
  PG_ENT_SHIFT.SetLabel("exynos-iommu PG_ENT_SHIFT");
  LV1_PROT.SetLabel("exynos-iommu LV1_PROT");
  LV2_PROT.SetLabel("exynos-iommu LV2_PROT");
  const bool module = k.knobs.exynos_iommu == Linkage::kModule;
  Kernel* kp = &k;
  exynos_iommu_domain_ops.attach_dev = &exynos_iommu_attach_device;
  exynos_iommu_domain_ops.detach_dev = &exynos_iommu_detach_device;
  exynos_iommu_domain_ops.map = &exynos_iommu_map;
  exynos_iommu_domain_ops.unmap = &exynos_iommu_unmap;
  exynos_iommu_domain_ops.iova_to_phys = &exynos_iommu_iova_to_phys;
  exynos_iommu_ops.name = "exynos_iommu_ops";
  exynos_iommu_ops.owner = module ? "exynos-iommu" : "";
  exynos_iommu_ops.domain_alloc = [kp](IommuDomainType t) { return exynos_iommu_domain_alloc(*kp, t); };
  exynos_iommu_ops.probe_device = &exynos_iommu_probe_device;
  exynos_iommu_ops.release_device = &exynos_iommu_release_device;
  exynos_iommu_ops.device_group = &generic_device_group;
  exynos_iommu_ops.of_xlate = &exynos_iommu_of_xlate;
  exynos_iommu_ops.default_domain_ops = &exynos_iommu_domain_ops;
  exynos_iommu_ops.pgsize_bitmap = SECT_SIZE | LPAGE_SIZE | SPAGE_SIZE;
  exynos_sysmmu_driver.name = "exynos-sysmmu";
  exynos_sysmmu_driver.of_match = {"samsung,exynos-sysmmu"};
  exynos_sysmmu_driver.module = module ? "exynos-iommu" : "";
  exynos_sysmmu_driver.suppress_bind_attrs = true;
  exynos_sysmmu_driver.probe = &exynos_sysmmu_probe;
  exynos_sysmmu_driver.pm.runtime_suspend = &exynos_sysmmu_suspend;
  exynos_sysmmu_driver.pm.runtime_resume = &exynos_sysmmu_resume;
}

ExynosIommuState& exynos_state(Kernel& k) {
  if (!k.exynos) k.exynos = std::make_shared<ExynosIommuState>(k);
  return *k.exynos;
}

uint32_t exynos_zero_lv2link(Kernel& k) {
  ExynosIommuState& s = exynos_state(k);
  // ZERO_LV2LINK = mk_lv1ent_page(virt_to_phys(zero_lv2_table)): with zero_lv2_table NULL the
  // model takes virt_to_phys(NULL) as physical 0 (never RAM in the hardware model).
  const int shift = std::max(0, s.PG_ENT_SHIFT.Get());
  return mk_lv1ent_page(shift, s.zero_lv2_table.Get());
}

// ---------------------------------------------------------------- init

int exynos_iommu_init(Kernel& k) {
  ExynosIommuState& s = exynos_state(k);
  TraceSpan span("", "exynos_iommu_init");
  bool any = false;
  for (int n : k.board.sysmmus) any = any || k.board.node(n).available;
  if (!any) return 0;
  s.lv2table_kmem_cache.Set(true);  // kmem_cache_create("exynos-iommu-lv2table")
  TraceLog("", "exynos_iommu_init", "kmem_cache_create(exynos-iommu-lv2table)");
  auto alloc_zero = [&]() -> int {
    const uint64_t z = k.hw ? Mem(k).AllocPages(0, "pgtable:zero_lv2_table") : 0;
    if (z == 0) return -ENOMEM;
    s.zero_lv2_table.Set(z);
    TraceLog("", "exynos_iommu_init", absl::StrCat("zero_lv2_table = 0x", absl::Hex(z)));
    return 0;
  };
  if (k.knobs.exynos_init_fixed) {
    if (int r = alloc_zero(); r != 0) return r;
  }
  // v6.1: registering the driver probes every SysMMU that already exists (all of them when
  // loaded as a module) before the zero lv2 table exists (S1).
  int ret = platform_driver_register(k, &s.exynos_sysmmu_driver);
  if (ret != 0) return ret;
  if (!k.knobs.exynos_init_fixed) {
    if (int r = alloc_zero(); r != 0) return r;
  }
  if (k.knobs.iommu_core == IommuCoreGen::k6_0) ret = bus_set_iommu(k, &s.exynos_iommu_ops);
  s.init_done = true;
  return ret;
}

void exynos_iommu_register(Kernel& k) {
  exynos_state(k);
  iommu_state(k);
  if (k.knobs.exynos_iommu == Linkage::kBuiltin) {
    k.initcalls.push_back({InitLevel::kCore, "exynos_iommu_init", [&k] { return exynos_iommu_init(k); }});
  } else {
    k.modules.push_back({"exynos-iommu", [&k] { return exynos_iommu_init(k); }, k.knobs.exynos_load_time});
  }
}

// ---------------------------------------------------------------- probe (exynos_sysmmu_probe)

int exynos_sysmmu_probe(Device* dev) {
  Kernel& k = *dev->kernel;
  ExynosIommuState& s = exynos_state(k);
  TraceSpan span(dev->name, "exynos_sysmmu_probe");
  SysmmuNodeState& ns = s.nodes[static_cast<size_t>(dev->of_node)];
  ++ns.attempts;
  if (k.hw == nullptr || k.hw->sysmmu(dev->of_node) == nullptr) return -ENODEV;
  auto* data = k.Alloc<sysmmu_drvdata>(dev);
  ns.data = data;
  data->sfrbase = k.hw->sysmmu(dev->of_node);
  Step(data, SysmmuProbeStep::kP0Created);
  // devm_request_irq: live from here with `data` mostly empty.
  data->sfrbase->SetIrqHandler([data] { exynos_sysmmu_irq(data); });
  Step(data, SysmmuProbeStep::kP1Irq);
  if (ns.attempts == 1 && Injected(k, "clk_get_defer", dev, 2)) {
    data->sfrbase->SetIrqHandler({});
    Step(data, SysmmuProbeStep::kFailed, "devm_clk_get: -EPROBE_DEFER (injected)");
    invariants::DeferralWaitsForProviders(dev, dev->np->clocks, "clock");
    data->freed = true;
    return -EPROBE_DEFER;
  }
  data->clk = devm_clk_get_optional(dev, "sysmmu");
  data->aclk = devm_clk_get_optional(dev, "aclk");
  data->pclk = devm_clk_get_optional(dev, "pclk");
  if (data->clk == nullptr && (data->aclk == nullptr || data->pclk == nullptr)) {
    TraceLog(dev->name, "exynos_sysmmu_probe", "Failed to get device clock(s)!");
    data->sfrbase->SetIrqHandler({});
    data->freed = true;
    Step(data, SysmmuProbeStep::kFailed, "-ENOSYS");
    return -ENOSYS;
  }
  data->clk_master = devm_clk_get_optional(dev, "master");
  Step(data, SysmmuProbeStep::kP2Clocks);
  __sysmmu_get_version(data);
  Step(data, SysmmuProbeStep::kP3Version,
       absl::StrCat("v", MMU_MAJ_VER(data->version), ".", data->version & 0x7f));
  iommu_device_sysfs_add(&data->iommu, dev);
  Step(data, SysmmuProbeStep::kP4Sysfs);

  const bool register_last = k.knobs.exynos_register_last;
  int ret = 0;
  if (!register_last) {
    // v6.1: visible to every master's of_iommu_xlate, and bus_iommu_probe runs, before steps
    // P6..P10 (S1, S2, S4).
    Step(data, SysmmuProbeStep::kP5Registered, "calling iommu_device_register");
    ret = iommu_device_register(&data->iommu, &s.exynos_iommu_ops, dev);
    if (ret != 0) {
      iommu_device_sysfs_remove(&data->iommu);
      devres_free_data(data);
      return ret;
    }
  }
  dev_set_drvdata(dev, data);
  Step(data, SysmmuProbeStep::kP6Drvdata);
  if (s.PG_ENT_SHIFT.Get() < 0) {
    if (MMU_MAJ_VER(data->version) < 5) {
      s.PG_ENT_SHIFT.Set(SYSMMU_PG_ENT_SHIFT);
      s.LV1_PROT.Set(SYSMMU_LV1_PROT);
      s.LV2_PROT.Set(SYSMMU_LV2_PROT);
    } else {
      s.PG_ENT_SHIFT.Set(SYSMMU_V5_PG_ENT_SHIFT);
      s.LV1_PROT.Set(SYSMMU_V5_LV1_PROT);
      s.LV2_PROT.Set(SYSMMU_V5_LV2_PROT);
    }
  }
  Step(data, SysmmuProbeStep::kP7PgEntShift);
  if (MMU_MAJ_VER(data->version) >= 5) {
    if (Injected(k, "dma_set_mask", dev, 4)) {
      TraceLog(dev->name, "exynos_sysmmu_probe", "Unable to set DMA mask: -5 (injected)");
      if (!register_last) iommu_device_unregister(&data->iommu);
      iommu_device_sysfs_remove(&data->iommu);
      // devres frees `data`, which a master's of_xlate may already have linked on its
      // owner->controllers list (S5 (iii)).
      devres_free_data(data);
      return -EIO;
    }
    dev->dma_mask = (1ULL << 36) - 1;
  }
  Step(data, SysmmuProbeStep::kP8DmaMask);
  // dma_dev: whichever SysMMU gets here first becomes the device used for the DMA (cache
  // maintenance) operations on every page table. Unlocked test-and-set.
  if (s.dma_dev.Get() == nullptr) s.dma_dev.Set(dev);
  Step(data, SysmmuProbeStep::kP9DmaDev);
  pm_runtime_enable(dev);
  Step(data, SysmmuProbeStep::kP10PmRuntime);
  if (register_last) {
    Step(data, SysmmuProbeStep::kP11Registered, "calling iommu_device_register");
    ret = iommu_device_register(&data->iommu, &s.exynos_iommu_ops, dev);
    if (ret != 0) {
      iommu_device_sysfs_remove(&data->iommu);
      devres_free_data(data);
      return ret;
    }
  }
  Step(data, SysmmuProbeStep::kP12Bound);
  return 0;
}

// ---------------------------------------------------------------- iommu_ops (exynos_iommu_ops)

int exynos_iommu_of_xlate(Device* dev, const hwmodel::PhandleRef& spec) {
  Kernel& k = *dev->kernel;
  TraceSpan span(dev->name, "exynos_iommu_of_xlate");
  Device* sysmmu = bus_find_device_by_of_node(k, spec.node);  // of_find_device_by_node
  auto* owner = static_cast<exynos_iommu_owner*>(dev_iommu_priv_get(dev));
  if (sysmmu == nullptr) return -ENODEV;
  if (exynos_state(k).nodes[static_cast<size_t>(spec.node)].step == SysmmuProbeStep::kP5Registered) {
    k.probes.Hit(ProbeId::kXlateBeforeDrvdata);
  }
  invariants::OnControllerUse(k, "exynos_iommu_of_xlate", dev, spec.node);
  auto* data = static_cast<sysmmu_drvdata*>(dev_get_drvdata(sysmmu));
  if (data == nullptr) {
    TraceLog(dev->name, "exynos_iommu_of_xlate", absl::StrCat(sysmmu->name, ": drvdata NULL: -ENODEV"));
    return -ENODEV;
  }
  if (owner == nullptr) {
    // kzalloc(GFP_KERNEL) may sleep. Meanwhile a bus_iommu_probe (the registration of any SysMMU)
    // can run __iommu_probe_device on this master: its probe_device sees no priv yet (-ENODEV) and
    // the error path dev_iommu_free()s the dev->iommu this translation set up. The store below is
    // then the seed report's NULL dereference in exynos_iommu_of_xlate (dev_iommu_priv_set is
    // inline, so the pc is here), and it needs no second SysMMU (S3; test:
    // InvariantControls.DevIommuFreedInUseFiresInOfXlateOnSingleSysmmuMasters).
    might_sleep();
    owner = k.Alloc<exynos_iommu_owner>(dev);
    dev_iommu_priv_set(dev, owner, "exynos_iommu_of_xlate");
  }
  if (owner->controllers.Contains(&data->owner_node)) return 0;
  invariants::OnOfXlateAddController(dev, data);
  // No lock protects owner->controllers or data->owner_node (S5).
  owner->controllers.AddTail(&data->owner_node);
  data->master.Set(dev);
  TraceLog(dev->name, "exynos_iommu_of_xlate", absl::StrCat("added ", sysmmu->name, " to owner->controllers"));
  return 0;
}

IommuDevice* exynos_iommu_probe_device(Device* dev, int* err) {
  Kernel& k = *dev->kernel;
  TraceSpan span(dev->name, "exynos_iommu_probe_device");
  auto* owner = static_cast<exynos_iommu_owner*>(dev_iommu_priv_get(dev));
  if (owner == nullptr) {  // !has_sysmmu(dev)
    *err = -ENODEV;
    return nullptr;
  }
  std::vector<sysmmu_drvdata*> ctrls = Controllers(owner);
  for (sysmmu_drvdata* data : ctrls) {
    invariants::OnControllerUse(k, "exynos_iommu_probe_device", dev, data->sysmmu->of_node);
    invariants::OnProbeDeviceController(dev, data);
    // The driver never calls pm_runtime_get/put on the SysMMU itself: this runtime-PM link makes
    // it follow its master.
    DeviceLink* link = device_link_add(dev, data->sysmmu, DL_FLAG_STATELESS | DL_FLAG_PM_RUNTIME);
    invariants::OnSysmmuLinkAdd(dev, data, link);
    data->link = link;
  }
  if (ctrls.empty()) {
    *err = -ENODEV;
    return nullptr;
  }
  // The kernel takes the first entry unchecked, relying on of_xlate having put at least one
  // controller on the list before probe_device runs.
  return &ctrls.front()->iommu;
}

void exynos_iommu_release_device(Device* dev) {
  auto* owner = static_cast<exynos_iommu_owner*>(dev_iommu_priv_get(dev));
  if (owner == nullptr) return;
  IommuDomain* d = owner->domain.Get();
  if (d != nullptr && iommu_group_get(dev) != nullptr) exynos_iommu_detach_device(d, dev);
  for (sysmmu_drvdata* data : Controllers(owner)) {
    if (data->link != nullptr) device_link_del(data->link);
  }
}

IommuDomain* exynos_iommu_domain_alloc(Kernel& k, IommuDomainType type) {
  ExynosIommuState& s = exynos_state(k);
  TraceSpan span("", "exynos_iommu_domain_alloc");
  const int shift = s.PG_ENT_SHIFT.Get();
  Device* dma_dev = s.dma_dev.Get();
  // A domain needs PG_ENT_SHIFT and dma_dev, both set by the first SysMMU probe (BUG_ON).
  if (shift < 0 || dma_dev == nullptr) {
    BugOops(k.knobs.arch, Context::kTask, invariants::kDomainAllocUninit, kExynosIommuFile, kLineBugDomainAlloc,
            "exynos_iommu_domain_alloc",
            absl::StrCat(KernelBugLine(kExynosIommuFile, kLineBugDomainAlloc), " exynos_iommu_domain_alloc: "
                         "BUG_ON(PG_ENT_SHIFT < 0 || !dma_dev) (PG_ENT_SHIFT=", shift,
                         ", dma_dev=", dma_dev ? dma_dev->name : "NULL", ")"),
            {}, "a domain is allocated inside the first SysMMU's iommu_device_register before P7/P9 (S1)");
  }
  if (type != IommuDomainType::kDma && type != IommuDomainType::kUnmanaged) return nullptr;
  const bool cache = s.lv2table_kmem_cache.Get();
  const uint64_t zero = s.zero_lv2_table.Get();
  invariants::OnExynosDomainAlloc(k, cache, zero);
  auto* domain = k.Alloc<exynos_iommu_domain>(k, "domain->clients");
  hwmodel::PhysMemory& mem = Mem(k);
  domain->pgtable = mem.AllocPages(2, "pgtable:lv1");
  if (domain->pgtable == 0) return nullptr;
  // Every lv1 entry starts out as ZERO_LV2LINK (the kernel's v3.3 workaround against caching
  // 1 MiB mappings).
  mem.Fill32(domain->pgtable, exynos_zero_lv2link(k), NUM_LV1ENTRIES);
  if (zero == 0) {
    domain->lv1_from_null_zero_table = true;
    ++s.domains_with_null_zero_link;
  }
  domain->aperture_start = 0;
  domain->aperture_end = 0xFFFFFFFFULL;  // 32-bit IOVA (~0UL in the kernel; only 32 bits translate)
  return domain;
}

int exynos_iommu_attach_device(IommuDomain* iommu_domain, Device* dev) {
  Kernel& k = *dev->kernel;
  TraceSpan span(dev->name, "exynos_iommu_attach_device");
  exynos_iommu_domain* domain = to_exynos_domain(iommu_domain);
  auto* owner = static_cast<exynos_iommu_owner*>(dev_iommu_priv_get(dev));
  if (owner == nullptr) return -ENODEV;
  if (IommuDomain* old = owner->domain.Get(); old != nullptr) exynos_iommu_detach_device(old, dev);
  owner->rpm_lock.lock();
  domain->lock.lock();
  std::vector<sysmmu_drvdata*> ctrls = Controllers(owner);
  for (sysmmu_drvdata* data : ctrls) {
    invariants::OnControllerUse(k, "exynos_iommu_attach_device", dev, data->sysmmu->of_node);
    data->lock.lock();
    data->pgtable = domain->pgtable;
    data->domain.Set(domain);
    domain->clients.AddTail(&data->domain_node);
    data->lock.unlock();
  }
  owner->domain.Set(iommu_domain);
  domain->lock.unlock();
  for (sysmmu_drvdata* data : ctrls) {
    pm_runtime_get_noresume(data->sysmmu);
    // Only a runtime-active SysMMU is programmed now; the others on their next resume.
    if (pm_runtime_active(data->sysmmu)) __sysmmu_enable(data);
    pm_runtime_put(data->sysmmu);
  }
  owner->rpm_lock.unlock();
  TraceLog(dev->name, "exynos_iommu_attach_device",
           absl::StrCat("Attached IOMMU with pgtable 0x", absl::Hex(domain->pgtable)));
  return 0;
}

void exynos_iommu_detach_device(IommuDomain* iommu_domain, Device* dev) {
  exynos_iommu_domain* domain = to_exynos_domain(iommu_domain);
  auto* owner = static_cast<exynos_iommu_owner*>(dev_iommu_priv_get(dev));
  if (owner == nullptr || owner->domain.Get() != iommu_domain) return;
  TraceSpan span(dev->name, "exynos_iommu_detach_device");
  owner->rpm_lock.lock();
  for (sysmmu_drvdata* data : Controllers(owner)) {
    pm_runtime_get_noresume(data->sysmmu);
    if (pm_runtime_active(data->sysmmu) && data->active) __sysmmu_disable(data);
    pm_runtime_put(data->sysmmu);
  }
  domain->lock.lock();
  for (void* o : domain->clients.Owners()) {
    auto* data = static_cast<sysmmu_drvdata*>(o);
    data->lock.lock();
    data->pgtable = 0;
    data->domain.Set(nullptr);
    domain->clients.Del(&data->domain_node);
    data->lock.unlock();
  }
  owner->domain.Set(nullptr);
  domain->lock.unlock();
  owner->rpm_lock.unlock();
}

// ---------------------------------------------------------------- runtime PM and IRQ

namespace {

// The shared head of exynos_sysmmu_suspend/resume: the master's owner, whose rpm_lock orders the
// hardware switch against attach/detach. NULL when the SysMMU serves no master yet.
exynos_iommu_owner* RpmOwner(Device* dev, sysmmu_drvdata* data, const char* func) {
  if (data == nullptr) return nullptr;
  Device* master = data->master.Get();
  if (master == nullptr) return nullptr;
  auto* owner = static_cast<exynos_iommu_owner*>(dev_iommu_priv_get(master));
  // mutex_lock(&owner->rpm_lock) with owner NULL: the oops in mutex_lock, called from `func`.
  if (owner == nullptr) invariants::OwnerNullDeref(dev, master, func);
  return owner;
}

}  // namespace

int exynos_sysmmu_suspend(Device* dev) {
  auto* data = static_cast<sysmmu_drvdata*>(dev_get_drvdata(dev));
  exynos_iommu_owner* owner = RpmOwner(dev, data, "exynos_sysmmu_suspend");
  if (owner == nullptr) return 0;
  owner->rpm_lock.lock();
  if (data->domain.Get() != nullptr && data->active) __sysmmu_disable(data);
  owner->rpm_lock.unlock();
  return 0;
}

int exynos_sysmmu_resume(Device* dev) {
  auto* data = static_cast<sysmmu_drvdata*>(dev_get_drvdata(dev));
  exynos_iommu_owner* owner = RpmOwner(dev, data, "exynos_sysmmu_resume");
  if (owner == nullptr) return 0;
  owner->rpm_lock.lock();
  if (data->domain.Get() != nullptr && !data->active) __sysmmu_enable(data);
  owner->rpm_lock.unlock();
  return 0;
}

namespace {

// struct sysmmu_fault_info of v6.1: INT_STATUS bit, fault address register, name, direction.
struct sysmmu_fault_info {
  int bit;
  uint32_t addr_reg;
  const char* name;
  bool write;  // IOMMU_FAULT_WRITE
};

constexpr sysmmu_fault_info sysmmu_faults[] = {
    {reg::kV1IntPage, reg::kPageFaultAddr, "PAGE", false},
    {reg::kV1IntArMultiHit, reg::kArFaultAddr, "AR MULTI-HIT", false},
    {reg::kV1IntAwMultiHit, reg::kAwFaultAddr, "AW MULTI-HIT", true},
    {reg::kV1IntBusError, reg::kDefaultSlaveAddr, "BUS ERROR", false},
    {reg::kV1IntArSecurity, reg::kArFaultAddr, "AR SECURITY PROTECTION", false},
    {reg::kV1IntArAccess, reg::kArFaultAddr, "AR ACCESS PROTECTION", false},
    {reg::kV1IntAwSecurity, reg::kAwFaultAddr, "AW SECURITY PROTECTION", true},
    {reg::kV1IntAwAccess, reg::kAwFaultAddr, "AW ACCESS PROTECTION", true},
};

constexpr int kAw = reg::kV5IntAwOffset;
constexpr sysmmu_fault_info sysmmu_v5_faults[] = {
    {reg::kV5IntPtw, reg::kV5FaultArVa, "AR PTW", false},
    {reg::kV5IntPage, reg::kV5FaultArVa, "AR PAGE", false},
    {reg::kV5IntMultiHit, reg::kV5FaultArVa, "AR MULTI-HIT", false},
    {reg::kV5IntAccess, reg::kV5FaultArVa, "AR ACCESS PROTECTION", false},
    {reg::kV5IntSecurity, reg::kV5FaultArVa, "AR SECURITY PROTECTION", false},
    {kAw + reg::kV5IntPtw, reg::kV5FaultAwVa, "AW PTW", true},
    {kAw + reg::kV5IntPage, reg::kV5FaultAwVa, "AW PAGE", true},
    {kAw + reg::kV5IntMultiHit, reg::kV5FaultAwVa, "AW MULTI-HIT", true},
    {kAw + reg::kV5IntAccess, reg::kV5FaultAwVa, "AW ACCESS PROTECTION", true},
    {kAw + reg::kV5IntSecurity, reg::kV5FaultAwVa, "AW SECURITY PROTECTION", true},
};

const sysmmu_fault_info* FindFault(int version, int itype) {
  auto find = [itype](const auto& table) -> const sysmmu_fault_info* {
    for (const sysmmu_fault_info& f : table) {
      if (f.bit == itype) return &f;
    }
    return nullptr;
  };
  return MMU_MAJ_VER(version) < 5 ? find(sysmmu_faults) : find(sysmmu_v5_faults);
}

}  // namespace

const char* exynos_sysmmu_fault_name(int version, int itype) {
  const sysmmu_fault_info* f = FindFault(version, itype);
  return f != nullptr ? f->name : nullptr;
}

// v6.1 decodes every v5+ SysMMU with sysmmu_v5_faults and reads the v5 fault VA registers
// (0x70 / 0x80) even on the v7 VM layout, where the hardware latches the address at 0x1000 and
// those registers read 0: its message then says "at 0x0" (v6.8 reads the variant's FAULT_VA).
void exynos_sysmmu_irq(sysmmu_drvdata* data) {
  TraceSpan span(data->sysmmu->name, "exynos_sysmmu_irq");
  Kernel& k = *data->sysmmu->kernel;
  // Hard-IRQ context: every oops below is "Fatal exception in interrupt", a panic that ends the run.
  // v6.1 only warns when the handler starts on a SysMMU that is not enabled, and goes on: the
  // interrupt is not ordered against runtime suspend (exynos_sysmmu_suspend -> __sysmmu_disable
  // clears `active` and gates the clocks; nothing disables or synchronises the IRQ), so a fault
  // interrupt handled after the suspend reads INT_STATUS from a gated block (gated-register-access,
  // ExynosFault.IrqAfterRuntimeSuspendReadsAGatedBlock).
  if (!data->active) {
    TraceLog(data->sysmmu->name, "exynos_sysmmu_irq",
             absl::StrCat("WARNING: at ", kExynosIommuFile, ":", kLineWarnIrqInactive,
                          " exynos_sysmmu_irq: WARN_ON(!data->active)"));
  }
  if (data->variant == nullptr) {
    // readl(SYSMMU_REG(data, int_status)) loads data->variant->int_status from a NULL variant.
    NullDerefOops(k.knobs.arch, Context::kHardIrq, hwmodel::invariants::kSysmmuFault, "exynos_sysmmu_irq",
                  kSysmmuVariantIntStatus, false,
                  absl::StrCat(data->sysmmu->name, ": IRQ before __sysmmu_get_version set data->variant"),
                  {data->sysmmu->name}, "the SysMMU's IRQ is requested before its version is read");
  }
  data->lock.lock();
  if (data->clk_master) data->clk_master->enable();
  const uint32_t status = data->sfrbase->readl(data->variant->int_status);
  int itype = 0;
  while (itype < 32 && !(status & (1u << itype))) ++itype;
  const sysmmu_fault_info* finfo = FindFault(data->version, itype);
  Device* master = data->master.Get();
  const std::string master_name = master ? master->name : "(null)";
  if (finfo == nullptr) {
    // No table entry for this INT_STATUS bit: BUG_ON(i == n).
    BugOops(k.knobs.arch, Context::kHardIrq, hwmodel::invariants::kSysmmuFault, kExynosIommuFile,
            kLineBugUnknownFault, "exynos_sysmmu_irq",
            absl::StrCat(KernelBugLine(kExynosIommuFile, kLineBugUnknownFault), " exynos_sysmmu_irq(",
                         data->sysmmu->name,
                         "): BUG_ON(i == n): no fault type for INT_STATUS 0x", absl::Hex(status)),
            {data->sysmmu->name, master ? master->name : ""}, "");
  }
  const uint32_t fault_addr = data->sfrbase->readl(finfo->addr_reg);
  // show_fault_information(): dev_err "%s: %s FAULT occurred at %#x" (master, name, address).
  const std::string shown =
      absl::StrCat(master_name, ": ", finfo->name, " FAULT occurred at 0x", absl::Hex(fault_addr));
  TraceLog(data->sysmmu->name, "exynos_sysmmu_irq", shown);
  exynos_iommu_domain* domain = data->domain.Get();
  int ret = -ENOSYS;
  if (domain != nullptr && master != nullptr) ret = report_iommu_fault(domain, master, fault_addr, finfo->write);
  if (ret != 0) {
    // No fault handler recovered it: BUG_ON(ret != 0).
    BugOops(k.knobs.arch, Context::kHardIrq, hwmodel::invariants::kSysmmuFault, kExynosIommuFile,
            kLineBugUnrecovered, "exynos_sysmmu_irq",
            absl::StrCat(data->sysmmu->name, ": ", shown, " (INT_STATUS 0x", absl::Hex(status), "); ",
                         KernelBugLine(kExynosIommuFile, kLineBugUnrecovered), " exynos_sysmmu_irq: BUG_ON(ret != 0)"),
            {data->sysmmu->name, master ? master->name : ""},
            absl::StrCat(data->sysmmu->name, ": ", shown,
                         "\nreport_iommu_fault() found no handler that recovered the fault"));
  }
  data->sfrbase->writel(data->variant->int_clear, 1u << itype);
  if (data->clk_master) data->clk_master->disable();
  data->lock.unlock();
}

}  // namespace probestorm::kernel
