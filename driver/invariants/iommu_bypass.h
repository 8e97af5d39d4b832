// Invariant `iommu-bypass` (drivers/iommu/of_iommu.c of_iommu_configure(), v6.1): a master with
// `iommus` binds without its IOMMU only after an explicit decision
// (driver_deferred_probe_check_state() returned -ETIMEDOUT: a warning), never through a swallowed
// error (of_iommu_configure() only dev_dbg's "Adding to IOMMU failed": a violation).
// of_iommu_configure() tells the checker why a master goes without its IOMMU; the finding is
// reported when the master's driver binds.
//
// Thread-safety: the reason is written by the configuring task and read by the binding task (both
// inside the master's really_probe, under its device lock).
#ifndef PROBESTORM_DRIVER_INVARIANTS_IOMMU_BYPASS_H_
#define PROBESTORM_DRIVER_INVARIANTS_IOMMU_BYPASS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "driver/invariants/by_node.h"
#include "harness/invariant.h"

namespace probestorm::kernel {

struct Device;

namespace invariants {

extern const harness::InvariantDef kIommuBypass;

// Bookkeeping (Checker::iommu_bypass): by DT node, why the last of_iommu_configure() left the
// master without its IOMMU.
struct IommuBypassState {
  enum class Kind { kNone, kExplicitTimeout, kSwallowedError };
  struct Reason {
    Kind kind = Kind::kNone;
    std::string why;
  };
  explicit IommuBypassState(size_t nodes) : by_node(nodes) {}
  // Written and read under the master's device lock, and a ByNode table too: with
  // `drop_lock=device_lock` two free-engine threads could assign one string.
  ByNode<Reason> by_node;
};

// of_iommu_configure(dev) starts: no reason yet.
void OnIommuConfigure(Device* dev);
// of_iommu_configure(dev) gives up on the IOMMU with `err`: `explicit_decision` when the error
// came from driver_deferred_probe_check_state(); `failed_node` the `iommus` entry whose
// translation failed (kNoNode: none); `replay_failed` when the iommu_probe_device replay failed.
void OnIommuConfigureFailed(Device* dev, int err, bool explicit_decision, int failed_node,
                            bool replay_failed);
// The master's driver binds `dev` (its probe starts).
void OnMasterBind(Device* dev);

}  // namespace invariants
}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_INVARIANTS_IOMMU_BYPASS_H_
