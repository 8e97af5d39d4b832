#include "stress/trace_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "stress/boards.h"
#include "stress/files.h"

namespace probestorm::stress {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string Dir(const std::string& name) {
  const std::string d =
      ::testing::TempDir() + "/probestorm_traces_" + std::to_string(getpid()) + "_" + name;
  std::system(("rm -rf '" + d + "' && mkdir -p '" + d + "'").c_str());
  return d;
}

ino_t Inode(const std::string& p) {
  struct stat st {};
  EXPECT_EQ(stat(p.c_str(), &st), 0) << p;
  return st.st_ino;
}

FoundRecord RecordOfRun(uint64_t run) {
  FoundRecord r;
  r.run = run;
  return r;
}

// A stand-in renderer: writes "<kind> of run N" and records each call.
struct FakeRender {
  struct Call {
    uint64_t run;
    std::string chrome, log;
  };
  std::vector<Call> calls;
  bool has_trace = true;
  FindingTraceFiles::Render Get() {
    return [this](const FoundRecord& rec, const std::string& chrome,
                  const std::string& log) -> absl::StatusOr<bool> {
      calls.push_back({rec.run, chrome, log});
      if (!has_trace) return false;
      const std::string run = std::to_string(rec.run);
      if (!chrome.empty()) {
        if (absl::Status s = WriteOutputFile(chrome, "trace of run " + run); !s.ok()) return s;
      }
      if (!log.empty()) {
        if (absl::Status s = WriteOutputFile(log, "log of run " + run); !s.ok()) return s;
      }
      return true;
    };
  }
};

TEST(FindingTraceFilesTest, InvariantsOfOneRunShareOneRendering) {
  const std::string d = Dir("share");
  FakeRender fake;
  FindingTraceFiles files(fake.Get());
  ASSERT_TRUE(files.Write(RecordOfRun(7), d + "/trace-a.json", d + "/log-a.txt").ok());
  ASSERT_TRUE(files.Write(RecordOfRun(7), d + "/trace-b.json", d + "/log-b.txt").ok());
  ASSERT_EQ(fake.calls.size(), 1u);
  EXPECT_EQ(Inode(d + "/trace-a.json"), Inode(d + "/trace-b.json"));
  EXPECT_EQ(Inode(d + "/log-a.txt"), Inode(d + "/log-b.txt"));
  EXPECT_EQ(*ReadFile(d + "/log-b.txt"), "log of run 7");
  EXPECT_THAT(files.written(), ElementsAre(d + "/trace-a.json", d + "/log-a.txt",
                                           d + "/trace-b.json", d + "/log-b.txt"));

  // Another run is rendered on its own.
  ASSERT_TRUE(files.Write(RecordOfRun(9), d + "/trace-c.json", "").ok());
  ASSERT_EQ(fake.calls.size(), 2u);
  EXPECT_EQ(*ReadFile(d + "/trace-c.json"), "trace of run 9");
  EXPECT_NE(Inode(d + "/trace-c.json"), Inode(d + "/trace-a.json"));
}

TEST(FindingTraceFilesTest, RendersOnlyTheKindTheRunDoesNotHaveYet) {
  const std::string d = Dir("kinds");
  FakeRender fake;
  FindingTraceFiles files(fake.Get());
  ASSERT_TRUE(files.Write(RecordOfRun(3), "", d + "/only.log").ok());  // --log alone
  ASSERT_TRUE(files.Write(RecordOfRun(3), d + "/t.json", d + "/l.txt").ok());
  ASSERT_EQ(fake.calls.size(), 2u);
  EXPECT_EQ(fake.calls[1].chrome, d + "/t.json");
  EXPECT_EQ(fake.calls[1].log, "");  // the log is a copy of the first one
  EXPECT_EQ(Inode(d + "/l.txt"), Inode(d + "/only.log"));
  ASSERT_TRUE(files.Write(RecordOfRun(3), d + "/t2.json", d + "/l2.txt").ok());
  EXPECT_EQ(fake.calls.size(), 2u);
  EXPECT_EQ(Inode(d + "/t2.json"), Inode(d + "/t.json"));
}

TEST(FindingTraceFilesTest, NothingAskedOrNothingKeptWritesNothing) {
  const std::string d = Dir("nothing");
  FakeRender fake;
  FindingTraceFiles files(fake.Get());
  ASSERT_TRUE(files.Write(RecordOfRun(1), "", "").ok());
  EXPECT_TRUE(fake.calls.empty());
  fake.has_trace = false;  // a free run whose trace was not kept
  ASSERT_TRUE(files.Write(RecordOfRun(1), d + "/t.json", "").ok());
  ASSERT_TRUE(files.Write(RecordOfRun(1), d + "/u.json", "").ok());
  EXPECT_EQ(fake.calls.size(), 2u);  // asked again: nothing to copy from
  EXPECT_TRUE(files.written().empty());
  EXPECT_FALSE(ReadFile(d + "/u.json").ok());
}

TEST(FindingTraceFilesTest, AnUnwritableNameIsAnError) {
  const std::string d = Dir("error");
  FakeRender fake;
  FindingTraceFiles files(fake.Get());
  ASSERT_TRUE(files.Write(RecordOfRun(2), d + "/t.json", "").ok());
  absl::Status s = files.Write(RecordOfRun(2), d + "/missing/t.json", "");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.message()), HasSubstr("missing"));
  s = files.Write(RecordOfRun(4), d + "/missing/u.json", "");
  EXPECT_FALSE(s.ok());
}

// The real renderer re-runs a controlled finding from its token: the trace names the finding.
TEST(RenderFindingTraceTest, ReRunsAControlledFindingFromItsToken) {
  const std::string d = Dir("render");
  CampaignOptions o;
  auto b = LoadBoardSpec("embedded:tm2e");
  ASSERT_TRUE(b.ok()) << b.status();
  o.boards.push_back({"embedded:tm2e", std::make_shared<const hwmodel::Board>(std::move(*b)), 0});
  auto p = kernel::LoadProfile("v6.1-modular");
  ASSERT_TRUE(p.ok());
  o.profiles.push_back(*p);
  o.seed = 3;
  o.runs = 24;
  const CampaignResult res = RunCampaign(o);
  ASSERT_FALSE(res.findings.empty());
  const FoundRecord& rec = res.findings.front();
  EXPECT_FALSE(*RenderFindingTrace(o, res, rec, "", ""));
  auto made = RenderFindingTrace(o, res, rec, d + "/t.json", d + "/l.txt");
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_TRUE(*made);
  auto chrome = ReadFile(d + "/t.json");
  ASSERT_TRUE(chrome.ok());
  EXPECT_THAT(*chrome, HasSubstr(std::string(rec.finding.invariant.name())));
  auto log = ReadFile(d + "/l.txt");
  ASSERT_TRUE(log.ok());
  EXPECT_FALSE(log->empty());
}

}  // namespace
}  // namespace probestorm::stress
