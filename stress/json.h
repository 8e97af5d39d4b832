// Minimal JSON: a streaming writer (reports, Chrome traces) and a small reader (merge, replay
// --report). No JSON library is installed; both follow RFC 8259 for what probestorm emits.
// Numbers keep their source text so 64-bit seeds and hashes survive a round trip exactly.
//
// Thread-safety: values; a JsonWriter is used by one thread.
#ifndef PROBESTORM_STRESS_JSON_H_
#define PROBESTORM_STRESS_JSON_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace probestorm::stress {

// `s` as a JSON string literal, with quotes; control characters and invalid UTF-8 bytes escaped.
std::string JsonQuote(std::string_view s);

// Writes pretty-printed JSON. Keys and values alternate inside objects; the writer inserts commas
// and indentation. Misuse (a value without a key in an object) is a programming error.
class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view k);
  JsonWriter& String(std::string_view v);
  JsonWriter& Int(int64_t v);
  JsonWriter& Uint(uint64_t v);
  JsonWriter& Double(double v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  // Compact arrays of scalars on one line (lists of names).
  JsonWriter& StringArray(const std::vector<std::string>& v);
  const std::string& str() const { return out_; }

 private:
  void BeforeValue();
  std::string out_;
  struct Level {
    bool object;
    int count;
  };
  std::vector<Level> stack_;
  bool after_key_ = false;
};

class JsonValue {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  Type type() const { return type_; }
  bool is_object() const { return type_ == Type::kObject; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_number() const { return type_ == Type::kNumber; }

  // Member `key` of an object, or null when absent or not an object.
  const JsonValue* Find(std::string_view key) const;
  const std::string& str() const { return text_; }  // string value, or a number's source text
  bool boolean() const { return bool_; }
  double AsDouble() const;
  const std::vector<JsonValue>& array() const { return array_; }
  const std::vector<std::pair<std::string, JsonValue>>& object() const { return object_; }


 private:
  friend class JsonParser;
  Type type_ = Type::kNull;
  bool bool_ = false;
  std::string text_;
  std::vector<JsonValue> array_;
  std::vector<std::pair<std::string, JsonValue>> object_;
};

// Parses one JSON document. Errors name the line and column.
// Reads the members of one object with the types the reader expects. An absent member reads as
// the default; a member present with another type (a string where a count belongs, a negative or
// fractional count, a list with a number in it) is an error naming `where` and the member. Read
// every member first, then check status().
class JsonFields {
 public:
  JsonFields(const JsonValue& object, std::string where);
  std::string String(std::string_view key);
  int64_t Int(std::string_view key, int64_t def = 0);
  uint64_t Uint(std::string_view key);
  double Double(std::string_view key);
  bool Bool(std::string_view key);
  std::vector<std::string> Strings(std::string_view key);
  // An object of unsigned counts ({"name": 3, ...}); a bad member is named as "where: key: field".
  std::map<std::string, uint64_t> UintMap(std::string_view key);
  // The member when it is an object (or an array), else null; another type is an error.
  const JsonValue* Object(std::string_view key);
  const JsonValue* Array(std::string_view key);
  // The first type error, or OK.
  const absl::Status& status() const { return status_; }

 private:
  const JsonValue* Typed(std::string_view key, JsonValue::Type type, std::string_view expected);
  void Bad(std::string_view key, std::string_view expected);
  const JsonValue& object_;
  std::string where_;
  absl::Status status_;
};

absl::StatusOr<JsonValue> ParseJson(std::string_view text);

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_JSON_H_
