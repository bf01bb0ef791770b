#include "sequence/bitset_words.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "model/random.h"

namespace cobuild::sequence::bitset {
namespace {

// A bitset and a plain vector<bool> model of it, kept side by side.
struct Pair {
  explicit Pair(int bits) : words(static_cast<size_t>(bits / 64 + 2)), model(static_cast<size_t>(bits)) {}
  bool Get(int b) const { return (words[static_cast<size_t>(b >> 6)] >> (b & 63)) & 1; }
  void ExpectSame() const {
    for (size_t b = 0; b < model.size(); ++b) ASSERT_EQ(Get(static_cast<int>(b)), model[b]) << "bit " << b;
  }
  std::vector<uint64_t> words;
  std::vector<bool> model;
};

Pair RandomPair(int bits, model::Random& rng) {
  Pair p(bits);
  for (int b = 0; b < bits; ++b) {
    const bool v = rng.UniformInt(0, 1) == 1;
    SetBit(p.words.data(), b, v);
    p.model[static_cast<size_t>(b)] = v;
  }
  return p;
}

TEST(BitsetWordsTest, LowBitsCoversZeroToSixtyFour) {
  EXPECT_EQ(LowBits(0), 0u);
  EXPECT_EQ(LowBits(1), 1u);
  EXPECT_EQ(LowBits(63), ~uint64_t{0} >> 1);
  EXPECT_EQ(LowBits(64), ~uint64_t{0});
}

TEST(BitsetWordsTest, ReverseBitsMirrorsAWord) {
  EXPECT_EQ(ReverseBits(1), uint64_t{1} << 63);
  EXPECT_EQ(ReverseBits(0x8000000000000001ull), 0x8000000000000001ull);
  EXPECT_EQ(ReverseBits(0x0000000000000006ull), 0x6000000000000000ull);
}

TEST(BitsetWordsTest, Bits64ReadsAcrossWordBoundaries) {
  model::Random rng(7);
  Pair p = RandomPair(300, rng);
  for (int bit = 0; bit + 64 <= 300; ++bit) {
    const uint64_t got = Bits64(p.words.data(), bit);
    for (int j = 0; j < 64; ++j) {
      ASSERT_EQ((got >> j) & 1, p.model[static_cast<size_t>(bit + j)] ? 1u : 0u) << bit << "+" << j;
    }
  }
}

TEST(BitsetWordsTest, WriteBitsTouchesOnlyItsRange) {
  model::Random rng(11);
  for (int trial = 0; trial < 200; ++trial) {
    Pair p = RandomPair(256, rng);
    const int n = rng.UniformInt(1, 64);
    const int bit = rng.UniformInt(0, 256 - n);
    const uint64_t value = rng.Next() & LowBits(n);
    WriteBits(p.words.data(), bit, n, value);
    for (int j = 0; j < n; ++j) p.model[static_cast<size_t>(bit + j)] = (value >> j) & 1;
    p.ExpectSame();
  }
}

TEST(BitsetWordsTest, MoveBitsMatchesACopyInBothDirections) {
  model::Random rng(13);
  for (int trial = 0; trial < 300; ++trial) {
    Pair p = RandomPair(400, rng);
    const int n = rng.UniformInt(1, 200);
    const int src = rng.UniformInt(0, 400 - n);
    const int dst = rng.UniformInt(0, 400 - n);
    const std::vector<bool> before = p.model;
    MoveBits(p.words.data(), dst, src, n);
    for (int j = 0; j < n; ++j) p.model[static_cast<size_t>(dst + j)] = before[static_cast<size_t>(src + j)];
    p.ExpectSame();
  }
}

TEST(BitsetWordsTest, ReverseBitRangeMatchesAReversal) {
  model::Random rng(17);
  for (int trial = 0; trial < 300; ++trial) {
    Pair p = RandomPair(400, rng);
    const int lo = rng.UniformInt(64, 399);
    const int hi = rng.UniformInt(lo, 399);
    ReverseBitRange(p.words.data(), lo, hi);
    std::reverse(p.model.begin() + lo, p.model.begin() + hi + 1);
    p.ExpectSame();
  }
}

TEST(BitsetWordsTest, CountFlagsAndCountFlagsWithMatchALoop) {
  model::Random rng(19);
  constexpr int kPad = 64;
  for (int trial = 0; trial < 300; ++trial) {
    Pair flags = RandomPair(400, rng);
    Pair has = RandomPair(400, rng);
    const int lo = rng.UniformInt(0, 200);
    const int hi = rng.UniformInt(lo - 1, 250);
    const int shift = rng.UniformInt(-60, 60);
    const bool want = rng.UniformInt(0, 1) == 1;
    int plain = 0;
    int with = 0;
    for (int s = lo; s <= hi; ++s) {
      if (!flags.model[static_cast<size_t>(s + kPad)]) continue;
      ++plain;
      if (has.model[static_cast<size_t>(s + shift + kPad)] == want) ++with;
    }
    EXPECT_EQ(CountFlags(flags.words.data(), kPad, lo, hi), plain);
    EXPECT_EQ(CountFlagsWith(flags.words.data(), has.words.data(), kPad, lo, hi, shift, want), with);
  }
}

}  // namespace
}  // namespace cobuild::sequence::bitset
