#include "plan/economics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cobuild::plan {
namespace {

bool InMarket(const model::Market& market, const std::string& country) {
  return std::find(market.countries.begin(), market.countries.end(), country) != market.countries.end();
}

// Specificity of a rule for a powertrain: 2 names it, 1 is general, 0 no match.
int Specificity(const std::vector<model::Powertrain>& list, model::Powertrain p) {
  if (list.empty()) return 1;
  return std::find(list.begin(), list.end(), p) != list.end() ? 2 : 0;
}

}  // namespace

double DiscountFactor(const model::Scenario& scenario, int month) {
  const double rate = scenario.settings.discount_rate_per_year;
  if (rate == 0) return 1.0;
  return std::pow(1.0 + rate, -month / 12.0);
}

double MarginPerCar(const model::Scenario& scenario, const model::Route& route, int variant,
                    int arrival_month) {
  return PresentValue(scenario, TermsOf(scenario, route, variant, arrival_month));
}

double PresentValue(const model::Scenario& scenario, const UnitTerms& terms) {
  if (scenario.settings.discount_rate_per_year == 0) return terms.Margin();
  const double car_duty = terms.duty_gbp - terms.kit_duty_gbp;
  return (terms.price_gbp - car_duty) * DiscountFactor(scenario, terms.arrival_month) -
         (terms.variable_cost_gbp + terms.freight_gbp + terms.kit_duty_gbp) *
             DiscountFactor(scenario, terms.month);
}

double ShiftCostPerMonth(const model::Scenario& scenario, int line, int month) {
  const model::Line& l = scenario.lines[line];
  return l.fixed_cost_per_shift_gbp * scenario.plants[l.plant].calendar.working_days[month];
}

double ExtraShiftCostPerMonth(const model::Scenario& scenario, const Levers& levers, int line, int month) {
  return ShiftCostPerMonth(scenario, line, month) * (1 + levers.extra_shift_premium);
}

double WeekendDayCost(const model::Scenario& scenario, const Levers& levers, int line) {
  const model::Line& l = scenario.lines[line];
  return l.fixed_cost_per_shift_gbp * l.max_shifts_per_day * (1 + levers.weekend_premium);
}

double RetoolingCost(const model::Scenario& scenario, const model::Retooling& option, int month) {
  if (option.tooling_life_years <= 0) return option.cost_gbp;
  const int used = std::max(0, scenario.horizon.num_months - month - option.lead_time_months);
  return option.cost_gbp * std::min(1.0, used / (12.0 * option.tooling_life_years));
}

double ShiftAddedCost(const model::Scenario& scenario, int line) {
  const auto& rule = scenario.lines[line].shift_changes;
  return rule ? rule->added_cost_gbp : 0.0;
}

double ShiftRemovedCost(const model::Scenario& scenario, int line) {
  const auto& rule = scenario.lines[line].shift_changes;
  return rule ? rule->removed_cost_gbp : 0.0;
}

std::vector<LineShiftChanges> ShiftChangesOf(const model::Scenario& scenario,
                                             std::span<const ShiftEntry> shifts) {
  const int n = scenario.horizon.num_months;
  const int num_lines = static_cast<int>(scenario.lines.size());
  std::vector<int> count(static_cast<size_t>(num_lines) * n, 0);
  // Crews: regular shifts plus extra shifts (docs/planning-model.md, "Workforce").
  for (const ShiftEntry& e : shifts) {
    count[static_cast<size_t>(e.line) * n + e.month] = e.shifts_per_day + e.extra_shifts_per_day;
  }
  std::vector<LineShiftChanges> result(num_lines);
  for (int l = 0; l < num_lines; ++l) {
    LineShiftChanges& r = result[l];
    r.line = l;
    const model::Line& line = scenario.lines[l];
    int previous = -1;
    for (int t = 0; t < n; ++t) {
      if (scenario.plants[line.plant].calendar.working_days[t] <= 0) continue;
      const int now = count[static_cast<size_t>(l) * n + t];
      if (previous >= 0 && now != previous) {
        ++r.changes;
        double cost = 0;
        if (now > previous) {
          r.shifts_added += now - previous;
          cost = ShiftAddedCost(scenario, l) * (now - previous);
        } else {
          r.shifts_removed += previous - now;
          cost = ShiftRemovedCost(scenario, l) * (previous - now);
        }
        r.cost_gbp += cost;
        r.cost_pv_gbp += cost * DiscountFactor(scenario, t);
      }
      previous = now;
    }
  }
  return result;
}

double UnmetPenaltyPerCar(const model::Scenario& scenario) {
  return scenario.settings.unmet_penalty_gbp_per_car;
}

double ShortfallPenaltyPerCar(const model::Scenario& scenario) {
  return scenario.settings.unmet_penalty_gbp_per_car;
}

double BacklogCostPerCarMonth(const Levers& levers) { return levers.backlog.delay_cost_gbp_per_car_month; }

double StabilityPenaltyPerCar(const PlanRequest& request) { return request.stability_penalty_gbp_per_car; }

bool SellableArrival(const model::Scenario& scenario, int arrival_month) {
  const int n = scenario.horizon.num_months;
  if (arrival_month < n) return arrival_month >= 0;
  return scenario.settings.horizon_end_value == model::HorizonEndValue::kMargin &&
         arrival_month < n + kTailMonths;
}

double TailDemand(const model::Scenario& scenario, int variant, int market, int month) {
  int same = month;
  while (same >= scenario.horizon.num_months) same -= 12;
  return same < 0 ? 0.0 : scenario.demand.at(variant, market, same);
}

double HoldingCostPerCarMonth(const model::Scenario& scenario, int plant) {
  const model::PlantStock* stock = scenario.StockAt(plant);
  return stock == nullptr ? 0.0 : stock->holding_cost_gbp_per_car_month;
}

double SafetyStockPenaltyPerCarMonth(const model::Scenario& scenario, int plant) {
  const model::PlantStock* stock = scenario.StockAt(plant);
  return stock == nullptr ? 0.0 : stock->safety_stock_penalty_gbp_per_car_month;
}

double ShiftCost(const model::Scenario& scenario, const Levers& levers, const ShiftEntry& entry) {
  // Summed in this order so that the figure is the one the objective holds.
  return ShiftCostPerMonth(scenario, entry.line, entry.month) * entry.shifts_per_day +
         ExtraShiftCostPerMonth(scenario, levers, entry.line, entry.month) * entry.extra_shifts_per_day +
         WeekendDayCost(scenario, levers, entry.line) * entry.weekend_days;
}

double ShiftCapacity(const model::Scenario& scenario, const ShiftEntry& entry, double availability) {
  const model::Line& line = scenario.lines[entry.line];
  const double days = scenario.plants[line.plant].calendar.working_days[entry.month];
  const double per_shift = line.CarsPerShift() * availability;
  const double weekend = days > 0 ? per_shift * line.max_shifts_per_day * entry.weekend_days : 0.0;
  return per_shift * days * (entry.shifts_per_day + entry.extra_shifts_per_day) + weekend;
}

int TransitMonths(const model::Scenario& scenario, const model::Route& route) {
  if (route.transit_days <= 0) return 0;
  switch (scenario.settings.transit_rule) {
    case model::TransitRule::kMidMonth:
      return (15 + route.transit_days) / 30;
    case model::TransitRule::kWholeMonths:
      break;
  }
  return (route.transit_days + 29) / 30;
}

double DutyRate(const model::Scenario& scenario, int plant, int variant, int market, int arrival_month) {
  const std::string& country = scenario.plants[plant].country;
  if (InMarket(scenario.markets[market], country)) return 0;
  const model::Variant& v = scenario.variants[variant];
  const double local_share = LocalContentShare(scenario, plant, variant);
  int best = 0;
  double rate = 0;
  for (const auto& rule : scenario.local_content_rules) {
    if (rule.market != market || rule.origin_country != country) continue;
    const int spec = Specificity(rule.powertrains, v.powertrain);
    if (spec > best && local_share + 1e-12 >= rule.min_local_content) {
      best = spec;
      rate = rule.preferential_rate;
    }
  }
  if (best > 0) return rate;
  for (const auto& tariff : scenario.tariffs) {
    if (tariff.market != market || tariff.origin_country != country || !tariff.HoldsIn(arrival_month))
      continue;
    const int spec = Specificity(tariff.powertrains, v.powertrain);
    if (spec > best) {
      best = spec;
      rate = tariff.rate;
    }
  }
  return rate;
}

const model::Kit* KitFor(const model::Scenario& scenario, int plant, int variant) {
  for (const model::Kit& kit : scenario.kits) {
    if (kit.host_plant == plant && kit.variant == variant) return &kit;
  }
  return nullptr;
}

double LocalContentShare(const model::Scenario& scenario, int plant, int variant) {
  if (const model::Kit* kit = KitFor(scenario, plant, variant)) {
    const double value = kit->kit_cost_gbp + kit->assembly_cost_gbp;
    return value > 0 ? kit->assembly_cost_gbp / value : 0.0;
  }
  double share = 0;
  for (const auto& lc : scenario.variants[variant].local_content) {
    if (lc.country == scenario.plants[plant].country) share = lc.share;
  }
  return share;
}

namespace {

// Duty rate on parts from `origin_plant`'s country into the market holding
// `host_plant`'s country in `month`: 0 from inside that market (or where
// no market holds the host's country), else the most specific tariff.
// Rules of origin are for finished cars, so a kit never gets a
// preferential rate.
double KitDutyRate(const model::Scenario& scenario, int origin_plant, int host_plant, int variant,
                   int month) {
  const std::string& origin = scenario.plants[origin_plant].country;
  const std::string& host = scenario.plants[host_plant].country;
  for (size_t k = 0; k < scenario.markets.size(); ++k) {
    const model::Market& market = scenario.markets[k];
    if (!InMarket(market, host)) continue;
    if (InMarket(market, origin)) return 0;
    int best = 0;
    double rate = 0;
    for (const auto& tariff : scenario.tariffs) {
      if (tariff.market != static_cast<int>(k) || tariff.origin_country != origin || !tariff.HoldsIn(month))
        continue;
      const int spec = Specificity(tariff.powertrains, scenario.variants[variant].powertrain);
      if (spec > best) {
        best = spec;
        rate = tariff.rate;
      }
    }
    return rate;
  }
  return 0;
}

}  // namespace

PlantCostTerms CostAt(const model::Scenario& scenario, int plant, int variant, int month) {
  PlantCostTerms cost;
  if (const model::Kit* kit = KitFor(scenario, plant, variant)) {
    cost.from_kit = true;
    cost.variable_cost_gbp = kit->kit_cost_gbp + kit->assembly_cost_gbp;
    cost.kit_freight_gbp = kit->freight_per_kit_gbp;
    cost.kit_duty_gbp = KitDutyRate(scenario, kit->from_plant, plant, variant, month) *
                        (kit->kit_cost_gbp + kit->freight_per_kit_gbp);
    return cost;
  }
  const model::Variant& v = scenario.variants[variant];
  cost.variable_cost_gbp = v.unit_variable_cost_gbp;
  for (const model::PlantCost& pc : v.plant_costs) {
    if (pc.plant == plant) cost.variable_cost_gbp = pc.unit_variable_cost_gbp;
  }
  return cost;
}

UnitTerms TermsOf(const model::Scenario& scenario, const model::Route& route, int variant,
                  int arrival_month) {
  const model::Variant& v = scenario.variants[variant];
  UnitTerms terms;
  terms.arrival_month = arrival_month;
  terms.month = std::max(0, arrival_month - TransitMonths(scenario, route));
  const PlantCostTerms cost = CostAt(scenario, route.plant, variant, terms.month);
  terms.price_gbp = route.market < static_cast<int>(v.price_gbp.size()) ? v.price_gbp[route.market] : 0;
  terms.variable_cost_gbp = cost.variable_cost_gbp;
  terms.kit_freight_gbp = cost.kit_freight_gbp;
  terms.kit_duty_gbp = cost.kit_duty_gbp;
  terms.from_kit = cost.from_kit;
  terms.freight_gbp = route.freight_cost_per_car_gbp + cost.kit_freight_gbp;
  terms.duty_gbp = DutyRate(scenario, route.plant, variant, route.market, arrival_month) *
                       (cost.Landed() + route.freight_cost_per_car_gbp) +
                   cost.kit_duty_gbp;
  return terms;
}

RouteTable::RouteTable(const model::Scenario& scenario)
    : num_markets_(static_cast<int>(scenario.markets.size())),
      index_(scenario.plants.size() * scenario.markets.size(), -1) {
  for (size_t r = 0; r < scenario.routes.size(); ++r) {
    const auto& route = scenario.routes[r];
    int& slot = index_[route.plant * num_markets_ + route.market];
    if (slot >= 0) {
      const auto& best = scenario.routes[slot];
      if (route.freight_cost_per_car_gbp > best.freight_cost_per_car_gbp ||
          (route.freight_cost_per_car_gbp == best.freight_cost_per_car_gbp &&
           route.transit_days >= best.transit_days)) {
        continue;
      }
    }
    slot = static_cast<int>(r);
  }
}

bool ContractCovers(const model::Scenario& scenario, int contract, int plant, int variant, int year) {
  const model::Contract& c = scenario.contracts[contract];
  const int brand = scenario.models[scenario.variants[variant].model].brand;
  if (c.host != scenario.plants[plant].company || c.partner != scenario.brands[brand].company) return false;
  if (std::find(c.brands.begin(), c.brands.end(), brand) == c.brands.end()) return false;
  if (!c.plants.empty() && std::find(c.plants.begin(), c.plants.end(), plant) == c.plants.end()) {
    return false;
  }
  return (c.first_year == 0 || year >= c.first_year) && (c.last_year == 0 || year <= c.last_year);
}

bool MayBuild(const model::Scenario& scenario, int plant, int variant, int year) {
  if (scenario.VariantOwner(variant) == scenario.plants[plant].company) return true;
  for (size_t c = 0; c < scenario.contracts.size(); ++c) {
    if (ContractCovers(scenario, static_cast<int>(c), plant, variant, year)) return true;
  }
  return false;
}

double FeePerCar(const model::Scenario& scenario, int plant, int variant, int year) {
  double fee = 0;
  for (size_t c = 0; c < scenario.contracts.size(); ++c) {
    if (ContractCovers(scenario, static_cast<int>(c), plant, variant, year)) {
      fee += scenario.contracts[c].fee_per_car_gbp;
    }
  }
  return fee;
}

int ShiftsThatFitADay(const model::Line& line) {
  if (line.hours_per_shift <= 0) return 0;
  // A little slack so that shifts whose hours divide 24 exactly in decimal
  // (4.8 h) are not lost to binary rounding.
  return static_cast<int>(std::min(1000.0, std::floor(24.0 / line.hours_per_shift + 1e-9)));
}

int ExtraShiftsPerDay(const model::Scenario& scenario, const Levers& levers, int line) {
  if (levers.extra_shifts_per_day <= 0) return 0;
  const model::Line& l = scenario.lines[line];
  return std::clamp(ShiftsThatFitADay(l) - l.max_shifts_per_day, 0, levers.extra_shifts_per_day);
}

int WeekendDaysPerMonth(const model::Scenario& scenario, const Levers& levers, int line, int month) {
  if (levers.weekend_days_per_month <= 0) return 0;
  const double days = scenario.plants[scenario.lines[line].plant].calendar.working_days[month];
  if (days <= 0) return 0;
  const int weeks = static_cast<int>(std::lround(days / 5.0));
  return std::clamp(weeks, 0, levers.weekend_days_per_month);
}

YearLimits ContractLimits(const model::Scenario& scenario, int contract, int year) {
  const model::Contract& c = scenario.contracts[contract];
  YearLimits limits;
  if ((c.first_year != 0 && year < c.first_year) || (c.last_year != 0 && year > c.last_year)) {
    return limits;
  }
  int months = 0;
  for (int t = 0; t < scenario.horizon.num_months; ++t) {
    if (scenario.horizon.MonthAt(t).year == year) ++months;
  }
  if (months == 0) return limits;
  limits.covered = true;
  // Whole cars: the tolerance keeps an exact pro rata (12,000 over 7 months)
  // from rounding away from its integer value.
  limits.min_units = std::ceil(c.min_units_per_year * months / 12.0 - 1e-9);
  limits.max_units = c.max_units_per_year > 0 ? std::floor(c.max_units_per_year * months / 12.0 + 1e-9)
                                              : std::numeric_limits<double>::infinity();
  return limits;
}

bool LineBuildsToday(const model::Scenario& scenario, int line, int variant) {
  const model::Line& l = scenario.lines[line];
  const model::Variant& v = scenario.variants[variant];
  if (std::find(l.powertrains.begin(), l.powertrains.end(), v.powertrain) == l.powertrains.end()) {
    return false;
  }
  const int platform = scenario.models[v.model].platform;
  return std::find(l.platforms.begin(), l.platforms.end(), platform) != l.platforms.end();
}

const model::Retooling* RetoolingFor(const model::Scenario& scenario, int line, int variant) {
  const model::Line& l = scenario.lines[line];
  const model::Variant& v = scenario.variants[variant];
  if (std::find(l.powertrains.begin(), l.powertrains.end(), v.powertrain) == l.powertrains.end()) {
    return nullptr;
  }
  const int platform = scenario.models[v.model].platform;
  if (std::find(l.platforms.begin(), l.platforms.end(), platform) != l.platforms.end()) {
    return nullptr;
  }
  for (const auto& option : l.retooling) {
    if (option.platform == platform) return &option;
  }
  return nullptr;
}

}  // namespace cobuild::plan
