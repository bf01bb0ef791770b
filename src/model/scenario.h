// A scenario: everything the planner, sequencer and replanner read.
//
// Plain value type: vectors of structs with cross references as indices.
// A Scenario that came out of io::LoadScenario() has passed validation: all
// indices are in range, per-month vectors have horizon.num_months entries,
// and numbers are finite and within their documented ranges.
#pragma once

#include <string>
#include <vector>

#include "model/calendar.h"
#include "model/contract.h"
#include "model/event.h"
#include "model/market.h"
#include "model/network.h"
#include "model/stock.h"
#include "model/vehicle.h"

namespace cobuild::model {

// Weights of the planner's objective that are not prices or costs.
struct PlanSettings {
  double unmet_penalty_gbp_per_car = 5000;  // on top of the lost margin
  TransitRule transit_rule = TransitRule::kWholeMonths;
  // Annual rate at which every cash flow is discounted to the horizon start
  // (docs/planning-model.md, "Present value and tooling life"); 0 plans in
  // nominal money.
  double discount_rate_per_year = 0;
  HorizonEndValue horizon_end_value = HorizonEndValue::kNone;
  // Deal rules (docs/planning-model.md, "Participation and host-first"),
  // contract indices, -1 for none. participation_contract: every company's
  // contribution (present value) at least its value in the plan without that
  // contract. host_first_contract: the contract's host builds at least its
  // no-deal own-brand output in each covered plant and year. When both are
  // set they name the same contract (one plan without it gives both floors).
  int participation_contract = -1;
  int host_first_contract = -1;
  bool operator==(const PlanSettings&) const = default;
};

struct Scenario {
  std::string name;
  std::string description;
  Horizon horizon;
  std::vector<Company> companies;
  std::vector<Brand> brands;
  std::vector<Platform> platforms;
  std::vector<Plant> plants;
  std::vector<Line> lines;
  std::vector<Market> markets;
  std::vector<VehicleModel> models;
  std::vector<Variant> variants;
  DemandTable demand;
  std::vector<Route> routes;
  std::vector<PipelineArrival> pipeline;  // cars on their way at the horizon start
  std::vector<Tariff> tariffs;
  std::vector<LocalContentRule> local_content_rules;
  std::vector<Kit> kits;  // cars a host plant assembles from kits (CKD/SKD)
  std::vector<Contract> contracts;
  std::vector<PlantStock> stock;  // plants with a `stock:` block, in plant order
  PlanSettings settings;
  std::vector<Event> events;  // what-ifs for `cobuild replan` (model/event.h)
  ReplanSettings replan;
  RiskModel risk;

  bool operator==(const Scenario&) const = default;

  // Lookups by id; -1 when absent.
  int FindCompany(std::string_view id) const;
  int FindBrand(std::string_view id) const;
  int FindPlatform(std::string_view id) const;
  int FindPlant(std::string_view id) const;
  int FindLine(std::string_view id) const;
  int FindMarket(std::string_view id) const;
  int FindModel(std::string_view id) const;
  int FindVariant(std::string_view id) const;

  // Company that owns a variant's brand.
  int VariantOwner(int variant) const;
  // Cars a line can build in a month at its maximum shifts.
  double MaxLineCars(int line, int month) const;
  // Sum of MaxLineCars over the horizon's months in calendar year `year`.
  double MaxLineCarsInYear(int line, int year) const;
  // The demand plans serve: `demand` less the initial pipeline's arrivals,
  // which serve it first (never below zero: a pipeline beyond a month's
  // demand is sold off elsewhere).
  DemandTable OpenDemand() const;
  // The plant's stock block, or nullptr (the plant holds no stock).
  const PlantStock* StockAt(int plant) const;
};

}  // namespace cobuild::model
