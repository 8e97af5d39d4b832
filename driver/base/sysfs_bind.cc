// Models bind_store / unbind_store of drivers/base/bus.c, Linux v6.1 (the sysfs files
// /sys/bus/platform/drivers/<drv>/{bind,unbind}), and a churn workload writing them.
//
// Deliberate divergences: the stores take the device directly instead of parsing a name; the
// churn workload (tasks "churn/<dev>/<i>") stands in for a userspace script.
#include "driver/base/sysfs_bind.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "driver/base/bus.h"
#include "driver/base/dd.h"
#include "driver/base/driver_core.h"
#include "harness/sync/mutex.h"
#include "driver/base/platform.h"
#include "driver/kernel.h"
#include "harness/engine.h"
#include "harness/trace/trace.h"

namespace probestorm::kernel {
namespace {

constexpr int kChurnRounds = 3;

DeviceDriver* MatchingDriver(Kernel& k, Device* dev) {
  DeviceDriver* found = nullptr;
  bus_for_each_drv(k, [&](DeviceDriver* drv) {
    if (platform_match(dev, drv)) {
      found = drv;
      return 1;
    }
    return 0;
  });
  return found;
}

}  // namespace

int unbind_store(DeviceDriver* drv, Device* dev) {
  if (drv->suppress_bind_attrs) return -ENOENT;  // no such file
  harness::TraceSpan span(dev->name, "unbind_store");
  // dev->driver is read without the device lock, as in the kernel.
  if (dev->driver.Get() != drv) return -ENODEV;
  // device_driver_detach -> device_release_driver_internal(dev, drv, dev->parent)
  dev->lock.lock();
  if (dev->driver.Get() == drv) __device_release_driver(dev, dev->parent);
  dev->lock.unlock();
  return 0;
}

int bind_store(DeviceDriver* drv, Device* dev) {
  if (drv->suppress_bind_attrs) return -ENOENT;
  harness::TraceSpan span(dev->name, "bind_store");
  if (!platform_match(dev, drv)) return -ENODEV;
  return device_driver_attach(drv, dev);
}

void StartChurn(Kernel& k) {
  if (k.knobs.churn <= 0) return;
  for (int node : k.board.masters) {
    Device* dev = k.DeviceForNode(node);
    if (dev == nullptr) continue;
    for (int i = 0; i < k.knobs.churn; ++i) {
      const std::string name = absl::StrCat("churn/", dev->name, "/", i);
      harness::Rng rng = harness::Current().model_rng().Fork(name);
      harness::Spawn(name, [&k, dev, rng]() mutable {
        for (int round = 0; round < kChurnRounds; ++round) {
          harness::Current().Sleep(rng.Between(100 * harness::kMsec, 20 * harness::kSec));
          DeviceDriver* drv = MatchingDriver(k, dev);
          if (drv == nullptr) continue;
          const int u = unbind_store(drv, dev);
          harness::TraceLog(dev->name, "churn", absl::StrCat("unbind: ", ErrName(u)));
          harness::Current().Sleep(rng.Between(1 * harness::kMsec, 500 * harness::kMsec));
          const int b = bind_store(drv, dev);
          harness::TraceLog(dev->name, "churn", absl::StrCat("bind: ", ErrName(b)));
        }
      });
    }
  }
}

}  // namespace probestorm::kernel
