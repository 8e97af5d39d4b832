#include "harness/invariant.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "harness/strings.h"

namespace probestorm::harness {
namespace {

constexpr std::array<InvariantInfo, static_cast<size_t>(InvariantId::kCount)> kInvariants = {{
    {InvariantId::kXlateUninitController, "xlate-uninit-controller",
     "of_xlate / probe_device / attach only see a SysMMU whose probe finished"},
    {InvariantId::kDmaOpsOnBound, "dma-ops-on-bound",
     "dma_ops and attached domain of a bound master never change by another path"},
    {InvariantId::kDevIommuFreedInUse, "dev-iommu-freed-in-use",
     "dev->iommu (fwspec, priv) is not freed or replaced while another task uses it"},
    {InvariantId::kDomainAllocUninit, "domain-alloc-uninit",
     "domain_alloc never runs before zero_lv2_table, the lv2 cache, dma_dev and PG_ENT_SHIFT exist"},
    {InvariantId::kDoubleIommuProbe, "double-iommu-probe",
     "each device is IOMMU-probed to success at most once; one group; balanced probe/release"},
    {InvariantId::kControllersList, "controllers-list",
     "owner->controllers: no duplicate, intact links, no freed entry, data->master consistent"},
    {InvariantId::kIommuBypass, "iommu-bypass",
     "a master with iommus binds without IOMMU only after an explicit timeout decision"},
    {InvariantId::kSysmmuFault, "sysmmu-fault",
     "no SysMMU fault on an address the master got from the DMA API of its current domain"},
    {InvariantId::kGatedRegisterAccess, "gated-register-access",
     "no SysMMU register access with its clocks gated or power domain off"},
    {InvariantId::kDeferredLists, "deferred-lists",
     "a device is on at most one deferred list, only if it can match, on none once bound; no lost trigger"},
    {InvariantId::kProbeExclusive, "probe-exclusive",
     "a device is in really_probe on at most one task, with its device lock held"},
    {InvariantId::kStall, "stall",
     "at quiescence every available master with a loaded driver is bound or given up; no task blocked forever"},
    {InvariantId::kLockOrder, "lock-order", "model locks follow one global order"},
    {InvariantId::kDataRace, "data-race", "no unsynchronized conflicting access to tracked state"},
    {InvariantId::kLateIommuProbe, "late-iommu-probe",
     "(warning) no IOMMU probe succeeds for a device whose driver is already bound or binding "
     "(v6.15+ dev_WARN \"late IOMMU probe at driver bind\")"},
}};

}  // namespace

std::span<const InvariantInfo> AllInvariants() { return kInvariants; }

std::string_view InvariantName(InvariantId id) { return kInvariants[static_cast<size_t>(id)].name; }

absl::StatusOr<InvariantId> ParseInvariant(std::string_view name) {
  for (const auto& inv : kInvariants) {
    if (inv.name == name) return inv.id;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown invariant '", Av(name), "' (see `probestorm list invariants`)"));
}

absl::StatusOr<InvariantSet> InvariantSet::Parse(std::string_view list) {
  const absl::string_view l = absl::StripAsciiWhitespace(Av(list));
  if (l.empty() || l == "all") return All();
  InvariantSet set;
  for (absl::string_view part : absl::StrSplit(l, ',', absl::SkipWhitespace())) {
    auto id = ParseInvariant(Sv(absl::StripAsciiWhitespace(part)));
    if (!id.ok()) return id.status();
    set.Set(*id);
  }
  return set;
}

}  // namespace probestorm::harness
