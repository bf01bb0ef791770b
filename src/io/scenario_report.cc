#include "io/scenario_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "io/table.h"
#include "model/powertrain.h"

namespace cobuild::io {
namespace {

using model::Scenario;

// Clean numbers in JSON: a value within a millionth of a whole number is that
// whole number (products of rates and days leave 10000.000000000002), others
// keep four decimals.
nlohmann::json Clean(double v) {
  const double whole = std::round(v);
  if (std::abs(v - whole) <= 1e-6 * std::max(1.0, std::abs(v))) return static_cast<int64_t>(whole);
  return std::round(v * 1e4) / 1e4;
}

// Capacity in whole cars: the cars a line can finish, never a part of one.
int64_t WholeCars(double cars) { return static_cast<int64_t>(std::floor(cars + 1e-6 * std::max(1.0, cars))); }

std::string Join(const std::vector<std::string>& parts, std::string_view separator = ", ") {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += separator;
    out += parts[i];
  }
  return out;
}

std::vector<std::string> PlatformIds(const Scenario& s, const std::vector<int>& platforms) {
  std::vector<std::string> ids;
  for (int p : platforms) ids.push_back(s.platforms[static_cast<size_t>(p)].id);
  return ids;
}

std::vector<std::string> PowertrainNames(const std::vector<model::Powertrain>& list) {
  std::vector<std::string> names;
  for (auto p : list) names.emplace_back(model::ToString(p));
  return names;
}

// Demand in cars per (brand, market, year).
std::map<std::pair<int, int>, std::map<int, double>> DemandByBrandMarketYear(const Scenario& s) {
  std::map<std::pair<int, int>, std::map<int, double>> out;
  for (int v = 0; v < s.demand.num_variants; ++v) {
    const int brand = s.models[static_cast<size_t>(s.variants[static_cast<size_t>(v)].model)].brand;
    for (int m = 0; m < s.demand.num_markets; ++m) {
      for (int t = 0; t < s.demand.num_months; ++t) {
        const double units = s.demand.at(v, m, t);
        if (units > 0) out[{brand, m}][s.horizon.MonthAt(t).year] += units;
      }
    }
  }
  return out;
}

// Months of `year` inside the horizon (a partial year is marked in headers).
int MonthsInYear(const Scenario& s, int year) {
  int n = 0;
  for (int t = 0; t < s.horizon.num_months; ++t) n += s.horizon.MonthAt(t).year == year;
  return n;
}

std::string YearHeader(const Scenario& s, int year) {
  const int months = MonthsInYear(s, year);
  return months == 12 ? fmt::format("{}", year) : fmt::format("{} ({} mo)", year, months);
}

// The initial pipeline by arrival month and market: cars on their way at
// the horizon start, which serve demand before anything the plan builds.
std::string PipelineText(const Scenario& s) {
  std::map<std::pair<int, int>, double> by_month_market;
  double total = 0;
  for (const model::PipelineArrival& a : s.pipeline) {
    by_month_market[{a.month, a.market}] += a.units;
    total += a.units;
  }
  std::string out =
      fmt::format("\nInitial pipeline: {} cars on their way at the horizon start\n", FormatThousands(total));
  Table table({"arrives", "market", "cars"});
  table.SetAlign(2, Table::Align::kRight);
  for (const auto& [key, units] : by_month_market) {
    table.AddRow({model::ToString(s.horizon.MonthAt(key.first)),
                  s.markets[static_cast<size_t>(key.second)].id, FormatThousands(units)});
  }
  return out + table.Render();
}

// Money over time and the plants' own costs (docs/planning-model.md,
// "Costs by plant and kits" and "Present value and tooling life").
std::string CostsText(const Scenario& s) {
  int lives = 0;
  for (const model::Line& line : s.lines) {
    for (const model::Retooling& r : line.retooling) lives += r.tooling_life_years > 0;
  }
  int plant_costs = 0;
  for (const model::Variant& v : s.variants) plant_costs += static_cast<int>(v.plant_costs.size());
  std::string out =
      s.settings.discount_rate_per_year > 0
          ? fmt::format("Money: present value at {} a year to {}",
                        FormatPercent(s.settings.discount_rate_per_year), model::ToString(s.horizon.first))
          : std::string("Money: nominal (no discount rate)");
  out += fmt::format("; {} retooling options with a tooling life; {} plant costs; {} kits\n", lives,
                     plant_costs, s.kits.size());
  for (const model::Kit& k : s.kits) {
    out += fmt::format("  kit: {} at {} from {} (kit {}, freight {}, assembly {} GBP)\n",
                       s.variants[static_cast<size_t>(k.variant)].id,
                       s.plants[static_cast<size_t>(k.host_plant)].id,
                       s.plants[static_cast<size_t>(k.from_plant)].id, FormatThousands(k.kit_cost_gbp),
                       FormatThousands(k.freight_per_kit_gbp), FormatThousands(k.assembly_cost_gbp));
  }
  return out;
}

}  // namespace

std::string ScenarioCounts(const Scenario& s) {
  auto count = [](size_t n, std::string_view noun) {
    return fmt::format("{} {}{}", n, noun, n == 1 ? "" : (noun.ends_with("y") ? "" : "s"));
  };
  return fmt::format("{}, {}, {}, {}, {}, {}, {}, {} months from {}",
                     count(s.companies.size(), s.companies.size() == 1 ? "company" : "companie"),
                     count(s.brands.size(), "brand"), count(s.plants.size(), "plant"),
                     count(s.lines.size(), "line"), count(s.models.size(), "model"),
                     count(s.variants.size(), "variant"), count(s.markets.size(), "market"),
                     s.horizon.num_months, model::ToString(s.horizon.first));
}

std::string ScenarioInfoText(const Scenario& s) {
  const std::vector<int> years = s.horizon.Years();
  std::string out = fmt::format("Scenario {}: {}\n", s.name, ScenarioCounts(s));
  if (!s.description.empty()) out += s.description + "\n";

  out += "\nPlants and lines (capacity in cars at the maximum shifts, after shutdowns)\n";
  std::vector<std::string> header = {"plant",       "line",       "company",   "platforms",
                                     "powertrains", "cars/shift", "shifts/day"};
  for (int y : years) header.push_back(YearHeader(s, y));
  Table lines(header);
  for (size_t c = 5; c < header.size(); ++c) lines.SetAlign(static_cast<int>(c), Table::Align::kRight);
  for (size_t p = 0; p < s.plants.size(); ++p) {
    const model::Plant& plant = s.plants[p];
    std::vector<double> plant_total(years.size(), 0.0);
    int plant_lines = 0;
    for (size_t l = 0; l < s.lines.size(); ++l) {
      const model::Line& line = s.lines[l];
      if (line.plant != static_cast<int>(p)) continue;
      ++plant_lines;
      std::vector<std::string> platforms = PlatformIds(s, line.platforms);
      for (const auto& r : line.retooling) {
        platforms.push_back(s.platforms[static_cast<size_t>(r.platform)].id + "*");
      }
      std::vector<std::string> row = {plant.id,
                                      line.id,
                                      s.companies[static_cast<size_t>(plant.company)].id,
                                      Join(platforms),
                                      Join(PowertrainNames(line.powertrains)),
                                      fmt::format("{:.0f}", line.CarsPerShift()),
                                      fmt::format("{}", line.max_shifts_per_day)};
      for (size_t y = 0; y < years.size(); ++y) {
        const double cars = s.MaxLineCarsInYear(static_cast<int>(l), years[y]);
        plant_total[y] += cars;
        row.push_back(FormatThousands(cars));
      }
      lines.AddRow(std::move(row));
    }
    if (plant_lines > 1) {
      std::vector<std::string> row = {plant.id, "(plant total)", "", "", "", "", ""};
      for (double cars : plant_total) row.push_back(FormatThousands(cars));
      lines.AddRow(std::move(row));
    }
    if (p + 1 < s.plants.size()) lines.AddRule();
  }
  out += lines.Render();
  out += "* = the line can be retooled for this platform\n";

  out += "\nModels by brand and powertrain\n";
  Table models({"brand", "company", "model", "platform", "variants"});
  for (size_t b = 0; b < s.brands.size(); ++b) {
    for (size_t m = 0; m < s.models.size(); ++m) {
      const model::VehicleModel& vm = s.models[m];
      if (vm.brand != static_cast<int>(b)) continue;
      std::vector<std::string> variants;
      for (const model::Variant& v : s.variants) {
        if (v.model == static_cast<int>(m)) {
          variants.push_back(fmt::format("{} ({})", v.id, model::ToString(v.powertrain)));
        }
      }
      models.AddRow({s.brands[b].id, s.companies[static_cast<size_t>(s.brands[b].company)].id, vm.id,
                     s.platforms[static_cast<size_t>(vm.platform)].id, Join(variants)});
    }
  }
  out += models.Render();

  out += "\nDemand by brand and market (cars per year)\n";
  header = {"brand", "market"};
  for (int y : years) header.push_back(YearHeader(s, y));
  Table demand(header);
  for (size_t c = 2; c < header.size(); ++c) demand.SetAlign(static_cast<int>(c), Table::Align::kRight);
  const auto by_brand = DemandByBrandMarketYear(s);
  std::map<int, double> total;
  for (const auto& [key, per_year] : by_brand) {
    std::vector<std::string> row = {s.brands[static_cast<size_t>(key.first)].id,
                                    s.markets[static_cast<size_t>(key.second)].id};
    for (int y : years) {
      auto it = per_year.find(y);
      const double units = it == per_year.end() ? 0 : it->second;
      total[y] += units;
      row.push_back(FormatThousands(units));
    }
    demand.AddRow(std::move(row));
  }
  demand.AddRule();
  std::vector<std::string> row = {"total", ""};
  for (int y : years) row.push_back(FormatThousands(total[y]));
  demand.AddRow(std::move(row));
  out += demand.Render();
  out += fmt::format("\nTransit: {} ({})\n", model::ToString(s.settings.transit_rule),
                     s.settings.transit_rule == model::TransitRule::kMidMonth
                         ? "a month's cars sell in the month its average car arrives"
                         : "transit days rounded up to whole months");
  if (!s.pipeline.empty()) out += PipelineText(s);
  out += '\n';
  out += CostsText(s);
  return out;
}

nlohmann::json ScenarioInfoJson(const Scenario& s) {
  using nlohmann::json;
  const std::vector<int> years = s.horizon.Years();
  json out;
  out["name"] = s.name;
  out["description"] = s.description;
  out["horizon"] = {{"start", model::ToString(s.horizon.first)}, {"months", s.horizon.num_months}};
  out["transit_rule"] = model::ToString(s.settings.transit_rule);
  out["discount_rate_per_year"] = s.settings.discount_rate_per_year;
  out["kits"] = json::array();
  for (const model::Kit& k : s.kits) {
    out["kits"].push_back({{"variant", s.variants[static_cast<size_t>(k.variant)].id},
                           {"host_plant", s.plants[static_cast<size_t>(k.host_plant)].id},
                           {"from_plant", s.plants[static_cast<size_t>(k.from_plant)].id},
                           {"kit_cost_gbp", Clean(k.kit_cost_gbp)},
                           {"freight_per_kit_gbp", Clean(k.freight_per_kit_gbp)},
                           {"assembly_cost_gbp", Clean(k.assembly_cost_gbp)}});
  }
  out["pipeline"] = json::array();
  for (const model::PipelineArrival& a : s.pipeline) {
    out["pipeline"].push_back({{"variant", s.variants[static_cast<size_t>(a.variant)].id},
                               {"market", s.markets[static_cast<size_t>(a.market)].id},
                               {"month", model::ToString(s.horizon.MonthAt(a.month))},
                               {"units", Clean(a.units)}});
  }
  out["plants"] = json::array();
  for (size_t p = 0; p < s.plants.size(); ++p) {
    const model::Plant& plant = s.plants[p];
    json jp = {{"id", plant.id},
               {"name", plant.name},
               {"company", s.companies[static_cast<size_t>(plant.company)].id},
               {"country", plant.country},
               {"lines", json::array()}};
    json plant_capacity = json::object();
    for (size_t l = 0; l < s.lines.size(); ++l) {
      const model::Line& line = s.lines[l];
      if (line.plant != static_cast<int>(p)) continue;
      json capacity = json::object();
      for (int y : years) {
        const int64_t cars = WholeCars(s.MaxLineCarsInYear(static_cast<int>(l), y));
        capacity[std::to_string(y)] = cars;
        plant_capacity[std::to_string(y)] = plant_capacity.value(std::to_string(y), int64_t{0}) + cars;
      }
      json retooling = json::array();
      for (const auto& r : line.retooling) {
        retooling.push_back({{"platform", s.platforms[static_cast<size_t>(r.platform)].id},
                             {"cost_gbp", Clean(r.cost_gbp)},
                             {"lead_time_months", r.lead_time_months}});
      }
      jp["lines"].push_back({{"id", line.id},
                             {"name", line.name},
                             {"platforms", PlatformIds(s, line.platforms)},
                             {"powertrains", PowertrainNames(line.powertrains)},
                             {"cars_per_shift", Clean(line.CarsPerShift())},
                             {"max_shifts_per_day", line.max_shifts_per_day},
                             {"retooling", retooling},
                             {"capacity_cars_per_year", capacity}});
    }
    jp["capacity_cars_per_year"] = plant_capacity;
    out["plants"].push_back(std::move(jp));
  }
  out["models"] = json::array();
  for (size_t m = 0; m < s.models.size(); ++m) {
    const model::VehicleModel& vm = s.models[m];
    json variants = json::array();
    for (const model::Variant& v : s.variants) {
      if (v.model == static_cast<int>(m)) {
        variants.push_back({{"id", v.id}, {"powertrain", model::ToString(v.powertrain)}});
      }
    }
    const model::Brand& brand = s.brands[static_cast<size_t>(vm.brand)];
    out["models"].push_back({{"id", vm.id},
                             {"name", vm.name},
                             {"brand", brand.id},
                             {"company", s.companies[static_cast<size_t>(brand.company)].id},
                             {"platform", s.platforms[static_cast<size_t>(vm.platform)].id},
                             {"variants", variants}});
  }
  out["demand"] = json::array();
  for (const auto& [key, per_year] : DemandByBrandMarketYear(s)) {
    json units = json::object();
    for (const auto& [year, value] : per_year) units[std::to_string(year)] = Clean(value);
    out["demand"].push_back({{"brand", s.brands[static_cast<size_t>(key.first)].id},
                             {"market", s.markets[static_cast<size_t>(key.second)].id},
                             {"units_per_year", units}});
  }
  return out;
}

}  // namespace cobuild::io
