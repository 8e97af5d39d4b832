// PhysMemory: the simulated board's DRAM — a buddy page allocator with an owner tag per page and
// sparse 32-bit word storage. Page tables (lv1/lv2), the zero lv2 table and DMA buffers live here;
// the SysMMU page-table walker (sysmmu_block.h) reads them through Read32.
//
// Address space: RAM is [base, base + size), by default [0x2000'0000, 0xE000'0000) — the Exynos5433
// DRAM base, 3 GiB, entirely below 4 GiB so that v1–v3 SysMMUs (32-bit physical page-table
// entries) can address every page. Physical 0 is never RAM: an address derived from a NULL
// pointer (virt_to_phys(NULL) of a zero lv2 table that was never allocated) is detectably bogus.
//
// Owner tags: free text chosen by the allocator's caller ("pgtable:lv1 13800000.decon",
// "lv2table", "pgtable:zero_lv2_table", "dma-buf 13800000.decon"). The SysMMU walker accepts
// only pages whose tag starts with "pgtable", "lv1" or "lv2" as page-table memory
// (IsPageTableOwner); a walk through any other page is a walk into garbage and faults.
//
// Allocation semantics (alloc_pages(GFP_KERNEL | __GFP_ZERO, order)):
//  1. AllocPages(order) returns 2^order contiguous pages aligned to their size, zero-filled, never
//     at physical 0. It returns 0 only when no block of that order is free (the NULL of a failed
//     alloc_pages). The lowest free address wins, so allocation is deterministic.
//  2. FreePages(addr, order) must match a live allocation exactly (same start, same order);
//     otherwise nothing is freed, bad_frees() counts it and a "BUG: Bad page state" trace event is
//     written (the kernel would print the same and taint). Freed pages lose their contents.
//  3. Read32 of unallocated memory returns 0; Write32 to unallocated memory is dropped and counted
//     in stray_writes() (the model has no other memory the write could corrupt).
//
// Thread-safety: every method is thread-safe under both engines (an internal harness::RawLock,
// a real mutex under the free engine). Deliberately NOT schedule points and NOT race-checked:
// a domain_alloc fills 4096 lv1 words, and the interleavings that matter around page tables are
// the driver's locks and the SysMMU's register accesses (TLB flushes), which are schedule points.
// AllocPages/FreePages are schedule points (the allocator is shared state).
#ifndef PROBESTORM_HWMODEL_HW_PHYS_MEMORY_H_
#define PROBESTORM_HWMODEL_HW_PHYS_MEMORY_H_

#include <array>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "harness/engine.h"

namespace probestorm::hwmodel {

using PhysAddr = uint64_t;

inline constexpr int kPageShift = 12;
inline constexpr uint64_t kPageSize = uint64_t{1} << kPageShift;

// True for owner tags that mark page-table memory ("pgtable*", "lv1*", "lv2*").
bool IsPageTableOwner(std::string_view owner);

class PhysMemory {
 public:
  static constexpr PhysAddr kDefaultBase = 0x2000'0000;        // Exynos5433 DRAM base
  static constexpr uint64_t kDefaultSize = uint64_t{3} << 30;  // 3 GiB, ends at 0xE000'0000
  static constexpr int kMaxOrder = 10;                         // 4 MiB blocks (MAX_ORDER 11)

  // REQUIRES: base and size aligned to 2^kMaxOrder pages, base != 0.
  explicit PhysMemory(PhysAddr base = kDefaultBase, uint64_t size = kDefaultSize);
  PhysMemory(const PhysMemory&) = delete;
  PhysMemory& operator=(const PhysMemory&) = delete;

  // 2^order pages, aligned to their size, zero-filled; 0 when out of memory or order is not in
  // [0, kMaxOrder]. `owner` tags every page of the block.
  PhysAddr AllocPages(int order, std::string owner);
  // Returns false (and frees nothing) unless [addr, order] is exactly a live allocation.
  bool FreePages(PhysAddr addr, int order);

  // Aligned 32-bit little-endian words (addr & 3 is ignored).
  uint32_t Read32(PhysAddr addr) const;
  void Write32(PhysAddr addr, uint32_t value);
  // Writes `count` words starting at addr (memset32).
  void Fill32(PhysAddr addr, uint32_t value, size_t count);

  // Owner tag of the page holding addr; "" when unallocated.
  std::string Owner(PhysAddr addr) const;
  bool IsAllocated(PhysAddr addr) const;

  PhysAddr base() const { return base_; }
  uint64_t size() const { return size_; }
  uint64_t allocated_pages() const;
  uint64_t stray_writes() const;
  uint64_t bad_frees() const;

 private:
  struct Frame {
    std::shared_ptr<const std::string> owner;  // shared by every page of one allocation
    PhysAddr block_start = 0;                   // first page of the allocation
    int block_order = 0;
    std::unique_ptr<std::array<uint32_t, kPageSize / 4>> words;  // null until first write
  };

  const Frame* FindLocked(PhysAddr addr) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Frame* FindLocked(PhysAddr addr) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const PhysAddr base_;
  const uint64_t size_;
  mutable harness::RawLock mu_;
  // free blocks by order, lowest first
  std::array<std::set<PhysAddr>, kMaxOrder + 1> free_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<uint64_t, Frame> frames_ ABSL_GUARDED_BY(mu_);  // pfn -> allocated page (lookup only)
  uint64_t stray_writes_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t bad_frees_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace probestorm::hwmodel

#endif  // PROBESTORM_HWMODEL_HW_PHYS_MEMORY_H_
