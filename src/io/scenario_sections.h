// The sections of a scenario file (docs/scenario-format.md), one reader per
// group of sections, called in this order by ParseScenarioDetailed()
// (io/scenario_reader.cc), which reads `horizon` and `settings` itself and
// hands `events`, `replan` and `risk` to io/event_reader.h:
//
//   scenario_plants_reader.cc    companies, brands, platforms, plants (with
//                                their calendars), lines
//   scenario_products_reader.cc  markets, models and their variants,
//                                demand_profile, demand
//   scenario_trade_reader.cc     routes, tariffs, local_content_rules,
//                                pipeline, kits, contracts
//   scenario_stock_reader.cc     each plant's `stock:` block
//
// Each function reads its keys of `root` into `scenario`, resolving ids
// against the sections read before it, and reports every problem through
// `fields` (io/yaml_fields.h). Internal to io; include io/scenario_reader.h
// to read a scenario.
#pragma once

#include <yaml-cpp/yaml.h>

#include "io/yaml_fields.h"
#include "model/scenario.h"

namespace cobuild::io::scenario_sections {

inline constexpr int kMaxHorizonMonths = 240;
inline constexpr double kMaxUnits = 1e9;   // cars; larger is a typo
inline constexpr double kMaxMoney = 1e12;  // GBP

// What each group's reader holds: the shared field reader, its decoder and
// the scenario being filled.
class SectionReader {
 public:
  SectionReader(FieldReader& fields, model::Scenario& scenario)
      : f_(fields), d_(fields.decoder()), s_(scenario) {}

 protected:
  FieldReader& f_;
  YamlDecoder& d_;
  model::Scenario& s_;
};

// companies, brands, platforms.
void ReadCompanies(FieldReader& fields, const YAML::Node& root, model::Scenario& scenario);
// plants with their calendars; needs the horizon.
void ReadPlants(FieldReader& fields, const YAML::Node& root, model::Scenario& scenario);
// lines with retooling, stations and share limits.
void ReadLines(FieldReader& fields, const YAML::Node& root, model::Scenario& scenario);

void ReadMarkets(FieldReader& fields, const YAML::Node& root, model::Scenario& scenario);
// models and their variants; needs the markets (variant prices).
void ReadModels(FieldReader& fields, const YAML::Node& root, model::Scenario& scenario);
// demand_profile and demand; needs the horizon.
void ReadDemand(FieldReader& fields, const YAML::Node& root, model::Scenario& scenario);

// routes, tariffs, local_content_rules.
void ReadTrade(FieldReader& fields, const YAML::Node& root, model::Scenario& scenario);
// pipeline (cars on their way at the horizon start); needs the horizon.
void ReadPipeline(FieldReader& fields, const YAML::Node& root, model::Scenario& scenario);
// kits (CKD/SKD assembly at a host plant); needs plants, lines, variants
// and markets.
void ReadKits(FieldReader& fields, const YAML::Node& root, model::Scenario& scenario);
// contracts; overlapping contracts (allowed, likely unintended) go to
// `warnings` and only when every contract parsed.
void ReadContracts(FieldReader& fields, FieldReader& warnings, const YAML::Node& root,
                   model::Scenario& scenario);

// The lines' high-priority stations against the variants each line can
// build (powertrain, and platform today or by retooling): a variant whose
// take rate of a station's option alone exceeds N/P is a warning (it can
// only be built mixed with others; docs/planning-model.md, "Station
// loads"), a line whose every buildable variant does so is an error (it can
// build nothing). Needs lines, models and variants.
void CheckStationMix(FieldReader& fields, FieldReader& warnings, const YAML::Node& root,
                     const model::Scenario& scenario);

// each plant's `stock:` block (finished-goods stock); needs the plants and
// the variants.
void ReadStock(FieldReader& fields, const YAML::Node& root, model::Scenario& scenario);

}  // namespace cobuild::io::scenario_sections
