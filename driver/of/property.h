// fw_devlink supplier bindings (drivers/of/property.c of_fwnode_add_links / of_link_property /
// of_link_to_phandle, v6.1): which fwnode links parsing a DT node adds.
//
// The Board already lists each node's supplier references (SupplierRef, with the binding's
// `optional` bit). For each reference of the node being parsed (the consumer fwnode, a device's
// own node or a descendant parsed on its behalf), v6.1 adds a fwnode link unless:
//   * fw_devlink is off (no parsing at all);
//   * the binding is optional (iommus, iommu-map, dmas) and fw_devlink is not strict
//     (fw_devlink_is_strict() = strict && !permissive); knob iommus_optional=false makes `iommus`
//     non-optional (the seed mail's property.c change);
//   * of_get_compat_node finds nothing ("No device"): the walk from the referenced node up to its
//     nearest ancestor-or-self with a `compatible` meets a node whose own `status` is not okay,
//     or no node on the way has a `compatible`;
//   * the consumer node is that compat node or one of its ancestors ("is descendant": a node
//     cannot depend on its own child);
//   * at parse time the compat node has no device and is flagged OF_POPULATED or
//     FWNODE_FLAG_NOT_DEVICE ("No struct device"): run state, tested by the caller
//     (driver/base/core.cc).
// The link's supplier is the compat node, not the referenced node: a pinctrl state node or a
// clock-output subnode links to its controller.
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
// The nearest node at or above `node` that has a `compatible`, or kNoNode when none has one or
// the walk meets a node that is not available on its own (of_device_is_available) first; the
// compat node's own status counts, its ancestors' do not.
int of_get_compat_node(const hwmodel::Board& board, int node);
// Whether `test_ancestor` is `child` or one of its ancestors.
bool of_is_ancestor_of(const hwmodel::Board& board, int test_ancestor, int child);
// The supplier nodes (compat nodes) of the fwnode links of_fwnode_add_links(`node`) adds, in
// property order, without duplicates, before the caller's "No struct device" test.
std::vector<int> of_fwnode_supplier_links(const hwmodel::Board& board, const Knobs& knobs,
                                          int node);

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_OF_PROPERTY_H_
