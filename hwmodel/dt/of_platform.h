// Which device-tree nodes become devices, and their names (private to hwmodel/dt).
//
// Models drivers/of/platform.c: of_platform_default_populate_init() (children of /firmware first,
// then of_platform_default_populate() from the root), of_platform_bus_create() (strict: a node
// needs `compatible`; "operating-points-v2" tables are skipped; "arm,primecell" nodes become AMBA
// devices; children are walked only below "simple-bus", "simple-mfd", "isa" and "arm,amba-bus") and
// of_device_make_bus_id() for the device name, with of_translate_address() (drivers/of/address.c,
// default bus only: PCI and ISA address spaces are not modelled). Not modelled: the few
// /reserved-memory compatibles and the simple-framebuffer that of_platform_default_populate_init()
// creates devices for explicitly.
//
// Thread-safety: runs inside one LoadDtb call.
#ifndef PROBESTORM_HWMODEL_DT_OF_PLATFORM_H_
#define PROBESTORM_HWMODEL_DT_OF_PLATFORM_H_

#include <cstdint>
#include <optional>
#include <string>

#include "hwmodel/dt/fdt_tree.h"

namespace probestorm::hwmodel::dt_internal {

// `address`, a `reg` address of `node`, as a CPU physical address through the `ranges` of every
// bus above it; nullopt where Linux returns OF_BAD_ADDR.
std::optional<uint64_t> TranslateAddress(const FdtTree& tree, int node, uint64_t address);

// The kernel's bus id for a device created from `node`, e.g. "13a00000.sysmmu".
std::string MakeBusId(const FdtTree& tree, int node);

// Sets is_device, is_amba and device_name, and fills Board::devices in population order.
void PopulateDevices(FdtTree& tree);

}  // namespace probestorm::hwmodel::dt_internal

#endif  // PROBESTORM_HWMODEL_DT_OF_PLATFORM_H_
