#include "hwmodel/dt/soc.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "hwmodel/dt/board.h"

namespace probestorm::hwmodel {

namespace {

// 32-bit SoCs are built from arch/arm (arch/arm/boot/dts/samsung/), 64-bit ones from arch/arm64
// (arch/arm64/boot/dts/exynos/). SysMMU versions: everything before v5 shares one register layout
// in exynos-iommu.c (MMU_MAJ_VER() < 5: sysmmu_v1_variant, PG_ENT_SHIFT 0, the "System MMU v3.3"
// ZERO_LV2LINK workaround in exynos_iommu_domain_alloc); v5 arrived with Exynos5433 (Marek
// Szyprowski, "iommu/exynos: Add support for SYSMMU controller v5"); v7 with Exynos850 (Sam
// Protsenko, "iommu/exynos: Add minimal support for SysMMU v7 with VM registers": "E850-96 board,
// which has SysMMU v7.4"). Exynos4210's SysMMUs report 0x80000001, which __sysmmu_get_version maps
// to v1.0; the other 32-bit SoCs carry v3.x SysMMUs.
constexpr SocFacts kSocs[] = {
    {"samsung,exynos3250", CpuArch::kArm32, 3, "arch/arm/boot/dts/samsung/exynos3250.dtsi; SysMMU v3.x"},
    {"samsung,exynos4210", CpuArch::kArm32, 1,
     "arch/arm/boot/dts/samsung/exynos4210.dtsi; __sysmmu_get_version: 0x80000001 is v1.0"},
    {"samsung,exynos4412", CpuArch::kArm32, 3, "arch/arm/boot/dts/samsung/exynos4412.dtsi; SysMMU v3.x"},
    {"samsung,exynos5250", CpuArch::kArm32, 3, "arch/arm/boot/dts/samsung/exynos5250.dtsi; SysMMU v3.x"},
    {"samsung,exynos5420", CpuArch::kArm32, 3, "arch/arm/boot/dts/samsung/exynos5420.dtsi; SysMMU v3.x"},
    {"samsung,exynos5422", CpuArch::kArm32, 3, "arch/arm/boot/dts/samsung/exynos5422-odroid-core.dtsi; SysMMU v3.x"},
    {"samsung,exynos5800", CpuArch::kArm32, 3, "arch/arm/boot/dts/samsung/exynos5800.dtsi; SysMMU v3.x"},
    {"samsung,exynos5433", CpuArch::kArm64, 5,
     "arch/arm64/boot/dts/exynos/exynos5433.dtsi; \"iommu/exynos: Add support for SYSMMU controller v5\""},
    {"samsung,exynos7870", CpuArch::kArm64, 5, "arch/arm64/boot/dts/exynos/exynos7870.dtsi; SysMMU v5 assumed"},
    {"samsung,exynos850", CpuArch::kArm64, 7,
     "arch/arm64/boot/dts/exynos/exynos850.dtsi; \"iommu/exynos: Add minimal support for SysMMU v7 with VM "
     "registers\""},
    {"samsung,exynosautov9", CpuArch::kArm64, 7, "arch/arm64/boot/dts/exynos/exynosautov9.dtsi; SysMMU v7"},
};

}  // namespace

const char* CpuArchName(CpuArch a) {
  switch (a) {
    case CpuArch::kArm64: return "arm64";
    case CpuArch::kArm32: return "arm32";
    case CpuArch::kUnknown: break;
  }
  return "unknown";
}

const SocFacts* FindSocFacts(const std::vector<std::string>& root_compatible) {
  for (const std::string& c : root_compatible) {
    for (const SocFacts& s : kSocs) {
      if (c == s.compatible) return &s;
    }
  }
  return nullptr;
}

BoardFacts BoardFactsOf(const Board& board) {
  BoardFacts f;
  std::vector<std::string> defaulted;
  if (board.soc != nullptr) {
    f.arch = CpuArchName(board.soc->arch);
    f.arch_source = "dt";
  } else {
    f.arch = "arm64";
    f.arch_source = "default";
    defaulted.push_back("arch arm64");
  }
  if (board.sysmmu_version != 0) {
    f.sysmmu_version = board.sysmmu_version;
    f.sysmmu_version_source = "dt";
  } else if (board.soc != nullptr) {
    f.sysmmu_version = board.soc->sysmmu_version;
    f.sysmmu_version_source = "dt";
  } else {
    f.sysmmu_version = 5;
    f.sysmmu_version_source = "default";
    defaulted.push_back("SysMMU v5");
  }
  if (!defaulted.empty()) {
    f.note = absl::StrCat("board ", board.name, ": root compatible [", absl::StrJoin(board.root_compatible, ", "),
                          "] names no SoC the model knows; using ", absl::StrJoin(defaulted, " and "),
                          " (override with --set=arch=... / --set=sysmmu_version=...)");
  }
  return f;
}

}  // namespace probestorm::hwmodel
