// Tests of fw_devlink in driver/base/core.cc as v6.1 does it: proxy SYNC_STATE_ONLY links for
// child nodes that are not devices, conversion of a child's own fwnode links when it becomes a
// device, links to the supplier's compat node (of_link_to_phandle), the v6.1 cycle fix-up
// (fw_devlink_relax_cycle), best effort (wait_for_init_devices_probe, FWNODE_FLAG_BEST_EFFORT) and
// early OF_DECLARE providers (FWNODE_FLAG_INITIALIZED, OF_POPULATED).
// Every test builds its own small board by hand.
#include "driver/base/core.h"

#include <string>
#include <vector>

#include "driver/base/dd.h"
#include "driver/base/driver.h"
#include "driver/base/driver_core.h"
#include "driver/base/init.h"
#include "driver/base/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/engine.h"

namespace probestorm::kernel {
namespace {

using ::probestorm::kernel::testing::BoardBuilder;
using ::probestorm::kernel::testing::TestWorld;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr uint32_t kProxyFlags = DL_FLAG_MANAGED | FW_DEVLINK_FLAGS_PERMISSIVE;
constexpr uint32_t kOnFlags = DL_FLAG_MANAGED | FW_DEVLINK_FLAGS_ON;

// The device links `dev` has as a consumer: "supplier flags".
std::vector<std::string> SupplierLinks(const Device* dev) {
  std::vector<std::string> out;
  for (const DeviceLink* l : dev->suppliers) {
    out.push_back(l->supplier->name + (l->flags == kProxyFlags ? " proxy"
                                       : l->flags == kOnFlags  ? " on"
                                                               : " other"));
  }
  return out;
}

// The fw_devlink state of `node` (end of run: no task runs, so no lock is needed).
FwnodeState Fwnode(Kernel& k, int node) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  return core(k).fwnodes[static_cast<size_t>(node)];
}

// Fwnode links left with `node` as consumer (end of run).
std::vector<int> FwnodeSuppliers(Kernel& k, int node) { return Fwnode(k, node).suppliers; }

// ---------------------------------------------------------------- child nodes without a device

// An i2c controller device whose child node (a PMIC, not a platform device) uses a clock: the
// controller gets a proxy SYNC_STATE_ONLY link to the clock provider and binds while the clock is
// not bound, in both population orders; a device consumer of the same clock waits (control).
struct ProxyRun {
  std::vector<std::string> links_at_probe;  // i2c's supplier links seen inside its probe
  bool i2c_probed_before_clk = false;
  bool uart_probed_before_clk = false;
  std::vector<int> pmic_fwnode_suppliers;   // after the run
  int clk = 0;
};

ProxyRun RunProxy(bool supplier_first) {
  BoardBuilder bb;
  int clk = 0;
  if (supplier_first) clk = bb.Add("clk", "test,clk");
  const int i2c = bb.Add("i2c", "test,i2c");
  const int pmic = bb.Add("pmic", "test,pmic", i2c, /*device=*/false);
  const int uart = bb.Add("uart", "test,uart");
  if (!supplier_first) clk = bb.Add("clk", "test,clk");
  bb.Supply(pmic, clk, "clocks");
  bb.Supply(uart, clk, "clocks");
  Knobs knobs;
  TestWorld w(bb.board(), knobs, 1);
  Kernel& k = w.k();
  ProxyRun res;
  res.clk = clk;
  bool clk_bound = false;
  DeviceDriver* cd = w.Driver("clk", "test,clk", [&](Device*) {
    clk_bound = true;
    return 0;
  });
  DeviceDriver* id = w.Driver("i2c", "test,i2c", [&](Device* dev) {
    res.links_at_probe = SupplierLinks(dev);
    res.i2c_probed_before_clk = !clk_bound;
    return 0;
  });
  DeviceDriver* ud = w.Driver("uart", "test,uart", [&](Device*) {
    res.uart_probed_before_clk = !clk_bound;
    return 0;
  });
  core(k).driver_deferred_probe_enable.Init(true);
  w.engine().Spawn("init", [&] {
    of_platform_default_populate(k);
    driver_register(k, id);
    driver_register(k, ud);
    driver_register(k, cd);
    wait_for_device_probe(k);
  });
  auto r = w.Run();
  EXPECT_TRUE(r.findings.empty()) << r.findings.front().message;
  for (int n : {i2c, uart, clk}) EXPECT_TRUE(k.DeviceForNode(n)->bound.Peek()) << n;
  EXPECT_EQ(k.DeviceForNode(pmic), nullptr);
  res.pmic_fwnode_suppliers = FwnodeSuppliers(k, pmic);
  return res;
}

TEST(FwDevlinkChildren, ProxyLinkForChildWhenSupplierAddedFirst) {
  ProxyRun r = RunProxy(/*supplier_first=*/true);
  EXPECT_THAT(r.links_at_probe, ElementsAre("clk proxy"));
  EXPECT_TRUE(r.i2c_probed_before_clk);
  EXPECT_FALSE(r.uart_probed_before_clk);  // control: a device's own link blocks
  // The child's own fwnode link stays (kept for a device of its own).
  EXPECT_THAT(r.pmic_fwnode_suppliers, ElementsAre(r.clk));
}

TEST(FwDevlinkChildren, ProxyLinkForChildWhenSupplierAddedLater) {
  ProxyRun r = RunProxy(/*supplier_first=*/false);
  EXPECT_THAT(r.links_at_probe, ElementsAre("clk proxy"));
  EXPECT_TRUE(r.i2c_probed_before_clk);
  EXPECT_FALSE(r.uart_probed_before_clk);
  EXPECT_THAT(r.pmic_fwnode_suppliers, ElementsAre(r.clk));
}

// A child node that later becomes a device of its own: its parent gets a proxy link when it is
// added, the child's own device_add converts the fwnode link into a blocking link.
TEST(FwDevlinkChildren, ChildThatBecomesDeviceConvertsItsOwnLink) {
  BoardBuilder bb;
  const int clk = bb.Add("clk", "test,clk");
  const int bus = bb.Add("bus", "test,bus");
  const int child = bb.Add("child", "test,child", bus);
  bb.Supply(child, clk, "clocks");
  Knobs knobs;
  TestWorld w(bb.board(), knobs, 1);
  Kernel& k = w.k();
  std::vector<std::string> bus_links, child_links;
  std::vector<int> child_fwnode;
  DeviceDriver* bd = w.Driver("bus", "test,bus");
  DeviceDriver* chd = w.Driver("child", "test,child");
  DeviceDriver* cd = w.Driver("clk", "test,clk");
  // The child probes before the clock and defers; the clock's bind must retry it.
  core(k).driver_deferred_probe_enable.Init(true);
  w.engine().Spawn("init", [&] {
    of_platform_default_populate(k);
    bus_links = SupplierLinks(k.DeviceForNode(bus));
    child_links = SupplierLinks(k.DeviceForNode(child));
    {
      harness::MutexLock l(core(k).fwnode_link_lock);
      child_fwnode = core(k).fwnodes[static_cast<size_t>(child)].suppliers;
    }
    driver_register(k, bd);
    driver_register(k, chd);
    driver_register(k, cd);
  });
  auto r = w.Run();
  EXPECT_TRUE(r.findings.empty()) << r.findings.front().message;
  EXPECT_THAT(bus_links, ElementsAre("clk proxy"));
  EXPECT_THAT(child_links, ElementsAre("clk on"));
  EXPECT_THAT(child_fwnode, IsEmpty());
  EXPECT_EQ(k.DeviceForNode(child)->parent, k.DeviceForNode(bus));
  for (int n : {clk, bus, child}) EXPECT_TRUE(k.DeviceForNode(n)->bound.Peek()) << n;
}

// fw_devlink=off: no parsing, no proxy (negative control of the proxy tests).
TEST(FwDevlinkChildren, NoProxyWhenFwDevlinkOff) {
  BoardBuilder bb;
  const int clk = bb.Add("clk", "test,clk");
  const int i2c = bb.Add("i2c", "test,i2c");
  const int pmic = bb.Add("pmic", "test,pmic", i2c, /*device=*/false);
  bb.Supply(pmic, clk, "clocks");
  Knobs knobs;
  knobs.fw_devlink = FwDevlinkMode::kOff;
  TestWorld w(bb.board(), knobs, 1);
  Kernel& k = w.k();
  w.engine().Spawn("init", [&] { of_platform_default_populate(k); });
  auto r = w.Run();
  EXPECT_TRUE(r.findings.empty());
  EXPECT_THAT(SupplierLinks(k.DeviceForNode(i2c)), IsEmpty());
  EXPECT_THAT(FwnodeSuppliers(k, pmic), IsEmpty());
}

// ---------------------------------------------------------------- the compat node is the supplier

// A uart's pinctrl-0 names a state node without a `compatible` under a pin controller: v6.1 links
// the uart to the controller (of_get_compat_node), a blocking device link, and the uart's probe
// waits for the controller to bind although its driver registers first. With the controller
// disabled the walk stops there: no link at all and the uart probes at once (control).
struct CompatRun {
  std::vector<std::string> links_at_probe;  // the consumer's supplier links inside its probe
  bool consumer_probed = false;
  bool probed_before_supplier = false;
  std::vector<int> consumer_fwnode;         // fwnode links left after populate
};

// Populates `board`, registers the consumer's driver, then the supplier's (each matches its
// node's first compatible), and waits for probing. The supplier may be disabled (no device).
CompatRun RunConsumerFirst(const hwmodel::Board& board, int supplier, int consumer) {
  const Knobs knobs;  // the Kernel keeps a reference
  TestWorld w(board, knobs, 1);
  Kernel& k = w.k();
  CompatRun res;
  bool supplier_bound = false;
  DeviceDriver* sd = w.Driver("supplier", board.node(supplier).compatible.at(0), [&](Device*) {
    supplier_bound = true;
    return 0;
  });
  DeviceDriver* cd = w.Driver("consumer", board.node(consumer).compatible.at(0), [&](Device* dev) {
    res.consumer_probed = true;
    res.links_at_probe = SupplierLinks(dev);
    res.probed_before_supplier = !supplier_bound;
    return 0;
  });
  core(k).driver_deferred_probe_enable.Init(true);
  w.engine().Spawn("init", [&] {
    of_platform_default_populate(k);
    {
      harness::MutexLock l(core(k).fwnode_link_lock);
      res.consumer_fwnode = core(k).fwnodes[static_cast<size_t>(consumer)].suppliers;
    }
    driver_register(k, cd);
    driver_register(k, sd);
    wait_for_device_probe(k);
  });
  auto r = w.Run();
  EXPECT_TRUE(r.findings.empty()) << r.findings.front().message;
  EXPECT_TRUE(k.DeviceForNode(consumer)->bound.Peek());
  return res;
}

CompatRun RunPinctrlState(bool controller_okay) {
  BoardBuilder bb;
  const int pinctrl = bb.Add("pinctrl", "test,pinctrl", 0, true, controller_okay);
  const int state = bb.Add("uart-pins", "", pinctrl, /*device=*/false);
  const int uart = bb.Add("uart", "test,uart");
  bb.Supply(uart, state, "pinctrl-0");
  return RunConsumerFirst(bb.board(), pinctrl, uart);
}

TEST(FwDevlinkCompatNode, PinctrlStateLinksToItsController) {
  CompatRun r = RunPinctrlState(/*controller_okay=*/true);
  EXPECT_THAT(r.links_at_probe, ElementsAre("pinctrl on"));
  EXPECT_TRUE(r.consumer_probed);
  EXPECT_FALSE(r.probed_before_supplier);
  EXPECT_THAT(r.consumer_fwnode, IsEmpty());  // converted at device_add: the controller exists
}

TEST(FwDevlinkCompatNode, DisabledControllerMakesNoLink) {
  CompatRun r = RunPinctrlState(/*controller_okay=*/false);
  EXPECT_THAT(r.links_at_probe, IsEmpty());
  EXPECT_TRUE(r.consumer_probed);
  EXPECT_TRUE(r.probed_before_supplier);
  EXPECT_THAT(r.consumer_fwnode, IsEmpty());
}

// v6.1 refuses a link only when the consumer node is an ancestor of (or is) the supplier: a
// device that uses its parent's clock waits for the parent to bind. The parent's reference to
// its own compat-less subnode makes no link (control: the parent probes with no supplier link).
TEST(FwDevlinkCompatNode, ChildDeviceWaitsForTheParentItReferences) {
  BoardBuilder bb;
  const int bus = bb.Add("bus", "test,bus");
  const int out = bb.Add("clock-out", "", bus, /*device=*/false);
  const int child = bb.Add("child", "test,child", bus);
  bb.Supply(child, bus, "clocks");
  bb.Supply(bus, out, "clocks");
  CompatRun child_run = RunConsumerFirst(bb.board(), bus, child);
  EXPECT_THAT(child_run.links_at_probe, ElementsAre("bus on"));
  EXPECT_FALSE(child_run.probed_before_supplier);
  // The bus's driver registers first here; the child's second.
  CompatRun bus_run = RunConsumerFirst(bb.board(), /*supplier=*/child, /*consumer=*/bus);
  EXPECT_TRUE(bus_run.probed_before_supplier);
  EXPECT_THAT(bus_run.links_at_probe, IsEmpty());
  EXPECT_THAT(bus_run.consumer_fwnode, IsEmpty());
}

// ---------------------------------------------------------------- cycles (v6.1 fix-up)

// A uses B's clock and B is in A's power domain. When B is added, B -> A would close a cycle:
// v6.1 relaxes every fw_devlink link on the cycle (A -> B becomes SYNC_STATE_ONLY too) and adds
// B -> A as a permissive link; both bind. Without the cycle A -> B stays blocking (control).
struct CycleRun {
  std::vector<std::string> a_links, b_links;
  bool a_bound = false, b_bound = false;
};

CycleRun RunCycle(bool cycle) {
  BoardBuilder bb;
  const int a = bb.Add("a", "test,a");
  const int b = bb.Add("b", "test,b");
  bb.Supply(a, b, "clocks");
  if (cycle) bb.Supply(b, a, "power-domains");
  Knobs knobs;
  TestWorld w(bb.board(), knobs, 1);
  Kernel& k = w.k();
  CycleRun res;
  DeviceDriver* ad = w.Driver("a", "test,a");
  DeviceDriver* bd = w.Driver("b", "test,b");
  // Without the cycle A probes before B and defers; B's bind must retry it.
  core(k).driver_deferred_probe_enable.Init(true);
  w.engine().Spawn("init", [&] {
    of_platform_default_populate(k);
    res.a_links = SupplierLinks(k.DeviceForNode(a));
    res.b_links = SupplierLinks(k.DeviceForNode(b));
    driver_register(k, ad);
    driver_register(k, bd);
  });
  auto r = w.Run();
  EXPECT_TRUE(r.findings.empty()) << r.findings.front().message;
  res.a_bound = k.DeviceForNode(a)->bound.Peek();
  res.b_bound = k.DeviceForNode(b)->bound.Peek();
  return res;
}

TEST(FwDevlinkCycles, CycleRelaxesEveryLinkOnIt) {
  CycleRun r = RunCycle(true);
  EXPECT_THAT(r.a_links, ElementsAre("b proxy"));
  EXPECT_THAT(r.b_links, ElementsAre("a proxy"));
  EXPECT_TRUE(r.a_bound);
  EXPECT_TRUE(r.b_bound);
}

TEST(FwDevlinkCycles, NoCycleKeepsBlockingLink) {
  CycleRun r = RunCycle(false);
  EXPECT_THAT(r.a_links, ElementsAre("b on"));
  EXPECT_THAT(r.b_links, IsEmpty());
  EXPECT_TRUE(r.a_bound);
  EXPECT_TRUE(r.b_bound);
}

// ---------------------------------------------------------------- best effort

// C waits for S, a device no driver matches (!can_match). wait_for_init_devices_probe retries C
// in best-effort mode: the INFERRED link to a supplier without a driver no longer blocks (-EAGAIN),
// C probes; a probe failure then counts as a deferral. A supplier whose driver matched and keeps
// deferring (can_match) still blocks C (control).
struct BestEffortRun {
  int probes_before = 0;
  int probes_after = 0;
  bool bound = false;
  bool pending = false;
  int last_ret = 0;
};

BestEffortRun RunBestEffort(bool supplier_has_driver, int consumer_ret, bool flag_fwnode) {
  BoardBuilder bb;
  const int s = bb.Add("pmic", "test,pmic");
  const int c = bb.Add("codec", "test,codec");
  bb.Supply(c, s, "vdd-supply");
  Knobs knobs;
  TestWorld w(bb.board(), knobs, 1);
  Kernel& k = w.k();
  BestEffortRun res;
  int probes = 0;
  DeviceDriver* cd = w.Driver("codec", "test,codec", [&](Device*) {
    ++probes;
    return consumer_ret;
  });
  DeviceDriver* sd = w.Driver("pmic", "test,pmic", [](Device*) { return -EPROBE_DEFER; });
  core(k).driver_deferred_probe_enable.Init(true);
  w.engine().Spawn("init", [&] {
    if (flag_fwnode) {
      harness::MutexLock l(core(k).fwnode_link_lock);
      core(k).fwnodes[static_cast<size_t>(c)].best_effort = true;
    }
    of_platform_default_populate(k);
    if (supplier_has_driver) driver_register(k, sd);
    driver_register(k, cd);
    wait_for_device_probe(k);
    res.probes_before = probes;
    if (!flag_fwnode) wait_for_init_devices_probe(k);
    res.probes_after = probes;
  });
  auto r = w.Run();
  Device* cdev = k.DeviceForNode(c);
  res.bound = cdev->bound.Peek();
  res.pending = deferred_probe_pending(k, cdev);
  res.last_ret = cdev->last_probe_ret;
  EXPECT_FALSE(core(k).fw_devlink_best_effort.Peek());
  return res;
}

TEST(FwDevlinkBestEffort, ProbesPastSupplierWithoutDriver) {
  BestEffortRun r = RunBestEffort(/*supplier_has_driver=*/false, 0, false);
  EXPECT_EQ(r.probes_before, 0);
  EXPECT_EQ(r.probes_after, 1);
  EXPECT_TRUE(r.bound);
}

TEST(FwDevlinkBestEffort, ProbeFailureBecomesDeferral) {
  BestEffortRun r = RunBestEffort(false, -EIO, false);
  EXPECT_EQ(r.probes_after, 1);
  EXPECT_FALSE(r.bound);
  EXPECT_EQ(r.last_ret, EPROBE_DEFER);  // not EIO: back on the pending list, not given up
  EXPECT_TRUE(r.pending);
}

TEST(FwDevlinkBestEffort, SupplierWithDriverStillBlocks) {
  BestEffortRun r = RunBestEffort(/*supplier_has_driver=*/true, 0, false);
  EXPECT_EQ(r.probes_before, 0);
  EXPECT_EQ(r.probes_after, 0);
  EXPECT_FALSE(r.bound);
}

TEST(FwDevlinkBestEffort, FwnodeFlagMakesDeviceBestEffort) {
  BestEffortRun r = RunBestEffort(false, 0, /*flag_fwnode=*/true);
  EXPECT_EQ(r.probes_before, 1);  // no wait_for_init_devices_probe needed
  EXPECT_TRUE(r.bound);
}

// ---------------------------------------------------------------- early providers

// A GIC (IRQCHIP_DECLARE) and a fixed clock (CLK_OF_DECLARE) are claimed by the early drivers:
// no platform device, FWNODE_FLAG_INITIALIZED set, no fwnode or device link from the uart to
// them. A clock controller that is an ordinary platform device still gets a blocking link.
TEST(EarlyProviders, OfDeclareDriversMarkFwnodesInitialized) {
  BoardBuilder bb;
  const int xxti = bb.Add("xxti", "fixed-clock");
  const int gic = bb.Add("gic", "arm,gic-400");
  const int cmu = bb.Add("cmu", "test,cmu");
  const int uart = bb.Add("uart", "test,uart");
  bb.Supply(cmu, xxti, "clocks");
  bb.Supply(uart, gic, "interrupts");
  bb.Supply(uart, xxti, "clocks");
  bb.Supply(uart, cmu, "clocks");
  Knobs knobs;
  TestWorld w(bb.board(), knobs, 1);
  Kernel& k = w.k();
  DeviceDriver* ud = w.Driver("uart", "test,uart");
  std::vector<std::string> uart_links;
  ud->probe = [&](Device* dev) {
    uart_links = SupplierLinks(dev);
    return 0;
  };
  k.initcalls.push_back({InitLevel::kDevice, "uart_init", [&] { return platform_driver_register(k, ud); }});
  w.engine().Spawn("boot", [&] { StartBoot(k); });
  auto r = w.Run();
  EXPECT_TRUE(r.findings.empty()) << r.findings.front().message;
  EXPECT_EQ(k.DeviceForNode(gic), nullptr);
  EXPECT_EQ(k.DeviceForNode(xxti), nullptr);
  const FwnodeState g = Fwnode(k, gic);
  EXPECT_TRUE(g.initialized);
  EXPECT_TRUE(g.of_populated);
  EXPECT_FALSE(Fwnode(k, cmu).initialized);
  EXPECT_THAT(uart_links, ElementsAre("cmu on"));
  EXPECT_THAT(FwnodeSuppliers(k, uart), IsEmpty());
  EXPECT_TRUE(k.DeviceForNode(cmu)->bound.Peek());
  EXPECT_TRUE(k.DeviceForNode(uart)->bound.Peek());
}

// The flag itself, on a supplier that has a device but never binds: fw_devlink_create_devlink
// drops the link (-EINVAL) only when the fwnode is initialised.
void RunInitializedSupplier(bool initialized, bool* consumer_bound, std::vector<std::string>* links) {
  BoardBuilder bb;
  const int s = bb.Add("timer", "test,timer");
  const int c = bb.Add("uart", "test,uart");
  bb.Supply(c, s, "clocks");
  Knobs knobs;
  TestWorld w(bb.board(), knobs, 1);
  Kernel& k = w.k();
  DeviceDriver* ud = w.Driver("uart", "test,uart");
  w.engine().Spawn("init", [&] {
    if (initialized) fwnode_dev_initialized(k, s, true);
    of_platform_default_populate(k);
    *links = SupplierLinks(k.DeviceForNode(c));
    driver_register(k, ud);
  });
  auto r = w.Run();
  EXPECT_TRUE(r.findings.empty()) << r.findings.front().message;
  *consumer_bound = k.DeviceForNode(c)->bound.Peek();
}

TEST(EarlyProviders, InitializedSupplierWithoutDriverIsNotWaitedFor) {
  bool bound = false;
  std::vector<std::string> links;
  RunInitializedSupplier(true, &bound, &links);
  EXPECT_THAT(links, IsEmpty());
  EXPECT_TRUE(bound);
}

TEST(EarlyProviders, UninitializedSupplierWithoutDriverBlocks) {
  bool bound = true;
  std::vector<std::string> links;
  RunInitializedSupplier(false, &bound, &links);
  EXPECT_THAT(links, ElementsAre("timer on"));
  EXPECT_FALSE(bound);
}

// ---------------------------------------------------------------- device links after a failed probe

// Statuses of one managed link through device_links_no_driver, driven directly (KUnit-style) on a
// board without fw_devlink, so the only link is the one the test adds.
struct NoDriverRun {
  DeviceLinkState before = DL_STATE_NONE;
  DeviceLinkState after = DL_STATE_NONE;
};

// `supplier_fails`: the consumer adds a managed link while both devices probe, and the
// supplier's probe fails. Else the consumer has a sync-state-only link to a supplier that never
// probed, passes device_links_check_suppliers with it, and its own probe fails.
NoDriverRun RunNoDriver(bool supplier_fails) {
  BoardBuilder bb;
  const int sup = bb.Add("sup", "test,sup");
  const int con = bb.Add("con", "test,con");
  Knobs knobs;
  knobs.fw_devlink = FwDevlinkMode::kOff;
  TestWorld w(bb.board(), knobs, 1);
  Kernel& k = w.k();
  NoDriverRun res;
  w.engine().Spawn("init", [&] {
    of_platform_default_populate(k);
    Device* s = k.DeviceForNode(sup);
    Device* c = k.DeviceForNode(con);
    DeviceLink* link = nullptr;
    if (supplier_fails) {
      {
        harness::MutexLock l(core(k).device_links_lock);
        s->links_status = DlDevState::kProbing;
        c->links_status = DlDevState::kProbing;
      }
      link = device_link_add(c, s, DL_FLAG_AUTOREMOVE_SUPPLIER);
      res.before = link->status;
      device_links_no_driver(s);
    } else {
      link = device_link_add(c, s, FW_DEVLINK_FLAGS_PERMISSIVE);
      EXPECT_EQ(device_links_check_suppliers(c), 0);
      res.before = link->status;
      device_links_no_driver(c);
    }
    res.after = link->status;
  });
  auto r = w.Run();
  EXPECT_TRUE(r.findings.empty()) << r.findings.front().message;
  return res;
}

// v6.1 device_links_no_driver: a consumer link in CONSUMER_PROBE or ACTIVE on a supplier whose
// probe failed was made while the supplier probed; it becomes DORMANT.
TEST(DeviceLinks, FailedSupplierProbeSendsProbingConsumerLinkDormant) {
  const NoDriverRun r = RunNoDriver(/*supplier_fails=*/true);
  EXPECT_EQ(r.before, DL_STATE_CONSUMER_PROBE);
  EXPECT_EQ(r.after, DL_STATE_DORMANT);
}

// __device_links_no_driver: the consumer's link goes back to AVAILABLE only if the supplier is
// bound; a sync-state-only link to an unbound supplier goes back to DORMANT.
TEST(DeviceLinks, FailedConsumerProbeLeavesLinkToUnboundSupplierDormant) {
  const NoDriverRun r = RunNoDriver(/*supplier_fails=*/false);
  EXPECT_EQ(r.before, DL_STATE_CONSUMER_PROBE);
  EXPECT_EQ(r.after, DL_STATE_DORMANT);
}

}  // namespace
}  // namespace probestorm::kernel
