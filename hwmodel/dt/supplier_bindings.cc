#include "hwmodel/dt/supplier_bindings.h"

#include <array>
#include <utility>

namespace probestorm::hwmodel {
namespace {

using Kind = SupplierBinding::Kind;

constexpr SupplierBinding List(std::string_view cells, bool optional = false) {
  return {Kind::kPhandleList, cells, false, optional};
}
constexpr SupplierBinding ListOptionalCells(std::string_view cells) {
  return {Kind::kPhandleList, cells, true, false};
}

// of_supplier_bindings[] for properties matched by exact name, in table order.
constexpr std::array<std::pair<std::string_view, SupplierBinding>, 34> kExact = {{
    {"clocks", List("#clock-cells")},
    {"interconnects", List("#interconnect-cells")},
    {"iommus", List("#iommu-cells", /*optional=*/true)},
    {"iommu-map", {Kind::kIommuMap, "", false, /*optional=*/true}},
    {"mboxes", List("#mbox-cells")},
    {"io-channels", List("#io-channel-cells")},
    {"interrupt-parent", List("")},
    {"dmas", List("#dma-cells", /*optional=*/true)},
    {"power-domains", List("#power-domain-cells")},
    {"hwlocks", List("#hwlock-cells")},
    {"extcon", List("")},
    {"nvmem-cells", ListOptionalCells("#nvmem-cell-cells")},
    {"phys", List("#phy-cells")},
    {"wakeup-parent", List("")},
    {"pinctrl-0", List("")},
    {"pinctrl-1", List("")},
    {"pinctrl-2", List("")},
    {"pinctrl-3", List("")},
    {"pinctrl-4", List("")},
    {"pinctrl-5", List("")},
    {"pinctrl-6", List("")},
    {"pinctrl-7", List("")},
    {"pinctrl-8", List("")},
    {"remote-endpoint", {Kind::kRemoteEndpoint, "", false, false}},
    {"pwms", List("#pwm-cells")},
    {"resets", List("#reset-cells")},
    {"leds", List("")},
    {"backlight", List("")},
    {"panel", List("")},
    {"msi-parent", ListOptionalCells("#msi-cells")},
    {"gpio", List("#gpio-cells")},   // parse_gpio_compat
    {"gpios", List("#gpio-cells")},  // parse_gpio_compat
    {"interrupts", {Kind::kInterrupts, "", false, false}},
    {"interrupts-extended", {Kind::kInterrupts, "", false, false}},
}};

}  // namespace

std::optional<SupplierBinding> MatchSupplierBinding(std::string_view name, bool gpio_hog) {
  for (const auto& [prop, binding] : kExact) {
    if (prop != name) continue;
    // A gpio hog's gpios are provided by its parent controller.
    if (gpio_hog && (name == "gpio" || name == "gpios")) return std::nullopt;
    return binding;
  }
  // Suffix bindings come last in the kernel table: parse_regulators, parse_gpio, parse_gpios.
  if (name.ends_with("-supply")) return SupplierBinding{Kind::kFirstPhandle, "", false, false};
  if (name.ends_with("-gpio")) return List("#gpio-cells");
  if (name.ends_with("-gpios") && !name.ends_with(",nr-gpios")) return List("#gpio-cells");
  return std::nullopt;
}

}  // namespace probestorm::hwmodel
