// DescribeBoard in its three formats.
#include "hwmodel/dt/describe.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/json.h"
#include "hwmodel/dt/board.h"
#include "hwmodel/dt/dt_table.h"

namespace probestorm::hwmodel {
namespace {

using ::testing::HasSubstr;
using harness::Json;
using ::testing::Not;

int Count(const std::string& haystack, std::string_view needle) {
  int n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

Board Tm2e() {
  absl::StatusOr<Board> b = LoadEmbeddedBoard("embedded:tm2e");
  EXPECT_TRUE(b.ok()) << b.status();
  return b.ok() ? *std::move(b) : Board{};
}

TEST(DescribeTest, Json) {
  const Board b = Tm2e();
  absl::StatusOr<std::string> json = DescribeBoard(b, "json", BoardFactsOf(b));
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_TRUE(Json::accept(*json)) << *json;
  EXPECT_THAT(*json, HasSubstr("\"board\": \"embedded:tm2e\", \"devices\": 127,"));
  EXPECT_THAT(
      *json,
      HasSubstr(
          "{\"node\": \"/soc@0/sysmmu@13a00000\", \"name\": \"13a00000.sysmmu\", \"status\": "
          "\"okay\", "
          "\"clocks\": [\"aclk\", \"pclk\"], \"power_domain\": \"/soc@0/power-domain@105c4080\"}"));
  EXPECT_THAT(
      *json,
      HasSubstr(
          "{\"node\": \"/soc@0/decon@13800000\", \"name\": \"13800000.decon\", \"compatible\": "
          "[\"samsung,exynos5433-decon\"], \"status\": \"okay\", \"iommus\": "
          "[\"/soc@0/sysmmu@13a00000\", \"/soc@0/sysmmu@13a10000\"]}"));
  EXPECT_THAT(
      *json,
      HasSubstr(
          "{\"consumer\": \"/soc@0/decon@13800000\", \"supplier\": \"/soc@0/sysmmu@13a00000\", "
          "\"property\": \"iommus\", \"optional\": true}"));
  EXPECT_THAT(
      *json,
      HasSubstr("{\"consumer\": \"/soc@0/decon@13800000\", \"supplier\": \"/soc@0/mic@13930000\", "
                "\"property\": \"remote-endpoint\", \"optional\": false}"));
  EXPECT_EQ(Count(*json, "\"node\": "), 12 + 9);
  EXPECT_EQ(Count(*json, "\"iommus\": ["), 9);
  EXPECT_EQ(Count(*json, "\"property\": \"iommus\", \"optional\": true"), 12);
  EXPECT_EQ(Count(*json, "\"property\": \"iommus\", \"optional\": false"), 0);
  // A pin group resolves to its pin controller; a device's link to its own child is dropped.
  EXPECT_THAT(*json, HasSubstr("\"supplier\": \"/soc@0/pinctrl@10580000\", \"property\": "
                               "\"pinctrl-0\""));
  EXPECT_THAT(*json, Not(HasSubstr("{\"consumer\": \"/soc@0/pinctrl@10580000\", \"supplier\": "
                                   "\"/soc@0/pinctrl@10580000\"")));
}

TEST(DescribeTest, JsonEscapesAndEmptyStrings) {
  const DtTableRow rows[] = {
      {"/", "", "x,board", "model=a \"quoted\" \\ model"},
      {"/mmu", "mmu", "samsung,exynos-sysmmu", "#iommu-cells=0; status=disabled"},
      {"/m", "", "x,m", "iommus=&mmu"},
  };
  absl::StatusOr<std::vector<uint8_t>> dtb = CompileDtTable(rows);
  ASSERT_TRUE(dtb.ok());
  absl::StatusOr<Board> b = LoadDtb(*dtb, "tab\there \"q\"");
  ASSERT_TRUE(b.ok()) << b.status();
  absl::StatusOr<std::string> json = DescribeBoard(*b, "json", BoardFactsOf(*b));
  ASSERT_TRUE(json.ok());
  EXPECT_TRUE(Json::accept(*json)) << *json;
  EXPECT_THAT(*json, HasSubstr("\"board\": \"tab\\there \\\"q\\\"\""));
  // A node that became no device and a SysMMU without a power domain: strings, as the contract
  // shows, never null.
  EXPECT_THAT(*json, HasSubstr("{\"node\": \"/mmu\", \"name\": \"\", \"status\": \"disabled\", "
                               "\"clocks\": [], \"power_domain\": \"\"}"));
  EXPECT_THAT(*json, Not(HasSubstr("null")));
  EXPECT_THAT(*json, HasSubstr("\"sysmmu_version\": 5, \"sysmmu_version_source\": \"default\","));
  EXPECT_THAT(*json, HasSubstr("\"links\": []"));  // no link to a disabled supplier
}

// A node name with a control character and an invalid UTF-8 byte, from a device tree or a board
// name: the JSON stays valid and reads back with the byte as U+FFFD.
TEST(DescribeTest, JsonOfOddNodeNamesIsValid) {
  const DtTableRow rows[] = {
      {"/", "", "x,board", ""},
      {"/mmu\x1b\xff", "mmu", "samsung,exynos-sysmmu", "#iommu-cells=0"},
      {"/m", "", "x,m\x01\xfe", "iommus=&mmu"},
  };
  absl::StatusOr<std::vector<uint8_t>> dtb = CompileDtTable(rows);
  ASSERT_TRUE(dtb.ok()) << dtb.status();
  absl::StatusOr<Board> b = LoadDtb(*dtb, "odd\x7f\xc3");
  ASSERT_TRUE(b.ok()) << b.status();
  absl::StatusOr<std::string> json = DescribeBoard(*b, "json", BoardFactsOf(*b));
  ASSERT_TRUE(json.ok());
  ASSERT_TRUE(Json::accept(*json)) << *json;
  const Json doc = Json::parse(*json);
  EXPECT_EQ(doc.at("board"), "odd\x7f\xef\xbf\xbd");
  ASSERT_EQ(doc.at("sysmmus").size(), 1u);
  EXPECT_EQ(doc.at("sysmmus")[0].at("node"), "/mmu\x1b\xef\xbf\xbd");
  ASSERT_EQ(doc.at("masters").size(), 1u);
  EXPECT_EQ(doc.at("masters")[0].at("compatible")[0], "x,m\x01\xef\xbf\xbd");
  EXPECT_EQ(doc.at("masters")[0].at("iommus")[0], "/mmu\x1b\xef\xbf\xbd");
}

TEST(DescribeTest, Text) {
  absl::StatusOr<std::string> text = DescribeBoard(Tm2e(), "text", BoardFactsOf(Tm2e()));
  ASSERT_TRUE(text.ok());
  EXPECT_THAT(*text, HasSubstr("board: embedded:tm2e\nmodel: Samsung TM2E board\n"));
  EXPECT_THAT(*text, HasSubstr("devices: 127\n"));
  EXPECT_THAT(*text, HasSubstr("SysMMUs (12):\n"));
  EXPECT_THAT(*text, HasSubstr("masters (9):\n"));
  EXPECT_THAT(*text, HasSubstr("clocks: aclk, pclk  power-domain: 105c4080.power-domain"));
  EXPECT_THAT(*text, HasSubstr("iommus (2): 13a00000.sysmmu, 13a10000.sysmmu\n"));
  EXPECT_THAT(*text, HasSubstr("  13800000.decon:\n"));
  EXPECT_THAT(*text, HasSubstr("    iommus* -> 13a00000.sysmmu\n"));
  EXPECT_THAT(*text, HasSubstr("    power-domains -> 105c4080.power-domain\n"));
  EXPECT_EQ(Count(*text, "iommus* -> "), 12);
}

TEST(DescribeTest, Dot) {
  absl::StatusOr<std::string> dot = DescribeBoard(Tm2e(), "dot", BoardFactsOf(Tm2e()));
  ASSERT_TRUE(dot.ok());
  EXPECT_TRUE(dot->starts_with("digraph \"embedded:tm2e\" {\n"));
  EXPECT_TRUE(dot->ends_with("}\n"));
  EXPECT_THAT(*dot, HasSubstr("\"13800000.decon\" -> \"13a00000.sysmmu\" [label=\"iommus\", "
                              "style=dashed];"));
  EXPECT_THAT(*dot, HasSubstr("\"13a00000.sysmmu\" -> \"13b90000.clock-controller\" "
                              "[label=\"clocks\"];"));
  EXPECT_EQ(Count(*dot, "style=dashed"), 12 + 3);  // iommus, and dmas of two SPIs and an I2S
}

TEST(DescribeTest, UnknownFormat) {
  const absl::Status s = DescribeBoard(Board{}, "yaml", BoardFactsOf(Board{})).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("unknown describe format \"yaml\""));
}

TEST(DescribeTest, ArchAndSysmmuVersionAreShownWithTheirSource) {
  absl::StatusOr<Board> with = LoadSynthetic("sysmmus=2,masters=1,per_master=1,version=7");
  ASSERT_TRUE(with.ok()) << with.status();
  absl::StatusOr<std::string> text = DescribeBoard(*with, "text", BoardFactsOf(*with));
  ASSERT_TRUE(text.ok());
  EXPECT_THAT(*text, HasSubstr("\narch: arm64 (default)\nsysmmu-version: 7 (dt)\nnote: board synthetic:"));
  absl::StatusOr<std::string> json = DescribeBoard(*with, "json", BoardFactsOf(*with));
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(*json, HasSubstr("\"arch\": \"arm64\", \"arch_source\": \"default\", \"sysmmu_version\": 7, "
                               "\"sysmmu_version_source\": \"dt\", \"note\": \"board synthetic:"));
  EXPECT_TRUE(Json::accept(*json));

  absl::StatusOr<std::string> tm2e = DescribeBoard(Tm2e(), "text", BoardFactsOf(Tm2e()));
  ASSERT_TRUE(tm2e.ok());
  EXPECT_THAT(*tm2e, HasSubstr("\narch: arm64 (dt)\nsysmmu-version: 5 (dt)\n\n"));

  BoardFacts set = BoardFactsOf(Tm2e());
  set.arch = "arm32";
  set.arch_source = "set";
  absl::StatusOr<std::string> tm2e_json = DescribeBoard(Tm2e(), "json", set);
  ASSERT_TRUE(tm2e_json.ok());
  EXPECT_THAT(*tm2e_json, HasSubstr("\"arch\": \"arm32\", \"arch_source\": \"set\", \"sysmmu_version\": 5, "
                                    "\"sysmmu_version_source\": \"dt\", \"note\": \"\","));
}

}  // namespace
}  // namespace probestorm::hwmodel
