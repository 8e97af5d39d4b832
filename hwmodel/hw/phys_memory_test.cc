#include "hwmodel/hw/phys_memory.h"

#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace probestorm::hwmodel {
namespace {

// No engine: the allocator works in setup code as well (its schedule points are skipped).

TEST(PhysMemory, AllocationsAreAlignedNonZeroAndDisjoint) {
  PhysMemory m;
  std::set<PhysAddr> seen;
  for (int order : {0, 2, 1, 8, 0, 10, 3}) {
    const PhysAddr a = m.AllocPages(order, "t");
    ASSERT_NE(a, 0u);
    EXPECT_EQ(a % (kPageSize << order), 0u) << order;
    EXPECT_GE(a, m.base());
    EXPECT_LE(a + (kPageSize << order), m.base() + m.size());
    for (uint64_t p = 0; p < (uint64_t{1} << order); ++p) EXPECT_TRUE(seen.insert(a + p * kPageSize).second);
  }
  EXPECT_EQ(m.allocated_pages(), seen.size());
  EXPECT_EQ(m.AllocPages(PhysMemory::kMaxOrder + 1, "too big"), 0u);
  EXPECT_EQ(m.AllocPages(-1, "bad"), 0u);
}

TEST(PhysMemory, PhysicalZeroIsNeverRam) {
  PhysMemory m;
  EXPECT_FALSE(m.IsAllocated(0));
  EXPECT_EQ(m.Owner(0), "");
  EXPECT_EQ(m.Read32(0), 0u);
  m.Write32(0, 0x1234);
  EXPECT_EQ(m.stray_writes(), 1u);
}

TEST(PhysMemory, OwnerTagsAndContents) {
  PhysMemory m;
  const PhysAddr lv1 = m.AllocPages(2, "pgtable:lv1 13800000.decon");
  const PhysAddr buf = m.AllocPages(0, "dma-buf");
  EXPECT_EQ(m.Owner(lv1 + 3 * kPageSize + 8), "pgtable:lv1 13800000.decon");
  EXPECT_EQ(m.Owner(buf), "dma-buf");
  EXPECT_TRUE(IsPageTableOwner(m.Owner(lv1)));
  EXPECT_FALSE(IsPageTableOwner(m.Owner(buf)));
  EXPECT_TRUE(IsPageTableOwner("lv2table"));
  EXPECT_FALSE(IsPageTableOwner(""));
  EXPECT_EQ(m.Read32(lv1 + 0x100), 0u);  // zero-filled
  m.Write32(lv1 + 0x100, 0xdeadbeef);
  m.Fill32(buf, 7, 1024);
  EXPECT_EQ(m.Read32(lv1 + 0x100), 0xdeadbeefu);
  EXPECT_EQ(m.Read32(buf + 4092), 7u);
  EXPECT_EQ(m.stray_writes(), 0u);
}

TEST(PhysMemory, FreeCoalescesAndForgetsContents) {
  PhysMemory m(0x4000'0000, 4 << 20);  // one max-order block
  const PhysAddr a = m.AllocPages(0, "a");
  m.Write32(a, 5);
  EXPECT_EQ(m.AllocPages(PhysMemory::kMaxOrder, "all"), 0u);  // split, no 4 MiB block left
  EXPECT_TRUE(m.FreePages(a, 0));
  EXPECT_FALSE(m.IsAllocated(a));
  const PhysAddr all = m.AllocPages(PhysMemory::kMaxOrder, "all");  // coalesced again
  EXPECT_EQ(all, 0x4000'0000u);
  EXPECT_EQ(m.Read32(a), 0u);
}

TEST(PhysMemory, BadFreeIsRejectedAndCounted) {
  PhysMemory m;
  const PhysAddr a = m.AllocPages(2, "a");
  EXPECT_FALSE(m.FreePages(a + kPageSize, 0));  // inside, not the allocation
  EXPECT_FALSE(m.FreePages(a, 1));               // wrong order
  EXPECT_TRUE(m.FreePages(a, 2));
  EXPECT_FALSE(m.FreePages(a, 2));               // double free
  EXPECT_EQ(m.bad_frees(), 3u);
}

TEST(PhysMemory, DeterministicLowestFirst) {
  PhysMemory m1, m2;
  for (int i = 0; i < 20; ++i) EXPECT_EQ(m1.AllocPages(i % 4, "x"), m2.AllocPages(i % 4, "y"));
  EXPECT_EQ(PhysMemory().AllocPages(0, "x"), PhysMemory::kDefaultBase);
}

}  // namespace
}  // namespace probestorm::hwmodel
