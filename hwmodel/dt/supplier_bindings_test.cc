// of_supplier_bindings[]: which properties become fw_devlink supplier links, and how LoadDtb
// turns each kind into SupplierRefs.
#include "hwmodel/dt/supplier_bindings.h"

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hwmodel/dt/board.h"
#include "hwmodel/dt/dt_table.h"

namespace probestorm::hwmodel {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using Kind = SupplierBinding::Kind;

TEST(SupplierBindingsTest, MatchesTheKernelTable) {
  struct Case {
    std::string_view name;
    Kind kind;
    std::string_view cells;
    bool optional;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"clocks", Kind::kPhandleList, "#clock-cells", false},
           {"interconnects", Kind::kPhandleList, "#interconnect-cells", false},
           {"iommus", Kind::kPhandleList, "#iommu-cells", true},
           {"iommu-map", Kind::kIommuMap, "", true},
           {"mboxes", Kind::kPhandleList, "#mbox-cells", false},
           {"io-channels", Kind::kPhandleList, "#io-channel-cells", false},
           {"interrupt-parent", Kind::kPhandleList, "", false},
           {"dmas", Kind::kPhandleList, "#dma-cells", true},
           {"power-domains", Kind::kPhandleList, "#power-domain-cells", false},
           {"hwlocks", Kind::kPhandleList, "#hwlock-cells", false},
           {"extcon", Kind::kPhandleList, "", false},
           {"nvmem-cells", Kind::kPhandleList, "#nvmem-cell-cells", false},
           {"phys", Kind::kPhandleList, "#phy-cells", false},
           {"wakeup-parent", Kind::kPhandleList, "", false},
           {"pinctrl-0", Kind::kPhandleList, "", false},
           {"pinctrl-8", Kind::kPhandleList, "", false},
           {"remote-endpoint", Kind::kRemoteEndpoint, "", false},
           {"pwms", Kind::kPhandleList, "#pwm-cells", false},
           {"resets", Kind::kPhandleList, "#reset-cells", false},
           {"leds", Kind::kPhandleList, "", false},
           {"backlight", Kind::kPhandleList, "", false},
           {"panel", Kind::kPhandleList, "", false},
           {"msi-parent", Kind::kPhandleList, "#msi-cells", false},
           {"gpio", Kind::kPhandleList, "#gpio-cells", false},
           {"gpios", Kind::kPhandleList, "#gpio-cells", false},
           {"interrupts", Kind::kInterrupts, "", false},
           {"interrupts-extended", Kind::kInterrupts, "", false},
           {"vdd-supply", Kind::kFirstPhandle, "", false},
           {"reset-gpio", Kind::kPhandleList, "#gpio-cells", false},
           {"hpd-gpios", Kind::kPhandleList, "#gpio-cells", false},
       }) {
    std::optional<SupplierBinding> b = MatchSupplierBinding(c.name, /*gpio_hog=*/false);
    ASSERT_TRUE(b.has_value()) << c.name;
    EXPECT_EQ(b->kind, c.kind) << c.name;
    EXPECT_EQ(b->cells, c.cells) << c.name;
    EXPECT_EQ(b->optional, c.optional) << c.name;
  }
  for (std::string_view none :
       {"pinctrl-9", "pinctrl-names", "samsung,sysreg", "memory-region", "assigned-clocks",
        "clock-names", "compatible", "reg", "snps,nr-gpios", "supply", "io-channel"}) {
    EXPECT_FALSE(MatchSupplierBinding(none, false).has_value()) << none;
  }
  EXPECT_FALSE(MatchSupplierBinding("gpios", /*gpio_hog=*/true).has_value());
  EXPECT_TRUE(MatchSupplierBinding("line-gpios", /*gpio_hog=*/true).has_value());
}

std::vector<std::pair<std::string, std::string>> Suppliers(const Board& b, std::string_view path) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const SupplierRef& s : b.node(b.FindPath(path)).suppliers) {
    out.emplace_back(s.property + (s.optional ? "*" : ""), b.node(s.node).path);
  }
  return out;
}

TEST(SupplierBindingsTest, LoaderResolvesEachKind) {
  const DtTableRow rows[] = {
      {"/", "", "x,board", "interrupt-parent=&gic"},
      {"/gic", "gic", "x,gic", "#interrupt-cells=1; interrupt-controller"},
      {"/smmu", "smmu", "x,smmu", "#iommu-cells=1"},
      {"/efuse", "efuse", "x,efuse", ""},
      {"/msi", "msi", "x,msi", ""},
      {"/reg1", "reg1", "x,reg", ""},
      {"/reg2", "reg2", "x,reg", ""},
      {"/gpio", "gpio", "x,gpio", "#gpio-cells=2; gpio-controller"},
      {"/gpio/hog", "", "", "gpio-hog; gpios=&gpio 1 0"},
      {"/pcie", "", "x,pcie",
       "iommu-map=0 &smmu 0 0x100, 0x100 &smmu 0x100 0x100; nvmem-cells=&efuse; "
       "msi-parent=&msi; vdd-supply=&reg1 &reg2; interrupts=5 6; "
       "reset-gpios=&gpio 3 0; snps,nr-gpios=4"},
  };
  absl::StatusOr<std::vector<uint8_t>> dtb = CompileDtTable(rows);
  ASSERT_TRUE(dtb.ok()) << dtb.status();
  absl::StatusOr<Board> b = LoadDtb(*dtb, "t");
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_THAT(Suppliers(*b, "/pcie"),
              ElementsAre(Pair("iommu-map*", "/smmu"), Pair("iommu-map*", "/smmu"),
                          Pair("nvmem-cells", "/efuse"), Pair("msi-parent", "/msi"),
                          Pair("vdd-supply", "/reg1"), Pair("interrupts", "/gic"),
                          Pair("interrupts", "/gic"), Pair("reset-gpios", "/gpio")));
  EXPECT_THAT(Suppliers(*b, "/gpio/hog"), ElementsAre());
  EXPECT_THAT(Suppliers(*b, "/"), ElementsAre(Pair("interrupt-parent", "/gic")));
}

}  // namespace
}  // namespace probestorm::hwmodel
