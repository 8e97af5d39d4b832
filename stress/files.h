// Host file helpers for the command line: whole-file reads and report writes.
//
// A report written to a new path or over a regular file (or a symlink to one: the link is kept)
// goes to a temporary file in the same folder, which is renamed over it, so a reader or a killed
// campaign never sees half a report. Our own stdout or stderr (/dev/stdout, or a file they are
// redirected to) is appended to through the open stream. Anything else that exists (a character
// device such as /dev/null or /dev/full, a FIFO, a socket) is opened and written through: it is
// never replaced. Parent folders are never created here; `--out` is the only flag whose folder is
// made (MakeOutputFolder).
//
// Thread-safety: free functions; concurrent writes to different paths are safe.
#ifndef PROBESTORM_STRESS_FILES_H_
#define PROBESTORM_STRESS_FILES_H_

#include <functional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace probestorm::stress {

// kInvalidArgument naming the path and the OS error when unreadable.
absl::StatusOr<std::string> ReadFile(std::string_view path);
// kInvalidArgument when `path` cannot be an output: it is a folder, or its parent folder does not
// exist (named). Checked before a campaign starts, so a typo costs no run.
absl::Status CheckOutputPath(std::string_view path);
// Writes `contents` to `path` as described above. kInvalidArgument for a missing parent folder or a
// folder at `path`; kUnavailable for an OS error while writing (a full disk, /dev/full).
absl::Status WriteOutputFile(std::string_view path, std::string_view contents);
// The same for text made in pieces (a trace file): `produce` calls its argument with each piece, in
// order, and the file never has to be one string.
using OutputPieces = std::function<void(const std::function<void(std::string_view)>&)>;
absl::Status WriteOutputFile(std::string_view path, const OutputPieces& produce);
// Puts a copy of the file at `from` (one this process wrote) at `to`, with WriteOutputFile's rules.
// A new path or a regular file becomes a second hard link to `from` where the file system allows,
// so no byte is copied; elsewhere the bytes are written.
absl::Status CopyOutputFile(std::string_view from, std::string_view to);
// Creates `dir` and its parents if missing (the documented behaviour of --out).
absl::Status MakeOutputFolder(std::string_view dir);
// `dir/name`, without doubling the slash.
std::string JoinPath(std::string_view dir, std::string_view name);

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_FILES_H_
