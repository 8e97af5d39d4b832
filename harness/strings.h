// Bridges std::string_view and absl::string_view. Debian's Abseil is built with
// ABSL_OPTION_USE_STD_STRING_VIEW=0, so the two are distinct types; our interfaces use
// std::string_view and convert at calls into Abseil's string functions.
#ifndef PROBESTORM_HARNESS_STRINGS_H_
#define PROBESTORM_HARNESS_STRINGS_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace probestorm {

inline absl::string_view Av(std::string_view s) { return absl::string_view(s.data(), s.size()); }
inline std::string_view Sv(absl::string_view s) { return std::string_view(s.data(), s.size()); }

}  // namespace probestorm

#endif  // PROBESTORM_HARNESS_STRINGS_H_
