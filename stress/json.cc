#include "stress/json.h"

#include <cmath>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "harness/strings.h"

namespace probestorm::stress {

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0.
size_t Utf8Len(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  size_t n = 0;
  if (c < 0x80) return 1;
  if ((c & 0xe0) == 0xc0 && c >= 0xc2) n = 2;
  else if ((c & 0xf0) == 0xe0) n = 3;
  else if ((c & 0xf8) == 0xf0 && c <= 0xf4) n = 4;
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return 0;
  }
  return n;
}

}  // namespace

std::string JsonQuote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    switch (c) {
      case '"': out += "\\\""; ++i; continue;
      case '\\': out += "\\\\"; ++i; continue;
      case '\n': out += "\\n"; ++i; continue;
      case '\r': out += "\\r"; ++i; continue;
      case '\t': out += "\\t"; ++i; continue;
      default: break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += absl::StrFormat("\\u%04x", u);
      ++i;
      continue;
    }
    const size_t n = Utf8Len(s, i);
    if (n == 0) {  // invalid byte: escape as the Latin-1 code point so the output stays valid
      out += absl::StrFormat("\\u%04x", u);
      ++i;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  out += '"';
  return out;
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!stack_.empty()) {
    if (stack_.back().count++ > 0) out_ += ',';
    out_ += '\n';
    out_.append(2 * stack_.size(), ' ');
  }
}

JsonWriter& JsonWriter::BeginObject() {
  BeforeValue();
  out_ += '{';
  stack_.push_back({true, 0});
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  const bool any = stack_.back().count > 0;
  stack_.pop_back();
  if (any) {
    out_ += '\n';
    out_.append(2 * stack_.size(), ' ');
  }
  out_ += '}';
  if (stack_.empty()) out_ += '\n';
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  BeforeValue();
  out_ += '[';
  stack_.push_back({false, 0});
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  const bool any = stack_.back().count > 0;
  stack_.pop_back();
  if (any) {
    out_ += '\n';
    out_.append(2 * stack_.size(), ' ');
  }
  out_ += ']';
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view k) {
  BeforeValue();
  out_ += JsonQuote(k);
  out_ += ": ";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view v) {
  BeforeValue();
  out_ += JsonQuote(v);
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t v) {
  BeforeValue();
  absl::StrAppend(&out_, v);
  return *this;
}

JsonWriter& JsonWriter::Uint(uint64_t v) {
  BeforeValue();
  absl::StrAppend(&out_, v);
  return *this;
}

JsonWriter& JsonWriter::Double(double v) {
  BeforeValue();
  if (!std::isfinite(v)) v = 0;
  out_ += absl::StrFormat("%.6g", v);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool v) {
  BeforeValue();
  out_ += v ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::StringArray(const std::vector<std::string>& v) {
  BeforeValue();
  out_ += '[';
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out_ += ", ";
    out_ += JsonQuote(v[i]);
  }
  out_ += ']';
  return *this;
}

// ---- reader

const JsonValue* JsonValue::Find(std::string_view key) const {
  if (type_ != Type::kObject) return nullptr;
  for (const auto& [k, v] : object_) {
    if (k == key) return &v;
  }
  return nullptr;
}

double JsonValue::AsDouble() const {
  double d = 0;
  if (type_ == Type::kNumber && absl::SimpleAtod(text_, &d)) return d;
  return 0;
}

JsonFields::JsonFields(const JsonValue& object, std::string where)
    : object_(object), where_(std::move(where)) {}

void JsonFields::Bad(std::string_view key, std::string_view expected) {
  if (!status_.ok()) return;
  status_ = absl::InvalidArgumentError(
      absl::StrCat(where_, ": field '", Av(key), "' is not ", Av(expected)));
}

const JsonValue* JsonFields::Typed(std::string_view key, JsonValue::Type type,
                                   std::string_view expected) {
  const JsonValue* v = object_.Find(key);
  if (v == nullptr) return nullptr;
  if (v->type() != type) {
    Bad(key, expected);
    return nullptr;
  }
  return v;
}

std::string JsonFields::String(std::string_view key) {
  const JsonValue* v = Typed(key, JsonValue::Type::kString, "a string");
  return v ? v->str() : std::string();
}

int64_t JsonFields::Int(std::string_view key, int64_t def) {
  const JsonValue* v = Typed(key, JsonValue::Type::kNumber, "an integer");
  if (v == nullptr) return def;
  int64_t n = 0;
  if (!absl::SimpleAtoi(v->str(), &n)) Bad(key, "an integer");
  return n;
}

uint64_t JsonFields::Uint(std::string_view key) {
  const JsonValue* v = Typed(key, JsonValue::Type::kNumber, "an unsigned integer");
  if (v == nullptr) return 0;
  uint64_t n = 0;
  if (!absl::SimpleAtoi(v->str(), &n)) Bad(key, "an unsigned integer");
  return n;
}

double JsonFields::Double(std::string_view key) {
  const JsonValue* v = Typed(key, JsonValue::Type::kNumber, "a number");
  return v ? v->AsDouble() : 0;
}

bool JsonFields::Bool(std::string_view key) {
  const JsonValue* v = Typed(key, JsonValue::Type::kBool, "true or false");
  return v ? v->boolean() : false;
}

std::vector<std::string> JsonFields::Strings(std::string_view key) {
  std::vector<std::string> out;
  const JsonValue* v = Typed(key, JsonValue::Type::kArray, "a list of strings");
  if (v == nullptr) return out;
  for (const auto& e : v->array()) {
    if (!e.is_string()) {
      Bad(key, "a list of strings");
      return {};
    }
    out.push_back(e.str());
  }
  return out;
}

std::map<std::string, uint64_t> JsonFields::UintMap(std::string_view key) {
  std::map<std::string, uint64_t> out;
  const JsonValue* v = Typed(key, JsonValue::Type::kObject, "an object");
  if (v == nullptr) return out;
  JsonFields counts(*v, absl::StrCat(where_, ": ", Av(key)));
  for (const auto& [name, value] : v->object()) out[name] = counts.Uint(name);
  if (status_.ok()) status_ = counts.status();
  return out;
}

const JsonValue* JsonFields::Object(std::string_view key) {
  return Typed(key, JsonValue::Type::kObject, "an object");
}

const JsonValue* JsonFields::Array(std::string_view key) {
  return Typed(key, JsonValue::Type::kArray, "a list");
}

class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : s_(text) {}

  absl::StatusOr<JsonValue> Document() {
    JsonValue v;
    if (!Value(v, 0)) return Error();
    Space();
    if (pos_ != s_.size()) {
      why_ = "trailing characters after the document";
      return Error();
    }
    return v;
  }

 private:
  absl::Status Error() const {
    size_t line = 1, col = 1;
    for (size_t i = 0; i < pos_ && i < s_.size(); ++i) {
      if (s_[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    return absl::InvalidArgumentError(
        absl::StrCat("JSON parse error at line ", line, ", column ", col, ": ", why_));
  }
  bool Fail(const char* why) {
    why_ = why;
    return false;
  }
  void Space() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return Fail("unexpected token");
    pos_ += word.size();
    return true;
  }
  bool Value(JsonValue& v, int depth) {
    if (depth > 200) return Fail("nesting too deep");
    Space();
    if (pos_ >= s_.size()) return Fail("unexpected end of input");
    const char c = s_[pos_];
    if (c == '{') return Object(v, depth);
    if (c == '[') return Array(v, depth);
    if (c == '"') {
      v.type_ = JsonValue::Type::kString;
      return String(v.text_);
    }
    if (c == 't') {
      v.type_ = JsonValue::Type::kBool;
      v.bool_ = true;
      return Literal("true");
    }
    if (c == 'f') {
      v.type_ = JsonValue::Type::kBool;
      return Literal("false");
    }
    if (c == 'n') return Literal("null");
    if (c == '-' || (c >= '0' && c <= '9')) return Number(v);
    return Fail("unexpected character");
  }
  bool Number(JsonValue& v) {
    const size_t start = pos_;
    if (s_[pos_] == '-') ++pos_;
    const auto digits = [&] {
      const size_t b = pos_;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
      return pos_ > b;
    };
    if (pos_ < s_.size() && s_[pos_] == '0') {
      ++pos_;
    } else if (!digits()) {
      return Fail("bad number");
    }
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (!digits()) return Fail("bad number");
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (!digits()) return Fail("bad number");
    }
    v.type_ = JsonValue::Type::kNumber;
    v.text_ = std::string(s_.substr(start, pos_ - start));
    return true;
  }
  static void AppendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xc0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xe0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }
  bool Hex4(uint32_t& cp) {
    if (pos_ + 4 > s_.size()) return Fail("bad \\u escape");
    cp = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = s_[pos_++];
      cp <<= 4;
      if (h >= '0' && h <= '9') cp |= static_cast<uint32_t>(h - '0');
      else if (h >= 'a' && h <= 'f') cp |= static_cast<uint32_t>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') cp |= static_cast<uint32_t>(h - 'A' + 10);
      else return Fail("bad \\u escape");
    }
    return true;
  }
  bool String(std::string& out) {
    ++pos_;  // opening quote
    while (true) {
      if (pos_ >= s_.size()) return Fail("unterminated string");
      const char c = s_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return Fail("control character in string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= s_.size()) return Fail("unterminated string");
      const char e = s_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp = 0;
          if (!Hex4(cp)) return false;
          if (cp >= 0xd800 && cp < 0xdc00 && s_.substr(pos_, 2) == "\\u") {
            pos_ += 2;
            uint32_t lo = 0;
            if (!Hex4(lo)) return false;
            if (lo >= 0xdc00 && lo < 0xe000) cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          }
          AppendUtf8(out, cp);
          break;
        }
        default: return Fail("bad escape");
      }
    }
  }
  bool Array(JsonValue& v, int depth) {
    ++pos_;
    v.type_ = JsonValue::Type::kArray;
    Space();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      JsonValue e;
      if (!Value(e, depth + 1)) return false;
      v.array_.push_back(std::move(e));
      Space();
      if (pos_ >= s_.size()) return Fail("unterminated array");
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] == ']') {
        ++pos_;
        return true;
      }
      return Fail("expected ',' or ']'");
    }
  }
  bool Object(JsonValue& v, int depth) {
    ++pos_;
    v.type_ = JsonValue::Type::kObject;
    Space();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      Space();
      if (pos_ >= s_.size() || s_[pos_] != '"') return Fail("expected a string key");
      std::string key;
      if (!String(key)) return false;
      Space();
      if (pos_ >= s_.size() || s_[pos_] != ':') return Fail("expected ':'");
      ++pos_;
      JsonValue e;
      if (!Value(e, depth + 1)) return false;
      v.object_.emplace_back(std::move(key), std::move(e));
      Space();
      if (pos_ >= s_.size()) return Fail("unterminated object");
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] == '}') {
        ++pos_;
        return true;
      }
      return Fail("expected ',' or '}'");
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  const char* why_ = "";
};

absl::StatusOr<JsonValue> ParseJson(std::string_view text) { return JsonParser(text).Document(); }

}  // namespace probestorm::stress
