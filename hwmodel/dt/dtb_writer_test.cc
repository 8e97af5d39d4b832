// DtbWriter: blobs libfdt accepts, buffer growth, and misuse reported at Finish().
#include "hwmodel/dt/dtb_writer.h"

#include <libfdt.h>

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hwmodel/dt/board.h"

namespace probestorm::hwmodel {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

TEST(DtbWriterTest, WritesATreeLibfdtReads) {
  DtbWriter w;
  const uint32_t cmu = w.NewPhandle();
  w.BeginNode("");
  w.Strings("compatible", {"x,board", "x,soc"});
  w.U32("#address-cells", 2);
  w.U32("#size-cells", 1);
  w.BeginNode("dev@100000000");
  w.Reg(0x100000000, 0x1000, 2, 1);
  w.Cells("clocks", {cmu, 5});
  w.String("status", "okay");
  w.EndNode();
  w.BeginNode("cmu");  // written after its first user
  w.U32("#clock-cells", 1);
  w.Phandle(cmu);
  w.EndNode();
  w.EndNode();
  absl::StatusOr<std::vector<uint8_t>> blob = w.Finish();
  ASSERT_TRUE(blob.ok()) << blob.status();
  ASSERT_EQ(fdt_check_full(blob->data(), blob->size()), 0);
  absl::StatusOr<Board> b = LoadDtb(*blob, "w");
  ASSERT_TRUE(b.ok()) << b.status();
  const DtNode& dev = b->node(b->FindPath("/dev@100000000"));
  EXPECT_THAT(dev.reg, ElementsAre(Pair(0x100000000u, 0x1000u)));
  ASSERT_EQ(dev.clocks.size(), 1u);
  EXPECT_EQ(dev.clocks[0].node, b->FindPath("/cmu"));
  EXPECT_THAT(b->root_compatible, ElementsAre("x,board", "x,soc"));
}

TEST(DtbWriterTest, GrowsPastItsFirstBuffer) {
  DtbWriter w;
  w.BeginNode("");
  const std::vector<uint8_t> big(200 * 1024, 0xab);
  w.Property("big", big);
  for (int i = 0; i < 2000; ++i) {
    w.BeginNode("n@" + std::to_string(i));
    w.U32("value", static_cast<uint32_t>(i));
    w.EndNode();
  }
  w.EndNode();
  absl::StatusOr<std::vector<uint8_t>> blob = w.Finish();
  ASSERT_TRUE(blob.ok()) << blob.status();
  EXPECT_GT(blob->size(), big.size());
  absl::StatusOr<Board> b = LoadDtb(*blob, "big");
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->nodes.size(), 2001u);
}

TEST(DtbWriterTest, MisuseIsReportedAtFinish) {
  {
    DtbWriter w;
    w.BeginNode("root");
    w.EndNode();
    EXPECT_THAT(w.Finish().status().message(), HasSubstr("the first node must be the root"));
  }
  {
    DtbWriter w;
    w.BeginNode("");
    w.BeginNode("a");
    w.EndNode();
    w.U32("late", 1);
    w.EndNode();
    EXPECT_THAT(w.Finish().status().message(), HasSubstr("property \"late\" after a child node"));
  }
  {
    DtbWriter w;
    w.BeginNode("");
    w.BeginNode("a");
    EXPECT_THAT(w.Finish().status().message(), HasSubstr("2 node(s) still open"));
  }
  {
    DtbWriter w;
    w.EndNode();
    EXPECT_THAT(w.Finish().status().message(), HasSubstr("EndNode without an open node"));
  }
  {
    DtbWriter w;
    EXPECT_THAT(w.Finish().status().message(), HasSubstr("no root node"));
  }
  {
    DtbWriter w;
    w.BeginNode("");
    w.Reg(0, 0, 3, 1);
    w.EndNode();
    EXPECT_EQ(w.Finish().status().code(), absl::StatusCode::kInternal);
  }
}

}  // namespace
}  // namespace probestorm::hwmodel
