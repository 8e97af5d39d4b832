// Synthetic boards: topology, sizes up to and past 8192 devices, determinism and bad specs.
#include "hwmodel/dt/synthetic.h"

#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hwmodel/dt/board.h"

namespace probestorm::hwmodel {
namespace {

using ::testing::HasSubstr;

Board MustLoad(std::string_view spec) {
  absl::StatusOr<Board> b = LoadSynthetic(spec);
  EXPECT_TRUE(b.ok()) << spec << ": " << b.status();
  return b.ok() ? *std::move(b) : Board{};
}

TEST(SyntheticTest, SmallBoardTopology) {
  const Board b = MustLoad("sysmmus=7,masters=3,per_master=2,unused=1,plain=4,groups=2,version=5");
  EXPECT_EQ(b.name,
            "synthetic:sysmmus=7,masters=3,per_master=2,unused=1,plain=4,groups=2,version=5");
  EXPECT_EQ(b.sysmmu_version, 5);
  EXPECT_EQ(b.sysmmus.size(), 7u);
  EXPECT_EQ(b.masters.size(), 3u);
  // soc, gic, 2 power domains, 2 clock controllers, 3 masters, 7 SysMMUs, 4 plain devices.
  EXPECT_EQ(b.devices.size(), 1u + 1u + 2u + 2u + 3u + 7u + 4u);
  std::set<int> used;
  for (int m : b.masters) {
    const DtNode& master = b.node(m);
    EXPECT_TRUE(master.IsCompatible("probestorm,synthetic-master"));
    ASSERT_EQ(master.iommus.size(), 2u);
    for (const PhandleRef& r : master.iommus) {
      const DtNode& s = b.node(r.node);
      EXPECT_TRUE(s.IsSysmmu());
      EXPECT_EQ(s.iommu_cells, 0);
      EXPECT_THAT(s.clock_names, ::testing::ElementsAre("aclk", "pclk"));
      EXPECT_EQ(s.num_interrupts, 1);
      EXPECT_EQ(s.power_domains.at(0).node, master.power_domains.at(0).node);
      EXPECT_EQ(s.clocks.at(0).node, master.clocks.at(0).node);
      used.insert(r.node);
    }
  }
  EXPECT_EQ(used.size(), 6u);
  EXPECT_EQ(b.node(b.masters[0]).device_name, "40000000.master");
  EXPECT_NE(b.FindDevice("50000000.sysmmu"), kNoNode);
  // Three masters in two contiguous groups: [0, 1], [2].
  EXPECT_EQ(b.node(b.masters[0]).power_domains[0].node, b.node(b.masters[1]).power_domains[0].node);
  EXPECT_NE(b.node(b.masters[1]).power_domains[0].node, b.node(b.masters[2]).power_domains[0].node);
  int plain = 0;
  for (int d : b.devices) plain += b.node(d).IsCompatible("probestorm,plain-device");
  EXPECT_EQ(plain, 4);
}

TEST(SyntheticTest, Sizes) {
  struct Case {
    std::string_view spec;
    size_t sysmmus, masters, devices;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"sysmmus=1,masters=1,per_master=1", 1, 1, 6},
           {"sysmmus=64,masters=16,per_master=4", 64, 16, 2 + 8 + 16 + 64},
           {"sysmmus=600,masters=100,per_master=4,unused=200,plain=1000", 600, 100,
            2 + 2 * 25 + 100 + 600 + 1000},
           {"sysmmus=4096,masters=2048,per_master=2,plain=2048,groups=64", 4096, 2048,
            2 + 2 * 64 + 2048 + 4096 + 2048},
       }) {
    const Board b = MustLoad(c.spec);
    EXPECT_EQ(b.sysmmus.size(), c.sysmmus) << c.spec;
    EXPECT_EQ(b.masters.size(), c.masters) << c.spec;
    EXPECT_EQ(b.devices.size(), c.devices) << c.spec;
  }
  EXPECT_GE(MustLoad("sysmmus=4096,masters=2048,per_master=2,plain=2048").devices.size(), 8192u);
}

TEST(SyntheticTest, Deterministic) {
  constexpr std::string_view kSpec = "sysmmus=50,masters=10,per_master=3,unused=5,plain=20";
  absl::StatusOr<SyntheticSpec> spec = ParseSyntheticSpec(kSpec);
  ASSERT_TRUE(spec.ok());
  absl::StatusOr<std::vector<uint8_t>> a = BuildSyntheticDtb(*spec);
  absl::StatusOr<std::vector<uint8_t>> b = BuildSyntheticDtb(*spec);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  const Board x = MustLoad(kSpec);
  const Board y = MustLoad(kSpec);
  ASSERT_EQ(x.nodes.size(), y.nodes.size());
  for (size_t i = 0; i < x.nodes.size(); ++i) {
    EXPECT_EQ(x.nodes[i].path, y.nodes[i].path);
    EXPECT_EQ(x.nodes[i].device_name, y.nodes[i].device_name);
    EXPECT_EQ(x.nodes[i].suppliers.size(), y.nodes[i].suppliers.size());
  }
  EXPECT_EQ(x.devices, y.devices);
}

TEST(SyntheticTest, BadSpecsNameTheKey) {
  struct Case {
    std::string_view spec;
    std::string_view message;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"", "missing key sysmmus"},
           {"sysmmus=4,masters=2", "missing key per_master"},
           {"sysmmus=4,masters=2,per_master=1,colour=3", "unknown key \"colour\""},
           {"sysmmus=4,masters=2,per_master=1,masters=2", "key masters given twice"},
           {"sysmmus=0,masters=1,per_master=1", "sysmmus=0 is out of range"},
           {"sysmmus=4,masters=-2,per_master=1", "masters=-2 is out of range"},
           {"sysmmus=4,masters=2,per_master=x", "per_master needs a number"},
           {"sysmmus=4,masters=2,per_master", "per_master needs a number"},
           {"sysmmus=999999999999,masters=1,per_master=1", "sysmmus=999999999999 is out of range"},
           {"sysmmus=99999999999999999999,masters=1,per_master=1", "sysmmus needs a number"},
           {"sysmmus=70000,masters=1,per_master=1", "sysmmus=70000 is out of range [1, 65536]"},
           {"sysmmus=4,masters=2,per_master=100", "per_master=100 is out of range"},
           {"sysmmus=4,masters=2,per_master=2,unused=1",
            "sysmmus=4 is less than masters*per_master + unused = 5"},
           {"sysmmus=4,masters=2,per_master=1,groups=3", "groups=3 exceeds masters=2"},
           {"sysmmus=4,masters=2,per_master=1,groups=0", "groups=0 is out of range"},
           {"sysmmus=4,masters=2,per_master=1,version=4", "version=4: SysMMU versions are"},
           {"sysmmus=4,masters=2,per_master=1,plain=-1", "plain=-1 is out of range"},
       }) {
    const absl::Status s = LoadSynthetic(c.spec).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.spec;
    EXPECT_THAT(s.message(), HasSubstr(c.message)) << c.spec;
  }
  SyntheticSpec direct;
  direct.sysmmus = 1;
  EXPECT_EQ(BuildSyntheticDtb(direct).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace probestorm::hwmodel
