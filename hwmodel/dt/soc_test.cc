// SoC facts from the root compatible (soc.h): architecture and SysMMU version per SoC, the
// ODROID-U3 and TM2E trees, and the visible fallback for an unknown SoC.
#include "hwmodel/dt/soc.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hwmodel/dt/board.h"
#include "hwmodel/dt/tm2e_testdata.h"

namespace probestorm::hwmodel {
namespace {

using ::testing::HasSubstr;

TEST(SocTest, EveryListedSocHasItsArchitectureAndVersion) {
  struct Want {
    const char* compatible;
    CpuArch arch;
    int version;
  };
  const Want wants[] = {
      {"samsung,exynos3250", CpuArch::kArm32, 3}, {"samsung,exynos4210", CpuArch::kArm32, 1},
      {"samsung,exynos4412", CpuArch::kArm32, 3}, {"samsung,exynos5250", CpuArch::kArm32, 3},
      {"samsung,exynos5420", CpuArch::kArm32, 3}, {"samsung,exynos5422", CpuArch::kArm32, 3},
      {"samsung,exynos5800", CpuArch::kArm32, 3}, {"samsung,exynos5433", CpuArch::kArm64, 5},
      {"samsung,exynos7870", CpuArch::kArm64, 5}, {"samsung,exynos850", CpuArch::kArm64, 7},
      {"samsung,exynosautov9", CpuArch::kArm64, 7},
  };
  for (const Want& w : wants) {
    const SocFacts* f = FindSocFacts({"vendor,some-board", w.compatible});
    ASSERT_NE(f, nullptr) << w.compatible;
    EXPECT_EQ(f->arch, w.arch) << w.compatible;
    EXPECT_EQ(f->sysmmu_version, w.version) << w.compatible;
  }
  EXPECT_EQ(FindSocFacts({"samsung,exynos4"}), nullptr);  // a family, not a SoC
}

// Each entry says where its version comes from: the two stated by kernel texts (Exynos850's v7.4
// in the v7 patch, Exynos5433's v5) cite them; the rest are marked as assumptions. Paths are those
// of v6.1 (arch/arm/boot/dts/ without the samsung/ folder of v6.5+).
TEST(SocTest, EverySourceCitesAV61PathAndSaysWhetherTheVersionIsAssumed) {
  const std::pair<const char*, const char*> stated[] = {
      {"samsung,exynos850", "E850-96 has SysMMU v7.4"},
      {"samsung,exynos5433", "SysMMU v5 support"},
  };
  for (const auto& [compatible, text] : stated) {
    const SocFacts* f = FindSocFacts({compatible});
    ASSERT_NE(f, nullptr) << compatible;
    EXPECT_THAT(f->source, HasSubstr(text)) << compatible;
    EXPECT_THAT(f->source, ::testing::Not(HasSubstr("assumed"))) << compatible;
  }
  for (const char* compatible : {"samsung,exynos3250", "samsung,exynos4210", "samsung,exynos4412",
                                 "samsung,exynos5250", "samsung,exynos5420", "samsung,exynos5422",
                                 "samsung,exynos5800", "samsung,exynos7870", "samsung,exynosautov9"}) {
    const SocFacts* f = FindSocFacts({compatible});
    ASSERT_NE(f, nullptr) << compatible;
    EXPECT_THAT(f->source, HasSubstr("assumed")) << compatible;
    EXPECT_THAT(f->source, ::testing::Not(HasSubstr("dts/samsung/"))) << compatible;
  }
}

TEST(SocTest, OdroidU3IsArm32WithPreV5SysmmusFromItsDtb) {
  absl::StatusOr<Board> b = testing::LoadTestDtb(testing::OdroidU3DtbPath());
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_NE(b->soc, nullptr);
  EXPECT_STREQ(b->soc->compatible, "samsung,exynos4412");
  const BoardFacts f = BoardFactsOf(*b);
  EXPECT_EQ(f.arch, "arm32");
  EXPECT_EQ(f.arch_source, "dt");
  EXPECT_EQ(f.sysmmu_version, 3);
  EXPECT_EQ(f.sysmmu_version_source, "dt");
  EXPECT_EQ(f.note, "");
}

TEST(SocTest, Tm2eIsArm64WithV5Sysmmus) {
  absl::StatusOr<Board> b = LoadEmbeddedBoard("embedded:tm2e");
  ASSERT_TRUE(b.ok()) << b.status();
  const BoardFacts f = BoardFactsOf(*b);
  EXPECT_EQ(f.arch, "arm64");
  EXPECT_EQ(f.arch_source, "dt");
  EXPECT_EQ(f.sysmmu_version, 5);
  EXPECT_EQ(f.note, "");
}

TEST(SocTest, UnknownSocFallsBackWithANote) {
  absl::StatusOr<Board> b = LoadSynthetic("sysmmus=2,masters=1,per_master=1");
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->soc, nullptr);
  const BoardFacts f = BoardFactsOf(*b);
  EXPECT_EQ(f.arch, "arm64");
  EXPECT_EQ(f.arch_source, "default");
  EXPECT_EQ(f.sysmmu_version, 5);
  EXPECT_EQ(f.sysmmu_version_source, "default");
  EXPECT_THAT(f.note, HasSubstr("names no SoC the model knows; using arch arm64 and SysMMU v5"));
}

TEST(SocTest, TheBoardsOwnVersionPropertyWinsOverTheSoc) {
  absl::StatusOr<Board> b = LoadSynthetic("sysmmus=2,masters=1,per_master=1,version=7");
  ASSERT_TRUE(b.ok()) << b.status();
  const BoardFacts f = BoardFactsOf(*b);
  EXPECT_EQ(f.sysmmu_version, 7);
  EXPECT_EQ(f.sysmmu_version_source, "dt");
  EXPECT_THAT(f.note, HasSubstr("using arch arm64 ("));
}

}  // namespace
}  // namespace probestorm::hwmodel
