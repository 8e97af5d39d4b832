// The embedded TM2E table loads to the same board as the real DTB: SysMMUs, masters, power
// domains, devices, the supplier node set of every device, and the compatible and status of every
// node it holds.
#include "hwmodel/dt/embedded_tm2e.h"

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hwmodel/dt/board.h"
#include "hwmodel/dt/tm2e_testdata.h"

namespace probestorm::hwmodel {
namespace {

class EmbeddedTm2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<Board> real = testing::LoadRealTm2e();
    ASSERT_TRUE(real.ok()) << real.status();
    real_ = *std::move(real);
    absl::StatusOr<Board> embedded = LoadEmbeddedBoard("embedded:tm2e");
    ASSERT_TRUE(embedded.ok()) << embedded.status();
    embedded_ = *std::move(embedded);
  }

  Board real_;
  Board embedded_;
};

// What a SysMMU is to the model: path, device name, clocks (provider, args, name), power domain.
using SysmmuFacts = std::tuple<std::string, std::string, std::vector<std::string>, std::string>;

std::vector<SysmmuFacts> Sysmmus(const Board& b) {
  std::vector<SysmmuFacts> out;
  for (int s : b.sysmmus) {
    const DtNode& n = b.node(s);
    std::vector<std::string> clocks;
    for (size_t i = 0; i < n.clocks.size(); ++i) {
      std::string c = b.node(n.clocks[i].node).path;
      for (uint32_t a : n.clocks[i].args) c += " " + std::to_string(a);
      clocks.push_back(c + " " + n.clock_names.at(i));
    }
    out.emplace_back(n.path, n.device_name, clocks, b.node(n.power_domains.at(0).node).path);
  }
  return out;
}

std::map<std::string, std::vector<std::string>> Masters(const Board& b) {
  std::map<std::string, std::vector<std::string>> out;
  for (int m : b.masters) {
    const DtNode& n = b.node(m);
    std::vector<std::string>& iommus = out[n.device_name + " " + n.path];
    for (const PhandleRef& r : n.iommus) iommus.push_back(b.node(r.node).path);
    iommus.push_back("pd " + b.node(n.power_domains.at(0).node).path);
  }
  return out;
}

std::set<std::string> PowerDomains(const Board& b) {
  std::set<std::string> out;
  for (const DtNode& n : b.nodes) {
    for (const PhandleRef& r : n.power_domains) out.insert(b.node(r.node).path);
  }
  return out;
}

std::vector<std::string> DeviceNames(const Board& b) {
  std::vector<std::string> out;
  for (int d : b.devices) out.push_back(b.node(d).device_name);
  return out;
}

// Per device: its interrupt count and (property, supplier node path, optional) of every link.
std::map<std::string, std::set<std::string>> SupplierSets(const Board& b) {
  std::map<std::string, std::set<std::string>> out;
  for (int d : b.devices) {
    const DtNode& n = b.node(d);
    std::set<std::string>& s = out[n.path];
    s.insert("irqs " + std::to_string(n.num_interrupts));
    for (const SupplierRef& r : n.suppliers) {
      s.insert(r.property + " " + b.node(r.node).path + (r.optional ? " optional" : ""));
    }
  }
  return out;
}

TEST_F(EmbeddedTm2eTest, SameSysmmus) {
  ASSERT_EQ(embedded_.sysmmus.size(), 12u);
  EXPECT_EQ(Sysmmus(embedded_), Sysmmus(real_));
}

TEST_F(EmbeddedTm2eTest, SameMastersWithTheSameOrderedIommus) {
  ASSERT_EQ(embedded_.masters.size(), 9u);
  EXPECT_EQ(Masters(embedded_), Masters(real_));
}

TEST_F(EmbeddedTm2eTest, SamePowerDomains) {
  EXPECT_EQ(PowerDomains(embedded_).size(), 11u);
  EXPECT_EQ(PowerDomains(embedded_), PowerDomains(real_));
}

TEST_F(EmbeddedTm2eTest, SameDevices) {
  EXPECT_EQ(embedded_.devices.size(), 127u);
  EXPECT_EQ(DeviceNames(embedded_), DeviceNames(real_));
}

TEST_F(EmbeddedTm2eTest, SameSupplierNodesPerDevice) {
  const auto embedded = SupplierSets(embedded_);
  const auto real = SupplierSets(real_);
  ASSERT_EQ(embedded.size(), real.size());
  for (const auto& [path, suppliers] : real) {
    ASSERT_TRUE(embedded.contains(path)) << path;
    EXPECT_EQ(embedded.at(path), suppliers) << path;
  }
}

// fw_devlink links to the nearest node with a `compatible` at or above a reference, so the stubs
// need the real compatibles too (the PMICs under the i2c buses, for instance).
TEST_F(EmbeddedTm2eTest, EveryNodeHasTheRealCompatibleAndStatus) {
  for (const DtNode& n : embedded_.nodes) {
    const int r = real_.FindPath(n.path);
    ASSERT_NE(r, kNoNode) << n.path;
    EXPECT_EQ(n.compatible, real_.node(r).compatible) << n.path;
    EXPECT_EQ(n.status_okay, real_.node(r).status_okay) << n.path;
  }
}

TEST_F(EmbeddedTm2eTest, BoardIdentity) {
  EXPECT_EQ(embedded_.name, "embedded:tm2e");
  EXPECT_EQ(embedded_.model, real_.model);
  EXPECT_EQ(embedded_.root_compatible, real_.root_compatible);
  absl::StatusOr<std::vector<uint8_t>> a = EmbeddedTm2eDtb();
  absl::StatusOr<std::vector<uint8_t>> b = EmbeddedTm2eDtb();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
}

}  // namespace
}  // namespace probestorm::hwmodel
