#include "stress/json.h"

#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "harness/strings.h"

namespace probestorm::stress {

absl::StatusOr<Json> ParseJson(std::string_view text) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::exception& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line 1, column 6: ...", and
    // ends with the bytes last read for a bad token, which may be any: the error stays one
    // printable line.
    std::string_view what = e.what();
    if (const size_t at = what.find("parse error"); at != std::string_view::npos) what.remove_prefix(at);
    std::string message = "JSON ";
    for (char ch : what) {
      const auto c = static_cast<unsigned char>(ch);
      if (c >= 0x20 && c < 0x7f) {
        message += ch;
      } else {
        absl::StrAppendFormat(&message, "\\x%02x", c);
      }
    }
    return absl::InvalidArgumentError(message);
  }
}

JsonFields::JsonFields(const Json& object, std::string where)
    : object_(object), where_(std::move(where)) {}

void JsonFields::Bad(std::string_view key, std::string_view expected) {
  if (!status_.ok()) return;
  status_ = absl::InvalidArgumentError(
      absl::StrCat(where_, ": field '", Av(key), "' is not ", Av(expected)));
}

const Json* JsonFields::Find(std::string_view key) const {
  if (!object_.is_object()) return nullptr;
  const auto it = object_.find(key);
  return it == object_.end() ? nullptr : &*it;
}

const Json* JsonFields::Typed(std::string_view key, bool (*ok)(const Json&),
                              std::string_view expected) {
  const Json* v = Find(key);
  if (v == nullptr) return nullptr;
  if (!ok(*v)) {
    Bad(key, expected);
    return nullptr;
  }
  return v;
}

std::string JsonFields::String(std::string_view key) {
  const Json* v = Typed(key, [](const Json& j) { return j.is_string(); }, "a string");
  return v ? v->get<std::string>() : std::string();
}

// A parsed integer is number_unsigned when it is >= 0 and number_integer when negative; one too
// large for 64 bits, a fraction or an exponent is number_float and no integer.
int64_t JsonFields::Int(std::string_view key, int64_t def) {
  const Json* v = Typed(
      key,
      [](const Json& j) {
        return j.is_number_integer() &&
               (!j.is_number_unsigned() ||
                j.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()));
      },
      "an integer");
  return v ? v->get<int64_t>() : def;
}

uint64_t JsonFields::Uint(std::string_view key) {
  const Json* v = Typed(
      key,
      [](const Json& j) {
        return j.is_number_unsigned() || (j.is_number_integer() && j.get<int64_t>() >= 0);
      },
      "an unsigned integer");
  return v ? v->get<uint64_t>() : 0;
}

double JsonFields::Double(std::string_view key) {
  const Json* v = Typed(key, [](const Json& j) { return j.is_number(); }, "a number");
  return v ? v->get<double>() : 0;
}

bool JsonFields::Bool(std::string_view key) {
  const Json* v = Typed(key, [](const Json& j) { return j.is_boolean(); }, "true or false");
  return v ? v->get<bool>() : false;
}

std::vector<std::string> JsonFields::Strings(std::string_view key) {
  const Json* v = Typed(
      key,
      [](const Json& j) {
        if (!j.is_array()) return false;
        for (const Json& e : j) {
          if (!e.is_string()) return false;
        }
        return true;
      },
      "a list of strings");
  return v ? v->get<std::vector<std::string>>() : std::vector<std::string>();
}

std::map<std::string, uint64_t> JsonFields::UintMap(std::string_view key) {
  std::map<std::string, uint64_t> out;
  const Json* v = Object(key);
  if (v == nullptr) return out;
  JsonFields counts(*v, absl::StrCat(where_, ": ", Av(key)));
  for (const auto& [name, value] : v->items()) out[name] = counts.Uint(name);
  if (status_.ok()) status_ = counts.status();
  return out;
}

const Json* JsonFields::Object(std::string_view key) {
  return Typed(key, [](const Json& j) { return j.is_object(); }, "an object");
}

const Json* JsonFields::Array(std::string_view key) {
  return Typed(key, [](const Json& j) { return j.is_array(); }, "a list");
}

}  // namespace probestorm::stress
