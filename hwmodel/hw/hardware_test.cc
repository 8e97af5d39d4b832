#include "hwmodel/hw/hardware.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hwmodel/dt/board.h"
#include "hwmodel/hw/hw_test_util.h"

namespace probestorm::hwmodel {
namespace {

using ::testing::HasSubstr;
using testing::kCmu;
using testing::kDecon;
using testing::kGsc;
using testing::kPd;
using testing::kPlain;
using testing::kSysmmu0;
using testing::kSysmmu1;
using testing::kSysmmu2;
using testing::RunHw;
using testing::Version;

TEST(Hardware, BuildsBlocksGatesDomainsAndEnginesFromTheBoard) {
  RunHw(Version(3), [](Hardware& hw) {
    for (int s : {kSysmmu0, kSysmmu1, kSysmmu2}) ASSERT_NE(hw.sysmmu(s), nullptr);
    EXPECT_EQ(hw.sysmmu(kDecon), nullptr);
    EXPECT_EQ(hw.sysmmu(kPlain), nullptr);
    EXPECT_EQ(hw.sysmmu(-1), nullptr);
    EXPECT_EQ(hw.sysmmu(1000), nullptr);
    EXPECT_EQ(hw.sysmmu(kSysmmu0)->device_name(), "13a00000.sysmmu");
    EXPECT_EQ(hw.sysmmu(kSysmmu0)->version(), 3);
    // One gate per specifier, shared between consumers (decon and sysmmu0 both use <&cmu 10>).
    EXPECT_EQ(hw.clock(kCmu, {10}), hw.NodeClocks(kSysmmu0)[0].gate);
    EXPECT_EQ(hw.NodeClocks(kDecon)[0].gate, hw.NodeClocks(kSysmmu0)[0].gate);
    EXPECT_NE(hw.clock(kCmu, {10}), hw.clock(kCmu, {11}));
    EXPECT_EQ(hw.clock(kCmu, {10})->name(), "clock-controller@13b90000:10");
    EXPECT_EQ(hw.NodeClocks(kSysmmu0)[1].con_id, "pclk");
    EXPECT_FALSE(hw.clock(kCmu, {10})->enabled());
    EXPECT_EQ(hw.power_domain(kPd), hw.NodePowerDomain(kSysmmu0));
    EXPECT_EQ(hw.NodePowerDomain(kSysmmu2), nullptr);
    EXPECT_EQ(hw.power_domain(kPd)->name(), "power-domain@105c4000");
    EXPECT_TRUE(hw.power_domain(kPd)->on());
    EXPECT_EQ(hw.power_domain(kNoNode), nullptr);
    ASSERT_NE(hw.dma_engine(kDecon), nullptr);
    EXPECT_EQ(hw.dma_engine(kDecon)->name(), "13800000.decon");
    EXPECT_EQ(hw.dma_engine(kDecon)->sysmmus().size(), 2u);
    EXPECT_EQ(hw.dma_engine(kGsc)->sysmmus().size(), 1u);
    EXPECT_EQ(hw.dma_engine(kPlain), nullptr);
    // A specifier no node uses is created on demand, once.
    ClockGate* extra = hw.clock(kCmu, {99, 1});
    EXPECT_EQ(hw.clock(kCmu, {99, 1}), extra);
    EXPECT_EQ(extra->name(), "clock-controller@13b90000:99,1");
  });
}

TEST(Hardware, ValidateOptions) {
  EXPECT_TRUE(ValidateHardwareOptions({}).ok());
  for (int v : {1, 3, 5, 7}) EXPECT_TRUE(ValidateHardwareOptions(Version(v)).ok()) << v;
  EXPECT_TRUE(ValidateHardwareOptions(Version(0)).ok());  // 0: the board's, else 5
  for (int v : {-1, 2, 4, 6, 8}) {
    const absl::Status s = ValidateHardwareOptions(Version(v));
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << v;
    EXPECT_THAT(std::string(s.message()), HasSubstr("sysmmu_version"));
  }
  HardwareOptions o;
  o.block_polls_min = 0;
  EXPECT_FALSE(ValidateHardwareOptions(o).ok());
  o = Version(1);
  o.ram_base = 0x8'0000'0000;  // v1 cannot address 36-bit memory
  EXPECT_FALSE(ValidateHardwareOptions(o).ok());
}

TEST(ClockGate, RefcountedWithFloorAtZero) {
  RunHw(Version(5), [](Hardware& hw) {
    ClockGate* c = hw.clock(kCmu, {10});
    EXPECT_EQ(c->prepare_enable(), 0);
    EXPECT_EQ(c->prepare_enable(), 0);
    c->disable_unprepare();
    EXPECT_TRUE(c->enabled());
    c->disable_unprepare();
    EXPECT_FALSE(c->enabled());
    EXPECT_EQ(c->unbalanced_disables(), 0u);
    c->disable_unprepare();  // "already disabled": floor at 0, counted
    EXPECT_EQ(c->enable_count(), 0);
    EXPECT_EQ(c->unbalanced_disables(), 1u);
    c->enable();
    EXPECT_TRUE(c->enabled());
  });
}

TEST(PowerDomain, BootReferenceAndRefcount) {
  RunHw(Version(5), [](Hardware& hw) {
    PowerDomain* pd = hw.power_domain(kPd);
    EXPECT_TRUE(pd->on());
    EXPECT_EQ(pd->refcount(), 1);
    pd->Get();
    pd->ReleaseBootReference();
    pd->ReleaseBootReference();  // once only
    EXPECT_TRUE(pd->on());
    EXPECT_EQ(pd->power_off_count(), 0u);
    pd->Put();
    EXPECT_FALSE(pd->on());
    EXPECT_EQ(pd->power_off_count(), 1u);
    pd->Put();
    EXPECT_EQ(pd->unbalanced_puts(), 1u);
    EXPECT_EQ(pd->refcount(), 0);
    pd->Get();
    EXPECT_TRUE(pd->on());
    EXPECT_EQ(pd->power_off_count(), 1u);
  });
}

TEST(PowerDomain, ConcurrentGetPutStaysBalanced) {
  // Two runtime-PM users of one domain on many schedules: the count never loses an update.
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    int final_count = -1;
    auto run = RunHw(Version(5), [&](Hardware& hw) {
      PowerDomain* pd = hw.power_domain(kPd);
      auto user = [pd] {
        for (int i = 0; i < 3; ++i) {
          pd->Get();
          harness::Yield();
          pd->Put();
        }
      };
      const harness::TaskId a = harness::Spawn("rpm-a", user);
      const harness::TaskId b = harness::Spawn("rpm-b", user);
      harness::Current().Join(a);
      harness::Current().Join(b);
      final_count = pd->refcount();
    }, seed);
    EXPECT_TRUE(run.result.findings.empty()) << seed;
    EXPECT_EQ(final_count, 1) << seed;  // the boot reference
  }
}

TEST(Hardware, Tm2eBoardEverySysmmuEnablesAndEveryMasterTranslates) {
  absl::StatusOr<Board> board = LoadEmbeddedBoard("embedded:tm2e");
  ASSERT_TRUE(board.ok()) << board.status();
  ASSERT_FALSE(board->sysmmus.empty());
  ASSERT_FALSE(board->masters.empty());
  harness::RandomScheduler s;
  harness::EngineOptions o;
  o.stop_on_violation = false;
  harness::ControlledEngine e(o, &s);
  harness::Engine::Scope scope(e);
  Hardware hw(*board, Version(5));
  int translated = 0;
  e.Spawn("test", [&] {
    PhysMemory& m = hw.memory();
    testing::PageTables pt(m, 5);
    const PhysAddr buf = m.AllocPages(0, "dma-buf");
    pt.MapSmall(0x1000'0000, buf);
    pt.MapSmall(0x1010'0000, buf);  // the second MiB, for masters with two SysMMUs
    for (int sm : board->sysmmus) {
      SysmmuBlock* b = hw.sysmmu(sm);
      ASSERT_NE(b, nullptr) << board->node(sm).path;
      EXPECT_EQ(b->device_name(), board->node(sm).device_name);
      EXPECT_FALSE(hw.NodeClocks(sm).empty()) << board->node(sm).path;
      testing::EnableSysmmu(hw, sm, pt.lv1());
      EXPECT_TRUE(b->enabled()) << b->device_name();
    }
    for (int master : board->masters) {
      DmaEngine* d = hw.dma_engine(master);
      ASSERT_NE(d, nullptr) << board->node(master).path;
      EXPECT_EQ(d->sysmmus().size(), board->node(master).iommus.size()) << d->name();
      for (Iova a : {0x1000'0000u, 0x1010'0000u}) translated += d->Access(a, true, buf, "tm2e").ok;
    }
  });
  const harness::RunResult r = e.Run();
  for (const auto& f : r.findings) ADD_FAILURE() << f.invariant << ": " << f.message;
  EXPECT_EQ(translated, 2 * static_cast<int>(board->masters.size()));
}

}  // namespace
}  // namespace probestorm::hwmodel
