// Loads every file of the committed mutation corpus (stress/testdata/corpus/, made by
// ci/make-corpus): DTBs of the real boards, a profile file, a JSON report and replay tokens, each
// with one and with twenty bytes changed. Each must load or fail with kInvalidArgument and one printable line;
// a DTB that loads must also boot in the model without crashing the harness.
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "driver/profile.h"
#include "hwmodel/dt/board.h"
#include "stress/campaign.h"
#include "stress/files.h"
#include "stress/report.h"
#include "stress/token.h"

namespace probestorm::stress {
namespace {

namespace fs = std::filesystem;

std::string CorpusDir(std::string_view sub) {
  return (fs::path(PROBESTORM_SOURCE_DIR) / "stress/testdata/corpus" / sub).string();
}

std::vector<std::string> Files(std::string_view sub) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(CorpusDir(sub))) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

bool OneByte(const std::string& path) {
  return fs::path(path).filename().string().find("-1-") != std::string::npos;
}

// What a rejection was about, from its message: the loader's own checks or libfdt's.
std::string Kind(std::string_view message) {
  for (const char* k : {"dangling phandle", "duplicate phandle", "wrong cell count", "bad value",
                        "which has no #", "corrupt structure block", "bad magic"}) {
    if (message.find(k) != std::string_view::npos) return k;
  }
  return "other";
}

void ExpectCleanError(const absl::Status& s, const std::string& path) {
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << path << ": " << s;
  for (char c : s.message()) {
    EXPECT_TRUE(c >= 0x20 && c < 0x7f) << path << ": unprintable byte " << int(c) << " in error";
  }
}

TEST(CorpusTest, DtbMutantsLoadOrFailCleanlyAndReachTheLoadersOwnChecks) {
  std::map<std::string, int> one_byte_kinds, twenty_byte_kinds;
  int loaded = 0;
  const std::vector<std::string> files = Files("dtb");
  ASSERT_GE(files.size(), 20u);
  for (const std::string& path : files) {
    auto bytes = ReadFile(path);
    ASSERT_TRUE(bytes.ok()) << bytes.status();
    const std::span<const uint8_t> blob(reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size());
    absl::StatusOr<hwmodel::Board> board = hwmodel::LoadDtb(blob, path);
    if (!board.ok()) {
      ExpectCleanError(board.status(), path);
      (OneByte(path) ? one_byte_kinds : twenty_byte_kinds)[Kind(std::string(board.status().message()))]++;
      continue;
    }
    ++loaded;
    // A mutant the loader accepts is a board: one boot of the seed profile must finish (a model
    // error is a status, never a crash).
    auto profile = kernel::LoadProfile("v6.1-modular");
    ASSERT_TRUE(profile.ok());
    auto run = ExecuteRun(*board, *profile, EngineSpec{}, 1);
    if (!run.ok()) {
      EXPECT_EQ(run.status().code(), absl::StatusCode::kInternal) << path;
    }
  }
  // One-byte mutants aimed at phandles, cell counts and references reach the loader's checks.
  for (const char* kind : {"dangling phandle", "duplicate phandle", "wrong cell count"}) {
    EXPECT_GT(one_byte_kinds[kind], 0) << kind;
  }
  // Twenty random bytes almost always break the structure first (libfdt's checks, or the magic).
  int twenty = 0;
  for (const auto& [kind, n] : twenty_byte_kinds) twenty += n;
  EXPECT_GE(twenty_byte_kinds["corrupt structure block"] + twenty_byte_kinds["bad magic"],
            twenty * 2 / 3);
  EXPECT_GT(loaded, 0) << "no mutant loads: the corpus no longer reaches the board model";
}

TEST(CorpusTest, ProfileMutantsLoadOrFailWithOnePrintableLine) {
  ASSERT_TRUE(kernel::LoadProfile(CorpusDir("seed") + "/marek.profile").ok());
  int rejected = 0;
  for (const std::string& path : Files("profile")) {
    auto p = kernel::LoadProfile(path);
    if (p.ok()) continue;
    ++rejected;
    ExpectCleanError(p.status(), path);
  }
  EXPECT_GT(rejected, 0);
}

TEST(CorpusTest, ReportMutantsParseOrFailWithOnePrintableLine) {
  auto seed = ReadFile(CorpusDir("seed") + "/tm2e-3-runs.json");
  ASSERT_TRUE(seed.ok());
  ASSERT_TRUE(ParseReport(*seed, "seed").ok());
  int rejected = 0;
  for (const std::string& path : Files("report")) {
    auto text = ReadFile(path);
    ASSERT_TRUE(text.ok());
    auto r = ParseReport(*text, path);
    if (r.ok()) continue;
    ++rejected;
    ExpectCleanError(r.status(), path);
  }
  EXPECT_GT(rejected, 0);
}

TEST(CorpusTest, TokenMutantsDecodeOrFailWithOnePrintableLine) {
  int rejected = 0;
  for (const std::string& path : Files("token")) {
    auto text = ReadFile(path);
    ASSERT_TRUE(text.ok());
    auto t = ReplayToken::Decode(*text);
    if (t.ok()) continue;
    ++rejected;
    ExpectCleanError(t.status(), path);
  }
  // Corpus tokens carry the knob set of the probestorm that made them, so after a knob change
  // even unmutated ones are rejected (cleanly): the control that decoding works is a fresh one.
  EXPECT_GT(rejected, 0) << "the checksum rejects mutants";
  ReplayToken fresh;
  fresh.board = "embedded:tm2e";
  fresh.profile = "v6.1-modular";
  fresh.knobs = kernel::FormatKnobs(kernel::BuiltinProfiles()[1].knobs);
  fresh.invariant = "xlate-uninit-controller";
  EXPECT_TRUE(ReplayToken::Decode(fresh.Encode()).ok());
}

}  // namespace
}  // namespace probestorm::stress
