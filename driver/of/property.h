// fw_devlink supplier bindings (drivers/of/property.c of_link_property / of_supplier_bindings[],
// v6.1; KERNEL.md §2.1): which of a DT node's supplier references become fwnode links.
//
// The Board already lists each node's supplier references (SupplierRef, with the binding's
// `optional` bit). A reference becomes a fwnode link unless:
//   * fw_devlink is off (no parsing at all);
//   * the binding is optional (iommus, iommu-map, dmas) and fw_devlink is not strict
//     (fw_devlink_is_strict() = strict && !permissive); knob iommus_optional=false makes `iommus`
//     non-optional (the seed mail's property.c change);
//   * the supplier or an ancestor up to the first node with a device is unavailable;
//   * no node at or above the supplier becomes a device (of_link_to_phandle's "No device");
//   * the supplier is the consumer itself or one of its ancestors.
//
// Thread-safety: pure functions of immutable Board data and Knobs.
#ifndef PROBESTORM_DRIVER_OF_PROPERTY_H_
#define PROBESTORM_DRIVER_OF_PROPERTY_H_

#include <vector>

#include "driver/profile.h"
#include "hwmodel/dt/board.h"

namespace probestorm::kernel {

bool fw_devlink_is_permissive(const Knobs& knobs);
bool fw_devlink_is_strict(const Knobs& knobs);
// Whether the binding of `ref` is optional under `knobs` (before the strict test).
bool of_supplier_binding_optional(const Knobs& knobs, const hwmodel::SupplierRef& ref);
// The supplier nodes of `node` that of_fwnode_add_links() links to, in property order, without
// duplicates.
std::vector<int> of_fwnode_supplier_links(const hwmodel::Board& board, const Knobs& knobs,
                                          int node);

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_OF_PROPERTY_H_
