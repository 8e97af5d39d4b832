// Synthetic boards: Exynos-like device trees of any size, for scale and stress runs.
//
// Spec (the `--synthetic` flag): `sysmmus=N,masters=M,per_master=K[,unused=U][,plain=P][,groups=G]
// [,version=V]`.
// * N SysMMUs ("samsung,exynos-sysmmu", #iommu-cells = <0>, aclk/pclk clocks, a power domain, one
//   interrupt). The first M*K serve the masters; every later one is used by no master. N must be at
//   least M*K + U.
// * M masters ("probestorm,synthetic-master"), each with K SysMMUs in `iommus`, one clock, one
//   interrupt and the power domain of its group.
// * U (default 0): SysMMUs that must be left unused.
// * P (default 0): plain devices ("probestorm,plain-device", a clock, a power domain, an
//   interrupt) so that bus walks see realistic device counts.
// * G (default: one per four masters): power domains ("samsung,exynos4210-pd"), each with its own
//   clock controller ("probestorm,synthetic-cmu", in that domain). Masters are split into G
//   contiguous groups; a master's SysMMUs share its domain and clock controller; unused SysMMUs
//   and plain devices are dealt round-robin over the groups.
// * V (default 0: let the profile decide): the SysMMU hardware version, 1, 3, 5 or 7, recorded in
//   the root property `probestorm,sysmmu-version` (Board::sysmmu_version).
// Plus one GIC under a simple-bus. The same spec always gives the same bytes. Unknown, repeated or
// missing keys and zero, negative, non-numeric or absurd values are kInvalidArgument naming the
// key.
//
// Thread-safety: stateless functions; safe from any thread.
#ifndef PROBESTORM_HWMODEL_DT_SYNTHETIC_H_
#define PROBESTORM_HWMODEL_DT_SYNTHETIC_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace probestorm::hwmodel {

struct SyntheticSpec {
  int sysmmus = 0;
  int masters = 0;
  int per_master = 0;
  int unused = 0;
  int plain = 0;
  int groups = 0;   // 0: one per four masters
  int version = 0;  // 0: unset
};

inline constexpr int kMaxSyntheticNodes = 65536;  // per kind (SysMMUs, masters, plain devices)
inline constexpr int kMaxSyntheticPerMaster = 64;
inline constexpr int kMaxSyntheticGroups = 4096;

absl::StatusOr<SyntheticSpec> ParseSyntheticSpec(std::string_view spec);
absl::StatusOr<std::vector<uint8_t>> BuildSyntheticDtb(const SyntheticSpec& spec);

}  // namespace probestorm::hwmodel

#endif  // PROBESTORM_HWMODEL_DT_SYNTHETIC_H_
