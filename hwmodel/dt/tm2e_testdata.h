// Test-only: where the real TM2E DTB is, and a loader for it; where the ODROID-U3 (arm32) DTB is.
//
// Looks in PROBESTORM_SHARED_DT_DIR (the shared specs beside the repo) first, then in the copy at
// hwmodel/testdata/ (so tests also run in a clone without ../shared). Include only from *_test.cc
// files: the two macros are defined for the test binary alone.
//
// Thread-safety: stateless.
#ifndef PROBESTORM_HWMODEL_DT_TM2E_TESTDATA_H_
#define PROBESTORM_HWMODEL_DT_TM2E_TESTDATA_H_

#include <filesystem>
#include <string>

#include "absl/status/statusor.h"
#include "hwmodel/dt/board.h"

namespace probestorm::hwmodel::testing {

inline std::string RealTm2eDtbPath() {
  const std::filesystem::path shared =
      std::filesystem::path(PROBESTORM_SHARED_DT_DIR) / "exynos5433-tm2e.dtb";
  if (std::filesystem::exists(shared)) return shared.string();
  return (std::filesystem::path(PROBESTORM_SOURCE_DIR) / "hwmodel/testdata/exynos5433-tm2e.dtb")
      .string();
}

inline absl::StatusOr<Board> LoadRealTm2e() { return LoadBoard(RealTm2eDtbPath()); }

// The Exynos4412 ODROID-U3 (arm32) tree: the copy in hwmodel/testdata/ only.
inline std::string OdroidU3DtbPath() {
  return (std::filesystem::path(PROBESTORM_SOURCE_DIR) / "hwmodel/testdata/exynos4412-odroidu3.dtb").string();
}

}  // namespace probestorm::hwmodel::testing

#endif  // PROBESTORM_HWMODEL_DT_TM2E_TESTDATA_H_
