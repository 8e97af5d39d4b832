// The oops texts of fault.h against what v6.1 prints (arch/arm64/mm/fault.c die_kernel_fault,
// mem_abort_decode, data_abort_decode, show_pte; arch/arm64/kernel/traps.c die, bug_handler;
// arch/arm/mm/fault.c die_kernel_fault, show_pte; arch/arm/kernel/traps.c die, oops_end; lib/bug.c
// report_bug), and the field offsets against a layout computed from the v6.1 member lists.
#include "driver/arch/fault.h"

#include <cstddef>
#include <cstdint>
#include <string>

#include "driver/invariants/dev_iommu_freed_in_use.h"
#include "driver/iommu/iommu_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hwmodel/invariants/sysmmu_fault.h"

namespace probestorm::kernel {
namespace {

using iommu_testing::IommuWorld;
using iommu_testing::OneMaster;
using ::testing::HasSubstr;
using ::testing::Not;

// ---- field offsets

// The v6.1 layouts, member by member, with `Ptr` standing for a pointer (and long) of the
// architecture: uint64_t on arm64 (LP64), uint32_t on arm32 (ILP32). Both ABIs align a scalar to
// its size, as the host does, so offsetof on the host gives the target offsets. No lock debugging:
// struct mutex is { atomic_long_t owner; raw_spinlock_t wait_lock; struct optimistic_spin_queue osq;
// struct list_head wait_list; } (include/linux/mutex.h, MUTEX_SPIN_ON_OWNER on with SMP).
template <typename Ptr, typename PhysAddr>
struct Layout {
  struct ListHead {
    Ptr next, prev;
  };
  struct Mutex {
    Ptr owner;
    uint32_t wait_lock;  // arch_spinlock_t, 4 bytes on both
    uint32_t osq;        // atomic_t tail
    ListHead wait_list;
  };
  struct DevIommu {  // include/linux/iommu.h
    Mutex lock;
    Ptr fault_param, iopf_param, fwspec, iommu_dev, priv;
  };
  struct IommuDevice {  // include/linux/iommu.h
    ListHead list;
    Ptr ops, fwnode, dev;
  };
  struct SysmmuVariant {  // drivers/iommu/exynos-iommu.c
    uint32_t pt_base, flush_all, flush_entry, flush_range, flush_start, flush_end, int_status, int_clear;
  };
  struct ExynosIommuOwner {  // drivers/iommu/exynos-iommu.c
    ListHead controllers;
    Ptr domain;
    Mutex rpm_lock;
  };
  struct SysmmuDrvdata {  // drivers/iommu/exynos-iommu.c
    Ptr sysmmu, master, link, sfrbase, clk, aclk, pclk, clk_master;
    uint32_t lock;  // spinlock_t without debugging
    bool active;
    Ptr domain;
    ListHead domain_node, owner_node;
    PhysAddr pgtable;  // 32-bit on arm32 without LPAE
    uint32_t version;
    IommuDevice iommu;
    Ptr variant;
    bool has_vcr;
  };
};
using Arm64 = Layout<uint64_t, uint64_t>;
using Arm32 = Layout<uint32_t, uint32_t>;

TEST(FaultOffsets, MatchTheV61LayoutsOnBothArchitectures) {
  EXPECT_EQ(sizeof(Arm64::Mutex), 32u);
  EXPECT_EQ(sizeof(Arm32::Mutex), 20u);
  struct Want {
    const KernelField& field;
    size_t arm64, arm32;
  };
  const Want wants[] = {
      {kDevIommuFwspec, offsetof(Arm64::DevIommu, fwspec), offsetof(Arm32::DevIommu, fwspec)},
      {kDevIommuIommuDev, offsetof(Arm64::DevIommu, iommu_dev), offsetof(Arm32::DevIommu, iommu_dev)},
      {kDevIommuPriv, offsetof(Arm64::DevIommu, priv), offsetof(Arm32::DevIommu, priv)},
      {kIommuDeviceOps, offsetof(Arm64::IommuDevice, ops), offsetof(Arm32::IommuDevice, ops)},
      {kSysmmuVariantIntStatus, offsetof(Arm64::SysmmuVariant, int_status),
       offsetof(Arm32::SysmmuVariant, int_status)},
      {kOwnerRpmLock, offsetof(Arm64::ExynosIommuOwner, rpm_lock), offsetof(Arm32::ExynosIommuOwner, rpm_lock)},
  };
  for (const Want& w : wants) {
    EXPECT_EQ(w.field.arm64, w.arm64) << w.field.name;
    EXPECT_EQ(w.field.arm32, w.arm32) << w.field.name;
  }
  EXPECT_EQ(kFwspecOps.arm64, 0u);
  EXPECT_EQ(kFwspecOps.arm32, 0u);
  // The NULL pointer of a variant-less IRQ is data->variant, not data: the fault is at
  // variant->int_status (0x18), not at the offset of variant inside sysmmu_drvdata (0xa8 / 0x58).
  EXPECT_EQ(offsetof(Arm64::SysmmuDrvdata, variant), 0xa8u);
  EXPECT_EQ(offsetof(Arm32::SysmmuDrvdata, variant), 0x58u);
  EXPECT_EQ(kSysmmuVariantIntStatus.arm64, 0x18u);
}

// ---- oops texts

harness::Finding OopsIn(Arch arch, std::function<void()> body) {
  Knobs knobs;
  knobs.arch = arch;
  IommuWorld w(OneMaster(), knobs, 1, harness::InvariantSet::All(), false);
  bool after = false;
  w.Spawn("kworker/u8:1", [&] {
    body();
    after = true;
  });
  harness::RunResult r = w.Run();
  EXPECT_FALSE(after) << "an oops ends the task";
  EXPECT_EQ(r.findings.size(), 1u);
  return r.findings.empty() ? harness::Finding{} : r.findings[0];
}

TEST(FaultText, Arm64NullDerefPrintsTheAbortDecodingAndShowPte) {
  const harness::Finding f = OopsIn(Arch::kArm64, [] {
    NullDerefOops(Arch::kArm64, Context::kTask, invariants::kDevIommuFreedInUse, "exynos_iommu_of_xlate",
                  kDevIommuPriv, /*write=*/true, "what", {}, "why");
  });
  EXPECT_EQ(f.message,
            "Unable to handle kernel NULL pointer dereference at virtual address 0000000000000040; "
            "pc : exynos_iommu_of_xlate; what (dev->iommu->priv)");
  EXPECT_THAT(f.detail, HasSubstr("Unable to handle kernel NULL pointer dereference at virtual address "
                                  "0000000000000040\n"
                                  "Mem abort info:\n"
                                  "  ESR = 0x0000000096000044\n"
                                  "  EC = 0x25: DABT (current EL), IL = 32 bits\n"
                                  "  SET = 0, FnV = 0\n"
                                  "  EA = 0, S1PTW = 0\n"
                                  "  FSC = 0x04: level 0 translation fault\n"
                                  "Data abort info:\n"
                                  "  ISV = 0, ISS = 0x00000044\n"
                                  "  CM = 0, WnR = 1\n"
                                  "[0000000000000040] user address but active_mm is swapper\n"
                                  "Internal error: Oops: 0000000096000044 [#1] PREEMPT SMP\n"
                                  "Comm: kworker/u8:1\n"
                                  "pc : exynos_iommu_of_xlate\n"
                                  "why"));
}

TEST(FaultText, Arm32NullDerefIsSmpArmWithoutPreemptAndMarksTheFsrNote) {
  const harness::Finding f = OopsIn(Arch::kArm32, [] {
    NullDerefOops(Arch::kArm32, Context::kTask, invariants::kDevIommuFreedInUse, "dev_iommu_free",
                  kDevIommuFwspec, /*write=*/false, "what", {}, "why");
  });
  EXPECT_EQ(f.message,
            "Unable to handle kernel NULL pointer dereference at virtual address 0000001c; "
            "PC is at dev_iommu_free; what (dev->iommu->fwspec)");
  EXPECT_THAT(f.detail, HasSubstr("8<--- cut here ---\n"
                                  "Unable to handle kernel NULL pointer dereference at virtual address 0000001c\n"
                                  "[0000001c] *pgd=00000000\n"
                                  "Internal error: Oops: 5 [#1] SMP ARM\n"
                                  "Comm: kworker/u8:1\n"
                                  "PC is at dev_iommu_free\n"
                                  "note: FSR 0x005 is fsr_info[5] \"section translation fault\", read"));
  EXPECT_THAT(f.detail, Not(HasSubstr("PREEMPT")));  // multi_v7_defconfig
}

TEST(FaultText, HardIrqPanicCarriesTheDieStringOnArm64Only) {
  const harness::Finding a64 = OopsIn(Arch::kArm64, [] {
    NullDerefOops(Arch::kArm64, Context::kHardIrq, hwmodel::invariants::kSysmmuFault, "exynos_sysmmu_irq",
                  kSysmmuVariantIntStatus, false, "what", {}, "why");
  });
  EXPECT_THAT(a64.message, HasSubstr("at virtual address 0000000000000018; pc : exynos_sysmmu_irq; what "
                                     "(data->variant->int_status); "
                                     "Kernel panic - not syncing: Oops: Fatal exception in interrupt"));
  EXPECT_THAT(a64.detail, HasSubstr("ESR = 0x0000000096000004\n"));
  const harness::Finding a32 = OopsIn(Arch::kArm32, [] {
    NullDerefOops(Arch::kArm32, Context::kHardIrq, hwmodel::invariants::kSysmmuFault, "exynos_sysmmu_irq",
                  kSysmmuVariantIntStatus, false, "what", {}, "why");
  });
  EXPECT_THAT(a32.message, HasSubstr("at virtual address 00000018; PC is at exynos_sysmmu_irq; what "
                                     "(data->variant->int_status); "
                                     "Kernel panic - not syncing: Fatal exception in interrupt"));
}

TEST(FaultText, BugPrintsCutHereFileAndLineAndTheBugOops) {
  const harness::Finding a64 = OopsIn(Arch::kArm64, [] {
    BugOops(Arch::kArm64, Context::kHardIrq, hwmodel::invariants::kSysmmuFault, "drivers/iommu/exynos-iommu.c",
            510, "exynos_sysmmu_irq", "msg", {}, "why");
  });
  EXPECT_EQ(a64.message, "msg; Kernel panic - not syncing: Oops - BUG: Fatal exception in interrupt");
  EXPECT_THAT(a64.detail, HasSubstr("------------[ cut here ]------------\n"
                                    "kernel BUG at drivers/iommu/exynos-iommu.c:510!\n"
                                    "Internal error: Oops - BUG: 00000000f2000800 [#1] PREEMPT SMP\n"
                                    "Comm: kworker/u8:1\n"
                                    "pc : exynos_sysmmu_irq\n"
                                    "Kernel panic - not syncing: Oops - BUG: Fatal exception in interrupt\n"
                                    "why"));
  const harness::Finding a32 = OopsIn(Arch::kArm32, [] {
    BugOops(Arch::kArm32, Context::kTask, invariants::kDevIommuFreedInUse, "drivers/iommu/exynos-iommu.c", 828,
            "exynos_iommu_domain_alloc", "msg", {}, "why");
  });
  EXPECT_EQ(a32.message, "msg");
  EXPECT_THAT(a32.detail, HasSubstr("------------[ cut here ]------------\n"
                                    "kernel BUG at drivers/iommu/exynos-iommu.c:828!\n"
                                    "Internal error: Oops - BUG: 0 [#1] SMP ARM\n"
                                    "Comm: kworker/u8:1\n"
                                    "PC is at exynos_iommu_domain_alloc\n"
                                    "why"));
}

// mutex_lock(&owner->rpm_lock) with owner NULL: the fast path's load-exclusive of lock->owner
// faults first, a read (WnR 0 / FSR 0x005), at the offset of rpm_lock.
TEST(FaultText, OwnerNullMutexLockIsAReadFault) {
  for (Arch arch : {Arch::kArm64, Arch::kArm32}) {
    Knobs knobs;
    knobs.arch = arch;
    IommuWorld w(OneMaster(), knobs, 1, harness::InvariantSet::All(), false);
    w.Spawn("kworker/pm_wq", [&] {
      Device* sysmmu = w.k().AddDevice(OneMaster().sysmmus[0]);
      Device* master = w.k().AddDevice(OneMaster().masters[0]);
      invariants::OwnerNullDeref(sysmmu, master, "exynos_sysmmu_suspend");
    });
    harness::RunResult r = w.Run();
    ASSERT_EQ(r.findings.size(), 1u);
    if (arch == Arch::kArm64) {
      EXPECT_THAT(r.findings[0].message, HasSubstr("at virtual address 0000000000000018; pc : mutex_lock;"));
      EXPECT_THAT(r.findings[0].detail, HasSubstr("  CM = 0, WnR = 0\n"));
    } else {
      EXPECT_THAT(r.findings[0].message, HasSubstr("at virtual address 0000000c; PC is at mutex_lock;"));
      EXPECT_THAT(r.findings[0].detail, HasSubstr("Internal error: Oops: 5 [#1] SMP ARM"));
    }
  }
}

}  // namespace
}  // namespace probestorm::kernel
