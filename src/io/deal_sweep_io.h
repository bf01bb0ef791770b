// The deal's fee and tariff sweeps (deal/sweep.h) as JSON and CSV.
//
// JSON: {"fee_sweep": {"host_first", "plants": [ids], "zone_pv": {"from",
// "to", "proposed"}, "start": {"fee_gbp", "status", "objective_gbp", "gap",
// "seconds", "cars_hosted", "zone_pv": {"from", "to"} or null when it hosts
// no car} (the plan every point starts from), "seconds", "points":
// [{"fee_gbp", "status", "gap",
// "seconds", "gain_pv_gbp": {company: gain}, "host_gain_pv_gbp",
// "partner_gain_pv_gbp", "cars_hosted", "cars_by_plant": {plant: cars},
// "checker_violations"}]}, "tariff_sweep": {"lever": {"market", "origin",
// "powertrain"}, "current_rate", "seconds", "points": [{"rate", "cars",
// "host_gain_gbp", "partner_gain_gbp", "host_break_even_fee_gbp",
// "partner_max_fee_gbp", "zone_exists", "proposed_fee_gbp", "gaps",
// "checker_violations"}], "crossings": [{"company", "rate", "starts_paying"}]}};
// a sweep not run is null.
// CSV: records in the deal CSV's columns (section,key,field,with,without,
// change), appended to it: `fee_sweep,<fee>,<field>:<id>,<value>,,`,
// `tariff_sweep,<rate>,<field>:<id>,<value>,,` and
// `tariff_crossing,<rate>,starts_paying|stops_paying:<company>,<rate>,,`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "deal/sweep.h"
#include "model/error.h"
#include "model/scenario.h"

namespace cobuild::io {

// "FROM:TO:POINTS": POINTS (2 to 101) fees evenly from FROM to TO (FROM <
// TO), GBP a car (`cobuild deal --fees`, the deal job's `fees`).
[[nodiscard]] Result<std::vector<double>> ParseFees(std::string_view text);

// "MARKET:ORIGIN[:POWERTRAIN][:RATES]", RATES comma-separated shares in
// [0, 5]; without RATES five points (deal::DefaultRates) (`cobuild deal
// --tariff`, the deal job's `tariff`).
[[nodiscard]] Result<deal::TariffLever> ParseTariffLever(const model::Scenario& scenario,
                                                         std::string_view text);

nlohmann::json FeeSweepJson(const model::Scenario& scenario, const deal::DealReport& report,
                            const deal::FeeSweep& sweep);
nlohmann::json TariffSweepJson(const model::Scenario& scenario, const deal::TariffSweep& sweep);

// A deal's result document, the same from the API's deal job and `cobuild
// deal --format json`: io::DealJson with "fee_sweep" and "tariff_sweep"
// (null when not run) and "names" ({companies, plants, markets}: id ->
// name) for a reader that shows names.
nlohmann::json DealResultJson(const model::Scenario& scenario, const deal::DealReport& report,
                              const deal::FeeSweep* fees, const deal::TariffSweep* tariff);

// CSV records (no header) of each sweep given.
std::string DealSweepsCsv(const model::Scenario& scenario, const deal::DealReport& report,
                          const deal::FeeSweep* fees, const deal::TariffSweep* tariff);

}  // namespace cobuild::io
