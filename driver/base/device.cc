// struct device construction and errno names (drivers/base/core.c device_initialize, v6.1).
//
// Deliberate divergences: no kobject; the name is the DT node's platform bus id.
#include "driver/base/device.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace probestorm::kernel {

Device::Device(Kernel* k, const hwmodel::Board& board, int node_index)
    : kernel(k), of_node(node_index), np(&board.node(node_index)) {
  name = np->device_name.empty() ? np->name : np->device_name;
  driver.SetLabel(name, " dev->driver");
  driver_data.SetLabel(name, " dev->driver_data");
  dead.SetLabel(name, " dev->p->dead");
  can_match.SetLabel(name, " dev->can_match");
  async_driver.SetLabel(name, " dev->p->async_driver");
  bound.SetLabel(name, " dev->p->knode_driver");
  dma_ops.SetLabel(name, " dev->dma_ops");
  iommu.SetLabel(name, " dev->iommu");
  iommu_group.SetLabel(name, " dev->iommu_group");
  power.usage_count.SetLabel(name, " dev->power.usage_count");
  power.runtime_status.SetLabel(name, " dev->power.runtime_status");
  power.disable_depth.SetLabel(name, " dev->power.disable_depth");
  deferred_probe.owner = this;
}

const char* ErrName(int err) {
  switch (err) {
    case 0: return "0";
    case -EPERM: return "-EPERM";
    case -ENOENT: return "-ENOENT";
    case -EIO: return "-EIO";
    case -ENXIO: return "-ENXIO";
    case -EAGAIN: return "-EAGAIN";
    case -ENOMEM: return "-ENOMEM";
    case -EACCES: return "-EACCES";
    case -EBUSY: return "-EBUSY";
    case -EEXIST: return "-EEXIST";
    case -ENODEV: return "-ENODEV";
    case -EINVAL: return "-EINVAL";
    case -ENOSYS: return "-ENOSYS";
    case -ETIMEDOUT: return "-ETIMEDOUT";
    case -EPROBE_DEFER: return "-EPROBE_DEFER";
    // really_probe returns failed probe errors negated (positive).
    case EPROBE_DEFER: return "EPROBE_DEFER";
    case ENODEV: return "ENODEV";
    case EINVAL: return "EINVAL";
    case ENOMEM: return "ENOMEM";
    case EBUSY: return "EBUSY";
    case EIO: return "EIO";
    case ETIMEDOUT: return "ETIMEDOUT";
    default: return err < 0 ? "-E?" : "E?";
  }
}

}  // namespace probestorm::kernel
