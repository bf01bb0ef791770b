#include "server/engines.h"

#include <cmath>
#include <map>
#include <string>

#include "io/plan_io.h"
#include "io/scenario_reader.h"
#include "plan/planner.h"
#include "plan/plan_request.h"

namespace cobuild::server {
namespace {

using nlohmann::json;

Result<model::Scenario> ParseStored(const ScenarioRecord& record) {
  return io::ParseScenario(record.yaml, record.file_name);
}

std::string Csv(std::string_view text) {
  if (text.find_first_of(",\"\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Number(double x) {
  // Whole cars print without a fraction; others keep what matters.
  if (std::abs(x - std::round(x)) < 1e-9) return std::to_string(static_cast<int64_t>(std::round(x)));
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", x);
  return buffer;
}

// Reads an optional number param within [lo, hi].
Result<double> NumberParam(const json& params, const char* key, double fallback, double lo,
                           double hi) {
  if (!params.contains(key)) return fallback;
  const json& v = params[key];
  if (!v.is_number() || v.get<double>() < lo || v.get<double>() > hi) {
    return InvalidInput(std::string("params.") + key + ": expected a number in [" + Number(lo) +
                        ", " + Number(hi) + "], got " + v.dump());
  }
  return v.get<double>();
}

Result<void> CheckKeys(const json& params, std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : params.items()) {
    bool known = false;
    std::string list;
    for (std::string_view a : allowed) {
      known = known || key == a;
      list += (list.empty() ? "" : ", ") + std::string(a);
    }
    if (!known) return InvalidInput("params." + key + ": unknown parameter (expected " + list + ")");
  }
  return {};
}

Result<JobOutput> RunValidate(const JobContext& job) {
  if (auto r = CheckKeys(job.params, {}); !r) return std::unexpected(r.error());
  job.report_progress(0.1, "reading scenario");
  auto scenario = ParseStored(*job.scenario);
  if (!scenario) return std::unexpected(scenario.error());
  std::string csv = "plant,line,max_cars_per_year_avg\n";
  const int months = scenario->horizon.num_months;
  for (int l = 0; l < static_cast<int>(scenario->lines.size()); ++l) {
    double total = 0;
    for (int t = 0; t < months; ++t) total += scenario->MaxLineCars(l, t);
    const auto& line = scenario->lines[l];
    csv += Csv(scenario->plants[line.plant].id) + "," + Csv(line.id) + "," +
           Number(std::round(months > 0 ? total * 12 / months : 0)) + "\n";
  }
  return JobOutput{.json = {{"name", scenario->name}, {"summary", ScenarioSummary(*scenario)}},
                   .csv = std::move(csv)};
}

Result<JobOutput> RunPlan(const JobContext& job) {
  if (auto r = CheckKeys(job.params, {"time_limit_seconds", "relative_gap", "seed", "max_nodes"});
      !r) {
    return std::unexpected(r.error());
  }
  auto time_limit = NumberParam(job.params, "time_limit_seconds", 30, 0.1, 600);
  auto gap = NumberParam(job.params, "relative_gap", 1e-4, 0, 1);
  auto seed = NumberParam(job.params, "seed", 1, 0, 2147483647);
  auto nodes = NumberParam(job.params, "max_nodes", -1, -1, 1e12);
  for (const auto* r : {&time_limit, &gap, &seed, &nodes}) {
    if (!*r) return std::unexpected(r->error());
  }
  job.report_progress(0.02, "reading scenario");
  auto scenario = ParseStored(*job.scenario);
  if (!scenario) return std::unexpected(scenario.error());

  plan::PlanRequest request;
  request.options.solve.time_limit_seconds = *time_limit;
  request.options.solve.relative_gap = *gap;
  request.options.solve.seed = static_cast<int>(*seed);
  request.options.solve.max_nodes = static_cast<int64_t>(*nodes);
  const double limit = *time_limit;
  request.options.solve.on_progress = [&job, limit](const plan::Progress& p) {
    std::string message = p.phase;
    if (p.has_incumbent) {
      message += ": best GBP " + Number(std::round(p.incumbent_gbp)) + ", gap " +
                 Number(std::round(p.gap * 10000) / 100) + "%";
    }
    job.report_progress(std::min(0.95, 0.05 + 0.9 * p.elapsed_seconds / limit), message);
  };
  job.report_progress(0.05, "building the model");
  auto plan = plan::SolvePlan(*scenario, request);
  if (!plan) return std::unexpected(plan.error());
  if (!plan->HasSolution()) {
    return InvalidInput("the planner found no plan: " + std::string(plan::ToString(plan->status)) +
                        (plan->stats.solver_message.empty() ? "" : " (" + plan->stats.solver_message + ")"));
  }
  json views = PlanViews(*scenario, *plan);
  // The plan file itself, as `cobuild plan` writes it, for check-plan and sequence.
  views["plan"] = io::PlanToJson(*scenario, *plan);
  return JobOutput{.json = std::move(views), .csv = ProductionCsv(*scenario, *plan)};
}

}  // namespace

ScenarioCheck ValidateScenarioYaml(std::string_view yaml, std::string_view file_name) {
  io::ScenarioParse parsed = io::ParseScenarioDetailed(yaml, file_name);
  ScenarioCheck check;
  for (const auto& d : parsed.diagnostics) {
    check.errors.push_back({.file = d.file,
                            .line = d.line,
                            .column = d.column,
                            .path = d.path,
                            .message = d.message});
  }
  if (parsed.scenario && check.errors.empty()) {
    check.name = parsed.scenario->name;
    check.summary = ScenarioSummary(*parsed.scenario);
  } else if (check.errors.empty()) {
    check.errors.push_back({.file = std::string(file_name),
                            .line = 0,
                            .column = 0,
                            .path = "",
                            .message = "the scenario could not be read"});
  }
  return check;
}

json ScenarioSummary(const model::Scenario& s) {
  json plants = json::array();
  for (const auto& p : s.plants) plants.push_back({{"id", p.id}, {"name", p.name}});
  return {{"description", s.description},
          {"first_month", model::ToString(s.horizon.first)},
          {"months", s.horizon.num_months},
          {"companies", s.companies.size()},
          {"brands", s.brands.size()},
          {"plants", plants},
          {"lines", s.lines.size()},
          {"markets", s.markets.size()},
          {"models", s.models.size()},
          {"variants", s.variants.size()},
          {"contracts", s.contracts.size()}};
}

json PlanViews(const model::Scenario& s, const plan::Plan& plan) {
  const int num_months = s.horizon.num_months;
  const int num_plants = static_cast<int>(s.plants.size());
  json months = json::array();
  for (int t = 0; t < num_months; ++t) months.push_back(model::ToString(s.horizon.MonthAt(t)));
  json plants = json::array();
  for (const auto& p : s.plants) plants.push_back({{"id", p.id}, {"name", p.name}});
  json companies = json::array();
  for (const auto& c : s.companies) companies.push_back({{"id", c.id}, {"name", c.name}});
  json brands = json::array();
  for (const auto& b : s.brands) {
    brands.push_back({{"id", b.id}, {"name", b.name}, {"company", s.companies[b.company].id}});
  }

  std::vector<std::vector<double>> built(num_plants, std::vector<double>(num_months, 0));
  std::vector<std::vector<double>> capacity(num_plants, std::vector<double>(num_months, 0));
  std::vector<double> line_built(s.lines.size(), 0);
  std::vector<double> line_capacity(s.lines.size(), 0);
  std::map<std::pair<int, int>, double> by_plant_brand;
  for (int l = 0; l < static_cast<int>(s.lines.size()); ++l) {
    for (int t = 0; t < num_months; ++t) {
      const double cars = s.MaxLineCars(l, t);
      capacity[s.lines[l].plant][t] += cars;
      line_capacity[l] += cars;
    }
  }
  for (const auto& e : plan.production) {
    const int plant = s.lines[e.line].plant;
    built[plant][e.month] += e.units;
    line_built[e.line] += e.units;
    by_plant_brand[{plant, s.models[s.variants[e.variant].model].brand}] += e.units;
  }
  json share = json::array();
  for (int p = 0; p < num_plants; ++p) {
    json row = json::array();
    for (int t = 0; t < num_months; ++t) {
      row.push_back(capacity[p][t] > 0 ? built[p][t] / capacity[p][t] : 0.0);
    }
    share.push_back(row);
  }
  json units_by_brand = json::array();
  for (const auto& [key, units] : by_plant_brand) {
    if (units <= 0) continue;
    units_by_brand.push_back(
        {{"plant", s.plants[key.first].id}, {"brand", s.brands[key.second].id}, {"units", units}});
  }
  json spare = json::array();
  for (int l = 0; l < static_cast<int>(s.lines.size()); ++l) {
    spare.push_back({{"plant", s.plants[s.lines[l].plant].id},
                     {"line", s.lines[l].id},
                     {"capacity", line_capacity[l]},
                     {"built", line_built[l]},
                     {"spare", std::max(0.0, line_capacity[l] - line_built[l])}});
  }
  json contributions = json::array();
  for (const auto& c : plan.contributions) {
    contributions.push_back({{"company", s.companies[c.company].id},
                             {"units_sold", c.units_sold},
                             {"revenue_gbp", c.revenue_gbp},
                             {"variable_cost_gbp", c.variable_cost_gbp},
                             {"freight_gbp", c.freight_gbp},
                             {"duty_gbp", c.duty_gbp},
                             {"fee_income_gbp", c.fee_income_gbp},
                             {"fee_paid_gbp", c.fee_paid_gbp},
                             {"shift_cost_gbp", c.shift_cost_gbp},
                             {"retooling_cost_gbp", c.retooling_cost_gbp},
                             {"contribution_gbp", c.contribution_gbp}});
  }
  json binding = json::array();
  for (const auto& b : plan.binding) {
    binding.push_back({{"kind", b.kind},
                       {"line", b.line >= 0 ? json(s.lines[b.line].id) : json(nullptr)},
                       {"month", b.month >= 0 ? json(months[b.month]) : json(nullptr)},
                       {"year", b.year},
                       {"dual_gbp_per_car", b.dual_gbp_per_car},
                       {"value_gbp", b.value_gbp},
                       {"text", b.text}});
  }
  double unmet = 0;
  for (const auto& u : plan.unmet) unmet += u.units;
  return {{"scenario", s.name},
          {"status", plan::ToString(plan.status)},
          {"objective_gbp", plan.objective_gbp},
          {"bound_gbp", plan.bound_gbp},
          {"gap", plan.gap},
          {"penalties_gbp", plan.penalties_gbp},
          {"unmet_units", unmet},
          {"months", months},
          {"plants", plants},
          {"companies", companies},
          {"brands", brands},
          {"utilization",
           {{"plants", plants}, {"months", months}, {"built", built}, {"capacity", capacity},
            {"share", share}}},
          {"units_by_brand", units_by_brand},
          {"spare_capacity", spare},
          {"contributions", contributions},
          {"binding", binding},
          {"stats",
           {{"build_seconds", plan.stats.build_seconds},
            {"solve_seconds", plan.stats.solve_seconds},
            {"columns", plan.stats.columns},
            {"rows", plan.stats.rows},
            {"nodes", plan.stats.nodes},
            {"solver_message", plan.stats.solver_message}}}};
}

std::string ProductionCsv(const model::Scenario& s, const plan::Plan& plan) {
  std::string out = "plant,line,variant,brand,company,month,units\n";
  for (const auto& e : plan.production) {
    if (e.units <= 0) continue;
    const auto& line = s.lines[e.line];
    const auto& brand = s.brands[s.models[s.variants[e.variant].model].brand];
    out += Csv(s.plants[line.plant].id) + "," + Csv(line.id) + "," + Csv(s.variants[e.variant].id) +
           "," + Csv(brand.id) + "," + Csv(s.companies[brand.company].id) + "," +
           model::ToString(s.horizon.MonthAt(e.month)) + "," + Number(e.units) + "\n";
  }
  return out;
}

JobRegistry DefaultJobRegistry() {
  JobRegistry registry;
  registry.Register({.name = "validate",
                     .description = "re-read a stored scenario: summary and line capacity",
                     .needs_scenario = true,
                     .handler = RunValidate});
  registry.Register({.name = "plan",
                     .description = "network plan: production, shifts, contribution per company",
                     .needs_scenario = true,
                     .handler = RunPlan});
  return registry;
}

}  // namespace cobuild::server
