// Plan files: a network plan as JSON (everything, for tools and the server)
// or as one CSV table (one record per row, for spreadsheets), written with
// the scenario's ids and "YYYY-MM" months, and read back against the same
// scenario into an equal Plan (up to the stats and explanations, which CSV
// does not carry).
//
//   std::string json = io::WritePlanJson(scenario, plan);
//   Result<plan::Plan> back = io::LoadPlan("out/plan.json", scenario);
//
// CSV columns: record,line,plant,variant,market,month,arrival_month,
// platform,company,units,value_gbp; `record` is one of production, shift,
// extra_shifts, weekend_days, retool, shipment, unmet, backlog, shortfall,
// contribution, the basis (lever, excluded_brand, event, frozen_before,
// stability_penalty) and objective. A field may be quoted (RFC 4180).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "model/error.h"
#include "model/scenario.h"
#include "plan/plan.h"

namespace cobuild::io {

// The plan file: every command that writes a plan (the CLI's plan.json,
// replan's baseline/disrupted/recovered.json, the server's plan results)
// writes this one document, and every command that reads one reads it back.
// Its `basis` records every setting the plan depends on (levers, excluded
// brands, events applied, frozen months, stability penalty).
nlohmann::json PlanToJson(const model::Scenario& scenario, const plan::Plan& plan);
// `discount_rate_per_year` and `objective_nominal_gbp` beside a discounted
// plan's objective (nothing without a discount rate).
void AddPresentValueBasis(const model::Scenario& scenario, const plan::Plan& plan, nlohmann::json& j);
// The plan's contributions per company and binding constraints as the plan
// file holds them (also in the API's plan views).
nlohmann::json ContributionsToJson(const model::Scenario& scenario, const plan::Plan& plan);
nlohmann::json BindingToJson(const model::Scenario& scenario, const plan::Plan& plan);
nlohmann::json BasisToJson(const model::Scenario& scenario, const plan::PlanBasis& basis);
[[nodiscard]] Result<plan::PlanBasis> ParseBasisJson(const nlohmann::json& basis, const std::string& where,
                                                     const model::Scenario& scenario);
std::string WritePlanJson(const model::Scenario& scenario, const plan::Plan& plan);
std::string WritePlanCsv(const model::Scenario& scenario, const plan::Plan& plan);

// The scenario a plan with events in its basis was made on (the scenario
// with those events applied, replan::ScenarioWithEvents): its entries are
// resolved there, since a contract change adds contracts.
using PlannedOn = std::function<Result<model::Scenario>(const plan::PlanBasis&)>;

// A plan file, or a plan result document with the plan file under "plan"
// (io::PlanResultJson: `cobuild plan --format json`, the API's plan result).
[[nodiscard]] Result<plan::Plan> ParsePlanJson(std::string_view text, std::string_view file_name,
                                               const model::Scenario& scenario,
                                               const PlannedOn& planned_on = {});
[[nodiscard]] Result<plan::Plan> ParsePlanCsv(std::string_view text, std::string_view file_name,
                                              const model::Scenario& scenario);
// By extension: .json or .csv (a CSV plan is resolved against `scenario`:
// only `cobuild plan`, with no events, writes one).
[[nodiscard]] Result<plan::Plan> LoadPlan(const std::string& path, const model::Scenario& scenario,
                                          const PlannedOn& planned_on = {});

}  // namespace cobuild::io
