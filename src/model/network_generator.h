// Synthetic production networks for benchmarks and tests, of a realistic
// shape: a few companies, each with its own brands and platforms; every line
// builds 2 to 4 of about 10 platforms (sometimes a partner's, under a
// contract) and 2 to 4 powertrains; each plant ships to its own market and a
// few others, so each variant has a few overseas import sources; demand is
// seasonal and, in total, about 85% of the network's capacity at full shifts.
//
//   GeneratorParams params{.plants = 10, .lines = 20, .variants = 100,
//                          .markets = 6, .months = 36, .seed = 7};
//   Result<Scenario> s = GenerateNetwork(params);
//
// The same parameters always give the same scenario, on every platform
// (model/random.h).
#pragma once

#include <cstdint>

#include "model/error.h"
#include "model/scenario.h"

namespace cobuild::model {

struct GeneratorParams {
  int plants = 4;
  int lines = 8;
  int variants = 30;  // model variants (grouped into models of 1 to 3)
  int markets = 4;
  int months = 36;
  uint64_t seed = 1;
};

// Checks the parameters (each >= 1, lines >= plants, months <= 120).
[[nodiscard]] Result<Scenario> GenerateNetwork(const GeneratorParams& params);

}  // namespace cobuild::model
