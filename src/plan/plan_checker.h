// An independent check of a network plan against its scenario. It shares no
// code with the model builder or the planner's economics: duty rates, route
// choice, contract attribution, capacity and contributions are recomputed
// here from the scenario, so a bug in the builder shows up as a violation.
//
//   CheckReport report = CheckPlan(scenario, plan, request);
//   if (!report.ok()) for (auto& v : report.violations) std::cerr << v << "\n";
//
// Checked: indices and units are valid; shifts are whole and within the
// line's maximum; lines build only what they can (platform, powertrain,
// retooling lead time, ownership or contract); line output fits the shifts;
// plant output equals its shipments; shipments use a route and arrive after
// its transit; supply plus unmet (plus backlog) equals demand; share limits,
// contract maxima and minima (with shortfall), supply caps and frozen months;
// and the contribution per company (nominal and in present value, with plant
// costs, kits and tooling lives) and the objective, recomputed.
#pragma once

#include <string>
#include <vector>

#include "model/scenario.h"
#include "plan/plan.h"
#include "plan/plan_request.h"

namespace cobuild::plan {

struct CheckReport {
  std::vector<std::string> violations;             // at most kMaxViolations, then a count
  std::vector<CompanyContribution> contributions;  // recomputed
  double penalties_gbp = 0;
  double objective_gbp = 0;  // recomputed: sum of contributions minus penalties
  bool ok() const { return violations.empty(); }
};

inline constexpr int kMaxViolations = 50;

CheckReport CheckPlan(const model::Scenario& scenario, const Plan& plan, const PlanRequest& request = {});

}  // namespace cobuild::plan
