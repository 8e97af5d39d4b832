// Tests of driver/of/property.cc: of_link_to_phandle's v6.1 checks on hand-built boards (the
// compat node as supplier, the "No device" walk, the "is descendant" test against the node being
// parsed), and the links of the real TM2E tree, which the embedded board must reproduce.
#include "driver/of/property.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "driver/base/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hwmodel/dt/tm2e_testdata.h"

namespace probestorm::kernel {
namespace {

using ::probestorm::kernel::testing::BoardBuilder;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using hwmodel::kNoNode;

TEST(OfGetCompatNode, WalksUpToTheNearestCompatible) {
  BoardBuilder bb;
  const int pinctrl = bb.Add("pinctrl", "test,pinctrl");
  const int group = bb.Add("uart-pins", "", pinctrl, /*device=*/false);
  const int pin = bb.Add("tx", "", group, /*device=*/false);
  EXPECT_EQ(of_get_compat_node(bb.board(), pin), pinctrl);
  EXPECT_EQ(of_get_compat_node(bb.board(), group), pinctrl);
  EXPECT_EQ(of_get_compat_node(bb.board(), pinctrl), pinctrl);
}

// of_device_is_available on every node from the reference up to and including the compat node.
TEST(OfGetCompatNode, DisabledNodeOnTheWayIsNoDevice) {
  BoardBuilder bb;
  const int pinctrl = bb.Add("pinctrl", "test,pinctrl");
  const int off_group = bb.Add("off-pins", "", pinctrl, false, /*okay=*/false);
  const int pin = bb.Add("tx", "", off_group, false);
  const int off_ctrl = bb.Add("pinctrl-off", "test,pinctrl", 0, true, /*okay=*/false);
  const int state = bb.Add("state", "", off_ctrl, false);
  EXPECT_EQ(of_get_compat_node(bb.board(), pin), kNoNode);
  EXPECT_EQ(of_get_compat_node(bb.board(), state), kNoNode);
  EXPECT_EQ(of_get_compat_node(bb.board(), off_ctrl), kNoNode);
}

// The walk stops at the compat node: a disabled ancestor above it is not looked at.
TEST(OfGetCompatNode, StatusAboveTheCompatNodeIsNotChecked) {
  BoardBuilder bb;
  const int bus = bb.Add("bus", "test,bus", 0, true, /*okay=*/false);
  const int dev = bb.Add("dev", "test,dev", bus);
  ASSERT_FALSE(bb.board().node(dev).available);
  EXPECT_EQ(of_get_compat_node(bb.board(), dev), dev);
}

TEST(OfGetCompatNode, NoCompatibleAtOrAboveIsNoDevice) {
  BoardBuilder bb;  // the root has no compatible here
  const int n = bb.Add("chosen", "", 0, false);
  EXPECT_EQ(of_get_compat_node(bb.board(), n), kNoNode);
}

TEST(OfFwnodeSupplierLinks, StatesOfOneControllerMakeOneLink) {
  BoardBuilder bb;
  const int pinctrl = bb.Add("pinctrl", "test,pinctrl");
  const int a = bb.Add("a-pins", "", pinctrl, false);
  const int b = bb.Add("b-pins", "", pinctrl, false);
  const int clk = bb.Add("clk", "test,clk");
  const int out = bb.Add("clk-out", "", clk, false);
  const int mmc = bb.Add("mmc", "test,mmc");
  bb.Supply(mmc, a, "pinctrl-0");
  bb.Supply(mmc, out, "clocks");
  bb.Supply(mmc, b, "pinctrl-0");
  EXPECT_THAT(of_fwnode_supplier_links(bb.board(), Knobs{}, mmc), ElementsAre(pinctrl, clk));
}

// "is descendant" compares the supplier's compat node with the node being parsed. A controller's
// reference to its own state makes no link; a compat-less child parsed on the controller's behalf
// that references a sibling links to the controller (the node being parsed is not its ancestor).
TEST(OfFwnodeSupplierLinks, DescendantTestUsesTheNodeBeingParsed) {
  BoardBuilder bb;
  const int pinctrl = bb.Add("pinctrl", "test,pinctrl");
  const int initial = bb.Add("initial-state", "", pinctrl, false);
  const int hog = bb.Add("hog", "", pinctrl, false);
  bb.Supply(pinctrl, initial, "pinctrl-0");
  bb.Supply(hog, initial, "pinctrl-0");
  EXPECT_THAT(of_fwnode_supplier_links(bb.board(), Knobs{}, pinctrl), IsEmpty());
  EXPECT_THAT(of_fwnode_supplier_links(bb.board(), Knobs{}, hog), ElementsAre(pinctrl));
}

// A supplier that is an ancestor of the consumer is linked: a child may depend on its parent.
TEST(OfFwnodeSupplierLinks, AncestorOfTheConsumerIsLinked) {
  BoardBuilder bb;
  const int bus = bb.Add("bus", "test,bus");
  const int child = bb.Add("child", "test,child", bus);
  bb.Supply(child, bus, "interrupt-parent");
  bb.Supply(child, child, "clocks");
  EXPECT_THAT(of_fwnode_supplier_links(bb.board(), Knobs{}, child), ElementsAre(bus));
}

// ---------------------------------------------------------------- TM2E

// Links as paths, for every available device node, keyed by its path.
std::map<std::string, std::vector<std::string>> DeviceLinks(const hwmodel::Board& b) {
  std::map<std::string, std::vector<std::string>> out;
  for (int d : b.devices) {
    if (!b.node(d).available) continue;
    std::vector<std::string>& v = out[b.node(d).path];
    for (int s : of_fwnode_supplier_links(b, Knobs{}, d)) v.push_back(b.node(s).path);
  }
  return out;
}

class Tm2eLinksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<hwmodel::Board> real = hwmodel::testing::LoadRealTm2e();
    ASSERT_TRUE(real.ok()) << real.status();
    absl::StatusOr<hwmodel::Board> embedded = hwmodel::LoadEmbeddedBoard("embedded:tm2e");
    ASSERT_TRUE(embedded.ok()) << embedded.status();
    real_ = DeviceLinks(*real);
    embedded_ = DeviceLinks(*embedded);
  }

  std::map<std::string, std::vector<std::string>> real_, embedded_;
};

// Every device of the embedded board links to the same suppliers, in the same order, as in the
// real tree. (The embedded board holds no supplier properties of nodes that are not devices, whose
// links only make proxy links.)
TEST_F(Tm2eLinksTest, EmbeddedBoardLinksAsTheRealTree) {
  ASSERT_EQ(embedded_.size(), real_.size());
  for (const auto& [path, links] : real_) {
    ASSERT_TRUE(embedded_.contains(path)) << path;
    EXPECT_EQ(embedded_.at(path), links) << path;
  }
}

// pinctrl-0 names pin groups without a compatible: the uart links to the pin controller, and no
// device links to a group or a GPIO bank below a controller (a controller's own initial-state
// included).
TEST_F(Tm2eLinksTest, PinctrlReferencesResolveToTheController) {
  EXPECT_THAT(real_.at("/soc@0/serial@14c20000"), Contains("/soc@0/pinctrl@14cc0000"));
  for (const auto& [path, links] : real_) {
    for (const std::string& s : links) {
      EXPECT_FALSE(s.starts_with("/soc@0/pinctrl@") && std::count(s.begin(), s.end(), '/') > 2)
          << path << " -> " << s;
    }
  }
}

}  // namespace
}  // namespace probestorm::kernel
