// The deal report (deal/deal.h) as JSON and as CSV, with ids and GBP.
//
//   std::cout << io::DealJson(scenario, report).dump(1);
//   std::cout << io::DealCsv(scenario, report);
//
// JSON: {"contract", "host", "partner", "plans": {"with", "without"} (status,
// objective, gap, checker violations), "companies": [...], "host_plants":
// [...], "hosted": [...], "terms": {...}, "findings": [...]}; each account
// as {"with", "without", "change"} of the Account fields. CSV: one record a
// figure, `section,key,field,with,without,change`, the terms as
// `terms,<contract>,<field>,<value>,,`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "deal/deal.h"
#include "model/scenario.h"

namespace cobuild::io {

nlohmann::json DealJson(const model::Scenario& scenario, const deal::DealReport& report);
std::string DealCsv(const model::Scenario& scenario, const deal::DealReport& report);

}  // namespace cobuild::io
