#include "stress/exit_codes.h"

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "harness/strings.h"

namespace probestorm::stress {

int UsageError(const absl::Status& s) { return UsageError(Sv(s.message())); }

int UsageError(std::string_view message) {
  std::string m(message);
  for (char& c : m) {
    if (c == '\n') c = ' ';
  }
  if (m.rfind("probestorm", 0) != 0) m = absl::StrCat("probestorm: ", m);
  std::fprintf(stderr, "%s\n", m.c_str());
  return kExitUsage;
}

int Undecided(std::string_view message) {
  std::fprintf(stderr, "probestorm: UNDECIDED: %s\n", std::string(message).c_str());
  return kExitUndecided;
}

}  // namespace probestorm::stress
