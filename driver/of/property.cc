// Models the fw_devlink part of drivers/of/property.c, Linux v6.1: of_link_property's
// optional-binding skip and of_link_to_phandle's availability and ancestor checks (KERNEL.md
// §2.1). The property parsing itself (of_supplier_bindings[]) is done once per board by
// hwmodel/dt (SupplierRef).
//
// Deliberate divergences: the knob iommus_optional=false makes only `iommus` mandatory (the seed
// mail's property.c change), not iommu-map/dmas; the "supplier is an ancestor" test is applied to
// the supplier node as given (the kernel compares against the consumer's device node); the
// supplier is the node as given, not its nearest ancestor with a `compatible` (of_get_compat_node),
// and the "No device" test asks whether any node at or above the supplier becomes a platform
// device (Board::DeviceOf) instead of whether one has a `compatible`.
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

std::vector<int> of_fwnode_supplier_links(const hwmodel::Board& board, const Knobs& knobs,
                                          int node) {
  std::vector<int> out;
  if (knobs.fw_devlink == FwDevlinkMode::kOff) return out;
  const hwmodel::DtNode& con = board.node(node);
  for (const hwmodel::SupplierRef& ref : con.suppliers) {
    if (ref.node == hwmodel::kNoNode) continue;
    // if (s->optional && !fw_devlink_is_strict()) continue;
    if (of_supplier_binding_optional(knobs, ref) && !fw_devlink_is_strict(knobs)) continue;
    if (ref.node == node) continue;
    // Don't link to an ancestor of the consumer.
    bool ancestor = false;
    for (int p = con.parent; p != hwmodel::kNoNode; p = board.node(p).parent) {
      if (p == ref.node) {
        ancestor = true;
        break;
      }
    }
    if (ancestor) continue;
    // of_link_to_phandle: the supplier and its ancestors must be available (no device exists
    // yet for an unavailable node, so the kernel's walk reaches every ancestor).
    if (!board.node(ref.node).available) continue;
    // "Not linking ... - No device": no device will ever stand for the supplier.
    if (board.DeviceOf(ref.node) == hwmodel::kNoNode) continue;
    if (std::find(out.begin(), out.end(), ref.node) == out.end()) out.push_back(ref.node);
  }
  return out;
}

}  // namespace probestorm::kernel
