#include "io/plan_io.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "io/text_lines.h"

namespace cobuild::io {
namespace {

using nlohmann::json;

std::string Month(const model::Scenario& s, int t) { return model::ToString(s.horizon.MonthAt(t)); }

// "2026-03" -> horizon index, or -1.
int ParseMonth(const model::Scenario& s, std::string_view text) {
  int year = 0;
  int month = 0;
  if (text.size() != 7 || text[4] != '-') return -1;
  if (std::from_chars(text.data(), text.data() + 4, year).ec != std::errc{}) return -1;
  if (std::from_chars(text.data() + 5, text.data() + 7, month).ec != std::errc{}) return -1;
  if (month < 1 || month > 12) return -1;
  return s.horizon.IndexOf({.year = year, .month = month});
}

std::string Number(double v) { return fmt::format("{:.10g}", v); }

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
    if (t < 0) Fail(fmt::format("{}: expected a month YYYY-MM inside the scenario's horizon, found '{}'", field, text));
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

}  // namespace

json PlanToJson(const model::Scenario& s, const plan::Plan& p) {
  json j;
  j["scenario"] = p.scenario_name;
  j["status"] = std::string(plan::ToString(p.status));
  j["objective_gbp"] = p.objective_gbp;
  j["bound_gbp"] = p.bound_gbp;
  j["gap"] = p.gap;
  j["penalties_gbp"] = p.penalties_gbp;
  json& production = j["production"] = json::array();
  for (const auto& e : p.production) {
    production.push_back({{"line", s.lines[e.line].id}, {"variant", s.variants[e.variant].id},
                          {"month", Month(s, e.month)}, {"units", e.units}});
  }
  json& shifts = j["shifts"] = json::array();
  for (const auto& e : p.shifts) {
    shifts.push_back({{"line", s.lines[e.line].id}, {"month", Month(s, e.month)}, {"shifts_per_day", e.shifts_per_day}});
  }
  json& retooling = j["retooling"] = json::array();
  for (const auto& e : p.retooling) {
    retooling.push_back({{"line", s.lines[e.line].id}, {"platform", s.platforms[e.platform].id}, {"month", Month(s, e.month)}});
  }
  json& shipments = j["shipments"] = json::array();
  for (const auto& e : p.shipments) {
    shipments.push_back({{"plant", s.plants[e.plant].id}, {"variant", s.variants[e.variant].id},
                         {"market", s.markets[e.market].id}, {"month", Month(s, e.month)},
                         {"arrival_month", Month(s, e.arrival_month)}, {"units", e.units}});
  }
  json& unmet = j["unmet"] = json::array();
  for (const auto& e : p.unmet) {
    unmet.push_back({{"variant", s.variants[e.variant].id}, {"market", s.markets[e.market].id},
                     {"month", Month(s, e.month)}, {"units", e.units}});
  }
  json& backlog = j["backlog"] = json::array();
  for (const auto& e : p.backlog) {
    backlog.push_back({{"variant", s.variants[e.variant].id}, {"market", s.markets[e.market].id},
                       {"month", Month(s, e.month)}, {"units", e.units}});
  }
  json& shortfalls = j["contract_shortfalls"] = json::array();
  for (const auto& e : p.contract_shortfalls) {
    shortfalls.push_back({{"contract", s.contracts[e.contract].id}, {"year", e.year}, {"units", e.units}});
  }
  json& contributions = j["contributions"] = json::array();
  for (const auto& c : p.contributions) {
    contributions.push_back({{"company", s.companies[c.company].id}, {"units_sold", c.units_sold},
                             {"revenue_gbp", c.revenue_gbp}, {"variable_cost_gbp", c.variable_cost_gbp},
                             {"freight_gbp", c.freight_gbp}, {"duty_gbp", c.duty_gbp},
                             {"fee_income_gbp", c.fee_income_gbp}, {"fee_paid_gbp", c.fee_paid_gbp},
                             {"shift_cost_gbp", c.shift_cost_gbp}, {"retooling_cost_gbp", c.retooling_cost_gbp},
                             {"contribution_gbp", c.contribution_gbp}});
  }
  json& binding = j["binding"] = json::array();
  for (const auto& b : p.binding) {
    binding.push_back({{"kind", b.kind}, {"text", b.text}, {"value_gbp", b.value_gbp},
                       {"dual_gbp_per_car", b.dual_gbp_per_car},
                       {"line", b.line >= 0 ? json(s.lines[b.line].id) : json()},
                       {"contract", b.contract >= 0 ? json(s.contracts[b.contract].id) : json()},
                       {"month", b.month >= 0 ? json(Month(s, b.month)) : json()}, {"year", b.year}});
  }
  json& causes = j["unmet_causes"] = json::array();
  for (const auto& c : p.unmet_causes) {
    causes.push_back({{"variant", s.variants[c.variant].id}, {"market", s.markets[c.market].id},
                      {"month", Month(s, c.month)}, {"units", c.units}, {"reason", c.reason}});
  }
  j["stats"] = {{"build_seconds", p.stats.build_seconds}, {"solve_seconds", p.stats.solve_seconds},
                {"columns", p.stats.columns}, {"rows", p.stats.rows}, {"integer_columns", p.stats.integer_columns},
                {"nonzeros", p.stats.nonzeros}, {"nodes", p.stats.nodes}, {"lp_bound_gbp", p.stats.lp_bound_gbp},
                {"starting_plan_objective_gbp", p.stats.starting_plan_objective_gbp},
                {"preprocessing_retry", p.stats.preprocessing_retry}, {"solver_message", p.stats.solver_message}};
  return j;
}

std::string WritePlanJson(const model::Scenario& scenario, const plan::Plan& plan) {
  return PlanToJson(scenario, plan).dump(1) + "\n";
}

std::string WritePlanCsv(const model::Scenario& s, const plan::Plan& p) {
  std::string out = "record,line,plant,variant,market,month,arrival_month,platform,company,units,value_gbp\n";
  auto row = [&](std::string_view record, std::string_view line, std::string_view plant, std::string_view variant,
                 std::string_view market, std::string_view month, std::string_view arrival, std::string_view platform,
                 std::string_view company, std::string_view units, std::string_view value) {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", record, line, plant, variant, market, month, arrival,
                       platform, company, units, value);
  };
  for (const auto& e : p.production) {
    row("production", s.lines[e.line].id, s.plants[s.lines[e.line].plant].id, s.variants[e.variant].id, "",
        Month(s, e.month), "", "", "", Number(e.units), "");
  }
  for (const auto& e : p.shifts) {
    row("shift", s.lines[e.line].id, s.plants[s.lines[e.line].plant].id, "", "", Month(s, e.month), "", "", "",
        std::to_string(e.shifts_per_day), "");
  }
  for (const auto& e : p.retooling) {
    row("retool", s.lines[e.line].id, "", "", "", Month(s, e.month), "", s.platforms[e.platform].id, "", "", "");
  }
  for (const auto& e : p.shipments) {
    row("shipment", "", s.plants[e.plant].id, s.variants[e.variant].id, s.markets[e.market].id, Month(s, e.month),
        Month(s, e.arrival_month), "", "", Number(e.units), "");
  }
  for (const auto& e : p.unmet) {
    row("unmet", "", "", s.variants[e.variant].id, s.markets[e.market].id, Month(s, e.month), "", "", "",
        Number(e.units), "");
  }
  for (const auto& e : p.backlog) {
    row("backlog", "", "", s.variants[e.variant].id, s.markets[e.market].id, Month(s, e.month), "", "", "",
        Number(e.units), "");
  }
  for (const auto& e : p.contract_shortfalls) {
    // The contract id travels in the `company` column, the year in `month`.
    row("shortfall", "", "", "", "", std::to_string(e.year), "", "", s.contracts[e.contract].id, Number(e.units), "");
  }
  for (const auto& c : p.contributions) {
    row("contribution", "", "", "", "", "", "", "", s.companies[c.company].id, Number(c.units_sold),
        Number(c.contribution_gbp));
  }
  row("objective", "", "", "", "", "", "", "", std::string(plan::ToString(p.status)), "", Number(p.objective_gbp));
  return out;
}

Result<plan::Plan> ParsePlanJson(std::string_view text, std::string_view file_name, const model::Scenario& s) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    // Byte offset to line number.
    const size_t offset = std::min<size_t>(e.byte, text.size());
    const size_t line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
    return InvalidInput(fmt::format("{}:{}: not valid JSON: {}", file_name, line, e.what()));
  } catch (const json::exception& e) {
    // A number beyond double range (1e999) is "number overflow": bad input too.
    return InvalidInput(fmt::format("{}: not valid JSON: {}", file_name, e.what()));
  }
  if (!j.is_object()) return InvalidInput(fmt::format("{}:1: expected a JSON object with a plan", file_name));
  plan::Plan p;
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
  if (!status && error.empty()) error = fmt::format("{}: plan.status: expected optimal|feasible|time_limit|infeasible|error", file_name);
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
    const double v = num(o, "shifts_per_day", w);
    if (v != std::floor(v)) r.Fail(fmt::format("shifts_per_day: expected a whole number, found {}", v));
    p.shifts.push_back({r.Line(str(o, "line", w)), r.MonthIndex(str(o, "month", w), "month"), static_cast<int>(v)});
  });
  each("retooling", [&](const json& o, const std::string& w, Resolver& r) {
    p.retooling.push_back({r.Line(str(o, "line", w)), r.Platform(str(o, "platform", w)),
                           r.MonthIndex(str(o, "month", w), "month")});
  });
  each("shipments", [&](const json& o, const std::string& w, Resolver& r) {
    p.shipments.push_back({r.Plant(str(o, "plant", w)), r.Variant(str(o, "variant", w)), r.Market(str(o, "market", w)),
                           r.MonthIndex(str(o, "month", w), "month"),
                           r.MonthIndex(str(o, "arrival_month", w), "arrival_month"), r.Units(num(o, "units", w), "units")});
  });
  each("unmet", [&](const json& o, const std::string& w, Resolver& r) {
    p.unmet.push_back({r.Variant(str(o, "variant", w)), r.Market(str(o, "market", w)),
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
    out.retooling_cost_gbp = o.value("retooling_cost_gbp", 0.0);
    out.contribution_gbp = num(o, "contribution_gbp", w);
  });
  if (!error.empty()) return InvalidInput(error);
  return p;
}

Result<plan::Plan> ParsePlanCsv(std::string_view text, std::string_view file_name, const model::Scenario& s) {
  static constexpr std::string_view kHeader =
      "record,line,plant,variant,market,month,arrival_month,platform,company,units,value_gbp";
  plan::Plan p;
  p.contributions.assign(s.companies.size(), {});
  for (size_t c = 0; c < s.companies.size(); ++c) p.contributions[c].company = static_cast<int>(c);
  bool saw_objective = false;
  size_t line_number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_number == 1) {
      if (line != kHeader) {
        return InvalidInput(fmt::format("{}:1: header: expected '{}', found '{}'", file_name, kHeader, line));
      }
      continue;
    }
    if (line.empty()) continue;
    std::vector<std::string_view> f;
    size_t start = 0;
    for (size_t i = 0; i <= line.size(); ++i) {
      if (i == line.size() || line[i] == ',') {
        f.push_back(line.substr(start, i - start));
        start = i + 1;
      }
    }
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
    const std::string_view record = f[0];
    if (record == "production") {
      p.production.push_back({r.Line(f[1]), r.Variant(f[3]), r.MonthIndex(f[5], "month"), number(f[9], "units")});
    } else if (record == "shift") {
      const double v = number(f[9], "units");
      if (v != std::floor(v)) r.Fail(fmt::format("units: expected whole shifts per day, found '{}'", f[9]));
      p.shifts.push_back({r.Line(f[1]), r.MonthIndex(f[5], "month"), static_cast<int>(v)});
    } else if (record == "retool") {
      p.retooling.push_back({r.Line(f[1]), r.Platform(f[7]), r.MonthIndex(f[5], "month")});
    } else if (record == "shipment") {
      p.shipments.push_back({r.Plant(f[2]), r.Variant(f[3]), r.Market(f[4]), r.MonthIndex(f[5], "month"),
                             r.MonthIndex(f[6], "arrival_month"), number(f[9], "units")});
    } else if (record == "unmet") {
      p.unmet.push_back({r.Variant(f[3]), r.Market(f[4]), r.MonthIndex(f[5], "month"), number(f[9], "units")});
    } else if (record == "backlog") {
      p.backlog.push_back({r.Variant(f[3]), r.Market(f[4]), r.MonthIndex(f[5], "month"), number(f[9], "units")});
    } else if (record == "shortfall") {
      p.contract_shortfalls.push_back({r.Contract(f[8]), static_cast<int>(number(f[5], "month")), number(f[9], "units")});
    } else if (record == "contribution") {
      const int c = r.Company(f[8]);
      if (c >= 0) {
        p.contributions[c].units_sold = number(f[9], "units");
        p.contributions[c].contribution_gbp = number(f[10], "value_gbp");
      }
    } else if (record == "objective") {
      const auto status = plan::ParseSolveStatus(f[8]);
      if (!status) r.Fail(fmt::format("company: expected a solve status, found '{}'", f[8]));
      else p.status = *status;
      p.objective_gbp = number(f[10], "value_gbp");
      saw_objective = true;
    } else {
      r.Fail(fmt::format("record: expected production|shift|retool|shipment|unmet|backlog|shortfall|contribution|objective, found '{}'", record));
    }
    if (!r.ok()) return InvalidInput(r.error());
  }
  if (line_number == 0) return InvalidInput(fmt::format("{}:1: empty file, expected a plan CSV header", file_name));
  if (!saw_objective) return InvalidInput(fmt::format("{}:{}: missing the 'objective' record", file_name, line_number));
  return p;
}

Result<plan::Plan> LoadPlan(const std::string& path, const model::Scenario& scenario) {
  auto read = ReadTextFile(path);
  if (!read) {
    if (read.error().kind == ErrorKind::kNotFound) return NotFound(path + ": cannot open the plan file");
    return std::unexpected(read.error());
  }
  const std::string& text = *read;
  if (path.size() >= 4 && path.substr(path.size() - 4) == ".csv") return ParsePlanCsv(text, path, scenario);
  return ParsePlanJson(text, path, scenario);
}

}  // namespace cobuild::io
