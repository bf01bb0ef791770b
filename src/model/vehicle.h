// What is built: vehicle models (brand, platform) and their variants
// (powertrain, options, paint, cost and price per market).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/powertrain.h"

namespace cobuild::model {

struct VehicleModel {
  std::string id;
  std::string name;
  int brand = -1;
  int platform = -1;
  bool operator==(const VehicleModel&) const = default;
};

// An option a variant carries, with its take rate: the share of the
// variant's cars that have it (1.0 for a flag every car has, such as a BEV's
// battery pack at the marriage station).
struct OptionShare {
  std::string option;
  double share = 1.0;  // [0, 1]
  bool operator==(const OptionShare&) const = default;
};

struct PaintShare {
  std::string colour;
  double share = 0;  // [0, 1]; a variant's shares sum to 1
  bool operator==(const PaintShare&) const = default;
};

// Local content of a variant when built in a country (share of value added
// there), for rules of origin.
struct LocalContent {
  std::string country;
  double share = 0;  // [0, 1]
  bool operator==(const LocalContent&) const = default;
};

// A variable cost of a variant at one plant (its labour, energy and
// overhead differ from plant to plant), in place of the variant's own
// `unit_variable_cost_gbp` for cars built there.
struct PlantCost {
  int plant = -1;
  double unit_variable_cost_gbp = 0;
  bool operator==(const PlantCost&) const = default;
};

struct Variant {
  std::string id;  // unique across the scenario
  std::string name;
  int model = -1;
  Powertrain powertrain = Powertrain::kIce;
  std::vector<OptionShare> options;
  std::vector<PaintShare> paint;
  double unit_variable_cost_gbp = 0;  // parts, materials and direct labour per car
  std::vector<double> price_gbp;      // per market; 0 = not sold there
  std::vector<LocalContent> local_content;
  // Plants where a car costs other than `unit_variable_cost_gbp`; a plant
  // not listed builds at that default (docs/planning-model.md, "Costs by
  // plant and kits").
  std::vector<PlantCost> plant_costs;
  // Launch (optional): no car is built before `launch_month` (a horizon
  // month index, negative when the launch precedes the horizon; ignored
  // without `has_launch`); in the months from it each line's cars of the
  // variant are at most `launch_ramp_up[j]` of the line's regular capacity.
  bool has_launch = false;
  int launch_month = 0;
  std::vector<double> launch_ramp_up;
  bool operator==(const Variant&) const = default;

  // The share of this variant's cars that carry `option` (0 if not listed).
  double OptionShareOf(std::string_view option) const {
    for (const auto& o : options) {
      if (o.option == option) return o.share;
    }
    return 0;
  }
};

}  // namespace cobuild::model
