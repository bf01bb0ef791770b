// The one seeded random number generator of cobuild: xoshiro256** (Blackman
// and Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS
// 47(4), 2021), seeded through splitmix64 (Steele, Lea and Flood, "Fast
// splittable pseudorandom number generators", OOPSLA 2014), with our own
// uniform integer and real functions. The std:: distributions are not used:
// their results differ between standard libraries, and every cobuild run
// must give the same draws for a seed on every platform (sequencing, a
// line's day from the plan, risk draws, generated networks).
//
//   model::Random rng(seed);
//   int k = rng.UniformInt(1, 6);     // 1..6, unbiased
//   double u = rng.Uniform01();       // [0, 1), 53 bits
//   model::Shuffle(cars, rng);        // Fisher-Yates
//
// Streams for parallel or per-item work are derived from one user seed with
// MixSeed (a splitmix64 step), so neighbouring items' streams do not overlap.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace cobuild::model {

// One splitmix64 step: a well-mixed 64-bit value of `x`; also how Random
// turns a seed into its state.
constexpr uint64_t MixSeed(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

class Random {
 public:
  explicit Random(uint64_t seed) {
    for (uint64_t& word : s_) {
      word = MixSeed(seed);
      seed += 0x9E3779B97F4A7C15ull;
    }
  }

  // The next 64 raw bits.
  uint64_t Next() {
    const uint64_t result = std::rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = std::rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double Uniform01() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  // Uniform in [lo, hi) (lo when hi <= lo).
  double Uniform(double lo, double hi) { return hi <= lo ? lo : lo + (hi - lo) * Uniform01(); }

  // Uniform in [lo, hi], both ends included, without bias (Lemire's
  // multiply-and-reject, "Fast random integer generation in an interval",
  // ACM TOMACS 29(1), 2019). Requires lo <= hi.
  int UniformInt(int lo, int hi) {
    const uint64_t range = static_cast<uint64_t>(static_cast<int64_t>(hi) - lo) + 1;
    return static_cast<int>(lo + static_cast<int64_t>(BelowUnbiased(range)));
  }

  // Uniform in [0, bound) for 0 < bound < 2^31, fast: multiply-shift on the
  // high 32 bits, biased by less than 2^-31 per draw (the local search's
  // move draws, where speed matters and the bias does not).
  int Below(int bound) { return static_cast<int>(((Next() >> 32) * static_cast<uint64_t>(bound)) >> 32); }

  // True with probability p.
  bool Bernoulli(double p) { return Uniform01() < p; }

 private:
  // Uniform in [0, range) for 0 < range <= 2^32.
  uint64_t BelowUnbiased(uint64_t range) {
    uint64_t product = (Next() >> 32) * range;
    if ((product & 0xFFFFFFFFull) < range) {
      const uint64_t threshold = (0x100000000ull - range) % range;
      while ((product & 0xFFFFFFFFull) < threshold) product = (Next() >> 32) * range;
    }
    return product >> 32;
  }

  uint64_t s_[4];
};

// Fisher-Yates shuffle with unbiased draws.
template <typename T>
void Shuffle(std::vector<T>& values, Random& rng) {
  for (size_t i = values.size(); i > 1; --i) {
    std::swap(values[i - 1], values[static_cast<size_t>(rng.UniformInt(0, static_cast<int>(i) - 1))]);
  }
}

}  // namespace cobuild::model
