#include "io/deal_io.h"

#include <string_view>
#include <utility>
#include <vector>

#include "io/csv.h"
#include "plan/plan.h"

namespace cobuild::io {
namespace {

using nlohmann::json;

// Every Account field with its name, in one place for JSON and CSV.
constexpr std::pair<std::string_view, double deal::Account::*> kFields[] = {
    {"units_sold", &deal::Account::units_sold},
    {"margin_gbp", &deal::Account::margin_gbp},
    {"duty_gbp", &deal::Account::duty_gbp},
    {"fee_income_gbp", &deal::Account::fee_income_gbp},
    {"fees_paid_gbp", &deal::Account::fees_paid_gbp},
    {"shift_cost_gbp", &deal::Account::shift_cost_gbp},
    {"shift_change_cost_gbp", &deal::Account::shift_change_cost_gbp},
    {"retooling_cost_gbp", &deal::Account::retooling_cost_gbp},
    {"holding_cost_gbp", &deal::Account::holding_cost_gbp},
    {"tooling_share_gbp", &deal::Account::tooling_share_gbp},
    {"contribution_gbp", &deal::Account::contribution_gbp},
};

json AccountJson(const deal::Account& a) {
  json j = json::object();
  for (const auto& [name, field] : kFields) j[std::string(name)] = plan::Pennies(a.*field);
  return j;
}

json Sides(const deal::Account& with, const deal::Account& without) {
  return {{"with", AccountJson(with)},
          {"without", AccountJson(without)},
          {"change", AccountJson(with - without)}};
}

// `given`: the plan was given (`--plan`, `--plan-without`, `plan_job`), not
// solved for the report; its solve_seconds are then the solve that made it.
json PlanJson(const plan::Plan& p, const std::vector<std::string>& violations, bool given) {
  return {{"status", plan::ToString(p.status)},
          {"objective_gbp", plan::Pennies(p.objective_gbp)},
          {"bound_gbp", plan::Pennies(p.bound_gbp)},
          {"gap", p.gap},
          {"solved", !given},
          {"solve_seconds", p.stats.solve_seconds},
          {"checker_violations", violations}};
}

json TermsJson(const deal::FeeTerms& t) {
  const bool priced = t.cars > 0;
  auto fee = [&](double v) { return priced ? json(plan::Pennies(v)) : json(); };
  return {{"fee_gbp", t.fee_gbp},
          {"cars", t.cars},
          {"host_gain_gbp", plan::Pennies(t.host_gain_gbp)},
          {"partner_gain_gbp", plan::Pennies(t.partner_gain_gbp)},
          {"joint_gain_gbp", plan::Pennies(t.joint_gain_gbp())},
          {"host_break_even_fee_gbp", fee(t.host_break_even_fee_gbp)},
          {"partner_max_fee_gbp", fee(t.partner_max_fee_gbp)},
          {"zone_exists", t.zone_exists()},
          {"proposed_fee_rule", "equal split of the joint gain"},
          {"proposed_fee_gbp", fee(t.proposed_fee_gbp)},
          {"host_gain_at_proposed_gbp", fee(t.host_gain_at_proposed_gbp)},
          {"partner_gain_at_proposed_gbp", fee(t.partner_gain_at_proposed_gbp)}};
}

}  // namespace

json DealJson(const model::Scenario& s, const deal::DealReport& r) {
  json companies = json::array();
  for (const auto& c : r.companies) {
    json j = Sides(c.with, c.without);
    j["company"] = s.companies[c.company].id;
    companies.push_back(std::move(j));
  }
  json plants = json::array();
  for (const auto& p : r.host_plants) {
    json j = Sides(p.with, p.without);
    j["plant"] = s.plants[p.plant].id;
    j["cars_hosted"] = p.cars_hosted;
    j["break_even_fee_gbp"] = p.cars_hosted > 0 ? json(plan::Pennies(p.break_even_fee_gbp)) : json();
    plants.push_back(std::move(j));
  }
  json hosted = json::array();
  for (const auto& h : r.hosted) {
    hosted.push_back({{"plant", s.plants[h.plant].id}, {"year", h.year}, {"units", h.units}});
  }
  json groups = json::array();
  for (const auto& c : r.groups) {
    json j = Sides(c.with, c.without);
    j["company"] = s.companies[c.company].id;
    groups.push_back(std::move(j));
  }
  return {{"scenario", s.name},
          {"contract", s.contracts[r.contract].id},
          {"host", s.companies[r.host].id},
          {"partner", s.companies[r.partner].id},
          {"plans",
           {{"with", PlanJson(r.with, r.with_violations, r.with_given)},
            {"without", PlanJson(r.without, r.without_violations, r.without_given)}}},
          {"companies", std::move(companies)},
          {"groups", std::move(groups)},
          {"host_plants", std::move(plants)},
          {"hosted", std::move(hosted)},
          {"contract_retooling_gbp", plan::Pennies(r.contract_retooling_gbp)},
          {"tooling_partner_share", s.contracts[r.contract].tooling_partner_share},
          {"tooling_share_gbp", plan::Pennies(r.tooling_share_gbp)},
          {"terms", TermsJson(r.terms)},
          {"group_terms", r.has_group_terms ? TermsJson(r.group_terms) : json()},
          {"findings", r.findings}};
}

std::string DealCsv(const model::Scenario& s, const deal::DealReport& r) {
  CsvWriter csv({"section", "key", "field", "with", "without", "change"});
  auto sides = [&](std::string_view section, const std::string& key, const deal::Account& with,
                   const deal::Account& without) {
    for (const auto& [name, field] : kFields) {
      csv.AddRow({section, key, name, CsvNumber(plan::Pennies(with.*field)),
                  CsvNumber(plan::Pennies(without.*field)),
                  CsvNumber(plan::Pennies(with.*field - without.*field))});
    }
  };
  for (const auto& c : r.companies) sides("company", s.companies[c.company].id, c.with, c.without);
  for (const auto& c : r.groups) sides("group", s.companies[c.company].id, c.with, c.without);
  for (const auto& p : r.host_plants) {
    sides("plant", s.plants[p.plant].id, p.with, p.without);
    csv.AddRow({"plant", s.plants[p.plant].id, "cars_hosted", CsvNumber(p.cars_hosted), "", ""});
    if (p.cars_hosted > 0) {
      csv.AddRow(
          {"plant", s.plants[p.plant].id, "break_even_fee_gbp", CsvNumber(p.break_even_fee_gbp), "", ""});
    }
  }
  for (const auto& h : r.hosted) {
    csv.AddRow({"hosted", s.plants[h.plant].id, std::to_string(h.year), CsvNumber(h.units), "", ""});
  }
  const deal::FeeTerms& t = r.terms;
  const std::string& id = s.contracts[r.contract].id;
  std::vector<std::pair<std::string_view, double>> terms = {{"fee_gbp", t.fee_gbp},
                                                            {"cars", t.cars},
                                                            {"host_gain_gbp", t.host_gain_gbp},
                                                            {"partner_gain_gbp", t.partner_gain_gbp},
                                                            {"joint_gain_gbp", t.joint_gain_gbp()}};
  if (t.cars > 0) {
    terms.insert(terms.end(), {{"host_break_even_fee_gbp", t.host_break_even_fee_gbp},
                               {"partner_max_fee_gbp", t.partner_max_fee_gbp},
                               {"proposed_fee_gbp", t.proposed_fee_gbp},
                               {"host_gain_at_proposed_gbp", t.host_gain_at_proposed_gbp},
                               {"partner_gain_at_proposed_gbp", t.partner_gain_at_proposed_gbp}});
  }
  for (const auto& [name, value] : terms)
    csv.AddRow({"terms", id, name, CsvNumber(plan::Pennies(value)), "", ""});
  return csv.str();
}

}  // namespace cobuild::io
