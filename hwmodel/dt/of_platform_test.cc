// OF population (which nodes become devices, in which order) and kernel bus ids.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hwmodel/dt/board.h"
#include "hwmodel/dt/dt_table.h"

namespace probestorm::hwmodel {
namespace {

using ::testing::ElementsAre;

Board Load(std::initializer_list<DtTableRow> rows) {
  absl::StatusOr<std::vector<uint8_t>> dtb =
      CompileDtTable(std::span<const DtTableRow>(rows.begin(), rows.size()));
  EXPECT_TRUE(dtb.ok()) << dtb.status();
  absl::StatusOr<Board> b = LoadDtb(dtb.value_or(std::vector<uint8_t>{}), "t");
  EXPECT_TRUE(b.ok()) << b.status();
  return b.ok() ? *std::move(b) : Board{};
}

std::vector<std::string> DeviceNames(const Board& b) {
  std::vector<std::string> out;
  for (int d : b.devices) out.push_back(b.node(d).device_name);
  return out;
}

TEST(OfPlatformTest, PopulatesLikeOfPlatformDefaultPopulate) {
  const Board b = Load({
      {"/", "", "x,board", "#address-cells=1; #size-cells=1"},
      {"/firmware", "", "", ""},
      {"/firmware/scm", "", "x,scm simple-bus", ""},
      {"/firmware/scm/child", "", "x,child", ""},
      {"/a@1000", "", "x,a", "reg=0x1000 0x100"},
      {"/a@1000/child", "", "x,child", ""},  // below a non-bus: its driver's business
      {"/nocompat", "", "", ""},
      {"/nocompat/child", "", "x,child", ""},   // below a node without compatible
      {"/opp", "", "operating-points-v2", ""},  // of_skipped_node_table
      {"/off", "", "x,off", "status=disabled"},
      {"/bus", "", "simple-bus", "#address-cells=1; #size-cells=1; ranges"},
      {"/bus/b@2000", "", "x,b", "reg=0x2000 0x100"},
      {"/bus/dma@3000", "", "arm,pl330 arm,primecell", "reg=0x3000 0x100"},
      {"/bus/mfd@4000", "", "x,pmu simple-mfd", "reg=0x4000 0x100"},
      {"/bus/mfd@4000/phy", "", "x,phy", ""},
      {"/offbus", "", "simple-bus", "status=disabled"},
      {"/offbus/c", "", "x,c", ""},
      {"/amba", "", "arm,amba-bus", "#address-cells=1; #size-cells=1; ranges"},
      {"/amba/d@5000", "", "x,d", "reg=0x5000 0x10"},
  });
  // /firmware has no reg, so its child is named from the path.
  EXPECT_THAT(DeviceNames(b), ElementsAre("firmware:scm", "1000.a", "bus", "2000.b", "3000.dma",
                                          "4000.mfd", "4000.mfd:phy", "amba", "5000.d"));
  EXPECT_TRUE(b.node(b.FindDevice("3000.dma")).is_amba);
  EXPECT_FALSE(b.node(b.FindDevice("2000.b")).is_amba);
}

TEST(OfPlatformTest, BusIdsTranslateThroughRanges) {
  const Board b = Load({
      {"/", "", "x,board", "#address-cells=2; #size-cells=2"},
      {"/soc@0", "", "simple-bus", "#address-cells=1; #size-cells=1; ranges=0 0 0 0x18000000"},
      {"/soc@0/uart@1000", "", "x,uart", "reg=0x1000 0x100"},
      {"/soc@0/sub@100000", "", "simple-bus",
       "#address-cells=1; #size-cells=1; ranges=0 0x100000 0x10000; reg=0x100000 0x10000"},
      {"/soc@0/sub@100000/timer@20", "", "x,timer", "reg=0x20 0x4"},
      {"/soc@0/sub@100000/far@20000", "", "x,far", "reg=0x20000 0x4"},  // outside every range
      {"/soc@0/noreg", "", "simple-bus", ""},
      {"/soc@0/noreg/leaf", "", "x,leaf", ""},
      {"/soc@0/reboot@2000", "", "x,reboot", "reg=0x2000 0x4; mask=0x10"},
      {"/soc@0/i2c@3000", "", "simple-bus", "#address-cells=1; #size-cells=0; reg=0x3000 0x100"},
      {"/soc@0/i2c@3000/pmic@66", "", "x,pmic", "reg=0x66"},  // #size-cells 0: untranslatable
      {"/high", "", "simple-bus", "#address-cells=2; #size-cells=1; ranges"},
      {"/high/x@1,0", "", "x,x", "reg=1 0 0x10"},
  });
  EXPECT_THAT(DeviceNames(b),
              ElementsAre("soc@0", "1000.uart", "100000.sub", "100020.timer",
                          "100000.sub:far@20000", "soc@0:noreg", "soc@0:noreg:leaf",
                          "2000.4.reboot", "3000.i2c", "3000.i2c:pmic@66", "high", "100000000.x"));
}

}  // namespace
}  // namespace probestorm::hwmodel
