// Where cars are sold and how they get there: markets, demand, supply routes,
// tariffs and local-content rules.
#pragma once

#include <string>
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
  int transit_days = 0;  // a car built in month t sells in month t + ceil(transit_days / 30)
  bool operator==(const Route&) const = default;
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

}  // namespace cobuild::model
