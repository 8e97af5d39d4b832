#include "harness/trace/chrome_trace.h"
#include "harness/invariants/stall.h"
#include "harness/test_invariants.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/controlled_engine.h"
#include "harness/json.h"
#include "harness/sched/random_scheduler.h"
#include "harness/strings.h"
#include "harness/sync/mutex.h"
#include "harness/trace/ftrace_log.h"

namespace probestorm::harness {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The value of "key": in one event line (a number or a JSON string, raw).
std::string Field(std::string_view line, std::string_view key) {
  const std::string k = "\"" + std::string(key) + "\":";
  const size_t p = line.find(k);
  if (p == std::string_view::npos) return "";
  size_t i = p + k.size();
  if (line[i] == '"') {
    size_t j = i + 1;
    while (j < line.size() && !(line[j] == '"' && line[j - 1] != '\\')) ++j;
    return std::string(line.substr(i + 1, j - i - 1));
  }
  size_t j = i;
  while (j < line.size() && line[j] != ',' && line[j] != '}') ++j;
  return std::string(line.substr(i, j - i));
}

// Event lines (one JSON object per line between the brackets).
std::vector<std::string> EventLines(const std::string& json) {
  std::vector<std::string> out;
  for (absl::string_view l : absl::StrSplit(json, '\n')) {
    if (!l.empty() && l.front() == '{' && l.find("\"ph\"") != absl::string_view::npos) {
      std::string s(l);
      if (!s.empty() && s.back() == ',') s.pop_back();
      out.push_back(s);
    }
  }
  return out;
}

// Depth of B/E per tid: balanced (every E closes an open B, nothing left open).
bool BalancedPerTid(const std::vector<std::string>& lines) {
  std::map<std::string, int> depth;
  for (const auto& l : lines) {
    const std::string ph = Field(l, "ph");
    if (ph == "B") ++depth[Field(l, "tid")];
    if (ph == "E" && --depth[Field(l, "tid")] < 0) return false;
  }
  for (auto& [tid, d] : depth) {
    if (d != 0) return false;
  }
  return true;
}

TEST(ChromeTrace, StructureTracksSlicesInstantsFindings) {
  std::vector<TraceEvent> ev = {
      {1, 1000, 1, Phase::kBegin, "13a00000.sysmmu", "exynos_sysmmu_probe", ""},
      {2, 1000, 2, Phase::kInstant, "", "modprobe", "loading"},
      {3, 1000, 1, Phase::kBegin, "13a00000.sysmmu", "iommu_device_register", ""},
      {4, 2500, 1, Phase::kEnd, "13a00000.sysmmu", "iommu_device_register", ""},
      {5, 2500, 1, Phase::kEnd, "13a00000.sysmmu", "exynos_sysmmu_probe", ""},
      {6, 3000, 2, Phase::kFinding, "13800000.decon", "xlate-uninit-controller", "of_xlate saw it"},
  };
  Finding f;
  f.invariant = test_invariants::kXlateUninitController;
  f.message = "of_xlate on 13a00000.sysmmu before its probe finished";
  f.tasks = {"modprobe", "kworker"};
  f.virtual_time_ns = 3000;
  f.step = 6;
  const std::string json = ChromeTraceJson(ev, {"", "init", "modprobe/exynos-iommu"}, {f});
  EXPECT_TRUE(Json::accept(json)) << json;
  EXPECT_THAT(json, HasSubstr("\"traceEvents\":["));
  EXPECT_THAT(json, HasSubstr("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":1,\"args\":{\"name\":\"T1 init\"}}"));
  EXPECT_THAT(json, HasSubstr("\"args\":{\"name\":\"T2 modprobe/exynos-iommu\"}"));
  const auto lines = EventLines(json);
  EXPECT_TRUE(BalancedPerTid(lines));
  int b = 0, e = 0, inst = 0, global = 0;
  double last_ts = -1;
  for (const auto& l : lines) {
    const std::string ph = Field(l, "ph");
    if (ph == "M") continue;
    EXPECT_EQ(Field(l, "pid"), "1");
    b += ph == "B";
    e += ph == "E";
    if (ph == "i") {
      ++inst;
      global += Field(l, "s") == "g";
    }
    if (Field(l, "s") != "g") {  // trace events: ts strictly increasing in trace order
      const double ts = std::stod(Field(l, "ts"));
      EXPECT_GT(ts, last_ts) << l;
      last_ts = ts;
    }
  }
  EXPECT_EQ(b, 2);
  EXPECT_EQ(e, 2);
  EXPECT_EQ(inst, 3);  // the log line, the finding event, the run's finding
  EXPECT_EQ(global, 1);
  // Virtual time in microseconds; equal times are spread by 1 ns in trace order.
  EXPECT_THAT(json, HasSubstr("\"ts\":1.000"));
  EXPECT_THAT(json, HasSubstr("\"ts\":1.001"));
  EXPECT_THAT(json, HasSubstr("\"ts\":2.500"));
  EXPECT_THAT(json, HasSubstr("\"name\":\"13a00000.sysmmu: exynos_sysmmu_probe\""));
  EXPECT_THAT(json, HasSubstr("\"cat\":\"finding\""));
  EXPECT_THAT(json, HasSubstr("\"invariant\":\"xlate-uninit-controller\""));
}

TEST(ChromeTrace, EscapesQuotesBackslashesNewlinesAndControls) {
  std::vector<TraceEvent> ev = {
      {1, 0, 1, Phase::kInstant, "dev\"q", "func\\x", "line1\nline2\ttab\x01"},
  };
  Finding f;
  f.invariant = invariants::kStall;
  f.message = "2 \"tasks\"";
  f.detail = "wait-for graph:\n  T1 a waits for b\n";
  const std::string json = ChromeTraceJson(ev, {"", "na\"me\n"}, {f});
  EXPECT_TRUE(Json::accept(json)) << json;
  EXPECT_THAT(json, HasSubstr("dev\\\"q: func\\\\x"));
  EXPECT_THAT(json, HasSubstr("\"detail\":\"line1\\nline2\\ttab\\u0001\""));
  EXPECT_THAT(json, HasSubstr("T1 na\\\"me\\n"));
  EXPECT_THAT(json, HasSubstr("\"message\":\"2 \\\"tasks\\\"\""));
  EXPECT_THAT(json, HasSubstr("wait-for graph:\\n  T1 a waits for b\\n"));
  EXPECT_EQ(JsonQuote("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
}

// Names come from device trees and callers: a control character and an invalid UTF-8 byte in a
// device, function, task and finding still give valid JSON that reads back to the names, the
// invalid byte as U+FFFD.
TEST(ChromeTrace, OddBytesInNamesGiveValidJson) {
  const std::string odd = "bad\x1b\xffname";
  const std::string read_back = "bad\x1b\xef\xbf\xbdname";
  std::vector<TraceEvent> ev = {
      {1, 0, 1, Phase::kBegin, odd, odd, odd},
      {2, 10, 1, Phase::kEnd, odd, odd, ""},
  };
  Finding f;
  f.invariant = invariants::kStall;
  f.message = odd;
  f.tasks = {odd};
  f.detail = odd;
  const std::string json = ChromeTraceJson(ev, {"", odd}, {f});
  ASSERT_TRUE(Json::accept(json)) << json;
  const Json doc = Json::parse(json);
  std::set<std::string> names;
  for (const Json& e : doc.at("traceEvents")) names.insert(e.at("name").get<std::string>());
  EXPECT_TRUE(names.count(read_back + ": " + read_back)) << json;  // the span, both ends
  EXPECT_EQ(doc.at("traceEvents").back().at("args").at("message"), read_back);
  bool track = false;
  for (const Json& e : doc.at("traceEvents")) {
    track = track || (e.at("name") == "thread_name" && e.at("args").at("name") == "T1 " + read_back);
  }
  EXPECT_TRUE(track) << json;
}

TEST(ChromeTrace, UnbalancedTailIsRepaired) {
  // A trace tail that starts inside a span and ends inside another (a killed task).
  std::vector<TraceEvent> ev = {
      {10, 5000, 3, Phase::kEnd, "", "started_before_tail", ""},
      {11, 5000, 3, Phase::kBegin, "", "outer", ""},
      {12, 5000, 4, Phase::kBegin, "", "other", ""},
      {13, 6000, 3, Phase::kBegin, "", "inner", ""},
  };
  const std::string json = ChromeTraceJson(ev, {}, {});
  EXPECT_TRUE(Json::accept(json)) << json;
  const auto lines = EventLines(json);
  EXPECT_TRUE(BalancedPerTid(lines));
  EXPECT_THAT(json, Not(HasSubstr("started_before_tail")));
  EXPECT_THAT(json, HasSubstr("\"args\":{\"name\":\"T3\"}"));  // no name known
}

TEST(ChromeTrace, NegativeControlValidatorRejectsBrokenJson) {
  EXPECT_FALSE(Json::accept("{\"a\":\"x\ny\"}"));  // raw newline in a string
  EXPECT_FALSE(Json::accept("{\"a\":\"x\\q\"}"));  // bad escape
  EXPECT_FALSE(Json::accept("{\"a\":1,}"));
  EXPECT_FALSE(Json::accept("{\"a\":\"x\xff\"}"));  // invalid UTF-8
  EXPECT_FALSE(BalancedPerTid({"{\"ph\":\"B\",\"tid\":1}"}));
  EXPECT_FALSE(BalancedPerTid({"{\"ph\":\"E\",\"tid\":1}", "{\"ph\":\"B\",\"tid\":1}"}));
}

TEST(ChromeTrace, RealRunWithNestedSpansIsBalanced) {
  RandomScheduler s;
  EngineOptions o;
  o.keep_trace = true;
  ControlledEngine e(o, &s);
  Engine::Scope scope(e);
  Mutex m("toy_lock");
  std::vector<std::string> names = {""};
  for (int i = 0; i < 3; ++i) {
    e.Spawn("worker" + std::to_string(i), [&m, i] {
      TraceSpan outer("toy.0", "outer");
      for (int k = 0; k < 3; ++k) {
        TraceSpan inner("toy.0", "inner");
        MutexLock g(m);
        TraceLog("toy.0", "step", "k=" + std::to_string(k) + " \"i\"=" + std::to_string(i));
        Msleep(i);
      }
    });
    names.push_back("worker" + std::to_string(i));
  }
  RunResult r = e.Run();
  const std::vector<TraceEvent> events = e.trace().Events();
  ASSERT_GT(events.size(), 30u);
  const std::string json = ChromeTraceJson(events, names, r.findings);
  EXPECT_TRUE(Json::accept(json));
  const auto lines = EventLines(json);
  EXPECT_TRUE(BalancedPerTid(lines));
  int slices = 0;
  for (const auto& l : lines) slices += Field(l, "ph") == "B";
  EXPECT_EQ(slices, 3 * 4);

  const std::string log = FtraceLog(events, names);
  std::vector<std::string> log_lines = absl::StrSplit(log, '\n', absl::SkipEmpty());
  ASSERT_EQ(log_lines.size(), events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(log_lines[i], FormatTraceLine(events[i], events[i].task < names.size() ? names[events[i].task] : ""));
  }
}

TEST(FtraceLog, OneFormattedLinePerEvent) {
  std::vector<TraceEvent> ev = {
      {1, 10'000'123'000, 42, Phase::kInstant, "13a00000.sysmmu", "exynos_sysmmu_probe", "iommu_device_register"},
      {2, 10'000'124'000, 7, Phase::kBegin, "", "really_probe", ""},
  };
  const std::string log = FtraceLog(ev, {"", "", "", "", "", "", "", "kworker/0:1"});
  EXPECT_EQ(log,
            "[   10.000123] T42 13a00000.sysmmu: exynos_sysmmu_probe: iommu_device_register\n"
            "[   10.000124] T7 kworker/0:1 really_probe {\n");
  EXPECT_EQ(FtraceLog({}, {}), "");
}

}  // namespace
}  // namespace probestorm::harness
