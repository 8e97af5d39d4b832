// End-to-end tests of the `probestorm` binary (PROBESTORM_BINARY), run as a subprocess: exit
// codes, stdout/stderr, reports, replay, shrink, bisect, sharding + merge, and every class of bad
// input (exit 2 with exactly one line on stderr).
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>

#include <unistd.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "stress/json.h"
#include "stress/report.h"
#include "stress/xml_check_test_util.h"

namespace probestorm::stress {
namespace {

using ::testing::HasSubstr;

struct Result {
  int code = -1;
  std::string out, err;
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Dir(const std::string& name) {
  // The pid keeps parallel test processes (ctest -j, two build trees) out of each other's files.
  const std::string d = ::testing::TempDir() + "/probestorm_e2e_" + std::to_string(getpid()) + "_" + name;
  std::system(("rm -rf '" + d + "' && mkdir -p '" + d + "'").c_str());
  return d;
}

// Runs `probestorm ARGS` in a clean shard environment.
// `env`: extra NAME=VALUE assignments for the child (shell words).
Result Probestorm(const std::string& args, const std::string& env = "") {
  static int n = 0;
  const std::string base = ::testing::TempDir() + "/probestorm_e2e_io" + std::to_string(getpid()) +
                           "_" + std::to_string(n++);
  const std::string cmd =
      "env -u GTEST_SHARD_INDEX -u GTEST_TOTAL_SHARDS -u JOB_COMPLETION_INDEX "
      "-u SLURM_ARRAY_TASK_ID -u SLURM_ARRAY_TASK_COUNT " + env + " " PROBESTORM_BINARY " " +
      args + " >" + base + ".out 2>" + base + ".err";
  const int status = std::system(cmd.c_str());
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = Slurp(base + ".out");
  r.err = Slurp(base + ".err");
  return r;
}

Report LoadReport(const std::string& path) {
  auto r = ParseReport(Slurp(path), path);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : Report{};
}

std::string FirstToken(const Report& r, const std::string& invariant) {
  for (const auto& f : r.findings) {
    if (f.finding.invariant == invariant && f.finding.severity == harness::Severity::kViolation) {
      return f.token;
    }
  }
  ADD_FAILURE() << "no " << invariant << " finding";
  return "";
}

// The seed campaign, shared by several tests (fixed runs: deterministic).
const std::string& SeedCampaignDir() {
  static const std::string* dir = [] {
    auto* d = new std::string(Dir("seed"));
    Result r = Probestorm("run --runs=200 --jobs=2 --out=" + *d);
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    std::ofstream(*d + "/stdout.txt") << r.out;
    return d;
  }();
  return *dir;
}

TEST(CliE2eTest, DefaultCampaignFindsTheSeedInvariantAndExits1) {
  const std::string dir = SeedCampaignDir();
  const std::string out = Slurp(dir + "/stdout.txt");
  EXPECT_THAT(out, HasSubstr("xlate-uninit-controller (violation) on embedded:tm2e / v6.1-modular"));
  EXPECT_THAT(out, HasSubstr("exynos_iommu_of_xlate"));  // the explanation, in kernel terms
  // The default strategy learns, so its tokens carry whole schedules: the printout names the
  // report and the finding instead, and says how many more findings of each invariant it holds.
  EXPECT_THAT(out, HasSubstr("replay:  probestorm replay --report=" + dir + "/report.json --finding=0\n"));
  EXPECT_THAT(out, ::testing::Not(HasSubstr("probestorm replay --token=")));
  EXPECT_THAT(out, ::testing::ContainsRegex("and [0-9]+ more findings of xlate-uninit-controller in the report"));
  EXPECT_THAT(out, HasSubstr("devices: "));
  EXPECT_THAT(out, HasSubstr("result: VIOLATION (exit 1)"));
  EXPECT_THAT(out, ::testing::Not(HasSubstr("\r")));  // no progress line off a terminal
  // The default strategy is the portfolio: coverage and what each strategy got and found.
  EXPECT_THAT(out, HasSubstr("(auto)"));
  EXPECT_THAT(out, ::testing::ContainsRegex("coverage: [1-9][0-9]* conflict pairs, [1-9][0-9]* reads-from edges; new pairs per 100 runs: [0-9]+ [0-9]+"));
  EXPECT_THAT(out, ::testing::ContainsRegex("strategy surw: [1-9][0-9]* runs"));
  // Artifacts.
  const Report r = LoadReport(dir + "/report.json");
  EXPECT_EQ(r.schema, "probestorm-report/2");
  EXPECT_EQ(r.probes.size(), 4u) << "every probe listed, fired or not";
  EXPECT_EQ(r.runs, 200u);
  EXPECT_GT(r.summary.at("xlate-uninit-controller").violations, 0u);
  auto doc = ParseJson(Slurp(dir + "/report.json"));
  ASSERT_TRUE(doc.ok());
  for (const char* key : {"schema", "version", "engine", "strategy", "boards", "profiles", "shard",
                          "runs", "wall_seconds", "schedule_points", "max_live_tasks",
                          "peak_rss_bytes", "findings", "summary"}) {
    EXPECT_TRUE(doc->contains(key)) << key;
  }
  ASSERT_TRUE(doc->contains("exploration"));
  const Json& x = doc->at("exploration");
  EXPECT_GT(JsonFields(x, "exploration").Uint("conflict_pairs"), 0u);
  EXPECT_EQ(x.at("new_pairs_per_100_runs").size(), 2u);
  uint64_t arm_runs = 0;
  for (const char* arm : {"pos-hold", "surw", "conflict"}) {
    ASSERT_TRUE(x.at("strategies").contains(arm)) << arm;
    arm_runs += JsonFields(x.at("strategies").at(arm), arm).Uint("runs");
  }
  EXPECT_EQ(arm_runs, r.runs);
  const Json& f0 = doc->at("findings").at(0);
  for (const char* key : {"invariant", "severity", "board", "profile", "seed", "run", "step",
                          "virtual_time_ns", "wall_seconds", "tasks", "devices", "message",
                          "replay", "trace_hash"}) {
    EXPECT_TRUE(f0.contains(key)) << key;
  }
  testing::XmlNode junit;
  std::string error;
  ASSERT_TRUE(testing::ParseXml(Slurp(dir + "/junit.xml"), junit, error)) << error;
  EXPECT_EQ(junit.name, "testsuites");
  EXPECT_NE(junit.attrs.at("failures"), "0");
  auto chrome = ParseJson(Slurp(dir + "/trace-xlate-uninit-controller.json"));
  EXPECT_TRUE(chrome.ok()) << chrome.status();
  EXPECT_THAT(Slurp(dir + "/log-xlate-uninit-controller.txt"), HasSubstr("exynos_sysmmu_probe"));
}

// Invariants found in the same run share that run's trace: it is re-run and rendered once, and
// every invariant's trace and log name the same bytes (a hard link on one file system).
TEST(CliE2eTest, InvariantsOfOneRunShareItsTrace) {
  const std::string dir = Dir("shared_traces");
  Result a = Probestorm("run --runs=1 --jobs=1 --seed=1 --strategy=random --set=async_probe=* --out=" + dir);
  ASSERT_EQ(a.code, 1) << a.out << a.err;
  const Report r = LoadReport(dir + "/report.json");
  std::set<std::string> ids;
  for (const auto& f : r.findings) ids.emplace(f.finding.invariant.name());
  ASSERT_GE(ids.size(), 2u) << a.out;
  const std::string first = *ids.begin();
  struct stat one {};
  ASSERT_EQ(stat((dir + "/trace-" + first + ".json").c_str(), &one), 0);
  for (const std::string& id : ids) {
    EXPECT_EQ(Slurp(dir + "/trace-" + id + ".json"), Slurp(dir + "/trace-" + first + ".json")) << id;
    EXPECT_EQ(Slurp(dir + "/log-" + id + ".txt"), Slurp(dir + "/log-" + first + ".txt")) << id;
    struct stat st {};
    ASSERT_EQ(stat((dir + "/trace-" + id + ".json").c_str(), &st), 0) << id;
    EXPECT_EQ(st.st_ino, one.st_ino) << id;
  }
  EXPECT_THAT(Slurp(dir + "/log-" + first + ".txt"), HasSubstr("exynos_sysmmu_probe"));
}

// A free run cannot be re-run for its trace: the first finding of each invariant keeps the trace
// recorded during the campaign. Which invariants fire depends on the OS schedule; on v6.1-modular
// every run reports something (explicit bypass warnings when modprobe comes after the timeout,
// the seed's violations when it comes before).
TEST(CliE2eTest, FreeEngineWritesTheTraceOfTheFirstFindingPerInvariant) {
  const std::string dir = Dir("free_traces");
  // The default time scale (0): virtual time moves only when every task waits, so a loaded
  // machine (ctest -j) still boots within max_virtual_time. Under the tsan preset, TSan reports
  // the kernel races the model reproduces with plain accesses on purpose (dev->iommu) and would
  // stop the run (the preset halts on the first report): not this test's subject.
  Result a = Probestorm("run --engine=free --runs=4 --jobs=2 --out=" + dir,
                        "TSAN_OPTIONS=\"${TSAN_OPTIONS:-} halt_on_error=0 exitcode=0\"");
  ASSERT_TRUE(a.code == 0 || a.code == 1) << a.out << a.err;
  EXPECT_THAT(a.out, HasSubstr("incomplete 0;"));
  EXPECT_THAT(a.out, HasSubstr("its traces were recorded during the campaign"));
  const Report r = LoadReport(dir + "/report.json");
  ASSERT_FALSE(r.findings.empty()) << a.out;
  std::set<std::string> invariants;
  for (const auto& f : r.findings) invariants.emplace(f.finding.invariant.name());
  for (const std::string& id : invariants) {
    auto chrome = ParseJson(Slurp(dir + "/trace-" + id + ".json"));
    ASSERT_TRUE(chrome.ok()) << id << ": " << chrome.status();
    EXPECT_TRUE(chrome->contains("traceEvents")) << id;
    EXPECT_THAT(Slurp(dir + "/log-" + id + ".txt"), HasSubstr("exynos_sysmmu_probe")) << id;
  }
}

// Every run stops at a max_virtual_time before the boot can finish (1 s: before any module load): the summary line counts them
// as incomplete and the campaign exits 125, in either engine, never 0.
TEST(CliE2eTest, AllRunsIncompleteExits125) {
  for (const char* engine : {"controlled", "free"}) {
    Result a = Probestorm(std::string("run --engine=") + engine +
                              " --runs=3 --jobs=2 --max_virtual_time=1s --out=",
                          "TSAN_OPTIONS=\"${TSAN_OPTIONS:-} halt_on_error=0 exitcode=0\"");
    EXPECT_EQ(a.code, 125) << engine << "\n" << a.out << a.err;
    EXPECT_THAT(a.out, HasSubstr("3 runs in")) << engine;
    EXPECT_THAT(a.out, HasSubstr("incomplete 3;")) << engine;
    EXPECT_THAT(a.err, HasSubstr("every run (3) stopped before quiescence")) << engine;
    EXPECT_THAT(a.out, ::testing::Not(HasSubstr("result: no violation"))) << engine;
  }
  Result help = Probestorm("run --help");
  EXPECT_THAT(help.out + help.err, HasSubstr("every run is incomplete the exit code is 125"));
}

TEST(CliE2eTest, FixedProfilesExit0) {
  Result a = Probestorm("run --profile=v6.1 --runs=40 --jobs=2 --out=");
  EXPECT_EQ(a.code, 0) << a.out << a.err;
  EXPECT_THAT(a.out, HasSubstr("result: no violation (exit 0)"));
  Result b = Probestorm(
      "run --profile=v6.1-modular+initfix --invariants=xlate-uninit-controller,domain-alloc-uninit "
      "--runs=100 --jobs=2 --out=");
  EXPECT_EQ(b.code, 0) << b.out << b.err;
}

// `xmllint --noout --schema stress/testdata/junit.xsd FILE`: the JUnit schema CI dashboards read.
Result ValidateJunit(const std::string& path) {
  static int n = 0;
  const std::string base = ::testing::TempDir() + "/probestorm_e2e_xmllint" +
                           std::to_string(getpid()) + "_" + std::to_string(n++);
  const std::string cmd = "xmllint --noout --schema " PROBESTORM_SOURCE_DIR
                          "/stress/testdata/junit.xsd '" + path + "' >" + base + ".out 2>" + base +
                          ".err";
  const int status = std::system(cmd.c_str());
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = Slurp(base + ".out");
  r.err = Slurp(base + ".err");
  return r;
}

// The counters a schema cannot check: tests/failures/skipped equal what the suite holds.
void ExpectConsistentCounters(const std::string& path) {
  testing::XmlNode root;
  std::string error;
  ASSERT_TRUE(testing::ParseXml(Slurp(path), root, error)) << path << ": " << error;
  ASSERT_EQ(root.name, "testsuites");
  size_t cases = 0, failed = 0, skipped = 0;
  for (const testing::XmlNode* suite : root.All("testsuite")) {
    size_t suite_cases = 0, suite_failed = 0, suite_skipped = 0;
    for (const testing::XmlNode* c : suite->All("testcase")) {
      ++suite_cases;
      suite_failed += c->All("failure").empty() ? 0 : 1;
      suite_skipped += c->All("skipped").empty() ? 0 : 1;
    }
    EXPECT_EQ(suite->attrs.at("tests"), std::to_string(suite_cases)) << path;
    EXPECT_EQ(suite->attrs.at("failures"), std::to_string(suite_failed)) << path;
    EXPECT_EQ(suite->attrs.at("skipped"), std::to_string(suite_skipped)) << path;
    cases += suite_cases;
    failed += suite_failed;
    skipped += suite_skipped;
  }
  EXPECT_EQ(root.attrs.at("tests"), std::to_string(cases)) << path;
  EXPECT_EQ(root.attrs.at("failures"), std::to_string(failed)) << path;
  EXPECT_EQ(root.attrs.at("skipped"), std::to_string(skipped)) << path;
}

TEST(CliE2eTest, JunitValidatesAgainstTheJunitSchema) {
  ASSERT_EQ(std::system("command -v xmllint >/dev/null 2>&1"), 0)
      << "xmllint not found: ci/setup installs it (Debian package libxml2-utils)";
  // With findings: the seed campaign (failures with replay commands, warnings in system-out).
  const std::string seed_junit = SeedCampaignDir() + "/junit.xml";
  EXPECT_THAT(Slurp(seed_junit), HasSubstr("<failure message="));
  Result a = ValidateJunit(seed_junit);
  EXPECT_EQ(a.code, 0) << a.err;
  EXPECT_THAT(a.err, HasSubstr("validates"));
  ExpectConsistentCounters(seed_junit);

  // Without findings, and with invariants disabled (skipped test cases).
  const std::string dir = Dir("junit_schema");
  Result clean = Probestorm("run --profile=v6.1 --runs=10 --jobs=2 --invariants=stall,probe-exclusive "
                            "--out= --junit=" + dir + "/clean.xml --report_json=" + dir +
                            "/shard0.json --shard_index=0 --shard_count=2");
  ASSERT_EQ(clean.code, 0) << clean.out << clean.err;
  EXPECT_THAT(Slurp(dir + "/clean.xml"), ::testing::Not(HasSubstr("<failure")));
  EXPECT_THAT(Slurp(dir + "/clean.xml"), HasSubstr("<skipped"));
  Result b = ValidateJunit(dir + "/clean.xml");
  EXPECT_EQ(b.code, 0) << b.err;
  ExpectConsistentCounters(dir + "/clean.xml");

  // Written by merge.
  Result shard1 = Probestorm("run --profile=v6.1 --runs=10 --jobs=2 --invariants=stall,probe-exclusive "
                             "--out= --report_json=" + dir + "/shard1.json --shard_index=1 "
                             "--shard_count=2");
  ASSERT_EQ(shard1.code, 0) << shard1.out << shard1.err;
  Result m = Probestorm("merge " + dir + "/shard0.json " + dir + "/shard1.json --junit=" + dir +
                        "/merged.xml");
  ASSERT_EQ(m.code, 0) << m.out << m.err;
  Result c = ValidateJunit(dir + "/merged.xml");
  EXPECT_EQ(c.code, 0) << c.err;
  ExpectConsistentCounters(dir + "/merged.xml");

  // Negative controls: documents CI dashboards reject fail validation, each for its reason.
  const std::string good_case = R"(<testcase classname="c" name="n" time="0"/>)";
  const std::vector<std::pair<std::string, std::string>> broken = {
      {R"(<testsuites><testsuite name="s" tests="many">)" + good_case + "</testsuite></testsuites>",
       "'many' is not a valid value"},
      {R"(<testsuites><testsuite name="s" tests="1"><testcase classname="c"/></testsuite></testsuites>)",
       "attribute 'name' is required"},
      {R"(<testsuites><testsuite name="s" tests="1">)" + good_case +
           "<properties/></testsuite></testsuites>",
       "Element 'properties': This element is not expected"},
      {R"(<testsuites><testsuite name="s" tests="1"><testcase name="n"><skipped/><failure/></testcase></testsuite></testsuites>)",
       "Element 'failure': This element is not expected. Expected is one of ( system-out"},
      {R"(<testsuites><testsuite name="s" tests="1"><failure message="x"/></testsuite></testsuites>)",
       "Expected is one of ( properties, testcase"},
      {R"(<testsuites><testsuite name="s" tests="1">)" + good_case +
           R"(</testsuite></testsuites>)" + "\n<!-- -->",
       ""},  // a trailing comment is fine: the control that the harness is not rejecting everything
      {R"(<results><testsuite name="s" tests="0"/></results>)", "No matching global declaration"},
  };
  for (size_t i = 0; i < broken.size(); ++i) {
    const std::string path = dir + "/broken" + std::to_string(i) + ".xml";
    std::ofstream(path) << broken[i].first;
    Result r = ValidateJunit(path);
    if (broken[i].second.empty()) {
      EXPECT_EQ(r.code, 0) << broken[i].first << "\n" << r.err;
      continue;
    }
    EXPECT_NE(r.code, 0) << broken[i].first;
    EXPECT_THAT(r.err, HasSubstr("fails to validate")) << broken[i].first;
    EXPECT_THAT(r.err, HasSubstr(broken[i].second)) << broken[i].first;
  }
}

TEST(CliE2eTest, ReplayReproducesTheTraceHash) {
  const std::string dir = SeedCampaignDir();
  const Report r = LoadReport(dir + "/report.json");
  const std::string token = FirstToken(r, "xlate-uninit-controller");
  Result a = Probestorm("replay --token=" + token + " --out=" + dir);
  EXPECT_EQ(a.code, 1) << a.out << a.err;
  EXPECT_THAT(a.out, HasSubstr("matches the recorded run"));
  EXPECT_THAT(a.out, HasSubstr("result: xlate-uninit-controller reproduced"));
  EXPECT_TRUE(ParseJson(Slurp(dir + "/replay-xlate-uninit-controller.json")).ok());
  // --report + --finding picks the same kind of thing.
  Result b = Probestorm("replay --report=" + dir + "/report.json --finding=0 --out=");
  EXPECT_EQ(b.code, r.findings[0].finding.severity == harness::Severity::kViolation ? 1 : 0) << b.out << b.err;
  EXPECT_THAT(b.out, HasSubstr("matches the recorded run"));
}

TEST(CliE2eTest, ShrinkMakesASmallerFailingRun) {
  const Report r = LoadReport(SeedCampaignDir() + "/report.json");
  const std::string token = FirstToken(r, "xlate-uninit-controller");
  Result s = Probestorm("shrink --token=" + token + " --out=");
  ASSERT_EQ(s.code, 1) << s.out << s.err;
  std::smatch m;
  const std::string out = s.out;
  ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(masters\s+(\d+)\s+(\d+))")));
  EXPECT_LT(std::stoi(m[2]), std::stoi(m[1]));
  ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(preemptions\s+(\d+)\s+(\d+))")));
  EXPECT_LT(std::stoi(m[2]), std::stoi(m[1]));
  ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(shrunk token:\s+probestorm replay --token=(\S+))")));
  Result again = Probestorm("replay --token=" + m[1].str() + " --out=");
  EXPECT_EQ(again.code, 1) << again.out << again.err;
  EXPECT_THAT(again.out, HasSubstr("matches the recorded run"));
}

TEST(CliE2eTest, BisectFindsTheSeedSeriesAndTheFix) {
  // A generous --time_budget does not get in the way of a decision.
  const std::string json = Dir("bisect") + "/bisect.json";
  Result a = Probestorm(
      "bisect --profiles=v6.1,v6.1-modular --invariant=xlate-uninit-controller --jobs=2 "
      "--time_budget=30m --report_json=" + json);
  EXPECT_EQ(a.code, 0) << a.out << a.err;
  EXPECT_THAT(a.out, HasSubstr("first bad: v6.1-modular"));
  // --report_json: the same answer and evidence, for `probestorm report --html`.
  auto doc = ParseJson(Slurp(json));
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ((*doc)["schema"], "probestorm-bisect/1");
  EXPECT_EQ((*doc)["outcome"], "found");
  EXPECT_EQ((*doc)["answer"], "v6.1-modular");
  EXPECT_EQ((*doc)["neighbour"], "v6.1");
  EXPECT_EQ((*doc)["exit_code"], 0);
  ASSERT_EQ((*doc)["evidence"].size(), 2u);
  EXPECT_EQ((*doc)["evidence"][0]["profile"], "v6.1-modular");
  EXPECT_EQ((*doc)["evidence"][0]["state"], "bad");
  Result b = Probestorm(
      "bisect --find=first-good "
      "--profiles=v6.1-modular,v6.1-modular+initfix,v6.1-modular+marek,v6.2-modular "
      "--invariant=xlate-uninit-controller --jobs=2");
  EXPECT_EQ(b.code, 0) << b.out << b.err;
  EXPECT_THAT(b.out, HasSubstr("first good: v6.1-modular+initfix"));
  Result c = Probestorm(
      "bisect --profiles=v6.1-modular+initfix,v6.2-modular --invariant=xlate-uninit-controller "
      "--runs=50 --jobs=2");
  EXPECT_EQ(c.code, 125) << c.out << c.err;
  EXPECT_THAT(c.err, HasSubstr("do not differ"));
}

TEST(CliE2eTest, BisectOutOfTimeExits125WithTheEvidenceSoFar) {
  // 1 ms cannot hold the 100 measuring runs of the known-bad end, on any machine.
  const std::string json = Dir("bisect-open") + "/bisect.json";
  Result r = Probestorm(
      "bisect --find=first-good "
      "--profiles=v6.1-modular,v6.1-modular+initfix,v6.1-modular+marek,v6.2-modular "
      "--invariant=xlate-uninit-controller --jobs=2 --time_budget=1ms --report_json=" + json);
  EXPECT_EQ(r.code, 125) << r.out << r.err;
  auto doc = ParseJson(Slurp(json));
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ((*doc)["outcome"], "open");
  EXPECT_EQ((*doc)["exit_code"], 125);
  EXPECT_THAT((*doc)["verdict"].get<std::string>(), HasSubstr("--time_budget=1ms ran out"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("UNDECIDED: --time_budget=1ms ran out"));
  EXPECT_THAT(r.err, HasSubstr("while measuring the known-bad end v6.1-modular"));
  EXPECT_THAT(r.err, HasSubstr("evidence: v6.1-modular open after"));
  EXPECT_THAT(r.out, HasSubstr("evidence so far:\n  v6.1-modular "));
  EXPECT_THAT(r.out, HasSubstr("still open: whether v6.1-modular fails xlate-uninit-controller"));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("first good:")));
}

TEST(CliE2eTest, FourShardsMergedEqualTheUnshardedCampaign) {
  // A strategy whose runs the seed alone fixes: a learning one (auto, run's default) depends on
  // the runs its job did before, so its shards explore differently.
  const std::string dir = Dir("shards");
  const std::string common = " --runs=48 --seed=9 --jobs=2 --strategy=random --out= ";
  Result whole = Probestorm("run" + common + "--report_json=" + dir + "/all.json");
  ASSERT_NE(whole.code, 2) << whole.err;
  std::string inputs;
  for (int i = 0; i < 4; ++i) {
    const std::string path = dir + "/shard" + std::to_string(i) + ".json";
    Result s = Probestorm("run" + common + "--shard_index=" + std::to_string(i) +
                          " --shard_count=4 --report_json=" + path);
    ASSERT_NE(s.code, 2) << s.err;
    inputs += " " + path;
  }
  Result m = Probestorm("merge" + inputs + " --report_json=" + dir + "/merged.json --junit=" + dir +
                        "/merged.xml");
  EXPECT_EQ(m.code, whole.code) << m.out << m.err;
  const Report a = LoadReport(dir + "/all.json");
  const Report b = LoadReport(dir + "/merged.json");
  EXPECT_EQ(a.runs, b.runs);
  EXPECT_EQ(a.schedule_points, b.schedule_points);
  EXPECT_EQ(a.endings, b.endings);
  ASSERT_EQ(a.findings.size(), b.findings.size());
  for (size_t i = 0; i < a.findings.size(); ++i) {
    EXPECT_EQ(a.findings[i].finding.invariant, b.findings[i].finding.invariant);
    EXPECT_EQ(a.findings[i].run, b.findings[i].run);
    EXPECT_EQ(a.findings[i].seed, b.findings[i].seed);
    EXPECT_EQ(a.findings[i].finding.message, b.findings[i].finding.message);
    EXPECT_EQ(a.findings[i].trace_hash, b.findings[i].trace_hash);
  }
  for (const auto& [id, s] : a.summary) {
    EXPECT_EQ(s.violations, b.summary.at(id).violations) << id;
    EXPECT_EQ(s.warnings, b.summary.at(id).warnings) << id;
    EXPECT_EQ(s.first_run, b.summary.at(id).first_run) << id;
  }
  testing::XmlNode junit;
  std::string error;
  EXPECT_TRUE(testing::ParseXml(Slurp(dir + "/merged.xml"), junit, error)) << error;
}

TEST(CliE2eTest, EveryBadInputExits2WithOneLine) {
  const std::string dir = Dir("bad");
  std::ofstream(dir + "/garbage.dtb") << "this is not a flattened device tree";
  std::ofstream(dir + "/bad.profile") << "base = v6.1\nexynos_iommu = sometimes\n";
  std::ofstream(dir + "/other.json") << R"({"schema": "someone-else/3", "findings": []})";
  std::ofstream(dir + "/broken.json") << "{\"schema\": ";
  std::ofstream(dir + "/many.json") << R"({"schema": "probestorm-report/1", "runs": "many", "findings": []})";
  std::ofstream(dir + "/empty.profile") << "";
  std::ofstream(dir + "/comments.profile") << "# nothing but a comment\n\n";
  std::ofstream(dir + "/binary.profile") << "base = v6.1\r\nchurn = \x01\x1b[2J\n";
  Report x;
  x.campaign_id = "aaaa";
  std::ofstream(dir + "/x.json") << ReportJson(x);
  x.campaign_id = "bbbb";
  std::ofstream(dir + "/y.json") << ReportJson(x);
  const Report seed = LoadReport(SeedCampaignDir() + "/report.json");
  const std::string token = FirstToken(seed, "xlate-uninit-controller");

  struct Case {
    std::string args;
    std::string expect;  // in the one stderr line
  };
  const std::vector<Case> cases = {
      {"frobnicate", "unknown subcommand 'frobnicate'"},
      {"run --frobnicate", "unknown flag --frobnicate"},
      {"run --format=json", "--format is not valid here"},
      {"run extra", "unexpected argument 'extra'"},
      {"run --profile=v6.1-modualr", "unknown profile 'v6.1-modualr'"},
      {"run --profile=" + dir + "/bad.profile", "bad.profile:2: bad value 'sometimes'"},
      {"run --set=no_such_knob=1", "unknown knob 'no_such_knob'"},
      {"run --set=churn=lots", "bad value 'lots' for knob 'churn'"},
      {"run --set=churn", "expected knob=value"},
      {"run --profile=" + dir, "is a folder, not a profile file"},
      {"run --profile=" + dir + "/empty.profile", "has no `knob = value` or `base = NAME` line"},
      {"run --profile=" + dir + "/comments.profile", "has no `knob = value`"},
      {"run --profile=" + dir + "/binary.profile", "bad value '\\x01\\x1b[2J' for knob 'churn'"},
      {"run --set=inject=nowhere", "failure sites (clk_get_defer, dma_set_mask)"},
      {"run --progress=sometimes", "--progress: unknown value 'sometimes' (auto, always or never)"},
      {"run --report_json=" + dir + "/no/such/r.json", "folder '" + dir + "/no/such' does not exist"},
      {"run --junit=" + dir, "is a directory, not a file"},
      {"replay --token=" + token + " --trace=" + dir + "/nope/t.json", "does not exist"},
      {"run --runs=many", "bad value 'many' for --runs"},
      {"run --stop_on_first=maybe", "bad value 'maybe' for --stop_on_first"},
      {"run --stop_on=no-such-invariant", "bad --stop_on 'no-such-invariant'"},
      {"run --time_budget=soon", "bad --time_budget 'soon'"},
      {"run --engine=quantum", "bad --engine 'quantum'"},
      {"run --strategy=chaos", "bad --strategy 'chaos'"},
      {"run --perturb=extreme", "bad --perturb 'extreme'"},
      {"run --invariants=no-such-invariant", "no-such-invariant"},
      {"run --shard_index=4 --shard_count=4", "shard index 4"},
      {"run --dt=" + dir + "/missing.dtb", "missing.dtb"},
      {"run --dt=" + dir + "/garbage.dtb", "garbage.dtb"},
      {"run --dt=embedded:nosuchboard", "nosuchboard"},
      {"run --synthetic=sysmmus=oops", "sysmmus"},
      {"replay", "give --token=T or --report=R --finding=N"},
      {"replay --token=garbage!", "bad replay token"},
      {"replay --token=" + token + " --synthetic=sysmmus=2,masters=1,per_master=2",
       "token from another board"},
      {"replay --report=" + SeedCampaignDir() + "/report.json --finding=99999", "no finding 99999"},
      {"replay --token=" + token + " --dt=" + dir + "/missing.dtb", "missing.dtb: cannot read"},
      {"shrink --token=AAAA", "bad replay token"},
      {"merge " + dir + "/other.json", "schema 'someone-else/3' is not probestorm-report/2 (or probestorm-report/1)"},
      {"merge " + dir + "/broken.json", "broken.json: JSON parse error"},
      {"merge " + dir + "/many.json", "many.json: field 'runs' is not an unsigned integer"},
      {"merge " + dir + "/nope.json", "nope.json: cannot read"},
      {"merge " + dir + "/x.json " + dir + "/y.json", "y.json: campaign bbbb differs"},
      {"merge", "give the shard reports"},
      {"report --html=" + dir + "/r.html", "give campaign reports or a nightly.json"},
      {"report " + dir + "/x.json", "--html=OUT.html is required"},
      {"report " + dir + "/many.json --html=" + dir + "/r.html", "field 'runs' is not an unsigned integer"},
      {"report " + dir + "/x.json --html=" + dir + "/none/r.html", "does not exist"},
      {"list", "say what to list"},
      {"list gadgets", "unknown list 'gadgets'"},
      {"describe --format=svg", "bad --format 'svg'"},
      {"bisect", "--invariant=ID is required"},
      {"bisect --invariant=bogus", "bogus"},
      {"bisect --invariant=stall --find=middle", "bad --find 'middle'"},
      {"bisect --invariant=stall --profiles=v6.1", "at least two profiles"},
      {"bisect --invariant=stall --time_budget=soon", "bad --time_budget 'soon'"},
      {"bisect --invariant=stall --runs=0", "--runs must be >= 1"},
      {"bisect --invariant=stall --runs=-5", "--runs must be >= 1"},
  };
  for (const Case& c : cases) {
    Result r = Probestorm(c.args);
    EXPECT_EQ(r.code, 2) << c.args << "\n" << r.out << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c.args << "\n" << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.expect)) << c.args;
    // Printable text only: user bytes are escaped, never echoed raw.
    for (char ch : r.err) {
      EXPECT_TRUE(ch == '\n' || (ch >= 0x20 && ch < 0x7f)) << c.args << ": byte " << int(ch);
    }
  }
}

// Starts `probestorm ARGS` (stdout and stderr to files in `dir`), waits until it printed its header
// line (its signal handlers are installed before it), sends `sig`, and returns the exit code.
// Starts `probestorm ARGS`, waits until its stdout matches `ready`, sends `sig`, returns the exit.
int InterruptAfterStart(const std::string& args, const std::string& dir, int sig, const std::regex& ready) {
  const std::string out = dir + "/stdout.txt";
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string cmd = std::string("exec ") + PROBESTORM_BINARY + " " + args + " >" + out + " 2>" + dir + "/stderr.txt";
    execl("/bin/sh", "sh", "-c", cmd.c_str(), nullptr);
    _exit(127);
  }
  // A hang guard of 60 s, not a timing claim.
  for (int i = 0; i < 6000 && !std::regex_search(Slurp(out), ready); ++i) usleep(10000);
  kill(pid, sig);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
}

TEST(CliE2eTest, SigintAndSigtermWritePartialReportsAndExit130And143) {
  for (const auto& [sig, code, name] : {std::tuple{SIGINT, 130, "SIGINT"}, std::tuple{SIGTERM, 143, "SIGTERM"}}) {
    const std::string dir = Dir(std::string("interrupt_") + name);
    // The progress line counts finished runs: once it shows one, the partial report has content
    // however slow the build (TSan) or the machine.
    EXPECT_EQ(InterruptAfterStart("run --time_budget=600s --jobs=2 --progress=always --out=" + dir, dir, sig,
                                  std::regex("runs [1-9]")),
              code);
    const std::string out = Slurp(dir + "/stdout.txt");
    EXPECT_THAT(out, HasSubstr(std::string("result: interrupted by ") + name));
    const Report r = LoadReport(dir + "/report.json");
    EXPECT_TRUE(r.partial);
    EXPECT_EQ(r.interrupted_by, name);
    EXPECT_GT(r.runs, 0u);
    const std::string junit = Slurp(dir + "/junit.xml");
    EXPECT_THAT(junit, HasSubstr(std::string("<property name=\"partial\" value=\"true: stopped by ") + name));
    EXPECT_THAT(junit, HasSubstr("</testsuites>"));
  }
  // bisect: the evidence so far, what is still open, 143.
  const std::string dir = Dir("interrupt_bisect");
  EXPECT_EQ(InterruptAfterStart("bisect --invariant=xlate-uninit-controller --runs=100000 "
                                "--profiles=v6.1,v6.1-modular --jobs=2",
                                dir, SIGTERM, std::regex("probestorm bisect")),
            143);
  const std::string out = Slurp(dir + "/stdout.txt");
  EXPECT_THAT(out, HasSubstr("interrupted by SIGTERM"));
  EXPECT_THAT(out, HasSubstr("still open:"));
  // An uninterrupted report says it is complete.
  EXPECT_FALSE(LoadReport(SeedCampaignDir() + "/report.json").partial);
}

// Reports go through devices and FIFOs without replacing them; only regular files are replaced
// (atomically). As root (how CI runs) a rename over /dev/full would succeed, so this is the test
// that it does not happen.
TEST(CliE2eTest, ReportsNeverReplaceDevicesOrFifos) {
  struct stat before {};
  ASSERT_EQ(stat("/dev/full", &before), 0);
  Result full = Probestorm("run --runs=4 --jobs=2 --out= --report_json=/dev/full");
  EXPECT_EQ(full.code, 125) << full.out << full.err;
  EXPECT_THAT(full.err, HasSubstr("/dev/full: write failed: No space left on device"));
  EXPECT_THAT(full.out, HasSubstr("result: VIOLATION, but an artifact could not be written (exit 125)"));
  struct stat after {};
  ASSERT_EQ(stat("/dev/full", &after), 0);
  EXPECT_TRUE(S_ISCHR(after.st_mode)) << "/dev/full was replaced";
  EXPECT_EQ(after.st_rdev, before.st_rdev);

  Result null = Probestorm("run --runs=2 --out= --report_json=/dev/null --junit=/dev/null");
  EXPECT_NE(null.code, 125) << null.err;
  ASSERT_EQ(stat("/dev/null", &after), 0);
  EXPECT_TRUE(S_ISCHR(after.st_mode)) << "/dev/null was replaced";

  // A FIFO read by a child process gets the whole report and stays a FIFO.
  const std::string dir = Dir("fifo");
  const std::string fifo = dir + "/report.fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const pid_t reader = fork();
  ASSERT_GE(reader, 0);
  if (reader == 0) {
    execl("/bin/sh", "sh", "-c", ("cat '" + fifo + "' > '" + dir + "/read.json'").c_str(), nullptr);
    _exit(127);
  }
  Result r = Probestorm("run --runs=4 --jobs=2 --out= --report_json=" + fifo);
  int status = 0;
  ASSERT_EQ(waitpid(reader, &status, 0), reader);
  EXPECT_EQ(r.code, 1) << r.err;
  ASSERT_EQ(lstat(fifo.c_str(), &after), 0);
  EXPECT_TRUE(S_ISFIFO(after.st_mode)) << "the FIFO was replaced";
  const Report through = LoadReport(dir + "/read.json");
  EXPECT_EQ(through.runs, 4u);

  // /dev/stdout: the report follows the summary on the same stream.
  Result out = Probestorm("run --runs=2 --out= --report_json=/dev/stdout");
  EXPECT_NE(out.code, 125) << out.err;
  EXPECT_THAT(out.out, HasSubstr("\"schema\": \"probestorm-report/2\""));
  EXPECT_LT(out.out.find("summary:"), out.out.find("\"schema\""));

  // A regular file is replaced, --out makes its folders.
  Result made = Probestorm("run --runs=2 --out=" + dir + "/a/b/c");
  EXPECT_NE(made.code, 125) << made.err;
  EXPECT_EQ(LoadReport(dir + "/a/b/c/report.json").runs, 2u);
}

TEST(CliE2eTest, HelpListAndDescribe) {
  for (const char* sub : {"run", "replay", "shrink", "bisect", "describe", "list", "merge", "report"}) {
    Result r = Probestorm(std::string(sub) + " --help");
    EXPECT_EQ(r.code, 0) << sub;
    EXPECT_THAT(r.out, HasSubstr(std::string("usage: probestorm ") + sub));
  }
  Result run_help = Probestorm("run --help");
  for (const char* flag : {"--dt", "--synthetic", "--profile", "--set", "--engine", "--strategy",
                           "--perturb", "--seed", "--runs", "--time_budget", "--jobs",
                           "--invariants", "--stop_on_first", "--stop_on", "--report_json", "--junit",
                           "--trace", "--log", "--out", "--shard_index", "--shard_count"}) {
    EXPECT_THAT(run_help.out, HasSubstr(flag));
  }
  for (const std::string& help : {run_help.out, Probestorm("--help").out, Probestorm("merge --help").out}) {
    for (const char* line : {"    0  no violation", "    1  violation found", "    2  usage or input error",
                             "   66  a ThreadSanitizer report", "  125  undecided"}) {
      EXPECT_THAT(help, HasSubstr(line));
    }
  }
  Result p = Probestorm("list profiles");
  EXPECT_EQ(p.code, 0);
  EXPECT_THAT(p.out, HasSubstr("v6.1-modular+marek"));
  EXPECT_THAT(p.out, HasSubstr("exynos_init_order = fixed"));
  Result i = Probestorm("list invariants");
  EXPECT_THAT(i.out, HasSubstr("xlate-uninit-controller"));
  EXPECT_THAT(i.out, HasSubstr("data-race"));
  Result pr = Probestorm("list probes");
  EXPECT_EQ(pr.code, 0);
  EXPECT_THAT(pr.out, HasSubstr("xlate-before-drvdata"));
  EXPECT_THAT(pr.out, HasSubstr("trigger-during-probe"));
  Result k = Probestorm("list knobs --profile=v6.1-modular");
  EXPECT_THAT(k.out, HasSubstr("exynos_load_time"));
  EXPECT_THAT(k.out, HasSubstr("v6.1-modular: module"));
  Result d = Probestorm("describe --format=json");
  EXPECT_EQ(d.code, 0) << d.err;
  auto doc = ParseJson(d.out);
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_TRUE(doc->contains("sysmmus"));
}

}  // namespace
}  // namespace probestorm::stress
