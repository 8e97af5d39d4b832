#include "driver/invariants/iommu_bypass.h"

#include "absl/strings/str_cat.h"
#include "driver/base/device.h"
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

void OnBindWithoutIommu(Device* dev, bool explicit_timeout, const std::string& why) {
  // The same finding either way; the severity (and the explanation of the swallowed error) is
  // what differs.
  harness::Current().Report(
      kIommuBypass, explicit_timeout ? harness::Severity::kWarning : harness::Severity::kViolation,
      explicit_timeout
          ? absl::StrCat(dev->name, " binds without IOMMU after an explicit decision: ", why)
          : absl::StrCat(dev->name, " binds without IOMMU: ", why),
      {dev->name},
      explicit_timeout ? std::string()
                       : "of_iommu_configure: \"Adding to IOMMU failed\" is a dev_dbg; the error is "
                         "swallowed and the master is configured for dma-direct (of_iommu_configure, v6.1)");
}

}  // namespace probestorm::kernel::invariants
