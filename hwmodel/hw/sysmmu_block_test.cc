#include "hwmodel/hw/sysmmu_block.h"

#include <set>
#include <string>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hwmodel/hw/hw_test_util.h"

namespace probestorm::hwmodel {
namespace {

namespace r = sysmmu_reg;
using ::testing::HasSubstr;
using testing::EnableSysmmu;
using testing::kSysmmu0;
using testing::kSysmmu2;
using testing::PageTables;
using testing::RunHw;
using testing::Version;
using Kind = TranslateResult::Kind;

// ---- identification registers

TEST(SysmmuVersion, RegisterValuesPerVersion) {
  EXPECT_EQ(SysmmuVersionRegister(1), 0x80000001u);
  EXPECT_EQ(SysmmuVersionRegister(3), ((3u << 7) | 3u) << 21);
  EXPECT_EQ(SysmmuVersionRegister(5), (5u << 7) << 21);
  EXPECT_EQ(SysmmuVersionRegister(7), (7u << 7) << 21);
  for (int v : {1, 3, 5, 7}) {
    uint32_t read = 0, capa0 = 0, capa1 = 0;
    auto run = RunHw(Version(v), [&](Hardware& hw) {
      testing::ClocksOn(hw, kSysmmu0);
      SysmmuBlock* b = hw.sysmmu(kSysmmu0);
      read = b->readl(r::kMmuVersion);
      capa0 = b->readl(r::kV7Capa0);
      capa1 = b->readl(r::kV7Capa1);
    });
    EXPECT_TRUE(run.result.findings.empty());
    EXPECT_EQ(read, SysmmuVersionRegister(v)) << v;
    // The kernel's decoding: 0x80000001 -> v1.0, else bits [31:21] = (major << 7) | minor.
    const uint32_t major = read == 0x80000001u ? 1 : (read >> 21) >> 7;
    EXPECT_EQ(major, static_cast<uint32_t>(v));
    if (v == 7) {
      EXPECT_EQ(capa0 & r::kCapa0Capa1Exist, r::kCapa0Capa1Exist);
      EXPECT_EQ(capa1 & r::kCapa1VcrEnabled, 0u);  // non-VM layout unless asked for (SysmmuVm.*)
    } else {
      EXPECT_EQ(capa0, 0u);
    }
  }
}

TEST(SysmmuVersion, RegisterNamesFollowTheVariant) {
  EXPECT_EQ(SysmmuRegName(1, 0x14), "PT_BASE");
  EXPECT_EQ(SysmmuRegName(5, 0x0C), "PT_BASE");
  EXPECT_EQ(SysmmuRegName(1, 0x0C), "FLUSH_ALL");
  EXPECT_EQ(SysmmuRegName(5, 0x60), "INT_STATUS");
  EXPECT_EQ(SysmmuRegName(7, 0x78), "FAULT_INFO");
  EXPECT_EQ(SysmmuRegName(5, 0xA8), "0x0a8");
}

// ---- page walks, every page size and version

class WalkTest : public ::testing::TestWithParam<int> {};

TEST_P(WalkTest, SectionLargeSmallAndPtBaseEncoding) {
  const int v = GetParam();
  auto run = RunHw(Version(v), [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, v);
    const PhysAddr sect = m.AllocPages(8, "dma-buf sect");  // 1 MiB aligned
    const PhysAddr large = m.AllocPages(4, "dma-buf large");
    const PhysAddr small = m.AllocPages(0, "dma-buf small");
    pt.MapSection(0x1000'0000, sect);
    pt.MapLarge(0x2001'0000, large);
    pt.MapSmall(0x3000'5000, small);
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    ASSERT_TRUE(b->enabled());
    EXPECT_EQ(b->pt_base(), pt.lv1());
    // v1-v3 PT_BASE holds the physical address, v5+ holds it >> 12.
    EXPECT_EQ(b->readl(b->variant().pt_base), v >= 5 ? pt.lv1() >> 12 : pt.lv1());
    EXPECT_EQ(b->pg_ent_shift(), v >= 5 ? 4 : 0);

    auto t = b->Translate(0x1001'2345, false);
    EXPECT_EQ(t.kind, Kind::kTranslated) << t.detail;
    EXPECT_EQ(t.phys, sect + 0x1'2345);
    // Large page: every 4 KiB of the 64 KiB reaches the right offset (replicated entries).
    for (uint32_t off : {0x0u, 0x4123u, 0xFFFCu}) {
      t = b->Translate(0x2001'0000 + off, true);
      EXPECT_EQ(t.kind, Kind::kTranslated) << t.detail;
      EXPECT_EQ(t.phys, large + off);
    }
    t = b->Translate(0x3000'5678, true);
    EXPECT_EQ(t.kind, Kind::kTranslated) << t.detail;
    EXPECT_EQ(t.phys, small + 0x678);
    // The next small page of the same lv2 table is a fault entry.
    t = b->Translate(0x3000'6000, false);
    EXPECT_EQ(t.kind, Kind::kFault);
    EXPECT_EQ(t.fault, SysmmuFault::kPage);
  });
  EXPECT_TRUE(run.result.findings.empty());
}

INSTANTIATE_TEST_SUITE_P(AllVersions, WalkTest, ::testing::Values(1, 3, 5, 7));

TEST(SysmmuWalk, V5EntriesStorePhysShiftedBy4Above4GiB) {
  // 36-bit physical memory: only reachable with PG_ENT_SHIFT 4.
  HardwareOptions o = Version(5);
  o.ram_base = 0x8'8000'0000;
  o.ram_size = 64ull << 20;
  auto run = RunHw(o, [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, 5);
    const PhysAddr page = m.AllocPages(0, "dma-buf");
    ASSERT_GT(page, 0xFFFF'FFFFull);
    pt.MapSmall(0x4000'0000, page);
    EXPECT_EQ(m.Read32(pt.Lv1Slot(0x4000'0000)) & 3, 1u);
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    auto t = hw.sysmmu(kSysmmu0)->Translate(0x4000'0010, false);
    EXPECT_EQ(t.kind, Kind::kTranslated) << t.detail;
    EXPECT_EQ(t.phys, page + 0x10);
  });
  EXPECT_TRUE(run.result.findings.empty());
}

TEST(SysmmuWalk, V1StyleEntryOnV5HardwareMissesItsPage) {
  // A driver that forgot PG_ENT_SHIFT (wrote raw phys) makes a v5 SysMMU fetch phys << 4.
  auto run = RunHw(Version(5), [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, 5);
    const PhysAddr lv2 = m.AllocPages(0, "lv2table");
    m.Write32(pt.Lv1Slot(0x5000'0000), static_cast<uint32_t>(lv2) | 1);  // unshifted
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    auto t = hw.sysmmu(kSysmmu0)->Translate(0x5000'0000, false);
    EXPECT_EQ(t.kind, Kind::kFault);
    EXPECT_EQ(t.fault, SysmmuFault::kPtw);
    EXPECT_THAT(t.detail, HasSubstr("unallocated memory"));
  });
  EXPECT_TRUE(run.result.findings.empty());
}

// ---- protection

class ProtTest : public ::testing::TestWithParam<int> {};

TEST_P(ProtTest, ReadOnlyPageRejectsWriteAndLatchesAccessFault) {
  const int v = GetParam();
  uint32_t status = 0, fault_addr = 0;
  TranslateResult rd, wr;
  auto run = RunHw(Version(v), [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, v);
    pt.MapSmall(0x6000'0000, m.AllocPages(0, "dma-buf"), /*prot=*/1);
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    rd = b->Translate(0x6000'0004, false);
    wr = b->Translate(0x6000'0008, true);  // TLB hit, denied by its cached protection
    status = b->readl(b->variant().int_status);
    fault_addr = b->readl(v >= 5 ? r::kV5FaultAwVa : r::kAwFaultAddr);
  });
  EXPECT_TRUE(run.result.findings.empty());
  EXPECT_EQ(rd.kind, Kind::kTranslated) << rd.detail;
  EXPECT_EQ(wr.kind, Kind::kFault);
  EXPECT_EQ(wr.fault, SysmmuFault::kAccess);
  EXPECT_EQ(fault_addr, 0x6000'0008u);
  EXPECT_EQ(status, v >= 5 ? 1u << (r::kV5IntAccess + r::kV5IntAwOffset) : 1u << r::kV1IntAwAccess);
}

TEST_P(ProtTest, NoAccessSectionRejectsReadOnWalk) {
  const int v = GetParam();
  TranslateResult t;
  uint32_t status = 0;
  auto run = RunHw(Version(v), [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, v);
    pt.MapSection(0x7000'0000, m.AllocPages(8, "dma-buf"), /*prot=*/0);
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    t = b->Translate(0x7000'0000, false);
    status = b->readl(b->variant().int_status);
  });
  EXPECT_TRUE(run.result.findings.empty());
  EXPECT_EQ(t.fault, SysmmuFault::kAccess);
  EXPECT_THAT(t.detail, HasSubstr("denies read"));
  EXPECT_EQ(status, v >= 5 ? 1u << r::kV5IntAccess : 1u << r::kV1IntArAccess);
}

TEST(SysmmuProt, WithoutEapProtectionIsNotChecked) {
  TranslateResult t;
  RunHw(Version(5), [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, 5);
    pt.MapSmall(0x6000'0000, m.AllocPages(0, "dma-buf"), /*prot=*/1);
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    b->writel(r::kMmuCfg, b->readl(r::kMmuCfg) & ~r::kCfgEap);
    t = b->Translate(0x6000'0000, true);
  });
  EXPECT_EQ(t.kind, Kind::kTranslated) << t.detail;
}

INSTANTIATE_TEST_SUITE_P(AllVersions, ProtTest, ::testing::Values(1, 3, 5, 7));

// ---- zero lv2 table and the NULL zero table

class ZeroTableTest : public ::testing::TestWithParam<int> {};

TEST_P(ZeroTableTest, ZeroLv2LinkIsAPageFault) {
  const int v = GetParam();
  TranslateResult t;
  uint32_t status = 0, addr = 0;
  auto run = RunHw(Version(v), [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, v);
    const PhysAddr zero = m.AllocPages(0, "pgtable:zero_lv2_table");
    for (uint32_t i = 0; i < r::kLv1Entries; ++i) pt.SetLv1(i << 20, pt.Enc(zero) | 1);  // ZERO_LV2LINK
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    t = b->Translate(0x1234'5000, false);
    status = b->readl(b->variant().int_status);
    addr = b->readl(v >= 5 ? r::kV5FaultArVa : r::kPageFaultAddr);
  });
  EXPECT_TRUE(run.result.findings.empty());
  EXPECT_EQ(t.kind, Kind::kFault);
  EXPECT_EQ(t.fault, SysmmuFault::kPage);
  EXPECT_THAT(t.detail, HasSubstr("lv1 entry is zero lv2 link"));
  EXPECT_EQ(status, v >= 5 ? 1u << r::kV5IntPage : 1u << r::kV1IntPage);
  EXPECT_EQ(addr, 0x1234'5000u);
}

TEST_P(ZeroTableTest, NullZeroTableIsAWalkIntoGarbage) {
  // v6.1 modular: domain_alloc filled lv1 with ZERO_LV2LINK while zero_lv2_table was still NULL,
  // so every lv1 entry is mk_lv1ent_page(virt_to_phys(NULL)) = (0 >> shift) | 1.
  const int v = GetParam();
  TranslateResult t;
  uint32_t status = 0, addr = 0;
  auto run = RunHw(Version(v), [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, v);
    for (uint32_t i = 0; i < r::kLv1Entries; ++i) pt.SetLv1(i << 20, 0 | 1);
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    t = b->Translate(0x2000'0000, true);
    status = b->readl(b->variant().int_status);
    addr = b->readl(v >= 5 ? r::kV5FaultAwVa : r::kDefaultSlaveAddr);
  });
  EXPECT_TRUE(run.result.findings.empty());
  EXPECT_EQ(t.kind, Kind::kFault);
  EXPECT_EQ(t.fault, v >= 5 ? SysmmuFault::kPtw : SysmmuFault::kBusError);
  EXPECT_THAT(t.detail,
              HasSubstr("lv1 entry points at unallocated memory 0x0, was the zero lv2 table NULL?"));
  EXPECT_EQ(status, v >= 5 ? 1u << (r::kV5IntPtw + r::kV5IntAwOffset) : 1u << r::kV1IntBusError);
  EXPECT_EQ(addr, 0x2000'0000u);
}

INSTANTIATE_TEST_SUITE_P(AllVersions, ZeroTableTest, ::testing::Values(1, 3, 5, 7));

TEST(SysmmuWalk, Lv2LinkIntoNonPageTableMemoryFaults) {
  TranslateResult t;
  RunHw(Version(5), [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, 5);
    pt.Link(0x1000'0000, "dma-buf 13800000.decon");  // a buffer used as a page table
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    t = hw.sysmmu(kSysmmu0)->Translate(0x1000'0000, false);
  });
  EXPECT_EQ(t.fault, SysmmuFault::kPtw);
  EXPECT_THAT(t.detail, HasSubstr("owned by 'dma-buf 13800000.decon', not a page table"));
}

TEST(SysmmuWalk, UnprogrammedPtBaseFaults) {
  TranslateResult t;
  RunHw(Version(5), [&](Hardware& hw) {
    testing::ClocksOn(hw, kSysmmu0);
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    b->writel(r::kMmuCtrl, r::kCtrlEnable);  // enabled without PT_BASE
    t = b->Translate(0x1000, false);
  });
  EXPECT_EQ(t.fault, SysmmuFault::kPtw);
  EXPECT_THAT(t.detail, HasSubstr("PT_BASE points at unallocated memory 0x0"));
}

// ---- TLB and FLPD cache

struct Remapped {
  PhysAddr p1 = 0, p2 = 0;
  TranslateResult before, stale, after;
};

// Maps iova -> p1, translates (fills the TLB), remaps to p2 in memory, translates without a flush
// (stale), runs `flush`, translates again.
Remapped RemapAndFlush(int v, Iova iova, const std::function<void(SysmmuBlock*)>& flush) {
  Remapped out;
  RunHw(Version(v), [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, v);
    out.p1 = m.AllocPages(0, "buf1");
    out.p2 = m.AllocPages(0, "buf2");
    pt.MapSmall(iova, out.p1);
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    out.before = b->Translate(iova, false);
    pt.MapSmall(iova, out.p2);
    out.stale = b->Translate(iova, false);
    flush(b);
    out.after = b->Translate(iova, false);
  });
  return out;
}

TEST(SysmmuTlb, StaleUntilFlushAll) {
  auto r5 = RemapAndFlush(5, 0x1000'3000, [](SysmmuBlock* b) { b->writel(b->variant().flush_all, 1); });
  EXPECT_EQ(r5.before.phys, r5.p1);
  EXPECT_TRUE(r5.stale.tlb_hit);
  EXPECT_EQ(r5.stale.phys, r5.p1);  // stale translation: the missing flush is observable
  EXPECT_FALSE(r5.after.tlb_hit);
  EXPECT_EQ(r5.after.phys, r5.p2);
}

TEST(SysmmuTlb, FlushEntryInvalidatesOnlyItsPage) {
  for (int v : {1, 3, 5, 7}) {
    auto wrong = RemapAndFlush(v, 0x1000'3000, [](SysmmuBlock* b) {
      b->writel(b->variant().flush_entry, 0x1000'4000 | 1);  // the neighbouring page
    });
    EXPECT_EQ(wrong.after.phys, wrong.p1) << v;
    auto right = RemapAndFlush(v, 0x1000'3000, [](SysmmuBlock* b) {
      b->writel(b->variant().flush_entry, 0x1000'3000 | 1);
    });
    EXPECT_EQ(right.after.phys, right.p2) << v;
  }
}

TEST(SysmmuTlb, FlushRangeCoversStartToLastPage) {
  // The kernel writes START = first page, END = last page (inclusive), then FLUSH_RANGE = 1.
  auto in = RemapAndFlush(5, 0x1000'3000, [](SysmmuBlock* b) {
    b->writel(b->variant().flush_start, 0x1000'1000);
    b->writel(b->variant().flush_end, 0x1000'3000);
    b->writel(b->variant().flush_range, 1);
  });
  EXPECT_EQ(in.after.phys, in.p2);
  auto out = RemapAndFlush(5, 0x1000'3000, [](SysmmuBlock* b) {
    b->writel(b->variant().flush_start, 0x1000'0000);
    b->writel(b->variant().flush_end, 0x1000'2000);
    b->writel(b->variant().flush_range, 1);
  });
  EXPECT_EQ(out.after.phys, out.p1);
}

TEST(SysmmuTlb, FlushEntryInsideASectionDropsTheWholeSection) {
  PhysAddr s1 = 0, s2 = 0;
  TranslateResult stale, after;
  RunHw(Version(5), [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, 5);
    s1 = m.AllocPages(8, "s1");
    s2 = m.AllocPages(8, "s2");
    pt.MapSection(0x4000'0000, s1);
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    b->Translate(0x4000'0000, false);
    pt.MapSection(0x4000'0000, s2);
    stale = b->Translate(0x4008'0000, false);
    b->writel(b->variant().flush_entry, 0x4008'0000 | 1);
    after = b->Translate(0x4000'0000, false);
  });
  EXPECT_EQ(stale.phys, s1 + 0x8'0000);
  EXPECT_EQ(after.phys, s2);
}

TEST(SysmmuTlb, UnmapWithoutFlushStillReachesTheOldPage) {
  TranslateResult stale;
  PhysAddr p = 0;
  RunHw(Version(5), [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, 5);
    p = m.AllocPages(0, "buf");
    pt.MapSmall(0x1000'0000, p);
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    b->Translate(0x1000'0000, true);
    pt.UnmapSmall(0x1000'0000);
    stale = b->Translate(0x1000'0000, true);
  });
  EXPECT_EQ(stale.kind, Kind::kTranslated);
  EXPECT_EQ(stale.phys, p);
}

TEST(SysmmuFlpd, ReplacedZeroLinkNeedsFlushOnV33AndLater) {
  // exynos-iommu.c alloc_lv2entry: replacing a zero lv2 link needs an FLPD cache flush on v3.3+.
  for (int v : {1, 3, 5, 7}) {
    TranslateResult first, unflushed, flushed;
    PhysAddr page = 0;
    RunHw(Version(v), [&](Hardware& hw) {
      PhysMemory& m = hw.memory();
      PageTables pt(m, v);
      const PhysAddr zero = m.AllocPages(0, "pgtable:zero_lv2_table");
      pt.SetLv1(0x1000'0000, pt.Enc(zero) | 1);
      EnableSysmmu(hw, kSysmmu0, pt.lv1());
      SysmmuBlock* b = hw.sysmmu(kSysmmu0);
      first = b->Translate(0x1000'0000, false);  // faults, caches the zero link (v3.3+)
      b->writel(b->variant().int_clear, b->readl(b->variant().int_status));
      page = m.AllocPages(0, "buf");
      pt.Link(0x1000'0000);
      pt.MapSmall(0x1000'0000, page);
      unflushed = b->Translate(0x1000'0000, false);
      b->writel(b->variant().int_clear, b->readl(b->variant().int_status));
      b->writel(b->variant().flush_entry, 0x1000'0000 | 1);
      flushed = b->Translate(0x1000'0000, false);
    });
    EXPECT_EQ(first.fault, SysmmuFault::kPage) << v;
    if (v >= 3) {
      EXPECT_EQ(unflushed.fault, SysmmuFault::kPage) << v;
      EXPECT_THAT(unflushed.detail, HasSubstr("FLPD cache")) << v;
    } else {
      EXPECT_EQ(unflushed.phys, page) << v;  // v1 has no FLPD cache
    }
    EXPECT_EQ(flushed.kind, Kind::kTranslated) << v << " " << flushed.detail;
    EXPECT_EQ(flushed.phys, page) << v;
  }
}

// ---- block / unblock

struct BlockRun {
  int polls = 0;
  TranslateResult blocked, unblocked;
  uint32_t status_after = 1;
};

BlockRun BlockUnblock(uint64_t seed) {
  BlockRun out;
  RunHw(Version(5), [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, 5);
    pt.MapSmall(0x1000'0000, m.AllocPages(0, "buf"));
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    b->writel(r::kMmuCtrl, r::kCtrlBlock);  // sysmmu_block()
    out.blocked = b->Translate(0x1000'0000, false);  // traffic stops at once
    while (out.polls < 120) {
      ++out.polls;
      if (b->readl(r::kMmuStatus) & r::kStatusBlocked) break;
    }
    b->writel(r::kMmuCtrl, r::kCtrlEnable);  // sysmmu_unblock()
    out.unblocked = b->Translate(0x1000'0000, false);
    out.status_after = b->readl(r::kMmuStatus);
  }, seed);
  return out;
}

TEST(SysmmuBlockCtrl, BlockVisibleAfterSeededPollsAndStallsTraffic) {
  std::set<int> polls_seen;
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    const BlockRun run = BlockUnblock(seed);
    EXPECT_GE(run.polls, 1);
    EXPECT_LE(run.polls, 3);
    polls_seen.insert(run.polls);
    EXPECT_EQ(run.blocked.kind, Kind::kStalled);
    EXPECT_EQ(run.blocked.detail, "blocked");
    EXPECT_EQ(run.unblocked.kind, Kind::kTranslated);
    EXPECT_EQ(run.status_after & r::kStatusBlocked, 0u);
    // Deterministic: the same seed needs the same number of polls.
    EXPECT_EQ(BlockUnblock(seed).polls, run.polls) << seed;
  }
  EXPECT_GT(polls_seen.size(), 1u);  // the seed matters
}

TEST(SysmmuBlockCtrl, FixedPollCountFromOptions) {
  HardwareOptions o = Version(1);
  o.block_polls_min = o.block_polls_max = 5;
  int polls = 0;
  RunHw(o, [&](Hardware& hw) {
    testing::ClocksOn(hw, kSysmmu0);
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    b->writel(r::kMmuCtrl, r::kCtrlBlock);
    while (polls < 120 && !(b->readl(r::kMmuStatus) & r::kStatusBlocked)) ++polls;
  });
  EXPECT_EQ(polls, 4);  // four reads show 0, the fifth shows blocked
}

// ---- interrupts

TEST(SysmmuIrq, IntStatusIsWriteOneToClearAndStallsUntilCleared) {
  uint32_t after_wrong = 0, after_right = 0;
  TranslateResult stalled, resumed;
  RunHw(Version(5), [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, 5);
    const PhysAddr p = m.AllocPages(0, "buf");
    pt.MapSmall(0x1000'1000, p);
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    b->Translate(0x1000'0000, false);  // unmapped: AR PAGE fault
    stalled = b->Translate(0x1000'1000, false);
    b->writel(b->variant().int_clear, 1u << r::kV5IntPtw);  // not the latched bit
    after_wrong = b->readl(b->variant().int_status);
    b->writel(b->variant().int_clear, 1u << r::kV5IntPage);
    after_right = b->readl(b->variant().int_status);
    resumed = b->Translate(0x1000'1000, false);
  });
  EXPECT_EQ(stalled.kind, Kind::kStalled);
  EXPECT_EQ(after_wrong, 1u << r::kV5IntPage);
  EXPECT_EQ(after_right, 0u);
  EXPECT_EQ(resumed.kind, Kind::kTranslated);
}

TEST(SysmmuIrq, FaultRunsHandlerInIrqTask) {
  std::string task;
  uint32_t seen_status = 0, fault_va = 0, fault_info = 0;
  uint64_t raised = 0;
  RunHw(Version(7), [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, 7);
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    b->SetIrqHandler([&, b] {  // exynos_sysmmu_irq, v7 flavour
      harness::Engine& e = harness::Engine::Current();
      task = e.TaskName(e.Self());
      seen_status = b->readl(b->variant().int_status);
      fault_va = b->readl(b->variant().fault_va);
      fault_info = b->readl(b->variant().fault_info);
      b->writel(b->variant().int_clear, seen_status);
    });
    b->Translate(0x2345'6000, true);
    raised = b->irqs_raised();
  });
  EXPECT_EQ(raised, 1u);
  EXPECT_EQ(task, "irq/13a00000.sysmmu");
  EXPECT_EQ(seen_status, 1u << (r::kV5IntPage + r::kV5IntAwOffset));  // lv1 entry 0: AW PAGE
  EXPECT_EQ(fault_va, 0x2345'6000u);
  EXPECT_EQ(fault_info & r::kV7FaultInfoWrite, r::kV7FaultInfoWrite);
}

TEST(SysmmuIrq, WithoutHandlerStaysPendingUntilRequested) {
  uint32_t pending = 0;
  uint64_t raised_before = 0;
  bool ran = false;
  RunHw(Version(5), [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, 5);
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    b->Translate(0x1000'0000, false);
    harness::Yield();
    pending = b->int_status();
    raised_before = b->irqs_raised();
    // devm_request_irq on an asserted line: the handler runs at once.
    b->SetIrqHandler([&, b] {
      ran = true;
      b->writel(b->variant().int_clear, b->readl(b->variant().int_status));
    });
  });
  EXPECT_NE(pending, 0u);
  EXPECT_EQ(raised_before, 0u);
  EXPECT_TRUE(ran);
}

// ---- gated register access (invariant gated-register-access)

TEST(SysmmuGating, ClockGatedAccessIsAFinding) {
  uint32_t value = 1;
  auto run = RunHw(Version(5), [&](Hardware& hw) {
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    for (auto& c : hw.NodeClocks(kSysmmu0)) {
      if (c.con_id == "pclk") c.gate->prepare_enable();  // aclk stays gated
    }
    value = b->readl(r::kMmuCtrl);
  });
  const auto f = run.Of("gated-register-access");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].message, "13a00000.sysmmu: readl of MMU_CTRL (0x000) with clock aclk gated");
  EXPECT_THAT(f[0].devices, ::testing::ElementsAre("13a00000.sysmmu"));
  EXPECT_EQ(value, 0u);
}

TEST(SysmmuGating, PowerDomainOffAccessIsAFindingAndWriteIgnored) {
  bool enabled_after = true;
  auto run = RunHw(Version(5), [&](Hardware& hw) {
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    testing::ClocksOn(hw, kSysmmu0);
    hw.NodePowerDomain(kSysmmu0)->ReleaseBootReference();
    b->writel(r::kMmuCtrl, r::kCtrlEnable);
    enabled_after = b->enabled();
  });
  const auto f = run.Of("gated-register-access");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].message,
            "13a00000.sysmmu: writel of MMU_CTRL (0x000) = 0x5 with power domain "
            "power-domain@105c4000 off");
  EXPECT_FALSE(enabled_after);
}

TEST(SysmmuGating, ClockedAccessIsSilent) {
  auto run = RunHw(Version(5), [&](Hardware& hw) {
    PageTables pt(hw.memory(), 5);
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    b->readl(r::kMmuStatus);
    b->writel(b->variant().flush_all, 1);
    EnableSysmmu(hw, kSysmmu2, pt.lv1());  // "sysmmu" clock, no power domain
  });
  EXPECT_TRUE(run.result.findings.empty());
  EXPECT_EQ(run.result.ending, harness::Ending::kQuiescent);
}

TEST(SysmmuGating, PowerOffResetsTheBlock) {
  bool enabled_after = true;
  PhysAddr pt_after = 1;
  auto run = RunHw(Version(5), [&](Hardware& hw) {
    PageTables pt(hw.memory(), 5);
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    PowerDomain* pd = hw.NodePowerDomain(kSysmmu0);
    pd->Get();
    pd->ReleaseBootReference();
    pd->Put();  // off: state lost
    pd->Get();
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    b->readl(r::kMmuCtrl);
    enabled_after = b->enabled();
    pt_after = b->pt_base();
  });
  EXPECT_TRUE(run.result.findings.empty());
  EXPECT_FALSE(enabled_after);
  EXPECT_EQ(pt_after, 0u);
}

TEST(SysmmuTranslate, DisabledOrGatedIsBypass) {
  TranslateResult disabled, gated;
  RunHw(Version(5), [&](Hardware& hw) {
    PageTables pt(hw.memory(), 5);
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    disabled = b->Translate(0x2040'0123, false);
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    testing::ClocksOff(hw, kSysmmu0);
    gated = b->Translate(0x2040'0123, false);
  });
  EXPECT_EQ(disabled.kind, Kind::kBypass);
  EXPECT_EQ(disabled.phys, 0x2040'0123u);
  EXPECT_EQ(gated.kind, Kind::kBypass);
  EXPECT_THAT(gated.detail, HasSubstr("clock aclk gated"));
}

TEST(SysmmuDeterminism, SameSeedSameTraceHash) {
  auto scenario = [](uint64_t seed) {
    return RunHw(Version(5), [](Hardware& hw) {
      PageTables pt(hw.memory(), 5);
      EnableSysmmu(hw, kSysmmu0, pt.lv1());
      SysmmuBlock* b = hw.sysmmu(kSysmmu0);
      b->SetIrqHandler([b] { b->writel(b->variant().int_clear, b->readl(b->variant().int_status)); });
      harness::Spawn("dma", [b] {
        for (Iova a = 0; a < 8 << 20; a += 1 << 20) b->Translate(a, false);
      });
      EnableSysmmu(hw, kSysmmu0, pt.lv1());
    }, seed).result.trace_hash;
  };
  EXPECT_EQ(scenario(3), scenario(3));
  EXPECT_EQ(scenario(4), scenario(4));
}

// ---- v7 VM register layout

TEST(SysmmuVm, CapaAdvertisesVcrAndNamesFollowTheVmLayout) {
  uint32_t capa0 = 0, capa1 = 0;
  auto run = RunHw(testing::V7Vm(), [&](Hardware& hw) {
    testing::ClocksOn(hw, kSysmmu0);
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    capa0 = b->readl(r::kV7Capa0);
    capa1 = b->readl(r::kV7Capa1);
    EXPECT_TRUE(b->vm());
    EXPECT_EQ(b->variant().pt_base, 0x800Cu);
  });
  EXPECT_TRUE(run.result.findings.empty());
  EXPECT_EQ(capa0 & r::kCapa0Capa1Exist, r::kCapa0Capa1Exist);
  EXPECT_EQ(capa1 & r::kCapa1VcrEnabled, r::kCapa1VcrEnabled);
  EXPECT_EQ(SysmmuRegName(7, 0x800C, true), "PT_BASE");
  EXPECT_EQ(SysmmuRegName(7, 0x8010, true), "FLUSH_ALL");
  EXPECT_EQ(SysmmuRegName(7, 0x60, true), "INT_STATUS");
  EXPECT_EQ(SysmmuRegName(7, 0x1000, true), "FAULT_VA");
  EXPECT_EQ(SysmmuRegName(7, 0x1004, true), "FAULT_INFO");
  EXPECT_EQ(SysmmuRegName(7, 0x8000, true), "CTRL_VM");
  EXPECT_EQ(SysmmuRegName(7, 0x0C, true), "0x00c");  // the non-VM PT_BASE is not there
  EXPECT_EQ(SysmmuRegName(7, 0x0C), "PT_BASE");
}

TEST(SysmmuVm, TranslatesOnlyWithVmContextEnabled) {
  TranslateResult off, on;
  PhysAddr p = 0;
  uint32_t ctrl_vm = 0;
  auto run = RunHw(testing::V7Vm(), [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, 7);
    p = m.AllocPages(0, "buf");
    pt.MapSmall(0x1000'0000, p);
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    EnableSysmmu(hw, kSysmmu0, pt.lv1(), /*enable_vid=*/false);
    off = b->Translate(0x1000'0010, false);
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    ctrl_vm = b->readl(r::kV7CtrlVm);
    on = b->Translate(0x1000'0010, false);
  });
  EXPECT_TRUE(run.result.findings.empty());
  EXPECT_EQ(off.kind, Kind::kBypass);
  EXPECT_EQ(off.phys, 0x1000'0010u);
  EXPECT_THAT(off.detail, HasSubstr("VM context 0 disabled"));
  EXPECT_EQ(ctrl_vm, r::kCtrlVmEnable | r::kCtrlVmFaultModeStall);
  EXPECT_EQ(on.kind, Kind::kTranslated) << on.detail;
  EXPECT_EQ(on.phys, p + 0x10);
}

TEST(SysmmuVm, NonVmV7NeedsNoVmEnableAndHasNoCtrlVm) {
  TranslateResult t;
  PhysAddr p = 0;
  uint32_t ctrl_vm = 1;
  RunHw(Version(7), [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, 7);
    p = m.AllocPages(0, "buf");
    pt.MapSmall(0x1000'0000, p);
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    EnableSysmmu(hw, kSysmmu0, pt.lv1(), /*enable_vid=*/false);
    b->writel(r::kV7CtrlVm, r::kCtrlVmEnable);
    ctrl_vm = b->readl(r::kV7CtrlVm);
    t = b->Translate(0x1000'0000, false);
  });
  EXPECT_EQ(ctrl_vm, 0u);
  EXPECT_EQ(t.kind, Kind::kTranslated);
  EXPECT_EQ(t.phys, p);
}

TEST(SysmmuVm, NonVmRegistersAreAbsentAndFaultsLatchAtTheVmOffsets) {
  uint32_t legacy_pt = 1, vm_pt = 0, status = 0, va = 0, info = 0, legacy_va = 1;
  TranslateResult t;
  PhysAddr lv1 = 0;
  RunHw(testing::V7Vm(), [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, 7);
    lv1 = pt.lv1();
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    b->writel(r::kV5Variant.pt_base, 0x1234);  // 0x0C: not a register in the VM layout
    legacy_pt = b->readl(r::kV5Variant.pt_base);
    vm_pt = b->readl(r::kV7VmVariant.pt_base);
    t = b->Translate(0x2000'0040, true);  // lv1 fault entry
    status = b->readl(r::kV7VmVariant.int_status);
    va = b->readl(r::kV7VmVariant.fault_va);
    info = b->readl(r::kV7VmVariant.fault_info);
    legacy_va = b->readl(r::kV5FaultAwVa);
  });
  EXPECT_EQ(legacy_pt, 0u);
  EXPECT_EQ(vm_pt, static_cast<uint32_t>(lv1 >> 12));
  EXPECT_EQ(t.fault, SysmmuFault::kPage);
  EXPECT_EQ(status, 1u << (r::kV5IntPage + r::kV5IntAwOffset));
  EXPECT_EQ(va, 0x2000'0040u);
  EXPECT_EQ(info & r::kV7FaultInfoWrite, r::kV7FaultInfoWrite);
  EXPECT_EQ(legacy_va, 0u);
}

TEST(SysmmuVm, OptionsRejectVmOffV7AndResolveTheBoardVersion) {
  HardwareOptions o;
  o.sysmmu_version = 5;
  o.sysmmu_vm = true;
  absl::Status s = ValidateHardwareOptions(o);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("sysmmu_vm"));
  EXPECT_THAT(std::string(s.message()), HasSubstr("the version is 5"));
  o.sysmmu_version = 7;
  EXPECT_TRUE(ValidateHardwareOptions(o).ok());

  Board board = testing::TestBoard();
  HardwareOptions from_board;
  from_board.sysmmu_version = 0;
  EXPECT_EQ(EffectiveSysmmuVersion(from_board, board), 5);  // no property: 5
  board.sysmmu_version = 3;
  EXPECT_EQ(EffectiveSysmmuVersion(from_board, board), 3);  // the board's
  from_board.sysmmu_vm = true;
  s = ValidateHardwareOptions(from_board, board);
  EXPECT_THAT(std::string(s.message()), HasSubstr("probestorm,sysmmu-version"));
  from_board.sysmmu_vm = false;
  Hardware hw(board, from_board);
  EXPECT_EQ(hw.sysmmu(kSysmmu0)->version(), 3);
  EXPECT_EQ(hw.options().sysmmu_version, 3);
  HardwareOptions explicit_v7 = Version(7);  // an explicit version wins over the board's
  EXPECT_EQ(EffectiveSysmmuVersion(explicit_v7, board), 7);
  Hardware hw7(board, explicit_v7);
  EXPECT_EQ(hw7.sysmmu(kSysmmu0)->version(), 7);
}

// ---- multi-hit

struct MultiHitRun {
  TranslateResult first, other, hit;
  uint32_t status = 0, addr = 0;
  PhysAddr small = 0, section = 0;
};

// Caches a 4 KiB page at 0x3000'5000, unmaps it, maps a 1 MiB section over 0x3000'0000, runs
// `between` (a flush or nothing), walks 0x3008'0000 (caches the section), then accesses
// 0x3000'5000 again.
MultiHitRun StaleSmallUnderSection(HardwareOptions o, bool write,
                                   const std::function<void(SysmmuBlock*)>& between) {
  MultiHitRun out;
  const int v = o.sysmmu_version;
  RunHw(o, [&](Hardware& hw) {
    PhysMemory& m = hw.memory();
    PageTables pt(m, v);
    out.small = m.AllocPages(0, "small");
    out.section = m.AllocPages(8, "section");
    pt.MapSmall(0x3000'5000, out.small);
    EnableSysmmu(hw, kSysmmu0, pt.lv1());
    SysmmuBlock* b = hw.sysmmu(kSysmmu0);
    out.first = b->Translate(0x3000'5000, write);
    pt.UnmapSmall(0x3000'5000);
    pt.MapSection(0x3000'0000, out.section);
    between(b);
    out.other = b->Translate(0x3008'0000, write);
    out.hit = b->Translate(0x3000'5008, write);
    out.status = b->readl(b->variant().int_status);
    if (v < 5) {
      out.addr = b->readl(write ? r::kAwFaultAddr : r::kArFaultAddr);
    } else if (o.sysmmu_vm) {
      out.addr = b->readl(b->variant().fault_va);
    } else {
      out.addr = b->readl(write ? r::kV5FaultAwVa : r::kV5FaultArVa);
    }
  });
  return out;
}

class MultiHitTest : public ::testing::TestWithParam<std::tuple<HardwareOptions, bool>> {};

TEST_P(MultiHitTest, StaleSmallPageUnderANewSectionIsAMultiHit) {
  const auto [o, write] = GetParam();
  // The flush that is there drops the FLPD cache's lv2 link of the section (v3.3+), not the
  // cached small page: the flush of 0x3000'5000 is the one missing.
  const MultiHitRun r = StaleSmallUnderSection(o, write, [](SysmmuBlock* b) {
    b->writel(b->variant().flush_entry, 0x3008'0000 | 1);
  });
  EXPECT_EQ(r.first.phys, r.small);
  EXPECT_EQ(r.other.kind, Kind::kTranslated) << r.other.detail;  // only the section matches
  EXPECT_EQ(r.other.phys, r.section + 0x8'0000);
  EXPECT_EQ(r.hit.kind, Kind::kFault);
  EXPECT_EQ(r.hit.fault, SysmmuFault::kMultiHit);
  EXPECT_THAT(r.hit.detail, HasSubstr("two TLB entries match 0x30005008"));
  const uint32_t bit = o.sysmmu_version >= 5
                           ? 1u << (r::kV5IntMultiHit + (write ? r::kV5IntAwOffset : 0))
                           : 1u << (write ? r::kV1IntAwMultiHit : r::kV1IntArMultiHit);
  EXPECT_EQ(r.status, bit);
  EXPECT_EQ(r.addr, 0x3000'5008u);
}

TEST_P(MultiHitTest, FlushBeforeTheNewMappingLeavesOneEntry) {
  const auto [o, write] = GetParam();
  const MultiHitRun r = StaleSmallUnderSection(o, write, [](SysmmuBlock* b) {
    b->writel(b->variant().flush_entry, 0x3000'5000 | 1);
  });
  EXPECT_EQ(r.hit.kind, Kind::kTranslated) << r.hit.detail;
  EXPECT_EQ(r.hit.phys, r.section + 0x5008);
  EXPECT_EQ(r.status, 0u);
}

std::string MultiHitName(const ::testing::TestParamInfo<std::tuple<HardwareOptions, bool>>& info) {
  const auto& [o, write] = info.param;
  return absl::StrCat("V", o.sysmmu_version, o.sysmmu_vm ? "Vm" : "", write ? "Write" : "Read");
}

INSTANTIATE_TEST_SUITE_P(AllVersions, MultiHitTest,
                         ::testing::Combine(::testing::Values(Version(1), Version(3), Version(5),
                                                              Version(7), testing::V7Vm()),
                                            ::testing::Bool()),
                         MultiHitName);

}  // namespace
}  // namespace probestorm::hwmodel
