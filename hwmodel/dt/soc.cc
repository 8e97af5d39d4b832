#include "hwmodel/dt/soc.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "hwmodel/dt/board.h"

namespace probestorm::hwmodel {

namespace {

// 32-bit SoCs are built from arch/arm, 64-bit ones from arch/arm64. Paths: v6.1 keeps the 32-bit
// trees in arch/arm/boot/dts/ (the samsung/ subfolder is v6.5+, the layout of the v7.1 trees the
// model ships), the 64-bit ones in arch/arm64/boot/dts/exynos/.
//
// SysMMU versions. The driver reads the version from REG_MMU_VERSION (__sysmmu_get_version) and
// names no SoC for any value; exynos-iommu.c v6.1 distinguishes only major < 5 (one register
// layout, sysmmu_v1_variant, PG_ENT_SHIFT 0), 5..6 and 7 (v7 with a VM register set when CAPA1
// says so); its only special value is 0x80000001, taken as v1.0 "on some SoCs" (unnamed). What
// the kernel sources and commit texts say per SoC:
//   exynos850: v7.4 ("E850-96 board, which has SysMMU v7.4", Sam Protsenko's v7 patch in his
//     tree, eccbc34403d1 "iommu/exynos: Add minimal support for SysMMU v7 with VM registers",
//     merged for v6.0 as the series "iommu/exynos: Add basic support for SysMMU v7"); v6.1's
//     exynos850.dtsi has 5 SysMMU nodes.
//   exynos5433: v5, by the model's earlier reading of Marek Szyprowski's 2016 commit adding v5
//     support (its text was not re-read for this table); v6.1's exynos5433.dtsi has 12 SysMMU
//     nodes, each with the aclk/pclk clock pair.
// Not stated in any kernel text read (assumptions, marked "assumed" in `source`): the pre-v5
// minor versions of the 32-bit SoCs (v6.1 has SysMMU nodes in exynos3250.dtsi, exynos4.dtsi,
// exynos4210.dtsi, exynos4412.dtsi, exynos5250.dtsi and exynos5420.dtsi; exynos5422/5800 inherit
// exynos5420's), Exynos4210 being the SoC that reports 0x80000001, and the v5 of exynos7870 and
// v7 of exynosautov9. v6.1 has no exynos7870 tree and no SysMMU node in exynosautov9.dtsi; the
// current kernel's exynos7870.dtsi has one (sysmmu_decon, clock "sysmmu"). Every pre-v5 version
// behaves the same in the model (MMU_MAJ_VER < 5), so only the 5/7 split changes a run. On real
// chips the version belongs to each SysMMU instance (a vendor table gives the Exynos5410 blocks
// 1.2, 2.1, 3.1 and 3.2; U-Boot's Exynos5420/5800 trees name a "samsung,sysmmu-v3.3" display
// SysMMU), so these per-SoC numbers stand for the major version only.
constexpr SocFacts kSocs[] = {
    {"samsung,exynos3250", CpuArch::kArm32, 3, "arch/arm/boot/dts/exynos3250.dtsi; pre-v5, v3.x assumed"},
    {"samsung,exynos4210", CpuArch::kArm32, 1,
     "arch/arm/boot/dts/exynos4210.dtsi; pre-v5, v1.0 assumed (__sysmmu_get_version maps 0x80000001 to "
     "v1.0 \"on some SoCs\")"},
    {"samsung,exynos4412", CpuArch::kArm32, 3, "arch/arm/boot/dts/exynos4412.dtsi; pre-v5, v3.x assumed"},
    {"samsung,exynos5250", CpuArch::kArm32, 3, "arch/arm/boot/dts/exynos5250.dtsi; pre-v5, v3.x assumed"},
    {"samsung,exynos5420", CpuArch::kArm32, 3, "arch/arm/boot/dts/exynos5420.dtsi; pre-v5, v3.x assumed"},
    {"samsung,exynos5422", CpuArch::kArm32, 3,
     "arch/arm/boot/dts/exynos5422-odroid-core.dtsi (via exynos5800.dtsi, exynos5420.dtsi); pre-v5, v3.x "
     "assumed"},
    {"samsung,exynos5800", CpuArch::kArm32, 3,
     "arch/arm/boot/dts/exynos5800.dtsi (via exynos5420.dtsi); pre-v5, v3.x assumed"},
    {"samsung,exynos5433", CpuArch::kArm64, 5,
     "arch/arm64/boot/dts/exynos/exynos5433.dtsi; v5 (Marek Szyprowski's 2016 SysMMU v5 support)"},
    {"samsung,exynos7870", CpuArch::kArm64, 5,
     "arch/arm64/boot/dts/exynos/exynos7870.dtsi (after v6.1); v5 assumed"},
    {"samsung,exynos850", CpuArch::kArm64, 7,
     "arch/arm64/boot/dts/exynos/exynos850.dtsi; v7.4 (\"iommu/exynos: Add minimal support for SysMMU v7 "
     "with VM registers\": E850-96 has SysMMU v7.4)"},
    {"samsung,exynosautov9", CpuArch::kArm64, 7,
     "arch/arm64/boot/dts/exynos/exynosautov9.dtsi (no SysMMU node in v6.1); v7 assumed"},
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
