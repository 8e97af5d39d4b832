// Unit tests of the IOMMU DMA layer model (driver/iommu/dma_iommu.cc): the cookie,
// iommu_dma_init_domain's return paths, the IOVA allocator, and the map/unmap of iommu_dma_ops
// through a fake IOMMU driver whose domain records what it is asked to map. Each test drives the
// functions from one task of a fresh world on a one-master synthetic board.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "driver/arch/dma_mapping.h"
#include "driver/iommu/dma_iommu.h"
#include "driver/iommu/iommu_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace probestorm::kernel {
namespace {

using iommu_testing::FakeIommu;
using iommu_testing::GetBoard;
using iommu_testing::IommuWorld;
using ::testing::ElementsAre;

using iommu_testing::OneMaster;
constexpr uint64_t k4K = 4096;
constexpr uint64_t k64K = 64 * 1024;
constexpr uint64_t k1M = 1 << 20;
constexpr uint64_t k4G = 1ULL << 32;
constexpr int kEFAULT = 14;

// Runs `body(kernel)` in one task; the run must end without findings.
template <typename F>
void InTask(F body) {
  Knobs knobs;
  IommuWorld w(OneMaster(), knobs, 1, harness::InvariantSet::All(), false);
  w.Spawn("t", [&] { body(w.k()); });
  auto r = w.Run();
  EXPECT_TRUE(r.findings.empty()) << r.findings[0].message;
}

// A DMA domain with a cookie, aperture [0, 4 GiB), the exynos page sizes.
IommuDomain* DmaDomain(Kernel& k, uint64_t pgsizes = k4K | k64K | k1M) {
  IommuDomain* d = k.Alloc<IommuDomain>();
  d->pgsize_bitmap = pgsizes;
  d->aperture_start = 0;
  d->aperture_end = k4G - 1;
  EXPECT_EQ(iommu_get_dma_cookie(k, d), 0);
  return d;
}

TEST(DmaIommu, SecondCookieIsEexist) {
  InTask([](Kernel& k) {
    IommuDomain* d = DmaDomain(k);
    IovaDomain* first = d->iova_cookie;
    EXPECT_EQ(iommu_get_dma_cookie(k, d), -EEXIST);
    EXPECT_EQ(d->iova_cookie, first);
  });
}

TEST(DmaIommu, InitDomainWithoutCookieIsEinval) {
  InTask([](Kernel& k) {
    IommuDomain* d = k.Alloc<IommuDomain>();
    d->aperture_end = k4G - 1;
    EXPECT_EQ(iommu_dma_init_domain(d, 0, k4G - 1, k.AddDevice(OneMaster().masters[0])), -EINVAL);
  });
}

TEST(DmaIommu, InitDomainOutsideApertureIsEfault) {
  InTask([](Kernel& k) {
    Device* m = k.AddDevice(OneMaster().masters[0]);
    IommuDomain* above = DmaDomain(k);
    EXPECT_EQ(iommu_dma_init_domain(above, k4G, 2 * k4G - 1, m), -kEFAULT);
    IommuDomain* below = DmaDomain(k);
    below->aperture_start = k1M;
    EXPECT_EQ(iommu_dma_init_domain(below, 0, k1M - 1, m), -kEFAULT);
    EXPECT_FALSE(above->iova_cookie->initialised);
    EXPECT_FALSE(below->iova_cookie->initialised);
  });
}

// The granule is the smallest page size; IOVA 0 is never handed out; the limit is clipped to the
// aperture.
TEST(DmaIommu, InitDomainTakesSmallestPageSizeAndSkipsPageZero) {
  InTask([](Kernel& k) {
    Device* m = k.AddDevice(OneMaster().masters[0]);
    IommuDomain* d = DmaDomain(k, k64K | k1M);
    ASSERT_EQ(iommu_dma_init_domain(d, 0, 2 * k4G - 1, m), 0);
    EXPECT_EQ(d->iova_cookie->granule, k64K);
    EXPECT_EQ(d->iova_cookie->start, k64K);
    EXPECT_EQ(d->iova_cookie->limit, k4G - 1);
  });
}

// A second master sharing the domain: the same range is accepted, another one is not.
TEST(DmaIommu, InitDomainAgainIsZeroForSameRangeAndEfaultForAnother) {
  InTask([](Kernel& k) {
    Device* m = k.AddDevice(OneMaster().masters[0]);
    IommuDomain* d = DmaDomain(k);
    ASSERT_EQ(iommu_dma_init_domain(d, 0, k4G - 1, m), 0);
    EXPECT_EQ(iommu_dma_init_domain(d, 0, k4G - 1, m), 0);
    EXPECT_EQ(iommu_dma_init_domain(d, 2 * k1M, k4G - 1, m), -kEFAULT);
  });
}

TEST(DmaIommu, IovaAllocationIsTopDownSizeAlignedAndRespectsTheLimit) {
  InTask([](Kernel& k) {
    Device* m = k.AddDevice(OneMaster().masters[0]);
    IommuDomain* d = DmaDomain(k);
    ASSERT_EQ(iommu_dma_init_domain(d, 0, k4G - 1, m), 0);
    EXPECT_EQ(iommu_dma_alloc_iova(d, k4K, k4G - 1), k4G - k4K);
    // 64 KiB is aligned to 64 KiB below the previous allocation.
    EXPECT_EQ(iommu_dma_alloc_iova(d, k64K, k4G - 1), k4G - 2 * k64K);
    // A device limit below the current top wins.
    EXPECT_EQ(iommu_dma_alloc_iova(d, k4K, k1M * 16 - 1), k1M * 16 - k4K);
  });
}

TEST(DmaIommu, IovaAllocationReturnsZeroWhenExhaustedOrUninitialised) {
  InTask([](Kernel& k) {
    Device* m = k.AddDevice(OneMaster().masters[0]);
    IommuDomain* fresh = DmaDomain(k);
    EXPECT_EQ(iommu_dma_alloc_iova(fresh, k4K, k4G - 1), 0u);
    IommuDomain* d = DmaDomain(k);
    ASSERT_EQ(iommu_dma_init_domain(d, 0, 4 * k4K - 1, m), 0);
    // [4K, 16K): three pages, then nothing.
    EXPECT_NE(iommu_dma_alloc_iova(d, k4K, k4G - 1), 0u);
    EXPECT_NE(iommu_dma_alloc_iova(d, k4K, k4G - 1), 0u);
    EXPECT_EQ(iommu_dma_alloc_iova(d, k4K, k4G - 1), k4K);
    EXPECT_EQ(iommu_dma_alloc_iova(d, k4K, k4G - 1), 0u);
  });
}

// What the fake domain was asked to map: "iova->paddr/size".
struct MapRecorder {
  std::vector<std::string> maps;
  std::vector<std::string> unmaps;
  int map_ret = 0;
  void Install(FakeIommu& fake) {
    fake.dops.map = [this](IommuDomain*, uint64_t iova, uint64_t paddr, uint64_t size, int) {
      maps.push_back(Hex(iova) + "->" + Hex(paddr) + "/" + Hex(size));
      return map_ret;
    };
    fake.dops.unmap = [this](IommuDomain*, uint64_t iova, uint64_t size) {
      unmaps.push_back(Hex(iova) + "/" + Hex(size));
      return size;
    };
  }
  static std::string Hex(uint64_t v) { return absl::StrCat(absl::Hex(v)); }
};

// Runs `body(master)` with the fake IOMMU registered, the master IOMMU-probed and its DMA ops set
// up by iommu_setup_dma_ops.
template <typename F>
void WithIommuDmaOps(MapRecorder& rec, F body) {
  Knobs knobs;
  const hwmodel::Board& b = OneMaster();
  IommuWorld w(b, knobs, 1, harness::InvariantSet::All(), false);
  FakeIommu fake(w.k());
  rec.Install(fake);
  w.Spawn("t", [&] {
    Device* s = w.k().AddDevice(b.sysmmus[0]);
    Device* m = w.k().AddDevice(b.masters[0]);
    ASSERT_EQ(iommu_device_register(&fake.idev, &fake.ops, s), 0);
    ASSERT_EQ(iommu_probe_device(m), 0);
    iommu_setup_dma_ops(m, 0, k4G - 1);
    ASSERT_EQ(m->dma_ops.Get(), &iommu_dma_ops);
    body(m);
  });
  auto r = w.Run();
  EXPECT_TRUE(r.findings.empty()) << r.findings[0].message;
}

// A buffer at an unaligned physical address maps whole granules and returns iova + offset.
TEST(DmaIommu, MapCoversWholeGranulesAndKeepsTheOffset) {
  MapRecorder rec;
  uint64_t dma = 0;
  WithIommuDmaOps(rec, [&](Device* m) {
    dma = iommu_dma_ops.map(m, 0x40001100, 0x1000, /*write=*/true);
    iommu_dma_ops.unmap(m, dma, 0x1000);
  });
  // 0x100 + 0x1000 bytes span two 4 KiB granules: an 8 KiB size-aligned IOVA at the top.
  EXPECT_EQ(dma, k4G - 0x2000 + 0x100);
  EXPECT_THAT(rec.maps, ElementsAre("ffffe000->40001000/1000", "fffff000->40002000/1000"));
  EXPECT_THAT(rec.unmaps, ElementsAre("ffffe000/2000"));
}

TEST(DmaIommu, MapFailureInTheDomainIsMappingError) {
  MapRecorder rec;
  rec.map_ret = -ENOMEM;
  uint64_t dma = 0;
  WithIommuDmaOps(rec, [&](Device* m) { dma = iommu_dma_ops.map(m, 0x40000000, k4K, false); });
  EXPECT_EQ(dma, DMA_MAPPING_ERROR);
}

TEST(DmaIommu, MapWithoutDomainIsMappingError) {
  uint64_t dma = 0;
  InTask([&](Kernel& k) {
    dma = iommu_dma_ops.map(k.AddDevice(OneMaster().masters[0]), 0x40000000, k4K, false);
  });
  EXPECT_EQ(dma, DMA_MAPPING_ERROR);
}

}  // namespace
}  // namespace probestorm::kernel
