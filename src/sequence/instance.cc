#include "sequence/instance.h"

#include <string>

namespace cobuild::sequence {

std::string_view CriterionName(Criterion criterion) {
  switch (criterion) {
    case Criterion::kHighPriorityRatios:
      return "hprc";
    case Criterion::kLowPriorityRatios:
      return "lprc";
    case Criterion::kColourChanges:
      return "colour_changes";
  }
  return "?";
}

int64_t RankWeight(int rank) {
  switch (rank) {
    case 0:
      return 1'000'000;
    case 1:
      return 1'000;
    default:
      return 1;
  }
}

Result<void> ValidateInstance(const Instance& instance) {
  const std::string where = instance.name.empty() ? "instance" : instance.name;
  const int num_ratios = static_cast<int>(instance.ratios.size());
  if (num_ratios > kMaxRatios) {
    return InvalidInput(where + ": " + std::to_string(num_ratios) + " ratio constraints, at most " +
                        std::to_string(kMaxRatios) + " are supported");
  }
  for (int k = 0; k < num_ratios; ++k) {
    const RatioConstraint& r = instance.ratios[k];
    if (r.window < 1 || r.max_cars < 0) {
      return InvalidInput(where + ": ratios[" + std::to_string(k) + "] (" + r.name +
                          "): need N >= 0 and P >= 1, got " + std::to_string(r.max_cars) + "/" +
                          std::to_string(r.window));
    }
  }
  const uint64_t allowed = num_ratios == 64 ? ~uint64_t{0} : ((uint64_t{1} << num_ratios) - 1);
  auto check_cars = [&](const std::vector<Car>& cars, const char* field) -> Result<void> {
    for (size_t i = 0; i < cars.size(); ++i) {
      if ((cars[i].options & ~allowed) != 0) {
        return InvalidInput(where + ": " + field + "[" + std::to_string(i) +
                            "].options: sets an option with no ratio constraint");
      }
      if (cars[i].colour < 0) {
        return InvalidInput(where + ": " + field + "[" + std::to_string(i) + "].colour: must be >= 0");
      }
    }
    return {};
  };
  if (auto ok = check_cars(instance.previous_day, "previous_day"); !ok) return ok;
  if (auto ok = check_cars(instance.cars, "cars"); !ok) return ok;
  if (instance.paint_batch_limit < 0) {
    return InvalidInput(where + ": paint_batch_limit: must be >= 0 (0 = none)");
  }
  if (instance.kind == ProblemKind::kRoadef) {
    if (instance.objective_order.empty() || instance.objective_order.size() > 3) {
      return InvalidInput(where + ": objective_order: needs 1 to 3 criteria");
    }
    for (size_t a = 0; a < instance.objective_order.size(); ++a) {
      for (size_t b = a + 1; b < instance.objective_order.size(); ++b) {
        if (instance.objective_order[a] == instance.objective_order[b]) {
          return InvalidInput(where + ": objective_order: " +
                              std::string(CriterionName(instance.objective_order[a])) + " is ranked twice");
        }
      }
    }
  }
  return {};
}

}  // namespace cobuild::sequence
