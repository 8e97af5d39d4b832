// Test helpers for hwmodel/hw: a small hand-built Board, a runner that executes a body in one task
// of a ControlledEngine, and a kernel-shaped page-table writer (exynos-iommu.c mk_lv1ent_* /
// mk_lv2ent_* with LV1_PROT/LV2_PROT per version) and __sysmmu_enable sequence.
//
// Only included by *_test.cc / *_benchmark.cc. Thread-safety: single-threaded test code.
#ifndef PROBESTORM_HWMODEL_HW_HW_TEST_UTIL_H_
#define PROBESTORM_HWMODEL_HW_HW_TEST_UTIL_H_

#include <cstdint>
#include <string_view>
#include <tuple>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "harness/controlled_engine.h"
#include "harness/sched/random_scheduler.h"
#include "hwmodel/dt/board.h"
#include "hwmodel/hw/hardware.h"

namespace probestorm::hwmodel::testing {

// Node indices of TestBoard().
inline constexpr int kRoot = 0;
inline constexpr int kCmu = 1;       // clock-controller@13b90000
inline constexpr int kPd = 2;        // power-domain@105c4000
inline constexpr int kSysmmu0 = 3;   // 13a00000.sysmmu (aclk, pclk, pd)
inline constexpr int kSysmmu1 = 4;   // 13a10000.sysmmu (aclk, pclk, pd)
inline constexpr int kDecon = 5;     // 13800000.decon, iommus = <&sysmmu0>, <&sysmmu1>
inline constexpr int kSysmmu2 = 6;   // 13c80000.sysmmu ("sysmmu" clock only, no pd)
inline constexpr int kGsc = 7;       // 13c00000.gsc, iommus = <&sysmmu2>
inline constexpr int kPlain = 8;     // 14000000.uart, not a master

inline Board TestBoard() {
  Board b;
  b.name = "test:hw";
  auto add = [&](std::string path, std::string name, int parent) -> DtNode& {
    DtNode n;
    n.index = static_cast<int>(b.nodes.size());
    n.parent = parent;
    n.path = std::move(path);
    n.name = std::move(name);
    if (parent >= 0) b.nodes[static_cast<size_t>(parent)].children.push_back(n.index);
    b.nodes.push_back(std::move(n));
    return b.nodes.back();
  };
  add("/", "", kNoNode);
  add("/soc/clock-controller@13b90000", "clock-controller@13b90000", kRoot);
  add("/soc/power-domain@105c4000", "power-domain@105c4000", kRoot);
  for (auto [idx, addr, aclk] : {std::tuple{kSysmmu0, "13a00000", 10u}, std::tuple{kSysmmu1, "13a10000", 12u}}) {
    DtNode& n = add(std::string("/soc/sysmmu@") + addr, std::string("sysmmu@") + addr, kRoot);
    (void)idx;
    n.compatible = {"samsung,exynos-sysmmu"};
    n.clock_names = {"aclk", "pclk"};
    n.clocks = {{kCmu, {aclk}}, {kCmu, {aclk + 1}}};
    n.power_domains = {{kPd, {}}};
    n.is_device = true;
    n.device_name = std::string(addr) + ".sysmmu";
  }
  {
    DtNode& n = add("/soc/decon@13800000", "decon@13800000", kRoot);
    n.iommus = {{kSysmmu0, {}}, {kSysmmu1, {}}};
    n.clock_names = {"aclk"};
    n.clocks = {{kCmu, {10}}};  // shares the SysMMU's aclk gate
    n.is_device = true;
    n.device_name = "13800000.decon";
  }
  {
    DtNode& n = add("/soc/sysmmu@13c80000", "sysmmu@13c80000", kRoot);
    n.compatible = {"samsung,exynos-sysmmu"};
    n.clock_names = {"sysmmu"};
    n.clocks = {{kCmu, {20}}};
    n.is_device = true;
    n.device_name = "13c80000.sysmmu";
  }
  {
    DtNode& n = add("/soc/gsc@13c00000", "gsc@13c00000", kRoot);
    n.iommus = {{kSysmmu2, {}}};
    n.is_device = true;
    n.device_name = "13c00000.gsc";
  }
  {
    DtNode& n = add("/soc/serial@14000000", "serial@14000000", kRoot);
    n.is_device = true;
    n.device_name = "14000000.serial";
  }
  for (const DtNode& n : b.nodes) {
    if (n.is_device) b.devices.push_back(n.index);
  }
  b.sysmmus = {kSysmmu0, kSysmmu1, kSysmmu2};
  b.masters = {kDecon, kGsc};
  return b;
}

// Runs `body` as task "test" on a fresh ControlledEngine with a fresh Hardware built from
// TestBoard(). Findings do not stop the run unless stop_on_violation.
struct HwRun {
  harness::RunResult result;
  std::vector<harness::Finding> Of(std::string_view id) const {
    std::vector<harness::Finding> out;
    for (const auto& f : result.findings) {
      if (f.invariant == id) out.push_back(f);
    }
    return out;
  }
};

inline HwRun RunHw(HardwareOptions options, const std::function<void(Hardware&)>& body,
                   uint64_t seed = 1, bool stop_on_violation = false) {
  static const Board board = TestBoard();
  harness::RandomScheduler s;
  harness::EngineOptions o;
  o.seed = seed;
  o.stop_on_violation = stop_on_violation;
  harness::ControlledEngine e(o, &s);
  harness::Engine::Scope scope(e);
  Hardware hw(board, options);
  e.Spawn("test", [&] { body(hw); });
  HwRun r;
  r.result = e.Run();
  return r;
}

inline HardwareOptions Version(int v) {
  HardwareOptions o;
  o.sysmmu_version = v;
  return o;
}

// A VM-capable v7 (the v7 VM register layout).
inline HardwareOptions V7Vm() {
  HardwareOptions o = Version(7);
  o.sysmmu_vm = true;
  return o;
}

// Page tables written like exynos-iommu.c does. prot: 0 none, 1 R, 2 W, 3 RW (IOMMU_READ=1,
// IOMMU_WRITE=2).
class PageTables {
 public:
  PageTables(PhysMemory& mem, int version) : mem_(mem), version_(version) {
    lv1_ = mem_.AllocPages(2, "pgtable:lv1 test");
  }
  PhysAddr lv1() const { return lv1_; }
  int shift() const { return version_ >= 5 ? 4 : 0; }
  uint32_t Enc(PhysAddr pa) const { return static_cast<uint32_t>(pa >> shift()); }
  uint32_t Lv1Prot(int prot) const {
    static constexpr uint32_t kV1[] = {0, (1u << 15) | (1u << 10), 1u << 10, 1u << 10};
    return version_ >= 5 ? static_cast<uint32_t>(prot) << 4 : kV1[prot];
  }
  uint32_t Lv2Prot(int prot) const {
    static constexpr uint32_t kV1[] = {0, (1u << 9) | (1u << 4), 1u << 4, 1u << 4};
    return version_ >= 5 ? static_cast<uint32_t>(prot) << 2 : kV1[prot];
  }
  PhysAddr Lv1Slot(Iova iova) const { return lv1_ + (iova >> 20) * 4; }
  void SetLv1(Iova iova, uint32_t entry) { mem_.Write32(Lv1Slot(iova), entry); }
  void MapSection(Iova iova, PhysAddr pa, int prot = 3) {
    SetLv1(iova, Enc(pa) | Lv1Prot(prot) | 2);
  }
  // A fresh lv2 table (one page, zeroed = all fault), linked at iova's lv1 slot.
  PhysAddr Link(Iova iova, std::string owner = "lv2table") {
    const PhysAddr t = mem_.AllocPages(0, std::move(owner));
    SetLv1(iova, Enc(t) | 1);
    return t;
  }
  PhysAddr Lv2For(Iova iova) {
    const uint32_t e = mem_.Read32(Lv1Slot(iova));
    if ((e & 3) == 1) return PhysAddr{e & 0xFFFFFFC0u} << shift();
    return Link(iova);
  }
  void MapSmall(Iova iova, PhysAddr pa, int prot = 3) {
    mem_.Write32(Lv2For(iova) + ((iova >> 12) & 0xFF) * 4, Enc(pa) | Lv2Prot(prot) | 2);
  }
  void MapLarge(Iova iova, PhysAddr pa, int prot = 3) {
    const PhysAddr t = Lv2For(iova);
    for (uint32_t i = 0; i < 16; ++i) {
      mem_.Write32(t + (((iova >> 12) & 0xF0) + i) * 4, Enc(pa) | Lv2Prot(prot) | 1);
    }
  }
  void UnmapSmall(Iova iova) { mem_.Write32(Lv2For(iova) + ((iova >> 12) & 0xFF) * 4, 0); }

 private:
  PhysMemory& mem_;
  int version_;
  PhysAddr lv1_;
};

inline void ClocksOn(Hardware& hw, int node) {
  for (auto& c : hw.NodeClocks(node)) c.gate->prepare_enable();
}
inline void ClocksOff(Hardware& hw, int node) {
  for (auto& c : hw.NodeClocks(node)) c.gate->disable_unprepare();
}

// __sysmmu_enable(): clocks on; BLOCK (polled), CFG, PT_BASE, FLUSH_ALL, VM instance 0 on a
// v7 whose CAPA1 has VCR (unless enable_vid is false), ENABLE.
inline void EnableSysmmu(Hardware& hw, int node, PhysAddr pgtable, bool enable_vid = true) {
  namespace r = sysmmu_reg;
  SysmmuBlock* b = hw.sysmmu(node);
  ClocksOn(hw, node);
  b->writel(r::kMmuCtrl, r::kCtrlBlock);
  for (int i = 0; i < 120 && !(b->readl(r::kMmuStatus) & r::kStatusBlocked); ++i) {
  }
  uint32_t cfg = b->version() <= 1 ? (r::kCfgLru | r::CfgQos(15))
                                   : (r::CfgQos(15) | r::kCfgFlpdCache | r::kCfgAcGen);
  cfg |= r::kCfgEap;
  b->writel(r::kMmuCfg, cfg);
  const uint32_t pt = b->version() >= 5 ? static_cast<uint32_t>(pgtable >> 12)
                                        : static_cast<uint32_t>(pgtable);
  b->writel(b->variant().pt_base, pt);
  b->writel(b->variant().flush_all, 1);
  if (enable_vid && b->version() >= 7 && (b->readl(r::kV7Capa0) & r::kCapa0Capa1Exist) &&
      (b->readl(r::kV7Capa1) & r::kCapa1VcrEnabled)) {
    b->writel(r::kV7CtrlVm, b->readl(r::kV7CtrlVm) | r::kCtrlVmEnable | r::kCtrlVmFaultModeStall);
  }
  b->writel(r::kMmuCtrl, r::kCtrlEnable);
}

}  // namespace probestorm::hwmodel::testing

#endif  // PROBESTORM_HWMODEL_HW_HW_TEST_UTIL_H_
