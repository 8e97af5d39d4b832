#include "driver/invariants/dev_iommu_freed_in_use.h"

#include "absl/strings/str_cat.h"
#include "driver/arch/fault.h"
#include "driver/invariants/checker.h"
#include "driver/kernel.h"
#include "harness/engine.h"

namespace probestorm::kernel::invariants {

const harness::InvariantDef kDevIommuFreedInUse{
    .name = "dev-iommu-freed-in-use",
    .what = "dev->iommu (fwspec, priv) is not freed or replaced while another task uses it",
    .explanation =
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
        "a2e7e59a9426 (v6.7) runs the whole translation under iommu_probe_device_lock.",
    .severity = harness::Severity::kViolation,
    .detector = false,
};

namespace {

// A copy: another OS thread (free engine) may free the device's dev->iommu again meanwhile.
std::string FreedBy(Device* dev) {
  return checker(*dev->kernel).dev_iommu_freed_in_use.freed_by.Get(dev->of_node);
}

}  // namespace

void OnDevIommuFree(Device* dev) {
  checker(*dev->kernel).dev_iommu_freed_in_use.freed_by.Set(dev->of_node, harness::SelfName());
}

void DevIommuNullDeref(Device* dev, const char* func, const KernelField& field, bool write) {
  const std::string freer = FreedBy(dev);
  const std::string self = harness::SelfName();
  const std::string why =
      freer.empty() ? absl::StrCat("dev->iommu of ", dev->name, " was never allocated")
      : freer == self
          ? absl::StrCat("dev->iommu of ", dev->name, " was freed earlier by this task")
          : absl::StrCat("dev->iommu of ", dev->name, " was freed by ", freer,
                         " (dev_iommu_free(), e.g. on the error path of __iommu_probe_device) while this "
                         "task was using it");
  NullDerefOops(dev->kernel->knobs.arch, Context::kTask, kDevIommuFreedInUse, func, field, write,
                absl::StrCat(dev->name, ": dev->iommu is NULL",
                             freer.empty() || freer == self ? "" : absl::StrCat(", freed by ", freer)),
                {dev->name}, why);
}

void DevIommuUseAfterFree(Device* dev, const char* func) {
  harness::Oops(kDevIommuFreedInUse,
                absl::StrCat("BUG: KASAN: use-after-free in ", func, " (", dev->name,
                             "): dev->iommu freed by ", FreedBy(dev)),
                {dev->name});
}

void FwspecNullDeref(Device* dev) {
  const std::string freer = FreedBy(dev);
  NullDerefOops(dev->kernel->knobs.arch, Context::kTask, kDevIommuFreedInUse, "of_iommu_configure",
                kFwspecOps, false,
                absl::StrCat(dev->name, ": fwspec is NULL, dev->iommu freed by ", freer), {dev->name},
                absl::StrCat("dev_iommu_fwspec_get() returned NULL: ", freer,
                             " freed dev->iommu (dev_iommu_free()) after this task's of_xlate"));
}

void OwnerNullDeref(Device* dev, Device* master, const char* func) {
  // mutex_lock(&owner->rpm_lock) with owner NULL: the fault is in mutex_lock, called from `func`.
  NullDerefOops(dev->kernel->knobs.arch, Context::kTask, kDevIommuFreedInUse, "mutex_lock",
                kOwnerRpmLock, /*write=*/false,
                absl::StrCat(func, "(", dev->name, "): owner of ", master->name, " is NULL"),
                {dev->name, master->name},
                absl::StrCat("lr : ", func, "\ndev_iommu_priv_get(", master->name,
                             ") returned NULL: its dev->iommu was freed by ", FreedBy(master)));
}

}  // namespace probestorm::kernel::invariants
