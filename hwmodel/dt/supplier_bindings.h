// SupplierBinding: which device-tree properties fw_devlink turns into supplier links.
//
// Models of_supplier_bindings[] and of_link_property() in drivers/of/property.c (read in the v6.1
// layout, with the later of_irq_parse_one() form of parse_interrupts that also handles
// `interrupts-extended`). Bindings are tried in the kernel's table order and the first that matches
// a property name wins. Deliberate divergences: `nvmem-cells` takes `#nvmem-cell-cells` arguments
// when the supplier has them (newer kernels) and none otherwise (v6.1); `msi-parent` takes none
// when the supplier has no `#msi-cells`; bindings newer than v6.1 (io-backends, interrupt-map,
// access-controllers, post-init-providers, power-supplies, ...) are not modelled.
//
// Thread-safety: stateless; safe from any thread.
#ifndef PROBESTORM_HWMODEL_DT_SUPPLIER_BINDINGS_H_
#define PROBESTORM_HWMODEL_DT_SUPPLIER_BINDINGS_H_

#include <optional>
#include <string_view>

namespace probestorm::hwmodel {

struct SupplierBinding {
  enum class Kind {
    kPhandleList,     // `<&supplier arg...>, ...`: every phandle is a supplier
    kFirstPhandle,    // `*-supply`: only the first phandle (parse_regulators)
    kIommuMap,        // `iommu-map`: <rid-base &iommu iommu-base length> quadruples
    kRemoteEndpoint,  // graph: supplier and consumer are the devices owning the two ports
    kInterrupts,      // `interrupts` / `interrupts-extended`: the interrupt parent(s)
  };
  Kind kind = Kind::kPhandleList;
  std::string_view cells;       // argument count property of the supplier; empty: none
  bool cells_optional = false;  // a supplier without `cells` takes no arguments
  bool optional = false;        // `.optional = true`: skipped unless fw_devlink is strict
};

// The binding of_link_property() would use for property `name`, or nullopt when `name` creates no
// link. `gpio_hog`: the node has a `gpio-hog` property (parse_gpio_compat ignores such nodes).
std::optional<SupplierBinding> MatchSupplierBinding(std::string_view name, bool gpio_hog);

}  // namespace probestorm::hwmodel

#endif  // PROBESTORM_HWMODEL_DT_SUPPLIER_BINDINGS_H_
