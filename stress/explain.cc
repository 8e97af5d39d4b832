#include "stress/explain.h"

#include <utility>

namespace probestorm::stress {
namespace {

constexpr std::pair<std::string_view, std::string_view> kExplanations[] = {
    {"xlate-uninit-controller",
     "A master's of_iommu_configure() reached exynos_iommu_of_xlate() or probe_device() on a SysMMU "
     "whose exynos_sysmmu_probe() had not finished (S2). In v6.1 the SysMMU calls "
     "iommu_device_register() before platform_set_drvdata(), so a master probing in parallel (the "
     "deferred-probe worker, an async probe, or the modprobe thread) finds the IOMMU ops, sees "
     "drvdata == NULL, gets -ENODEV, and of_iommu_configure() swallows it: the master binds without "
     "its IOMMU. bbc4d205d93f (register last) closes most of the window; mandatory `iommus` links "
     "close it fully."},
    {"dma-ops-on-bound",
     "The dma_ops or the attached IOMMU domain of a master changed while its driver was already bound "
     "(S6). With exynos-iommu loaded after the 10 s deferred-probe timeout, the master bound with "
     "dma-direct; the late SysMMU probe then ran iommu_device_register() -> bus_iommu_probe(), gave "
     "the master a group and a DMA default domain and attached it, enabling translation under a "
     "driver that holds physical addresses (\"initializing the dma_ops under the already probed and "
     "working master\"). A larger timeout, mandatory iommus or v6.15's late-probe check avoid it."},
    {"dev-iommu-freed-in-use",
     "dev->iommu was freed under a task that was still using it, and that task's next dereference "
     "faulted (S3); the oops names the function (pc) and the offset of the field it touched. A "
     "master's really_probe() runs of_iommu_configure() -> of_iommu_xlate(): iommu_fwspec_init() "
     "allocates dev->iommu, then exynos_iommu_of_xlate() allocates the owner with "
     "kzalloc(GFP_KERNEL), which may sleep, before dev_iommu_priv_set() stores it. In that gap any "
     "SysMMU's registration runs bus_iommu_probe() -> __iommu_probe_device() on the same master: "
     "exynos_iommu_probe_device() finds no owner yet (-ENODEV) and the error path calls "
     "dev_iommu_free(), setting dev->iommu to NULL. The store then faults at the offset of priv "
     "inside exynos_iommu_of_xlate: the seed report's oops. No second SysMMU is needed: a master "
     "with a single SysMMU has the same gap. The same free can hit iommu_fwspec_init() or "
     "iommu_fwspec_free() (the fwspec store) or the final fwspec->ops read in of_iommu_configure(). "
     "a2e7e59a9426 (v6.7) runs the whole translation under iommu_probe_device_lock."},
    {"domain-alloc-uninit",
     "exynos_iommu_domain_alloc() ran before the driver's globals existed (S1): zero_lv2_table, the "
     "lv2 kmem cache, dma_dev or PG_ENT_SHIFT. In v6.1 exynos_iommu_init() registers the platform "
     "driver before allocating zero_lv2_table, and the first SysMMU registers before setting "
     "PG_ENT_SHIFT and dma_dev, so a domain allocated from bus_iommu_probe() fills lv1 with links "
     "to physical address 0 or hits BUG_ON(PG_ENT_SHIFT < 0 || !dma_dev). Fixed by bbc4d205d93f."},
    {"double-iommu-probe",
     "One device was IOMMU-probed to success twice, got two groups, or unbalanced "
     "probe_device/release_device calls (S4). Without iommu_probe_device_lock (before v6.2), two "
     "SysMMUs registering in parallel, or a bus probe racing the of_iommu_configure replay, both saw "
     "no group and both ran __iommu_probe_device(): duplicated device links, leaked groups, a "
     "corrupted group list. Fixed by 01657bc14a39 (v6.2)."},
    {"controllers-list",
     "A master's owner->controllers list broke: a duplicate entry, broken links, a freed SysMMU still "
     "listed, or data->master inconsistent (S5). Two concurrent exynos_iommu_of_xlate() calls for the "
     "same multi-SysMMU master (possible 6.1-6.6), or a SysMMU probe failing after drvdata was set "
     "while devres frees data still linked. a2e7e59a9426 (v6.7) serialises the concurrent part."},
    {"iommu-bypass",
     "A master with an `iommus` property bound without its IOMMU (S2, S7). As a warning: after the "
     "deferred-probe timeout, driver_deferred_probe_check_state() returned -ETIMEDOUT and the kernel "
     "chose to ignore the dependency (policy; the module came too late). As a violation: the bypass "
     "came through a swallowed -ENODEV from a half-initialised SysMMU, which no log line reveals."},
    {"sysmmu-fault",
     "A SysMMU faulted on an address the master obtained from the DMA API of its current domain (S6): "
     "translation was enabled (or the domain switched) under a driver that mapped its buffers through "
     "another path, typically dma-direct physical addresses after a late attach. v6.1 prints "
     "\"<master>: <type> FAULT occurred at <address>\" (show_fault_information()) and, with no "
     "handler recovering it, hits BUG_ON(ret != 0) in exynos_sysmmu_irq(): in hard-IRQ context that "
     "is \"Kernel panic - not syncing: Fatal exception in interrupt\", and the run ends there."},
    {"gated-register-access",
     "A SysMMU register was accessed while its clocks were gated or its power domain was off: an "
     "attach, enable or TLB flush ran outside the runtime-PM window of the master (on hardware a bus "
     "hang or a read of zeros)."},
    {"deferred-lists",
     "The deferred-probe lists broke their rules (S8): a device on both lists, on a list without "
     "can_match, still on a list once bound, or stranded on the pending list because a supplier "
     "bound between its trigger_count read and its deferral (the lost trigger that "
     "driver_probe_device()'s re-check in dd.c prevents)."},
    {"probe-exclusive",
     "A device was inside really_probe() on two tasks at once, or without its device lock held: two "
     "probe paths (deferred worker, async probe, driver_attach, sysfs bind) attached the same device "
     "concurrently."},
    {"stall",
     "At quiescence a master with a loaded driver was neither bound nor explicitly given up, or tasks "
     "were blocked forever; the detail holds the wait-for graph (who waits for what, held by whom)."},
    {"lock-order",
     "Two locks were taken in an order contrary to the global order device_lock -> "
     "iommu_probe_device_lock -> group->mutex -> owner->rpm_lock -> domain->lock -> data->lock: "
     "a potential ABBA deadlock, as lockdep would report."},
    {"data-race",
     "Two tasks accessed tracked kernel state (dev->iommu, drvdata, owner->controllers, dma_ops, "
     "the exynos globals, the fwspec) without a happens-before order and at least one wrote: an "
     "unsynchronised access, as KCSAN would report."},
};

}  // namespace

std::string_view Explain(std::string_view id) {
  for (const auto& [k, v] : kExplanations) {
    if (k == id) return v;
  }
  return "An invariant of the probe path failed; see the message and the trace.";
}

}  // namespace probestorm::stress
