#include "driver/invariants/probe_exclusive.h"

#include "absl/strings/str_cat.h"
#include "driver/invariants/checker.h"
#include "driver/kernel.h"
#include "harness/engine.h"

namespace probestorm::kernel::invariants {

const harness::InvariantDef kProbeExclusive{
    .name = "probe-exclusive",
    .what = "a device is in really_probe on at most one task, with its device lock held",
    .explanation =
        "A device was inside really_probe() on two tasks at once, or without its device lock held: two "
        "probe paths (deferred worker, async probe, driver_attach, sysfs bind) attached the same device "
        "concurrently.",
    .severity = harness::Severity::kViolation,
    .detector = false,
};

ProbeExclusiveState::ProbeExclusiveState(size_t nodes)
    : probing(std::make_unique<std::atomic<uint32_t>[]>(nodes)) {
  for (size_t i = 0; i < nodes; ++i) probing[i].store(0);
}

ProbeExclusiveScope::ProbeExclusiveScope(Device* dev)
    : slot_(checker(*dev->kernel).probe_exclusive.probing[static_cast<size_t>(dev->of_node)]) {
  harness::Engine& e = harness::Current();
  self_ = e.Self();
  const uint32_t prev = slot_.exchange(self_);
  if (prev != 0 && prev != self_) {
    harness::Report(
     kProbeExclusive,
     absl::StrCat("really_probe(", dev->name, ") entered by task ", e.TaskName(self_),
                  " while task ", e.TaskName(prev), " is still in really_probe for it"),
     {dev->name});
  }
  if (!dev->lock.HeldBySelf()) {
    harness::Report(kProbeExclusive,
                    absl::StrCat("really_probe(", dev->name, ") called without device_lock(",
                                 dev->name, ") held by task ", e.TaskName(self_)),
                    {dev->name});
  }
}

ProbeExclusiveScope::~ProbeExclusiveScope() {
  uint32_t expected = self_;
  slot_.compare_exchange_strong(expected, 0);
}

}  // namespace probestorm::kernel::invariants
