// Unit and scenario tests of the exynos-iommu model (driver/iommu/exynos_iommu.cc): the probe step
// order per knob (exynos_register_last), exynos_iommu_init order (v6.1 vs fixed), of_xlate
// idempotence, domain_alloc's BUG_ON and zero-table checks, attach programming the hardware only
// for a runtime-active SysMMU. Orders are read from the kept trace of whole boots of small
// synthetic boards; function paths are driven directly from tasks.
#include <string>
#include <vector>

#include "driver/base/pm_runtime.h"
#include "driver/iommu/iommu_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/trace/trace.h"
#include "hwmodel/hw/sysmmu_block.h"

namespace probestorm::kernel {
namespace {

using harness::InvariantId;
using iommu_testing::Boot;
using iommu_testing::Count;
using iommu_testing::GetBoard;
using iommu_testing::IommuWorld;
using iommu_testing::Only;
using iommu_testing::P;
using ::testing::HasSubstr;

const hwmodel::Board& OneMaster() { return GetBoard("sysmmus=1,masters=1,per_master=1"); }

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
  }, Only({InvariantId::kControllersList, InvariantId::kXlateUninitController}));
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
  ASSERT_EQ(Count(r, InvariantId::kDomainAllocUninit), 1);
  EXPECT_THAT(r.findings[0].message, HasSubstr("BUG_ON(PG_ENT_SHIFT < 0 || !dma_dev) (PG_ENT_SHIFT=-1"));
  EXPECT_EQ(d, reinterpret_cast<IommuDomain*>(1));  // never returned: the task died
}

TEST(ExynosDomainAlloc, BugOnWithoutDmaDev) {
  IommuDomain* d = nullptr;
  auto r = DomainAlloc(4, false, true, &d);
  ASSERT_EQ(Count(r, InvariantId::kDomainAllocUninit), 1);
  EXPECT_THAT(r.findings[0].message, HasSubstr("dma_dev=NULL"));
}

TEST(ExynosDomainAlloc, NullZeroTableIsReported) {
  IommuDomain* d = nullptr;
  auto r = DomainAlloc(4, true, false, &d);
  ASSERT_EQ(Count(r, InvariantId::kDomainAllocUninit), 1);
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
  }, Only({InvariantId::kXlateUninitController, InvariantId::kSysmmuFault}));
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
