// LoadDtb on the real TM2E tree and on small trees that pin down each DtNode field.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hwmodel/dt/board.h"
#include "hwmodel/dt/dt_table.h"
#include "hwmodel/dt/tm2e_testdata.h"

namespace probestorm::hwmodel {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

class RealTm2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<Board> b = testing::LoadRealTm2e();
    ASSERT_TRUE(b.ok()) << b.status();
    board_ = new Board(*std::move(b));
  }
  static void TearDownTestSuite() { delete board_; }
  static const Board& board() { return *board_; }

  // The masters whose compatible is `c`.
  static std::vector<int> MastersCompatible(std::string_view c) {
    std::vector<int> out;
    for (int m : board().masters) {
      if (board().node(m).IsCompatible(c)) out.push_back(m);
    }
    return out;
  }

 private:
  static Board* board_;
};

Board* RealTm2eTest::board_ = nullptr;

TEST_F(RealTm2eTest, BoardIdentity) {
  EXPECT_EQ(board().model, "Samsung TM2E board");
  EXPECT_THAT(board().root_compatible, ElementsAre("samsung,tm2e", "samsung,exynos5433"));
  EXPECT_EQ(board().node(0).path, "/");
  EXPECT_EQ(board().sysmmu_version, 0);
  for (size_t i = 0; i < board().nodes.size(); ++i) {
    EXPECT_EQ(board().nodes[i].index, static_cast<int>(i));
  }
}

TEST_F(RealTm2eTest, TwelveSysmmusNineMasters) {
  EXPECT_EQ(board().sysmmus.size(), 12u);
  EXPECT_EQ(board().masters.size(), 9u);
  for (int s : board().sysmmus) {
    const DtNode& n = board().node(s);
    EXPECT_TRUE(n.IsSysmmu());
    EXPECT_EQ(n.iommu_cells, 0) << n.path;
    EXPECT_TRUE(n.is_device && n.available) << n.path;
    EXPECT_THAT(n.clock_names, ElementsAre("aclk", "pclk")) << n.path;
    EXPECT_EQ(n.clocks.size(), 2u) << n.path;
    EXPECT_EQ(n.power_domains.size(), 1u) << n.path;
    EXPECT_EQ(n.num_interrupts, 1) << n.path;
  }
}

TEST_F(RealTm2eTest, MastersWithTwoSysmmus) {
  for (std::string_view c :
       {"samsung,exynos5433-decon", "samsung,exynos5433-decon-tv", "samsung,exynos5433-mfc"}) {
    const std::vector<int> masters = MastersCompatible(c);
    ASSERT_EQ(masters.size(), 1u) << c;
    EXPECT_EQ(board().node(masters[0]).iommus.size(), 2u) << c;
  }
  int single = 0;
  for (int m : board().masters) single += board().node(m).iommus.size() == 1;
  EXPECT_EQ(single, 6);
  const DtNode& decon = board().node(MastersCompatible("samsung,exynos5433-decon")[0]);
  EXPECT_EQ(decon.path, "/soc@0/decon@13800000");
  EXPECT_EQ(decon.device_name, "13800000.decon");
  ASSERT_EQ(decon.iommus.size(), 2u);
  EXPECT_EQ(board().node(decon.iommus[0].node).path, "/soc@0/sysmmu@13a00000");
  EXPECT_EQ(board().node(decon.iommus[1].node).path, "/soc@0/sysmmu@13a10000");
  EXPECT_EQ(decon.num_interrupts, 3);
  EXPECT_EQ(decon.clocks.size(), 11u);
}

TEST_F(RealTm2eTest, EverySysmmuIsInItsMastersPowerDomain) {
  std::set<int> used;
  for (int m : board().masters) {
    const DtNode& master = board().node(m);
    ASSERT_EQ(master.power_domains.size(), 1u) << master.path;
    for (const PhandleRef& r : master.iommus) {
      const DtNode& s = board().node(r.node);
      EXPECT_TRUE(s.IsSysmmu()) << s.path;
      ASSERT_EQ(s.power_domains.size(), 1u) << s.path;
      EXPECT_EQ(s.power_domains[0].node, master.power_domains[0].node) << s.path;
      used.insert(r.node);
    }
  }
  EXPECT_EQ(used.size(), 12u);  // every SysMMU serves exactly one master
}

TEST_F(RealTm2eTest, IommusLinksAreOptional) {
  int iommus_links = 0;
  for (const DtNode& n : board().nodes) {
    for (const SupplierRef& s : n.suppliers) {
      EXPECT_EQ(s.optional,
                s.property == "iommus" || s.property == "dmas" || s.property == "iommu-map")
          << n.path << ":" << s.property;
      if (s.property == "iommus") ++iommus_links;
    }
  }
  EXPECT_EQ(iommus_links, 12);
}

TEST_F(RealTm2eTest, SysmmuClocksAndSuppliers) {
  const DtNode& s = board().node(board().FindDevice("13a00000.sysmmu"));
  EXPECT_EQ(s.path, "/soc@0/sysmmu@13a00000");
  EXPECT_THAT(s.reg, ElementsAre(Pair(0x13a00000u, 0x1000u)));
  const int cmu_disp = board().FindPath("/soc@0/clock-controller@13b90000");
  ASSERT_EQ(s.clocks.size(), 2u);
  EXPECT_EQ(s.clocks[0].node, cmu_disp);
  EXPECT_THAT(s.clocks[0].args, ElementsAre(0x2d));  // CLK_ACLK_SMMU_DECON0X
  EXPECT_THAT(s.clocks[1].args, ElementsAre(0x46));  // CLK_PCLK_SMMU_DECON0X
  const int gic = board().FindPath("/soc@0/interrupt-controller@11001000");
  const int pd_disp = board().FindPath("/soc@0/power-domain@105c4080");
  EXPECT_EQ(s.interrupt_parent, gic);
  std::vector<std::pair<std::string, int>> suppliers;
  for (const SupplierRef& r : s.suppliers) suppliers.emplace_back(r.property, r.node);
  EXPECT_THAT(suppliers, ElementsAre(Pair("interrupts", gic), Pair("clocks", cmu_disp),
                                     Pair("clocks", cmu_disp), Pair("power-domains", pd_disp)));
}

TEST_F(RealTm2eTest, GraphLinksJoinThePortParents) {
  const Board& b = board();
  const DtNode& decon = b.node(b.FindPath("/soc@0/decon@13800000"));
  const DtNode& mic = b.node(b.FindPath("/soc@0/mic@13930000"));
  std::set<std::string> decon_graph;
  for (const SupplierRef& r : decon.suppliers) {
    if (r.property == "remote-endpoint") decon_graph.insert(b.node(r.node).path);
  }
  EXPECT_THAT(decon_graph, UnorderedElementsAre("/soc@0/mic@13930000"));
  std::set<std::string> mic_graph;
  for (const SupplierRef& r : mic.suppliers) {
    if (r.property == "remote-endpoint") mic_graph.insert(b.node(r.node).path);
  }
  EXPECT_THAT(mic_graph, UnorderedElementsAre("/soc@0/decon@13800000", "/soc@0/dsi@13900000"));
}

TEST_F(RealTm2eTest, PopulationAndDeviceNames) {
  const Board& b = board();
  EXPECT_EQ(b.devices.size(), 127u);
  for (int d : b.devices) EXPECT_TRUE(b.node(d).is_device && b.node(d).available);
  // simple-mfd children are devices; opp tables and nodes without compatible are not.
  EXPECT_NE(b.FindDevice("105c0000.system-controller:mipi-phy"), kNoNode);
  EXPECT_FALSE(b.node(b.FindPath("/opp-table-0")).is_device);
  EXPECT_FALSE(b.node(b.FindPath("/cpus")).is_device);
  // arm,primecell nodes become AMBA devices.
  const DtNode& pdma0 = b.node(b.FindDevice("15610000.dma-controller"));
  EXPECT_TRUE(pdma0.is_amba);
  // A node without reg under a bus without reg: names from the path.
  EXPECT_EQ(b.node(b.FindPath("/soc@0/usb@15400000")).device_name, "soc@0:usb@15400000");
  EXPECT_EQ(b.node(b.FindPath("/soc@0")).device_name, "soc@0");
  // Children of a non-bus device are left to its driver.
  EXPECT_FALSE(
      b.node(b.FindPath("/soc@0/audio-subsystem@11400000/dma-controller@11420000")).is_device);
  EXPECT_EQ(b.FindDevice("no.such"), kNoNode);
  EXPECT_EQ(b.FindPath("/no/such"), kNoNode);
  EXPECT_EQ(b.DeviceOf(b.FindPath("/soc@0/pinctrl@10580000/te-irq-pins")),
            b.FindPath("/soc@0/pinctrl@10580000"));
}

// A small tree for the per-field rules.
const DtTableRow kFields[] = {
    {"/", "", "test,board", "#address-cells=1; #size-cells=1; interrupt-parent=&gic; model=M"},
    {"/gic", "gic", "arm,gic-400", "#interrupt-cells=3; interrupt-controller"},
    {"/combiner", "comb", "test,combiner", "#interrupt-cells=2; interrupt-controller"},
    {"/cmu", "cmu", "test,cmu", "#clock-cells=1"},
    {"/pd", "pd", "test,pd", "#power-domain-cells=0"},
    {"/bus", "", "simple-bus", "#address-cells=2; #size-cells=1; ranges; status=disabled"},
    {"/bus/child@0,1000", "", "test,child", "reg=0 0x1000 0x100 1 0x2000 0x10; status=okay"},
    {"/dev@100", "", "test,dev",
     "reg=0x100 0x10; interrupt-parent=&comb; irqs=2; clocks=&cmu 7; "
     "clock-names=core; power-domains=&pd"},
    {"/dev@200", "", "test,dev",
     "reg=0x200 0x10; interrupts-extended=&gic 0 1 4, &comb 5 6; "
     "status=ok"},
    {"/dev@200/sub", "", "", "linux,phandle=0x77"},
};

TEST(DtbLoaderTest, FieldsFollowLinux) {
  absl::StatusOr<std::vector<uint8_t>> dtb = CompileDtTable(kFields);
  ASSERT_TRUE(dtb.ok()) << dtb.status();
  absl::StatusOr<Board> b = LoadDtb(*dtb, "fields");
  ASSERT_TRUE(b.ok()) << b.status();
  const DtNode& child = b->node(b->FindPath("/bus/child@0,1000"));
  EXPECT_TRUE(child.status_okay);
  EXPECT_FALSE(child.available);  // disabled ancestor
  EXPECT_FALSE(child.is_device);
  EXPECT_THAT(child.reg, ElementsAre(Pair(0x1000u, 0x100u), Pair(0x100002000u, 0x10u)));
  const DtNode& dev = b->node(b->FindPath("/dev@100"));
  EXPECT_EQ(dev.interrupt_parent, b->FindPath("/combiner"));
  EXPECT_EQ(dev.num_interrupts, 2);
  EXPECT_THAT(dev.clock_names, ElementsAre("core"));
  ASSERT_EQ(dev.clocks.size(), 1u);
  EXPECT_THAT(dev.clocks[0].args, ElementsAre(7));
  EXPECT_EQ(dev.power_domains[0].node, b->FindPath("/pd"));
  EXPECT_EQ(dev.device_name, "100.dev");
  EXPECT_THAT(dev.iommus, IsEmpty());
  EXPECT_FALSE(dev.IsMaster());
  const DtNode& dev2 = b->node(b->FindPath("/dev@200"));
  EXPECT_TRUE(dev2.status_okay);
  EXPECT_EQ(dev2.interrupt_parent, b->FindPath("/gic"));  // inherited from the root
  EXPECT_EQ(dev2.num_interrupts, 2);
  std::vector<std::string> irq_suppliers;
  for (const SupplierRef& s : dev2.suppliers) irq_suppliers.push_back(b->node(s.node).path);
  EXPECT_THAT(irq_suppliers, ElementsAre("/gic", "/combiner"));
  EXPECT_EQ(b->node(b->FindPath("/dev@200/sub")).phandle, 0x77u);
  EXPECT_EQ(b->node(b->FindPath("/gic")).phandle, 1u);
  EXPECT_EQ(b->model, "M");
}

}  // namespace
}  // namespace probestorm::hwmodel
