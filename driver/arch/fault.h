// The oops text of a kernel NULL-pointer dereference and of a BUG(), as arm64 (arch/arm64/mm/fault.c
// __do_kernel_fault -> die_kernel_fault -> mem_abort_decode / data_abort_decode / show_pte,
// arch/arm64/kernel/traps.c die / __die, bug_handler) and arm32 (arch/arm/mm/fault.c
// __do_kernel_fault -> die_kernel_fault -> show_pte, arch/arm/kernel/traps.c die / __die) print them
// in v6.1, chosen by knob arch. Checked against a v6.1-rc7 tree (see docs/model.md, "Sources").
//
// The faulting address is the offset of the accessed field inside the NULL structure, as the kernel
// prints it. The configurations are those without lock debugging, so that a struct mutex is
// { owner, wait_lock, osq, wait_list }: 32 bytes on arm64, 20 on arm32.
//   arm64: v6.1 arch/arm64/configs/defconfig (PREEMPT, SMP, 4 KiB pages, 48-bit VA) plus
//          CONFIG_EXYNOS_IOMMU, which that defconfig leaves off: "Internal error: ... PREEMPT SMP".
//   arm32: v6.1 multi_v7_defconfig (SMP, no PREEMPT, no LPAE, ARM not Thumb-2; it sets
//          CONFIG_EXYNOS_IOMMU): "Internal error: ... SMP ARM". exynos_defconfig is not used: it
//          enables PROVE_LOCKING, DEBUG_MUTEXES and DEBUG_SPINLOCK, which grow every mutex and
//          spinlock (lockdep maps) and move every offset below.
//
// An oops in hard-IRQ context (`Context::kHardIrq`) is a panic: die() calls panic() when
// in_interrupt(). arm64 passes die()'s string to it ("Kernel panic - not syncing: Oops: Fatal
// exception in interrupt", "... Oops - BUG: Fatal ..."), arm32 does not ("Kernel panic - not
// syncing: Fatal exception in interrupt"). The whole run ends there.
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
// struct sysmmu_variant (drivers/iommu/exynos-iommu.c, v6.1): eight u32 register offsets, pt_base,
// flush_all, flush_entry, flush_range, flush_start, flush_end, int_status, int_clear. With
// data->variant NULL, exynos_sysmmu_irq's read of INT_STATUS loads variant->int_status.
inline constexpr KernelField kSysmmuVariantIntStatus = {"data->variant->int_status", 0x18, 0x18};
// struct exynos_iommu_owner (drivers/iommu/exynos-iommu.c): list_head controllers; domain; rpm_lock.
// mutex_lock's fast path reads lock->owner (the mutex's first word) with a load-exclusive (arm64
// without LSE atomics, as Exynos5433's Cortex-A57/A53; arm32 ldrex) before it writes: a read fault.
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

// A BUG()/BUG_ON() at `file`:`line` in `func` (report_bug's "cut here" and "kernel BUG at <file>:<line>!"
// lines, then the architecture's "Oops - BUG" line). `message` is the finding's message; the detail
// is the oops text, then `why`.
[[noreturn]] void BugOops(Arch arch, Context ctx, harness::InvariantId id, const char* file, int line,
                          const char* func, std::string message, std::vector<std::string> devices,
                          const std::string& why);

// "kernel BUG at <file>:<line>!", as lib/bug.c report_bug prints it (CONFIG_DEBUG_BUGVERBOSE).
std::string KernelBugLine(const char* file, int line);

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_ARCH_FAULT_H_
