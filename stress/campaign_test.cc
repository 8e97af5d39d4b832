#include "stress/campaign.h"

#include <map>
#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "stress/boards.h"
#include "stress/report.h"
#include "stress/shard.h"

namespace probestorm::stress {
namespace {

using ::testing::HasSubstr;

TEST(ShardTest, ShardsPartitionTheRuns) {
  for (uint64_t runs : {0, 1, 7, 100}) {
    for (int count : {1, 2, 3, 4, 16}) {
      std::multiset<uint64_t> all;
      for (int i = 0; i < count; ++i) {
        for (uint64_t r : ShardRuns(runs, i, count)) {
          EXPECT_EQ(r % static_cast<uint64_t>(count), static_cast<uint64_t>(i));
          all.insert(r);
        }
      }
      ASSERT_EQ(all.size(), runs);
      uint64_t expect = 0;
      for (uint64_t r : all) EXPECT_EQ(r, expect++);
    }
  }
}

TEST(ShardTest, RunSeedsAreStableAndDistinct) {
  EXPECT_EQ(RunSeed(1, 0), RunSeed(1, 0));
  std::set<uint64_t> seeds;
  for (uint64_t r = 0; r < 1000; ++r) seeds.insert(RunSeed(1, r));
  EXPECT_EQ(seeds.size(), 1000u);
  EXPECT_NE(RunSeed(1, 5), RunSeed(2, 5));
}

TEST(ShardTest, ResolveFromFlagsAndEnvironment) {
  std::map<std::string, std::string> env;
  GetEnv get = [&](const char* n) -> const char* {
    auto it = env.find(n);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  auto s = ResolveShard(-1, -1, get);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->index, 0);
  EXPECT_EQ(s->count, 1);

  env = {{"GTEST_SHARD_INDEX", "2"}, {"GTEST_TOTAL_SHARDS", "5"}, {"SLURM_ARRAY_TASK_ID", "9"}};
  s = ResolveShard(-1, -1, get);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->index, 2);
  EXPECT_EQ(s->count, 5);

  env = {{"JOB_COMPLETION_INDEX", "3"}, {"PROBESTORM_SHARD_COUNT", "8"}};
  s = ResolveShard(-1, -1, get);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->index, 3);
  EXPECT_EQ(s->count, 8);
  env = {{"JOB_COMPLETION_INDEX", "3"}};
  EXPECT_FALSE(ResolveShard(-1, -1, get).ok());  // no count anywhere
  s = ResolveShard(-1, 4, get);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->index, 3);

  env = {{"SLURM_ARRAY_TASK_ID", "11"}, {"SLURM_ARRAY_TASK_COUNT", "4"}, {"SLURM_ARRAY_TASK_MIN", "10"}};
  s = ResolveShard(-1, -1, get);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->index, 1);
  EXPECT_EQ(s->count, 4);

  s = ResolveShard(1, 2, get);  // flags win
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->index, 1);
  EXPECT_EQ(s->count, 2);

  auto bad = ResolveShard(4, 4, get);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("must be in 0..3"));
  env = {{"GTEST_SHARD_INDEX", "x"}};
  EXPECT_FALSE(ResolveShard(-1, -1, get).ok());
}

CampaignOptions SmallCampaign() {
  CampaignOptions o;
  auto b = LoadBoardSpec("embedded:tm2e");
  EXPECT_TRUE(b.ok()) << b.status();
  CampaignBoard cb;
  cb.spec = "embedded:tm2e";
  cb.fingerprint = BoardFingerprint(*b);
  cb.board = std::make_shared<const hwmodel::Board>(std::move(*b));
  o.boards.push_back(cb);
  auto p = kernel::LoadProfile("v6.1-modular");
  EXPECT_TRUE(p.ok());
  o.profiles.push_back(*p);
  o.seed = 3;
  o.runs = 24;
  return o;
}

// What must not depend on --jobs or sharding: the findings and the counts.
std::string Essence(Report r) {
  r.wall_seconds = 0;
  r.peak_rss_bytes = 0;
  r.shard_index = 0;
  r.shard_count = 1;
  r.merged_shards = 0;
  r.campaign_id.clear();
  for (auto& f : r.findings) f.wall_seconds = 0;
  for (auto& [id, s] : r.summary) s.first_wall_seconds = 0;
  return ReportJson(r);
}

TEST(CampaignTest, SameResultForAnyJobsAndShardsMergedEqualOneCampaign) {
  CampaignOptions o = SmallCampaign();
  o.jobs = 1;
  const Report one = BuildReport(o, RunCampaign(o));
  EXPECT_EQ(one.runs, 24u);
  o.jobs = 2;
  const Report two = BuildReport(o, RunCampaign(o));
  EXPECT_EQ(Essence(one), Essence(two));

  std::vector<Report> shards;
  std::vector<std::string> names;
  for (int i = 0; i < 4; ++i) {
    CampaignOptions s = o;
    s.shard_index = i;
    s.shard_count = 4;
    shards.push_back(BuildReport(s, RunCampaign(s)));
    names.push_back("shard" + std::to_string(i));
    EXPECT_EQ(shards.back().runs, 6u);
  }
  EXPECT_EQ(shards[0].campaign_id, shards[3].campaign_id);
  auto merged = MergeReports(shards, names);
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_EQ(Essence(*merged), Essence(one));
}

}  // namespace
}  // namespace probestorm::stress
