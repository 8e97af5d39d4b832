#include "harness/json.h"

namespace probestorm::harness {
namespace {

// True when `s` as a JSON string is `s` itself between quotes: printable ASCII (DEL included,
// which JSON leaves unescaped) other than the two characters JSON escapes.
bool Plain(std::string_view s) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') return false;
  }
  return true;
}

}  // namespace

std::string DumpJson(const Json& value, int indent) {
  return value.dump(indent, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

void AppendJsonString(std::string& out, std::string_view s) {
  if (Plain(s)) {
    out.reserve(out.size() + s.size() + 2);
    out += '"';
    out += s;
    out += '"';
    return;
  }
  out += DumpJson(Json(s), -1);
}

std::string JsonQuote(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

}  // namespace probestorm::harness
