// VectorClock (copy-on-write bodies and chunks) against a dense reference clock: seeded random
// sequences of set, tick, join, copy, move and reset over a pool of clocks that share bodies and
// chunks, compared slot by slot after every operation. Plus the cases the sharing has to get
// right: a write or a join to a shared body or chunk leaves the other clock alone, and a join
// keeps whichever chunk covers the other.
#include "harness/race/vector_clock.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "harness/rng.h"

namespace probestorm::harness {
namespace {

struct Dense {
  std::vector<uint32_t> v;
  uint32_t Get(uint32_t s) const { return s < v.size() ? v[s] : 0; }
  void Set(uint32_t s, uint32_t x) {
    if (s >= v.size()) v.resize(s + 1, 0);
    v[s] = x;
  }
  void Join(const Dense& o) {
    if (o.v.size() > v.size()) v.resize(o.v.size(), 0);
    for (size_t i = 0; i < o.v.size(); ++i) v[i] = std::max(v[i], o.v[i]);
  }
};

void ExpectSame(const VectorClock& c, const Dense& d, uint32_t slots, uint64_t seed, int op) {
  for (uint32_t s = 0; s < slots; ++s) {
    ASSERT_EQ(c.Get(s), d.Get(s)) << "seed " << seed << " op " << op << " slot " << s;
  }
}

TEST(VectorClock, MatchesADenseClockOnRandomSequences) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    Rng rng(seed);
    // Few slots (one chunk), a few chunks, and the detector's bound.
    const uint32_t slots = seed % 3 == 0 ? 20 : seed % 3 == 1 ? 100 : 1024;
    constexpr size_t kClocks = 12;
    std::vector<VectorClock> c(kClocks);
    std::vector<Dense> d(kClocks);
    for (int op = 0; op < 3000; ++op) {
      const size_t a = rng.Below(kClocks);
      const size_t b = rng.Below(kClocks);
      const uint32_t s = static_cast<uint32_t>(rng.Below(slots));
      switch (rng.Below(7)) {
        case 0:
        case 1: {  // a task's tick, or a new owner's first epoch of a slot
          const uint32_t x = d[a].Get(s) + 1 + static_cast<uint32_t>(rng.Below(3));
          c[a].Set(s, x);
          d[a].Set(s, x);
          break;
        }
        case 2:
        case 3:  // acquire
          c[a].Join(c[b]);
          d[a].Join(d[b]);
          break;
        case 4:  // release into an empty or covered sync clock: a copy
          c[a] = c[b];
          d[a] = d[b];
          break;
        case 5:  // a clock handed over (task exit -> final clock)
          if (a != b) {
            c[a] = std::move(c[b]);
            c[b] = VectorClock();
            d[a] = d[b];
            d[b] = Dense();
          }
          break;
        case 6:  // a clock dropped
          c[a] = VectorClock();
          d[a] = Dense();
          break;
      }
      ExpectSame(c[a], d[a], slots, seed, op);
      ExpectSame(c[b], d[b], slots, seed, op);
    }
    for (size_t i = 0; i < kClocks; ++i) ExpectSame(c[i], d[i], slots, seed, -1);
  }
}

TEST(VectorClock, WriteToASharedChunkLeavesTheCopyAlone) {
  VectorClock a;
  a.Set(3, 7);
  VectorClock b = a;
  b.Set(3, 8);
  b.Set(4, 1);
  EXPECT_EQ(a.Get(3), 7u);
  EXPECT_EQ(a.Get(4), 0u);
  EXPECT_EQ(b.Get(3), 8u);
  EXPECT_EQ(b.Get(4), 1u);
}

TEST(VectorClock, JoinIntoASharedBodyLeavesTheCopyAlone) {
  VectorClock a;
  a.Set(3, 7);   // chunk 0
  a.Set(40, 1);  // chunk 1
  const VectorClock published = a;  // a release: the two share one body
  VectorClock b;
  b.Set(3, 9);    // b covers chunk 0: a takes b's chunk
  b.Set(41, 2);   // neither covers chunk 1: a merges into a copy
  b.Set(100, 4);  // past a's length: a's body grows
  a.Join(b);
  EXPECT_EQ(a.Get(3), 9u);
  EXPECT_EQ(a.Get(40), 1u);
  EXPECT_EQ(a.Get(41), 2u);
  EXPECT_EQ(a.Get(100), 4u);
  EXPECT_EQ(a.size(), 4 * VectorClock::kChunk);
  EXPECT_EQ(published.Get(3), 7u);
  EXPECT_EQ(published.Get(40), 1u);
  EXPECT_EQ(published.Get(41), 0u);
  EXPECT_EQ(published.Get(100), 0u);
  EXPECT_EQ(published.size(), 2 * VectorClock::kChunk);
}

TEST(VectorClock, JoinTakesTheCoveringChunkAndMergesOthers) {
  VectorClock a, b;
  a.Set(1, 5);
  b.Set(1, 6);
  b.Set(2, 1);
  a.Join(b);  // b covers a in chunk 0
  EXPECT_EQ(a.Get(1), 6u);
  EXPECT_EQ(a.Get(2), 1u);
  VectorClock c;
  c.Set(1, 9);
  c.Set(40, 2);
  a.Join(c);  // neither covers: slot-wise max
  EXPECT_EQ(a.Get(1), 9u);
  EXPECT_EQ(a.Get(2), 1u);
  EXPECT_EQ(a.Get(40), 2u);
  EXPECT_EQ(b.Get(1), 6u);  // the sources are unchanged
  EXPECT_EQ(c.Get(2), 0u);
  EXPECT_EQ(a.Get(5000), 0u);  // past the end
}

TEST(VectorClock, EmptyUntilSet) {
  VectorClock a;
  EXPECT_TRUE(a.Empty());
  VectorClock b;
  a.Join(b);
  EXPECT_TRUE(a.Empty());
  b.Set(0, 1);
  a.Join(b);
  EXPECT_FALSE(a.Empty());
}

}  // namespace
}  // namespace probestorm::harness
