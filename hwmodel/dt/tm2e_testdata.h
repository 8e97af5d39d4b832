// Test-only: where the real TM2E DTB is, a loader for DTB files; where the ODROID-U3 (arm32) DTB is.
//
// Both are the copies in hwmodel/testdata/ (hwmodel/testdata/README.md gives their provenance), so
// a clone runs every test on its own. Include only from *_test.cc files: PROBESTORM_SOURCE_DIR is
// defined for the test binaries alone.
//
// Thread-safety: stateless.
#ifndef PROBESTORM_HWMODEL_DT_TM2E_TESTDATA_H_
#define PROBESTORM_HWMODEL_DT_TM2E_TESTDATA_H_

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "hwmodel/dt/board.h"

namespace probestorm::hwmodel::testing {

inline std::string RealTm2eDtbPath() {
  return (std::filesystem::path(PROBESTORM_SOURCE_DIR) / "hwmodel/testdata/exynos5433-tm2e.dtb")
      .string();
}

// A DTB file read by the test itself (hwmodel reads no files).
inline absl::StatusOr<Board> LoadTestDtb(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError("cannot read " + path);
  const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return LoadDtb(bytes, path);
}

inline absl::StatusOr<Board> LoadRealTm2e() { return LoadTestDtb(RealTm2eDtbPath()); }

// The Exynos4412 ODROID-U3 (arm32) tree.
inline std::string OdroidU3DtbPath() {
  return (std::filesystem::path(PROBESTORM_SOURCE_DIR) / "hwmodel/testdata/exynos4412-odroidu3.dtb").string();
}

}  // namespace probestorm::hwmodel::testing

#endif  // PROBESTORM_HWMODEL_DT_TM2E_TESTDATA_H_
