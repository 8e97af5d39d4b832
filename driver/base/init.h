// Boot: initcalls, OF population, the deferred-probe late_initcall and modprobe tasks
// (init/main.c do_initcalls, drivers/of/platform.c of_platform_default_populate_init, v6.1).
//
// StartBoot (call from setup code or a task, before/while the engine runs) spawns "init", which:
//   1. runs Kernel::initcalls level by level in registration order: core, postcore, arch;
//   2. at arch_initcall_sync populates the platform bus: device_add() for every available node of
//      Board::devices, in order, creating fw_devlink links (of_fwnode_add_links);
//   3. subsys, fs, device, late initcalls; deferred_probe_initcall is the last late initcall;
//   4. then spawns one "modprobe/<name>" task per Kernel::modules entry, each sleeping until a load
//      time drawn from the module's LoadTime with model_rng().Fork("modprobe/<name>"), then running
//      its init (several may run concurrently, like udev coldplug).
// Built-in supplier drivers (registered by StartBoot as initcalls), for device nodes that another
// node references through a non-optional fw_devlink binding and that are neither SysMMUs nor
// masters (their drivers are the IOMMU and masters models):
//   "clk-supplier"      clocks / assigned-clocks targets      core_initcall   (clock controllers)
//   "pd-supplier"       power-domains targets                 core_initcall   (exynos pm_domains)
//   "pinctrl-supplier"  pinctrl-N targets (their controller)  postcore_initcall (samsung pinctrl)
//   "irqchip-supplier"  interrupts / interrupt-parent targets arch_initcall
//   "generic-supplier"  any other supplier (regulators, phys, ...)  device_initcall
// OF_DECLARE-style early drivers (DeviceDriver::of_declare), created with them and never
// registered on the bus:
//   "clk-of-declare"      fixed-clock, fixed-factor-clock   (CLK_OF_DECLARE, of_clk_init)
//   "irqchip-of-declare"  arm,gic-400 and the other GICs    (IRQCHIP_DECLARE, of_irq_init)
// of_declare_init, first thing in the init task (start_kernel in the kernel), claims each matching
// available node (OF_POPULATED: no platform device is created for it) and marks its fwnode
// initialised (fwnode_dev_initialized), so fw_devlink drops links to it as the kernel does.
//
// Thread-safety: StartBoot is called once per run, before or from a task of that run's engine.
#ifndef PROBESTORM_DRIVER_BASE_INIT_H_
#define PROBESTORM_DRIVER_BASE_INIT_H_

#include <string>
#include <vector>

#include "hwmodel/dt/board.h"

namespace probestorm::kernel {

class Kernel;
struct DeviceDriver;

void StartBoot(Kernel& k);
// The init task's body (StartBoot spawns it); callable directly from a test task.
void kernel_init(Kernel& k);
// Runs the OF_DECLARE early drivers (see above). kernel_init calls it before the first initcall.
void of_declare_init(Kernel& k);
// of_platform_default_populate: device_add for every available Board::devices node, in order,
// except nodes an early driver claimed (OF_POPULATED).
void of_platform_default_populate(Kernel& k);
// The device node a supplier or provider reference resolves to: the node itself if it becomes a
// device, else its nearest ancestor that does; kNoNode if none.
int ResolveDeviceNode(const hwmodel::Board& b, int node);
// Registers the built-in supplier drivers as initcalls (idempotent). Returns them.
std::vector<DeviceDriver*> RegisterBuiltinSupplierDrivers(Kernel& k);

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_BASE_INIT_H_
