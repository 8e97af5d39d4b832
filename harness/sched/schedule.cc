#include "harness/sched/schedule.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "harness/strings.h"

namespace probestorm::harness {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

bool GetVarint(std::string_view& in, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in.empty()) return false;
    const auto b = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return true;
  }
  return false;
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 0x3f]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 0x3f]);
  return out;
}

absl::StatusOr<std::string> Base64UrlDecode(std::string_view text) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '-') v = 62;
    else if (c == '_') v = 63;
    else return absl::InvalidArgumentError(absl::StrCat("bad character '", std::string(1, c), "' in token"));
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

// Format: varint count of (choice, repeat) pairs, then the pairs (run-length encoding: schedules
// are dominated by long runs of the same index).
std::string Schedule::Encode() const {
  std::string bytes;
  std::vector<std::pair<uint32_t, uint32_t>> runs;
  for (uint32_t c : choices) {
    if (!runs.empty() && runs.back().first == c) {
      ++runs.back().second;
    } else {
      runs.push_back({c, 1});
    }
  }
  PutVarint(bytes, runs.size());
  for (auto [c, n] : runs) {
    PutVarint(bytes, c);
    PutVarint(bytes, n);
  }
  return Base64UrlEncode(bytes);
}

absl::StatusOr<Schedule> Schedule::Decode(std::string_view token) {
  auto bytes = Base64UrlDecode(token);
  if (!bytes.ok()) return bytes.status();
  std::string_view in = *bytes;
  uint64_t runs = 0;
  if (!GetVarint(in, runs) || runs > in.size()) return absl::InvalidArgumentError("truncated schedule token");
  Schedule s;
  for (uint64_t i = 0; i < runs; ++i) {
    uint64_t c = 0, n = 0;
    if (!GetVarint(in, c) || !GetVarint(in, n) || n == 0 || n > (1u << 30) || c > UINT32_MAX) {
      return absl::InvalidArgumentError("corrupt schedule token");
    }
    if (s.choices.size() + n > (1u << 30)) return absl::InvalidArgumentError("schedule token too long");
    s.choices.insert(s.choices.end(), n, static_cast<uint32_t>(c));
  }
  if (!in.empty()) return absl::InvalidArgumentError("trailing bytes in schedule token");
  return s;
}

std::string Schedule::ToFileText() const {
  std::string out = "# probestorm schedule: one choice (index into the sorted runnable set) per line\n";
  for (uint32_t c : choices) absl::StrAppend(&out, c, "\n");
  return out;
}

absl::StatusOr<Schedule> Schedule::FromFileText(std::string_view text) {
  Schedule s;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(Av(text), '\n')) {
    ++line_no;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    uint32_t c = 0;
    if (!absl::SimpleAtoi(line, &c)) {
      return absl::InvalidArgumentError(absl::StrCat("schedule file line ", line_no, ": not a number: '", line, "'"));
    }
    s.choices.push_back(c);
  }
  return s;
}

}  // namespace probestorm::harness
