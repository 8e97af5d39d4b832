// LoadBoardSpec: embedded names, .dtb files, .dts files through dtc, and their errors.
#include "stress/boards.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hwmodel/dt/board.h"
#include "hwmodel/dt/tm2e_testdata.h"

namespace probestorm::stress {
namespace {

using ::testing::HasSubstr;

// A fresh directory under the test's temporary directory, removed afterwards.
class LoadBoardSpecTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TEST_TMPDIR");
    std::string tmpl =
        (std::filesystem::path(tmp != nullptr ? tmp : ::testing::TempDir()) / "dtXXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(std::string_view name, std::string_view text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  std::filesystem::path dir_;
};

constexpr std::string_view kSmallDts = R"(/dts-v1/;
/ {
	compatible = "test,small";
	model = "Small";
	#address-cells = <1>;
	#size-cells = <1>;
	soc {
		compatible = "simple-bus";
		#address-cells = <1>;
		#size-cells = <1>;
		ranges;
		mmu: sysmmu@1000 {
			compatible = "samsung,exynos-sysmmu";
			reg = <0x1000 0x100>;
			#iommu-cells = <0>;
		};
		master@2000 {
			compatible = "test,master";
			reg = <0x2000 0x100>;
			iommus = <&mmu>;
		};
	};
};
)";

TEST_F(LoadBoardSpecTest, Embedded) {
  absl::StatusOr<hwmodel::Board> b = LoadBoardSpec("embedded:tm2e");
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->name, "embedded:tm2e");
  EXPECT_EQ(b->sysmmus.size(), 12u);
}

TEST_F(LoadBoardSpecTest, UnknownEmbeddedNameListsTheKnownOnes) {
  const absl::Status s = LoadBoardSpec("embedded:tm2").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("unknown embedded board \"embedded:tm2\" (known: "
                                     "embedded:tm2e)"));
}

TEST_F(LoadBoardSpecTest, DtbFile) {
  absl::StatusOr<hwmodel::Board> b = LoadBoardSpec(hwmodel::testing::RealTm2eDtbPath());
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->name, hwmodel::testing::RealTm2eDtbPath());
  EXPECT_EQ(b->masters.size(), 9u);
}

TEST_F(LoadBoardSpecTest, UnreadableFiles) {
  const std::string missing = (dir_ / "missing.dtb").string();
  const absl::Status s = LoadBoardSpec(missing).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), missing + ": cannot read: No such file or directory");
  EXPECT_THAT(LoadBoardSpec(dir_.string()).status().message(),
              HasSubstr(dir_.string() + ": is a directory"));
  EXPECT_THAT(LoadBoardSpec((dir_ / "missing.dts").string()).status().message(),
              HasSubstr((dir_ / "missing.dts").string() + ": cannot read"));
  const std::string junk = Write("junk.dtb", "not a device tree at all, just some text....");
  EXPECT_THAT(LoadBoardSpec(junk).status().message(), HasSubstr(junk + ": bad magic"));
}

TEST_F(LoadBoardSpecTest, DtsThroughDtc) {
  if (system("command -v dtc >/dev/null 2>&1") != 0) GTEST_SKIP() << "dtc not installed";
  const std::filesystem::path tmp = dir_ / "tmp";
  std::filesystem::create_directory(tmp);
  const char* old_tmpdir = std::getenv("TMPDIR");
  const std::string saved = old_tmpdir != nullptr ? old_tmpdir : "";
  setenv("TMPDIR", tmp.c_str(), 1);
  absl::StatusOr<hwmodel::Board> b = LoadBoardSpec(Write("small.dts", kSmallDts));
  if (old_tmpdir != nullptr) {
    setenv("TMPDIR", saved.c_str(), 1);
  } else {
    unsetenv("TMPDIR");
  }
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->model, "Small");
  EXPECT_EQ(b->sysmmus.size(), 1u);
  ASSERT_EQ(b->masters.size(), 1u);
  EXPECT_EQ(b->node(b->masters[0]).device_name, "2000.master");
  EXPECT_TRUE(std::filesystem::is_empty(tmp)) << "the temporary DTB was left behind";
}

TEST_F(LoadBoardSpecTest, DtcErrorsAreReported) {
  if (system("command -v dtc >/dev/null 2>&1") != 0) GTEST_SKIP() << "dtc not installed";
  const std::string bad = Write("bad.dts", "/dts-v1/;\n/ { oops\n");
  const absl::Status s = LoadBoardSpec(bad).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("dtc failed on " + bad + " (exit status 1)"));
}

TEST_F(LoadBoardSpecTest, DtcMissing) {
  const std::string dts = Write("small.dts", kSmallDts);
  DeviceTreeFileOptions options;
  options.dtc = (dir_ / "no-dtc-here").string();
  const absl::Status s = LoadBoardSpec(dts, options).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("dtc not installed: cannot read .dts (install "
                                     "device-tree-compiler or pass a .dtb)"));
  options.dtc = "probestorm-no-such-dtc";  // a PATH lookup that finds nothing
  EXPECT_THAT(LoadBoardSpec(dts, options).status().message(), HasSubstr("dtc not installed"));
}

}  // namespace
}  // namespace probestorm::stress
