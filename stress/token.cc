#include "stress/token.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "driver/profile.h"
#include "harness/strings.h"

namespace probestorm::stress {
namespace {

constexpr std::string_view kMagic = "PSt";
constexpr uint8_t kVersion = 1;

// The knob text is carried as the lines that differ from the defaults (Knobs{}) plus a hash of the
// full text; decoding rebuilds the full text and checks the hash.
std::string KnobDiff(const std::string& full) {
  const std::string defaults = kernel::FormatKnobs(kernel::Knobs{});
  std::vector<std::string> base = absl::StrSplit(defaults, '\n');
  std::string out;
  for (absl::string_view line : absl::StrSplit(full, '\n', absl::SkipEmpty())) {
    if (std::find(base.begin(), base.end(), line) == base.end()) absl::StrAppend(&out, line, "\n");
  }
  return out;
}

absl::StatusOr<std::string> KnobFull(const std::string& diff) {
  kernel::Knobs k;
  for (absl::string_view line : absl::StrSplit(diff, '\n', absl::SkipEmpty())) {
    const size_t eq = line.find(" = ");
    if (eq == absl::string_view::npos) return absl::InvalidArgumentError("bad knob line");
    absl::Status s = kernel::SetKnob(k, Sv(line.substr(0, eq)), Sv(line.substr(eq + 3)));
    if (!s.ok()) return s;
  }
  return kernel::FormatKnobs(k);
}

uint32_t Fnv32(std::string_view s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  return h;
}

class Writer {
 public:
  void Varint(uint64_t v) {
    while (v >= 0x80) {
      out_ += static_cast<char>((v & 0x7f) | 0x80);
      v >>= 7;
    }
    out_ += static_cast<char>(v);
  }
  void Signed(int64_t v) { Varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
  void Str(std::string_view s) {
    Varint(s.size());
    out_.append(s);
  }
  void Raw(std::string_view s) { out_.append(s); }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool Varint(uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) return false;
      const auto b = static_cast<uint8_t>(in_[pos_++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  }
  bool Signed(int64_t& v) {
    uint64_t u = 0;
    if (!Varint(u)) return false;
    v = static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
    return true;
  }
  bool Str(std::string& s) {
    uint64_t n = 0;
    if (!Varint(n) || n > in_.size() - pos_) return false;
    s.assign(in_.substr(pos_, n));
    pos_ += n;
    return true;
  }
  bool done() const { return pos_ == in_.size(); }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

absl::Status Bad(std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("bad replay token: ", Av(why)));
}

}  // namespace

std::string ReplayToken::Encode() const {
  Writer w;
  w.Raw(kMagic);
  w.Raw(std::string_view(reinterpret_cast<const char*>(&kVersion), 1));
  w.Str(board);
  w.Varint(board_fingerprint);
  w.Varint(disabled.size());
  for (const auto& d : disabled) w.Str(d);
  w.Str(profile);
  w.Str(KnobDiff(knobs));
  w.Varint(Fnv32(knobs));
  w.Str(engine);
  w.Str(strategy);
  w.Str(perturb);
  uint64_t scale_bits = 0;
  std::memcpy(&scale_bits, &time_scale, sizeof scale_bits);
  w.Varint(scale_bits);
  w.Varint(seed);
  w.Varint(run);
  w.Str(invariants);
  w.Signed(max_virtual_time_ns);
  w.Varint(max_steps);
  w.Str(invariant);
  w.Varint(trace_hash);
  // The schedule's own compact encoding (varints + run lengths), stored as bytes.
  std::string sched;
  if (schedule != nullptr && !schedule->choices.empty()) {
    auto bytes = harness::Base64UrlDecode(schedule->Encode());
    if (bytes.ok()) sched = *bytes;
  }
  w.Str(sched);
  const uint32_t sum = Fnv32(w.out());
  for (int i = 0; i < 4; ++i) w.out() += static_cast<char>((sum >> (8 * i)) & 0xff);
  return harness::Base64UrlEncode(w.out());
}

absl::StatusOr<ReplayToken> ReplayToken::Decode(std::string_view text) {
  if (text.empty()) return Bad("empty");
  auto bytes = harness::Base64UrlDecode(text);
  if (!bytes.ok()) return Bad("not base64url (was it cut when copied?)");
  const std::string& b = *bytes;
  if (b.size() < kMagic.size() + 1 + 4 || std::string_view(b).substr(0, kMagic.size()) != kMagic) {
    return Bad("not a probestorm replay token");
  }
  if (static_cast<uint8_t>(b[kMagic.size()]) != kVersion) {
    return Bad(absl::StrCat("format version ", static_cast<int>(static_cast<uint8_t>(b[kMagic.size()])),
                            " (this probestorm reads version ", kVersion, ")"));
  }
  const std::string_view body = std::string_view(b).substr(0, b.size() - 4);
  uint32_t sum = 0;
  for (int i = 0; i < 4; ++i) {
    sum |= static_cast<uint32_t>(static_cast<uint8_t>(b[b.size() - 4 + static_cast<size_t>(i)])) << (8 * i);
  }
  if (sum != Fnv32(body)) return Bad("checksum mismatch (was it cut or edited?)");
  Reader r(body.substr(kMagic.size() + 1));
  ReplayToken t;
  uint64_t n = 0, scale_bits = 0;
  std::string sched;
  bool ok = r.Str(t.board) && r.Varint(t.board_fingerprint) && r.Varint(n) && n < 100000;
  for (uint64_t i = 0; ok && i < n; ++i) {
    std::string d;
    ok = r.Str(d);
    t.disabled.push_back(std::move(d));
  }
  uint64_t knob_hash = 0;
  ok = ok && r.Str(t.profile) && r.Str(t.knobs) && r.Varint(knob_hash) && r.Str(t.engine) && r.Str(t.strategy) &&
       r.Str(t.perturb) && r.Varint(scale_bits) && r.Varint(t.seed) && r.Varint(t.run) &&
       r.Str(t.invariants) && r.Signed(t.max_virtual_time_ns) && r.Varint(t.max_steps) &&
       r.Str(t.invariant) && r.Varint(t.trace_hash) && r.Str(sched) && r.done();
  if (!ok) return Bad("truncated or malformed fields");
  std::memcpy(&t.time_scale, &scale_bits, sizeof scale_bits);
  auto full = KnobFull(t.knobs);
  if (!full.ok()) return Bad(absl::StrCat("its knobs do not fit this probestorm: ", full.status().message()));
  if (Fnv32(*full) != knob_hash) {
    return Bad("its knobs do not fit this probestorm (the knob set or its defaults changed since)");
  }
  t.knobs = *full;
  if (!sched.empty()) {
    auto s = harness::Schedule::Decode(harness::Base64UrlEncode(sched));
    if (!s.ok()) return Bad("malformed schedule");
    t.schedule = std::make_shared<const harness::Schedule>(std::move(*s));
  }
  return t;
}

std::string ReplayCommandLine(const ReplayToken& t) {
  return absl::StrCat("probestorm replay --token=", t.Encode());
}

}  // namespace probestorm::stress
