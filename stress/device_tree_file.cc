#include "stress/device_tree_file.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "stress/files.h"

extern char** environ;

namespace probestorm::stress {
namespace {

absl::Status CannotRead(std::string_view path, int err) {
  return absl::InvalidArgumentError(
      absl::StrFormat("%s: cannot read: %s", path, std::strerror(err)));
}

// The bytes of a file (ReadFile of files.h) as a byte vector.
absl::StatusOr<std::vector<uint8_t>> ReadBytes(std::string_view path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  return std::vector<uint8_t>(text->begin(), text->end());
}

// A file descriptor closed on scope exit.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Reset(); }
  int get() const { return fd_; }
  void Reset() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// A temporary file removed on scope exit.
class TempFile {
 public:
  TempFile() = default;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (!path_.empty()) unlink(path_.c_str());
  }
  absl::Status Create() {
    std::error_code ec;
    std::string tmpl = (std::filesystem::temp_directory_path(ec) / "probestorm-dtc-XXXXXX.dtb");
    if (ec) tmpl = "/tmp/probestorm-dtc-XXXXXX.dtb";
    const int fd = mkstemps(tmpl.data(), 4);
    if (fd < 0) {
      return absl::InternalError(absl::StrFormat("cannot create %s: %s", tmpl, strerror(errno)));
    }
    close(fd);
    path_ = std::move(tmpl);
    return absl::OkStatus();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Runs dtc on `dts` and returns the DTB it wrote.
absl::StatusOr<std::vector<uint8_t>> CompileDts(const std::string& dts,
                                                const DeviceTreeFileOptions& options) {
  if (access(dts.c_str(), R_OK) != 0) return CannotRead(dts, errno);
  TempFile out;
  if (absl::Status s = out.Create(); !s.ok()) return s;
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrFormat("pipe2: %s", strerror(errno)));
  }
  Fd stderr_read(pipe_fds[0]);
  Fd stderr_write(pipe_fds[1]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, stderr_write.get(), STDERR_FILENO);
  std::vector<std::string> args = {options.dtc, "-I", "dts", "-O", "dtb", "-o", out.path(), dts};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned =
      posix_spawnp(&pid, options.dtc.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  stderr_write.Reset();
  if (spawned == ENOENT) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "dtc not installed: cannot read .dts (install device-tree-compiler or pass a .dtb); "
        "no program \"%s\" for %s",
        options.dtc, dts));
  }
  if (spawned != 0) {
    return absl::InternalError(
        absl::StrFormat("cannot run %s: %s", options.dtc, strerror(spawned)));
  }
  std::string errors;
  char buf[4096];
  for (;;) {
    const ssize_t n = read(stderr_read.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    errors.append(buf, static_cast<size_t>(n));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    while (!errors.empty() && errors.back() == '\n') errors.pop_back();
    const std::string how = WIFEXITED(status)
                                ? absl::StrFormat("exit status %d", WEXITSTATUS(status))
                                : absl::StrFormat("signal %d", WTERMSIG(status));
    return absl::InvalidArgumentError(
        absl::StrFormat("dtc failed on %s (%s): %s", dts, how, errors));
  }
  return ReadBytes(out.path());
}

}  // namespace

absl::StatusOr<std::vector<uint8_t>> ReadDeviceTreeFile(std::string_view path,
                                                        const DeviceTreeFileOptions& options) {
  if (path.ends_with(".dts")) return CompileDts(std::string(path), options);
  return ReadBytes(path);
}

}  // namespace probestorm::stress
