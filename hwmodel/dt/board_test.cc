// The board's own reductions and fingerprint: DisableNodes and BoardFingerprint.
#include "hwmodel/dt/board.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace probestorm::hwmodel {
namespace {

TEST(BoardTest, DisableNodesDropsTheSubtreeFromTheDevices) {
  absl::StatusOr<Board> b = LoadEmbeddedBoard("embedded:tm2e");
  ASSERT_TRUE(b.ok()) << b.status();
  const uint64_t before = BoardFingerprint(*b);
  EXPECT_EQ(BoardFingerprint(*LoadEmbeddedBoard("embedded:tm2e")), before);  // a function of the tree
  ASSERT_FALSE(b->sysmmus.empty());
  const int sysmmu = b->sysmmus.front();
  const std::string path = b->node(sysmmu).path;
  const size_t devices = b->devices.size();
  ASSERT_TRUE(DisableNodes(*b, {path}).ok());
  EXPECT_FALSE(b->node(sysmmu).available);
  EXPECT_FALSE(b->node(sysmmu).status_okay);
  EXPECT_LT(b->devices.size(), devices);
  EXPECT_EQ(b->FindDevice(b->node(sysmmu).device_name), kNoNode);
  EXPECT_NE(BoardFingerprint(*b), before);  // status is part of what the model sees
}

TEST(BoardTest, DisableNodesRefusesAnUnknownPath) {
  absl::StatusOr<Board> b = LoadEmbeddedBoard("embedded:tm2e");
  ASSERT_TRUE(b.ok());
  const absl::Status s = DisableNodes(*b, {"/soc/no-such-node"});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), ::testing::HasSubstr("has no node '/soc/no-such-node'"));
}

}  // namespace
}  // namespace probestorm::hwmodel
