// markets, models with their variants, demand_profile and demand of a
// scenario file; see io/scenario_sections.h.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "io/scenario_sections.h"

namespace cobuild::io::scenario_sections {
namespace {

using model::Powertrain;

class ProductsReader : public SectionReader {
 public:
  using SectionReader::SectionReader;

  void ParseMarkets(const YAML::Node& root) {
    std::set<std::string> seen;
    std::map<std::string, std::string> country_market;
    f_.ForEachItem(
        root, "markets", "", Required::kYes, [&](const YAML::Node& n, const std::string& p, size_t) {
          d_.CheckKeys(n, p, {"id", "name", "countries", COBUILD_PROVENANCE_KEYS});
          f_.Provenance(n, p);
          model::Market m;
          m.id = f_.Id(n, p, seen);
          m.name = d_.String(n, "name", p, Required::kNo).value_or(m.id);
          auto countries = d_.StringList(n, "countries", p, Required::kNo);
          if (countries) {
            for (size_t i = 0; i < countries->size(); ++i) {
              const std::string& code = (*countries)[i];
              const std::string cp = PathIndex(PathKey(p, "countries"), i);
              if (!IsCountryCode(code)) {
                d_.Error(n["countries"][i], cp,
                         fmt::format("expected an ISO 3166 two-letter country code, got \"{}\"", code));
              } else if (auto [it, fresh] = country_market.emplace(code, m.id); !fresh) {
                d_.Error(n["countries"][i], cp,
                         fmt::format("country {} is already in market \"{}\"", code, it->second));
              }
            }
            m.countries = *countries;
          }
          s_.markets.push_back(std::move(m));
        });
  }

  void ParseModels(const YAML::Node& root) {
    std::set<std::string> seen_models;
    std::set<std::string> seen_variants;
    f_.ForEachItem(
        root, "models", "", Required::kYes, [&](const YAML::Node& n, const std::string& p, size_t) {
          d_.CheckKeys(n, p, {"id", "name", "brand", "platform", "variants", COBUILD_PROVENANCE_KEYS});
          f_.Provenance(n, p);
          model::VehicleModel vm;
          vm.id = f_.Id(n, p, seen_models);
          vm.name = d_.String(n, "name", p, Required::kNo).value_or(vm.id);
          vm.brand = f_.RefField(n, "brand", p, "brand", s_.brands, Required::kYes);
          vm.platform = f_.RefField(n, "platform", p, "platform", s_.platforms, Required::kYes);
          const int model_index = static_cast<int>(s_.models.size());
          s_.models.push_back(std::move(vm));
          auto list = d_.Field(n, "variants", p, Required::kYes);
          if (!list) return;
          const std::string list_path = PathKey(p, "variants");
          if (!d_.ExpectSeq(*list, list_path)) return;
          if (list->size() == 0) d_.Error(*list, list_path, "a model needs at least one variant");
          for (size_t i = 0; i < list->size(); ++i) {
            const YAML::Node item = (*list)[i];
            const std::string ip = PathIndex(list_path, i);
            if (!d_.ExpectMap(item, ip)) continue;
            ParseVariant(item, ip, model_index, seen_variants);
          }
        });
  }

  void ParseVariant(const YAML::Node& n, const std::string& p, int model_index, std::set<std::string>& seen) {
    d_.CheckKeys(n, p,
                 {"id", "name", "powertrain", "options", "paint", "unit_variable_cost_gbp", "price_gbp",
                  "local_content", "plant_costs", "launch", COBUILD_PROVENANCE_KEYS});
    f_.Provenance(n, p);
    model::Variant v;
    v.id = f_.Id(n, p, seen);
    v.name = d_.String(n, "name", p, Required::kNo).value_or(v.id);
    v.model = model_index;
    if (auto node = d_.Field(n, "powertrain", p, Required::kYes)) {
      v.powertrain = f_.PowertrainOf(*node, PathKey(p, "powertrain")).value_or(Powertrain::kIce);
    }
    for (auto& [name, share] : f_.NumberMap(n, "options", p, NumberRule::Share())) {
      v.options.push_back({.option = name, .share = share});
    }
    double paint_total = 0;
    for (auto& [name, share] : f_.NumberMap(n, "paint", p, NumberRule::Share())) {
      v.paint.push_back({.colour = name, .share = share});
      paint_total += share;
    }
    if (!v.paint.empty() && std::abs(paint_total - 1.0) > 1e-6) {
      d_.Error(n["paint"], PathKey(p, "paint"),
               fmt::format("colour shares must sum to 1, got {:g}", paint_total));
    }
    v.unit_variable_cost_gbp =
        d_.Number(n, "unit_variable_cost_gbp", p, Required::kYes, NumberRule::Between(0, kMaxMoney))
            .value_or(0);
    v.price_gbp.assign(s_.markets.size(), 0.0);
    if (auto prices = d_.Field(n, "price_gbp", p, Required::kYes)) {
      const std::string pp = PathKey(p, "price_gbp");
      if (d_.ExpectMap(*prices, pp)) {
        std::set<int> seen_markets;
        for (const auto& entry : *prices) {
          const int market = f_.Ref(entry.first, pp, "market", s_.markets);
          const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "?";
          auto price = d_.AsNumber(entry.second, PathKey(pp, key), NumberRule::Between(0, kMaxMoney));
          if (market < 0 || !price) continue;
          if (!seen_markets.insert(market).second) {
            d_.Error(entry.first, PathKey(pp, key), "market listed twice");
            continue;
          }
          v.price_gbp[static_cast<size_t>(market)] = *price;
        }
      }
    }
    for (auto& [country, share] : f_.NumberMap(n, "local_content", p, NumberRule::Share())) {
      if (!IsCountryCode(country)) {
        d_.Error(n["local_content"], PathKey(PathKey(p, "local_content"), country),
                 fmt::format("expected an ISO 3166 two-letter country code, got \"{}\"", country));
      }
      v.local_content.push_back({.country = country, .share = share});
    }
    ParsePlantCosts(n, p, v);
    ParseLaunch(n, p, v);
    s_.variants.push_back(std::move(v));
  }

  // plant_costs: the variant's variable cost at plants where it differs
  // from unit_variable_cost_gbp (docs/scenario-format.md, "Costs by plant").
  void ParsePlantCosts(const YAML::Node& n, const std::string& p, model::Variant& v) {
    f_.ForEachItem(
        n, "plant_costs", p, Required::kNo, [&](const YAML::Node& item, const std::string& ip, size_t) {
          d_.CheckKeys(item, ip, {"plant", "unit_variable_cost_gbp", COBUILD_PROVENANCE_KEYS});
          f_.Provenance(item, ip);
          model::PlantCost cost;
          cost.plant = f_.RefField(item, "plant", ip, "plant", s_.plants, Required::kYes);
          cost.unit_variable_cost_gbp =
              d_.Number(item, "unit_variable_cost_gbp", ip, Required::kYes, NumberRule::Between(0, kMaxMoney))
                  .value_or(0);
          if (cost.plant < 0) return;
          for (const model::PlantCost& other : v.plant_costs) {
            if (other.plant == cost.plant) {
              d_.Error(
                  item["plant"], PathKey(ip, "plant"),
                  fmt::format("plant \"{}\" listed twice", s_.plants[static_cast<size_t>(cost.plant)].id));
              return;
            }
          }
          v.plant_costs.push_back(cost);
        });
  }

  // `launch: {month: YYYY-MM, ramp_up: [...]}`: the first month the variant
  // is built (any month: one before the horizon leaves only the rest of its
  // ramp, one after it means the variant is never built here) and its
  // ramp-up (docs/planning-model.md, "Retooling downtime and ramp-up").
  void ParseLaunch(const YAML::Node& n, const std::string& p, model::Variant& v) {
    auto node = d_.Field(n, "launch", p, Required::kNo);
    if (!node) return;
    const std::string lp = PathKey(p, "launch");
    if (!d_.ExpectMap(*node, lp)) return;
    d_.CheckKeys(*node, lp, {"month", "ramp_up", COBUILD_PROVENANCE_KEYS});
    f_.Provenance(*node, lp);
    auto month_node = d_.Field(*node, "month", lp, Required::kYes);
    auto month = month_node ? f_.Month(*month_node, PathKey(lp, "month")) : std::nullopt;
    v.launch_ramp_up = f_.RampUp(*node, "ramp_up", lp);
    if (!month) return;
    v.has_launch = true;
    v.launch_month = model::MonthsBetween(s_.horizon.first, *month);
  }

  // Monthly weights by calendar month; an empty optional means none given.
  std::optional<std::array<double, 12>> Profile(const YAML::Node& map, std::string_view key,
                                                std::string_view path) {
    auto node = d_.Field(map, key, path, Required::kNo);
    if (!node) return std::nullopt;
    const std::string pp = PathKey(path, key);
    if (!d_.ExpectSeq(*node, pp)) return std::nullopt;
    if (node->size() != 12) {
      d_.Error(*node, pp, fmt::format("expected 12 weights (January to December), got {}", node->size()));
      return std::nullopt;
    }
    std::array<double, 12> weights{};
    double total = 0;
    for (size_t m = 0; m < 12; ++m) {
      weights[m] = d_.AsNumber((*node)[m], PathIndex(pp, m), NumberRule::Between(0, 1e6)).value_or(0);
      total += weights[m];
    }
    if (total <= 0) {
      d_.Error(*node, pp, "weights must not all be 0");
      return std::nullopt;
    }
    for (double& w : weights) w /= total;
    return weights;
  }

  // Demand is whole cars: a year's months spread by a profile are rounded by
  // the largest remainder, so each month is whole and the year's months add
  // up to the yearly figure (rounded, for a year the horizon covers in part).
  void SpreadInWholeCars(int year, std::vector<double>& units) const {
    std::vector<int> months;
    double total = 0;
    for (int t = 0; t < s_.horizon.num_months; ++t) {
      if (s_.horizon.MonthAt(t).year != year) continue;
      months.push_back(t);
      total += units[static_cast<size_t>(t)];
    }
    double floors = 0;
    for (int t : months) floors += std::floor(units[static_cast<size_t>(t)] + 1e-9);
    auto remainder = [&](int t) {
      const double u = units[static_cast<size_t>(t)];
      return u - std::floor(u + 1e-9);
    };
    std::vector<int> order = months;
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return remainder(a) > remainder(b); });
    int extra = static_cast<int>(std::llround(total) - std::llround(floors));
    for (int t : months) units[static_cast<size_t>(t)] = std::floor(units[static_cast<size_t>(t)] + 1e-9);
    for (size_t i = 0; i < order.size() && extra > 0; ++i, --extra) units[static_cast<size_t>(order[i])] += 1;
  }

  void ParseDemand(const YAML::Node& root) {
    std::array<double, 12> default_profile;
    default_profile.fill(1.0 / 12);
    if (auto profile = Profile(root, "demand_profile", "")) default_profile = *profile;
    s_.demand.Resize(static_cast<int>(s_.variants.size()), static_cast<int>(s_.markets.size()),
                     s_.horizon.num_months);
    const std::vector<int> years = s_.horizon.Years();
    std::set<std::pair<int, int>> seen;
    f_.ForEachItem(
        root, "demand", "", Required::kYes, [&](const YAML::Node& n, const std::string& p, size_t) {
          d_.CheckKeys(
              n, p,
              {"variant", "market", "units_per_year", "units_per_month", "profile", COBUILD_PROVENANCE_KEYS});
          f_.Provenance(n, p);
          const int v = f_.RefField(n, "variant", p, "variant", s_.variants, Required::kYes);
          const int m = f_.RefField(n, "market", p, "market", s_.markets, Required::kYes);
          if (v >= 0 && m >= 0 && !seen.insert({v, m}).second) {
            d_.Error(
                n, p,
                fmt::format("demand for variant \"{}\" in market \"{}\" is listed twice",
                            s_.variants[static_cast<size_t>(v)].id, s_.markets[static_cast<size_t>(m)].id));
          }
          const auto profile = Profile(n, "profile", p).value_or(default_profile);
          const YAML::Node per_year = n["units_per_year"];
          const YAML::Node per_month = n["units_per_month"];
          if (per_year.IsDefined() == per_month.IsDefined()) {
            d_.Error(n, p, "give exactly one of units_per_year and units_per_month");
            return;
          }
          std::vector<double> units(static_cast<size_t>(s_.horizon.num_months), 0.0);
          if (per_year.IsDefined()) {
            const std::string yp = PathKey(p, "units_per_year");
            std::map<int, double> by_year;
            if (per_year.IsScalar()) {
              auto value = d_.AsNumber(per_year, yp, NumberRule::Between(0, kMaxUnits));
              if (!value) return;
              for (int y : years) by_year[y] = *value;
            } else if (per_year.IsMap()) {
              for (const auto& entry : per_year) {
                auto year = d_.AsInteger(entry.first, yp, NumberRule::Between(1900, 2200));
                if (!year) continue;
                auto value = d_.AsNumber(entry.second, PathKey(yp, entry.first.Scalar()),
                                         NumberRule::Between(0, kMaxUnits));
                if (!value) continue;
                if (std::find(years.begin(), years.end(), *year) == years.end()) {
                  d_.Error(entry.first, PathKey(yp, entry.first.Scalar()),
                           fmt::format("year {} is outside the horizon ({} to {})", *year, years.front(),
                                       years.back()));
                  continue;
                }
                if (!by_year.emplace(*year, *value).second) {
                  d_.Error(entry.first, PathKey(yp, entry.first.Scalar()), "year listed twice");
                }
              }
            } else {
              d_.Error(per_year, yp,
                       "expected a number or a mapping from year to units, got " + DescribeNode(per_year));
              return;
            }
            for (int t = 0; t < s_.horizon.num_months; ++t) {
              const model::YearMonth ym = s_.horizon.MonthAt(t);
              auto it = by_year.find(ym.year);
              if (it != by_year.end()) {
                units[static_cast<size_t>(t)] = it->second * profile[static_cast<size_t>(ym.month - 1)];
              }
            }
            for (int year : years) SpreadInWholeCars(year, units);
          } else {
            const std::string mp = PathKey(p, "units_per_month");
            if (!d_.ExpectMap(per_month, mp)) return;
            std::set<int> months;
            for (const auto& entry : per_month) {
              const int t = f_.HorizonMonth(s_.horizon, entry.first, mp);
              auto value =
                  d_.AsNumber(entry.second, PathKey(mp, entry.first.IsScalar() ? entry.first.Scalar() : "?"),
                              NumberRule::Between(0, kMaxUnits));
              if (t < 0 || !value) continue;
              if (!months.insert(t).second) {
                d_.Error(entry.first, mp, "month listed twice");
                continue;
              }
              units[static_cast<size_t>(t)] = *value;
            }
          }
          if (v < 0 || m < 0) return;
          double total = 0;
          for (int t = 0; t < s_.horizon.num_months; ++t) {
            s_.demand.at(v, m, t) = units[static_cast<size_t>(t)];
            total += units[static_cast<size_t>(t)];
          }
          if (total > 0 && s_.variants[static_cast<size_t>(v)].price_gbp[static_cast<size_t>(m)] <= 0) {
            d_.Error(
                n, p,
                fmt::format("variant \"{}\" has demand in market \"{}\" but no price_gbp there",
                            s_.variants[static_cast<size_t>(v)].id, s_.markets[static_cast<size_t>(m)].id));
          }
        });
  }
};

}  // namespace

void ReadMarkets(FieldReader& fields, const YAML::Node& root, model::Scenario& scenario) {
  ProductsReader(fields, scenario).ParseMarkets(root);
}

void ReadModels(FieldReader& fields, const YAML::Node& root, model::Scenario& scenario) {
  ProductsReader(fields, scenario).ParseModels(root);
}

void ReadDemand(FieldReader& fields, const YAML::Node& root, model::Scenario& scenario) {
  ProductsReader(fields, scenario).ParseDemand(root);
}

}  // namespace cobuild::io::scenario_sections
