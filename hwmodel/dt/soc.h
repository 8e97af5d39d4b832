// SoC facts a board's device tree implies: the CPU architecture the kernel is built for and the
// SysMMU hardware generation, from the root `compatible` (e.g. "samsung,exynos4412").
//
// The exynos-iommu driver reads the SysMMU version from its VERSION register
// (__sysmmu_get_version); the DT names no version. The table gives each SoC's SysMMU version as a
// kernel text states it or, where none does, as an assumption that `source` marks "assumed"
// (soc.cc lists which); the model's hardware then reports that version.
// Unknown SoCs have no entry: the caller falls back to arm64 / SysMMU v5 and says so.
//
// Thread-safety: constant data.
#ifndef PROBESTORM_HWMODEL_DT_SOC_H_
#define PROBESTORM_HWMODEL_DT_SOC_H_

#include <string>
#include <vector>

namespace probestorm::hwmodel {

struct Board;

enum class CpuArch { kUnknown, kArm64, kArm32 };
const char* CpuArchName(CpuArch a);  // "arm64", "arm32", "unknown"

struct SocFacts {
  const char* compatible;  // root compatible entry, "samsung,exynos5433"
  CpuArch arch;
  int sysmmu_version;      // major version as the model knows it: 1, 3, 5 or 7
  const char* source;      // where the fact comes from (v6.1 dts path, commit), or "... assumed"
};

// The first root compatible entry with a known SoC, or nullptr.
const SocFacts* FindSocFacts(const std::vector<std::string>& root_compatible);

// What a run uses for the board, with where each value came from: "dt" (the root compatible, or
// the board's probestorm,sysmmu-version), "set" (a knob), or "default" (unknown SoC).
struct BoardFacts {
  std::string arch;                  // "arm64" | "arm32"
  std::string arch_source;
  int sysmmu_version = 5;
  std::string sysmmu_version_source;
  std::string note;                  // non-empty when a default was used: say so to the user
};

// The board's own facts: from its SoC (and probestorm,sysmmu-version), else the defaults arm64 and
// SysMMU v5 with a note. Knob overrides are applied on top by the driver (kernel::ResolveForBoard).
BoardFacts BoardFactsOf(const Board& board);

}  // namespace probestorm::hwmodel

#endif  // PROBESTORM_HWMODEL_DT_SOC_H_
