// Word-level operations on bitsets stored as arrays of 64-bit words, bit b
// at bit (b & 63) of word b >> 6: reading, writing, moving and reversing
// runs of up to 64 bits at any offset, and counting set flags over a range
// (optionally masked by a second bitset shifted against the first). The
// move evaluator (move_evaluator.h) keeps its per-window flags and per-car
// option bits this way, so a move is scored by a few popcounts over the
// windows it changes, 64 windows per word.
//
// Contract: Bits64(words, bit) reads the word after the one holding `bit`,
// so every bitset needs one spare word past its last bit, and callers that
// read before bit 0 keep a pad of 64 bits in front (MoveEvaluator's kPad).
//
//   std::vector<uint64_t> w(4);
//   WriteBits(w.data(), 60, 8, 0xFF);    // bits 60..67 set, across a word
//   CountFlags(w.data(), 0, 0, 127);     // 8
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>

namespace cobuild::sequence::bitset {

// The low n bits set (n in 0..64).
inline uint64_t LowBits(int n) { return n >= 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1; }

// The 64 bits of a bitset starting at bit `bit` (bit 0 of the result is
// `bit`). The second shift is split so that sh = 0 shifts by 64 in two
// defined steps.
inline uint64_t Bits64(const uint64_t* words, int bit) {
  const int i = bit >> 6;
  const int sh = bit & 63;
  return (words[i] >> sh) | ((words[i + 1] << 1) << (63 - sh));
}

// Bit i of x moved to bit 63 - i.
inline uint64_t ReverseBits(uint64_t x) {
  x = ((x >> 1) & 0x5555555555555555ull) | ((x & 0x5555555555555555ull) << 1);
  x = ((x >> 2) & 0x3333333333333333ull) | ((x & 0x3333333333333333ull) << 2);
  x = ((x >> 4) & 0x0F0F0F0F0F0F0F0Full) | ((x & 0x0F0F0F0F0F0F0F0Full) << 4);
  return __builtin_bswap64(x);
}

// Writes the low n bits of value (n <= 64, no higher bits set) at `bit`.
inline void WriteBits(uint64_t* words, int bit, int n, uint64_t value) {
  const int i = bit >> 6;
  const int sh = bit & 63;
  words[i] = (words[i] & ~(LowBits(n) << sh)) | (value << sh);
  if (sh + n > 64) {
    const int rest = sh + n - 64;
    words[i + 1] = (words[i + 1] & ~LowBits(rest)) | (value >> (64 - sh));
  }
}

// Moves bits [src, src + n) to [dst, dst + n) inside one bitset, 64 at a
// time, in the order that never reads a chunk already overwritten.
inline void MoveBits(uint64_t* words, int dst, int src, int n) {
  if (dst < src) {
    for (int off = 0; off < n; off += 64) {
      const int c = std::min(64, n - off);
      WriteBits(words, dst + off, c, Bits64(words, src + off) & LowBits(c));
    }
  } else {
    for (int end = n; end > 0; end -= 64) {
      const int c = std::min(64, end);
      const int off = end - c;
      WriteBits(words, dst + off, c, Bits64(words, src + off) & LowBits(c));
    }
  }
}

// Reverses bits [lo, hi] in place: chunks from both ends are read, then
// written back mirrored.
inline void ReverseBitRange(uint64_t* words, int lo, int hi) {
  const int half = (hi - lo + 1) / 2;
  for (int off = 0; off < half; off += 64) {
    const int c = std::min(64, half - off);
    const uint64_t left = Bits64(words, lo + off) & LowBits(c);
    // Bit j of `right` is position hi - off - j.
    const uint64_t right = ReverseBits(Bits64(words, hi - off - 63)) & LowBits(c);
    WriteBits(words, lo + off, c, right);
    WriteBits(words, hi - off - c + 1, c, ReverseBits(left) >> (64 - c));
  }
}

// Sets or clears one bit.
inline void SetBit(uint64_t* words, int bit, bool value) {
  const uint64_t mask = uint64_t{1} << (bit & 63);
  if (value) {
    words[bit >> 6] |= mask;
  } else {
    words[bit >> 6] &= ~mask;
  }
}

// Windows s in [lo, hi] whose flag is set (flags at bit s + pad).
inline int CountFlags(const uint64_t* flag, int pad, int lo, int hi) {
  int count = 0;
  for (int s = lo; s <= hi; s += 64) {
    count += std::popcount(Bits64(flag, s + pad) & LowBits(hi - s + 1));
  }
  return count;
}

// Windows s in [lo, hi] whose flag is set and whose car at s + shift has
// the option (want = true) or not (want = false).
inline int CountFlagsWith(const uint64_t* flag, const uint64_t* has, int pad, int lo, int hi, int shift,
                          bool want) {
  const uint64_t invert = want ? 0 : ~uint64_t{0};
  int count = 0;
  for (int s = lo; s <= hi; s += 64) {
    count +=
        std::popcount(Bits64(flag, s + pad) & (Bits64(has, s + shift + pad) ^ invert) & LowBits(hi - s + 1));
  }
  return count;
}

}  // namespace cobuild::sequence::bitset
