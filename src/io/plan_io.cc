#include "io/plan_io.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>
#include <utility>

#include "io/csv.h"
#include "io/event_reader.h"
#include "io/text_lines.h"

namespace cobuild::io {
namespace {

using nlohmann::json;

std::string Month(const model::Scenario& s, int t) { return model::ToString(s.horizon.MonthAt(t)); }

// "2026-03" -> horizon index, or -1.
int ParseMonth(const model::Scenario& s, std::string_view text) {
  auto ym = model::ParseYearMonth(text);
  return ym ? s.horizon.IndexOf(*ym) : -1;
}

// Cars are whole in every plan the planner makes (rounding.h); a fractional
// value (a disrupted plan, fractional demand) is written exactly, so the
// money recomputed from the file matches the plan's.
std::string Number(double v) { return v == std::floor(v) ? fmt::format("{:.0f}", v) : fmt::format("{}", v); }
json Cars(double v) {
  if (v == std::floor(v) && std::abs(v) < 9e15) return json(static_cast<int64_t>(v));
  return json(v);
}
// Money to the penny.
std::string Money(double v) { return fmt::format("{:.2f}", v); }

// The CSV's records of a company's breakdown (company in `company`, money in
// `value_gbp`), in the order written.
constexpr std::pair<const char*, double plan::CompanyContribution::*> kBreakdown[] = {
    {"revenue", &plan::CompanyContribution::revenue_gbp},
    {"variable_cost", &plan::CompanyContribution::variable_cost_gbp},
    {"freight", &plan::CompanyContribution::freight_gbp},
    {"duty", &plan::CompanyContribution::duty_gbp},
    {"fee_income", &plan::CompanyContribution::fee_income_gbp},
    {"fee_paid", &plan::CompanyContribution::fee_paid_gbp},
    {"shift_cost", &plan::CompanyContribution::shift_cost_gbp},
    {"shift_change_cost", &plan::CompanyContribution::shift_change_cost_gbp},
    {"retooling_cost", &plan::CompanyContribution::retooling_cost_gbp},
    {"contribution_pv", &plan::CompanyContribution::contribution_pv_gbp},
    {"holding_cost", &plan::CompanyContribution::holding_cost_gbp},
};

// Resolves ids and months of one record, collecting the first error.
class Resolver {
 public:
  Resolver(const model::Scenario& s, std::string where) : s_(s), where_(std::move(where)) {}
  const std::string& error() const { return error_; }
  bool ok() const { return error_.empty(); }

  int Line(std::string_view id) { return Check(s_.FindLine(id), "line", id); }
  int Plant(std::string_view id) { return Check(s_.FindPlant(id), "plant", id); }
  int Variant(std::string_view id) { return Check(s_.FindVariant(id), "variant", id); }
  int Market(std::string_view id) { return Check(s_.FindMarket(id), "market", id); }
  int Platform(std::string_view id) { return Check(s_.FindPlatform(id), "platform", id); }
  int Company(std::string_view id) { return Check(s_.FindCompany(id), "company", id); }
  int Contract(std::string_view id) {
    for (size_t c = 0; c < s_.contracts.size(); ++c) {
      if (s_.contracts[c].id == id) return static_cast<int>(c);
    }
    return Check(-1, "contract", id);
  }
  int MonthIndex(std::string_view text, const char* field) {
    const int t = ParseMonth(s_, text);
    if (t < 0)
      Fail(
          fmt::format("{}: expected a month YYYY-MM inside the scenario's horizon, found '{}'", field, text));
    return t;
  }
  // A month inside the horizon or in the 12 after it (a car shipped in the
  // last months and sold after the horizon, docs/planning-model.md, "The
  // horizon's end").
  int ArrivalIndex(std::string_view text, const char* field) {
    const auto ym = model::ParseYearMonth(text);
    const int t = ym ? (ym->year - s_.horizon.first.year) * 12 + (ym->month - s_.horizon.first.month) : -1;
    if (t < 0 || t >= s_.horizon.num_months + 12) {
      Fail(
          fmt::format("{}: expected a month YYYY-MM inside the scenario's horizon or the 12 months after it, "
                      "found '{}'",
                      field, text));
      return -1;
    }
    return t;
  }
  double Units(double v, const char* field) {
    if (!std::isfinite(v)) Fail(fmt::format("{}: expected a finite number", field));
    return v;
  }
  void Fail(std::string message) {
    if (error_.empty()) error_ = where_ + ": " + std::move(message);
  }

 private:
  int Check(int index, const char* what, std::string_view id) {
    if (index < 0) Fail(fmt::format("{}: unknown {} id '{}'", what, what, id));
    return index;
  }
  const model::Scenario& s_;
  std::string where_;
  std::string error_;
};

// A file's whole shifts count (extra shifts, weekend days), or an error.
int FindContract(const model::Scenario& s, std::string_view id) {
  for (size_t c = 0; c < s.contracts.size(); ++c) {
    if (s.contracts[c].id == id) return static_cast<int>(c);
  }
  return -1;
}

int WholeCount(Resolver& r, double v, const char* field) {
  if (v != std::floor(v) || std::abs(v) > 1e6)
    r.Fail(fmt::format("{}: expected a whole number, found {}", field, v));
  return static_cast<int>(v);
}

}  // namespace

namespace {

// The deal rules' floors (docs/planning-model.md, "Participation and
// host-first"), null without deal rules.
json DealFloorsToJson(const model::Scenario& s, const plan::DealFloors& f) {
  if (f.empty() || f.contract < 0) return json();
  json companies = json::object();
  for (size_t c = 0; c < f.contribution_pv_gbp.size() && c < s.companies.size(); ++c) {
    companies[s.companies[c].id] = f.contribution_pv_gbp[c];
  }
  json output = json::array();
  for (const auto& o : f.host_output) {
    output.push_back(
        {{"plant", s.plants[static_cast<size_t>(o.plant)].id}, {"year", o.year}, {"units", o.units}});
  }
  return {{"contract", s.contracts[static_cast<size_t>(f.contract)].id},
          {"contribution_pv_gbp", f.contribution_pv_gbp.empty() ? json() : companies},
          {"host_output", std::move(output)}};
}

}  // namespace

json BasisToJson(const model::Scenario& s, const plan::PlanBasis& b) {
  json brands = json::array();
  for (int brand : b.excluded_brands) brands.push_back(s.brands[static_cast<size_t>(brand)].id);
  json events = json::array();
  for (const auto& e : b.events) events.push_back(EventToText(s, e));
  const plan::Levers& l = b.levers;
  json contracts = json::array();
  for (int c : b.excluded_contracts) contracts.push_back(s.contracts[static_cast<size_t>(c)].id);
  return {{"levers",
           {{"extra_shifts_per_day", l.extra_shifts_per_day},
            {"extra_shift_premium", l.extra_shift_premium},
            {"weekend_days_per_month", l.weekend_days_per_month},
            {"weekend_premium", l.weekend_premium},
            {"backlog_max_months", l.backlog.max_months},
            {"backlog_delay_cost_gbp_per_car_month", l.backlog.delay_cost_gbp_per_car_month}}},
          {"excluded_brands", std::move(brands)},
          {"excluded_contracts", std::move(contracts)},
          {"events", std::move(events)},
          {"frozen_before", b.frozen_months > 0 ? json(Month(s, b.frozen_months)) : json()},
          {"stability_penalty_gbp_per_car", b.stability_penalty_gbp_per_car},
          {"stability_penalty_gbp", b.stability_penalty_gbp},
          {"deal_floors", DealFloorsToJson(s, b.deal_floors)}};
}

void AddPresentValueBasis(const model::Scenario& s, const plan::Plan& p, json& j) {
  // With a discount rate the objective is in present value
  // (docs/planning-model.md, "Present value and tooling life"); the
  // nominal one beside it for a reader. Informational: read back from the
  // contributions, not from here.
  if (s.settings.discount_rate_per_year == 0) return;
  double nominal = -p.penalties_gbp;
  for (const auto& c : p.contributions) nominal += c.contribution_gbp;
  j["discount_rate_per_year"] = s.settings.discount_rate_per_year;
  j["objective_nominal_gbp"] = plan::Pennies(nominal);
}

json ContributionsToJson(const model::Scenario& s, const plan::Plan& p) {
  json contributions = json::array();
  for (const auto& c : p.contributions) {
    contributions.push_back({{"company", s.companies[c.company].id},
                             {"units_sold", Cars(c.units_sold)},
                             {"revenue_gbp", c.revenue_gbp},
                             {"variable_cost_gbp", c.variable_cost_gbp},
                             {"freight_gbp", c.freight_gbp},
                             {"duty_gbp", c.duty_gbp},
                             {"fee_income_gbp", c.fee_income_gbp},
                             {"fee_paid_gbp", c.fee_paid_gbp},
                             {"shift_cost_gbp", c.shift_cost_gbp},
                             {"shift_change_cost_gbp", c.shift_change_cost_gbp},
                             {"retooling_cost_gbp", c.retooling_cost_gbp},
                             {"holding_cost_gbp", c.holding_cost_gbp},
                             {"contribution_gbp", c.contribution_gbp},
                             {"contribution_pv_gbp", c.contribution_pv_gbp}});
  }
  return contributions;
}

json BindingToJson(const model::Scenario& s, const plan::Plan& p) {
  json binding = json::array();
  for (const auto& b : p.binding) {
    binding.push_back({{"kind", b.kind},
                       {"text", b.text},
                       {"value_gbp", b.value_gbp},
                       {"dual_gbp_per_car", b.dual_gbp_per_car},
                       {"line", b.line >= 0 ? json(s.lines[b.line].id) : json()},
                       {"contract", b.contract >= 0 ? json(s.contracts[b.contract].id) : json()},
                       {"month", b.month >= 0 ? json(Month(s, b.month)) : json()},
                       {"year", b.year}});
  }
  return binding;
}

json PlanToJson(const model::Scenario& s, const plan::Plan& p) {
  json j;
  j["scenario"] = p.scenario_name;
  j["status"] = std::string(plan::ToString(p.status));
  j["objective_gbp"] = p.objective_gbp;
  AddPresentValueBasis(s, p, j);
  j["bound_gbp"] = p.bound_gbp;
  j["gap"] = p.gap;
  j["penalties_gbp"] = p.penalties_gbp;
  json& production = j["production"] = json::array();
  for (const auto& e : p.production) {
    production.push_back({{"line", s.lines[e.line].id},
                          {"variant", s.variants[e.variant].id},
                          {"month", Month(s, e.month)},
                          {"units", Cars(e.units)}});
  }
  json& shifts = j["shifts"] = json::array();
  for (const auto& e : p.shifts) {
    json entry = {
        {"line", s.lines[e.line].id}, {"month", Month(s, e.month)}, {"shifts_per_day", e.shifts_per_day}};
    // Lever use (docs/planning-model.md, "Levers"), written where used.
    if (e.extra_shifts_per_day != 0) entry["extra_shifts_per_day"] = e.extra_shifts_per_day;
    if (e.weekend_days != 0) entry["weekend_days"] = e.weekend_days;
    shifts.push_back(std::move(entry));
  }
  json& retooling = j["retooling"] = json::array();
  for (const auto& e : p.retooling) {
    retooling.push_back({{"line", s.lines[e.line].id},
                         {"platform", s.platforms[e.platform].id},
                         {"month", Month(s, e.month)}});
  }
  json& shipments = j["shipments"] = json::array();
  for (const auto& e : p.shipments) {
    shipments.push_back({{"plant", s.plants[e.plant].id},
                         {"variant", s.variants[e.variant].id},
                         {"market", s.markets[e.market].id},
                         {"month", Month(s, e.month)},
                         {"arrival_month", Month(s, e.arrival_month)},
                         {"units", Cars(e.units)}});
  }
  json& unmet = j["unmet"] = json::array();
  for (const auto& e : p.unmet) {
    unmet.push_back({{"variant", s.variants[e.variant].id},
                     {"market", s.markets[e.market].id},
                     {"month", Month(s, e.month)},
                     {"units", Cars(e.units)}});
  }
  json& stock = j["stock"] = json::array();
  for (const auto& e : p.stock) {
    stock.push_back({{"plant", s.plants[e.plant].id},
                     {"variant", s.variants[e.variant].id},
                     {"month", Month(s, e.month)},
                     {"units", Cars(e.units)}});
  }
  json& backlog = j["backlog"] = json::array();
  for (const auto& e : p.backlog) {
    backlog.push_back({{"variant", s.variants[e.variant].id},
                       {"market", s.markets[e.market].id},
                       {"month", Month(s, e.month)},
                       {"units", Cars(e.units)}});
  }
  json& shortfalls = j["contract_shortfalls"] = json::array();
  for (const auto& e : p.contract_shortfalls) {
    shortfalls.push_back(
        {{"contract", s.contracts[e.contract].id}, {"year", e.year}, {"units", Cars(e.units)}});
  }
  j["contributions"] = ContributionsToJson(s, p);
  j["binding"] = BindingToJson(s, p);
  json& causes = j["unmet_causes"] = json::array();
  for (const auto& c : p.unmet_causes) {
    causes.push_back({{"variant", s.variants[c.variant].id},
                      {"market", s.markets[c.market].id},
                      {"month", Month(s, c.month)},
                      {"units", Cars(c.units)},
                      {"reason", c.reason}});
  }
  j["basis"] = BasisToJson(s, p.basis);
  j["stats"] = {{"build_seconds", p.stats.build_seconds},
                {"solve_seconds", p.stats.solve_seconds},
                {"columns", p.stats.columns},
                {"rows", p.stats.rows},
                {"integer_columns", p.stats.integer_columns},
                {"nonzeros", p.stats.nonzeros},
                {"nodes", p.stats.nodes},
                {"lp_bound_gbp", plan::Pennies(p.stats.lp_bound_gbp)},
                {"starting_plan_objective_gbp", plan::Pennies(p.stats.starting_plan_objective_gbp)},
                {"rounding_loss_gbp", plan::Pennies(p.stats.rounding_loss_gbp)},
                {"preprocessing_retry", p.stats.preprocessing_retry},
                {"stop_rule", plan::ToString(p.stats.stop_rule)},
                {"gap_target", p.stats.gap_target},
                {"stall_seconds", p.stats.stall_seconds},
                {"improvement_subproblems", p.stats.improvement_subproblems},
                {"improvements", p.stats.improvements},
                {"root_cuts", p.stats.root_cuts},
                {"retool_climb_moves", p.stats.retool_climb_moves},
                {"retool_beside", p.stats.retool_beside},
                {"retool_lps", p.stats.retool_lps},
                {"binding_not_repriced", p.stats.binding_not_repriced},
                {"solver_message", p.stats.solver_message}};
  return j;
}

std::string WritePlanJson(const model::Scenario& scenario, const plan::Plan& plan) {
  return PlanToJson(scenario, plan).dump(1) + "\n";
}

std::string WritePlanCsv(const model::Scenario& s, const plan::Plan& p) {
  std::string out = "record,line,plant,variant,market,month,arrival_month,platform,company,units,value_gbp\n";
  auto row = [&](std::string_view record, std::string_view line, std::string_view plant,
                 std::string_view variant, std::string_view market, std::string_view month,
                 std::string_view arrival, std::string_view platform, std::string_view company,
                 std::string_view units, std::string_view value) {
    out +=
        fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", CsvField(record), CsvField(line), CsvField(plant),
                    CsvField(variant), CsvField(market), CsvField(month), CsvField(arrival),
                    CsvField(platform), CsvField(company), CsvField(units), CsvField(value));
  };
  for (const auto& e : p.production) {
    row("production", s.lines[e.line].id, s.plants[s.lines[e.line].plant].id, s.variants[e.variant].id, "",
        Month(s, e.month), "", "", "", Number(e.units), "");
  }
  for (const auto& e : p.shifts) {
    row("shift", s.lines[e.line].id, s.plants[s.lines[e.line].plant].id, "", "", Month(s, e.month), "", "",
        "", std::to_string(e.shifts_per_day), "");
    if (e.extra_shifts_per_day != 0) {
      row("extra_shifts", s.lines[e.line].id, s.plants[s.lines[e.line].plant].id, "", "", Month(s, e.month),
          "", "", "", std::to_string(e.extra_shifts_per_day), "");
    }
    if (e.weekend_days != 0) {
      row("weekend_days", s.lines[e.line].id, s.plants[s.lines[e.line].plant].id, "", "", Month(s, e.month),
          "", "", "", std::to_string(e.weekend_days), "");
    }
  }
  for (const auto& e : p.retooling) {
    row("retool", s.lines[e.line].id, "", "", "", Month(s, e.month), "", s.platforms[e.platform].id, "", "",
        "");
  }
  for (const auto& e : p.shipments) {
    row("shipment", "", s.plants[e.plant].id, s.variants[e.variant].id, s.markets[e.market].id,
        Month(s, e.month), Month(s, e.arrival_month), "", "", Number(e.units), "");
  }
  for (const auto& e : p.unmet) {
    row("unmet", "", "", s.variants[e.variant].id, s.markets[e.market].id, Month(s, e.month), "", "", "",
        Number(e.units), "");
  }
  for (const auto& e : p.stock) {
    row("stock", "", s.plants[e.plant].id, s.variants[e.variant].id, "", Month(s, e.month), "", "", "",
        Number(e.units), "");
  }
  for (const auto& e : p.backlog) {
    row("backlog", "", "", s.variants[e.variant].id, s.markets[e.market].id, Month(s, e.month), "", "", "",
        Number(e.units), "");
  }
  for (const auto& e : p.contract_shortfalls) {
    // The contract id travels in the `company` column, the year in `month`.
    row("shortfall", "", "", "", "", std::to_string(e.year), "", "", s.contracts[e.contract].id,
        Number(e.units), "");
  }
  for (const auto& c : p.contributions) {
    for (const auto& [record, field] : kBreakdown) {
      row(record, "", "", "", "", "", "", "", s.companies[c.company].id, "", Money(c.*field));
    }
    row("contribution", "", "", "", "", "", "", "", s.companies[c.company].id, Number(c.units_sold),
        Money(c.contribution_gbp));
  }
  // The basis: levers (name in `company`, value in `units`), excluded
  // brands, events (their lists hold commas: quoted as every field that
  // needs it, io/csv.h), frozen months and the
  // stability penalty (per car in `units`, the amount in `value_gbp`).
  const plan::PlanBasis& b = p.basis;
  const plan::Levers& l = b.levers;
  for (const auto& [name, value] :
       {std::pair{"extra_shifts_per_day", double(l.extra_shifts_per_day)},
        {"extra_shift_premium", l.extra_shift_premium},
        {"weekend_days_per_month", double(l.weekend_days_per_month)},
        {"weekend_premium", l.weekend_premium},
        {"backlog_max_months", double(l.backlog.max_months)},
        {"backlog_delay_cost_gbp_per_car_month", l.backlog.delay_cost_gbp_per_car_month}}) {
    row("lever", "", "", "", "", "", "", "", name, Number(value), "");
  }
  for (int brand : b.excluded_brands)
    row("excluded_brand", "", "", "", "", "", "", "", s.brands[brand].id, "", "");
  for (int c : b.excluded_contracts)
    row("excluded_contract", "", "", "", "", "", "", "", s.contracts[static_cast<size_t>(c)].id, "", "");
  for (const auto& e : b.events) {
    row("event", "", "", "", "", "", "", "", EventToText(s, e), "", "");
  }
  if (b.frozen_months > 0)
    row("frozen_before", "", "", "", "", Month(s, b.frozen_months), "", "", "", "", "");
  if (b.stability_penalty_gbp_per_car != 0 || b.stability_penalty_gbp != 0) {
    row("stability_penalty", "", "", "", "", "", "", "", "", Number(b.stability_penalty_gbp_per_car),
        Number(b.stability_penalty_gbp));
  }
  // Deal floors: the contract, each company's participation floor (value),
  // the host-first floors (plant, the year in `month`, units).
  if (const plan::DealFloors& f = b.deal_floors; !f.empty() && f.contract >= 0) {
    row("deal_contract", "", "", "", "", "", "", "", s.contracts[static_cast<size_t>(f.contract)].id, "", "");
    for (size_t c = 0; c < f.contribution_pv_gbp.size() && c < s.companies.size(); ++c) {
      row("participation_floor", "", "", "", "", "", "", "", s.companies[c].id, "",
          Money(f.contribution_pv_gbp[c]));
    }
    for (const auto& o : f.host_output) {
      row("host_first_floor", "", s.plants[static_cast<size_t>(o.plant)].id, "", "", std::to_string(o.year),
          "", "", "", Number(o.units), "");
    }
  }
  row("penalties", "", "", "", "", "", "", "", "", "", Money(p.penalties_gbp));
  row("bound", "", "", "", "", "", "", "", "", "", Money(p.bound_gbp));
  row("objective", "", "", "", "", "", "", "", std::string(plan::ToString(p.status)), "",
      Money(p.objective_gbp));
  return out;
}

namespace {

// ParsePlanJson without the guard against type errors; `named` receives the
// scenario the document names, as soon as it is known.
Result<plan::Plan> ParsePlanJsonFields(std::string_view text, std::string_view file_name,
                                       const model::Scenario& scenario, const PlannedOn& planned_on,
                                       std::string& named) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    // Byte offset to line number.
    const size_t offset = std::min<size_t>(e.byte, text.size());
    const size_t line =
        1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
    return InvalidInput(fmt::format("{}:{}: not valid JSON: {}", file_name, line, e.what()));
  } catch (const json::exception& e) {
    // A number beyond double range (1e999) is "number overflow": bad input too.
    return InvalidInput(fmt::format("{}: not valid JSON: {}", file_name, e.what()));
  }
  if (!j.is_object()) return InvalidInput(fmt::format("{}:1: expected a JSON object with a plan", file_name));
  // A plan result document (`cobuild plan --format json`, the API's plan
  // job, io::PlanResultJson) holds the plan file under "plan".
  if (j.contains("plan") && j["plan"].is_object()) {
    json inner = std::move(j["plan"]);
    j = std::move(inner);
  }
  if (j.contains("scenario") && j["scenario"].is_string()) named = j["scenario"].get<std::string>();
  plan::Plan p;
  // The basis first, against the scenario; the entries against the scenario
  // with the basis's events applied (a contract change adds contracts).
  if (j.contains("basis")) {
    auto basis = ParseBasisJson(j["basis"], fmt::format("{}: basis", file_name), scenario);
    if (!basis) return std::unexpected(basis.error());
    p.basis = std::move(*basis);
  }
  model::Scenario with_events;
  const model::Scenario* resolved = &scenario;
  if (planned_on && !p.basis.events.empty()) {
    auto applied = planned_on(p.basis);
    if (!applied)
      return InvalidInput(fmt::format("{}: basis.events: {}", file_name, applied.error().message));
    with_events = std::move(*applied);
    resolved = &with_events;
  }
  const model::Scenario& s = *resolved;
  std::string error;
  auto str = [&](const json& o, const char* key, const std::string& where) -> std::string {
    if (!o.is_object() || !o.contains(key) || !o[key].is_string()) {
      if (error.empty()) error = fmt::format("{}: {}.{}: expected a string", file_name, where, key);
      return {};
    }
    return o[key].get<std::string>();
  };
  auto num = [&](const json& o, const char* key, const std::string& where) -> double {
    if (!o.is_object() || !o.contains(key) || !o[key].is_number()) {
      if (error.empty()) error = fmt::format("{}: {}.{}: expected a number", file_name, where, key);
      return 0;
    }
    return o[key].get<double>();
  };
  auto array = [&](const char* key) -> const json& {
    static const json kEmpty = json::array();
    if (!j.contains(key)) return kEmpty;
    if (!j[key].is_array()) {
      if (error.empty()) error = fmt::format("{}: {}: expected an array", file_name, key);
      return kEmpty;
    }
    return j[key];
  };
  p.scenario_name = j.value("scenario", "");
  const auto status = plan::ParseSolveStatus(str(j, "status", "plan"));
  if (!status && error.empty())
    error = fmt::format("{}: plan.status: expected optimal|feasible|time_limit|infeasible|error", file_name);
  if (status) p.status = *status;
  p.objective_gbp = num(j, "objective_gbp", "plan");
  p.bound_gbp = j.value("bound_gbp", 0.0);
  p.gap = j.value("gap", 0.0);
  p.penalties_gbp = j.value("penalties_gbp", 0.0);
  auto each = [&](const char* key, auto&& read) {
    const json& a = array(key);
    for (size_t i = 0; i < a.size() && error.empty(); ++i) {
      const std::string where = fmt::format("{}[{}]", key, i);
      Resolver r(s, fmt::format("{}: {}", file_name, where));
      read(a[i], where, r);
      if (error.empty() && !r.ok()) error = r.error();
    }
  };
  each("production", [&](const json& o, const std::string& w, Resolver& r) {
    p.production.push_back({r.Line(str(o, "line", w)), r.Variant(str(o, "variant", w)),
                            r.MonthIndex(str(o, "month", w), "month"), r.Units(num(o, "units", w), "units")});
  });
  each("shifts", [&](const json& o, const std::string& w, Resolver& r) {
    const int line = r.Line(str(o, "line", w));
    const int month = r.MonthIndex(str(o, "month", w), "month");
    const int shifts = WholeCount(r, num(o, "shifts_per_day", w), "shifts_per_day");
    auto optional = [&](const char* key) {
      if (!o.contains(key)) return 0;
      return WholeCount(r, num(o, key, w), key);
    };
    p.shifts.push_back({line, month, shifts, optional("extra_shifts_per_day"), optional("weekend_days")});
  });
  each("retooling", [&](const json& o, const std::string& w, Resolver& r) {
    p.retooling.push_back({r.Line(str(o, "line", w)), r.Platform(str(o, "platform", w)),
                           r.MonthIndex(str(o, "month", w), "month")});
  });
  each("shipments", [&](const json& o, const std::string& w, Resolver& r) {
    p.shipments.push_back({r.Plant(str(o, "plant", w)), r.Variant(str(o, "variant", w)),
                           r.Market(str(o, "market", w)), r.MonthIndex(str(o, "month", w), "month"),
                           r.ArrivalIndex(str(o, "arrival_month", w), "arrival_month"),
                           r.Units(num(o, "units", w), "units")});
  });
  each("unmet", [&](const json& o, const std::string& w, Resolver& r) {
    p.unmet.push_back({r.Variant(str(o, "variant", w)), r.Market(str(o, "market", w)),
                       r.MonthIndex(str(o, "month", w), "month"), r.Units(num(o, "units", w), "units")});
  });
  each("stock", [&](const json& o, const std::string& w, Resolver& r) {
    p.stock.push_back({r.Plant(str(o, "plant", w)), r.Variant(str(o, "variant", w)),
                       r.MonthIndex(str(o, "month", w), "month"), r.Units(num(o, "units", w), "units")});
  });
  each("backlog", [&](const json& o, const std::string& w, Resolver& r) {
    p.backlog.push_back({r.Variant(str(o, "variant", w)), r.Market(str(o, "market", w)),
                         r.MonthIndex(str(o, "month", w), "month"), r.Units(num(o, "units", w), "units")});
  });
  each("contract_shortfalls", [&](const json& o, const std::string& w, Resolver& r) {
    p.contract_shortfalls.push_back({r.Contract(str(o, "contract", w)), static_cast<int>(num(o, "year", w)),
                                     r.Units(num(o, "units", w), "units")});
  });
  p.contributions.assign(s.companies.size(), {});
  for (size_t c = 0; c < s.companies.size(); ++c) p.contributions[c].company = static_cast<int>(c);
  each("contributions", [&](const json& o, const std::string& w, Resolver& r) {
    const int c = r.Company(str(o, "company", w));
    if (c < 0) return;
    plan::CompanyContribution& out = p.contributions[c];
    out.units_sold = o.value("units_sold", 0.0);
    out.revenue_gbp = o.value("revenue_gbp", 0.0);
    out.variable_cost_gbp = o.value("variable_cost_gbp", 0.0);
    out.freight_gbp = o.value("freight_gbp", 0.0);
    out.duty_gbp = o.value("duty_gbp", 0.0);
    out.fee_income_gbp = o.value("fee_income_gbp", 0.0);
    out.fee_paid_gbp = o.value("fee_paid_gbp", 0.0);
    out.shift_cost_gbp = o.value("shift_cost_gbp", 0.0);
    out.shift_change_cost_gbp = o.value("shift_change_cost_gbp", 0.0);
    out.retooling_cost_gbp = o.value("retooling_cost_gbp", 0.0);
    out.holding_cost_gbp = o.value("holding_cost_gbp", 0.0);
    out.contribution_gbp = num(o, "contribution_gbp", w);
    // Files written before present values: nominal money throughout.
    out.contribution_pv_gbp = o.value("contribution_pv_gbp", out.contribution_gbp);
  });
  if (!error.empty()) return InvalidInput(error);
  return p;
}

}  // namespace

Result<plan::Plan> ParsePlanJson(std::string_view text, std::string_view file_name,
                                 const model::Scenario& scenario, const PlannedOn& planned_on) {
  // A field of another type where a value() or get() expects a string or a
  // number throws (the fuzzer found "scenario": [...]); bad input too.
  std::string named;
  Result<plan::Plan> plan = [&]() -> Result<plan::Plan> {
    try {
      return ParsePlanJsonFields(text, file_name, scenario, planned_on, named);
    } catch (const json::exception& e) {
      return InvalidInput(fmt::format("{}: a field has the wrong type: {}", file_name, e.what()));
    }
  }();
  // Another scenario's ids do not resolve here: say that first, rather than
  // which id did not.
  if (!plan && !named.empty() && named != scenario.name) {
    return InvalidInput(fmt::format("plan: expected a plan of scenario \"{}\", got one of \"{}\" ({})",
                                    scenario.name, named, file_name));
  }
  return plan;
}

namespace {

// The basis' deal floors, every id resolved and every number finite.
Result<plan::DealFloors> DealFloorsFromJson(const json& j, const model::Scenario& s, const std::string& at) {
  if (!j.is_object()) return InvalidInput(at + ": expected an object or null");
  plan::DealFloors f;
  f.contract = j.contains("contract") && j["contract"].is_string()
                   ? FindContract(s, j["contract"].get<std::string>())
                   : -1;
  if (f.contract < 0) {
    return InvalidInput(fmt::format("{}.contract: expected a contract id of scenario {}, found {}", at,
                                    s.name, j.value("contract", json()).dump()));
  }
  if (j.contains("contribution_pv_gbp") && !j["contribution_pv_gbp"].is_null()) {
    const json& by = j["contribution_pv_gbp"];
    if (!by.is_object() || by.size() != s.companies.size()) {
      return InvalidInput(fmt::format("{}.contribution_pv_gbp: expected one number per company ({})", at,
                                      s.companies.size()));
    }
    f.contribution_pv_gbp.assign(s.companies.size(), 0.0);
    for (const auto& [id, value] : by.items()) {
      const int c = s.FindCompany(id);
      if (c < 0 || !value.is_number() || !std::isfinite(value.get<double>())) {
        return InvalidInput(
            fmt::format("{}.contribution_pv_gbp.{}: expected a company id of scenario {} "
                        "with a number, found {}",
                        at, id, s.name, value.dump()));
      }
      f.contribution_pv_gbp[static_cast<size_t>(c)] = value.get<double>();
    }
  }
  if (j.contains("host_output")) {
    const json& list = j["host_output"];
    if (!list.is_array()) return InvalidInput(at + ".host_output: expected a list");
    for (size_t i = 0; i < list.size(); ++i) {
      const json& e = list[i];
      const std::string here = fmt::format("{}.host_output[{}]", at, i);
      const int plant = e.is_object() && e.contains("plant") && e["plant"].is_string()
                            ? s.FindPlant(e["plant"].get<std::string>())
                            : -1;
      if (plant < 0 || !e.contains("year") || !e["year"].is_number_integer() || !e.contains("units") ||
          !e["units"].is_number() || !std::isfinite(e["units"].get<double>())) {
        return InvalidInput(
            fmt::format("{}: expected {{plant: a plant id, year: a whole year, units: a number}}, found {}",
                        here, e.dump()));
      }
      f.host_output.push_back(
          {.plant = plant, .year = e["year"].get<int>(), .units = e["units"].get<double>()});
    }
  }
  return f;
}

}  // namespace

Result<plan::PlanBasis> ParseBasisJson(const json& j, const std::string& where, const model::Scenario& s) {
  if (!j.is_object()) return InvalidInput(where + ": expected an object");
  plan::PlanBasis b;
  auto number = [&](const json& o, const char* key, const std::string& at, double* out) -> Result<void> {
    if (!o.contains(key)) return {};
    if (!o[key].is_number() || !std::isfinite(o[key].get<double>())) {
      return InvalidInput(fmt::format("{}.{}: expected a number", at, key));
    }
    *out = o[key].get<double>();
    return {};
  };
  auto whole = [&](const json& o, const char* key, const std::string& at, int* out) -> Result<void> {
    double v = *out;
    if (auto r = number(o, key, at, &v); !r) return r;
    if (v != std::floor(v) || v < 0 || v > 1000) {
      return InvalidInput(fmt::format("{}.{}: expected a whole number from 0 to 1000, found {}", at, key, v));
    }
    *out = static_cast<int>(v);
    return {};
  };
  if (j.contains("levers")) {
    const json& l = j["levers"];
    const std::string at = where + ".levers";
    if (!l.is_object()) return InvalidInput(at + ": expected an object");
    plan::Levers& v = b.levers;
    for (auto r :
         {whole(l, "extra_shifts_per_day", at, &v.extra_shifts_per_day),
          number(l, "extra_shift_premium", at, &v.extra_shift_premium),
          whole(l, "weekend_days_per_month", at, &v.weekend_days_per_month),
          number(l, "weekend_premium", at, &v.weekend_premium),
          whole(l, "backlog_max_months", at, &v.backlog.max_months),
          number(l, "backlog_delay_cost_gbp_per_car_month", at, &v.backlog.delay_cost_gbp_per_car_month)}) {
      if (!r) return std::unexpected(r.error());
    }
  }
  if (j.contains("excluded_brands")) {
    const json& list = j["excluded_brands"];
    if (!list.is_array()) return InvalidInput(where + ".excluded_brands: expected a list of brand ids");
    for (size_t i = 0; i < list.size(); ++i) {
      const int brand = list[i].is_string() ? s.FindBrand(list[i].get<std::string>()) : -1;
      if (brand < 0) {
        return InvalidInput(
            fmt::format("{}.excluded_brands[{}]: expected a brand id of scenario {}, found {}", where, i,
                        s.name, list[i].dump()));
      }
      b.excluded_brands.push_back(brand);
    }
  }
  if (j.contains("excluded_contracts")) {
    const json& list = j["excluded_contracts"];
    if (!list.is_array()) return InvalidInput(where + ".excluded_contracts: expected a list of contract ids");
    for (size_t i = 0; i < list.size(); ++i) {
      const int contract = list[i].is_string() ? FindContract(s, list[i].get<std::string>()) : -1;
      if (contract < 0) {
        return InvalidInput(
            fmt::format("{}.excluded_contracts[{}]: expected a contract id of scenario {}, found {}", where,
                        i, s.name, list[i].dump()));
      }
      b.excluded_contracts.push_back(contract);
    }
  }
  if (j.contains("events")) {
    const json& list = j["events"];
    if (!list.is_array()) return InvalidInput(where + ".events: expected a list of event strings");
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string at = fmt::format("{}.events[{}]", where, i);
      if (!list[i].is_string()) return InvalidInput(at + ": expected an event string");
      auto e = ParseEventText(list[i].get<std::string>(), s, at, fmt::format("event-{}", i + 1));
      if (!e) return std::unexpected(e.error());
      b.events.push_back(std::move(*e));
    }
  }
  if (j.contains("frozen_before") && !j["frozen_before"].is_null()) {
    const int t = j["frozen_before"].is_string() ? ParseMonth(s, j["frozen_before"].get<std::string>()) : -1;
    if (t < 0) {
      return InvalidInput(
          fmt::format("{}.frozen_before: expected a month YYYY-MM inside the scenario's horizon, found {}",
                      where, j["frozen_before"].dump()));
    }
    b.frozen_months = t;
  }
  for (auto r : {number(j, "stability_penalty_gbp_per_car", where, &b.stability_penalty_gbp_per_car),
                 number(j, "stability_penalty_gbp", where, &b.stability_penalty_gbp)}) {
    if (!r) return std::unexpected(r.error());
  }
  if (j.contains("deal_floors") && !j["deal_floors"].is_null()) {
    auto floors = DealFloorsFromJson(j["deal_floors"], s, where + ".deal_floors");
    if (!floors) return std::unexpected(floors.error());
    b.deal_floors = std::move(*floors);
  }
  return b;
}

Result<plan::Plan> ParsePlanCsv(std::string_view text, std::string_view file_name, const model::Scenario& s) {
  static constexpr std::string_view kHeader =
      "record,line,plant,variant,market,month,arrival_month,platform,company,units,value_gbp";
  plan::Plan p;
  p.contributions.assign(s.companies.size(), {});
  for (size_t c = 0; c < s.companies.size(); ++c) p.contributions[c].company = static_cast<int>(c);
  bool saw_objective = false;
  bool saw_bound = false;
  bool saw_present_value = false;
  size_t line_number = 0;
  // RFC 4180 (io/csv.h): ids and event texts may hold commas, quotes and
  // line breaks.
  auto records = ParseCsv(text, file_name);
  if (!records) return std::unexpected(records.error());
  for (const CsvRecord& rec : *records) {
    line_number = rec.line;
    if (line_number == 1) {
      std::string line;
      for (size_t i = 0; i < rec.fields.size(); ++i) line += (i ? "," : "") + rec.fields[i];
      if (line != kHeader) {
        return InvalidInput(fmt::format("{}:1: header: expected '{}', found '{}'", file_name, kHeader, line));
      }
      continue;
    }
    if (rec.fields.size() == 1 && rec.fields[0].empty()) continue;  // an empty line
    const std::vector<std::string>& f = rec.fields;
    const std::string where = fmt::format("{}:{}", file_name, line_number);
    if (f.size() != 11) {
      return InvalidInput(fmt::format("{}: expected 11 comma-separated fields, found {}", where, f.size()));
    }
    Resolver r(s, where);
    auto number = [&](std::string_view field, const char* name) {
      double v = 0;
      const auto result = std::from_chars(field.data(), field.data() + field.size(), v);
      if (result.ec != std::errc{} || result.ptr != field.data() + field.size() || !std::isfinite(v)) {
        r.Fail(fmt::format("{}: expected a number, found '{}'", name, field));
      }
      return v;
    };
    const std::string& record = f[0];
    if (record == "production") {
      p.production.push_back(
          {r.Line(f[1]), r.Variant(f[3]), r.MonthIndex(f[5], "month"), number(f[9], "units")});
    } else if (record == "shift") {
      const double v = number(f[9], "units");
      if (v != std::floor(v)) r.Fail(fmt::format("units: expected whole shifts per day, found '{}'", f[9]));
      p.shifts.push_back({r.Line(f[1]), r.MonthIndex(f[5], "month"), static_cast<int>(v)});
    } else if (record == "extra_shifts" || record == "weekend_days") {
      const int l = r.Line(f[1]);
      const int t = r.MonthIndex(f[5], "month");
      const int count = WholeCount(r, number(f[9], "units"), "units");
      if (r.ok()) {
        auto it = std::find_if(p.shifts.begin(), p.shifts.end(),
                               [&](const plan::ShiftEntry& e) { return e.line == l && e.month == t; });
        if (it == p.shifts.end()) {
          r.Fail(fmt::format("{}: no 'shift' record of line {} in {} before it", record, f[1], f[5]));
        } else {
          (record == "extra_shifts" ? it->extra_shifts_per_day : it->weekend_days) = count;
        }
      }
    } else if (record == "lever") {
      const double v = number(f[9], "units");
      plan::Levers& l = p.basis.levers;
      auto whole = [&](int* out) { *out = WholeCount(r, v, "units"); };
      if (f[8] == "extra_shifts_per_day")
        whole(&l.extra_shifts_per_day);
      else if (f[8] == "extra_shift_premium")
        l.extra_shift_premium = v;
      else if (f[8] == "weekend_days_per_month")
        whole(&l.weekend_days_per_month);
      else if (f[8] == "weekend_premium")
        l.weekend_premium = v;
      else if (f[8] == "backlog_max_months")
        whole(&l.backlog.max_months);
      else if (f[8] == "backlog_delay_cost_gbp_per_car_month")
        l.backlog.delay_cost_gbp_per_car_month = v;
      else
        r.Fail(
            fmt::format("company: expected a lever name (extra_shifts_per_day, extra_shift_premium, "
                        "weekend_days_per_month, weekend_premium, backlog_max_months, "
                        "backlog_delay_cost_gbp_per_car_month), found '{}'",
                        f[8]));
    } else if (record == "excluded_brand") {
      const int brand = s.FindBrand(f[8]);
      if (brand < 0)
        r.Fail(fmt::format("company: unknown brand id '{}'", f[8]));
      else
        p.basis.excluded_brands.push_back(brand);
    } else if (record == "excluded_contract") {
      const int contract = FindContract(s, f[8]);
      if (contract < 0)
        r.Fail(fmt::format("company: unknown contract id '{}'", f[8]));
      else
        p.basis.excluded_contracts.push_back(contract);
    } else if (record == "event") {
      auto e = ParseEventText(f[8], s, where, fmt::format("event-{}", p.basis.events.size() + 1));
      if (!e) return std::unexpected(e.error());
      p.basis.events.push_back(std::move(*e));
    } else if (record == "deal_contract") {
      p.basis.deal_floors.contract = r.Contract(f[8]);
    } else if (record == "participation_floor") {
      const int c = r.Company(f[8]);
      if (c >= 0) {
        p.basis.deal_floors.contribution_pv_gbp.resize(s.companies.size(), 0.0);
        p.basis.deal_floors.contribution_pv_gbp[static_cast<size_t>(c)] = number(f[10], "value_gbp");
      }
    } else if (record == "host_first_floor") {
      const double year = number(f[5], "month");
      if (year != std::floor(year) || year < 1900 || year > 2300) {
        r.Fail(fmt::format("month: expected the floor's year, found '{}'", f[5]));
      }
      p.basis.deal_floors.host_output.push_back(
          {.plant = r.Plant(f[2]), .year = static_cast<int>(year), .units = number(f[9], "units")});
    } else if (record == "frozen_before") {
      p.basis.frozen_months = r.MonthIndex(f[5], "month");
    } else if (record == "stability_penalty") {
      p.basis.stability_penalty_gbp_per_car = number(f[9], "units");
      p.basis.stability_penalty_gbp = number(f[10], "value_gbp");
    } else if (record == "retool") {
      p.retooling.push_back({r.Line(f[1]), r.Platform(f[7]), r.MonthIndex(f[5], "month")});
    } else if (record == "shipment") {
      p.shipments.push_back({r.Plant(f[2]), r.Variant(f[3]), r.Market(f[4]), r.MonthIndex(f[5], "month"),
                             r.ArrivalIndex(f[6], "arrival_month"), number(f[9], "units")});
    } else if (record == "unmet") {
      p.unmet.push_back(
          {r.Variant(f[3]), r.Market(f[4]), r.MonthIndex(f[5], "month"), number(f[9], "units")});
    } else if (record == "stock") {
      p.stock.push_back({r.Plant(f[2]), r.Variant(f[3]), r.MonthIndex(f[5], "month"), number(f[9], "units")});
    } else if (record == "backlog") {
      p.backlog.push_back(
          {r.Variant(f[3]), r.Market(f[4]), r.MonthIndex(f[5], "month"), number(f[9], "units")});
    } else if (record == "shortfall") {
      p.contract_shortfalls.push_back(
          {r.Contract(f[8]), static_cast<int>(number(f[5], "month")), number(f[9], "units")});
    } else if (record == "contribution") {
      const int c = r.Company(f[8]);
      if (c >= 0) {
        p.contributions[c].units_sold = number(f[9], "units");
        p.contributions[c].contribution_gbp = number(f[10], "value_gbp");
      }
    } else if (record == "penalties") {
      p.penalties_gbp = number(f[10], "value_gbp");
    } else if (record == "bound") {
      p.bound_gbp = number(f[10], "value_gbp");
      saw_bound = true;
    } else if (const auto* figure = std::find_if(std::begin(kBreakdown), std::end(kBreakdown),
                                                 [&](const auto& b) { return record == b.first; });
               figure != std::end(kBreakdown)) {
      const int c = r.Company(f[8]);
      if (c >= 0) p.contributions[c].*(figure->second) = number(f[10], "value_gbp");
      if (record == "contribution_pv") saw_present_value = true;
    } else if (record == "objective") {
      const auto status = plan::ParseSolveStatus(f[8]);
      if (!status)
        r.Fail(fmt::format("company: expected a solve status, found '{}'", f[8]));
      else
        p.status = *status;
      p.objective_gbp = number(f[10], "value_gbp");
      saw_objective = true;
    } else {
      r.Fail(fmt::format(
          "record: expected production|shift|extra_shifts|weekend_days|retool|shipment|stock|unmet|backlog|"
          "shortfall|revenue|variable_cost|freight|duty|fee_income|fee_paid|shift_cost|shift_change_cost|"
          "retooling_cost|holding_cost|contribution_pv|contribution|lever|excluded_brand|event|frozen_before|"
          "deal_contract|participation_floor|host_first_floor|"
          "stability_penalty|penalties|bound|"
          "objective, found '{}'",
          record));
    }
    if (!r.ok()) return InvalidInput(r.error());
  }
  if (line_number == 0)
    return InvalidInput(fmt::format("{}:1: empty file, expected a plan CSV header", file_name));
  if (!saw_objective)
    return InvalidInput(fmt::format("{}:{}: missing the 'objective' record", file_name, line_number));
  // A CSV written before plans carried their bound says nothing about it,
  // and one written before present values holds nominal money throughout.
  if (!saw_bound) p.bound_gbp = p.objective_gbp;
  if (!saw_present_value) {
    for (auto& c : p.contributions) c.contribution_pv_gbp = c.contribution_gbp;
  }
  p.gap = plan::RelativeGap(p.objective_gbp, p.bound_gbp);
  return p;
}

Result<plan::Plan> LoadPlan(const std::string& path, const model::Scenario& scenario,
                            const PlannedOn& planned_on) {
  auto read = ReadTextFile(path);
  if (!read) {
    if (read.error().kind == ErrorKind::kNotFound) return NotFound(path + ": cannot open the plan file");
    return std::unexpected(read.error());
  }
  const std::string& text = *read;
  if (path.size() >= 4 && path.substr(path.size() - 4) == ".csv") return ParsePlanCsv(text, path, scenario);
  return ParsePlanJson(text, path, scenario, planned_on);
}

}  // namespace cobuild::io
