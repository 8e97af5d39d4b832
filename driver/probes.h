// Interleaving probes: named windows of the kernel paths that the model reaches, counted per run
// (FoundationDB's CODE_PROBE idea). A probe says the campaign reached a window, not that anything
// went wrong there: a nightly in which a probe never fires no longer explores that window, and
// its clean results mean less. Counted without touching tracked state (Peek), so a probe never
// changes a schedule.
//
// Thread-safety: the counters are relaxed atomics (free-engine tasks hit them from OS threads).
#ifndef PROBESTORM_DRIVER_PROBES_H_
#define PROBESTORM_DRIVER_PROBES_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>

namespace probestorm::kernel {

enum class ProbeId : uint8_t {
  kXlateBeforeDrvdata,
  kBusProbeVisitsBoundMaster,
  kDevIommuFreeWhileHeld,
  kTriggerDuringProbe,
  kCount,
};

struct ProbeInfo {
  ProbeId id;
  std::string_view name;
  std::string_view window;
};

inline constexpr std::array<ProbeInfo, static_cast<size_t>(ProbeId::kCount)> kProbes = {{
    {ProbeId::kXlateBeforeDrvdata, "xlate-before-drvdata",
     "exynos_iommu_of_xlate ran while its SysMMU was between iommu_device_register and "
     "platform_set_drvdata"},
    {ProbeId::kBusProbeVisitsBoundMaster, "bus-probe-visits-bound-master",
     "bus_iommu_probe reached a master whose dev->driver is set (bound, or inside really_probe)"},
    {ProbeId::kDevIommuFreeWhileHeld, "dev-iommu-free-while-held",
     "dev_iommu_free ran while another task was inside of_iommu_configure with that dev->iommu"},
    {ProbeId::kTriggerDuringProbe, "trigger-during-probe",
     "a deferred-probe trigger fell between a probe's trigger-count snapshot and its "
     "driver_deferred_probe_add"},
}};

class ProbeCounters {
 public:
  void Hit(ProbeId id) { n_[static_cast<size_t>(id)].fetch_add(1, std::memory_order_relaxed); }
  uint64_t Count(ProbeId id) const { return n_[static_cast<size_t>(id)].load(std::memory_order_relaxed); }

 private:
  std::array<std::atomic<uint64_t>, static_cast<size_t>(ProbeId::kCount)> n_{};
};

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_PROBES_H_
