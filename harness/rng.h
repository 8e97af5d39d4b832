// Deterministic random numbers for probestorm.
//
// One root seed per run; every consumer forks a named stream (`rng.Fork("hwmodel/sysmmu@13a00000")`)
// so that adding a consumer never shifts the numbers another consumer sees. splitmix64 seeds a
// xoshiro256** generator; both are fully specified, so gcc and clang builds draw the same numbers.
//
// Thread-safety: an Rng is a value; do not share one between OS threads without a lock.
#ifndef PROBESTORM_HARNESS_RNG_H_
#define PROBESTORM_HARNESS_RNG_H_

#include <cstdint>
#include <string_view>

namespace probestorm::harness {

class Rng {
 public:
  explicit Rng(uint64_t seed) { Reseed(seed); }

  void Reseed(uint64_t seed) {
    seed_ = seed;
    uint64_t x = seed;
    for (auto& s : s_) s = SplitMix(x);
  }

  // A new, independent stream derived from this stream's seed and `name` (not from its position).
  Rng Fork(std::string_view name) const { return Rng(seed_ ^ Hash(name) * 0x9e3779b97f4a7c15ULL); }
  Rng Fork(uint64_t index) const { return Rng(SplitMixOnce(seed_ + 0x632be59bd9b4e019ULL * (index + 1))); }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n); n > 0. Lemire's multiply-shift (bias < 2^-64 * n, irrelevant here).
  uint64_t Below(uint64_t n) { return static_cast<uint64_t>((static_cast<__uint128_t>(Next()) * n) >> 64); }
  // Uniform in [lo, hi] inclusive.
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  // True with probability num/den.
  bool Chance(uint64_t num, uint64_t den) { return Below(den) < num; }

  uint64_t seed() const { return seed_; }

  // FNV-1a, used to name streams; stable across compilers.
  static uint64_t Hash(std::string_view s) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
    return h;
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t SplitMix(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  static uint64_t SplitMixOnce(uint64_t x) { return SplitMix(x); }

  uint64_t seed_ = 0;
  uint64_t s_[4];
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_RNG_H_
