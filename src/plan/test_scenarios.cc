#include "plan/test_scenarios.h"

#include <gtest/gtest.h>

#include <cmath>

#include "io/scenario_reader.h"

namespace cobuild::plan::testing {

using model::Powertrain;

model::Scenario MiniUk() {
  model::Scenario s;
  s.name = "mini-uk";
  s.horizon = {.first = {.year = 2026, .month = 1}, .num_months = 12};
  s.companies = {{.id = "JLR", .name = "Jaguar Land Rover"}, {.id = "CHERY", .name = "Chery"}};
  s.brands = {{.id = "LR", .name = "Land Rover", .company = 0},
              {.id = "OMODA", .name = "Omoda", .company = 1}};
  s.platforms = {{.id = "PLA", .name = "Premium transverse", .company = 0},
                 {.id = "T1X", .name = "T1X", .company = 1}};
  model::Calendar uk_days;
  model::Calendar cn_days;
  for (int t = 0; t < 12; ++t) {
    uk_days.working_days.push_back(t == 7 ? 10 : 20);  // August shutdown
    cn_days.working_days.push_back(t == 1 ? 12 : 22);  // Spring Festival
  }
  uk_days.base_working_days = uk_days.working_days;
  cn_days.base_working_days = cn_days.working_days;
  s.plants = {{.id = "HW", .name = "Halewood", .company = 0, .country = "GB", .calendar = uk_days},
              {.id = "WH", .name = "Wuhu", .company = 1, .country = "CN", .calendar = cn_days}};
  model::Line hw1{.id = "HW-1",
                  .name = "Halewood 1",
                  .plant = 0,
                  .platforms = {0},
                  .powertrains = {Powertrain::kIce, Powertrain::kPhev, Powertrain::kBev},
                  .rate_jph = 30,
                  .hours_per_shift = 8,
                  .max_shifts_per_day = 2,
                  .availability = 0.9,
                  .fixed_cost_per_shift_gbp = 60000};
  model::Line hw2 = hw1;
  hw2.id = "HW-2";
  hw2.name = "Halewood 2";
  hw2.rate_jph = 25;
  hw2.retooling = {{.platform = 1, .cost_gbp = 40e6, .lead_time_months = 3}};
  hw2.share_limits = {{.powertrain = Powertrain::kBev, .max_share = 0.4}};
  model::Line wh1{.id = "WH-1",
                  .name = "Wuhu 1",
                  .plant = 1,
                  .platforms = {1},
                  .powertrains = {Powertrain::kIce, Powertrain::kPhev, Powertrain::kBev},
                  .rate_jph = 40,
                  .hours_per_shift = 8,
                  .max_shifts_per_day = 2,
                  .availability = 0.9,
                  .fixed_cost_per_shift_gbp = 30000};
  s.lines = {hw1, hw2, wh1};
  s.markets = {{.id = "UK", .name = "United Kingdom", .countries = {"GB"}},
               {.id = "EU", .name = "European Union", .countries = {"DE", "FR", "IT"}},
               {.id = "CN", .name = "China", .countries = {"CN"}}};
  s.models = {{.id = "EVOQUE", .name = "Evoque", .brand = 0, .platform = 0},
              {.id = "DS", .name = "Discovery Sport", .brand = 0, .platform = 0},
              {.id = "C5", .name = "Omoda C5", .brand = 1, .platform = 1},
              {.id = "E5", .name = "Omoda E5", .brand = 1, .platform = 1}};
  auto variant = [](std::string id, int model, Powertrain pt, double cost, std::vector<double> price,
                    std::vector<model::LocalContent> lc) {
    return model::Variant{.id = std::move(id),
                          .name = {},
                          .model = model,
                          .powertrain = pt,
                          .options = {},
                          .paint = {},
                          .unit_variable_cost_gbp = cost,
                          .price_gbp = std::move(price),
                          .local_content = std::move(lc)};
  };
  s.variants = {
      variant("EVOQUE-PHEV", 0, Powertrain::kPhev, 33000, {45000, 44000, 0}, {{"GB", 0.6}}),
      variant("EVOQUE-BEV", 0, Powertrain::kBev, 38000, {50000, 49000, 0}, {{"GB", 0.5}}),
      variant("DS-ICE", 1, Powertrain::kIce, 30000, {42000, 41000, 0}, {{"GB", 0.6}}),
      variant("C5-ICE", 2, Powertrain::kIce, 14000, {24000, 23000, 17000}, {{"CN", 0.9}, {"GB", 0.3}}),
      variant("E5-BEV", 3, Powertrain::kBev, 19000, {32000, 31000, 23000}, {{"CN", 0.9}, {"GB", 0.3}}),
  };
  s.demand.Resize(5, 3, 12);
  const double annual[5][3] = {
      {14000, 9000, 0}, {6000, 5000, 0}, {12000, 8000, 0}, {30000, 20000, 60000}, {22000, 16000, 40000}};
  for (int v = 0; v < 5; ++v) {
    for (int k = 0; k < 3; ++k) {
      for (int t = 0; t < 12; ++t) {
        const double season = 1.0 + 0.15 * std::sin(2 * 3.14159265358979 * t / 12.0);
        s.demand.at(v, k, t) = std::round(annual[v][k] / 12.0 * season);
      }
    }
  }
  s.routes = {{.plant = 0, .market = 0, .freight_cost_per_car_gbp = 250, .transit_days = 0},
              {.plant = 0, .market = 1, .freight_cost_per_car_gbp = 600, .transit_days = 5},
              {.plant = 1, .market = 0, .freight_cost_per_car_gbp = 1400, .transit_days = 42},
              {.plant = 1, .market = 1, .freight_cost_per_car_gbp = 1300, .transit_days = 38},
              {.plant = 1, .market = 2, .freight_cost_per_car_gbp = 200, .transit_days = 0}};
  s.tariffs = {{.origin_country = "CN", .market = 0, .powertrains = {}, .rate = 0.10},
               {.origin_country = "CN", .market = 1, .powertrains = {}, .rate = 0.10},
               {.origin_country = "CN", .market = 1, .powertrains = {Powertrain::kBev}, .rate = 0.37},
               {.origin_country = "GB", .market = 1, .powertrains = {}, .rate = 0.10}};
  s.local_content_rules = {{.origin_country = "GB",
                            .market = 1,
                            .powertrains = {},
                            .min_local_content = 0.55,
                            .preferential_rate = 0}};
  s.contracts = {{.id = "HW-OMODA",
                  .host = 0,
                  .partner = 1,
                  .brands = {1},
                  .plants = {0},
                  .fee_per_car_gbp = 1800,
                  .min_units_per_year = 5000,
                  .max_units_per_year = 40000}};
  return s;
}

model::Scenario Golden(const std::string& file) {
  auto scenario = io::LoadScenario("tests/data/golden/" + file);
  if (!scenario) {
    ADD_FAILURE() << scenario.error().message;
    return {};
  }
  return *scenario;
}

model::Scenario GoldenOneLine() { return Golden("one-line.yaml"); }

model::ReplanSettings RecoveryLevers() {
  return {.stability_penalty_gbp_per_car = 20,
          .backlog_max_months = 2,
          .backlog_delay_cost_gbp_per_car_month = 300,
          .extra_shifts_per_day = 1,
          .extra_shift_premium = 0.5,
          .weekend_days_per_month = 4,
          .weekend_premium = 1.0,
          .time_limit_seconds = 30};
}

PlanRequest QuickRequest() {
  PlanRequest request;
  request.options.solve.time_limit_seconds = 30;
  request.options.solve.relative_gap = 1e-6;
  return request;
}

}  // namespace cobuild::plan::testing
