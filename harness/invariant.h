// The registry of invariant ids (shared/CONTRACTS.md). Ids are stable: reports, `--invariants`,
// JUnit test names and bisect all use them. Monitors live with the layer that owns the state they
// watch; this file only names them.
//
// Thread-safety: immutable after static initialisation.
#ifndef PROBESTORM_HARNESS_INVARIANT_H_
#define PROBESTORM_HARNESS_INVARIANT_H_

#include <bitset>
#include <span>
#include <string_view>

#include "absl/status/statusor.h"

namespace probestorm::harness {

enum class InvariantId : uint8_t {
  kXlateUninitController,
  kDmaOpsOnBound,
  kDevIommuFreedInUse,
  kDomainAllocUninit,
  kDoubleIommuProbe,
  kControllersList,
  kIommuBypass,
  kSysmmuFault,
  kGatedRegisterAccess,
  kDeferredLists,
  kProbeExclusive,
  kStall,
  kLockOrder,
  kDataRace,
  kLateIommuProbe,
  kCount,
};

struct InvariantInfo {
  InvariantId id;
  std::string_view name;  // the stable id string
  std::string_view what;  // what must hold (one line)
};

std::span<const InvariantInfo> AllInvariants();
std::string_view InvariantName(InvariantId id);
absl::StatusOr<InvariantId> ParseInvariant(std::string_view name);

// A set of enabled invariants (`--invariants=a,b`); all by default.
class InvariantSet {
 public:
  static InvariantSet All() { InvariantSet s; s.bits_.set(); return s; }
  static InvariantSet None() { return InvariantSet(); }
  // Comma list of ids; "" or "all" means all.
  static absl::StatusOr<InvariantSet> Parse(std::string_view list);
  bool Has(InvariantId id) const { return bits_.test(static_cast<size_t>(id)); }
  void Set(InvariantId id, bool on = true) { bits_.set(static_cast<size_t>(id), on); }

 private:
  std::bitset<static_cast<size_t>(InvariantId::kCount)> bits_;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_INVARIANT_H_
