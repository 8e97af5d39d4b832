// Models the boot sequence around the driver core, Linux v6.1: do_initcalls (init/main.c) level
// by level, of_platform_default_populate_init (drivers/of/platform.c, arch_initcall_sync),
// deferred_probe_initcall as the last late_initcall, then userspace module loading (udev/modprobe)
// as concurrent tasks. Also the built-in supplier drivers (see init.h).
//
// Deliberate divergences: initcalls of one level run in registration order with the built-in
// supplier drivers first (drivers/Makefile links pinctrl, clk and soc before iommu); the supplier
// drivers are generic stand-ins that bind at once; the OF_DECLARE early drivers cover only the
// fixed clocks and GICs the modelled boards use, and run at the start of the init task rather than
// in start_kernel (no other task exists yet either way); parents of platform devices are the
// nearest ancestor node that has a device.
#include "driver/base/init.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "driver/base/core.h"
#include "driver/base/dd.h"
#include "driver/base/driver.h"
#include "driver/base/driver_core.h"
#include "harness/sync/mutex.h"
#include "driver/kernel.h"
#include "harness/engine.h"
#include "harness/trace/trace.h"

namespace probestorm::kernel {
namespace {

using harness::TraceLog;
using harness::TraceSpan;

enum SupplierClass { kClk, kPd, kPinctrl, kIrq, kGeneric, kNumClasses };

constexpr std::array<const char*, kNumClasses> kClassDriver = {
    "clk-supplier", "pd-supplier", "pinctrl-supplier", "irqchip-supplier", "generic-supplier"};
constexpr std::array<InitLevel, kNumClasses> kClassLevel = {
    InitLevel::kCore, InitLevel::kCore, InitLevel::kPostcore, InitLevel::kArch, InitLevel::kDevice};

SupplierClass ClassOf(const std::string& property) {
  if (property == "clocks" || property == "assigned-clocks" ||
      property == "assigned-clock-parents") {
    return kClk;
  }
  if (property == "power-domains") return kPd;
  if (property.rfind("pinctrl-", 0) == 0) return kPinctrl;
  if (property == "interrupts" || property == "interrupt-parent" ||
      property == "interrupts-extended") {
    return kIrq;
  }
  return kGeneric;
}

// The OF_DECLARE tables (v6.1) for the early providers the modelled boards use:
// CLK_OF_DECLARE(fixed_clk / fixed_factor_clk) in drivers/clk/clk-fixed-{rate,factor}.c, run by
// of_clk_init() from time_init(); IRQCHIP_DECLARE(gic_400, ...) and friends in
// drivers/irqchip/irq-gic{,-v3}.c, run by of_irq_init() from init_IRQ().
struct OfDeclareTable {
  const char* driver;
  std::vector<std::string> compatible;
};

const std::vector<OfDeclareTable>& OfDeclareTables() {
  static const auto* const tables = new std::vector<OfDeclareTable>{
      {"clk-of-declare", {"fixed-clock", "fixed-factor-clock"}},
      {"irqchip-of-declare",
       {"arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic", "arm,cortex-a7-gic", "arm,gic-v3"}},
  };
  return *tables;
}

bool DriverMatches(const DeviceDriver& drv, const hwmodel::DtNode& n) {
  for (const std::string& c : drv.of_match) {
    if (n.IsCompatible(c)) return true;
  }
  return false;
}

bool MatchesEarlyDriver(const DriverCore& c, const hwmodel::DtNode& n) {
  for (const DeviceDriver* drv : c.early_drivers) {
    if (DriverMatches(*drv, n)) return true;
  }
  return false;
}

void CreateEarlyDrivers(Kernel& k) {
  DriverCore& c = core(k);
  for (const OfDeclareTable& t : OfDeclareTables()) {
    auto* drv = k.Alloc<DeviceDriver>();
    drv->name = t.driver;
    drv->of_match = t.compatible;
    drv->of_declare = true;
    c.early_drivers.push_back(drv);
  }
}

int RunLevel(Kernel& k, InitLevel level) {
  for (size_t i = 0; i < k.initcalls.size(); ++i) {
    if (k.initcalls[i].level != level) continue;
    // Copy: an initcall may register more initcalls (vector growth).
    Initcall call = k.initcalls[i];
    TraceSpan span("", call.name);
    const int ret = call.fn();
    if (ret != 0) {
      TraceLog("", "do_one_initcall", absl::StrCat("initcall ", call.name, " returned ", ret));
    }
  }
  return 0;
}

}  // namespace

int ResolveDeviceNode(const hwmodel::Board& b, int node) {
  for (int n = node; n != hwmodel::kNoNode; n = b.node(n).parent) {
    if (b.node(n).is_device) return n;
  }
  return hwmodel::kNoNode;
}

std::vector<DeviceDriver*> RegisterBuiltinSupplierDrivers(Kernel& k) {
  DriverCore& c = core(k);
  if (c.supplier_drivers_registered) return c.supplier_drivers;
  c.supplier_drivers_registered = true;
  CreateEarlyDrivers(k);
  const hwmodel::Board& b = k.board;
  std::vector<int> cls(b.nodes.size(), kNumClasses);
  for (const hwmodel::DtNode& n : b.nodes) {
    for (const hwmodel::SupplierRef& ref : n.suppliers) {
      if (ref.node == hwmodel::kNoNode || ref.optional) continue;
      const int d = ResolveDeviceNode(b, ref.node);
      if (d == hwmodel::kNoNode || d == n.index) continue;
      const hwmodel::DtNode& dn = b.node(d);
      if (dn.IsSysmmu() || dn.IsMaster() || dn.compatible.empty()) continue;
      if (MatchesEarlyDriver(c, b.node(ref.node)) || MatchesEarlyDriver(c, dn)) continue;
      cls[static_cast<size_t>(d)] = std::min<int>(cls[static_cast<size_t>(d)], ClassOf(ref.property));
    }
  }
  std::array<DeviceDriver*, kNumClasses> drivers{};
  for (const hwmodel::DtNode& n : b.nodes) {
    const int cl = cls[static_cast<size_t>(n.index)];
    if (cl == kNumClasses) continue;
    DeviceDriver*& drv = drivers[static_cast<size_t>(cl)];
    if (drv == nullptr) {
      drv = k.Alloc<DeviceDriver>();
      drv->name = kClassDriver[static_cast<size_t>(cl)];
      drv->probe = [](Device* dev) {
        TraceLog(dev->name, "supplier_probe", "provider registered");
        return 0;
      };
    }
    // Most specific compatible only: fallbacks like "syscon" would match unrelated nodes.
    const std::string& compat = n.compatible.front();
    if (std::find(drv->of_match.begin(), drv->of_match.end(), compat) == drv->of_match.end()) {
      drv->of_match.push_back(compat);
    }
  }
  std::vector<Initcall> calls;
  for (size_t cl = 0; cl < kNumClasses; ++cl) {
    DeviceDriver* drv = drivers[cl];
    if (drv == nullptr) continue;
    c.supplier_drivers.push_back(drv);
    calls.push_back({kClassLevel[cl], absl::StrCat(drv->name, "_init"),
                     [&k, drv] { return platform_driver_register(k, drv); }});
  }
  k.initcalls.insert(k.initcalls.begin(), calls.begin(), calls.end());
  return c.supplier_drivers;
}

void of_declare_init(Kernel& k) {
  DriverCore& c = core(k);
  TraceSpan span("", "of_declare_init");
  for (DeviceDriver* drv : c.early_drivers) {
    for (const hwmodel::DtNode& n : k.board.nodes) {
      if (!n.available || !DriverMatches(*drv, n)) continue;
      {
        // of_irq_init / of_clk_init claim the node before calling its init function.
        harness::MutexLock l(c.fwnode_link_lock);
        c.fwnodes[static_cast<size_t>(n.index)].of_populated = true;
      }
      // The init function registers the provider (__irq_domain_add / of_clk_add_hw_provider),
      // which marks the fwnode initialised.
      fwnode_dev_initialized(k, n.index, true);
      TraceLog(n.path, drv->name, "initialised early (OF_POPULATED, FWNODE_FLAG_INITIALIZED)");
    }
  }
}

void of_platform_default_populate(Kernel& k) {
  DriverCore& c = core(k);
  TraceSpan span("", "of_platform_default_populate");
  for (int node : k.board.devices) {
    const hwmodel::DtNode& n = k.board.node(node);
    if (!n.available) continue;
    {
      // of_platform_device_create_pdata skips OF_POPULATED nodes (claimed by an early driver).
      harness::MutexLock l(c.fwnode_link_lock);
      if (c.fwnodes[static_cast<size_t>(node)].of_populated) continue;
    }
    Device* dev;
    {
      harness::MutexLock l(c.bus_klist_lock);
      dev = k.DeviceForNode(node);
      if (dev == nullptr) dev = k.AddDevice(node);
    }
    if (dev->registered) continue;
    for (int p = n.parent; p != hwmodel::kNoNode && dev->parent == nullptr;
         p = k.board.node(p).parent) {
      dev->parent = k.DeviceForNode(p);
    }
    TraceLog(dev->name, "of_platform_device_create_pdata", n.path);
    device_add(dev);
  }
}

void kernel_init(Kernel& k) {
  TraceSpan span("", "kernel_init");
  of_declare_init(k);  // start_kernel: init_IRQ -> of_irq_init, time_init -> of_clk_init
  RunLevel(k, InitLevel::kCore);
  RunLevel(k, InitLevel::kPostcore);
  RunLevel(k, InitLevel::kArch);
  of_platform_default_populate(k);  // of_platform_default_populate_init: arch_initcall_sync
  RunLevel(k, InitLevel::kArchSync);
  RunLevel(k, InitLevel::kSubsys);
  RunLevel(k, InitLevel::kFs);
  RunLevel(k, InitLevel::kDevice);
  RunLevel(k, InitLevel::kLate);
  deferred_probe_initcall(k);  // the last late_initcall
  // kernel_init_freeable -> ... async_synchronize_full() before userspace starts.
  core(k).async.SynchronizeFull();
  TraceLog("", "kernel_init", "Run /sbin/init as init process");
  // Userspace: udev coldplug loads the modules, several at once.
  for (const Module& m : k.modules) {
    harness::Rng rng = harness::Current().model_rng().Fork(absl::StrCat("modprobe/", m.name));
    const harness::Nanos at = rng.Between(m.load_time.lo, m.load_time.hi);
    Module mod = m;
    harness::Spawn(absl::StrCat("modprobe/", m.name), [mod, at] {
      const harness::Nanos now = harness::Now();
      if (at > now) harness::Current().Sleep(at - now);
      TraceSpan s("", absl::StrCat("modprobe ", mod.name));
      const int ret = mod.init();
      if (ret != 0) TraceLog("", "do_init_module", absl::StrCat(mod.name, " init returned ", ret));
    });
  }
}

void StartBoot(Kernel& k) {
  driver_core_init(k);
  RegisterBuiltinSupplierDrivers(k);
  harness::Spawn("init", [&k] { kernel_init(k); });
}

}  // namespace probestorm::kernel
