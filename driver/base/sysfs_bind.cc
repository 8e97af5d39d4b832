// Models bind_store / unbind_store / drivers_probe_store of drivers/base/bus.c, Linux v6.1 (the
// sysfs files /sys/bus/platform/drivers/<drv>/{bind,unbind} and /sys/bus/platform/drivers_probe),
// and the churn and probe-storm workloads writing them.
//
// Deliberate divergences: the stores take the device the written name resolves to (nullptr when
// bus_find_device_by_name finds none, which they answer with -ENODEV as the kernel does) and
// return 0 instead of the byte count on success; the churn workload (tasks "churn/<dev>/<i>")
// stands in for a userspace script and picks the driver directory by the node's compatibles.
#include "driver/base/sysfs_bind.h"

#include <functional>
#include <string>

#include "absl/strings/str_cat.h"
#include "driver/base/bus.h"
#include "driver/base/dd.h"
#include "driver/base/driver_core.h"
#include "driver/base/platform.h"
#include "driver/kernel.h"
#include "harness/engine.h"
#include "harness/trace/trace.h"

namespace probestorm::kernel {
namespace {

constexpr int kChurnRounds = 3;
constexpr int kStormRounds = 4;

// The registered driver whose directory the script writes to: the first one matching the
// node's compatibles (platform_match without a struct device: the device may not exist yet).
DeviceDriver* MatchingDriver(Kernel& k, const hwmodel::DtNode& n) {
  DeviceDriver* found = nullptr;
  bus_for_each_drv(k, [&](DeviceDriver* drv) {
    for (const std::string& compat : n.compatible) {
      for (const std::string& m : drv->of_match) {
        if (m != compat) continue;
        found = drv;
        return 1;
      }
    }
    return 0;
  });
  return found;
}

// bus_find_device_by_name: the node's device once device_add has put it on the bus.
Device* FindDeviceOnBus(Kernel& k, int node) {
  Device* found = nullptr;
  bus_for_each_dev(k, BusType::kPlatform, [&](Device* d) {
    if (d->of_node != node) return 0;
    found = d;
    return 1;
  });
  return found;
}

}  // namespace

int unbind_store(DeviceDriver* drv, Device* dev) {
  if (drv->suppress_bind_attrs) return -ENOENT;  // no such file
  if (dev == nullptr) return -ENODEV;            // bus_find_device_by_name found nothing
  harness::TraceSpan span(dev->name, "unbind_store");
  // dev->driver is read without the device lock, as in the kernel.
  if (dev->driver.Get() != drv) return -ENODEV;
  // device_driver_detach goes through device_release_driver_internal with no driver filter and
  // the parent passed along: it releases whatever driver is bound once the lock is held (none if
  // a concurrent unbind won).
  device_release_driver(dev);
  return 0;
}

int bind_store(DeviceDriver* drv, Device* dev) {
  if (drv->suppress_bind_attrs) return -ENOENT;
  if (dev == nullptr) return -ENODEV;
  harness::TraceSpan span(dev->name, "bind_store");
  if (!platform_match(dev, drv)) return -ENODEV;
  return device_driver_attach(drv, dev);
}

int drivers_probe_store(Device* dev) {
  if (dev == nullptr) return -ENODEV;  // bus_find_device_by_name found nothing
  harness::TraceSpan span(dev->name, "drivers_probe_store");
  // bus_rescan_devices_helper: only a device without a driver is attached (no parent lock on the
  // platform bus); a failed attach makes the store return -EINVAL.
  if (dev->driver.Get() == nullptr && device_attach(dev) < 0) return -EINVAL;
  return 0;
}

namespace {

// Spawns `per_master` tasks "<prefix>/<dev>/<i>" for each available master node, each with its own
// rng fork of that name. Called before the boot has populated anything (World: right after
// StartBoot), so the tasks are named after the DT node and look the device up on the bus at each
// write, as a script's `echo <name> > ...` makes bus_find_device_by_name do.
void SpawnPerMaster(Kernel& k, int per_master, const char* prefix,
                    const std::function<void(int node, const std::string& dev_name, harness::Rng rng)>& body) {
  for (int node : k.board.masters) {
    const hwmodel::DtNode& n = k.board.node(node);
    if (!n.available || !n.is_device) continue;
    const std::string& dev_name = n.device_name.empty() ? n.name : n.device_name;
    for (int i = 0; i < per_master; ++i) {
      const std::string name = absl::StrCat(prefix, "/", dev_name, "/", i);
      harness::Rng rng = harness::Current().model_rng().Fork(name);
      harness::Spawn(name, [body, node, dev_name, rng] { body(node, dev_name, rng); });
    }
  }
}

}  // namespace

void StartChurn(Kernel& k, ChurnObserver observer) {
  if (k.knobs.churn <= 0) return;
  SpawnPerMaster(k, k.knobs.churn, "churn", [&k, observer](int node, const std::string& dev_name,
                                                          harness::Rng rng) {
    for (int round = 0; round < kChurnRounds; ++round) {
      harness::Current().Sleep(rng.Between(100 * harness::kMsec, 20 * harness::kSec));
      Device* dev = FindDeviceOnBus(k, node);
      ChurnRound r{dev, node, round, -ENOENT, -ENOENT};
      // No registered driver matches: /sys/bus/platform/drivers/<drv>/ does not exist.
      DeviceDriver* drv = MatchingDriver(k, k.board.node(node));
      if (drv != nullptr) r.unbind = unbind_store(drv, dev);
      harness::TraceLog(dev_name, "churn", absl::StrCat("unbind: ", ErrName(r.unbind)));
      harness::Current().Sleep(rng.Between(1 * harness::kMsec, 500 * harness::kMsec));
      if (drv != nullptr) r.bind = bind_store(drv, dev);
      harness::TraceLog(dev_name, "churn", absl::StrCat("bind: ", ErrName(r.bind)));
      if (observer) observer(r);
    }
  });
}

void StartProbeStorm(Kernel& k, StormObserver observer) {
  if (k.knobs.probe_storm <= 0) return;
  SpawnPerMaster(k, k.knobs.probe_storm, "storm", [&k, observer](int node, const std::string& dev_name,
                                                                harness::Rng rng) {
    for (int round = 0; round < kStormRounds; ++round) {
      harness::Current().Sleep(rng.Between(10 * harness::kMsec, 10 * harness::kSec));
      Device* dev = FindDeviceOnBus(k, node);
      const int ret = drivers_probe_store(dev);
      harness::TraceLog(dev_name, "probe_storm", absl::StrCat("drivers_probe: ", ErrName(ret)));
      if (observer) observer(StormRound{dev, node, round, ret, dev != nullptr && dev->bound.Peek()});
    }
  });
}

}  // namespace probestorm::kernel
