// Finished-goods stock at plants (docs/planning-model.md, "Finished-goods
// stock"), and what is left at the horizon's end is worth ("The horizon's
// end"). A plant without a PlantStock holds no stock: every car it builds
// ships in its production month, as in a scenario without `stock:` blocks.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

namespace cobuild::model {

// Cars of a variant held at a plant at the horizon start ($I_{pv,-1}$).
struct InitialStock {
  int variant = -1;
  double units = 0;  // whole cars
  bool operator==(const InitialStock&) const = default;
};

// A plant's `stock:` block. Holding cost is a cash cost of the car's owner
// (the capital tied up in the car is most of it); the safety stock is soft,
// a shortfall costs its penalty per car and month (not cash), so a scenario
// whose capacity cannot keep it still gets a plan.
struct PlantStock {
  int plant = -1;
  double holding_cost_gbp_per_car_month = 0;
  double max_cars = std::numeric_limits<double>::infinity();  // over all variants, at a month's end
  double max_cars_per_variant = std::numeric_limits<double>::infinity();
  double safety_stock_cars = 0;  // over all variants, at every month's end
  double safety_stock_penalty_gbp_per_car_month = 0;
  std::vector<InitialStock> initial;
  bool operator==(const PlantStock&) const = default;
};

// What the plan values cars left at the horizon's end at: `none` and `cost`
// build nothing for sales after the horizon (stock left at a plant stays an
// asset at its cost, which the model never booked); `margin` also ships in
// the last months for the estimated demand just after the horizon (the same
// calendar month a year earlier), each car at its margin.
enum class HorizonEndValue : uint8_t { kNone, kCost, kMargin };

inline std::string_view ToString(HorizonEndValue value) {
  switch (value) {
    case HorizonEndValue::kCost:
      return "cost";
    case HorizonEndValue::kMargin:
      return "margin";
    case HorizonEndValue::kNone:
      break;
  }
  return "none";
}

inline std::optional<HorizonEndValue> ParseHorizonEndValue(std::string_view text) {
  if (text == "none") return HorizonEndValue::kNone;
  if (text == "cost") return HorizonEndValue::kCost;
  if (text == "margin") return HorizonEndValue::kMargin;
  return std::nullopt;
}

}  // namespace cobuild::model
