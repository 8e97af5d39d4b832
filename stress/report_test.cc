#include "stress/report.h"

#include "driver/invariants/iommu_bypass.h"
#include "driver/invariants/xlate_uninit_controller.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "stress/json.h"
#include "stress/junit.h"
#include "stress/xml_check_test_util.h"

namespace probestorm::stress {
namespace {

using ::testing::HasSubstr;

Report Sample(int shard_index, int shard_count) {
  Report r;
  r.campaign_id = "00c0ffee00c0ffee";
  r.engine = "controlled";
  r.strategy = "pct:3";
  r.seed = 5;
  r.runs_requested = 40;
  r.invariants = {"xlate-uninit-controller", "iommu-bypass", "data-race"};
  r.boards = {"embedded:tm2e"};
  r.profiles = {"v6.1-modular", "v6.1-modular+initfix"};
  r.shard_index = shard_index;
  r.shard_count = shard_count;
  r.runs = 10;
  r.wall_seconds = 1.5;
  r.schedule_points = 1000;
  r.max_live_tasks = 12;
  r.endings = {{"quiescent", 8}, {"finding", 2}};
  r.probes = {{"xlate-before-drvdata", 3}, {"trigger-during-probe", 0}};
  ReportFinding f;
  f.finding.invariant = kernel::invariants::kXlateUninitController;
  f.finding.severity = harness::Severity::kViolation;
  f.board = "embedded:tm2e";
  f.profile = "v6.1-modular";
  f.seed = 18446744073709551615ull;
  f.run = static_cast<uint64_t>(shard_index) + 4;
  f.finding.step = 5123;
  f.finding.virtual_time_ns = 12000345000;
  f.finding.tasks = {"modprobe/exynos-iommu", "deferred_probe_work"};
  f.finding.devices = {"13a00000.sysmmu", "13800000.decon"};
  f.finding.message = "exynos_iommu_of_xlate(13800000.decon) saw <13a00000.sysmmu> & \"drvdata\" NULL";
  f.finding.detail = "line 1\nline 2";
  f.token = "TOKEN";
  f.replay = "probestorm replay --token=TOKEN";
  f.trace_hash = "0123456789abcdef";
  r.findings.push_back(f);
  f.finding.invariant = kernel::invariants::kIommuBypass;
  f.finding.severity = harness::Severity::kWarning;
  f.finding.message = "13800000.decon binds without IOMMU after an explicit decision";
  r.findings.push_back(f);
  r.summary["xlate-uninit-controller"] = {2, 0, static_cast<int64_t>(shard_index) + 4, 0.2, 2};
  r.summary["iommu-bypass"] = {0, 3, static_cast<int64_t>(shard_index) + 4, 0.2, 0};
  r.summary["data-race"] = {};
  return r;
}

TEST(ReportTest, JsonRoundTrip) {
  const Report r = Sample(0, 1);
  const std::string json = ReportJson(r);
  EXPECT_THAT(json, HasSubstr("\"schema\": \"probestorm-report/2\""));
  EXPECT_THAT(json, HasSubstr("\"66\": \"a ThreadSanitizer report (tsan build only)\""));
  EXPECT_THAT(json, HasSubstr("\"125\": \"undecided"));
  auto back = ParseReport(json, "r.json");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(ReportJson(*back), json);
  EXPECT_EQ(back->findings[0].seed, 18446744073709551615ull);
  EXPECT_EQ(back->findings[0].finding.message, r.findings[0].finding.message);
  EXPECT_TRUE(back->Violated());
}

// Device, task and message texts come from device trees and the model: a control character and
// an invalid UTF-8 byte still give a valid report that reads back, the byte as U+FFFD.
TEST(ReportTest, OddBytesInNamesGiveValidJson) {
  Report r = Sample(0, 1);
  const std::string odd = "dev\x1b\xff";
  const std::string read_back = "dev\x1b\xef\xbf\xbd";
  r.boards = {odd};
  r.findings[0].board = odd;
  r.findings[0].finding.devices = {odd};
  r.findings[0].finding.tasks = {odd};
  r.findings[0].finding.message = odd;
  const std::string json = ReportJson(r);
  ASSERT_TRUE(Json::accept(json)) << json;
  auto back = ParseReport(json, "odd.json");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->boards, std::vector<std::string>{read_back});
  const ReportFinding& f = back->findings[0];
  EXPECT_EQ(f.board, read_back);
  EXPECT_EQ(f.finding.devices, std::vector<std::string>{read_back});
  EXPECT_EQ(f.finding.tasks, std::vector<std::string>{read_back});
  EXPECT_EQ(f.finding.message, read_back);
}

TEST(ReportTest, RefusesFieldsOfTheWrongType) {
  const std::string good = ReportJson(Sample(0, 1));
  struct Case {
    std::string from, to, expect;
  };
  for (const Case& c : std::vector<Case>{
           {"\"runs\": 10", "\"runs\": \"many\"", "r.json: field 'runs' is not an unsigned integer"},
           {"\"runs\": 10", "\"runs\": -10", "r.json: field 'runs' is not an unsigned integer"},
           {"\"step\": 5123", "\"step\": \"5123\"", "r.json: findings[0]: field 'step'"},
           {"\"quiescent\": 8", "\"quiescent\": true", "r.json: endings: field 'quiescent'"},
           {"\"violations\": 2", "\"violations\": null", "field 'violations' is not an unsigned"},
           {"\"index\": 0", "\"index\": 0.5", "r.json: shard: field 'index' is not an integer"}}) {
    std::string bad = good;
    const size_t at = bad.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    bad.replace(at, c.from.size(), c.to);
    auto r = ParseReport(bad, "r.json");
    ASSERT_FALSE(r.ok()) << c.to;
    EXPECT_THAT(std::string(r.status().message()), HasSubstr(c.expect)) << c.to;
  }
}

TEST(ReportTest, RefusesOtherSchemaAndMalformedInput) {
  auto a = ParseReport(R"({"schema": "probestorm-report/3", "findings": []})", "new.json");
  ASSERT_FALSE(a.ok());
  EXPECT_THAT(std::string(a.status().message()),
              HasSubstr("new.json: schema 'probestorm-report/3' is not probestorm-report/2 (or "
                        "probestorm-report/1)"));
  // A /1 report (before probes) still reads, for merge.
  auto v1 = ParseReport(R"({"schema": "probestorm-report/1", "runs": 3, "findings": []})", "v1.json");
  ASSERT_TRUE(v1.ok()) << v1.status();
  EXPECT_EQ(v1->runs, 3u);
  EXPECT_TRUE(v1->probes.empty());
  auto b = ParseReport("{\"schema\": ", "cut.json");
  ASSERT_FALSE(b.ok());
  EXPECT_THAT(std::string(b.status().message()), HasSubstr("cut.json: JSON parse error"));
  auto c = ParseReport("[]", "list.json");
  EXPECT_FALSE(c.ok());
}

TEST(ReportTest, JunitIsWellFormed) {
  const Report r = Sample(0, 1);
  const std::string xml = JunitXml(r);
  testing::XmlNode root;
  std::string error;
  ASSERT_TRUE(testing::ParseXml(xml, root, error)) << error << "\n" << xml;
  EXPECT_EQ(root.name, "testsuites");
  for (const char* a : {"tests", "failures", "errors", "skipped", "time"}) {
    EXPECT_TRUE(root.attrs.count(a)) << a;
  }
  auto suites = root.All("testsuite");
  ASSERT_EQ(suites.size(), 1u);
  auto cases = suites[0]->All("testcase");
  // 16 invariants x 2 profiles x 1 board.
  ASSERT_EQ(cases.size(), 32u);
  EXPECT_EQ(suites[0]->attrs.at("tests"), "32");
  EXPECT_EQ(suites[0]->attrs.at("failures"), "1");
  EXPECT_EQ(suites[0]->attrs.at("skipped"), std::to_string(2 * 13));
  int failures = 0;
  for (const auto* c : cases) {
    EXPECT_THAT(c->attrs.at("classname"), ::testing::StartsWith("probestorm.embedded:tm2e."));
    for (const auto* f : c->All("failure")) {
      ++failures;
      EXPECT_EQ(c->attrs.at("name"), "xlate-uninit-controller");
      EXPECT_EQ(c->attrs.at("classname"), "probestorm.embedded:tm2e.v6.1-modular");
      EXPECT_EQ(f->attrs.at("message"), r.findings[0].finding.message);  // escaped and back
      EXPECT_THAT(f->text, HasSubstr("probestorm replay --token=TOKEN"));
    }
  }
  EXPECT_EQ(failures, 1);
}

TEST(ReportTest, MergeSumsAndUnions) {
  std::vector<Report> shards = {Sample(0, 2), Sample(1, 2)};
  auto m = MergeReports(shards, {"a.json", "b.json"});
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->runs, 20u);
  EXPECT_EQ(m->schedule_points, 2000u);
  EXPECT_EQ(m->endings.at("finding"), 4u);
  EXPECT_EQ(m->probes.at("xlate-before-drvdata"), 6u);
  EXPECT_EQ(m->probes.at("trigger-during-probe"), 0u);
  EXPECT_EQ(m->summary.at("xlate-uninit-controller").violations, 4u);
  EXPECT_EQ(m->summary.at("xlate-uninit-controller").first_run, 4);
  EXPECT_EQ(m->summary.at("iommu-bypass").warnings, 6u);
  ASSERT_EQ(m->findings.size(), 2u);  // same findings: the lowest run kept
  EXPECT_EQ(m->findings[0].run, 4u);
  EXPECT_EQ(m->merged_shards, 2);
}

// A learning strategy's exploration: written, read back, and summed by a merge.
ExplorationResult SampleExploration(uint64_t pairs, uint64_t arm_runs) {
  ExplorationResult e;
  e.recorded = true;
  e.pairs = pairs;
  e.reads_from = pairs / 2;
  e.curve = {pairs, 0};
  e.arms["random"] = {arm_runs, 3, {{"xlate-uninit-controller", 2}}};
  e.arms["conflict"] = {arm_runs + 1, 5, {}};
  return e;
}

TEST(ReportTest, ExplorationReadsBack) {
  Report r = Sample(0, 1);
  r.exploration = SampleExploration(40, 6);
  const std::string json = ReportJson(r);
  auto back = ParseReport(json, "r.json");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(ReportJson(*back), json);
  EXPECT_EQ(back->exploration.curve, (std::vector<uint64_t>{40, 0}));
  EXPECT_EQ(back->exploration.arms.at("random").violations.at("xlate-uninit-controller"), 2u);
  // A report without exploration (a fixed strategy) reads back without one.
  auto plain = ParseReport(ReportJson(Sample(0, 1)), "p.json");
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_FALSE(plain->exploration.recorded);
  // A wrongly typed member is refused, naming where.
  auto doc = ParseJson(json);
  ASSERT_TRUE(doc.ok());
  (*doc)["exploration"]["new_pairs_per_100_runs"][0] = -40;
  auto refused = ParseReport(doc->dump(), "bad.json");
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(), HasSubstr("bad.json: exploration: new_pairs_per_100_runs"));
}

TEST(ReportTest, MergeSumsExplorationPerStrategy) {
  std::vector<Report> shards = {Sample(0, 2), Sample(1, 2)};
  shards[0].exploration = SampleExploration(40, 6);
  shards[1].exploration = SampleExploration(55, 4);
  auto m = MergeReports(shards, {"a.json", "b.json"});
  ASSERT_TRUE(m.ok()) << m.status();
  const ExplorationResult& e = m->exploration;
  ASSERT_TRUE(e.recorded);
  EXPECT_EQ(e.merged_shards, 2);
  EXPECT_EQ(e.pairs, 55u);  // the largest shard's: the pair sets are not in the reports
  EXPECT_TRUE(e.curve.empty());
  EXPECT_EQ(e.arms.at("random").runs, 10u);
  EXPECT_EQ(e.arms.at("conflict").runs, 12u);
  EXPECT_EQ(e.arms.at("random").new_pairs, 6u);
  EXPECT_EQ(e.arms.at("random").violations.at("xlate-uninit-controller"), 4u);
  EXPECT_THAT(ExplorationText(e), HasSubstr("at least 55 conflict pairs, 27 reads-from edges (the largest of 2 shards)"));
  EXPECT_THAT(ExplorationText(e), HasSubstr("strategy random: 10 runs"));
  // The merged report says so in its JSON, and reads back the same.
  const std::string json = ReportJson(*m);
  EXPECT_THAT(json, HasSubstr("\"merged_shards\": 2"));
  auto back = ParseReport(json, "m.json");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(ReportJson(*back), json);
}

TEST(ReportTest, MergeRefusesOtherCampaignsAndDuplicateShards) {
  Report other = Sample(1, 2);
  other.campaign_id = "ffffffffffffffff";
  auto a = MergeReports({Sample(0, 2), other}, {"a.json", "b.json"});
  ASSERT_FALSE(a.ok());
  EXPECT_THAT(std::string(a.status().message()), HasSubstr("b.json: campaign ffffffffffffffff differs"));
  auto b = MergeReports({Sample(0, 2), Sample(0, 2)}, {"a.json", "a2.json"});
  ASSERT_FALSE(b.ok());
  EXPECT_THAT(std::string(b.status().message()), HasSubstr("a2.json: shard 0 of 2 given twice"));
}

}  // namespace
}  // namespace probestorm::stress
