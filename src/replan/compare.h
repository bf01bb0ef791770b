// Two plans side by side (of one scenario or of two), keyed by ids so that
// scenarios with different plants, brands or markets line up: objective and
// contribution per company, units sold per brand, market and month, output
// and utilisation per plant and year (from the one plan summary,
// plan/plan_summary.h, with each plan's line availability), imports, duty
// and unmet demand per market. Used by `cobuild compare`, the server's
// compare job and, through SalesDifference, the replan report's units lost
// (baseline against the disrupted and the recovered plan), so that a later
// comparison (a deal against no deal) reuses it.
//
//   Comparison c = ComparePlans(scenario_a, plan_a, scenario_b, plan_b);
//   for (const auto& row : c.rows) ... row.section, row.key, row.a, row.b
#pragma once

#include <string>
#include <vector>

#include "model/scenario.h"
#include "plan/plan.h"
#include "plan/plan_request.h"

namespace cobuild::replan {

// Units of one brand in one market and month (month -1: over the horizon).
struct UnitsCell {
  int brand = -1;
  int market = -1;
  int month = -1;
  double units = 0;
};

// `a`'s sales minus `b`'s (shipments by month of arrival; positive: `b`
// sells less) per brand, market and month, both plans of `scenario`; cells
// that differ by less than 1e-6 cars are left out; by brand, market, month.
std::vector<UnitsCell> SalesDifference(const model::Scenario& scenario, const plan::Plan& a,
                                       const plan::Plan& b);

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

// `request_a` and `request_b` give each plan's line availability (what its
// checker request holds: the outages of its events); none by default.
Comparison ComparePlans(const model::Scenario& scenario_a, const plan::Plan& a,
                        const model::Scenario& scenario_b, const plan::Plan& b,
                        const plan::PlanRequest& request_a = {}, const plan::PlanRequest& request_b = {});

}  // namespace cobuild::replan
