// Test helpers for the IOMMU model tests (driver/iommu, driver/arch, driver/masters) and the
// invariants' controls (driver/invariants): cached boards, profiles with --set overrides,
// whole-boot runs over seed ranges with positive / negative control checks, and a one-run world
// with hardware for driving the model's functions directly from a task.
//
// Thread-safety: used by one test on one OS thread.
#ifndef PROBESTORM_DRIVER_IOMMU_IOMMU_TEST_UTIL_H_
#define PROBESTORM_DRIVER_IOMMU_IOMMU_TEST_UTIL_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "driver/base/init.h"
#include "driver/iommu/exynos_iommu.h"
#include "driver/iommu/iommu.h"
#include "hwmodel/dt/tm2e_testdata.h"
#include "driver/kernel.h"
#include "driver/masters/dma_master.h"
#include "driver/profile.h"
#include "driver/model_run.h"
#include "gtest/gtest.h"
#include "harness/controlled_engine.h"
#include "harness/engine.h"
#include "harness/invariant.h"
#include "harness/sched/random_scheduler.h"
#include "hwmodel/dt/board.h"
#include "hwmodel/hw/hardware.h"

namespace probestorm::kernel::iommu_testing {

// A group's members and claim count, read by a test between steps of one task or after the run
// (no other task runs then) without taking group->mutex.
inline size_t GroupDeviceCount(const IommuGroup* g) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  return g->devices.size();
}
inline int OwnerCount(const IommuGroup* g) ABSL_NO_THREAD_SAFETY_ANALYSIS { return g->owner_cnt; }

// "embedded:tm2e" or a synthetic spec ("sysmmus=2,masters=1,per_master=2"), loaded once.
inline const hwmodel::Board& GetBoard(const std::string& spec) {
  static auto* cache = new std::map<std::string, std::unique_ptr<hwmodel::Board>>();
  auto it = cache->find(spec);
  if (it != cache->end()) return *it->second;
  const bool file = spec.size() > 4 && spec.compare(spec.size() - 4, 4, ".dtb") == 0;
  auto r = spec.rfind("embedded:", 0) == 0 ? hwmodel::LoadEmbeddedBoard(spec)
           : file                         ? hwmodel::testing::LoadTestDtb(spec)
                                          : hwmodel::LoadSynthetic(spec);
  if (!r.ok()) ADD_FAILURE() << spec << ": " << r.status();
  auto b = std::make_unique<hwmodel::Board>(r.ok() ? *std::move(r) : hwmodel::Board());
  const hwmodel::Board& out = *b;
  (*cache)[spec] = std::move(b);
  return out;
}

inline const hwmodel::Board& Tm2e() { return GetBoard("embedded:tm2e"); }
// One master behind one SysMMU.
inline const hwmodel::Board& OneMaster() { return GetBoard("sysmmus=1,masters=1,per_master=1"); }
// The Exynos4412 ODROID-U3 (arm32 from its root compatible), from hwmodel/testdata/.
inline const hwmodel::Board& OdroidU3() { return GetBoard(hwmodel::testing::OdroidU3DtbPath()); }

inline Profile P(const std::string& name, const std::vector<std::string>& sets = {}) {
  auto p = LoadProfile(name);
  EXPECT_TRUE(p.ok()) << p.status();
  Profile out = p.ok() ? *p : Profile{};
  for (const auto& s : sets) EXPECT_TRUE(ApplySet(out, s).ok()) << s;
  return out;
}

inline harness::InvariantSet Only(std::initializer_list<harness::InvariantId> ids) {
  harness::InvariantSet inv = harness::InvariantSet::None();
  for (auto id : ids) inv.Set(id);
  return inv;
}

inline std::string Name(harness::InvariantId id) { return std::string(id.name()); }

inline ModelRun Boot(const hwmodel::Board& board, const Profile& p, uint64_t seed,
                     harness::InvariantSet inv, bool keep_trace = false,
                     bool stop_on_violation = true) {
  harness::EngineOptions o;
  o.stop_on_violation = stop_on_violation;
  o.seed = seed;
  o.invariants = inv;
  o.race_detection = false;
  o.keep_trace = keep_trace;
  harness::RandomScheduler s;
  return RunControlled(board, p, o, s);
}

// First finding of `id` in the run, or nullptr.
inline const harness::Finding* Find(const ModelRun& r, harness::InvariantId id) {
  for (const auto& f : r.result.findings) {
    if (f.invariant == Name(id)) return &f;
  }
  return nullptr;
}

// First seed in [lo, hi] whose run reports `id` (only `id` enabled, plus `extra`); 0 if none.
// `out` receives that finding.
inline uint64_t FirstSeed(const hwmodel::Board& board, const Profile& p, harness::InvariantId id,
                          uint64_t lo, uint64_t hi, harness::Finding* out,
                          harness::InvariantSet extra = harness::InvariantSet::None()) {
  extra.Set(id);
  for (uint64_t seed = lo; seed <= hi; ++seed) {
    ModelRun r = Boot(board, p, seed, extra);
    if (const harness::Finding* f = Find(r, id)) {
      if (out != nullptr) *out = *f;
      return seed;
    }
  }
  return 0;
}

// Fails the test for every finding of `ids` over seeds [lo, hi].
inline void ExpectSilent(const hwmodel::Board& board, const Profile& p, harness::InvariantSet inv,
                         uint64_t lo, uint64_t hi) {
  for (uint64_t seed = lo; seed <= hi; ++seed) {
    ModelRun r = Boot(board, p, seed, inv);
    for (const auto& f : r.result.findings) {
      ADD_FAILURE() << p.name << " seed " << seed << ": " << f.invariant << ": " << f.message;
    }
  }
}

// Positive control: the first seed in [1, hi] reporting `id` has severity `sev` and a message
// containing every one of `texts`.
inline void ExpectFires(const hwmodel::Board& b, const Profile& p, harness::InvariantId id,
                        uint64_t hi, std::initializer_list<const char*> texts,
                        harness::Severity sev = harness::Severity::kViolation) {
  harness::Finding f;
  const uint64_t seed = FirstSeed(b, p, id, 1, hi, &f);
  ASSERT_NE(seed, 0u) << Name(id) << " never fired on " << p.name << " over seeds 1.." << hi;
  EXPECT_EQ(f.invariant, Name(id));
  EXPECT_EQ(f.severity, sev);
  for (const char* t : texts) {
    EXPECT_NE(f.message.find(t), std::string::npos) << f.message << " lacks " << t;
  }
}

// The same, for an invariant with several manifestations: the message contains every text of at
// least one of `alternatives`.
inline void ExpectFiresAs(const hwmodel::Board& b, const Profile& p, harness::InvariantId id,
                          uint64_t hi,
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

// One run with hardware, for driving model functions directly from tasks: the kernel is built as
// RunControlled builds it (exynos-iommu and the masters registered) but nothing is started;
// call StartBoot(k()) from setup or a task to boot.
class IommuWorld {
 public:
  IommuWorld(const hwmodel::Board& board, const Knobs& knobs, uint64_t seed = 1,
             harness::InvariantSet inv = harness::InvariantSet::All(), bool register_drivers = true)
      : knobs_(knobs),
        opts_(MakeOptions(seed, inv)),
        engine_(opts_, &sched_),
        scope_(engine_),
        hw_(std::make_unique<hwmodel::Hardware>(
            board, HardwareOptionsFor(knobs))),
        kernel_(std::make_unique<Kernel>(board, knobs_, hw_.get())) {
    if (register_drivers) RegisterModelDrivers(*kernel_);
  }

  // The kernel and hardware outlive the world: tests assert on model objects (fwspec, domains,
  // groups) after Run() and after the helper that built the world returned. They are released at
  // process exit.
  ~IommuWorld() {
    Graveyard().push_back(std::shared_ptr<void>(std::move(kernel_)));
    Graveyard().push_back(std::shared_ptr<void>(std::move(hw_)));
  }
  IommuWorld(const IommuWorld&) = delete;
  IommuWorld& operator=(const IommuWorld&) = delete;

  Kernel& k() { return *kernel_; }
  hwmodel::Hardware& hw() { return *hw_; }
  harness::ControlledEngine& engine() { return engine_; }
  void Spawn(const std::string& name, std::function<void()> body) { engine_.Spawn(name, std::move(body)); }

  harness::RunResult Run() {
    harness::RunResult r = engine_.Run();
    RunEndChecks(*kernel_, r);
    return r;
  }

  // The device of the node whose device name contains `part` (first in board order), or nullptr.
  Device* Dev(int node) { return kernel_->DeviceForNode(node); }

 private:
  static std::vector<std::shared_ptr<void>>& Graveyard() {
    static auto* g = new std::vector<std::shared_ptr<void>>();
    return *g;
  }
  static harness::EngineOptions MakeOptions(uint64_t seed, harness::InvariantSet inv) {
    harness::EngineOptions o;
    o.seed = seed;
    o.invariants = inv;
    o.race_detection = false;
    o.stop_on_violation = false;
    o.max_virtual_time = 300 * harness::kSec;
    return o;
  }

  Knobs knobs_;
  harness::RandomScheduler sched_;
  harness::EngineOptions opts_;
  harness::ControlledEngine engine_;
  harness::Engine::Scope scope_;
  std::unique_ptr<hwmodel::Hardware> hw_;
  std::unique_ptr<Kernel> kernel_;
};


// A minimal IOMMU driver for core tests: counts its callbacks; results are settable.
struct FakeIommu {
  explicit FakeIommu(Kernel& k) {
    ops.name = "fake_iommu_ops";
    ops.of_xlate = [this](Device*, const hwmodel::PhandleRef&) {
      ++of_xlate_calls;
      return xlate_ret;
    };
    ops.probe_device = [this](Device*, int* err) -> IommuDevice* {
      ++probe_calls;
      if (probe_err != 0) {
        *err = probe_err;
        return nullptr;
      }
      return &idev;
    };
    ops.release_device = [this](Device*) { ++release_calls; };
    ops.device_group = &generic_device_group;
    Kernel* kp = &k;
    ops.domain_alloc = [this, kp](IommuDomainType) -> IommuDomain* {
      ++domain_allocs;
      auto* d = kp->Alloc<IommuDomain>();
      d->aperture_end = 0xFFFFFFFFULL;
      return d;
    };
    dops.attach_dev = [this](IommuDomain* d, Device*) {
      ++attach_calls;
      last_attached = d;
      return attach_ret;
    };
    ops.default_domain_ops = &dops;
    ops.pgsize_bitmap = 4096;
  }
  IommuOps ops;
  IommuDomainOps dops;
  IommuDevice idev;
  int xlate_ret = 0;
  int probe_err = 0;
  int attach_ret = 0;
  int of_xlate_calls = 0;
  int probe_calls = 0;
  int release_calls = 0;
  int domain_allocs = 0;
  int attach_calls = 0;
  IommuDomain* last_attached = nullptr;
};

// Runs `body(m1, m2)` on one task of a fresh world (default knobs, all invariants) of a small
// synthetic board, with its two masters created (not on the bus): the unit controls of the
// invariants' hooks.
inline harness::RunResult WithTwoMasters(const std::function<void(Device*, Device*)>& body) {
  const hwmodel::Board& b = GetBoard("sysmmus=2,masters=2,per_master=1");
  Knobs knobs;
  IommuWorld w(b, knobs, 1, harness::InvariantSet::All(), false);
  w.Spawn("t", [&] {
    Device* m1 = w.k().AddDevice(b.masters[0]);
    Device* m2 = w.k().AddDevice(b.masters[1]);
    body(m1, m2);
  });
  return w.Run();
}

inline int Count(const harness::RunResult& r, harness::InvariantId id, const std::string& text = "") {
  int n = 0;
  for (const auto& f : r.findings) {
    if (f.invariant == Name(id) && f.message.find(text) != std::string::npos) ++n;
  }
  return n;
}

}  // namespace probestorm::kernel::iommu_testing

#endif  // PROBESTORM_DRIVER_IOMMU_IOMMU_TEST_UTIL_H_
