// The `stock:` block of each plant (finished-goods stock); see
// io/scenario_sections.h and docs/scenario-format.md, "Finished-goods stock".
#include <fmt/format.h>

#include <cmath>
#include <set>
#include <string>

#include "io/scenario_sections.h"

namespace cobuild::io::scenario_sections {
namespace {

class StockReader : public SectionReader {
 public:
  using SectionReader::SectionReader;

  void ParseStock(const YAML::Node& root) {
    f_.ForEachItem(root, "plants", "", Required::kNo, [&](const YAML::Node& n, const std::string& p, size_t) {
      auto node = d_.Field(n, "stock", p, Required::kNo);
      if (!node) return;
      const std::string path = PathKey(p, "stock");
      if (!d_.ExpectMap(*node, path)) return;
      const auto id = d_.String(n, "id", p, Required::kNo);
      const int plant = id ? s_.FindPlant(*id) : -1;
      if (plant < 0) return;  // the plants reader reports the plant itself
      ParseBlock(*node, path, plant);
    });
  }

 private:
  void ParseBlock(const YAML::Node& n, const std::string& p, int plant) {
    d_.CheckKeys(n, p,
                 {"holding_cost_gbp_per_car_month", "max_cars", "max_cars_per_variant", "safety_stock_cars",
                  "safety_stock_penalty_gbp_per_car_month", "initial", COBUILD_PROVENANCE_KEYS});
    f_.Provenance(n, p);
    model::PlantStock stock;
    stock.plant = plant;
    stock.holding_cost_gbp_per_car_month =
        d_.Number(n, "holding_cost_gbp_per_car_month", p, Required::kYes, NumberRule::Between(0, kMaxMoney))
            .value_or(0);
    const NumberRule cars = {.min = 0, .max = kMaxUnits};
    if (auto v = WholeCars(n, "max_cars", p, cars)) stock.max_cars = *v;
    if (auto v = WholeCars(n, "max_cars_per_variant", p, cars)) stock.max_cars_per_variant = *v;
    if (auto v = WholeCars(n, "safety_stock_cars", p, cars)) stock.safety_stock_cars = *v;
    const auto penalty = d_.Number(n, "safety_stock_penalty_gbp_per_car_month", p, Required::kNo,
                                   NumberRule::Between(0, kMaxMoney));
    if (penalty) stock.safety_stock_penalty_gbp_per_car_month = *penalty;
    if (stock.safety_stock_cars > 0 && !penalty) {
      d_.Error(n, PathKey(p, "safety_stock_penalty_gbp_per_car_month"),
               "a safety stock needs its penalty per car and month short (the safety stock is soft)");
    }
    if (stock.safety_stock_cars > stock.max_cars) {
      d_.Error(n["safety_stock_cars"], PathKey(p, "safety_stock_cars"),
               fmt::format("must not exceed max_cars ({}), got {}", stock.max_cars, stock.safety_stock_cars));
    }
    std::set<int> seen;
    double total = 0;
    f_.ForEachItem(
        n, "initial", p, Required::kNo, [&](const YAML::Node& item, const std::string& ip, size_t) {
          d_.CheckKeys(item, ip, {"variant", "units", COBUILD_PROVENANCE_KEYS});
          f_.Provenance(item, ip);
          model::InitialStock initial;
          initial.variant = f_.RefField(item, "variant", ip, "variant", s_.variants, Required::kYes);
          initial.units = WholeCars(item, "units", ip, {.min = 0, .max = kMaxUnits, .min_exclusive = true},
                                    Required::kYes)
                              .value_or(0);
          if (initial.variant < 0 || initial.units <= 0) return;
          if (!seen.insert(initial.variant).second) {
            d_.Error(item, ip,
                     fmt::format("initial stock of variant \"{}\" is listed twice",
                                 s_.variants[static_cast<size_t>(initial.variant)].id));
          }
          if (initial.units > stock.max_cars_per_variant) {
            d_.Error(item["units"], PathKey(ip, "units"),
                     fmt::format("must not exceed max_cars_per_variant ({}), got {}",
                                 stock.max_cars_per_variant, initial.units));
          }
          total += initial.units;
          stock.initial.push_back(initial);
        });
    if (total > stock.max_cars) {
      d_.Error(n["initial"], PathKey(p, "initial"),
               fmt::format("initial stock of {} cars exceeds max_cars ({})", total, stock.max_cars));
    }
    s_.stock.push_back(std::move(stock));
  }

  // A count of cars: a whole number within `rule`.
  std::optional<double> WholeCars(const YAML::Node& n, std::string_view key, const std::string& p,
                                  NumberRule rule, Required required = Required::kNo) {
    const auto v = d_.Number(n, key, p, required, rule);
    if (v && *v != std::floor(*v)) {
      d_.Error(n[std::string(key)], PathKey(p, key), fmt::format("expected whole cars, got {}", *v));
      return std::nullopt;
    }
    return v;
  }
};

}  // namespace

void ReadStock(FieldReader& fields, const YAML::Node& root, model::Scenario& scenario) {
  StockReader(fields, scenario).ParseStock(root);
}

}  // namespace cobuild::io::scenario_sections
