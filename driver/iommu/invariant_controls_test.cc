// Positive and negative controls of every invariant the IOMMU model owns, as whole boots
// (RunControlled, random strategy) of the embedded TM2E board or small synthetic boards over small
// seed ranges, plus a replayed finding whose kept trace shows the interleaving in kernel terms.
// Each positive control checks the finding's invariant id and message text; each negative control
// requires silence of that invariant over its seed range.
#include <map>
#include <set>

#include "absl/strings/str_split.h"
#include "driver/invariants/controllers_list.h"
#include "driver/invariants/dev_iommu_freed_in_use.h"
#include "driver/invariants/dma_ops_on_bound.h"
#include "driver/invariants/domain_alloc_uninit.h"
#include "driver/invariants/double_iommu_probe.h"
#include "driver/invariants/iommu_bypass.h"
#include "driver/invariants/late_iommu_probe.h"
#include "driver/invariants/xlate_uninit_controller.h"
#include "driver/iommu/iommu_test_util.h"
#include "harness/strings.h"
#include "hwmodel/invariants/sysmmu_fault.h"

namespace probestorm::kernel {
namespace {
using namespace iommu_testing;  // NOLINT: test helpers

using harness::InvariantId;

// Positive: first seed in [1, hi] reporting `id`, with message containing every `texts`.
void ExpectFires(const hwmodel::Board& b, const Profile& p, InvariantId id, uint64_t hi,
                 std::initializer_list<const char*> texts, harness::Severity sev = harness::Severity::kViolation) {
  harness::Finding f;
  const uint64_t seed = FirstSeed(b, p, id, 1, hi, &f);
  ASSERT_NE(seed, 0u) << Name(id) << " never fired on " << p.name << " over seeds 1.." << hi;
  EXPECT_EQ(f.invariant, Name(id));
  EXPECT_EQ(f.severity, sev);
  for (const char* t : texts) EXPECT_NE(f.message.find(t), std::string::npos) << f.message << " lacks " << t;
}

// The same, for an invariant with several manifestations: the message contains every text of at
// least one of `alternatives`.
void ExpectFiresAs(const hwmodel::Board& b, const Profile& p, InvariantId id, uint64_t hi,
                   std::initializer_list<std::initializer_list<const char*>> alternatives) {
  harness::Finding f;
  const uint64_t seed = FirstSeed(b, p, id, 1, hi, &f);
  ASSERT_NE(seed, 0u) << Name(id) << " never fired on " << p.name << " over seeds 1.." << hi;
  EXPECT_EQ(f.invariant, Name(id));
  EXPECT_EQ(f.severity, harness::Severity::kViolation);
  bool matched = false;
  for (const auto& texts : alternatives) {
    bool all = true;
    for (const char* t : texts) all = all && f.message.find(t) != std::string::npos;
    matched = matched || all;
  }
  EXPECT_TRUE(matched) << f.message << " matches none of the expected manifestations";
}

TEST(InvariantControls, XlateUninitControllerFiresOnV61Modular) {
  ExpectFires(Tm2e(), P("v6.1-modular"), invariants::kXlateUninitController, 50,
              {"exynos_iommu_of_xlate(", ".sysmmu at step iommu_device_register (drvdata not set)"});
}
TEST(InvariantControls, XlateUninitControllerSilentWithInitfix) {
  ExpectSilent(Tm2e(), P("v6.1-modular+initfix"), Only({invariants::kXlateUninitController}), 1, 50);
}

TEST(InvariantControls, DomainAllocUninitFiresOnV61Modular) {
  ExpectFires(Tm2e(), P("v6.1-modular"), invariants::kDomainAllocUninit, 50,
              {"exynos_iommu_domain_alloc by modprobe/exynos-iommu before exynos_iommu_init finished",
               "zero_lv2_table is NULL"});
}
TEST(InvariantControls, DomainAllocUninitSilentWithFixedInitAndRegisterLast) {
  ExpectSilent(Tm2e(), P("v6.1-modular", {"exynos_init_order=fixed", "exynos_register_last=true"}),
               Only({invariants::kDomainAllocUninit}), 1, 50);
}

TEST(InvariantControls, DmaOpsOnBoundFiresOnV61Modular) {
  ExpectFires(Tm2e(), P("v6.1-modular"), invariants::kDmaOpsOnBound, 50,
              {"by bus_iommu_probe changed the DMA setup of bound master"});
}
TEST(InvariantControls, DmaOpsOnBoundSilentOnV61Builtin) {
  ExpectSilent(Tm2e(), P("v6.1"), Only({invariants::kDmaOpsOnBound}), 1, 50);
}

// S3: the failed __iommu_probe_device of a master (probe_device sees no priv yet) frees dev->iommu
// while the master's own of_iommu_configure uses it: the oops of whichever dereference comes next
// (iommu_fwspec_init/free, exynos_iommu_of_xlate's dev_iommu_priv_set, the final fwspec->ops). Only
// a few percent of TM2E seeds hit it, and which ones moves with every schedule point the boot
// gains, hence seeds 1..300.
TEST(InvariantControls, DevIommuFreedInUseFiresOnV61Modular) {
  ExpectFiresAs(Tm2e(), P("v6.1-modular"), invariants::kDevIommuFreedInUse, 300,
                {{"NULL pointer dereference at virtual address 0000000000000030; pc : iommu_fwspec_init;"},
                 {"NULL pointer dereference at virtual address 0000000000000030; pc : iommu_fwspec_free;"},
                 {"NULL pointer dereference at virtual address 0000000000000040; pc : exynos_iommu_of_xlate;"},
                 {"NULL pointer dereference at virtual address 0000000000000000; pc : of_iommu_configure;"}});
}

// First seed in [1, hi] whose run reports `id` with a message containing `text`; 0 if none.
uint64_t FirstSeedWith(const hwmodel::Board& b, const Profile& p, InvariantId id, uint64_t hi,
                       const std::string& text, harness::Finding* out) {
  for (uint64_t seed = 1; seed <= hi; ++seed) {
    ModelRun r = Boot(b, p, seed, Only({id}), false, false);
    for (const auto& f : r.result.findings) {
      if (f.invariant == Name(id) && f.message.find(text) != std::string::npos) {
        *out = f;
        return seed;
      }
    }
  }
  return 0;
}

// The seed report's oops: the store to dev->iommu->priv in exynos_iommu_of_xlate after the
// kzalloc(GFP_KERNEL) of the owner, on masters with a single SysMMU, at priv's offset.
TEST(InvariantControls, DevIommuFreedInUseFiresInOfXlateOnSingleSysmmuMasters) {
  const hwmodel::Board& b = GetBoard("sysmmus=16,masters=16,per_master=1");
  harness::Finding f;
  ASSERT_NE(FirstSeedWith(b, P("v6.1-modular"), invariants::kDevIommuFreedInUse, 200,
                          "pc : exynos_iommu_of_xlate;", &f),
            0u);
  EXPECT_NE(f.message.find("at virtual address 0000000000000040;"), std::string::npos) << f.message;
  EXPECT_NE(f.message.find("dev->iommu is NULL, freed by modprobe/exynos-iommu"), std::string::npos) << f.message;
  EXPECT_NE(f.detail.find("Internal error: Oops: 0000000096000044 [#1] PREEMPT SMP"), std::string::npos) << f.detail;
}

// With async probing, concurrent unlocked bus probes both fail probe_device for the same
// non-master device and both dev_iommu_free it (the kernel's NULL dereference in dev_iommu_free,
// reading param->fwspec).
TEST(InvariantControls, DevIommuFreedInUseFiresOnV61ModularAsync) {
  ExpectFires(GetBoard("sysmmus=16,masters=8,per_master=2"), P("v6.1-modular", {"async_probe=*"}),
              invariants::kDevIommuFreedInUse, 10,
              {"at virtual address 0000000000000030; pc : dev_iommu_free;", "dev->iommu is NULL, freed by "});
}
// The seed report's "ARM 32bit based board works fine": the ODROID-U3 is arm32 from its DTB. v6.1
// has no IOMMU_DMA there, so no group gets a DMA default domain and no bus_iommu_probe attaches
// anything under a bound master (no dma-ops-on-bound, no fault), while the SysMMU-probe races that
// do not need a default domain remain (a master binding without its SysMMU: iommu-bypass).
TEST(InvariantControls, Arm32OdroidU3HasNoDmaChangeUnderBoundMasters) {
  ExpectSilent(OdroidU3(), P("v6.1-modular"), Only({invariants::kDmaOpsOnBound, hwmodel::invariants::kSysmmuFault}), 1, 40);
}
TEST(InvariantControls, Arm32OdroidU3StillBypassesTheIommu) {
  ExpectFires(OdroidU3(), P("v6.1-modular"), invariants::kIommuBypass, 40, {"binds without IOMMU: ", "swallowed"});
}
// Control: the same board as arm64 gets DMA default domains attached under bound masters again.
TEST(InvariantControls, OdroidU3AsArm64ChangesDmaUnderBoundMasters) {
  ExpectFires(OdroidU3(), P("v6.1-modular", {"arch=arm64"}), invariants::kDmaOpsOnBound, 40,
              {"by bus_iommu_probe changed the DMA setup of bound master"});
}

TEST(InvariantControls, DevIommuFreedInUseSilentOnCore67) {
  ExpectSilent(Tm2e(), P("v6.1-modular", {"iommu_core=6.7"}), Only({invariants::kDevIommuFreedInUse}), 1, 30);
  ExpectSilent(Tm2e(), P("v6.1-modular", {"iommu_core=6.7", "async_probe=*"}),
               Only({invariants::kDevIommuFreedInUse}), 1, 30);
}

// S4: two unlocked __iommu_probe_device(M) on a master that has an owner: two groups for M, or
// M's group list_add_tail'ed on two bus_iommu_probe group_lists outside group->mutex. Needs bus
// probes that start after a master's of_xlate succeeded: a SysMMU's own bus_iommu_probe runs at
// P5, before its drvdata (P6) makes any of_xlate succeed, so SysMMUs registering all at once
// (async_probe alone) only collide on owner-less devices (the dev_iommu_free double free above).
// clk_get_defer staggers them: the deferred SysMMUs re-probe (asynchronously) after masters have
// xlated the first ones, and their bus probes overlap on those masters.
TEST(InvariantControls, DoubleIommuProbeFiresWithStaggeredParallelSysmmuProbes) {
  // Either manifestation: the group_list corrupted, or a second group for the master.
  ExpectFiresAs(GetBoard("sysmmus=16,masters=8,per_master=2"),
                P("v6.1-modular", {"async_probe=*", "inject=clk_get_defer"}), invariants::kDoubleIommuProbe,
                50,
                {{"list corruption in bus_iommu_probe group_list of async/"},
                 {"iommu_group_add_device(", ": already in iommu_group ",
                  "(two concurrent __iommu_probe_device)"}});
}
TEST(InvariantControls, DoubleIommuProbeSilentOnCore62) {
  ExpectSilent(GetBoard("sysmmus=16,masters=8,per_master=2"), P("v6.1-modular", {"async_probe=*", "iommu_core=6.2"}),
               Only({invariants::kDoubleIommuProbe, invariants::kDevIommuFreedInUse}), 1, 30);
  ExpectSilent(GetBoard("sysmmus=16,masters=8,per_master=2"),
               P("v6.1-modular", {"async_probe=*", "inject=clk_get_defer", "iommu_core=6.2"}),
               Only({invariants::kDoubleIommuProbe}), 1, 50);  // S3 (of_xlate vs dev_iommu_free) stays until 6.7
}

// S5 (iii): a v5 SysMMU whose dma_set_mask fails after platform_set_drvdata. A master's of_xlate
// that looked its ops up while it was registered (P5, v6.1 order) and reads drvdata before
// device_unbind_cleanup clears it links `data`, which devres frees: the list_add or a later walk
// of owner->controllers hits the freed node. On TM2E (seeds 1..200) no master's of_xlate falls in
// that window; the synthetic board's masters are retried during the SysMMUs' probes often enough.
// Rare even there (about 1 run in 100): seeds 1..400.
TEST(InvariantControls, ControllersListFiresWithDmaSetMaskInjection) {
  ExpectFires(GetBoard("sysmmus=16,masters=8,per_master=2"), P("v6.1-modular", {"inject=dma_set_mask"}),
              invariants::kControllersList, 400, {"owner->controllers", "freed node (use after free)"});
}
TEST(InvariantControls, ControllersListSilentWithoutInjection) {
  ExpectSilent(Tm2e(), P("v6.1-modular+initfix"), Only({invariants::kControllersList}), 1, 30);
  ExpectSilent(GetBoard("sysmmus=16,masters=8,per_master=2"), P("v6.1-modular"),
               Only({invariants::kControllersList}), 1, 50);
}

TEST(InvariantControls, IommuBypassWarnsWhenModuleLoadsAfterTimeout) {
  ExpectFires(Tm2e(), P("v6.1-modular+initfix", {"exynos_load_time=fixed:30s"}), invariants::kIommuBypass, 10,
              {"binds without IOMMU after an explicit decision",
               "driver_deferred_probe_check_state returned -ETIMEDOUT"},
              harness::Severity::kWarning);
}
TEST(InvariantControls, IommuBypassViolationForSwallowedError) {
  harness::Finding f;
  bool found = false;
  for (uint64_t seed = 1; seed <= 50 && !found; ++seed) {
    ModelRun r = Boot(Tm2e(), P("v6.1-modular+initfix"), seed, Only({invariants::kIommuBypass}));
    for (const auto& g : r.result.findings) {
      if (g.invariant == Name(invariants::kIommuBypass) && g.severity == harness::Severity::kViolation) {
        f = g;
        found = true;
        break;
      }
    }
  }
  ASSERT_TRUE(found);
  EXPECT_NE(f.message.find("binds without IOMMU: of_iommu_configure swallowed -EINVAL from of_iommu_xlate("),
            std::string::npos) << f.message;
}
TEST(InvariantControls, IommuBypassSilentOnV61Builtin) {
  ExpectSilent(Tm2e(), P("v6.1"), Only({invariants::kIommuBypass}), 1, 50);
}

// S9 on v6.15: a SysMMU's bus_iommu_probe reaches a master that is inside really_probe (or bound)
// and whose fwspec its own of_iommu_configure built: probe_device accepts it with dev->driver set,
// the kernel's dev_WARN. Only masters warn: every other bound device on the bus walk is rejected
// by probe_device (no fwspec) before the warning, as 73d2f10957f5 placed it.
TEST(InvariantControls, LateIommuProbeWarnsOnV615Modular) {
  ExpectFires(Tm2e(), P("v6.15-modular"), invariants::kLateIommuProbe, 100,
              {": late IOMMU probe at driver bind, something fishy here!", "is its driver"},
              harness::Severity::kWarning);
  const hwmodel::Board& b = Tm2e();
  std::set<std::string> masters;
  for (int m : b.masters) masters.insert(b.node(m).device_name);
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    ModelRun r = Boot(b, P("v6.15-modular"), seed, Only({invariants::kLateIommuProbe}));
    for (const auto& f : r.result.findings) {
      ASSERT_EQ(f.devices.size(), 1u);
      EXPECT_TRUE(masters.count(f.devices[0])) << "seed " << seed << ": " << f.message;
    }
  }
}
// With the IOMMU built in, every SysMMU registers at core_initcall, before any master probes.
TEST(InvariantControls, LateIommuProbeSilentWithBuiltinIommuOn615) {
  ExpectSilent(Tm2e(), P("v6.1", {"iommu_core=6.15"}), Only({invariants::kLateIommuProbe}), 1, 50);
}

// S1: lv1 entries filled with ZERO_LV2LINK of a NULL zero_lv2_table are walked by the hardware.
TEST(InvariantControls, SysmmuFaultFiresOnNullZeroTableWalk) {
  ExpectFires(Tm2e(), P("v6.1-modular"), hwmodel::invariants::kSysmmuFault, 50,
              {"faulted (PTW fault", "was the zero lv2 table NULL?"});
}
TEST(InvariantControls, SysmmuFaultSilentOnV61Builtin) {
  ExpectSilent(Tm2e(), P("v6.1"), Only({hwmodel::invariants::kSysmmuFault}), 1, 50);
}

// 6. in dma_master_test.cc. 7: a replayed finding with its interleaving in kernel terms.
TEST(InvariantControls, ReplayedXlateUninitTraceShowsInterleaving) {
  harness::Finding f;
  const Profile p = P("v6.1-modular");
  const uint64_t seed = FirstSeed(Tm2e(), p, invariants::kXlateUninitController, 1, 50, &f);
  ASSERT_NE(seed, 0u);
  ModelRun a = Boot(Tm2e(), p, seed, Only({invariants::kXlateUninitController}), true, false);
  ModelRun b = Boot(Tm2e(), p, seed, Only({invariants::kXlateUninitController}), true, false);
  ASSERT_NE(Find(a, invariants::kXlateUninitController), nullptr);
  EXPECT_EQ(Find(a, invariants::kXlateUninitController)->message, f.message);
  EXPECT_EQ(a.result.trace_hash, b.result.trace_hash);
  EXPECT_EQ(a.trace.size(), b.trace.size());
  // The run goes on past the finding (stop_on_violation=false) so the SysMMU's later steps show.
  // "exynos_iommu_of_xlate(MASTER) saw SYSMMU at step ...".
  const std::string& m = f.message;
  const size_t open = m.find('('), close = m.find(')'), saw = m.find(" saw "), at = m.find(" at step ");
  ASSERT_TRUE(open != std::string::npos && close != std::string::npos && saw != std::string::npos &&
              at != std::string::npos);
  const std::string master = m.substr(open + 1, close - open - 1);
  const std::string sysmmu = m.substr(saw + 5, at - saw - 5);
  int reg = -1, xlate = -1, drvdata = -1;
  for (size_t i = 0; i < a.trace.size(); ++i) {
    const auto& e = a.trace[i];
    if (reg < 0 && e.device == sysmmu && e.func == "iommu_device_register" &&
        e.detail == "added to iommu_device_list") {
      reg = static_cast<int>(i);
    } else if (reg >= 0 && xlate < 0 && e.device == master && e.func == "exynos_iommu_of_xlate") {
      xlate = static_cast<int>(i);
    } else if (xlate >= 0 && drvdata < 0 && e.device == sysmmu && e.func == "exynos_sysmmu_probe" &&
               e.detail == "platform_set_drvdata") {
      drvdata = static_cast<int>(i);
    }
  }
  EXPECT_GE(reg, 0) << sysmmu << " iommu_device_register";
  EXPECT_GT(xlate, reg) << master << " exynos_iommu_of_xlate after the registration";
  EXPECT_GT(drvdata, xlate) << sysmmu << " platform_set_drvdata after the master's of_xlate";
}

}  // namespace
}  // namespace probestorm::kernel
