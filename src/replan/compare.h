// Two plans side by side (of one scenario or of two), keyed by ids so that
// scenarios with different plants, brands or markets line up: objective and
// contribution per company, units sold per brand and market, output and
// utilisation per plant and year, imports, duty and unmet demand per market.
//
//   Comparison c = ComparePlans(scenario_a, plan_a, scenario_b, plan_b);
//   for (const auto& row : c.rows) ... row.section, row.key, row.a, row.b
#pragma once

#include <string>
#include <vector>

#include "model/scenario.h"
#include "plan/plan.h"

namespace cobuild::replan {

struct CompareRow {
  std::string section;  // "objective", "contribution", "brand sales", "market", "plant"
  std::string key;      // "Land Rover", "halewood 2027 utilization", ...
  std::string unit;     // "GBP", "cars", "share"
  double a = 0;         // 0 when the key does not exist on that side
  double b = 0;
  double delta() const { return b - a; }
};

struct Comparison {
  std::string name_a;
  std::string name_b;
  std::vector<CompareRow> rows;  // in section order, keys as first seen in A then B
};

Comparison ComparePlans(const model::Scenario& scenario_a, const plan::Plan& a,
                        const model::Scenario& scenario_b, const plan::Plan& b);

}  // namespace cobuild::replan
