// The oops text of a kernel NULL-pointer dereference and of a BUG(), as arm64 (arch/arm64/mm/fault.c
// die_kernel_fault + mem_abort_decode, arch/arm64/kernel/traps.c die) and arm32 (arch/arm/mm/fault.c
// __do_kernel_fault, arch/arm/kernel/traps.c die) print them in v6.1, chosen by knob arch.
//
// The faulting address is the offset of the accessed field inside the NULL structure, as the kernel
// prints it. Offsets are those of the v6.1 layouts on a configuration without lock debugging
// (CONFIG_DEBUG_MUTEXES and CONFIG_DEBUG_LOCK_ALLOC off, CONFIG_MUTEX_SPIN_ON_OWNER on, as in
// arm64 defconfig and exynos_defconfig), where struct mutex is 32 bytes on arm64 and 20 on arm32.
//
// An oops in hard-IRQ context (`Context::kHardIrq`) is a panic, "Kernel panic - not syncing: Fatal
// exception in interrupt" (die() -> panic() when in_interrupt()): the whole run ends there.
//
// Thread-safety: stateless; NullDerefOops/BugOops end the calling task (harness::Oops), or the run
// (harness::Panic) from hard-IRQ context.
#ifndef PROBESTORM_DRIVER_ARCH_FAULT_H_
#define PROBESTORM_DRIVER_ARCH_FAULT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "driver/profile.h"
#include "harness/invariant.h"

namespace probestorm::kernel {

enum class Context { kTask, kHardIrq };

// A field of a kernel structure, with its byte offset on each architecture.
struct KernelField {
  const char* name;  // as the C expression reads: "dev->iommu->priv"
  uint32_t arm64;
  uint32_t arm32;
};

// struct dev_iommu (include/linux/iommu.h, v6.1): struct mutex lock; fault_param; iopf_param;
// fwspec; iommu_dev; priv.
inline constexpr KernelField kDevIommuFwspec = {"dev->iommu->fwspec", 0x30, 0x1c};
inline constexpr KernelField kDevIommuIommuDev = {"dev->iommu->iommu_dev", 0x38, 0x20};
inline constexpr KernelField kDevIommuPriv = {"dev->iommu->priv", 0x40, 0x24};
// struct iommu_fwspec: ops is the first member.
inline constexpr KernelField kFwspecOps = {"fwspec->ops", 0x0, 0x0};
// struct iommu_device: struct list_head list; ops.
inline constexpr KernelField kIommuDeviceOps = {"dev->iommu->iommu_dev->ops", 0x10, 0x8};
// struct sysmmu_drvdata (exynos-iommu.c): eight pointers (sysmmu, master, link, sfrbase, four
// clocks), spinlock_t lock, bool active, domain, domain_node, owner_node, phys_addr_t pgtable
// (32-bit on arm32 without LPAE), version, struct iommu_device iommu (list, ops, fwnode, dev), then
// variant.
inline constexpr KernelField kSysmmuVariant = {"data->variant", 0xa8, 0x58};
// struct exynos_iommu_owner (drivers/iommu/exynos-iommu.c): list_head controllers; domain; rpm_lock.
inline constexpr KernelField kOwnerRpmLock = {"owner->rpm_lock", 0x18, 0xc};

uint32_t FieldOffset(Arch arch, const KernelField& f);

// The "Unable to handle kernel NULL pointer dereference at virtual address ..." line of `arch`.
std::string NullDerefLine(Arch arch, uint64_t address);

// A NULL dereference of `field` in `func` (the pc): a violation of `id` whose message is
// "<the Unable-to-handle line>; pc : <func>; <what>" (arm32: "PC is at <func>"), and whose detail
// is the oops as the architecture prints it, then `why`.
[[noreturn]] void NullDerefOops(Arch arch, Context ctx, harness::InvariantId id, const char* func,
                                const KernelField& field, bool write, const std::string& what,
                                std::vector<std::string> devices, const std::string& why);

// A BUG()/BUG_ON() in `func` ("kernel BUG at <file>!" and the architecture's BUG oops line).
// `message` is the finding's message; the detail is the oops text, then `why`.
[[noreturn]] void BugOops(Arch arch, Context ctx, harness::InvariantId id, const char* file, const char* func,
                          std::string message, std::vector<std::string> devices, const std::string& why);

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_ARCH_FAULT_H_
