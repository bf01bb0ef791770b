#include "io/replan_io.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "io/event_reader.h"
#include "io/plan_io.h"
#include "io/plan_views.h"

namespace cobuild::io {
namespace {

using nlohmann::json;

std::string Month(const model::Scenario& s, int t) { return model::ToString(s.horizon.MonthAt(t)); }

json Cells(const model::Scenario& s, const std::vector<replan::UnitsCell>& cells) {
  json out = json::array();
  for (const auto& c : cells) {
    out.push_back({{"brand", s.brands[static_cast<size_t>(c.brand)].id},
                   {"market", s.markets[static_cast<size_t>(c.market)].id},
                   {"month", Month(s, c.month)},
                   {"units", c.units}});
  }
  return out;
}

json Percentiles(const replan::Percentiles& p) { return {{"p10", p.p10}, {"p50", p.p50}, {"p90", p.p90}}; }

// Cars lost (sales below the baseline) with no action and after the
// recovery, summed by month of sale, by brand and by market, as the CLI's
// replan tables print them. Months in order, brands and markets in scenario
// order; rows where both are zero are left out. A negative month: sold
// above the baseline, catching up. Sales months run past the horizon
// (`horizon_end_value: margin` sells cars in the months after it), so the
// months are as many as the latest sale needs.
json LossesJson(const model::Scenario& s, const replan::ReplanReport& rep) {
  size_t n = static_cast<size_t>(s.horizon.num_months);
  for (const auto* lost : {&rep.disrupted_lost, &rep.recovered_lost}) {
    for (const auto& c : *lost) n = std::max(n, static_cast<size_t>(c.month) + 1);
  }
  std::vector<std::array<double, 2>> month(n), brand(s.brands.size()), market(s.markets.size());
  for (size_t k = 0; k < 2; ++k) {
    for (const auto& c : k == 0 ? rep.disrupted_lost : rep.recovered_lost) {
      month[static_cast<size_t>(c.month)][k] += c.units;
      brand[static_cast<size_t>(c.brand)][k] += c.units;
      market[static_cast<size_t>(c.market)][k] += c.units;
    }
  }
  auto rows = [](const char* key, const auto& sums, auto id_of) {
    json out = json::array();
    for (size_t i = 0; i < sums.size(); ++i) {
      if (std::abs(sums[i][0]) < 0.5 && std::abs(sums[i][1]) < 0.5) continue;
      out.push_back({{key, id_of(i)}, {"disrupted", sums[i][0]}, {"recovered", sums[i][1]}});
    }
    return out;
  };
  return {{"by_month", rows("month", month, [&](size_t t) { return Month(s, static_cast<int>(t)); })},
          {"by_brand", rows("brand", brand, [&](size_t b) { return s.brands[b].id; })},
          {"by_market", rows("market", market, [&](size_t m) { return s.markets[m].id; })}};
}

}  // namespace

json ReplanReportJson(const replan::ReplanResult& r) {
  const model::Scenario& s = r.disrupted_scenario;
  const replan::ReplanReport& rep = r.report;
  json events = json::array();
  for (const auto& e : r.events) events.push_back(EventToText(s, e));
  json companies = json::array();
  for (const auto& c : rep.companies) {
    companies.push_back({{"company", s.companies[static_cast<size_t>(c.company)].id},
                         {"baseline_gbp", c.baseline_gbp},
                         {"disrupted_gbp", c.disrupted_gbp},
                         {"recovered_gbp", c.recovered_gbp},
                         {"disrupted_change_gbp", c.disrupted_gbp - c.baseline_gbp},
                         {"recovered_change_gbp", c.recovered_gbp - c.baseline_gbp},
                         // The events' cost, like for like (every plan has the same levers).
                         {"disrupted_cost_gbp", c.DisruptedCost()},
                         {"recovered_cost_gbp", c.RecoveredCost()}});
  }
  json levers = json::object();
  json lever_gbp = json::object();
  for (const auto& l : rep.levers) {
    levers[l.lever] = l.units;
    lever_gbp[l.lever] = l.value_gbp;
  }
  json short_months = json::array();
  for (const auto& [t, units] : rep.short_months)
    short_months.push_back({{"month", Month(s, t)}, {"units", units}});
  // Contract minimum volumes missed (a penalised slack of the planner).
  auto shortfalls = [](const plan::Plan& p, const model::Scenario& sc) {
    json out = json::array();
    for (const auto& c : p.contract_shortfalls) {
      out.push_back({{"contract", sc.contracts[static_cast<size_t>(c.contract)].id},
                     {"year", c.year},
                     {"units", c.units}});
    }
    return out;
  };
  auto plan_status = [](const plan::Plan& p) {
    return json{{"status", plan::ToString(p.status)},
                {"objective_gbp", p.objective_gbp},
                {"penalties_gbp", p.penalties_gbp}};
  };
  return {{"scenario", s.name},
          {"events", events},
          {"frozen_months", rep.frozen_months},
          {"replanned_from", Month(s, rep.frozen_months)},
          {"plans",
           {{"baseline", plan_status(r.baseline)},
            {"disrupted", plan_status(r.disrupted)},
            {"recovered", plan_status(r.recovered)}}},
          {"units_sold",
           {{"baseline", rep.baseline_units_sold},
            {"disrupted", rep.disrupted_units_sold},
            {"recovered", rep.recovered_units_sold}}},
          {"units_lost",
           {{"disrupted", rep.baseline_units_sold - rep.disrupted_units_sold},
            {"recovered", rep.baseline_units_sold - rep.recovered_units_sold}}},
          {"units_recovered", rep.recovered_units_sold - rep.disrupted_units_sold},
          {"units_won_back", rep.won_back_units},
          {"units_beyond_baseline", rep.beyond_baseline_units},
          {"approximation", rep.approximation},
          {"recovered_by_lever", levers},
          {"recovered_by_lever_gbp", lever_gbp},
          {"moved_away_units", rep.moved_away_units},
          {"moved_away_gbp", rep.moved_away_gbp},
          {"served_late_units", rep.served_late_units},
          {"contribution_by_company", companies},
          {"lost_by_brand_market_month",
           {{"disrupted", Cells(s, rep.disrupted_lost)}, {"recovered", Cells(s, rep.recovered_lost)}}},
          {"losses", LossesJson(s, rep)},
          {"short_months", short_months},
          {"contract_shortfalls",
           {{"baseline", shortfalls(r.baseline, r.disrupted_scenario)},
            {"disrupted", shortfalls(r.disrupted, r.disrupted_scenario)},
            {"recovered", shortfalls(r.recovered, r.disrupted_scenario)}}},
          // Every plan was made with these levers (docs/planning-model.md, "Levers").
          {"levers", BasisToJson(s, r.baseline.basis)["levers"]},
          {"baseline_bound_gbp", r.baseline.bound_gbp},
          {"cost_gbp",
           {{"disrupted", rep.baseline_objective_gbp - rep.disrupted_objective_gbp},
            {"recovered", rep.baseline_objective_gbp - rep.recovered_objective_gbp}}}};
}

json RiskDownsideJson(const model::Scenario& s, const replan::RiskResult& r) {
  const bool any = r.failed_samples < static_cast<int>(r.samples.size());
  const auto percentiles = [any](const replan::Percentiles& p) {
    return any ? Percentiles(p) : json(nullptr);
  };
  std::vector<const replan::RiskSample*> ok;
  json losses = json::array();
  for (const auto& sample : r.samples) {
    if (!sample.error.empty()) continue;
    ok.push_back(&sample);
    losses.push_back(r.baseline_contribution_gbp - sample.contribution_gbp);
  }
  json companies = json::array();
  for (size_t c = 0; c < s.companies.size(); ++c) {
    std::vector<double> contribution;
    for (const auto* sample : ok) {
      if (c < sample->company_contribution_gbp.size())
        contribution.push_back(sample->company_contribution_gbp[c]);
    }
    const double base = c < r.baseline_company_gbp.size() ? r.baseline_company_gbp[c] : 0.0;
    companies.push_back(
        {{"company", s.companies[c].id},
         {"name", s.companies[c].name},
         {"baseline_gbp", base},
         {"contribution_gbp", percentiles(replan::PercentilesOf(contribution))},
         {"loss_gbp", c < r.company_loss_gbp.size() ? percentiles(r.company_loss_gbp[c]) : json(nullptr)}});
  }
  // Worst first; equal losses by draw index, so the list repeats.
  std::stable_sort(ok.begin(), ok.end(), [](const replan::RiskSample* a, const replan::RiskSample* b) {
    return a->contribution_gbp < b->contribution_gbp;
  });
  json worst = json::array();
  for (size_t i = 0; i < ok.size() && i < static_cast<size_t>(kWorstDraws); ++i) {
    const replan::RiskSample& sample = *ok[i];
    json events = json::array();
    for (const auto& e : sample.events) events.push_back(EventToText(s, e));
    json by_company = json::object();
    for (size_t c = 0; c < s.companies.size() && c < sample.company_contribution_gbp.size(); ++c) {
      const double base = c < r.baseline_company_gbp.size() ? r.baseline_company_gbp[c] : 0.0;
      by_company[s.companies[c].id] = base - sample.company_contribution_gbp[c];
    }
    worst.push_back({{"index", sample.index},
                     {"events", events},
                     {"loss_gbp", r.baseline_contribution_gbp - sample.contribution_gbp},
                     {"loss_by_company_gbp", by_company},
                     {"units_lost", sample.units_lost},
                     {"disrupted_units_lost", sample.disrupted_units_lost}});
  }
  return {{"loss_gbp", percentiles(r.loss_gbp)},
          {"companies", companies},
          {"losses_gbp", losses},
          {"worst_draws", worst}};
}

json ComparisonJson(const replan::Comparison& c) {
  json rows = json::array();
  for (const auto& row : c.rows) {
    rows.push_back({{"section", row.section},
                    {"key", row.key},
                    {"unit", row.unit},
                    {"a", row.a},
                    {"b", row.b},
                    {"change", row.delta()}});
  }
  return {{"a", c.name_a}, {"b", c.name_b}, {"rows", rows}};
}

json ReplanResultJson(const model::Scenario& scenario, const replan::ReplanResult& r) {
  const auto& report = r.report;
  json companies = json::array();
  for (const auto& c : report.companies) {
    // The events' cost to the company, like for like (every plan has the
    // scenario's levers): baseline minus plan.
    companies.push_back({{"company", scenario.companies[c.company].id},
                         {"baseline_gbp", c.baseline_gbp},
                         {"disrupted_gbp", c.disrupted_gbp},
                         {"recovered_gbp", c.recovered_gbp},
                         {"disrupted_cost_gbp", c.DisruptedCost()},
                         {"recovered_cost_gbp", c.RecoveredCost()}});
  }
  json levers = json::array();
  for (const auto& l : report.levers) {
    levers.push_back({{"lever", l.lever}, {"units", l.units}, {"value_gbp", l.value_gbp}});
  }
  json event_texts = json::array();
  for (const auto& e : r.events) event_texts.push_back(EventToText(scenario, e));
  json out = {{"events", event_texts},
              {"baseline", PlanResultJson(scenario, r.baseline)},
              {"disrupted", PlanResultJson(r.disrupted_scenario, r.disrupted, r.disrupted_request)},
              {"recovered", PlanResultJson(r.disrupted_scenario, r.recovered, r.recovery_request)},
              {"report",
               {{"baseline_units_sold", report.baseline_units_sold},
                {"disrupted_units_sold", report.disrupted_units_sold},
                {"recovered_units_sold", report.recovered_units_sold},
                {"baseline_objective_gbp", report.baseline_objective_gbp},
                {"disrupted_objective_gbp", report.disrupted_objective_gbp},
                {"recovered_objective_gbp", report.recovered_objective_gbp},
                {"served_late_units", report.served_late_units},
                {"moved_away_units", report.moved_away_units},
                {"frozen_months", report.frozen_months},
                {"levers", levers},
                {"companies", companies}}}};
  // Everything else the replan reports (losses by month, brand and market,
  // the months that stay short, GBP per lever, ...); its `levers` (the
  // scenario's levers every plan had) as `scenario_levers`, since `levers`
  // here lists the recovery levers.
  const json full = ReplanReportJson(r);
  for (const auto& [key, value] : full.items()) {
    const std::string name = key == "levers" ? "scenario_levers" : key;
    if (!out["report"].contains(name)) out["report"][name] = value;
  }
  // The plan files: the disrupted and recovered plans on the scenario with
  // the events applied, as `cobuild replan --out` writes them (a contract
  // change adds a contract the plans' entries may name, which the
  // baseline's scenario does not have).
  out["disrupted"]["plan"] = PlanToJson(r.disrupted_scenario, r.disrupted);
  out["recovered"]["plan"] = PlanToJson(r.disrupted_scenario, r.recovered);
  return out;
}

json RiskJson(const model::Scenario& s, const replan::RiskResult& r) {
  json draws = json::array();
  json contribution = json::array();
  json lost = json::array();
  json lost_no_action = json::array();
  for (const auto& sample : r.samples) {
    json events = json::array();
    for (const auto& e : sample.events) events.push_back(EventToText(s, e));
    json item = {{"index", sample.index},
                 {"events", events},
                 {"contribution_gbp", sample.contribution_gbp},
                 {"disrupted_contribution_gbp", sample.disrupted_contribution_gbp},
                 {"units_lost", sample.units_lost},
                 {"disrupted_units_lost", sample.disrupted_units_lost}};
    if (!sample.error.empty()) item["error"] = sample.error;
    draws.push_back(std::move(item));
    if (!sample.error.empty()) continue;
    contribution.push_back(sample.contribution_gbp / 1e6);
    lost.push_back(sample.units_lost);
    lost_no_action.push_back(sample.disrupted_units_lost);
  }
  // No percentiles of nothing: null when no draw succeeded.
  const bool any = r.failed_samples < static_cast<int>(r.samples.size());
  const auto percentiles = [any](const replan::Percentiles& p) {
    return any ? Percentiles(p) : json(nullptr);
  };
  json out = {{"scenario", s.name},
              {"samples", r.samples.size()},
              {"samples_with_events", r.samples_with_events},
              {"failed_samples", r.failed_samples},
              {"time_limited_samples", r.time_limited_samples},
              {"approximation", r.approximation},
              {"baseline_contribution_gbp", r.baseline_contribution_gbp},
              {"percentiles",
               {{"contribution_gbp", percentiles(r.contribution_gbp)},
                {"disrupted_contribution_gbp", percentiles(r.disrupted_contribution_gbp)},
                {"units_lost", percentiles(r.units_lost)},
                {"disrupted_units_lost", percentiles(r.disrupted_units_lost)}}},
              {"distributions",
               json::array({{{"name", "contribution after recovery (GBP m)"}, {"samples", contribution}},
                            {{"name", "cars lost after recovery"}, {"samples", lost}},
                            {{"name", "cars lost with no action"}, {"samples", lost_no_action}}})},
              {"draws", draws}};
  out.update(RiskDownsideJson(s, r));
  return out;
}

}  // namespace cobuild::io
