// DtTable: the table syntax and its errors.
#include "hwmodel/dt/dt_table.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hwmodel/dt/board.h"

namespace probestorm::hwmodel {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::Status Compile(std::initializer_list<DtTableRow> rows) {
  return CompileDtTable(std::span<const DtTableRow>(rows.begin(), rows.size())).status();
}

TEST(DtTableTest, CompilesRowsIntoATree) {
  const DtTableRow rows[] = {
      {"/", "", "x,board x,family", "#address-cells=1; #size-cells=1; model=Board, rev 2"},
      {"/intc", "intc", "x,intc", "#interrupt-cells=2; interrupt-controller"},
      {"/a/b/c", "c", "x,c", "reg=0x10 16; interrupt-parent=&intc; irqs=3; clock-names=x, y"},
      {"/a/b/c/d", "", "", "ref=&c 0x1, &intc; empty"},
      {"/e", "", "", "interrupts-extended=&intc 1 2"},
  };
  absl::StatusOr<std::vector<uint8_t>> dtb = CompileDtTable(rows);
  ASSERT_TRUE(dtb.ok()) << dtb.status();
  absl::StatusOr<Board> b = LoadDtb(*dtb, "t");
  ASSERT_TRUE(b.ok()) << b.status();
  std::vector<std::string> paths;
  for (const DtNode& n : b->nodes) paths.push_back(n.path);
  EXPECT_THAT(paths, ElementsAre("/", "/intc", "/a", "/a/b", "/a/b/c", "/a/b/c/d", "/e"));
  EXPECT_THAT(b->root_compatible, ElementsAre("x,board", "x,family"));
  EXPECT_EQ(b->model, "Board");  // strings are comma-separated: "Board", "rev 2"
  const DtNode& c = b->node(b->FindPath("/a/b/c"));
  EXPECT_EQ(c.num_interrupts, 3);
  EXPECT_THAT(c.clock_names, ElementsAre("x", "y"));
  EXPECT_NE(c.phandle, 0u);
  EXPECT_EQ(b->node(b->FindPath("/a")).phandle, 0u);
  EXPECT_EQ(b->node(b->FindPath("/e")).num_interrupts, 1);
}

TEST(DtTableTest, ErrorsNameTheRow) {
  EXPECT_THAT(Compile({{"/a", "", "", "clocks=&nope 1"}}).message(),
              HasSubstr("device-tree table row /a: unknown label &nope"));
  EXPECT_THAT(Compile({{"/a", "", "", "reg=12g"}}).message(),
              HasSubstr("row /a: bad number \"12g\""));
  EXPECT_THAT(Compile({{"/a", "", "", "irqs=1"}}).message(),
              HasSubstr("row /a: irqs without an interrupt parent"));
  EXPECT_THAT(Compile({{"/a", "x", "", "interrupt-parent=&y"},
                       {"/b", "y", "", "interrupt-parent=&x; irqs=1"}})
                  .message(),
              HasSubstr("row /b: interrupt-parent cycle"));
  EXPECT_THAT(Compile({{"/a", "", "", ""}, {"/a", "", "", ""}}).message(),
              HasSubstr("row /a: duplicate path"));
  EXPECT_THAT(Compile({{"/a", "l", "", ""}, {"/b", "l", "", ""}}).message(),
              HasSubstr("row /b: duplicate label"));
  EXPECT_THAT(Compile({{"/a/b", "", "", ""}, {"/a", "", "", ""}}).message(),
              HasSubstr("row /a: out of tree order"));
  EXPECT_THAT(Compile({{"/a", "", "", ""}, {"/b", "", "", ""}, {"/a/c", "", "", ""}}).message(),
              HasSubstr("row /a/c: out of tree order: /a was already written"));
  EXPECT_THAT(Compile({{"/a", "", "", ""}, {"/", "", "", ""}}).message(),
              HasSubstr("row /: the root row must come first"));
  EXPECT_THAT(Compile({{"a", "", "", ""}}).message(), HasSubstr("the path must be absolute"));
  EXPECT_EQ(Compile({{"a", "", "", ""}}).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace probestorm::hwmodel
