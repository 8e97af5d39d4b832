#include "stress/output_flags.h"

#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "stress/files.h"
#include "stress/flags.h"

namespace probestorm::stress {

absl::Status CheckOutputFlags() {
  const std::string progress = absl::GetFlag(FLAGS_progress);
  if (progress != "auto" && progress != "always" && progress != "never") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--progress: unknown value '", absl::CHexEscape(progress), "' (auto, always or never)"));
  }
  for (const auto* flag : {&FLAGS_report_json, &FLAGS_junit, &FLAGS_trace, &FLAGS_log, &FLAGS_html}) {
    const std::string path = absl::GetFlag(*flag);
    if (path.empty()) continue;
    if (absl::Status s = CheckOutputPath(path); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", absl::GetFlagReflectionHandle(*flag).Name(), ": ", s.message()));
    }
  }
  return absl::OkStatus();
}

absl::Status MakeOutFolderFromFlag() {
  const std::string out = absl::GetFlag(FLAGS_out);
  return out.empty() ? absl::OkStatus() : MakeOutputFolder(out);
}

}  // namespace probestorm::stress
