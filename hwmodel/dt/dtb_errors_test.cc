// LoadDtb on malformed input: one test per error class, each checking the status code and that the
// message names the byte offset or the node path; plus mutated real blobs that must never crash.
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hwmodel/dt/board.h"
#include "hwmodel/dt/dt_table.h"
#include "hwmodel/dt/dtb_writer.h"
#include "hwmodel/dt/tm2e_testdata.h"

namespace probestorm::hwmodel {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

std::vector<uint8_t> RealBlob() {
  std::ifstream f(testing::RealTm2eDtbPath(), std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

uint32_t Be32(const std::vector<uint8_t>& b, size_t at) {
  return uint32_t{b[at]} << 24 | uint32_t{b[at + 1]} << 16 | uint32_t{b[at + 2]} << 8 | b[at + 3];
}

void PutBe32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    b[at + static_cast<size_t>(i)] = static_cast<uint8_t>(v >> (24 - 8 * i));
}

absl::Status LoadTable(std::initializer_list<DtTableRow> rows) {
  absl::StatusOr<std::vector<uint8_t>> dtb =
      CompileDtTable(std::span<const DtTableRow>(rows.begin(), rows.size()));
  if (!dtb.ok()) return dtb.status();
  return LoadDtb(*dtb, "t").status();
}

MATCHER_P(IsInvalid, text, "") {
  return arg.code() == absl::StatusCode::kInvalidArgument &&
         ::testing::Value(std::string(arg.message()), HasSubstr(text));
}

TEST(DtbErrorsTest, BadMagic) {
  std::vector<uint8_t> blob = RealBlob();
  ASSERT_GT(blob.size(), 1000u);
  blob[0] ^= 0xff;
  const absl::Status s = LoadDtb(blob, "real.dtb").status();
  EXPECT_THAT(s, IsInvalid("bad magic"));
  EXPECT_THAT(s.message(), AllOf(HasSubstr("real.dtb"), HasSubstr("byte offset 0")));
}

TEST(DtbErrorsTest, TruncatedBlob) {
  const std::vector<uint8_t> blob = RealBlob();
  const std::vector<uint8_t> tiny(blob.begin(), blob.begin() + 10);
  EXPECT_THAT(LoadDtb(tiny, "x").status(), IsInvalid("truncated blob: 10 bytes at byte offset 0"));
  EXPECT_THAT(LoadDtb({}, "x").status(), IsInvalid("truncated blob: 0 bytes"));
  const std::vector<uint8_t> cut(blob.begin(), blob.end() - 100);
  EXPECT_THAT(LoadDtb(cut, "x").status(),
              IsInvalid(absl::StrFormat("totalsize at byte offset 4 says %d bytes, only %d",
                                        blob.size(), cut.size())));
}

TEST(DtbErrorsTest, CorruptStructureBlockNamesTheOffset) {
  std::vector<uint8_t> blob = RealBlob();
  const uint32_t off_struct = Be32(blob, 8);
  // Root: FDT_BEGIN_NODE, its empty name padded to 4 bytes, then the first FDT_PROP.
  ASSERT_EQ(Be32(blob, off_struct), 1u);
  ASSERT_EQ(Be32(blob, off_struct + 8), 3u);
  std::vector<uint8_t> bad_tag = blob;
  PutBe32(bad_tag, off_struct + 8, 0x2a);
  EXPECT_THAT(
      LoadDtb(bad_tag, "x").status(),
      IsInvalid(absl::StrFormat("corrupt structure block at byte offset %d", off_struct + 8)));
  std::vector<uint8_t> bad_name = blob;
  PutBe32(bad_name, off_struct + 16, 0x7fffff00);  // the property's name offset
  EXPECT_THAT(
      LoadDtb(bad_name, "x").status(),
      IsInvalid(absl::StrFormat("corrupt structure block at byte offset %d", off_struct + 8)));
  std::vector<uint8_t> huge_len = blob;
  PutBe32(huge_len, off_struct + 12, 0xfffffff0);  // the property's length
  EXPECT_THAT(
      LoadDtb(huge_len, "x").status(),
      IsInvalid(absl::StrFormat("corrupt structure block at byte offset %d", off_struct + 8)));
  std::vector<uint8_t> bad_offset = blob;
  PutBe32(bad_offset, 8, static_cast<uint32_t>(blob.size()) + 64);  // off_dt_struct
  EXPECT_THAT(LoadDtb(bad_offset, "x").status(), IsInvalid("bad FDT header at byte offset 0"));
}

TEST(DtbErrorsTest, MutatedBlobsNeverCrash) {
  const std::vector<uint8_t> blob = RealBlob();
  int rejected = 0;
  for (size_t at = 0; at < blob.size(); at += 211) {
    std::vector<uint8_t> m = blob;
    m[at] = static_cast<uint8_t>(m[at] ^ (0x5a + at));
    const absl::StatusOr<Board> b = LoadDtb(m, "m");
    if (!b.ok()) {
      ++rejected;
      EXPECT_EQ(b.status().code(), absl::StatusCode::kInvalidArgument) << at;
    }
  }
  EXPECT_GT(rejected, 0);
  for (size_t len = 0; len < blob.size(); len += 997) {
    EXPECT_FALSE(LoadDtb(std::span(blob.data(), len), "cut").ok()) << len;
  }
}

TEST(DtbErrorsTest, DanglingPhandle) {
  EXPECT_THAT(LoadTable({{"/cmu", "cmu", "", "#clock-cells=1"},
                         {"/dev", "", "x,dev", "clocks=&cmu 1, 0x999 2"}}),
              IsInvalid("dangling phandle 0x999 in /dev:clocks (byte offset"));
  EXPECT_THAT(LoadTable({{"/dev", "", "x,dev", "vdd-supply=0"}}),
              IsInvalid("dangling phandle 0x0 in /dev:vdd-supply"));
  EXPECT_THAT(LoadTable({{"/dev", "", "x,dev", "interrupt-parent=0x5"}}),
              IsInvalid("dangling phandle 0x5 in /dev:interrupt-parent"));
}

TEST(DtbErrorsTest, IommusToANonIommu) {
  EXPECT_THAT(
      LoadTable({{"/cmu", "cmu", "", "#clock-cells=1"}, {"/master", "", "x,dev", "iommus=&cmu"}}),
      IsInvalid("iommus of /master points at /cmu, which is not an IOMMU"));
}

TEST(DtbErrorsTest, WrongCellCount) {
  EXPECT_THAT(LoadTable({{"/cmu", "cmu", "", "#clock-cells=1"},
                         {"/dev", "", "x,dev", "clocks=&cmu 1, &cmu"}}),
              IsInvalid("wrong cell count: entry at cell 2 needs 1 argument cells (#clock-cells "
                        "of /cmu) but 0 remain in /dev:clocks"));
  EXPECT_THAT(LoadTable({{"/", "", "", "#address-cells=1; #size-cells=1"},
                         {"/dev@0", "", "x,dev", "reg=0 0x10 0x20"}}),
              IsInvalid("wrong cell count: 12 bytes is not a list of (1 address + 1 size) cells "
                        "in /dev@0:reg"));
  EXPECT_THAT(LoadTable({{"/", "", "", "interrupt-parent=&gic"},
                         {"/gic", "gic", "", "#interrupt-cells=3"},
                         {"/dev", "", "x,dev", "interrupts=0 1 4 0"}}),
              IsInvalid("3-cell specifiers (#interrupt-cells of /gic) in /dev:interrupts"));
  EXPECT_THAT(LoadTable({{"/dev", "", "x,dev", "interrupts=1"}}),
              IsInvalid("no interrupt parent in /dev:interrupts"));
  EXPECT_THAT(
      LoadTable({{"/cmu", "cmu", "", "#clock-cells=1 2"}, {"/dev", "", "x,dev", "clocks=&cmu 1"}}),
      IsInvalid("8 bytes where one cell was expected in /cmu:#clock-cells"));
  EXPECT_THAT(LoadTable({{"/", "", "", "#address-cells=9"}}),
              IsInvalid("bad value 9 in /:#address-cells"));
}

TEST(DtbErrorsTest, ReferenceCycles) {
  EXPECT_THAT(LoadTable({{"/a", "a", "", "interrupt-parent=&b"},
                         {"/b", "b", "", "interrupt-parent=&a"},
                         {"/dev", "", "x,dev", "interrupt-parent=&a; interrupts=1"}}),
              IsInvalid("reference cycle in interrupt-parent chain /a -> /b -> /a"));
  // An interrupt parent below the node, reached back through plain parent steps.
  EXPECT_THAT(LoadTable({{"/a", "", "", "interrupt-parent=&b"}, {"/a/b", "b", "", ""}}),
              IsInvalid("reference cycle in interrupt-parent chain /a -> /a/b -> /a in "
                        "/a:interrupt-parent"));
  EXPECT_THAT(LoadTable({{"/mmu", "mmu", "samsung,exynos-sysmmu", "#iommu-cells=0; iommus=&mmu"}}),
              IsInvalid("reference cycle: the IOMMU is its own master in /mmu:iommus"));
  EXPECT_THAT(LoadTable({{"/a", "a", "samsung,exynos-sysmmu", "#iommu-cells=0; iommus=&b"},
                         {"/b", "b", "samsung,exynos-sysmmu", "#iommu-cells=0; iommus=&a"}}),
              IsInvalid("reference cycle through iommus /a -> /b -> /a"));
}

TEST(DtbErrorsTest, LegitimateFwDevlinkCyclesLoad) {
  // Graph endpoints point both ways and a clock controller and a power domain depend on each
  // other: fw_devlink cycles that real trees have and Linux tolerates.
  EXPECT_TRUE(LoadTable({{"/cmu", "cmu", "x,cmu", "#clock-cells=1; power-domains=&pd"},
                         {"/pd", "pd", "x,pd", "#power-domain-cells=0; clocks=&cmu 3"},
                         {"/a", "", "x,a", ""},
                         {"/a/port/endpoint", "a_out", "", "remote-endpoint=&b_in"},
                         {"/b", "", "x,b", ""},
                         {"/b/ports/port@0/endpoint", "b_in", "", "remote-endpoint=&a_out"}})
                  .ok());
}

TEST(DtbErrorsTest, OtherMalformedTrees) {
  EXPECT_THAT(LoadTable({{"/a", "", "", "phandle=7"}, {"/b", "", "", "phandle=7"}}),
              IsInvalid("duplicate phandle 0x7 (also /a) in /b:phandle"));
  EXPECT_THAT(LoadTable({{"/a", "", "", "phandle=0xffffffff"}}),
              IsInvalid("invalid phandle 0xffffffff in /a:phandle"));
  EXPECT_THAT(LoadTable({{"/ep", "ep", "", "remote-endpoint=&ep"}}),
              IsInvalid("endpoint /ep is not inside a device's port in /ep:remote-endpoint"));
  EXPECT_THAT(LoadTable({{"/", "", "", "probestorm,sysmmu-version=4"}}),
              IsInvalid("SysMMU version 4 is not 1, 3, 5 or 7 in /:probestorm,sysmmu-version"));
  DtbWriter w;
  w.BeginNode("");
  for (int i = 0; i < 70; ++i) w.BeginNode("n");
  for (int i = 0; i < 71; ++i) w.EndNode();
  absl::StatusOr<std::vector<uint8_t>> deep = w.Finish();
  ASSERT_TRUE(deep.ok()) << deep.status();
  EXPECT_THAT(LoadDtb(*deep, "deep").status(), IsInvalid("nests 63 levels deep"));
}

}  // namespace
}  // namespace probestorm::hwmodel
