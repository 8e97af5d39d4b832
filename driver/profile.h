// Profiles: kernel revisions as data (`probestorm list profiles`, `list knobs`;
// docs/model.md).
//
// A Profile is a name plus Knobs. Built-in profiles form an ordered patch stack (oldest first) so
// bisect has a history to walk; users write profile files (`knob = value` lines, optional
// `base = NAME`, `#` comments) and override knobs with `--set knob=value`.
//
// Thread-safety: values; immutable once a campaign starts.
#ifndef PROBESTORM_DRIVER_PROFILE_H_
#define PROBESTORM_DRIVER_PROFILE_H_

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "harness/time.h"
#include "hwmodel/dt/board.h"
#include "hwmodel/hw/hardware.h"

namespace probestorm::kernel {

enum class FwDevlinkMode { kOff, kPermissive, kOn, kRpm };
enum class Linkage { kBuiltin, kModule };
// IOMMU core generation: v6.0, v6.1, v6.2 (01657bc14a39), v6.7 (a2e7e59a9426), v6.15 (bcb81ac6ae3c).
enum class IommuCoreGen { k6_0, k6_1, k6_2, k6_7, k6_15 };
enum class Arch { kArm64, kArm32 };

// A module load time distribution: uniform:LO..HI or fixed:T.
struct LoadTime {
  harness::Nanos lo = 2 * harness::kSec;
  harness::Nanos hi = 40 * harness::kSec;  // == lo for fixed
};

struct Knobs {
  int deferred_probe_timeout = 10;              // seconds; -1: never (timeout disabled)
  bool deferred_probe_extend_on_register = true;
  bool modules = true;                          // CONFIG_MODULES
  FwDevlinkMode fw_devlink = FwDevlinkMode::kOn;
  bool fw_devlink_strict = false;
  bool iommus_optional = true;                  // false: the seed mail's property.c change
  Linkage exynos_iommu = Linkage::kBuiltin;
  LoadTime exynos_load_time;
  Linkage masters = Linkage::kBuiltin;
  LoadTime masters_load_time = {1 * harness::kSec, 5 * harness::kSec};
  std::vector<std::string> async_probe;         // driver_async_probe=: names or "*"
  bool exynos_init_fixed = false;               // exynos_init_order: v6.1 (false) | fixed
  bool exynos_register_last = false;            // iommu_device_register last in probe (bbc4d205d93f)
  IommuCoreGen iommu_core = IommuCoreGen::k6_1;
  Arch arch = Arch::kArm64;                     // the run's; ResolveForBoard sets it when
  bool arch_from_board = true;                  // (knob value "board") it comes from the board
  bool trigger_recheck = true;                  // driver_probe_device's trigger-count recheck
  int sysmmu_version = 0;                       // 1, 3, 5, 7; 0 ("board"): the board's, else 5
  bool sysmmu_vm = false;                       // v7 VM register layout (sysmmu_version 7 only)
  int churn = 0;                                // sysfs unbind/bind tasks per master
  int probe_storm = 0;                          // drivers_probe re-probe tasks per master
  std::vector<std::string> inject;              // failure sites: clk_get_defer, dma_set_mask
  bool default_domain_dma = true;               // default domain type DMA (else identity)
  std::string drop_lock;                        // a planted bug: this lock class takes no lock

  bool AsyncProbe(std::string_view driver_name) const;
  bool Injected(std::string_view site) const;
};

struct Profile {
  std::string name;
  std::string description;
  Knobs knobs;
};

// The failure sites the `inject` knob accepts, each checked at its kernel call site.
inline constexpr std::array<std::string_view, 2> kInjectSites = {"clk_get_defer", "dma_set_mask"};

// The kernel lock classes the `drop_lock` knob accepts (harness::EngineOptions::dropped_lock_class).
inline constexpr std::array<std::string_view, 15> kLockClasses = {
    "bus->p->klist_drivers.k_lock", "deferred_probe_mutex", "device_links_lock",
    "fwnode_link_lock", "iommu_probe_device_lock", "dev->iommu->lock", "dev->power.lock",
    "device_lock", "iova_rbtree_lock", "group->mutex", "owner->rpm_lock", "iommu_device_lock",
    "data->lock", "domain->lock", "domain->pgtablelock"};

struct KnobInfo {
  std::string_view name;
  std::string_view description;
};
std::vector<KnobInfo> AllKnobs();
// Current value of a knob as text (the syntax --set accepts).
std::string KnobValue(const Knobs& k, std::string_view name);
// Applies `name = value`; kInvalidArgument naming the knob or value when unknown or malformed.
absl::Status SetKnob(Knobs& k, std::string_view name, std::string_view value);

// The built-in patch stack, oldest first.
const std::vector<Profile>& BuiltinProfiles();
// A built-in name, or a file path (profile file format above).
absl::StatusOr<Profile> LoadProfile(std::string_view name_or_file);
// The text of a profile file; `name_or_file` names it in errors and becomes the profile's name.
absl::StatusOr<Profile> ParseProfileText(std::string_view name_or_file, std::string_view text);
// "knob=value" (from --set).
absl::Status ApplySet(Profile& p, std::string_view assignment);
// All knobs as `knob = value` lines (profile file format).
std::string FormatKnobs(const Knobs& k);

// The hardware the knobs describe (sysmmu_version, sysmmu_vm; the rest at HardwareOptions'
// defaults).
hwmodel::HardwareOptions HardwareOptionsFor(const Knobs& k);
// kInvalidArgument when the knobs cannot describe hardware on `board`: sysmmu_vm=on with a
// SysMMU version (the knob's, else the board's) other than 7, or a board version the model lacks.
absl::Status CheckKnobsForBoard(const Knobs& k, const hwmodel::Board& board);
// Fills the board-derived knobs of a run (arch when arch_from_board) from the board's SoC
// (hwmodel/dt/soc.h) and says where arch and the SysMMU version came from; an unknown SoC falls
// back to arm64 / v5 with a note.
hwmodel::BoardFacts ResolveForBoard(Knobs& k, const hwmodel::Board& board);

}  // namespace probestorm::kernel

#endif  // PROBESTORM_DRIVER_PROFILE_H_
