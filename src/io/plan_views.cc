#include "io/plan_views.h"

#include <algorithm>

#include "io/csv.h"
#include "io/plan_io.h"
#include "model/powertrain.h"

namespace cobuild::io {

using nlohmann::json;

json PlanSummaryJson(const model::Scenario& s, const plan::PlanSummary& summary) {
  const int num_months = s.horizon.num_months;
  const int num_plants = static_cast<int>(s.plants.size());
  json months = json::array();
  for (int t = 0; t < num_months; ++t) months.push_back(model::ToString(s.horizon.MonthAt(t)));
  json plants = json::array();
  for (const auto& p : s.plants) {
    plants.push_back({{"id", p.id}, {"name", p.name}, {"company", s.companies[p.company].id}});
  }
  json companies = json::array();
  for (const auto& c : s.companies) companies.push_back({{"id", c.id}, {"name", c.name}});
  json brands = json::array();
  for (const auto& b : s.brands) {
    brands.push_back({{"id", b.id}, {"name", b.name}, {"company", s.companies[b.company].id}});
  }

  json built = json::array();
  json capacity = json::array();
  json share = json::array();
  for (int p = 0; p < num_plants; ++p) {
    json b = json::array();
    json c = json::array();
    json u = json::array();
    for (int t = 0; t < num_months; ++t) {
      const plan::PlantMonth& pm = summary.plant_months[static_cast<size_t>(p * num_months + t)];
      b.push_back(pm.built);
      c.push_back(pm.capacity);
      u.push_back(pm.utilization());
    }
    built.push_back(std::move(b));
    capacity.push_back(std::move(c));
    share.push_back(std::move(u));
  }
  std::vector<plan::BrandPlant> by_plant = summary.brand_plants;
  std::ranges::sort(by_plant, [](const auto& a, const auto& b) {
    return std::pair{a.plant, a.brand} < std::pair{b.plant, b.brand};
  });
  json units_by_brand = json::array();
  for (const auto& bp : by_plant) {
    if (bp.units <= 0) continue;
    units_by_brand.push_back(
        {{"plant", s.plants[bp.plant].id}, {"brand", s.brands[bp.brand].id}, {"units", bp.units}});
  }
  // Capacity against cars, the same fields for a line's horizon and a plant-year.
  auto output_json = [](const plan::Output& o) {
    return json{{"capacity", o.capacity},
                {"retooling_stop", o.retooling_stop},
                {"built", o.built},
                {"built_regular", o.built_regular},
                {"built_on_levers", o.built_on_levers},
                {"spare", o.spare()},
                {"lever_capacity", o.lever_capacity}};
  };
  json spare = json::array();
  for (int l = 0; l < static_cast<int>(s.lines.size()); ++l) {
    json row = output_json(summary.LineTotal(s, l));
    row["plant"] = s.plants[s.lines[l].plant].id;
    row["line"] = s.lines[l].id;
    spare.push_back(std::move(row));
  }
  json plant_years = json::array();
  for (const auto& py : summary.plant_years) {
    json by_company = json::array();
    for (size_t c = 0; c < py.built_by_company.size(); ++c) {
      by_company.push_back({{"company", s.companies[c].id}, {"built", py.built_by_company[c]}});
    }
    json row = output_json(py);
    row["plant"] = s.plants[py.plant].id;
    row["year"] = py.year;
    row["utilization"] = py.utilization();
    row["utilization_with_levers"] = py.utilization_with_levers();
    row["built_by_company"] = std::move(by_company);
    plant_years.push_back(std::move(row));
  }
  json variants = json::array();
  for (const auto& v : s.variants) {
    variants.push_back({{"id", v.id},
                        {"name", v.name},
                        {"brand", s.brands[s.models[v.model].brand].id},
                        {"powertrain", model::ToString(v.powertrain)}});
  }
  json lines = json::array();
  for (size_t l = 0; l < s.lines.size(); ++l) {
    json line_built = json::array();
    json line_capacity = json::array();
    json availability = json::array();
    json shifts = json::array();
    json extra_shifts = json::array();
    json weekend_days = json::array();
    json line_variants = json::array();
    for (int t = 0; t < num_months; ++t) {
      const plan::LineMonth& lm = summary.line_months[l * static_cast<size_t>(num_months) + t];
      line_built.push_back(lm.built);
      line_capacity.push_back(lm.capacity);
      availability.push_back(lm.availability);
      shifts.push_back(lm.shifts_per_day);
      extra_shifts.push_back(lm.extra_shifts_per_day);
      weekend_days.push_back(lm.weekend_days);
      for (const plan::VariantUnits& v : lm.variants) {
        line_variants.push_back(
            {{"month", months[t]}, {"variant", s.variants[v.variant].id}, {"units", v.units}});
      }
    }
    lines.push_back({{"id", s.lines[l].id},
                     {"name", s.lines[l].name},
                     {"plant", s.plants[s.lines[l].plant].id},
                     {"max_shifts_per_day", s.lines[l].max_shifts_per_day},
                     {"built", line_built},
                     {"capacity", line_capacity},
                     {"availability", availability},
                     {"shifts_per_day", shifts},
                     {"extra_shifts_per_day", extra_shifts},
                     {"weekend_days", weekend_days},
                     {"variants", line_variants}});
  }
  json calendars = json::array();
  for (const auto& p : s.plants) {
    json working = json::array();
    json shutdown = json::array();
    for (int t = 0; t < num_months; ++t) {
      const auto k = static_cast<size_t>(t);
      const double days = k < p.calendar.working_days.size() ? p.calendar.working_days[k] : 0.0;
      // A calendar built without base days (generated networks) has no shutdowns.
      const double base = k < p.calendar.base_working_days.size() ? p.calendar.base_working_days[k] : days;
      working.push_back(days);
      shutdown.push_back(std::max(0.0, base - days));
    }
    json declared = json::array();
    for (const auto& d : p.calendar.shutdowns) {
      declared.push_back({{"reason", d.reason}, {"month", model::ToString(d.month)}, {"weeks", d.weeks}});
    }
    calendars.push_back(
        {{"plant", p.id}, {"working_days", working}, {"shutdown_days", shutdown}, {"shutdowns", declared}});
  }
  json markets = json::array();
  for (const auto& m : summary.markets) {
    markets.push_back({{"market", s.markets[m.market].id},
                       {"sold", m.sold},
                       {"imported", m.imported},
                       {"duty_paid_gbp", m.duty_paid_gbp},
                       {"duty_avoided_gbp", m.duty_avoided_gbp},
                       {"unmet", m.unmet}});
  }
  json cost_by_plant = json::array();
  for (const auto& c : summary.cost_by_plant) {
    cost_by_plant.push_back({{"company", s.companies[c.company].id},
                             {"plant", s.plants[c.plant].id},
                             {"units", c.units},
                             {"kit_units", c.kit_units},
                             {"cost_per_car_gbp", c.CostPerCar()},
                             {"default_cost_per_car_gbp", c.DefaultCostPerCar()}});
  }
  json retooling = json::array();
  for (const auto& r : summary.retooled) {
    json downtime = json::array();
    for (int t : r.downtime_months) downtime.push_back(model::ToString(s.horizon.MonthAt(t)));
    json ramp = json::array();
    for (const auto& m : r.ramp) {
      ramp.push_back({{"month", model::ToString(s.horizon.MonthAt(m.month))},
                      {"share", m.share},
                      {"cap", m.cap},
                      {"built", m.built}});
    }
    retooling.push_back({{"plant", s.plants[s.lines[r.line].plant].id},
                         {"line", s.lines[r.line].id},
                         {"platform", s.platforms[r.platform].id},
                         {"decided", model::ToString(s.horizon.MonthAt(r.decision_month))},
                         {"ready", model::ToString(s.horizon.MonthAt(r.ready_month))},
                         {"downtime_weeks", r.downtime_weeks},
                         {"downtime_months", downtime},
                         {"downtime_lost_cars", r.downtime_lost_cars},
                         {"ramp_up", ramp}});
  }
  json shift_changes = json::array();
  for (const auto& c : summary.shift_changes) {
    shift_changes.push_back({{"plant", s.plants[s.lines[c.line].plant].id},
                             {"line", s.lines[c.line].id},
                             {"changes", c.changes},
                             {"shifts_added", c.shifts_added},
                             {"shifts_removed", c.shifts_removed},
                             {"cost_gbp", c.cost_gbp}});
  }
  // Finished-goods stock at each month's end, per plant with a stock block.
  json stock = json::array();
  for (const auto& curve : summary.stock) {
    stock.push_back({{"plant", s.plants[curve.plant].id},
                     {"units", curve.units},
                     {"peak", curve.peak()},
                     {"peak_month", curve.peak_month < 0 ? json() : json(months[curve.peak_month])},
                     {"holding_cost_gbp", curve.holding_cost_gbp}});
  }
  return {
      {"retooling", retooling},
      {"months", months},
      {"stock", stock},
      {"sold_after_horizon", summary.sold_after_horizon},
      {"plants", plants},
      {"companies", companies},
      {"brands", brands},
      {"utilization",
       {{"plants", plants}, {"months", months}, {"built", built}, {"capacity", capacity}, {"share", share}}},
      {"units_by_brand", units_by_brand},
      {"spare_capacity", spare},
      {"plant_years", plant_years},
      {"variants", variants},
      {"lines", lines},
      {"calendars", calendars},
      {"markets", markets},
      {"cost_by_plant", cost_by_plant},
      {"shift_changes", shift_changes}};
}

json PlanViewsJson(const model::Scenario& s, const plan::Plan& plan, const plan::PlanRequest& request) {
  json views = PlanSummaryJson(s, plan::Summarize(s, plan, request));
  double unmet = 0;
  for (const auto& u : plan.unmet) unmet += u.units;
  views["scenario"] = s.name;
  views["status"] = plan::ToString(plan.status);
  views["objective_gbp"] = plan.objective_gbp;
  AddPresentValueBasis(s, plan, views);
  views["bound_gbp"] = plan.bound_gbp;
  views["gap"] = plan.gap;
  views["penalties_gbp"] = plan.penalties_gbp;
  views["unmet_units"] = unmet;
  views["contributions"] = ContributionsToJson(s, plan);
  views["binding"] = BindingToJson(s, plan);
  views["stats"] = {{"build_seconds", plan.stats.build_seconds},
                    {"solve_seconds", plan.stats.solve_seconds},
                    {"columns", plan.stats.columns},
                    {"rows", plan.stats.rows},
                    {"nodes", plan.stats.nodes},
                    {"stop_rule", plan::ToString(plan.stats.stop_rule)},
                    {"solver_message", plan.stats.solver_message}};
  return views;
}

json PlanResultJson(const model::Scenario& s, const plan::Plan& plan, const plan::PlanRequest& request) {
  json result = PlanViewsJson(s, plan, request);
  result["plan"] = PlanToJson(s, plan);
  return result;
}

json PlantMonthsSideBySideJson(const model::Scenario& sa, const plan::PlanSummary& a,
                               const model::Scenario& sb, const plan::PlanSummary& b) {
  std::vector<std::string> plant_ids;
  json plants = json::array();
  for (const model::Scenario* s : {&sa, &sb}) {
    for (const auto& p : s->plants) {
      if (std::ranges::find(plant_ids, p.id) != plant_ids.end()) continue;
      plant_ids.push_back(p.id);
      plants.push_back({{"id", p.id}, {"name", p.name}});
    }
  }
  std::vector<model::YearMonth> months;
  for (const model::Scenario* s : {&sa, &sb}) {
    for (int t = 0; t < s->horizon.num_months; ++t) months.push_back(s->horizon.MonthAt(t));
  }
  std::ranges::sort(months);
  months.erase(std::unique(months.begin(), months.end()), months.end());
  json month_names = json::array();
  for (const auto& m : months) month_names.push_back(model::ToString(m));
  auto grid = [&](const model::Scenario& s, const plan::PlanSummary& summary, bool capacity) {
    json out = json::array();
    const int n = s.horizon.num_months;
    for (const std::string& id : plant_ids) {
      json row = json::array();
      const auto plant = std::ranges::find(s.plants, id, &model::Plant::id);
      for (const auto& m : months) {
        const int t = model::MonthsBetween(s.horizon.first, m);
        if (plant == s.plants.end() || t < 0 || t >= n) {
          row.push_back(nullptr);
          continue;
        }
        const auto p = static_cast<size_t>(plant - s.plants.begin());
        const plan::PlantMonth& pm =
            summary.plant_months[p * static_cast<size_t>(n) + static_cast<size_t>(t)];
        row.push_back(capacity ? pm.capacity : pm.built);
      }
      out.push_back(std::move(row));
    }
    return out;
  };
  return {{"plants", plants},
          {"months", month_names},
          {"a_built", grid(sa, a, false)},
          {"b_built", grid(sb, b, false)},
          {"a_capacity", grid(sa, a, true)},
          {"b_capacity", grid(sb, b, true)}};
}

std::string WriteProductionCsv(const model::Scenario& s, const plan::Plan& plan) {
  CsvWriter csv({"plant", "line", "variant", "brand", "company", "month", "units"});
  for (const auto& e : plan.production) {
    if (e.units <= 0) continue;
    const auto& line = s.lines[e.line];
    const auto& brand = s.brands[s.models[s.variants[e.variant].model].brand];
    csv.AddRow({s.plants[line.plant].id, line.id, s.variants[e.variant].id, brand.id,
                s.companies[brand.company].id, model::ToString(s.horizon.MonthAt(e.month)),
                CsvNumber(e.units)});
  }
  return csv.str();
}

}  // namespace cobuild::io
