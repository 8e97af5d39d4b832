// Test helpers for driver/base tests: hand-built boards and a one-run world (KUnit style).
//
// Thread-safety: a TestWorld is used by one test on one OS thread.
#ifndef PROBESTORM_DRIVER_BASE_TEST_UTIL_H_
#define PROBESTORM_DRIVER_BASE_TEST_UTIL_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "driver/base/device.h"
#include "driver/kernel.h"
#include "driver/profile.h"
#include "harness/controlled_engine.h"
#include "harness/engine.h"
#include "harness/sched/random_scheduler.h"
#include "hwmodel/dt/board.h"

namespace probestorm::kernel::testing {

// A small board: node 0 is the root; Add() appends platform-device nodes under a parent.
class BoardBuilder {
 public:
  BoardBuilder() {
    hwmodel::DtNode root;
    root.index = 0;
    root.path = "/";
    root.name = "";
    board_.nodes.push_back(root);
    board_.name = "test";
  }
  int Add(const std::string& name, const std::string& compatible, int parent = 0,
          bool device = true, bool okay = true) {
    hwmodel::DtNode n;
    n.index = static_cast<int>(board_.nodes.size());
    n.parent = parent;
    n.name = name;
    n.path = (parent == 0 ? "/" : board_.nodes[static_cast<size_t>(parent)].path + "/") + name;
    if (!compatible.empty()) n.compatible = {compatible};
    n.status_okay = okay;
    n.available = okay && board_.nodes[static_cast<size_t>(parent)].available;
    n.is_device = device;
    n.device_name = name;
    n.interrupt_parent = hwmodel::kNoNode;
    board_.nodes[static_cast<size_t>(parent)].children.push_back(n.index);
    board_.nodes.push_back(n);
    if (device) board_.devices.push_back(n.index);
    return n.index;
  }
  void Supply(int consumer, int supplier, const std::string& property, bool optional = false) {
    board_.nodes[static_cast<size_t>(consumer)].suppliers.push_back({supplier, property, optional});
  }
  hwmodel::Board& board() { return board_; }

 private:
  hwmodel::Board board_;
};

// One run: engine + kernel. Construct, set up drivers in `setup` (runs before Run, engine
// current), spawn tasks, then Run() collects engine and end-check findings.
class TestWorld {
 public:
  TestWorld(const hwmodel::Board& board, const Knobs& knobs, uint64_t seed,
            bool race_detection = false)
      : opts_(MakeOptions(seed, race_detection)),
        engine_(opts_, &sched_),
        scope_(engine_),
        kernel_(std::make_unique<Kernel>(board, knobs, nullptr)) {}

  Kernel& k() { return *kernel_; }
  harness::ControlledEngine& engine() { return engine_; }

  harness::RunResult Run() {
    harness::RunResult r = engine_.Run();
    for (auto& check : kernel_->end_checks) {
      check(r.findings, r.ending == harness::Ending::kQuiescent);
    }
    return r;
  }

  // A driver owned by the world.
  DeviceDriver* Driver(const std::string& name, const std::string& compatible,
                       std::function<int(Device*)> probe = nullptr,
                       ProbeType type = ProbeType::kDefaultStrategy) {
    auto* d = kernel_->Alloc<DeviceDriver>();
    d->name = name;
    d->of_match = {compatible};
    d->probe = std::move(probe);
    d->probe_type = type;
    return d;
  }

 private:
  static harness::EngineOptions MakeOptions(uint64_t seed, bool race) {
    harness::EngineOptions o;
    o.seed = seed;
    o.race_detection = race;
    o.max_virtual_time = 120 * harness::kSec;
    return o;
  }

  harness::RandomScheduler sched_;
  harness::EngineOptions opts_;
  harness::ControlledEngine engine_;
  harness::Engine::Scope scope_;
  std::unique_ptr<Kernel> kernel_;
};

inline int CountFindings(const harness::RunResult& r, const std::string& id,
                         const std::string& text = "") {
  int n = 0;
  for (const auto& f : r.findings) {
    if (f.invariant == id && f.message.find(text) != std::string::npos) ++n;
  }
  return n;
}

}  // namespace probestorm::kernel::testing

#endif  // PROBESTORM_DRIVER_BASE_TEST_UTIL_H_
