#include "driver/invariants/iommu_bypass.h"

#include "absl/strings/str_cat.h"
#include "driver/invariants/checker.h"
#include "driver/kernel.h"
#include "harness/engine.h"

namespace probestorm::kernel::invariants {

const harness::InvariantDef kIommuBypass{
    .name = "iommu-bypass",
    .what = "a master with iommus binds without IOMMU only after an explicit timeout decision",
    .explanation =
        "A master with an `iommus` property bound without its IOMMU (S2, S7). As a warning: after the "
        "deferred-probe timeout, driver_deferred_probe_check_state() returned -ETIMEDOUT and the kernel "
        "chose to ignore the dependency (policy; the module came too late). As a violation: the bypass "
        "came through a swallowed -ENODEV from a half-initialised SysMMU, which no log line reveals.",
    .severity = harness::Severity::kViolation,
    .detector = false,
};

namespace {

void SetReason(Device* dev, IommuBypassState::Reason r) {
  checker(*dev->kernel).iommu_bypass.by_node.Set(dev->of_node, std::move(r));
}

IommuBypassState::Reason ReasonOf(Device* dev) {
  return checker(*dev->kernel).iommu_bypass.by_node.Get(dev->of_node);
}

}  // namespace

void OnIommuConfigure(Device* dev) { SetReason(dev, {}); }

void OnIommuConfigureFailed(Device* dev, int err, bool explicit_decision, int failed_node,
                            bool replay_failed) {
  const Kernel& k = *dev->kernel;
  const std::string where =
      failed_node != hwmodel::kNoNode ? k.board.node(failed_node).device_name : "";
  IommuBypassState::Reason r;
  if (explicit_decision) {
    r.kind = IommuBypassState::Kind::kExplicitTimeout;
    r.why = absl::StrCat("driver_deferred_probe_check_state returned ", ErrName(err),
                         " waiting for ", where);
  } else {
    r.kind = IommuBypassState::Kind::kSwallowedError;
    r.why = absl::StrCat("of_iommu_configure swallowed ", ErrName(err), " from ",
                         replay_failed ? "the iommu_probe_device replay"
                                       : absl::StrCat("of_iommu_xlate(", where, ")"));
  }
  SetReason(dev, std::move(r));
}

void OnMasterBind(Device* dev) {
  const IommuBypassState::Reason r = ReasonOf(dev);
  if (r.kind == IommuBypassState::Kind::kNone) return;
  // The same finding either way; the severity (and the explanation of the swallowed error) is
  // what differs.
  const bool explicit_timeout = r.kind == IommuBypassState::Kind::kExplicitTimeout;
  harness::Current().Report(
      kIommuBypass, explicit_timeout ? harness::Severity::kWarning : harness::Severity::kViolation,
      explicit_timeout
          ? absl::StrCat(dev->name, " binds without IOMMU after an explicit decision: ", r.why)
          : absl::StrCat(dev->name, " binds without IOMMU: ", r.why),
      {dev->name},
      explicit_timeout ? std::string()
                       : "of_iommu_configure: \"Adding to IOMMU failed\" is a dev_dbg; the error is "
                         "swallowed and the master is configured for dma-direct (of_iommu_configure, v6.1)");
}

}  // namespace probestorm::kernel::invariants
