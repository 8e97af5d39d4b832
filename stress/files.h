// Host file helpers for the command line: whole-file reads and atomic writes (temp file + rename,
// so a reader or a killed campaign never sees half a report).
//
// Thread-safety: free functions; concurrent writes to different paths are safe.
#ifndef PROBESTORM_STRESS_FILES_H_
#define PROBESTORM_STRESS_FILES_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace probestorm::stress {

// kInvalidArgument naming the path and the OS error when unreadable.
absl::StatusOr<std::string> ReadFile(std::string_view path);
// Creates parent directories, writes `path.tmp.<pid>`, fsyncs and renames over `path`.
absl::Status WriteFileAtomic(std::string_view path, std::string_view contents);
// `dir/name`, without doubling the slash.
std::string JoinPath(std::string_view dir, std::string_view name);

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_FILES_H_
