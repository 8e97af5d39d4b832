// Unit and scenario tests of the exynos-iommu model (driver/iommu/exynos_iommu.cc): the probe step
// order per knob (exynos_register_last), exynos_iommu_init order (v6.1 vs fixed), of_xlate
// idempotence, domain_alloc's BUG_ON and zero-table checks, attach programming the hardware only
// for a runtime-active SysMMU. Orders are read from the kept trace of whole boots of small
// synthetic boards; function paths are driven directly from tasks.
#include <string>
#include <vector>

#include "driver/base/pm_runtime.h"
#include "driver/invariants/controllers_list.h"
#include "driver/invariants/domain_alloc_uninit.h"
#include "driver/invariants/xlate_uninit_controller.h"
#include "driver/iommu/iommu_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/trace/trace.h"
#include "harness/sched/pct_scheduler.h"
#include "harness/sched/strategy.h"
#include "hwmodel/hw/sysmmu_block.h"
#include "hwmodel/invariants/gated_register_access.h"
#include "hwmodel/invariants/sysmmu_fault.h"

namespace probestorm::kernel {
namespace {

using iommu_testing::Boot;
using iommu_testing::Count;
using iommu_testing::GetBoard;
using iommu_testing::IommuWorld;
using iommu_testing::OneMaster;
using iommu_testing::Only;
using iommu_testing::P;
using ::testing::HasSubstr;


// Index of the first trace event of `device` with `func` whose detail starts with `detail`
// (followed by the end or ':'), or -1.
int IndexOf(const std::vector<harness::TraceEvent>& t, const std::string& device, const std::string& func,
            const std::string& detail, bool prefix = false) {
  for (size_t i = 0; i < t.size(); ++i) {
    const auto& e = t[i];
    if (!device.empty() && e.device != device) continue;
    if (e.func != func || e.detail.rfind(detail, 0) != 0) continue;
    if (prefix || e.detail.size() == detail.size() || e.detail[detail.size()] == ':' || detail.empty()) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

std::string SysmmuName() { return OneMaster().node(OneMaster().sysmmus[0]).device_name; }

TEST(ExynosProbe, RegisterFirstListsInstanceBeforeDrvdata) {
  ModelRun r = Boot(OneMaster(), P("v6.1", {"exynos_register_last=false"}), 1, harness::InvariantSet::None(), true);
  const std::string s = SysmmuName();
  const int reg = IndexOf(r.trace, s, "iommu_device_register", "added to iommu_device_list");
  const int drvdata = IndexOf(r.trace, s, "exynos_sysmmu_probe", "platform_set_drvdata");
  const int sysfs = IndexOf(r.trace, s, "exynos_sysmmu_probe", "iommu_device_sysfs_add");
  ASSERT_GE(reg, 0);
  ASSERT_GE(drvdata, 0);
  EXPECT_LT(sysfs, reg);
  EXPECT_LT(reg, drvdata);
  EXPECT_GE(IndexOf(r.trace, s, "exynos_sysmmu_probe", "iommu_device_register"), 0);  // P5
  EXPECT_EQ(IndexOf(r.trace, s, "exynos_sysmmu_probe", "iommu_device_register (last)"), -1);
}

TEST(ExynosProbe, RegisterLastFollowsDrvdataPgEntShiftDmaDevAndRuntimePm) {
  ModelRun r = Boot(OneMaster(), P("v6.1", {"exynos_register_last=true"}), 1, harness::InvariantSet::None(), true);
  const std::string s = SysmmuName();
  const int reg = IndexOf(r.trace, s, "iommu_device_register", "added to iommu_device_list");
  ASSERT_GE(reg, 0);
  for (const char* step : {"platform_set_drvdata", "PG_ENT_SHIFT", "dma_dev", "pm_runtime_enable",
                           "iommu_device_register (last)"}) {
    const int i = IndexOf(r.trace, s, "exynos_sysmmu_probe", step);
    ASSERT_GE(i, 0) << step;
    EXPECT_LT(i, reg) << step;
  }
}

// exynos_iommu_init: v6.1 registers the platform driver (probing every SysMMU of a module load)
// before zero_lv2_table exists; the fixed order allocates it first.
int ZeroTableVsFirstProbe(const std::string& order, int* first_probe) {
  ModelRun r = Boot(OneMaster(),
                    P("v6.1-modular", {"exynos_init_order=" + order, "exynos_load_time=fixed:5s"}), 1,
                    harness::InvariantSet::None(), true);
  *first_probe = IndexOf(r.trace, SysmmuName(), "exynos_sysmmu_probe", "devm_kzalloc");
  return IndexOf(r.trace, "", "exynos_iommu_init", "zero_lv2_table = 0x", true);
}

TEST(ExynosInit, V61OrderProbesBeforeZeroTable) {
  int probe = -1;
  const int zero = ZeroTableVsFirstProbe("v6.1", &probe);
  ASSERT_GE(zero, 0);
  ASSERT_GE(probe, 0);
  EXPECT_LT(probe, zero);
}

TEST(ExynosInit, FixedOrderAllocatesZeroTableBeforeProbe) {
  int probe = -1;
  const int zero = ZeroTableVsFirstProbe("fixed", &probe);
  ASSERT_GE(zero, 0);
  ASSERT_GE(probe, 0);
  EXPECT_LT(zero, probe);
}

// Runs a boot of `board` with `knobs` and then `body` in a task at virtual time `at`.
template <typename F>
harness::RunResult AfterBoot(const hwmodel::Board& board, const Knobs& knobs, F body,
                             harness::InvariantSet inv = harness::InvariantSet::All(),
                             harness::Nanos at = 60 * harness::kSec) {
  IommuWorld w(board, knobs, 1, inv);
  StartBoot(w.k());
  w.Spawn("test", [&] {
    harness::Current().Sleep(at);
    body(w.k(), w.hw());
  });
  return w.Run();
}

std::vector<sysmmu_drvdata*> ControllersOf(Device* m) {
  std::vector<sysmmu_drvdata*> out;
  auto* owner = static_cast<exynos_iommu_owner*>(dev_iommu_priv_get(m));
  if (owner == nullptr) return out;
  for (void* o : owner->controllers.Owners()) out.push_back(static_cast<sysmmu_drvdata*>(o));
  return out;
}

// of_xlate is called again on every deferral retry: the same SysMMU is not added twice.
TEST(ExynosXlate, OfXlateIsIdempotentAcrossRetries) {
  const hwmodel::Board& b = GetBoard("sysmmus=2,masters=1,per_master=2");
  Knobs knobs = P("v6.1-modular+initfix", {"exynos_load_time=fixed:5s"}).knobs;
  size_t before = 0, after = 0;
  int ret = -1;
  bool deferred = false;  // the master ends up bound
  auto r = AfterBoot(b, knobs, [&](Kernel& k, hwmodel::Hardware&) {
    Device* m = k.DeviceForNode(b.masters[0]);
    deferred = m->bound.Peek();
    before = ControllersOf(m).size();
    ret = exynos_iommu_of_xlate(m, b.node(b.masters[0]).iommus[1]);
    after = ControllersOf(m).size();
  }, Only({invariants::kControllersList, invariants::kXlateUninitController}));
  EXPECT_TRUE(r.findings.empty()) << r.findings[0].message;
  EXPECT_TRUE(deferred);
  EXPECT_EQ(ret, 0);
  EXPECT_EQ(before, 2u);
  EXPECT_EQ(after, 2u);
}

// domain_alloc's BUG_ON(PG_ENT_SHIFT < 0 || !dma_dev) is an oops (domain-alloc-uninit).
harness::RunResult DomainAlloc(int shift, bool dma_dev, bool zero, IommuDomain** out) {
  Knobs knobs;
  IommuWorld w(OneMaster(), knobs, 1, harness::InvariantSet::All(), false);
  w.Spawn("t", [&] {
    Kernel& k = w.k();
    ExynosIommuState& s = exynos_state(k);
    if (shift >= 0) s.PG_ENT_SHIFT.Set(shift);
    if (dma_dev) s.dma_dev.Set(k.AddDevice(OneMaster().sysmmus[0]));
    if (zero) {
      s.lv2table_kmem_cache.Set(true);
      s.zero_lv2_table.Set(w.hw().memory().AllocPages(0, "zero"));
    }
    *out = reinterpret_cast<IommuDomain*>(1);
    *out = exynos_iommu_domain_alloc(k, IommuDomainType::kDma);
  });
  return w.Run();
}

TEST(ExynosDomainAlloc, BugOnWithoutPgEntShift) {
  IommuDomain* d = nullptr;
  auto r = DomainAlloc(-1, true, true, &d);
  ASSERT_EQ(Count(r, invariants::kDomainAllocUninit), 1);
  EXPECT_THAT(r.findings[0].message, HasSubstr("BUG_ON(PG_ENT_SHIFT < 0 || !dma_dev) (PG_ENT_SHIFT=-1"));
  EXPECT_EQ(d, reinterpret_cast<IommuDomain*>(1));  // never returned: the task died
}

TEST(ExynosDomainAlloc, BugOnWithoutDmaDev) {
  IommuDomain* d = nullptr;
  auto r = DomainAlloc(4, false, true, &d);
  ASSERT_EQ(Count(r, invariants::kDomainAllocUninit), 1);
  EXPECT_THAT(r.findings[0].message, HasSubstr("dma_dev=NULL"));
}

TEST(ExynosDomainAlloc, NullZeroTableIsReported) {
  IommuDomain* d = nullptr;
  auto r = DomainAlloc(4, true, false, &d);
  ASSERT_EQ(Count(r, invariants::kDomainAllocUninit), 1);
  EXPECT_THAT(r.findings[0].message, HasSubstr("lv2table_kmem_cache is NULL"));
  ASSERT_NE(d, nullptr);
  EXPECT_TRUE(static_cast<exynos_iommu_domain*>(d)->lv1_from_null_zero_table);
}

TEST(ExynosDomainAlloc, InitialisedIsSilentAndFillsZeroLinks) {
  IommuDomain* d = nullptr;
  auto r = DomainAlloc(4, true, true, &d);
  EXPECT_TRUE(r.findings.empty()) << r.findings[0].message;
  ASSERT_NE(d, nullptr);
  auto* ed = static_cast<exynos_iommu_domain*>(d);
  EXPECT_NE(ed->pgtable, 0u);
  EXPECT_FALSE(ed->lv1_from_null_zero_table);
  EXPECT_EQ(ed->aperture_end, 0xFFFFFFFFULL);
}

// attach_dev writes MMU_CTRL only for a runtime-active SysMMU; a suspended one is programmed on its
// next resume.
TEST(ExynosAttach, ProgramsHardwareOnlyWhenRuntimeActive) {
  const hwmodel::Board& b = OneMaster();
  Knobs knobs;
  bool suspended = false, enabled_after_attach = true, enabled_resumed = false;
  bool enabled_active_attach = false;
  uint64_t pt_resumed = 0, pt_active = 0;
  exynos_iommu_domain* d2 = nullptr;
  exynos_iommu_domain* d3 = nullptr;
  exynos_iommu_domain* data_domain = nullptr;
  auto r = AfterBoot(b, knobs, [&](Kernel& k, hwmodel::Hardware& hw) {
    Device* m = k.DeviceForNode(b.masters[0]);
    Device* s = k.DeviceForNode(b.sysmmus[0]);
    hwmodel::SysmmuBlock* blk = hw.sysmmu(b.sysmmus[0]);
    // Stop the master's traffic; once idle the master and (over the PM_RUNTIME link) its SysMMU
    // suspend.
    masters_state(k).by_node[static_cast<size_t>(m->of_node)]->stop.Store(true);
    harness::Current().Sleep(2 * harness::kSec);
    suspended = !pm_runtime_active(s) && !blk->enabled();
    d2 = static_cast<exynos_iommu_domain*>(exynos_iommu_domain_alloc(k, IommuDomainType::kDma));
    ASSERT_EQ(exynos_iommu_attach_device(d2, m), 0);
    enabled_after_attach = blk->enabled();
    data_domain = static_cast<sysmmu_drvdata*>(dev_get_drvdata(s))->domain.Get();
    pm_runtime_get_sync(m);
    enabled_resumed = blk->enabled();
    pt_resumed = blk->pt_base();
    d3 = static_cast<exynos_iommu_domain*>(exynos_iommu_domain_alloc(k, IommuDomainType::kDma));
    ASSERT_EQ(exynos_iommu_attach_device(d3, m), 0);
    enabled_active_attach = blk->enabled();
    pt_active = blk->pt_base();
    pm_runtime_put(m);
  }, Only({invariants::kXlateUninitController, hwmodel::invariants::kSysmmuFault}));
  EXPECT_TRUE(r.findings.empty()) << r.findings[0].message;
  EXPECT_TRUE(suspended);
  EXPECT_FALSE(enabled_after_attach);
  EXPECT_EQ(data_domain, d2);
  EXPECT_TRUE(enabled_resumed);
  ASSERT_NE(d2, nullptr);
  ASSERT_NE(d3, nullptr);
  EXPECT_EQ(pt_resumed, d2->pgtable);
  EXPECT_TRUE(enabled_active_attach);
  EXPECT_EQ(pt_active, d3->pgtable);
}

TEST(ExynosAttach, WithoutOwnerIsEnodev) {
  Knobs knobs;
  int ret = 0;
  IommuWorld w(OneMaster(), knobs, 1, harness::InvariantSet::All(), false);
  w.Spawn("t", [&] {
    Device* m = w.k().AddDevice(OneMaster().masters[0]);
    exynos_iommu_domain d(w.k(), "clients");
    ret = exynos_iommu_attach_device(&d, m);
  });
  auto r = w.Run();
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(ret, -ENODEV);
}

}  // namespace
}  // namespace probestorm::kernel
namespace probestorm::kernel {
namespace {
// Regression: exynos_iommu_iova_to_phys shifts the entry by PG_ENT_SHIFT before masking, as the
// kernel's spage_phys/lpage_phys/section_phys do (v5: bits 12..15 of the address survive).
TEST(Exynos, IovaToPhysV5) {
  const hwmodel::Board& b = OneMaster();
  Knobs knobs;
  uint64_t got = 0;
  auto r = AfterBoot(b, knobs, [&](Kernel& k, hwmodel::Hardware& hw) {
    auto* d = exynos_iommu_domain_alloc(k, IommuDomainType::kUnmanaged);
    d->ops = &exynos_state(k).exynos_iommu_domain_ops;
    d->pgsize_bitmap = exynos_state(k).exynos_iommu_ops.pgsize_bitmap;
    ASSERT_EQ(iommu_map(d, 0x100000, 0x20008000, 0x1000, IOMMU_READ | IOMMU_WRITE), 0);
    got = iommu_iova_to_phys(d, 0x100123);
    (void)hw;
  }, Only({}));
  EXPECT_EQ(got, 0x20008123u);
}
}  // namespace
}  // namespace probestorm::kernel

namespace probestorm::kernel {
namespace {

namespace reg = hwmodel::sysmmu_reg;
using iommu_testing::Name;

struct VersionCase {
  std::string version;  // the sysmmu_version knob
  bool vm;
  int major;
  const reg::Variant* variant;  // what v6.1 picks
};

// __sysmmu_get_version reads MMU_VERSION, then CAPA0/CAPA1 on v7, and picks v6.1's layout: v1
// for v1..v3, v5 for v5 and a v7 without VCR, the v7 VM layout with VCR. The VM instance is
// enabled (CTRL_VM = ENABLE | FAULT_MODE_STALL) before MMU_CTRL = ENABLE, and DMA through a v7 VM
// SysMMU lands where the driver mapped it.
TEST(ExynosVersion, VariantFromVersionAndCapaAndVmEnable) {
  const VersionCase cases[] = {{"1", false, 1, &reg::kV1Variant},
                               {"3", false, 3, &reg::kV1Variant},
                               {"5", false, 5, &reg::kV5Variant},
                               {"7", false, 7, &reg::kV5Variant},
                               {"7", true, 7, &reg::kV7VmVariant}};
  for (const VersionCase& c : cases) {
    SCOPED_TRACE(c.version + (c.vm ? " vm" : ""));
    Profile p = P("v6.1", {"sysmmu_version=" + c.version, c.vm ? "sysmmu_vm=on" : "sysmmu_vm=off"});
    ModelRun r = Boot(OneMaster(), p, 1, harness::InvariantSet::All(), /*keep_trace=*/true);
    EXPECT_TRUE(r.result.findings.empty()) << r.result.findings[0].message;
    const std::string s = SysmmuName();
    const int vm_on = IndexOf(r.trace, s, "writel", "CTRL_VM = 0x9");
    const int enable = IndexOf(r.trace, s, "writel", "MMU_CTRL = 0x5");
    ASSERT_GE(enable, 0);
    if (c.vm) {
      ASSERT_GE(vm_on, 0);
      EXPECT_LT(vm_on, enable);
      EXPECT_GE(IndexOf(r.trace, s, "writel", "PT_BASE = ", /*prefix=*/true), 0);
    } else {
      EXPECT_EQ(vm_on, -1);
    }
  }
}

// The variant the driver stored, read back after a boot.
TEST(ExynosVersion, DrvdataVariantPerVersion) {
  const VersionCase cases[] = {{"1", false, 1, &reg::kV1Variant},
                               {"5", false, 5, &reg::kV5Variant},
                               {"7", false, 7, &reg::kV5Variant},
                               {"7", true, 7, &reg::kV7VmVariant}};
  for (const VersionCase& c : cases) {
    SCOPED_TRACE(c.version + (c.vm ? " vm" : ""));
    Knobs knobs = P("v6.1", {"sysmmu_version=" + c.version, c.vm ? "sysmmu_vm=on" : "sysmmu_vm=off"}).knobs;
    const reg::Variant* got = nullptr;
    int version = 0;
    bool has_vcr = !c.vm;
    auto r = AfterBoot(OneMaster(), knobs, [&](Kernel& k, hwmodel::Hardware&) {
      auto* data = static_cast<sysmmu_drvdata*>(dev_get_drvdata(k.DeviceForNode(OneMaster().sysmmus[0])));
      got = data->variant;
      version = data->version;
      has_vcr = data->has_vcr;
    }, Only({hwmodel::invariants::kSysmmuFault}));
    EXPECT_TRUE(r.findings.empty()) << r.findings[0].message;
    EXPECT_EQ(got, c.variant);
    EXPECT_EQ(version >> 7, c.major);
    EXPECT_EQ(has_vcr, c.vm);
  }
}

// The board's probestorm,sysmmu-version is the default; an explicit knob wins; sysmmu_vm needs v7.
TEST(ExynosVersion, BoardVersionIsTheDefaultAndTheKnobWins) {
  const hwmodel::Board& v7 = GetBoard("sysmmus=1,masters=1,per_master=1,version=7");
  auto major_of = [&](const Knobs& knobs) {
    int version = 0;
    auto r = AfterBoot(v7, knobs, [&](Kernel& k, hwmodel::Hardware&) {
      auto* data = static_cast<sysmmu_drvdata*>(dev_get_drvdata(k.DeviceForNode(v7.sysmmus[0])));
      version = data->version;
    }, Only({}));
    return version >> 7;
  };
  EXPECT_EQ(major_of(P("v6.1").knobs), 7);
  EXPECT_EQ(major_of(P("v6.1", {"sysmmu_version=5"}).knobs), 5);
  EXPECT_EQ(major_of(P("v6.1").knobs), 7);
  EXPECT_EQ(major_of(P("v6.1", {"sysmmu_version=board"}).knobs), 7);

  EXPECT_TRUE(CheckKnobsForBoard(P("v6.1", {"sysmmu_vm=on"}).knobs, v7).ok());
  absl::Status s = CheckKnobsForBoard(P("v6.1", {"sysmmu_vm=on", "sysmmu_version=5"}).knobs, v7);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("sysmmu_vm"));
  s = CheckKnobsForBoard(P("v6.1", {"sysmmu_vm=on"}).knobs, OneMaster());  // no property: 5
  EXPECT_THAT(std::string(s.message()), HasSubstr("the version is 5"));
  EXPECT_TRUE(CheckKnobsForBoard(P("v6.1").knobs, OneMaster()).ok());
}

TEST(ExynosFault, NamesPerVersionAsV61Decodes) {
  const int v1 = static_cast<int>(reg::MakeMmuVer(1, 0));
  const int v3 = static_cast<int>(reg::MakeMmuVer(3, 3));
  const int v5 = static_cast<int>(reg::MakeMmuVer(5, 0));
  const int v7 = static_cast<int>(reg::MakeMmuVer(7, 0));
  const char* v1_names[] = {"PAGE", "AR MULTI-HIT", "AW MULTI-HIT", "BUS ERROR",
                            "AR SECURITY PROTECTION", "AR ACCESS PROTECTION",
                            "AW SECURITY PROTECTION", "AW ACCESS PROTECTION"};
  for (int v : {v1, v3}) {
    for (int i = 0; i < 8; ++i) EXPECT_STREQ(exynos_sysmmu_fault_name(v, i), v1_names[i]) << i;
    EXPECT_EQ(exynos_sysmmu_fault_name(v, 8), nullptr);
  }
  const char* v5_names[] = {"PTW", "PAGE", "MULTI-HIT", "ACCESS PROTECTION", "SECURITY PROTECTION"};
  for (int v : {v5, v7}) {
    for (int i = 0; i < 5; ++i) {
      EXPECT_EQ(std::string(exynos_sysmmu_fault_name(v, i)), std::string("AR ") + v5_names[i]);
      EXPECT_EQ(std::string(exynos_sysmmu_fault_name(v, 16 + i)), std::string("AW ") + v5_names[i]);
    }
    EXPECT_EQ(exynos_sysmmu_fault_name(v, 5), nullptr);
    EXPECT_EQ(exynos_sysmmu_fault_name(v, 15), nullptr);
    EXPECT_EQ(exynos_sysmmu_fault_name(v, 21), nullptr);
  }
}

struct FaultCase {
  std::string version;
  bool vm;
  bool write;
  std::string name;     // what the oops must say
  std::string address;  // as the driver read it
};

// A multi-hit in a booted world: the master's domain maps a 4 KiB page, the device reads it (TLB),
// the page is cleared in memory without a flush (`flush` false; with `flush` the driver's
// iommu_unmap does it), a 1 MiB section is written over it, the device touches another address of
// the section and then the first page again. The IRQ handler decodes and names the fault.
harness::RunResult MultiHitInWorld(const FaultCase& c, bool flush) {
  const hwmodel::Board& b = OneMaster();
  Knobs knobs = P("v6.1", {"sysmmu_version=" + c.version, c.vm ? "sysmmu_vm=on" : "sysmmu_vm=off"}).knobs;
  return AfterBoot(b, knobs, [&](Kernel& k, hwmodel::Hardware& hw) {
    Device* m = k.DeviceForNode(b.masters[0]);
    masters_state(k).by_node[static_cast<size_t>(m->of_node)]->stop.Store(true);
    pm_runtime_get_sync(m);
    IommuDomain* d = iommu_get_domain_for_dev(m);
    ASSERT_NE(d, nullptr);
    auto* dom = static_cast<exynos_iommu_domain*>(d);
    constexpr uint64_t kIova = 0x7000'5000;
    for (uint64_t a = 0x7000'0000; a < 0x7010'0000; a += 0x1000) ASSERT_EQ(iommu_iova_to_phys(d, a), 0u);
    hwmodel::PhysMemory& mem = hw.memory();
    const uint64_t small = mem.AllocPages(0, "test small");
    const uint64_t section = mem.AllocPages(8, "test section");
    ASSERT_EQ(iommu_map(d, kIova, small, 0x1000, IOMMU_READ | IOMMU_WRITE), 0);
    hwmodel::SysmmuBlock* blk = hw.sysmmu(b.sysmmus[0]);
    ASSERT_EQ(blk->Translate(kIova, c.write).phys, small);
    const int shift = exynos_state(k).PG_ENT_SHIFT.Get();
    const uint64_t sent = dom->pgtable + (kIova >> 20) * 4;
    if (flush) {
      ASSERT_EQ(iommu_unmap(d, kIova, 0x1000), 0x1000u);
    } else {
      const uint32_t lv1 = mem.Read32(sent);
      mem.Write32((static_cast<uint64_t>(lv1 & 0xFFFFFFC0u) << shift) + ((kIova >> 12) & 0xFF) * 4, 0);
    }
    mem.Write32(sent, static_cast<uint32_t>(section >> shift) | exynos_state(k).LV1_PROT.Get()[3] | 2);
    // The FLPD cache (v3.3+) still holds the lv2 link; the driver would flush it for the
    // section's first page in exynos_iommu_map (sysmmu_tlb_invalidate_flpdcache). Do that by hand.
    blk->writel(reg::kMmuCtrl, reg::kCtrlBlock);
    while (!(blk->readl(reg::kMmuStatus) & reg::kStatusBlocked)) {
    }
    blk->writel(blk->variant().flush_entry, 0x7008'0000 | 1);
    blk->writel(reg::kMmuCtrl, reg::kCtrlEnable);
    blk->Translate(0x7008'0000, c.write);
    blk->Translate(kIova + 8, c.write);
    harness::Current().Sleep(harness::kSec);
    pm_runtime_put(m);
  }, Only({hwmodel::invariants::kSysmmuFault}));
}

TEST(ExynosFault, MultiHitIsDecodedByNamePerVersion) {
  const FaultCase cases[] = {
      {"1", false, false, "AR MULTI-HIT", "0x70005008"},
      {"3", false, true, "AW MULTI-HIT", "0x70005008"},
      {"5", false, false, "AR MULTI-HIT", "0x70005008"},
      {"5", false, true, "AW MULTI-HIT", "0x70005008"},
      {"7", false, true, "AW MULTI-HIT", "0x70005008"},
      // v6.1 reads 0x80 on every v5+ layout; the v7 VM layout latches at 0x1000 only.
      {"7", true, false, "AR MULTI-HIT", "0x0"},
  };
  for (const FaultCase& c : cases) {
    SCOPED_TRACE(c.version + (c.vm ? " vm " : " ") + c.name);
    harness::RunResult r = MultiHitInWorld(c, /*flush=*/false);
    ASSERT_FALSE(r.findings.empty());
    EXPECT_EQ(r.findings[0].invariant, Name(hwmodel::invariants::kSysmmuFault));
    EXPECT_THAT(r.findings[0].message, HasSubstr(c.name + " FAULT occurred at " + c.address));
    EXPECT_THAT(r.findings[0].message,
                HasSubstr("kernel BUG at drivers/iommu/exynos-iommu.c:510! exynos_sysmmu_irq: BUG_ON(ret != 0); "
                          "Kernel panic - not syncing: Oops - BUG: Fatal exception in interrupt"));
    EXPECT_EQ(r.ending, harness::Ending::kFinding);
  }
}

// v6.1's exynos_sysmmu_probe requests the IRQ before __sysmmu_get_version sets data->variant: an
// interrupt in between reads INT_STATUS through SYSMMU_REG(data, int_status), a load of
// variant->int_status from a NULL variant, so the oops is at 0x18 (not at the offset of `variant`
// inside sysmmu_drvdata), in hard-IRQ context: a panic.
TEST(ExynosFault, IrqBeforeVersionFaultsAtVariantIntStatus) {
  IommuWorld w(OneMaster(), Knobs{}, 1, Only({hwmodel::invariants::kSysmmuFault}), false);
  w.Spawn("irq/sysmmu", [&] {
    Device* dev = w.k().AddDevice(OneMaster().sysmmus[0]);
    exynos_sysmmu_irq(w.k().Alloc<sysmmu_drvdata>(dev));
  });
  harness::RunResult r = w.Run();
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_THAT(r.findings[0].message,
              HasSubstr("NULL pointer dereference at virtual address 0000000000000018; pc : exynos_sysmmu_irq; "));
  EXPECT_THAT(r.findings[0].message,
              HasSubstr("(data->variant->int_status); Kernel panic - not syncing: Oops: Fatal exception in interrupt"));
}

// The fault interrupt is not ordered against runtime suspend (v6.1, unchanged through v6.8): a
// master's DMA faults, and before exynos_sysmmu_irq runs the master idles and the SysMMU's
// exynos_sysmmu_suspend -> __sysmmu_disable clears data->active and gates the clocks. The handler
// then warns (WARN_ON(!data->active), exynos-iommu.c:481) and reads INT_STATUS from the gated
// block. PCT depth 3 on TM2E v6.1-modular reaches it within a few hundred seeds; the trace shows
// the suspend, then the warning, then the gated read.
TEST(ExynosFault, IrqAfterRuntimeSuspendReadsAGatedBlock) {
  harness::Finding found;
  for (uint64_t seed = 1; seed <= 1000 && found.message.empty(); ++seed) {
    harness::EngineOptions o;
    o.seed = seed;
    o.invariants = Only({hwmodel::invariants::kGatedRegisterAccess});
    o.race_detection = false;
    o.trace_tail = 400;
    harness::PctScheduler pct(3, harness::StrategySpec::kPctDefaultSteps);
    ModelRun r = RunControlled(iommu_testing::Tm2e(), P("v6.1-modular"), o, pct);
    for (const harness::Finding& f : r.result.findings) {
      if (f.message.find("readl of INT_STATUS") != std::string::npos) found = f;
    }
  }
  ASSERT_FALSE(found.message.empty()) << "no gated INT_STATUS read in seeds 1..1000";
  EXPECT_THAT(found.tasks, ::testing::Contains(::testing::StartsWith("irq/")));
  const std::string sysmmu = found.devices.at(0);
  // Indices in the trace tail of the suspend's disable, the handler's warning and the read.
  auto first = [&](const std::string& a, const std::string& b, size_t from) {
    for (size_t i = from; i < found.trace_tail.size(); ++i) {
      const std::string& l = found.trace_tail[i];
      if (l.find(a) != std::string::npos && l.find(b) != std::string::npos) return i;
    }
    return found.trace_tail.size();
  };
  const size_t disable = first(sysmmu, "writel: MMU_CTRL = 0x0", 0);
  const size_t warn = first(sysmmu, "exynos-iommu.c:481 exynos_sysmmu_irq: WARN_ON(!data->active)", disable);
  const size_t read = first(sysmmu, "readl of INT_STATUS", warn);
  EXPECT_LT(disable, found.trace_tail.size());
  EXPECT_LT(warn, found.trace_tail.size());
  EXPECT_LT(read, found.trace_tail.size());
}

TEST(ExynosFault, UnmapThroughTheDriverFlushesSoNoMultiHit) {
  for (const FaultCase& c : {FaultCase{"1", false, false, "", ""}, FaultCase{"5", false, true, "", ""},
                             FaultCase{"7", true, false, "", ""}}) {
    SCOPED_TRACE(c.version);
    harness::RunResult r = MultiHitInWorld(c, /*flush=*/true);
    EXPECT_TRUE(r.findings.empty()) << r.findings[0].message;
  }
}

}  // namespace
}  // namespace probestorm::kernel
