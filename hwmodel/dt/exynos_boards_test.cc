// Other Exynos-like boards load without code changes: the loader keys on compatible strings and
// `iommus`, never on TM2E node names. Each board is a small table compiled through DtbWriter.
#include <deque>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hwmodel/dt/board.h"
#include "hwmodel/dt/describe.h"
#include "hwmodel/dt/dt_table.h"

namespace probestorm::hwmodel {
namespace {

using ::testing::ElementsAre;

Board Load(std::span<const DtTableRow> rows, std::string name) {
  absl::StatusOr<std::vector<uint8_t>> dtb = CompileDtTable(rows);
  EXPECT_TRUE(dtb.ok()) << dtb.status();
  absl::StatusOr<Board> b = LoadDtb(dtb.value_or(std::vector<uint8_t>{}), std::move(name));
  EXPECT_TRUE(b.ok()) << b.status();
  return b.ok() ? *std::move(b) : Board{};
}

// SysMMUs that no master lists in `iommus`.
int UnusedSysmmus(const Board& b) {
  std::set<int> used;
  for (int m : b.masters) {
    for (const PhandleRef& r : b.node(m).iommus) used.insert(r.node);
  }
  return static_cast<int>(b.sysmmus.size() - used.size());
}

// Exynos4210-like: an MFC with a left and a right SysMMU (`iommu-names`), a display controller
// with one, and a TV mixer that is disabled together with nothing else (its SysMMU stays okay).
constexpr DtTableRow kExynos4210[] = {
    {"/", "", "x,board samsung,exynos4210",
     "#address-cells=1; #size-cells=1; interrupt-parent=&gic"},
    {"/soc", "", "simple-bus", "#address-cells=1; #size-cells=1; ranges"},
    {"/soc/interrupt-controller@10490000", "gic", "arm,cortex-a9-gic",
     "reg=0x10490000 0x10000; #interrupt-cells=3; interrupt-controller"},
    {"/soc/clock-controller@10030000", "clock", "samsung,exynos4210-clock",
     "reg=0x10030000 0x20000; #clock-cells=1"},
    {"/soc/power-domain@10023c40", "pd_mfc", "samsung,exynos4210-pd",
     "reg=0x10023c40 0x20; #power-domain-cells=0"},
    {"/soc/power-domain@10023c80", "pd_lcd0", "samsung,exynos4210-pd",
     "reg=0x10023c80 0x20; #power-domain-cells=0"},
    {"/soc/power-domain@10023c20", "pd_tv", "samsung,exynos4210-pd",
     "reg=0x10023c20 0x20; #power-domain-cells=0"},
    {"/soc/codec@13400000", "", "samsung,mfc-v5",
     "reg=0x13400000 0x10000; irqs=1; clocks=&clock 273; clock-names=mfc; power-domains=&pd_mfc; "
     "iommus=&sysmmu_mfc_l, &sysmmu_mfc_r; iommu-names=left, right"},
    {"/soc/fimd@11c00000", "", "samsung,exynos4210-fimd",
     "reg=0x11c00000 0x20000; irqs=3; clocks=&clock 140; clock-names=fimd; "
     "power-domains=&pd_lcd0; iommus=&sysmmu_fimd0"},
    {"/soc/mixer@12c10000", "", "samsung,exynos4210-mixer",
     "reg=0x12c10000 0x2100; irqs=1; clocks=&clock 344; clock-names=mixer; power-domains=&pd_tv; "
     "iommus=&sysmmu_tv; status=disabled"},
    {"/soc/sysmmu@13620000", "sysmmu_mfc_l", "samsung,exynos-sysmmu",
     "reg=0x13620000 0x1000; irqs=1; clocks=&clock 274, &clock 273; clock-names=sysmmu, master; "
     "power-domains=&pd_mfc; #iommu-cells=0"},
    {"/soc/sysmmu@13630000", "sysmmu_mfc_r", "samsung,exynos-sysmmu",
     "reg=0x13630000 0x1000; irqs=1; clocks=&clock 275, &clock 273; clock-names=sysmmu, master; "
     "power-domains=&pd_mfc; #iommu-cells=0"},
    {"/soc/sysmmu@11e20000", "sysmmu_fimd0", "samsung,exynos-sysmmu",
     "reg=0x11e20000 0x1000; irqs=1; clocks=&clock 141, &clock 140; clock-names=sysmmu, master; "
     "power-domains=&pd_lcd0; #iommu-cells=0"},
    {"/soc/sysmmu@12e20000", "sysmmu_tv", "samsung,exynos-sysmmu",
     "reg=0x12e20000 0x1000; irqs=1; clocks=&clock 345, &clock 344; clock-names=sysmmu, master; "
     "power-domains=&pd_tv; #iommu-cells=0"},
};

TEST(ExynosBoardsTest, Exynos4210LikeWithALeftAndRightMfcSysmmu) {
  const Board b = Load(kExynos4210, "4210");
  EXPECT_EQ(b.sysmmus.size(), 4u);
  EXPECT_EQ(b.masters.size(), 3u);  // any status: the disabled mixer too
  EXPECT_EQ(b.devices.size(), 12u);  // soc, gic, clock, 3 domains, codec, fimd, 4 SysMMUs: the mixer is none
  EXPECT_FALSE(b.node(b.FindPath("/soc/mixer@12c10000")).available);
  const DtNode& mfc = b.node(b.FindDevice("13400000.codec"));
  ASSERT_EQ(mfc.iommus.size(), 2u);
  EXPECT_EQ(b.node(mfc.iommus[0].node).device_name, "13620000.sysmmu");
  EXPECT_EQ(b.node(mfc.iommus[1].node).device_name, "13630000.sysmmu");
  for (const PhandleRef& r : mfc.iommus) {
    EXPECT_EQ(b.node(r.node).power_domains[0].node, mfc.power_domains[0].node);
  }
  EXPECT_EQ(UnusedSysmmus(b), 0);  // the mixer's SysMMU is listed, by a disabled master
  absl::StatusOr<std::string> text = DescribeBoard(b, "text", BoardFactsOf(b));
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, ::testing::HasSubstr("SysMMUs (4):"));
}

// Exynos4412-like: SysMMU v1/v2 clocks ("sysmmu", "master"), interrupts through a combiner, and
// an ISP whose four SysMMUs all sit in its power domain.
constexpr DtTableRow kExynos4412[] = {
    {"/", "", "x,board samsung,exynos4412",
     "#address-cells=1; #size-cells=1; interrupt-parent=&gic"},
    {"/soc", "", "simple-bus", "#address-cells=1; #size-cells=1; ranges"},
    {"/soc/interrupt-controller@10490000", "gic", "arm,cortex-a9-gic",
     "reg=0x10490000 0x10000; #interrupt-cells=3; interrupt-controller"},
    {"/soc/interrupt-controller@10440000", "combiner", "samsung,exynos4210-combiner",
     "reg=0x10440000 0x1000; #interrupt-cells=2; interrupt-controller; irqs=4"},
    {"/soc/clock-controller@10030000", "clock", "samsung,exynos4412-clock",
     "reg=0x10030000 0x18000; #clock-cells=1"},
    {"/soc/power-domain@10023ca0", "pd_isp", "samsung,exynos4210-pd",
     "reg=0x10023ca0 0x20; #power-domain-cells=0"},
    {"/soc/power-domain@10023c40", "pd_mfc", "samsung,exynos4210-pd",
     "reg=0x10023c40 0x20; #power-domain-cells=0"},
    {"/soc/isp@12000000", "", "samsung,exynos4212-fimc-is",
     "reg=0x12000000 0x260000; irqs=2; clocks=&clock 353; clock-names=isp; power-domains=&pd_isp; "
     "iommus=&sysmmu_isp, &sysmmu_drc, &sysmmu_fd, &sysmmu_ispcpu"},
    {"/soc/codec@13400000", "", "samsung,mfc-v6",
     "reg=0x13400000 0x10000; irqs=1; "
     "clocks=&clock 273; clock-names=mfc; power-domains=&pd_mfc; iommus=&sysmmu_mfc_l"},
    {"/soc/sysmmu@12260000", "sysmmu_isp", "samsung,exynos-sysmmu",
     "reg=0x12260000 0x1000; interrupt-parent=&combiner; irqs=1; clocks=&clock 400, &clock 353; "
     "clock-names=sysmmu, master; power-domains=&pd_isp; #iommu-cells=0"},
    {"/soc/sysmmu@12270000", "sysmmu_drc", "samsung,exynos-sysmmu",
     "reg=0x12270000 0x1000; interrupt-parent=&combiner; irqs=1; clocks=&clock 401, &clock 353; "
     "clock-names=sysmmu, master; power-domains=&pd_isp; #iommu-cells=0"},
    {"/soc/sysmmu@122a0000", "sysmmu_fd", "samsung,exynos-sysmmu",
     "reg=0x122a0000 0x1000; interrupt-parent=&combiner; irqs=1; clocks=&clock 402, &clock 353; "
     "clock-names=sysmmu, master; power-domains=&pd_isp; #iommu-cells=0"},
    {"/soc/sysmmu@12280000", "sysmmu_ispcpu", "samsung,exynos-sysmmu",
     "reg=0x12280000 0x1000; interrupt-parent=&combiner; irqs=1; clocks=&clock 403, &clock 353; "
     "clock-names=sysmmu, master; power-domains=&pd_isp; #iommu-cells=0"},
    {"/soc/sysmmu@13620000", "sysmmu_mfc_l", "samsung,exynos-sysmmu",
     "reg=0x13620000 0x1000; interrupt-parent=&combiner; irqs=1; clocks=&clock 404, &clock 273; "
     "clock-names=sysmmu, master; power-domains=&pd_mfc; #iommu-cells=0"},
};

TEST(ExynosBoardsTest, Exynos4412LikeWithAFourSysmmuMaster) {
  const Board b = Load(kExynos4412, "4412");
  EXPECT_EQ(b.sysmmus.size(), 5u);
  EXPECT_EQ(b.masters.size(), 2u);
  EXPECT_EQ(b.devices.size(), 13u);
  const DtNode& isp = b.node(b.FindDevice("12000000.isp"));
  ASSERT_EQ(isp.iommus.size(), 4u);
  std::vector<std::string> names;
  for (const PhandleRef& r : isp.iommus) {
    names.push_back(b.node(r.node).device_name);
    EXPECT_EQ(b.node(r.node).power_domains[0].node, isp.power_domains[0].node);
    EXPECT_EQ(b.node(r.node).interrupt_parent, b.FindPath("/soc/interrupt-controller@10440000"));
  }
  EXPECT_THAT(names, ElementsAre("12260000.sysmmu", "12270000.sysmmu", "122a0000.sysmmu",
                                 "12280000.sysmmu"));
  EXPECT_EQ(UnusedSysmmus(b), 0);
}

// Exynos5250-like: SysMMUs that no master uses (ISP chain), one of them disabled.
constexpr DtTableRow kExynos5250[] = {
    {"/", "", "x,board samsung,exynos5250",
     "#address-cells=1; #size-cells=1; interrupt-parent=&gic"},
    {"/soc", "", "simple-bus", "#address-cells=1; #size-cells=1; ranges"},
    {"/soc/interrupt-controller@10481000", "gic", "arm,cortex-a15-gic",
     "reg=0x10481000 0x1000; #interrupt-cells=3; interrupt-controller"},
    {"/soc/clock-controller@10010000", "clock", "samsung,exynos5250-clock",
     "reg=0x10010000 0x30000; #clock-cells=1"},
    {"/soc/power-domain@10044000", "pd_gsc", "samsung,exynos4210-pd",
     "reg=0x10044000 0x20; #power-domain-cells=0"},
    {"/soc/power-domain@10044040", "pd_mfc", "samsung,exynos4210-pd",
     "reg=0x10044040 0x20; #power-domain-cells=0"},
    {"/soc/codec@11000000", "", "samsung,mfc-v6",
     "reg=0x11000000 0x10000; irqs=1; "
     "clocks=&clock 266; clock-names=mfc; power-domains=&pd_mfc; iommus=&mfc_r, &mfc_l"},
    {"/soc/gsc@13e00000", "", "samsung,exynos5250-gsc",
     "reg=0x13e00000 0x1000; irqs=1; "
     "clocks=&clock 256; clock-names=gscl; power-domains=&pd_gsc; iommus=&gsc0"},
    {"/soc/sysmmu@11200000", "mfc_l", "samsung,exynos-sysmmu",
     "reg=0x11200000 0x1000; irqs=1; "
     "clocks=&clock 268; clock-names=sysmmu; power-domains=&pd_mfc; #iommu-cells=0"},
    {"/soc/sysmmu@11210000", "mfc_r", "samsung,exynos-sysmmu",
     "reg=0x11210000 0x1000; irqs=1; "
     "clocks=&clock 267; clock-names=sysmmu; power-domains=&pd_mfc; #iommu-cells=0"},
    {"/soc/sysmmu@13e80000", "gsc0", "samsung,exynos-sysmmu",
     "reg=0x13e80000 0x1000; irqs=1; "
     "clocks=&clock 262; clock-names=sysmmu; power-domains=&pd_gsc; #iommu-cells=0"},
    {"/soc/sysmmu@13260000", "", "samsung,exynos-sysmmu",
     "reg=0x13260000 0x1000; irqs=1; "
     "clocks=&clock 281; clock-names=sysmmu; #iommu-cells=0"},
    {"/soc/sysmmu@13270000", "", "samsung,exynos-sysmmu",
     "reg=0x13270000 0x1000; irqs=1; "
     "clocks=&clock 282; clock-names=sysmmu; #iommu-cells=0"},
    {"/soc/sysmmu@132a0000", "", "samsung,exynos-sysmmu",
     "reg=0x132a0000 0x1000; irqs=1; "
     "clocks=&clock 283; clock-names=sysmmu; #iommu-cells=0; status=disabled"},
};

TEST(ExynosBoardsTest, Exynos5250LikeWithUnusedSysmmus) {
  const Board b = Load(kExynos5250, "5250");
  EXPECT_EQ(b.sysmmus.size(), 6u);  // any status
  EXPECT_EQ(b.masters.size(), 2u);
  EXPECT_EQ(UnusedSysmmus(b), 3);
  EXPECT_EQ(b.devices.size(), 12u);  // the disabled SysMMU is no device
  EXPECT_FALSE(b.node(b.FindPath("/soc/sysmmu@132a0000")).available);
  const DtNode& mfc = b.node(b.FindDevice("11000000.codec"));
  ASSERT_EQ(mfc.iommus.size(), 2u);
  EXPECT_EQ(b.node(mfc.iommus[0].node).device_name, "11210000.sysmmu");  // `iommus` order kept
}

// Exynos5420-like: six masters with two SysMMUs each.
// `storage` owns the strings the rows point at (a deque: growing it keeps them in place).
std::vector<DtTableRow> Exynos5420Rows(std::deque<std::string>* storage) {
  auto keep = [storage](std::string s) -> std::string_view { return storage->emplace_back(s); };
  std::vector<DtTableRow> rows = {
      {"/", "", "x,board samsung,exynos5420",
       "#address-cells=1; #size-cells=1; interrupt-parent=&gic"},
      {"/soc", "", "simple-bus", "#address-cells=1; #size-cells=1; ranges"},
      {"/soc/interrupt-controller@10481000", "gic", "arm,cortex-a15-gic",
       "reg=0x10481000 0x1000; #interrupt-cells=3; interrupt-controller"},
      {"/soc/clock-controller@10010000", "clock", "samsung,exynos5420-clock",
       "reg=0x10010000 0x30000; #clock-cells=1"},
  };
  const char* masters[] = {"fimd", "mixer", "mfc", "gsc", "scaler", "jpeg"};
  for (int m = 0; m < 6; ++m) {
    const uint32_t base = 0x14000000 + static_cast<uint32_t>(m) * 0x100000;
    rows.push_back(
        {keep(absl::StrFormat("/soc/power-domain@%x", 0x10044000 + 0x20 * m)),
         keep(absl::StrFormat("pd%d", m)), "samsung,exynos4210-pd",
         keep(absl::StrFormat("reg=0x%x 0x20; #power-domain-cells=0", 0x10044000 + 0x20 * m))});
    rows.push_back({keep(absl::StrFormat("/soc/%s@%x", masters[m], base)), "",
                    keep(absl::StrFormat("samsung,exynos5420-%s", masters[m])),
                    keep(absl::StrFormat("reg=0x%x 0x1000; irqs=1; power-domains=&pd%d; "
                                         "iommus=&smmu%d_0, &smmu%d_1",
                                         base, m, m, m))});
    for (int k = 0; k < 2; ++k) {
      const uint32_t addr = base + 0x10000 * static_cast<uint32_t>(k + 1);
      rows.push_back({keep(absl::StrFormat("/soc/sysmmu@%x", addr)),
                      keep(absl::StrFormat("smmu%d_%d", m, k)), "samsung,exynos-sysmmu",
                      keep(absl::StrFormat("reg=0x%x 0x1000; irqs=1; clocks=&clock %d; "
                                           "clock-names=sysmmu; power-domains=&pd%d; "
                                           "#iommu-cells=0",
                                           addr, 100 + 2 * m + k, m))});
    }
  }
  return rows;
}

TEST(ExynosBoardsTest, Exynos5420LikeWithSixTwoSysmmuMasters) {
  std::deque<std::string> storage;
  const std::vector<DtTableRow> rows = Exynos5420Rows(&storage);
  const Board b = Load(rows, "5420");
  EXPECT_EQ(b.sysmmus.size(), 12u);
  EXPECT_EQ(b.masters.size(), 6u);
  for (int m : b.masters) EXPECT_EQ(b.node(m).iommus.size(), 2u) << b.node(m).path;
  EXPECT_EQ(b.devices.size(), 3u + 6u * 4u);
  EXPECT_EQ(UnusedSysmmus(b), 0);
}

// Exynos850-like: SysMMUs in the tree, no master refers to them yet.
constexpr DtTableRow kExynos850[] = {
    {"/", "", "x,board samsung,exynos850",
     "#address-cells=1; #size-cells=1; interrupt-parent=&gic"},
    {"/soc@0", "", "simple-bus", "#address-cells=1; #size-cells=1; ranges=0 0 0x20000000"},
    {"/soc@0/interrupt-controller@12a01000", "gic", "arm,gic-400",
     "reg=0x12a01000 0x1000; #interrupt-cells=3; interrupt-controller"},
    {"/soc@0/clock-controller@12000000", "cmu", "samsung,exynos850-cmu-core",
     "reg=0x12000000 0x8000; #clock-cells=1"},
    {"/soc@0/sysmmu@12c70000", "", "samsung,exynos-sysmmu",
     "reg=0x12c70000 0x10000; irqs=1; clocks=&cmu 10; clock-names=gate; #iommu-cells=0"},
    {"/soc@0/sysmmu@12ca0000", "", "samsung,exynos-sysmmu",
     "reg=0x12ca0000 0x10000; irqs=1; clocks=&cmu 11; clock-names=gate; #iommu-cells=0"},
    {"/soc@0/sysmmu@13000000", "", "samsung,exynos-sysmmu",
     "reg=0x13000000 0x10000; irqs=1; clocks=&cmu 12; clock-names=gate; #iommu-cells=0"},
};

TEST(ExynosBoardsTest, Exynos850LikeWithSysmmusButNoMasters) {
  const Board b = Load(kExynos850, "850");
  EXPECT_EQ(b.sysmmus.size(), 3u);
  EXPECT_TRUE(b.masters.empty());
  EXPECT_EQ(b.devices.size(), 6u);
  EXPECT_EQ(UnusedSysmmus(b), 3);
  EXPECT_NE(b.FindDevice("12c70000.sysmmu"), kNoNode);
  absl::StatusOr<std::string> json = DescribeBoard(b, "json", BoardFactsOf(b));
  ASSERT_TRUE(json.ok());
  EXPECT_NE(json->find("\"masters\": []"), std::string::npos) << *json;
}

}  // namespace
}  // namespace probestorm::hwmodel
