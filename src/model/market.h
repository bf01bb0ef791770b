// Where cars are sold and how they get there: markets, demand, supply routes,
// tariffs and local-content rules.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/powertrain.h"

namespace cobuild::model {

struct Market {
  std::string id;  // "UK", "EU", "CN", "ROW"
  std::string name;
  std::vector<std::string> countries;  // ISO alpha-2 codes inside the market; a plant there is local
  bool operator==(const Market&) const = default;
};

// Demand for every (variant, market, month), dense; units are cars.
struct DemandTable {
  int num_variants = 0;
  int num_markets = 0;
  int num_months = 0;
  std::vector<double> units;  // [(variant * num_markets + market) * num_months + month]

  double at(int variant, int market, int month) const { return units[Index(variant, market, month)]; }
  double& at(int variant, int market, int month) { return units[Index(variant, market, month)]; }
  void Resize(int variants, int markets, int months) {
    num_variants = variants;
    num_markets = markets;
    num_months = months;
    units.assign(static_cast<size_t>(variants) * markets * months, 0.0);
  }
  size_t Index(int variant, int market, int month) const {
    return (static_cast<size_t>(variant) * num_markets + market) * num_months + month;
  }
  bool operator==(const DemandTable&) const = default;
};

// A plant can supply a market only along a route.
struct Route {
  int plant = -1;
  int market = -1;
  double freight_cost_per_car_gbp = 0;
  int transit_days = 0;  // the months this takes follow the scenario's TransitRule
  bool operator==(const Route&) const = default;
};

// How a route's transit days become the months between building a car and
// selling it (docs/planning-model.md, "Transit in days").
enum class TransitRule : uint8_t {
  // t + ceil(days / 30): every car waits for a whole month more (a two-day
  // truck takes a month); the rule of scenarios that do not choose one.
  kWholeMonths,
  // t + floor((15 + days) / 30): a month's cars are built evenly over its
  // 30 days, so the average one leaves mid-month and sells in the month it
  // arrives (a two-day truck: the same month; 42 days at sea: the next).
  kMidMonth,
};

// The scenario file's names: "whole_months", "mid_month".
inline std::string_view ToString(TransitRule rule) {
  return rule == TransitRule::kMidMonth ? "mid_month" : "whole_months";
}
inline std::optional<TransitRule> ParseTransitRule(std::string_view text) {
  if (text == "mid_month") return TransitRule::kMidMonth;
  if (text == "whole_months") return TransitRule::kWholeMonths;
  return std::nullopt;
}

// Cars built before the horizon and already on their way (at sea, on
// trucks, in compounds) that arrive in `market` in horizon month `month`
// and serve its demand for `variant` there: the initial pipeline. They were
// built and paid for before the horizon, so they are in no plan's money.
struct PipelineArrival {
  int variant = -1;
  int market = -1;
  int month = -1;
  double units = 0;
  bool operator==(const PipelineArrival&) const = default;
};

// Import duty on cars from `origin_country` into `market`, as a share of the
// car's customs value (unit variable cost plus freight). An empty
// `powertrains` list means every powertrain; a more specific rule (one that
// names the powertrain) replaces a general one for the same origin and market.
// A rule holds for cars arriving in the market in horizon months
// first_month..last_month (-1: to the horizon's end); scenario files give
// rules for the whole horizon, a tariff-change event splits them at its month.
struct Tariff {
  std::string origin_country;
  int market = -1;
  std::vector<Powertrain> powertrains;
  double rate = 0;  // 0.10 = 10%
  int first_month = 0;
  int last_month = -1;
  bool HoldsIn(int month) const { return month >= first_month && (last_month < 0 || month <= last_month); }
  bool operator==(const Tariff&) const = default;
};

// A preferential trade rule: cars from `origin_country` into `market` pay
// `preferential_rate` instead of the Tariff when their local content in the
// origin country is at least `min_local_content` (rules of origin, such as
// the UK-EU trade agreement's).
struct LocalContentRule {
  std::string origin_country;
  int market = -1;
  std::vector<Powertrain> powertrains;  // empty = all
  double min_local_content = 0.55;
  double preferential_rate = 0;
  bool operator==(const LocalContentRule&) const = default;
};

// A host plant assembles a variant from kits (CKD/SKD) shipped from another
// plant (docs/planning-model.md, "Costs by plant and kits"): every car of
// `variant` built at `host_plant` costs the kit, its freight to the host,
// the duty on it into the host's market (the scenario's tariffs from
// `from_plant`'s country, on the kit's cost plus freight) and the local
// assembly cost; its local content in the host's country is the share of
// the value not in the kit, assembly / (kit + assembly).
struct Kit {
  int variant = -1;
  int host_plant = -1;
  int from_plant = -1;
  double kit_cost_gbp = 0;         // parts in the kit: its customs value with freight
  double freight_per_kit_gbp = 0;  // from the kit plant to the host
  double assembly_cost_gbp = 0;    // local parts, labour and energy at the host
  bool operator==(const Kit&) const = default;
};

}  // namespace cobuild::model
