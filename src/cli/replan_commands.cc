// `cobuild replan SCENARIO`, `cobuild compare A B` and `cobuild risk
// SCENARIO`: parse, call src/replan, print.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "app/baseline.h"
#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/progress_line.h"
#include "io/event_reader.h"
#include "io/plan_io.h"
#include "io/plan_views.h"
#include "io/replan_io.h"
#include "io/scenario_reader.h"
#include "io/table.h"
#include "io/text_lines.h"
#include "plan/plan_checker.h"
#include "plan/plan_summary.h"
#include "plan/planner.h"
#include "replan/apply_events.h"
#include "replan/compare.h"
#include "replan/replan.h"
#include "replan/risk.h"
#include "scale/work_items.h"

namespace cobuild::cli {
namespace {

std::string FirstSampleError(const replan::RiskResult& r) {
  for (const auto& sample : r.samples) {
    if (!sample.error.empty()) return sample.error;
  }
  return "";
}

// The plan file at `path` (re-checked), or the scenario's plan solved here as
// `cobuild plan` would (saying so on stderr, `why`) when `path` is empty.
[[nodiscard]] Result<app::Baseline> BaselineFor(const model::Scenario& s, const std::string& path,
                                                double time_limit, const std::string& why,
                                                ProgressLine* progress = nullptr) {
  if (!path.empty()) return app::ResolveBaseline(s, app::PlanFile{.path = path});
  std::cerr << fmt::format("{}: solving the baseline plan of {} first (time limit {} s)\n", why, s.name,
                           time_limit);
  app::Solve solve;
  solve.request.options.solve.time_limit_seconds = time_limit;
  if (progress != nullptr) solve.request.options.solve.on_progress = progress->For("baseline " + s.name);
  auto baseline = app::ResolveBaseline(s, solve);
  if (progress != nullptr) progress->Clear();
  return baseline;
}

// `--no-progress` beside the solving commands (progress is on by default
// when stderr is a terminal).
void AddNoProgressFlag(CLI::App* cmd, bool* no_progress) {
  cmd->add_flag("--no-progress", *no_progress,
                "No progress line on stderr (by default a terminal shows one, updated in place: the best "
                "plan, the bound and the gap so far)");
}

std::string CheckLine(const model::Scenario& s, const plan::Plan& p, const plan::PlanRequest& request) {
  const plan::CheckReport check = plan::CheckPlan(s, p, request);
  return check.ok() ? "passes the plan checker"
                    : fmt::format("FAILS the plan checker: {}", check.violations.front());
}

void PrintReplan(const replan::ReplanResult& r) {
  const model::Scenario& s = r.disrupted_scenario;
  const replan::ReplanReport& rep = r.report;
  std::cout << fmt::format("Replan of {}: months before {} frozen at the baseline\n", s.name,
                           model::ToString(s.horizon.MonthAt(rep.frozen_months)));
  for (const auto& e : r.events) std::cout << "  event: " << io::EventToText(s, e) << "\n";

  std::cout << "\nThree plans side by side\n";
  io::Table plans({"", "baseline", "disrupted, no action", "recovered"});
  for (int c = 1; c <= 3; ++c) plans.SetAlign(c, io::Table::Align::kRight);
  plans.AddRow({"units sold", Gbp(rep.baseline_units_sold), Gbp(rep.disrupted_units_sold),
                Gbp(rep.recovered_units_sold)});
  // A recovery can sell a few cars more than the baseline (demand served
  // late, or a plan the baseline's gap left room for): say so, not "-5 lost".
  auto lost = [](double units) {
    return std::llround(units) < 0 ? Gbp(-units) + " more sold" : Gbp(std::max(0.0, units));
  };
  plans.AddRow({"units lost", "", lost(rep.baseline_units_sold - rep.disrupted_units_sold),
                lost(rep.baseline_units_sold - rep.recovered_units_sold)});
  for (const auto& c : rep.companies) {
    plans.AddRow({"contribution GBP, " + s.companies[static_cast<size_t>(c.company)].name,
                  Gbp(c.baseline_gbp), Gbp(c.disrupted_gbp), Gbp(c.recovered_gbp)});
    plans.AddRow({"  change vs baseline", "", Gbp(c.disrupted_gbp - c.baseline_gbp),
                  Gbp(c.recovered_gbp - c.baseline_gbp)});
  }
  plans.AddRow({"penalties GBP", Gbp(r.baseline.penalties_gbp), Gbp(r.disrupted.penalties_gbp),
                Gbp(r.recovered.penalties_gbp)});
  plans.AddRow({"objective GBP", Gbp(rep.baseline_objective_gbp), Gbp(rep.disrupted_objective_gbp),
                Gbp(rep.recovered_objective_gbp)});
  std::cout << plans.Render();

  // Like for like: the baseline had the same levers, so the difference is
  // what the events cost (docs/planning-model.md, "Levers").
  const plan::Levers& used = r.baseline.basis.levers;
  std::cout << fmt::format(
      "\nCost of the events per company, like for like (baseline minus plan; every plan may use {} extra "
      "shift(s) a day at +{} and {} weekend day(s) a month (at most one a working week) at +{} on a line at "
      "its maximum regular shifts, and serve demand up to {} month(s) late at GBP {} a car-month)\n",
      used.extra_shifts_per_day, io::FormatPercent(used.extra_shift_premium), used.weekend_days_per_month,
      io::FormatPercent(used.weekend_premium), used.backlog.max_months,
      Gbp(used.backlog.delay_cost_gbp_per_car_month));
  io::Table cost({"company", "no action GBP", "recovered GBP"});
  cost.SetAlign(1, io::Table::Align::kRight);
  cost.SetAlign(2, io::Table::Align::kRight);
  for (const auto& c : rep.companies) {
    cost.AddRow(
        {s.companies[static_cast<size_t>(c.company)].name, Gbp(c.DisruptedCost()), Gbp(c.RecoveredCost())});
  }
  cost.AddRow({"objective (with penalties)", Gbp(rep.baseline_objective_gbp - rep.disrupted_objective_gbp),
               Gbp(rep.baseline_objective_gbp - rep.recovered_objective_gbp)});
  std::cout << cost.Render();
  std::cout << fmt::format("Baseline objective GBP {}, proven bound GBP {}; recovered objective GBP {}\n",
                           Gbp(rep.baseline_objective_gbp), Gbp(r.baseline.bound_gbp),
                           Gbp(rep.recovered_objective_gbp));

  std::cout << "\nUnits lost by brand and market (sales below the baseline)\n";
  std::map<std::pair<int, int>, std::pair<double, double>> by_brand_market;
  std::map<int, std::pair<double, double>> by_month;
  for (const auto& c : rep.disrupted_lost) {
    by_brand_market[{c.brand, c.market}].first += c.units;
    by_month[c.month].first += c.units;
  }
  for (const auto& c : rep.recovered_lost) {
    by_brand_market[{c.brand, c.market}].second += c.units;
    by_month[c.month].second += c.units;
  }
  io::Table brands({"brand", "market", "no action", "recovered"});
  brands.SetAlign(2, io::Table::Align::kRight);
  brands.SetAlign(3, io::Table::Align::kRight);
  for (const auto& [key, lost] : by_brand_market) {
    brands.AddRow({s.brands[static_cast<size_t>(key.first)].name,
                   s.markets[static_cast<size_t>(key.second)].id, Gbp(lost.first), Gbp(lost.second)});
  }
  std::cout << brands.Render();

  std::cout << "\nUnits lost by month of sale (negative: sold above the baseline, catching up)\n";
  io::Table months({"month", "no action", "recovered"});
  months.SetAlign(1, io::Table::Align::kRight);
  months.SetAlign(2, io::Table::Align::kRight);
  for (const auto& [t, lost] : by_month) {
    if (std::abs(lost.first) < 0.5 && std::abs(lost.second) < 0.5) continue;
    months.AddRow({model::ToString(s.horizon.MonthAt(t)), Gbp(lost.first), Gbp(lost.second)});
  }
  std::cout << months.Render();

  std::cout << fmt::format(
      "\nUnits won back: {} of {} lost with no action; sold beyond the baseline: {} (demand the baseline "
      "left unmet or the events added, not part of the loss)\n",
      Gbp(rep.won_back_units), Gbp(rep.baseline_units_sold - rep.disrupted_units_sold),
      Gbp(rep.beyond_baseline_units));
  if (!rep.approximation.empty()) std::cout << "Approximation: " << rep.approximation << "\n";
  std::cout << fmt::format("\nUnits sold beyond the disrupted plan: {}, by lever\n",
                           Gbp(rep.recovered_units_sold - rep.disrupted_units_sold));
  io::Table levers({"lever", "units"});
  levers.SetAlign(1, io::Table::Align::kRight);
  for (const auto& l : rep.levers) levers.AddRow({l.lever, Gbp(l.units)});
  levers.AddRow({"less sold elsewhere", Gbp(rep.moved_away_units)});
  std::cout << levers.Render();
  std::cout << fmt::format("Demand served late through the backlog: {} cars\n", Gbp(rep.served_late_units));

  if (rep.short_months.empty()) {
    std::cout
        << "\nNo month stays short: the recovery serves all demand the baseline served, in its month.\n";
  } else {
    std::cout << "\nMonths that stay short (sales below the baseline)\n";
    io::Table shorts({"month", "units"});
    shorts.SetAlign(1, io::Table::Align::kRight);
    for (const auto& [t, units] : rep.short_months)
      shorts.AddRow({model::ToString(s.horizon.MonthAt(t)), Gbp(units)});
    std::cout << shorts.Render();
  }
  // Contract minimum volumes are soft (a penalised shortfall, never an
  // infeasible recovery): say which ones each plan misses.
  for (const auto& [name, p, sc] : {std::tuple{"baseline", &r.baseline, &r.disrupted_scenario},
                                    std::tuple{"disrupted", &r.disrupted, &r.disrupted_scenario},
                                    std::tuple{"recovered", &r.recovered, &r.disrupted_scenario}}) {
    for (const auto& c : p->contract_shortfalls) {
      std::cout << fmt::format("{} plan: contract {} short by {} units in {}\n", name,
                               sc->contracts[static_cast<size_t>(c.contract)].id, Gbp(c.units), c.year);
    }
  }
  std::cout << "\nDisrupted plan " << CheckLine(r.disrupted_scenario, r.disrupted, r.disrupted_request)
            << "; recovered plan " << CheckLine(r.disrupted_scenario, r.recovered, r.RecoveryRequest())
            << ".\n";
}

void AddReplanCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string scenario;
    std::string baseline;
    std::vector<std::string> events;
    bool ignore_scenario_events = false;
    OutputFormat format = OutputFormat::kTable;
    std::string out_dir;
    std::string xlsx;
    double time_limit = 60;
    bool no_progress = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "replan", "Replan after disruptions: baseline, no action and recovered plans, and what each loses");
  cmd->add_option("SCENARIO", o->scenario, "Scenario YAML file")->required();
  cmd->add_option("--baseline", o->baseline, "Baseline plan (.json or .csv); solved first when omitted");
  cmd->add_option(
      "--event", o->events,
      "An event, e.g. \"outage plants=halewood from=2026-10-05 to=2026-11-08\" (repeatable; added to "
      "the scenario's events; see docs/scenario-format.md)");
  cmd->add_flag("--ignore-scenario-events", o->ignore_scenario_events, "Use only the --event events");
  AddFormatOption(cmd, &o->format);
  cmd->add_option("--out", o->out_dir,
                  "Write baseline.json, disrupted.json, recovered.json and report.json into this directory");
  AddXlsxOption(cmd, &o->xlsx);
  cmd->add_option("--time-limit", o->time_limit,
                  "Time limit of a baseline solve in seconds (default 60); the "
                  "recovery uses replan.time_limit_seconds")
      ->check(Seconds());
  AddNoProgressFlag(cmd, &o->no_progress);
  cmd->callback([o, &exit_code] {
    auto scenario = io::LoadScenario(o->scenario);
    if (!scenario) {
      exit_code = ReportError(scenario.error());
      return;
    }
    if (auto writable = CheckXlsxOption(o->xlsx); !writable) {
      exit_code = ReportError(writable.error());
      return;
    }
    std::vector<model::Event> events;
    if (!o->ignore_scenario_events) events = scenario->events;
    for (size_t i = 0; i < o->events.size(); ++i) {
      auto e = io::ParseEventText(o->events[i], *scenario, fmt::format("--event {}", i + 1),
                                  fmt::format("cli-{}", i + 1));
      if (!e) {
        exit_code = ReportError(e.error());
        return;
      }
      events.push_back(std::move(*e));
    }
    if (auto checked = io::CheckEvents(*scenario, events); !checked) {
      exit_code = ReportError(checked.error());
      return;
    }
    if (events.empty()) {
      exit_code = ReportError({ErrorKind::kInvalidInput,
                               o->scenario + ": no events to replan for; give --event or an `events:` list"});
      return;
    }
    ProgressLine progress(ProgressLine::ModeOf(false, o->no_progress));
    auto baseline = BaselineFor(*scenario, o->baseline, o->time_limit, "no --baseline given", &progress);
    if (!baseline) {
      exit_code = ReportError(baseline.error());
      return;
    }
    replan::ReplanOptions replan_options;
    replan_options.plan.solve.on_progress = progress.For("replan");
    auto result = replan::Replan(*scenario, baseline->plan, events, replan_options);
    progress.Clear();
    if (!result) {
      exit_code = ReportError(result.error());
      return;
    }
    if (!o->out_dir.empty()) {
      if (auto ready = io::PrepareOutputDir(o->out_dir); !ready) {
        exit_code = ReportError({ErrorKind::kInvalidInput, "--out " + ready.error().message});
        return;
      }
      const std::filesystem::path dir(o->out_dir);
      for (auto written :
           {io::WriteTextFile(dir / "baseline.json", io::WritePlanJson(*scenario, result->baseline)),
            io::WriteTextFile(dir / "disrupted.json",
                              io::WritePlanJson(result->disrupted_scenario, result->disrupted)),
            io::WriteTextFile(dir / "recovered.json",
                              io::WritePlanJson(result->disrupted_scenario, result->recovered)),
            io::WriteTextFile(dir / "report.json",
                              io::ReplanReportJson(*result).dump(2, ' ', false, kJsonInvalidUtf8) + "\n")}) {
        if (!written) {
          exit_code = ReportError(written.error());
          return;
        }
      }
    }
    // The replan job's result document (io::ReplanResultJson): `--format
    // json` prints it, `--xlsx` is made from it.
    nlohmann::json document;
    if (o->format == OutputFormat::kJson || !o->xlsx.empty())
      document = io::ReplanResultJson(*scenario, *result);
    if (auto written = WriteXlsxOption(o->xlsx, io::ReplanWorkbook(document)); !written) {
      exit_code = ReportError(written.error());
      return;
    }
    if (o->format == OutputFormat::kJson) {
      std::cout << document.dump(2, ' ', false, kJsonInvalidUtf8) << "\n";
    } else {
      PrintReplan(*result);
    }
    exit_code = kExitOk;
  });
}

// A side of `compare`: a scenario file (solved here) or a plan file read
// against `scenario_path`; its plan and the scenario it was made on.
[[nodiscard]] Result<app::Baseline> LoadSide(const std::string& path, const std::string& scenario_path,
                                             double time_limit, ProgressLine* progress) {
  const std::string ext = std::filesystem::path(path).extension().string();
  const bool solve = ext == ".yaml" || ext == ".yml";
  if (!solve && scenario_path.empty()) {
    return InvalidInput(path + ": a plan file needs its scenario: give --scenario (and --scenario-b)");
  }
  auto s = io::LoadScenario(solve ? path : scenario_path);
  if (!s) return std::unexpected(s.error());
  return BaselineFor(*s, solve ? "" : path, time_limit, path, progress);
}

std::string FormatValue(const replan::CompareRow& row, double v) {
  return row.unit == "share" ? io::FormatPercent(v) : Gbp(v);
}

// A batch of scenarios to compare: each solved as `cobuild plan` would,
// one work item each (scale/work_items.h), so that under mpirun the solves
// run on other ranks. The context carries every scenario's text.
std::string CompareBatchContext(const std::vector<std::string>& files, const std::vector<std::string>& texts,
                                double time_limit, int64_t max_nodes) {
  return nlohmann::json{
      {"files", files}, {"yaml", texts}, {"time_limit", time_limit}, {"max_nodes", max_nodes}}
      .dump();
}

// Item i: scenario i solved (one thread, the node limit) and re-checked; its
// plan's JSON, or {"error": ...} as JSON.
Result<scale::ItemSolver> MakeCompareItemSolver(std::string_view context) {
  const nlohmann::json j = nlohmann::json::parse(context, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Internal("compare job: expected its JSON context");
  try {
    auto files =
        std::make_shared<const std::vector<std::string>>(j.at("files").get<std::vector<std::string>>());
    auto texts =
        std::make_shared<const std::vector<std::string>>(j.at("yaml").get<std::vector<std::string>>());
    if (files->size() != texts->size()) return Internal("compare job: as many files as texts expected");
    const double time_limit = j.at("time_limit").get<double>();
    const int64_t max_nodes = j.at("max_nodes").get<int64_t>();
    return [files, texts, time_limit, max_nodes](int i) -> std::string {
      auto error = [](const Error& e) {
        return nlohmann::json{{"error", e.message}, {"invalid", e.kind == ErrorKind::kInvalidInput}}.dump(
            -1, ' ', false, kJsonInvalidUtf8);
      };
      if (i < 0 || i >= static_cast<int>(files->size()))
        return error(Error{ErrorKind::kInternal, "no such item"});
      auto s = io::ParseScenario((*texts)[static_cast<size_t>(i)], (*files)[static_cast<size_t>(i)]);
      if (!s) return error(s.error());
      app::Solve solve;
      solve.request.options.solve.time_limit_seconds = time_limit;
      solve.request.options.solve.max_nodes = max_nodes;
      solve.request.options.solve.threads = 1;
      auto base = app::ResolveBaseline(*s, solve);
      if (!base) return error(base.error());
      return io::WritePlanJson(*s, base->plan);
    };
  } catch (const nlohmann::json::exception& e) {
    return Internal(std::string("compare job: ") + e.what());
  }
}

void PrintComparison(const replan::Comparison& c, const std::string& a, const std::string& b);

// `compare A B C ...`: every scenario solved (one work item each), each of
// B, C, ... compared with A; JSON: {"base": A, "comparisons": [{"b": B,
// "comparison": ...}, ...]}.
int RunCompareBatch(const std::vector<std::string>& files, double time_limit, int64_t max_nodes,
                    const std::string& partial, OutputFormat format) {
  std::vector<std::string> texts;
  std::vector<model::Scenario> scenarios;
  for (const std::string& f : files) {
    const std::string ext = std::filesystem::path(f).extension().string();
    if (ext != ".yaml" && ext != ".yml") {
      return ReportError({ErrorKind::kInvalidInput,
                          f + ": expected a scenario (.yaml) in a batch of three or more, got a plan file"});
    }
    auto text = io::ReadTextFile(f);
    if (!text) return ReportError(text.error());
    auto s = io::ParseScenario(*text, f);
    if (!s) return ReportError(s.error());
    texts.push_back(std::move(*text));
    scenarios.push_back(std::move(*s));
  }
  const std::string context = CompareBatchContext(files, texts, time_limit, max_nodes);
  auto solver = MakeCompareItemSolver(context);
  if (!solver) return ReportError(solver.error());
  auto progress = [](int done, int total) {
    std::cerr << fmt::format("compare: {}/{} scenarios solved\n", done, total);
  };
  auto results = scale::RunWorkItems(static_cast<int>(files.size()), *solver,
                                     MpiWorkOptions("compare", context, partial, progress));
  if (!results) return ReportError(results.error());
  std::vector<plan::Plan> plans;
  for (size_t i = 0; i < files.size(); ++i) {
    const nlohmann::json j = nlohmann::json::parse((*results)[i], nullptr, false);
    if (!j.is_discarded() && j.is_object() && j.contains("error")) {
      return ReportError({j.value("invalid", false) ? ErrorKind::kInvalidInput : ErrorKind::kInternal,
                          j["error"].get<std::string>()});
    }
    auto p = io::ParsePlanJson((*results)[i], files[i] + " (solved)", scenarios[i]);
    if (!p) return ReportError(p.error());
    plans.push_back(std::move(*p));
  }
  nlohmann::json out = {{"base", files[0]}, {"comparisons", nlohmann::json::array()}};
  for (size_t i = 1; i < files.size(); ++i) {
    const replan::Comparison c = replan::ComparePlans(scenarios[0], plans[0], scenarios[i], plans[i]);
    if (format == OutputFormat::kJson) {
      out["comparisons"].push_back({{"b", files[i]}, {"comparison", io::ComparisonJson(c)}});
    } else {
      if (i > 1) std::cout << "\n";
      PrintComparison(c, files[0], files[i]);
    }
  }
  if (format == OutputFormat::kJson) std::cout << out.dump(2, ' ', false, kJsonInvalidUtf8) << "\n";
  return kExitOk;
}

void AddCompareCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string a;
    std::vector<std::string> rest;  // B, then more scenarios for a batch
    std::string b;
    std::string scenario;
    std::string scenario_b;
    OutputFormat format = OutputFormat::kTable;
    double time_limit = 60;
    int64_t max_nodes = 0;
    std::string partial = "cobuild-compare-partial.jsonl";
    bool no_progress = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "compare",
      "Compare two scenarios or two plans side by side; or a batch of scenarios, each against the first");
  cmd->add_option("A", o->a, "Scenario (.yaml, solved here) or plan (.json/.csv)")->required();
  cmd->add_option("B", o->rest,
                  "Scenario (.yaml, solved here) or plan (.json/.csv); more scenarios make a batch, each "
                  "compared with A (spread over the ranks under mpirun)")
      ->required();
  cmd->add_option("--scenario", o->scenario, "Scenario of plan files (of A, and of B unless --scenario-b)");
  cmd->add_option("--scenario-b", o->scenario_b, "Scenario of plan B when it differs from A's");
  AddFormatOption(cmd, &o->format);
  cmd->add_option("--time-limit", o->time_limit, "Time limit per scenario solve in seconds (default 60)")
      ->check(Seconds());
  cmd->add_option("--node-limit", o->max_nodes,
                  "Branch-and-cut nodes per scenario solve (default none), a work limit that makes a batch's "
                  "plans independent of the machine")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  AddPartialOption(cmd, &o->partial);
  AddNoProgressFlag(cmd, &o->no_progress);
  cmd->callback([o, &exit_code] {
    if (o->rest.size() > 1) {
      std::vector<std::string> files{o->a};
      files.insert(files.end(), o->rest.begin(), o->rest.end());
      exit_code = RunCompareBatch(files, o->time_limit, o->max_nodes, o->partial, o->format);
      return;
    }
    o->b = o->rest.front();
    if (o->max_nodes > 0) {
      exit_code = ReportError({ErrorKind::kInvalidInput,
                               "--node-limit: expected a batch of three or more "
                               "scenarios beside it, got two sides"});
      return;
    }
    ProgressLine progress(ProgressLine::ModeOf(false, o->no_progress));
    auto a = LoadSide(o->a, o->scenario, o->time_limit, &progress);
    if (!a) {
      exit_code = ReportError(a.error());
      return;
    }
    auto b = LoadSide(o->b, o->scenario_b.empty() ? o->scenario : o->scenario_b, o->time_limit, &progress);
    if (!b) {
      exit_code = ReportError(b.error());
      return;
    }
    const replan::Comparison c =
        replan::ComparePlans(a->planned_on, a->plan, b->planned_on, b->plan, a->request, b->request);
    if (o->format == OutputFormat::kJson) {
      // As the API's compare job writes it: the rows, where each side came
      // from (here the files given) and cars per plant and month of each.
      nlohmann::json out = io::ComparisonJson(c);
      out["a_source"] = o->a;
      out["b_source"] = o->b;
      out["plant_months"] =
          io::PlantMonthsSideBySideJson(a->planned_on, plan::Summarize(a->planned_on, a->plan, a->request),
                                        b->planned_on, plan::Summarize(b->planned_on, b->plan, b->request));
      std::cout << out.dump(2, ' ', false, kJsonInvalidUtf8) << "\n";
      exit_code = kExitOk;
      return;
    }
    PrintComparison(c, o->a, o->b);
    exit_code = kExitOk;
  });
}

void PrintComparison(const replan::Comparison& c, const std::string& a, const std::string& b) {
  std::cout << fmt::format("A: {} ({})\nB: {} ({})\n", a, c.name_a, b, c.name_b);
  std::string section;
  io::Table* table = nullptr;
  std::vector<std::unique_ptr<io::Table>> tables;
  for (const auto& row : c.rows) {
    if (row.section != section) {
      if (table) std::cout << table->Render();
      section = row.section;
      std::cout << fmt::format("\n{} ({})\n", section, row.unit);
      tables.push_back(std::make_unique<io::Table>(std::vector<std::string>{"", "A", "B", "change"}));
      table = tables.back().get();
      for (int col = 1; col <= 3; ++col) table->SetAlign(col, io::Table::Align::kRight);
    }
    const std::string change = row.unit == "share" ? io::FormatPercent(row.delta()) : Gbp(row.delta());
    table->AddRow({row.key, FormatValue(row, row.a), FormatValue(row, row.b), change});
  }
  if (table) std::cout << table->Render();
}

// What a rank needs to solve risk draws, as rank 0 sends it: the scenario's
// text (no shared disk), the baseline plan's JSON and the draws' options;
// rank 0 adds its set-up (RiskDraws::SetupText) as "setup" so the other
// ranks need not solve the warm start's LP again.
nlohmann::json RiskContext(const std::string& scenario_file, const std::string& scenario_yaml,
                           const model::Scenario& scenario, const plan::Plan& baseline,
                           const replan::RiskOptions& o) {
  return nlohmann::json{{"scenario_file", scenario_file},
                        {"scenario_yaml", scenario_yaml},
                        {"baseline", io::WritePlanJson(scenario, baseline)},
                        {"samples", o.samples},
                        {"seed", o.seed},
                        {"max_nodes", o.plan.solve.max_nodes},
                        {"draw_time_limit", o.plan.solve.time_limit_seconds},
                        {"full_recovery", o.full_recovery},
                        {"warm_start", o.warm_start}};
}

// The risk draws of a RiskContext, prepared in this process (with the
// context's "setup" when it has one). Rank 0 and every other rank make
// theirs this way, so every draw sees the same round-tripped baseline and
// the same warm start whichever rank solves it.
Result<scale::ItemSolver> RiskItemSolverFrom(const nlohmann::json& j, std::string* setup_out) {
  try {
    const std::string file = j.at("scenario_file").get<std::string>();
    auto scenario = io::ParseScenario(j.at("scenario_yaml").get<std::string>(), file);
    if (!scenario) return std::unexpected(scenario.error());
    auto shared_scenario = std::make_shared<const model::Scenario>(std::move(*scenario));
    auto baseline =
        io::ParsePlanJson(j.at("baseline").get<std::string>(), "baseline plan from rank 0", *shared_scenario);
    if (!baseline) return std::unexpected(baseline.error());
    auto shared_baseline = std::make_shared<const plan::Plan>(std::move(*baseline));
    replan::RiskOptions options;
    options.samples = j.at("samples").get<int>();
    options.seed = j.at("seed").get<uint64_t>();
    options.plan.solve.max_nodes = j.at("max_nodes").get<int64_t>();
    options.plan.solve.time_limit_seconds = j.at("draw_time_limit").get<double>();
    options.full_recovery = j.at("full_recovery").get<bool>();
    options.warm_start = j.at("warm_start").get<bool>();
    std::optional<std::string> setup;
    if (j.contains("setup")) setup = j.at("setup").get<std::string>();
    auto draws = replan::RiskDraws::Prepare(*shared_scenario, *shared_baseline, options, setup);
    if (!draws) return std::unexpected(draws.error());
    if (setup_out != nullptr) {
      auto text = draws->SetupText();
      if (!text) return std::unexpected(text.error());
      *setup_out = std::move(*text);
    }
    return [shared_scenario, shared_baseline, draws = std::move(*draws)](int i) {
      return replan::EncodeRiskSample(draws.Solve(i));
    };
  } catch (const nlohmann::json::exception& e) {
    return Internal(std::string("risk job: ") + e.what());
  }
}

// The risk draws' solver from RiskContext, on a worker rank.
Result<scale::ItemSolver> MakeRiskItemSolver(std::string_view context) {
  const nlohmann::json j = nlohmann::json::parse(context, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Internal("risk job: expected its JSON context");
  return RiskItemSolverFrom(j, nullptr);
}

void AddRiskCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string scenario;
    std::string baseline;
    OutputFormat format = OutputFormat::kTable;
    std::string xlsx;
    double time_limit = 60;
    replan::RiskOptions risk;  // the options below set its fields directly
    std::string partial = "cobuild-risk-partial.jsonl";
  };
  auto o = std::make_shared<Options>();
  o->risk.plan.solve.max_nodes = 200;
  o->risk.plan.solve.time_limit_seconds = 600;
  CLI::App* cmd = app.add_subcommand(
      "risk", "Draw outages and demand changes from the scenario's risk distributions and replan each draw");
  cmd->add_option("SCENARIO", o->scenario, "Scenario YAML file with a `risk:` section")->required();
  cmd->add_option("--samples", o->risk.samples, "Number of draws (default 100)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--seed", o->risk.seed,
                  "Random seed (default 1); the result depends only on it and --samples");
  cmd->add_option("--threads", o->risk.workers, "Worker processes (default: one per core)")
      ->check(CLI::Range(0, 256));
  cmd->add_option(
         "--node-limit", o->risk.plan.solve.max_nodes,
         "Branch-and-cut nodes per replan (default 200), a work limit that keeps draws deterministic")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  cmd->add_option("--baseline", o->baseline, "Baseline plan (.json or .csv); solved first when omitted");
  cmd->add_option("--time-limit", o->time_limit, "Time limit of a baseline solve in seconds (default 60)")
      ->check(Seconds());
  cmd->add_option(
         "--draw-time-limit", o->risk.plan.solve.time_limit_seconds,
         "Wall-clock limit of each draw's solve in seconds (default 600), a safety net: draws stop on "
         "--node-limit first, and one that reaches it is reported")
      ->check(Seconds());
  AddPartialOption(cmd, &o->partial);
  cmd->add_flag("--full-recovery", o->risk.full_recovery,
                "Re-solve each draw's recovery as the full MIP instead of keeping the baseline's shifts and "
                "retooling outside its recovery window (much slower)");
  AddFormatOption(cmd, &o->format);
  AddXlsxOption(cmd, &o->xlsx);
  cmd->callback([o, &exit_code] {
    auto scenario = io::LoadScenario(o->scenario);
    if (!scenario) {
      exit_code = ReportError(scenario.error());
      return;
    }
    if (auto writable = CheckXlsxOption(o->xlsx); !writable) {
      exit_code = ReportError(writable.error());
      return;
    }
    if (scenario->risk.outages.empty() && scenario->risk.demand.empty()) {
      exit_code =
          ReportError({ErrorKind::kInvalidInput,
                       o->scenario + ": no `risk:` distributions to draw from (docs/scenario-format.md)"});
      return;
    }
    auto baseline = BaselineFor(*scenario, o->baseline, o->time_limit, "no --baseline given");
    if (!baseline) {
      exit_code = ReportError(baseline.error());
      return;
    }
    replan::RiskOptions options = o->risk;
    const auto start = std::chrono::steady_clock::now();
    double last_report = -1;
    options.on_progress = [&](int done, int total) {
      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (done < total && elapsed - last_report < 1.0) return;
      last_report = elapsed;
      std::cerr << fmt::format("risk: {}/{} samples ({:.0f}%), {:.1f} s\n", done, total, 100.0 * done / total,
                               elapsed);
    };
    if (scale::MpiActive() && scale::Size() > 1) {
      options.run_elsewhere = [&](int samples,
                                  const std::vector<int>& order) -> Result<std::vector<std::string>> {
        auto yaml = io::ReadTextFile(o->scenario);
        if (!yaml) return std::unexpected(yaml.error());
        nlohmann::json context = RiskContext(o->scenario, *yaml, *scenario, baseline->plan, options);
        // Rank 0 prepares its draws from the context as the others would,
        // solving the warm start's LP once, and ships the result.
        std::string setup;
        auto here = RiskItemSolverFrom(context, &setup);
        if (!here) return std::unexpected(here.error());
        context["setup"] = std::move(setup);
        scale::WorkOptions work = MpiWorkOptions("risk", context.dump(), o->partial, options.on_progress);
        work.order = order;
        return scale::RunWorkItems(samples, *here, work);
      };
    }
    auto result = replan::Risk(*scenario, baseline->plan, options);
    if (!result) {
      exit_code = ReportError(result.error());
      return;
    }
    // One rule for both formats: the report is printed, and a failed draw
    // (a replan that could not be solved: a bug or a failed dependency) makes
    // the exit code 1; percentiles are over the draws that succeeded, and
    // there are none when no draw did.
    const bool any_succeeded = result->failed_samples < static_cast<int>(result->samples.size());
    exit_code = result->failed_samples == 0 ? kExitOk : kExitInternal;
    if (result->failed_samples > 0) {
      std::cerr << fmt::format("risk: {} of {} draws failed (first: {})\n", result->failed_samples,
                               result->samples.size(), FirstSampleError(*result));
    }
    // The risk job's result document (io::RiskJson).
    nlohmann::json document;
    if (o->format == OutputFormat::kJson || !o->xlsx.empty()) document = io::RiskJson(*scenario, *result);
    if (auto written = WriteXlsxOption(o->xlsx, io::RiskWorkbook(document)); !written) {
      exit_code = ReportError(written.error());
      return;
    }
    if (o->format == OutputFormat::kJson) {
      std::cout << document.dump(2, ' ', false, kJsonInvalidUtf8) << "\n";
      return;
    }
    std::cout << fmt::format("Risk of {}: {} draws (seed {}), {} with events, {} failed\n", scenario->name,
                             result->samples.size(), options.seed, result->samples_with_events,
                             result->failed_samples);
    std::cout << fmt::format("Baseline contribution GBP {}\n", Gbp(result->baseline_contribution_gbp));
    if (!result->approximation.empty()) std::cout << "Approximation: " << result->approximation << "\n";
    if (result->time_limited_samples > 0) {
      std::cout << fmt::format(
          "{} draws stopped on the wall-clock limit: their plans depend on the machine\n",
          result->time_limited_samples);
    }
    std::cout << "\n";
    if (!any_succeeded) {
      std::cout << "No draw succeeded: no percentiles.\n";
      return;
    }
    io::Table t({"", "P10", "P50", "P90"});
    for (int c = 1; c <= 3; ++c) t.SetAlign(c, io::Table::Align::kRight);
    auto row = [&](const std::string& name, const replan::Percentiles& p) {
      t.AddRow({name, Gbp(p.p10), Gbp(p.p50), Gbp(p.p90)});
    };
    row("contribution GBP, recovered", result->contribution_gbp);
    row("contribution GBP, no action", result->disrupted_contribution_gbp);
    row("units lost, recovered", result->units_lost);
    row("units lost, no action", result->disrupted_units_lost);
    std::cout << t.Render();
  });
}

}  // namespace

void RegisterReplanWorkKinds() {
  scale::RegisterWorkKind("risk", MakeRiskItemSolver);
  scale::RegisterWorkKind("compare", MakeCompareItemSolver);
}

void AddReplanCommands(CLI::App& app, int& exit_code) {
  AddReplanCommand(app, exit_code);
  AddCompareCommand(app, exit_code);
  AddRiskCommand(app, exit_code);
}

}  // namespace cobuild::cli
