// Whole-boot controls of the end-of-run lost-trigger check of `deferred-lists` (S8) on the
// embedded TM2E board, with the PCT strategy as `probestorm run --strategy=pct:5` builds it: with
// the knob trigger_recheck=false a master that deferred on a SysMMU's registration is stranded on
// the pending list when the SysMMU bound (and triggered) during its probe; with the v6.1 re-check
// (the default) it never is. Asynchronous probing gives the concurrent probes, and no
// deferred-probe timeout means no late trigger rescues the stranded master.
#include <string>

#include "driver/invariants/deferred_lists.h"
#include "driver/iommu/iommu_test_util.h"
#include "harness/sched/strategy.h"

namespace probestorm::kernel {
namespace {
using namespace iommu_testing;  // NOLINT: test helpers

constexpr uint64_t kSeeds = 300;

Profile LostTriggerProfile(bool recheck) {
  return P("v6.15-modular", {"async_probe=*", "deferred_probe_timeout=-1",
                             recheck ? "trigger_recheck=true" : "trigger_recheck=false"});
}

// The lost-trigger findings of `deferred-lists` in one run of `strategy`.
std::vector<harness::Finding> LostTriggers(const Profile& p, uint64_t seed, harness::Strategy& strategy) {
  harness::EngineOptions o;
  o.seed = seed;
  o.invariants = Only({invariants::kDeferredLists});
  o.race_detection = false;
  ModelRun r = RunControlled(Tm2e(), p, o, strategy);
  std::vector<harness::Finding> out;
  for (const harness::Finding& f : r.result.findings) {
    if (f.invariant == Name(invariants::kDeferredLists)) out.push_back(f);
  }
  return out;
}

std::vector<harness::Finding> LostTriggers(const Profile& p, uint64_t seed) {
  auto s = harness::MakeStrategy("pct:5");
  EXPECT_TRUE(s.ok()) << s.status();
  return LostTriggers(p, seed, **s);
}

TEST(DeferredListsControls, LostTriggerOnTm2eWithoutRecheck) {
  const Profile p = LostTriggerProfile(false);
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const std::vector<harness::Finding> found = LostTriggers(p, seed);
    if (found.empty()) continue;
    const std::string& m = found[0].message;
    EXPECT_EQ(found[0].severity, harness::Severity::kViolation);
    EXPECT_EQ(m.rfind("lost deferred probe trigger: ", 0), 0u) << m;
    EXPECT_NE(m.find(" left on deferred_probe_pending_list although what it waited for "
                     "(registration of IOMMU "),
              std::string::npos)
        << m;
    EXPECT_NE(m.find(".sysmmu) is ready and driver "), std::string::npos) << m;
    EXPECT_NE(m.find("a trigger ran during its probe"), std::string::npos) << m;
    return;
  }
  ADD_FAILURE() << "no lost trigger over seeds 1.." << kSeeds;
}

TEST(DeferredListsControls, NoLostTriggerOnTm2eWithRecheck) {
  const Profile p = LostTriggerProfile(true);
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    for (const harness::Finding& f : LostTriggers(p, seed)) {
      ADD_FAILURE() << "seed " << seed << ": " << f.message;
    }
  }
}

// The check runs at the end of the run, after the tasks are gone: a learning strategy must still
// hear of its finding (the portfolio's reward, the corpus's kinds of violation), and
// must not hear of one in a run without it.
TEST(DeferredListsControls, TheStrategyLearnsOfTheEndOfRunFinding) {
  const Profile p = LostTriggerProfile(false);
  auto s = harness::MakeStrategy("conflict");
  ASSERT_TRUE(s.ok()) << s.status();
  const harness::Exploration* x = (*s)->exploration();
  ASSERT_NE(x, nullptr);
  bool clean_seen = false;
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const bool found = !LostTriggers(p, seed, **s).empty();
    EXPECT_EQ(x->last.violated, found) << "seed " << seed;
    if (!found) {
      clean_seen = true;
      continue;
    }
    EXPECT_TRUE(x->last.new_kind) << "seed " << seed;
    EXPECT_TRUE(clean_seen) << "the first run already found it: no negative control";
    return;
  }
  ADD_FAILURE() << "no lost trigger over seeds 1.." << kSeeds;
}

}  // namespace
}  // namespace probestorm::kernel
