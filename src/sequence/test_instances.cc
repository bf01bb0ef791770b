#include "sequence/test_instances.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "io/roadef_reader.h"
#include "model/random.h"
#include "sequence/evaluator.h"

namespace cobuild::sequence {

Instance RandomInstance(uint64_t seed, int num_cars) {
  model::Random rng(seed);
  auto uniform = [&](int lo, int hi) { return rng.UniformInt(lo, hi); };
  Instance inst;
  inst.name = std::string("random").append(std::to_string(seed));
  const int num_ratios = uniform(3, 6);
  for (int k = 0; k < num_ratios; ++k) {
    const int window = k == 0 ? num_cars + uniform(1, 5) : uniform(1, 8);
    inst.ratios.push_back({.max_cars = uniform(0, std::max(0, window - 1)),
                           .window = window,
                           .high_priority = k % 2 == 0,
                           .name = std::string(1, static_cast<char>('A' + k))});
  }
  const int num_colours = uniform(2, 5);
  auto random_car = [&](int rank) {
    Car car{.date = "d",
            .seq_rank = rank,
            .ident = std::to_string(rank),
            .colour = uniform(1, num_colours),
            .options = 0};
    for (int k = 0; k < num_ratios; ++k) {
      if (uniform(0, 2) == 0) car.options |= uint64_t{1} << k;
    }
    return car;
  };
  for (int p = 0, m = uniform(0, 6); p < m; ++p) inst.previous_day.push_back(random_car(p));
  for (int p = 0; p < num_cars; ++p) inst.cars.push_back(random_car(100 + p));
  inst.objective_order = {Criterion::kHighPriorityRatios, Criterion::kColourChanges,
                          Criterion::kLowPriorityRatios};
  model::Shuffle(inst.objective_order, rng);
  // The longest run of the input order as the limit keeps it feasible.
  inst.paint_batch_limit = std::max(2, Evaluate(inst, InputOrder(inst))->longest_batch);
  return inst;
}

std::vector<Instance> SharedRoadefInstances(const std::vector<std::string>& folders) {
  const char* shared = std::getenv("COBUILD_SHARED_DATA");
  if (shared == nullptr) return {};
  const std::filesystem::path root = std::filesystem::path(shared) / "carseq/roadef2005";
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) return {};
  std::vector<Instance> instances;
  for (const std::string& folder : folders) {
    auto inst = io::ReadRoadefInstance(root / folder);
    if (!inst) {
      ADD_FAILURE() << inst.error().message;
      continue;
    }
    instances.push_back(std::move(*inst));
  }
  return instances;
}

}  // namespace cobuild::sequence
