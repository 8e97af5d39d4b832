// Models the fw_devlink part of drivers/of/property.c, Linux v6.1: the
// optional-binding skip of of_link_property and the checks of of_link_to_phandle in their v6.1
// order: of_get_compat_node (the supplier becomes the nearest available ancestor-or-self with a
// `compatible`; "No device" when there is none), the "is descendant" test against the node being
// parsed (of_is_ancestor_of(con_np, sup_np)), then "No struct device", which needs run state and
// is applied by the caller (FwDevlinkParseFwnode in driver/base/core.cc). The property parsing
// itself (of_supplier_bindings[]) is done once per board by hwmodel/dt (SupplierRef).
//
// v6.3 replaced all of this ("of: property: Simplify of_link_to_phandle()": link to the node as
// given, check only availability up to the first node with a device, and let the driver core move
// dangling consumers to the parent device); that form is not modelled.
//
// Deliberate divergences:
//  * the knob iommus_optional=false makes only `iommus` mandatory (the seed mail's property.c
//    change), not iommu-map/dmas;
//  * remote-endpoint: the Board resolves both endpoints to their port parents when it loads
//    (of_graph_get_port_parent), so the consumer is the local port parent instead of
//    of_get_compat_node_parent(endpoint), and the walk to the supplier starts at the remote port
//    parent instead of the remote endpoint (the status of port and endpoint nodes is not seen).
//    Where every port parent has a `compatible`, as on TM2E, the linked nodes are the same.
#include "driver/of/property.h"

#include <algorithm>

namespace probestorm::kernel {

bool fw_devlink_is_permissive(const Knobs& knobs) {
  return knobs.fw_devlink == FwDevlinkMode::kPermissive;
}

bool fw_devlink_is_strict(const Knobs& knobs) {
  return knobs.fw_devlink_strict && !fw_devlink_is_permissive(knobs);
}

bool of_supplier_binding_optional(const Knobs& knobs, const hwmodel::SupplierRef& ref) {
  if (!ref.optional) return false;
  if (ref.property == "iommus" && !knobs.iommus_optional) return false;
  return true;
}

int of_get_compat_node(const hwmodel::Board& board, int node) {
  for (int n = node; n != hwmodel::kNoNode; n = board.node(n).parent) {
    // of_device_is_available looks at the node's own status only.
    if (!board.node(n).status_okay) return hwmodel::kNoNode;
    if (!board.node(n).compatible.empty()) return n;
  }
  return hwmodel::kNoNode;
}

bool of_is_ancestor_of(const hwmodel::Board& board, int test_ancestor, int child) {
  for (int n = child; n != hwmodel::kNoNode; n = board.node(n).parent) {
    if (n == test_ancestor) return true;
  }
  return false;
}

std::vector<int> of_fwnode_supplier_links(const hwmodel::Board& board, const Knobs& knobs,
                                          int node) {
  std::vector<int> out;
  if (knobs.fw_devlink == FwDevlinkMode::kOff) return out;
  for (const hwmodel::SupplierRef& ref : board.node(node).suppliers) {
    if (ref.node == hwmodel::kNoNode) continue;
    // of_link_property passes over an optional binding unless fw_devlink is strict.
    if (of_supplier_binding_optional(knobs, ref) && !fw_devlink_is_strict(knobs)) continue;
    // "Not linking ... - No device": nothing at or above the reference has a compatible, or the
    // walk meets a disabled node first.
    const int sup = of_get_compat_node(board, ref.node);
    if (sup == hwmodel::kNoNode) continue;
    // "Not linking ... - is descendant": the node being parsed (not the device it is parsed for)
    // is the supplier or an ancestor of it. A supplier that is an ancestor of the consumer is
    // linked (a child may depend on its parent).
    if (of_is_ancestor_of(board, node, sup)) continue;
    // fwnode_link_add adds one link per consumer and supplier pair.
    if (std::find(out.begin(), out.end(), sup) == out.end()) out.push_back(sup);
  }
  return out;
}

}  // namespace probestorm::kernel
