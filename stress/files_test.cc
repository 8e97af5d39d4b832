// What WriteOutputFile does to each kind of thing at the target path. CI runs these as root, where
// a rename over a device node succeeds: the controls below are what keeps it from happening.
#include "stress/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace probestorm::stress {
namespace {

using ::testing::HasSubstr;

std::string Dir(const std::string& name) {
  const std::string d =
      ::testing::TempDir() + "/probestorm_files_" + std::to_string(getpid()) + "_" + name;
  std::system(("rm -rf '" + d + "' && mkdir -p '" + d + "'").c_str());
  return d;
}

struct stat Lstat(const std::string& p) {
  struct stat st {};
  EXPECT_EQ(lstat(p.c_str(), &st), 0) << p;
  return st;
}

TEST(FilesTest, ReplacesARegularFileAndLeavesNoTemporary) {
  const std::string d = Dir("regular");
  ASSERT_TRUE(WriteOutputFile(d + "/r.json", "old contents, longer than the new").ok());
  const ino_t first = Lstat(d + "/r.json").st_ino;
  ASSERT_TRUE(WriteOutputFile(d + "/r.json", "new").ok());
  auto back = ReadFile(d + "/r.json");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, "new");
  EXPECT_NE(Lstat(d + "/r.json").st_ino, first) << "a regular file is replaced by rename";
  EXPECT_EQ(std::system(("test -z \"$(ls '" + d + "' | grep tmp)\"").c_str()), 0);
}

TEST(FilesTest, ASymlinkToARegularFileKeepsTheLink) {
  const std::string d = Dir("symlink");
  ASSERT_TRUE(WriteOutputFile(d + "/target.json", "old").ok());
  ASSERT_EQ(symlink("target.json", (d + "/link.json").c_str()), 0);
  ASSERT_TRUE(WriteOutputFile(d + "/link.json", "new").ok());
  EXPECT_TRUE(S_ISLNK(Lstat(d + "/link.json").st_mode));
  EXPECT_EQ(*ReadFile(d + "/target.json"), "new");
}

TEST(FilesTest, DevNullIsWrittenThroughNotReplaced) {
  const struct stat before = Lstat("/dev/null");
  ASSERT_TRUE(WriteOutputFile("/dev/null", "report").ok());
  const struct stat after = Lstat("/dev/null");
  EXPECT_TRUE(S_ISCHR(after.st_mode));
  EXPECT_EQ(after.st_rdev, before.st_rdev);
}

TEST(FilesTest, DevFullFailsLoudlyAndStaysADevice) {
  absl::Status s = WriteOutputFile("/dev/full", std::string(1 << 16, 'x'));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(s.message()), HasSubstr("/dev/full: write failed: No space left on device"));
  EXPECT_TRUE(S_ISCHR(Lstat("/dev/full").st_mode));
}

TEST(FilesTest, AFifoReadByAChildGetsEverythingAndStaysAFifo) {
  const std::string d = Dir("fifo");
  const std::string fifo = d + "/r.fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const std::string contents(200000, 'r');  // more than a pipe buffer: the reader must drain it
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const int fd = open(fifo.c_str(), O_RDONLY);
    size_t total = 0;
    char buf[4096];
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) total += static_cast<size_t>(n);
    _exit(total == 200000 ? 0 : 1);
  }
  EXPECT_TRUE(WriteOutputFile(fifo, contents).ok());
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the reader did not get the whole report";
  EXPECT_TRUE(S_ISFIFO(Lstat(fifo).st_mode));
}

TEST(FilesTest, AMissingParentFolderIsAnErrorNamingItAndCreatesNothing) {
  const std::string d = Dir("missing");
  absl::Status s = WriteOutputFile(d + "/x/y/r.json", "r");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("folder '" + d + "/x/y' does not exist"));
  struct stat st {};
  EXPECT_NE(stat((d + "/x").c_str(), &st), 0) << "a parent folder was created";
  EXPECT_EQ(CheckOutputPath(d + "/x/y/r.json").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckOutputPath(d + "/r.json").ok());
  EXPECT_TRUE(CheckOutputPath("/dev/null").ok());
}

TEST(FilesTest, AFolderOrADanglingLinkIsNotAnOutput) {
  const std::string d = Dir("folder");
  EXPECT_THAT(std::string(WriteOutputFile(d, "r").message()), HasSubstr("is a directory"));
  ASSERT_EQ(symlink("nowhere", (d + "/dangling").c_str()), 0);
  EXPECT_THAT(std::string(WriteOutputFile(d + "/dangling", "r").message()),
              HasSubstr("dangling symlink"));
  EXPECT_TRUE(S_ISLNK(Lstat(d + "/dangling").st_mode));
}

TEST(FilesTest, CopyLinksANewPathOrARegularFileAndWritesThroughADevice) {
  const std::string d = Dir("copy");
  ASSERT_TRUE(WriteOutputFile(d + "/trace-a.json", "one run's trace").ok());
  ASSERT_TRUE(CopyOutputFile(d + "/trace-a.json", d + "/trace-b.json").ok());
  EXPECT_EQ(*ReadFile(d + "/trace-b.json"), "one run's trace");
  EXPECT_EQ(Lstat(d + "/trace-b.json").st_ino, Lstat(d + "/trace-a.json").st_ino)
      << "same file system: a second name, no bytes copied";
  ASSERT_TRUE(WriteOutputFile(d + "/old.json", "an older report").ok());
  ASSERT_TRUE(CopyOutputFile(d + "/trace-a.json", d + "/old.json").ok());
  EXPECT_EQ(*ReadFile(d + "/old.json"), "one run's trace");
  EXPECT_EQ(std::system(("test -z \"$(ls '" + d + "' | grep tmp)\"").c_str()), 0);
  const struct stat before = Lstat("/dev/null");
  ASSERT_TRUE(CopyOutputFile(d + "/trace-a.json", "/dev/null").ok());
  EXPECT_TRUE(S_ISCHR(Lstat("/dev/null").st_mode));
  EXPECT_EQ(Lstat("/dev/null").st_rdev, before.st_rdev);
  absl::Status full = CopyOutputFile(d + "/trace-a.json", "/dev/full");
  EXPECT_EQ(full.code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(S_ISCHR(Lstat("/dev/full").st_mode));
  absl::Status missing = CopyOutputFile(d + "/none.json", d + "/c.json");
  EXPECT_THAT(std::string(missing.message()), HasSubstr("none.json: cannot read"));
}

TEST(FilesTest, MakeOutputFolderCreatesParentsButNotOverAFile) {
  const std::string d = Dir("out");
  ASSERT_TRUE(MakeOutputFolder(d + "/a/b").ok());
  EXPECT_TRUE(S_ISDIR(Lstat(d + "/a/b").st_mode));
  ASSERT_TRUE(MakeOutputFolder(d + "/a/b").ok()) << "an existing folder is fine";
  ASSERT_TRUE(WriteOutputFile(d + "/file", "x").ok());
  EXPECT_THAT(std::string(MakeOutputFolder(d + "/file").message()), HasSubstr("--out="));
}

}  // namespace
}  // namespace probestorm::stress
