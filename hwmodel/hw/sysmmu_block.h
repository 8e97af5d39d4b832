// SysmmuBlock: one Samsung System MMU instance (the register block behind a
// "samsung,exynos-sysmmu" node) — registers, TLB, FLPD cache, page-table walker, fault latching
// and its interrupt line. Models the hardware that drivers/iommu/exynos-iommu.c (v6.1..v6.3) drives,
// for SysMMU versions 1 (v1.0), 3 (v3.3), 5 (v5.0) and 7 (v7.0).
//
// Register map (offsets below; every constant is in namespace sysmmu_reg):
//   common   MMU_CTRL 0x000 (bit0 enable, bit1 block: CTRL_ENABLE 0x5, CTRL_BLOCK 0x7,
//            CTRL_DISABLE 0x0), MMU_CFG 0x004, MMU_STATUS 0x008 (bit0 blocked, read-only),
//            MMU_VERSION 0x034 (read-only: v1 0x80000001, else ((major << 7) | minor) << 21).
//   v1..v3   FLUSH_ALL 0x0C, FLUSH_ENTRY 0x10, PT_BASE 0x14 (physical address), INT_STATUS 0x18,
//            INT_CLEAR 0x1C, PAGE_FAULT_ADDR 0x24, AW_FAULT_ADDR 0x28, AR_FAULT_ADDR 0x2C,
//            DEFAULT_SLAVE_ADDR 0x30.
//   v5, v7   PT_BASE 0x0C (physical address >> 12), FLUSH_ALL 0x10, FLUSH_ENTRY 0x14,
//            FLUSH_RANGE 0x18, FLUSH_START 0x20, FLUSH_END 0x24, INT_STATUS 0x60, INT_CLEAR 0x64,
//            FAULT_AR_VA 0x70, FAULT_AW_VA 0x80.
//   v7 only  FAULT_VA 0x70 (= AR/AW VA of the last fault), FAULT_INFO 0x78 (bit 20 = write),
//            CAPA0 0x870 (bit 11 CAPA1 exists: set), CAPA1 0x874 (bit 14 VCR: set only for a
//            VM-capable block, SysmmuBlockOptions::vm).
//   v7 VM    (options.vm) CTRL_VM 0x8000 (bit 0 VM context 0 enable, bit 3 fault mode stall),
//            PT_BASE 0x800C (phys >> 12), FLUSH_ALL 0x8010, FLUSH_ENTRY 0x8014, FLUSH_RANGE
//            0x8018, FLUSH_START 0x8020, FLUSH_END 0x8024, INT_STATUS 0x60, INT_CLEAR 0x64,
//            FAULT_VA 0x1000, FAULT_INFO 0x1004 (bit 20 = write). The non-VM PT_BASE, flush and
//            fault VA registers (0x0C..0x24, 0x70..0x80) do not exist in this layout: they read 0
//            and ignore writes. Translation needs both MMU_CTRL enable and CTRL_VM enable: with
//            the context disabled the block passes addresses through untranslated (our reading of
//            why __sysmmu_enable_vid runs before CTRL_ENABLE: the VM instance, not MMU_CTRL,
//            owns the page table; a bypass is what makes a forgotten VM enable observable, as a
//            wrong DMA landing). CTRL_VM fault mode is recorded, not modelled: faults always
//            stall until INT_STATUS is cleared.
//   Unknown offsets read 0 and ignore writes (traced).
//   FLUSH_ALL: any write invalidates the whole TLB and FLPD cache. FLUSH_ENTRY: invalidates every
//   entry containing (value & ~0xFFF). FLUSH_RANGE: any write invalidates entries overlapping
//   [FLUSH_START & ~0xFFF, (FLUSH_END & ~0xFFF) + 4 KiB) (the kernel writes the last page as END).
//   INT_CLEAR: write-1-to-clear of INT_STATUS bits.
//
// Gating: every readl/writel checks that all clocks of the SysMMU node and its power domain are
// on. If not, it reports harness::Report(kGatedRegisterAccess, "<dev>: readl of MMU_CTRL
// (0x000) with clock aclk gated") (or "with power domain <name> off"), reads return 0, writes are
// ignored. A power-off of the domain resets the block (registers, TLB, FLPD cache, pending
// interrupt) on its next access (test SysmmuGating.PowerOffResetsTheBlock).
//
// Blocking: a CTRL_BLOCK write stops translation at once, but MMU_STATUS bit0 becomes 1 only on
// the N-th MMU_STATUS read after it, N drawn per BLOCK from a stream forked from the run's model
// rng ("hwmodel/sysmmu@<dev>") in [block_polls_min, block_polls_max] (HardwareOptions).
// The kernel's sysmmu_block() polls up to 120 times.
//
// Translation (Translate): disabled (CTRL bit0 clear), or clocks/domain off => bypass, phys = iova.
// Enabled and blocked, or a fault pending in INT_STATUS => stalled (no translation, no fault).
// Otherwise: TLB lookup; on a miss the FLPD cache (v3.3+, only with CFG_FLPDCACHE) or lv1 in
// PhysMemory, then lv2; the result (4 KiB, 64 KiB or 1 MiB entry) is cached in the TLB until a
// flush covers it — a missing flush is observable as a stale translation (SysmmuTlb.*). The FLPD
// cache keeps lv2 links, including links to the zero lv2 table: replacing a zero link without a
// FLUSH_ENTRY keeps faulting on v3.3+, as exynos-iommu.c's alloc_lv2entry comment says
// (SysmmuFlpd.ReplacedZeroLinkNeedsFlushOnV33AndLater).
// Page-table format (PG_ENT_SHIFT = 0 for v1..v3, 4 for v5+; entries store phys >> shift):
//   lv1 = 4096 u32 at pt_base, index iova >> 20; bits[1:0]: 1 lv2 link
//   (lv2 base = (entry & 0xFFFFFFC0) << shift), 2 = 1 MiB section, 0/3 fault.
//   lv2 = 256 u32, index (iova >> 12) & 0xFF; bits[1:0]: 0 fault, 1 = 64 KiB large page,
//   bit1 = 4 KiB small page.
//   Protection (checked when CFG_EAP is set): v1..v3 lv1 bits 15/10, lv2 bits 9/4 (AP bit 10/4
//   clear = no access; set with RO bit 15/9 = read only; set without = read/write); v5+ lv1 bits
//   [5:4], lv2 bits [3:2] (0 none, 1 R, 2 W, 3 RW).
//   A lv1 table or lv2 table in memory not tagged as page table (IsPageTableOwner) is a walk into
//   garbage: fault (v5+ PTW; v1..v3 BUS ERROR with DEFAULT_SLAVE_ADDR) with the reason in
//   TranslateResult::detail, e.g. "lv1 entry points at unallocated memory 0x0, was the zero lv2
//   table NULL?".
// Multi-hit: the TLB may hold two live entries for one address when a stale entry survives a
//   missing flush and a walk caches a larger entry over it (a 4 KiB page cached, unmapped without
//   a flush, a 1 MiB section mapped over it and walked through another address). A lookup that
//   matches two entries is a MULTI-HIT fault (v1 AR/AW MULTI-HIT, v5+ MULTI-HIT bit 2 / 18) and
//   translates nothing (SysmmuTlb.MultiHit*). Security faults are not raised: nothing in the
//   model marks secure memory, so there is no honest trigger.
// Faults latch one INT_STATUS bit (v1: 0 PAGE, 1/2 AR/AW MULTI-HIT, 3 BUS ERROR, 4/5 AR
// SECURITY/ACCESS, 6/7 AW SECURITY/ACCESS; v5+: bits 0..4 AR {PTW, PAGE, MULTI-HIT, ACCESS,
// SECURITY}, 16..20 the same for AW) and the fault address register(s), stall translation until
// INT_STATUS is cleared, and raise the interrupt.
//
// Interrupt: level-triggered. When INT_STATUS becomes non-zero and a handler is registered,
// a harness task "irq/<dev>" is spawned that runs the handler (at most one pending at a time).
// With no handler the interrupt stays pending; SetIrqHandler() with INT_STATUS non-zero raises it
// at once (devm_request_irq on a line that is already asserted). A handler that returns without
// clearing INT_STATUS is not re-run (the kernel would disable the line: "nobody cared").
//
// Thread-safety: thread-safe under both engines. readl, writel and Translate are each one schedule
// point (PointKind::kShared) followed by an atomic step on the block's state under an internal
// harness::RawLock. Deliberate divergence from "state under a SpinLock": a SpinLock would give
// the race detector a happens-before edge between any two register accesses, hiding real data
// races in the driver (MMIO to one device does not order CPU memory accesses between CPUs in the
// kernel memory model), and would add hardware lock classes to lockdep. The block's state is
// never accessed outside that lock, so it cannot race by construction. The IRQ handler runs
// outside the lock. Observers (enabled(), pt_base(), ...) are instantaneous, no schedule point.
#ifndef PROBESTORM_HWMODEL_HW_SYSMMU_BLOCK_H_
#define PROBESTORM_HWMODEL_HW_SYSMMU_BLOCK_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/engine.h"
#include "harness/rng.h"
#include "hwmodel/hw/clock.h"
#include "hwmodel/hw/phys_memory.h"
#include "hwmodel/hw/power_domain.h"

namespace probestorm::hwmodel {

using Iova = uint32_t;

namespace sysmmu_reg {

inline constexpr uint32_t kNone = 0xFFFF'FFFF;  // register absent in this variant

// Common registers.
inline constexpr uint32_t kMmuCtrl = 0x000;
inline constexpr uint32_t kMmuCfg = 0x004;
inline constexpr uint32_t kMmuStatus = 0x008;
inline constexpr uint32_t kMmuVersion = 0x034;

inline constexpr uint32_t kCtrlEnable = 0x5;
inline constexpr uint32_t kCtrlBlock = 0x7;
inline constexpr uint32_t kCtrlDisable = 0x0;
inline constexpr uint32_t kCtrlEnableBit = 1u << 0;
inline constexpr uint32_t kCtrlBlockBit = 1u << 1;
inline constexpr uint32_t kStatusBlocked = 1u << 0;

inline constexpr uint32_t kCfgLru = 1u << 0;
inline constexpr uint32_t kCfgEap = 1u << 2;
constexpr uint32_t CfgQos(uint32_t n) { return (n & 0xF) << 7; }
inline constexpr uint32_t kCfgFlpdCache = 1u << 20;
inline constexpr uint32_t kCfgSysSel = 1u << 22;
inline constexpr uint32_t kCfgAcGen = 1u << 24;

// MMU_VERSION: MAKE_MMU_VER(major, minor) = (major << 7) | minor, register = ver << 21;
// v1 parts read the special value 0x80000001 (the kernel maps it to v1.0).
constexpr uint32_t MakeMmuVer(uint32_t major, uint32_t minor) { return (major << 7) | minor; }
inline constexpr uint32_t kVersionV1Special = 0x8000'0001;

// v1..v3 fault address registers.
inline constexpr uint32_t kPageFaultAddr = 0x24;
inline constexpr uint32_t kAwFaultAddr = 0x28;
inline constexpr uint32_t kArFaultAddr = 0x2C;
inline constexpr uint32_t kDefaultSlaveAddr = 0x30;
// v5+ fault address registers.
inline constexpr uint32_t kV5FaultArVa = 0x70;
inline constexpr uint32_t kV5FaultAwVa = 0x80;
// v7.
inline constexpr uint32_t kV7FaultInfoWrite = 1u << 20;  // FAULT_INFO bit 20: write access
inline constexpr uint32_t kV7CtrlVm = 0x8000;
inline constexpr uint32_t kV7Capa0 = 0x870;
inline constexpr uint32_t kV7Capa1 = 0x874;
inline constexpr uint32_t kCapa0Capa1Exist = 1u << 11;
inline constexpr uint32_t kCapa1VcrEnabled = 1u << 14;
inline constexpr uint32_t kCtrlVmEnable = 1u << 0;
inline constexpr uint32_t kCtrlVmFaultModeStall = 1u << 3;

// Per-variant offsets (struct sysmmu_variant in exynos-iommu.c).
struct Variant {
  uint32_t pt_base;
  uint32_t flush_all;
  uint32_t flush_entry;
  uint32_t flush_range;
  uint32_t flush_start;
  uint32_t flush_end;
  uint32_t int_status;
  uint32_t int_clear;
  uint32_t fault_va;    // v7
  uint32_t fault_info;  // v7
};
inline constexpr Variant kV1Variant = {0x14, 0x0C, 0x10, kNone, kNone, kNone, 0x18, 0x1C, kNone, kNone};
inline constexpr Variant kV5Variant = {0x0C, 0x10, 0x14, 0x18, 0x20, 0x24, 0x60, 0x64, kNone, kNone};
inline constexpr Variant kV7Variant = {0x0C, 0x10, 0x14, 0x18, 0x20, 0x24, 0x60, 0x64, 0x70, 0x78};
inline constexpr Variant kV7VmVariant = {0x800C, 0x8010, 0x8014, 0x8018, 0x8020, 0x8024,
                                         0x60,   0x64,   0x1000, 0x1004};

// INT_STATUS bit numbers.
inline constexpr int kV1IntPage = 0;
inline constexpr int kV1IntArMultiHit = 1;
inline constexpr int kV1IntAwMultiHit = 2;
inline constexpr int kV1IntBusError = 3;
inline constexpr int kV1IntArSecurity = 4;
inline constexpr int kV1IntArAccess = 5;
inline constexpr int kV1IntAwSecurity = 6;
inline constexpr int kV1IntAwAccess = 7;
inline constexpr int kV5IntPtw = 0;  // + kV5IntAwOffset for AW
inline constexpr int kV5IntPage = 1;
inline constexpr int kV5IntMultiHit = 2;
inline constexpr int kV5IntAccess = 3;
inline constexpr int kV5IntSecurity = 4;
inline constexpr int kV5IntAwOffset = 16;

// Page-table entry layout.
inline constexpr int kPgEntShiftV1 = 0;
inline constexpr int kPgEntShiftV5 = 4;
inline constexpr uint32_t kLv1Entries = 4096;
inline constexpr uint32_t kLv2Entries = 256;
inline constexpr uint32_t kLv2TableBytes = kLv2Entries * 4;  // 1 KiB

}  // namespace sysmmu_reg

// Valid versions: 1, 3, 5, 7 (major). Minor: v1.0, v3.3, v5.0, v7.0.
bool IsValidSysmmuVersion(int major);
// MMU_VERSION register value for a major version.
uint32_t SysmmuVersionRegister(int major);
// The layout of the hardware: v1..v3, v5, v7 or (vm, v7 only) the v7 VM layout.
const sysmmu_reg::Variant& SysmmuVariant(int major, bool vm = false);
// "MMU_CTRL", "PT_BASE", ... for an offset in the given layout; "0x0a8" when unknown.
std::string SysmmuRegName(int major, uint32_t offset, bool vm = false);

enum class SysmmuFault : uint8_t {
  kNone,
  kPtw,        // v5+: the walker read page-table memory that is not a page table
  kPage,       // fault entry (lv1 or lv2)
  kAccess,     // protection bits deny the access
  kBusError,   // v1..v3 equivalent of kPtw
  kMultiHit,   // two live TLB entries match the address
};
// "PTW", "PAGE", "ACCESS PROTECTION", "BUS ERROR", "MULTI-HIT"
const char* SysmmuFaultName(SysmmuFault f);

struct TranslateResult {
  enum class Kind : uint8_t {
    kTranslated,  // phys valid, through the page tables (tlb_hit says whether cached)
    kBypass,      // SysMMU disabled or unclocked: phys == iova
    kStalled,     // blocked or a fault pending: the transaction waits, phys invalid
    kFault,       // fault latched (fault, detail), phys invalid
  };
  Kind kind = Kind::kBypass;
  PhysAddr phys = 0;
  bool tlb_hit = false;
  SysmmuFault fault = SysmmuFault::kNone;
  std::string detail;  // fault: what the walker saw; bypass/stall: why

  bool ok() const { return kind == Kind::kTranslated || kind == Kind::kBypass; }
};

struct SysmmuBlockOptions {
  int version = 5;          // major: 1, 3, 5 or 7
  bool vm = false;          // v7 only: CAPA1 advertises VCR, the VM register layout
  int block_polls_min = 1;  // MMU_STATUS reads until a BLOCK is visible: uniform in [min, max]
  int block_polls_max = 3;
  int tlb_entries = 32;     // fully associative, round-robin replacement
  int flpd_entries = 8;     // lv1 link cache (v3.3+ with CFG_FLPDCACHE)
};

class SysmmuBlock {
 public:
  struct GateClock {
    std::string con_id;  // the node's clock-names entry ("aclk", "pclk", "sysmmu", "master")
    ClockGate* gate = nullptr;
  };

  // `memory` and the gates / domain must outlive the block; `domain` may be null (always on).
  // REQUIRES: IsValidSysmmuVersion(options.version), and version 7 if options.vm.
  SysmmuBlock(std::string device_name, SysmmuBlockOptions options, PhysMemory* memory,
              std::vector<GateClock> clocks, PowerDomain* domain, harness::Rng rng);
  SysmmuBlock(const SysmmuBlock&) = delete;
  SysmmuBlock& operator=(const SysmmuBlock&) = delete;

  // MMIO. Each is one schedule point; gated access => finding, 0 / ignored.
  uint32_t readl(uint32_t offset);
  void writel(uint32_t offset, uint32_t value);

  // The interrupt line (devm_request_irq / free_irq with an empty function).
  void SetIrqHandler(std::function<void()> handler);

  // One bus transaction from a master. One schedule point.
  TranslateResult Translate(Iova iova, bool write);

  // ---- observers (no schedule point, no gating check)
  const std::string& device_name() const { return name_; }
  int version() const { return options_.version; }
  bool vm() const { return options_.vm; }
  const sysmmu_reg::Variant& variant() const { return *variant_; }
  int pg_ent_shift() const;
  bool enabled() const;   // CTRL bit0 (as last written, ignoring a pending power-off reset)
  bool blocked() const;   // CTRL bit1
  PhysAddr pt_base() const;
  uint32_t int_status() const;
  bool Clocked() const;   // all clocks on and domain on
  uint64_t tlb_hits() const;
  uint64_t tlb_misses() const;
  uint64_t irqs_raised() const;
  uint64_t gated_accesses() const;

 private:
  struct TlbEntry {
    bool valid = false;
    Iova va = 0;           // aligned to 1 << shift
    uint8_t shift = 12;    // 12, 16, 20
    uint8_t prot = 3;      // 0 none, 1 R, 2 W, 3 RW
    PhysAddr pa = 0;
    bool overlap = false;  // another entry overlapped it when either was cached (a hint:
                           // set on both, cleared only by replacing this entry)
  };
  struct FlpdEntry {
    bool valid = false;
    uint32_t section = 0;  // iova >> 20
    uint32_t lv1 = 0;      // the cached lv1 link entry
  };

  // All *Locked methods: REQUIRES mu_ held.
  void SyncPowerLocked();
  void ResetLocked();
  // Empty when ungated, else " with clock aclk gated" / " with power domain X off".
  std::string GateProblemLocked() const;
  uint32_t ReadLocked(uint32_t offset);
  void WriteLocked(uint32_t offset, uint32_t value);
  void InvalidateLocked(uint64_t start, uint64_t end);  // [start, end)
  void CacheLocked(const TlbEntry& entry);               // round-robin slot, overlap hints
  // True when more than one valid entry matches iova.
  bool MultiHitLocked(Iova iova) const;
  TranslateResult WalkLocked(Iova iova, bool write);
  // Latches the fault; returns true if an IRQ task must be spawned (after unlocking).
  bool LatchFaultLocked(Iova iova, bool write, SysmmuFault fault);
  bool ShouldRaiseIrqLocked();
  void RaiseIrq();

  const std::string name_;
  const SysmmuBlockOptions options_;
  const sysmmu_reg::Variant* const variant_;
  PhysMemory* const memory_;
  const std::vector<GateClock> clocks_;
  PowerDomain* const domain_;

  mutable harness::RawLock mu_;
  // ---- guarded by mu_
  harness::Rng rng_;
  uint64_t seen_power_offs_ = 0;
  uint32_t ctrl_ = 0;
  uint32_t cfg_ = 0;
  uint32_t ctrl_vm_ = 0;         // v7 VM CTRL_VM
  uint32_t pt_base_reg_ = 0;
  uint32_t int_status_ = 0;
  uint32_t fault_ar_ = 0;        // v1 AR_FAULT_ADDR / v5 FAULT_AR_VA
  uint32_t fault_aw_ = 0;        // v1 AW_FAULT_ADDR / v5 FAULT_AW_VA
  uint32_t fault_page_ = 0;      // v1 PAGE_FAULT_ADDR
  uint32_t fault_slave_ = 0;     // v1 DEFAULT_SLAVE_ADDR
  uint32_t fault_va_ = 0;        // v7 FAULT_VA
  uint32_t fault_info_ = 0;      // v7 FAULT_INFO
  uint32_t flush_start_ = 0;
  uint32_t flush_end_ = 0;
  int block_reads_left_ = 0;     // MMU_STATUS reads until bit0 shows (after a BLOCK write)
  std::vector<TlbEntry> tlb_;
  size_t tlb_next_ = 0;
  size_t tlb_last_hit_ = 0;
  std::vector<FlpdEntry> flpd_;
  size_t flpd_next_ = 0;
  std::function<void()> irq_handler_;
  bool irq_in_flight_ = false;   // an irq task is spawned and has not started the handler
  uint64_t tlb_hits_ = 0;
  uint64_t tlb_misses_ = 0;
  uint64_t irqs_raised_ = 0;
  uint64_t gated_accesses_ = 0;
};

}  // namespace probestorm::hwmodel

#endif  // PROBESTORM_HWMODEL_HW_SYSMMU_BLOCK_H_
