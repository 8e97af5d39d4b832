#include "stress/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "harness/strings.h"

namespace probestorm::stress {
namespace {

// The folder a new file at `path` would be created in ("." for a bare name).
std::string ParentOf(std::string_view path) {
  const std::filesystem::path parent = std::filesystem::path(std::string(path)).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

absl::Status WriteChunk(int fd, std::string_view path, std::string_view contents) {
  size_t done = 0;
  while (done < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::UnavailableError(
          absl::StrCat(Av(path), ": write failed: ", std::strerror(errno)));
    }
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

// Every piece `produce` emits; after a failed write the rest are dropped.
absl::Status WriteAll(int fd, std::string_view path, const OutputPieces& produce) {
  absl::Status s;
  produce([&](std::string_view piece) {
    if (s.ok()) s = WriteChunk(fd, path, piece);
  });
  return s;
}

// True when `st` is the file our stdout or stderr is open on (/dev/stdout, /proc/self/fd/2, a
// terminal, a file they are redirected to).
bool IsOwnStream(const struct stat& st, int* fd_out) {
  for (int fd : {STDOUT_FILENO, STDERR_FILENO}) {
    struct stat open_st {};
    if (::fstat(fd, &open_st) == 0 && open_st.st_dev == st.st_dev && open_st.st_ino == st.st_ino) {
      if (fd_out != nullptr) *fd_out = fd;
      return true;
    }
  }
  return false;
}

// Opens what already exists at `path` (following symlinks) and writes into it.
absl::Status WriteThrough(std::string_view path, const OutputPieces& contents) {
  const std::string p(path);
  const int fd = ::open(p.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    return absl::UnavailableError(absl::StrCat(Av(path), ": cannot write: ", std::strerror(errno)));
  }
  absl::Status s = WriteAll(fd, path, contents);
  if (::close(fd) != 0 && s.ok()) {
    s = absl::UnavailableError(absl::StrCat(Av(path), ": write failed: ", std::strerror(errno)));
  }
  return s;
}

// The name a new file takes next to `path` until it is renamed over it.
std::string TemporaryPathFor(std::string_view path) {
  return absl::StrCat(Av(path), ".tmp.", getpid());
}

// Temporary file next to `path`, synced, renamed over it.
absl::Status WriteByRename(std::string_view path, const OutputPieces& contents) {
  const std::string p(path);
  const std::string tmp = TemporaryPathFor(p);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::UnavailableError(absl::StrCat(Av(path), ": cannot write: ", std::strerror(errno)));
  }
  absl::Status s = WriteAll(fd, path, contents);
  if (s.ok() && ::fsync(fd) != 0) {
    s = absl::UnavailableError(absl::StrCat(Av(path), ": write failed: ", std::strerror(errno)));
  }
  ::close(fd);
  if (s.ok() && ::rename(tmp.c_str(), p.c_str()) != 0) {
    s = absl::UnavailableError(absl::StrCat(Av(path), ": rename failed: ", std::strerror(errno)));
  }
  if (!s.ok()) ::unlink(tmp.c_str());
  return s;
}

}  // namespace

absl::StatusOr<std::string> ReadFile(std::string_view path) {
  std::error_code ec;
  if (std::filesystem::is_directory(std::string(path), ec)) {
    return absl::InvalidArgumentError(absl::StrCat(Av(path), ": is a directory"));
  }
  std::ifstream in{std::string(path), std::ios::binary};
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat(Av(path), ": cannot read: ", std::strerror(errno)));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

absl::Status CheckOutputPath(std::string_view path) {
  const std::string p(path);
  struct stat st {};
  if (::stat(p.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      return absl::InvalidArgumentError(absl::StrCat(Av(path), ": is a directory, not a file"));
    }
    return absl::OkStatus();
  }
  const std::string parent = ParentOf(path);
  if (::stat(parent.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat(Av(path), ": cannot write: folder '", parent, "' does not exist"));
  }
  return absl::OkStatus();
}

absl::Status WriteOutputFile(std::string_view path, std::string_view contents) {
  return WriteOutputFile(path, [contents](const std::function<void(std::string_view)>& put) { put(contents); });
}

absl::Status WriteOutputFile(std::string_view path, const OutputPieces& contents) {
  if (absl::Status s = CheckOutputPath(path); !s.ok()) return s;
  const std::string p(path);
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) {
    struct stat link {};
    if (::lstat(p.c_str(), &link) == 0) {
      return absl::InvalidArgumentError(absl::StrCat(Av(path), ": is a dangling symlink"));
    }
    return WriteByRename(path, contents);
  }
  // Our own stdout or stderr: append to the open stream, after what was printed there.
  if (int fd = -1; IsOwnStream(st, &fd)) {
    std::fflush(nullptr);
    return WriteAll(fd, path, contents);
  }
  if (S_ISREG(st.st_mode)) {
    // A regular file, or a symlink to one: replace the file, keep the link.
    std::error_code ec;
    const std::filesystem::path target = std::filesystem::canonical(p, ec);
    return WriteByRename(ec ? p : target.string(), contents);
  }
  return WriteThrough(path, contents);
}

absl::Status CopyOutputFile(std::string_view from, std::string_view to) {
  if (absl::Status s = CheckOutputPath(to); !s.ok()) return s;
  const std::string f(from);
  const std::string t(to);
  struct stat st {};
  const bool absent = ::lstat(t.c_str(), &st) != 0;
  if (absent || (S_ISREG(st.st_mode) && !IsOwnStream(st, nullptr))) {
    // A second name for the same bytes, put in place by rename like any new report.
    const std::string tmp = TemporaryPathFor(t);
    if (::link(f.c_str(), tmp.c_str()) == 0) {
      if (::rename(tmp.c_str(), t.c_str()) == 0) return absl::OkStatus();
      ::unlink(tmp.c_str());
    }
  }
  // Another file system, a symlink, a device, our own stream: the bytes, as WriteOutputFile does.
  std::ifstream in(f, std::ios::binary);
  if (!in) {
    return absl::UnavailableError(absl::StrCat(Av(from), ": cannot read: ", std::strerror(errno)));
  }
  return WriteOutputFile(to, [&in](const std::function<void(std::string_view)>& put) {
    std::string buf(1 << 16, '\0');
    while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
      put(std::string_view(buf.data(), static_cast<size_t>(in.gcount())));
    }
  });
}

absl::Status MakeOutputFolder(std::string_view dir) {
  std::error_code ec;
  std::filesystem::create_directories(std::string(dir), ec);
  if (ec || !std::filesystem::is_directory(std::string(dir), ec)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--out=", Av(dir), ": cannot create the folder", ec ? absl::StrCat(": ", ec.message()) : ""));
  }
  return absl::OkStatus();
}

std::string JoinPath(std::string_view dir, std::string_view name) {
  if (dir.empty()) return std::string(name);
  if (dir.back() == '/') return absl::StrCat(Av(dir), Av(name));
  return absl::StrCat(Av(dir), "/", Av(name));
}

}  // namespace probestorm::stress
