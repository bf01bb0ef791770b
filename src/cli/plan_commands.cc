// `cobuild plan FILE`, `cobuild check-plan SCENARIO PLAN` and
// `cobuild generate ...`: parse, call src/plan, print.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "app/baseline.h"
#include "app/exclusion.h"
#include "app/scenario_ids.h"
#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/progress_line.h"
#include "deal/deal.h"
#include "deal/deal_rules.h"
#include "io/plan_io.h"
#include "io/plan_views.h"
#include "io/scenario_reader.h"
#include "io/scenario_writer.h"
#include "io/table.h"
#include "io/text_lines.h"
#include "model/network_generator.h"
#include "plan/plan_checker.h"
#include "plan/plan_summary.h"
#include "plan/planner.h"

namespace cobuild::cli {
namespace {

// "gap target 0.10% reached", "stall: no progress for 10 s", ...
std::string StopRuleText(const plan::SolveStats& stats) {
  switch (stats.stop_rule) {
    case plan::StopRule::kGapTarget:
      return fmt::format("gap target {} reached", io::FormatPercent(stats.gap_target, 2));
    case plan::StopRule::kStall:
      return fmt::format("stall rule (neither plan nor bound moved for {:g} s)", stats.stall_seconds);
    case plan::StopRule::kTimeLimit:
      return "time limit";
    case plan::StopRule::kNodeLimit:
      return "node limit";
    case plan::StopRule::kStopRequest:
      return "stop request";
  }
  return "time limit";
}

void PrintReport(const model::Scenario& s, const plan::Plan& p) {
  std::cout << fmt::format("{}: {}", s.name, plan::ToString(p.status));
  if (p.HasSolution()) {
    std::cout << fmt::format(", objective GBP {}, bound GBP {}, gap {}", Gbp(p.objective_gbp),
                             Gbp(p.bound_gbp), io::FormatPercent(p.gap, 2));
  }
  std::cout << fmt::format(" ({:.2f} s build, {:.2f} s solve)\n", p.stats.build_seconds,
                           p.stats.solve_seconds);
  std::cout << "Stopped by: " << StopRuleText(p.stats) << "\n";
  if (!p.HasSolution()) {
    std::cout << p.stats.solver_message << "\n";
    return;
  }
  const plan::PlanSummary summary = plan::Summarize(s, p);

  std::cout << "\nUtilization and spare capacity per plant and year (regular capacity: the lines at their "
               "maximum regular shifts;\nbuilt split into the plant host's own cars and its partners', and "
               "into cars on regular shifts and on levers)\n";
  // A retooling's stop takes regular capacity that is neither built nor
  // spare; its column shows only in plans that retool with downtime.
  const bool stops = std::ranges::any_of(summary.plant_years,
                                         [](const plan::PlantYear& py) { return py.retooling_stop > 0.5; });
  std::vector<std::string> header = {
      "plant",           "year", "built", "host's own", "partners'", "on regular shifts", "on levers",
      "regular capacity"};
  if (stops) header.push_back("retooling stop");
  for (const char* h : {"spare", "utilization", "with levers"}) header.push_back(h);
  io::Table plants(header);
  for (int c = 2; c < static_cast<int>(header.size()); ++c) plants.SetAlign(c, io::Table::Align::kRight);
  for (const auto& py : summary.plant_years) {
    const double own = py.built_by_company[static_cast<size_t>(s.plants[py.plant].company)];
    std::vector<std::string> row = {
        s.plants[py.plant].name, std::to_string(py.year), Gbp(py.built),           Gbp(own),
        Gbp(py.built - own),     Gbp(py.built_regular),   Gbp(py.built_on_levers), Gbp(py.capacity)};
    if (stops) row.push_back(Gbp(py.retooling_stop));
    for (const std::string& cell : {Gbp(py.spare()), io::FormatPercent(py.utilization()),
                                    io::FormatPercent(py.utilization_with_levers())})
      row.push_back(cell);
    plants.AddRow(row);
  }
  std::cout << plants.Render();
  if (stops) {
    std::cout << "Retooling stop: the regular capacity a retooling's downtime takes (no car is built then), "
                 "neither built nor spare.\n";
  }
  std::cout << "On levers: a line's cars beyond its regular capacity in a month, built on extra shifts and "
               "weekend days\n(the scenario's levers). Spare: the regular capacity a line leaves unused in a "
               "month, summed over\nthe plant's lines and months, so never negative: one line on levers does "
               "not cancel another's idle\nshifts. Utilization: built / regular capacity (above 100% with "
               "levers); with levers: built / (regular\ncapacity less retooling stop + what every lever "
               "could add).\n";

  if (!summary.retooled.empty()) {
    std::cout << "\nRetooling: ready month, downtime and ramp-up (platform cars against the ramp's cap)\n";
    io::Table retooling(
        {"line", "platform", "ready", "downtime", "capacity lost", "ramp-up months: built / cap"});
    retooling.SetAlign(4, io::Table::Align::kRight);
    for (const auto& r : summary.retooled) {
      std::string downtime = r.downtime_weeks > 0 ? fmt::format("{:g} weeks", r.downtime_weeks) : "none";
      for (auto it = r.downtime_months.rbegin(); it != r.downtime_months.rend(); ++it) {
        downtime +=
            (it == r.downtime_months.rbegin() ? " in " : ", ") + model::ToString(s.horizon.MonthAt(*it));
      }
      std::string ramp;
      for (const auto& m : r.ramp) {
        ramp +=
            fmt::format("{}{} {:.0f}%: {} / {}", ramp.empty() ? "" : "; ",
                        model::ToString(s.horizon.MonthAt(m.month)), m.share * 100, Gbp(m.built), Gbp(m.cap));
      }
      retooling.AddRow({s.lines[r.line].id, s.platforms[r.platform].id,
                        model::ToString(s.horizon.MonthAt(r.ready_month)), downtime,
                        Gbp(r.downtime_lost_cars), ramp});
    }
    std::cout << retooling.Render();
  }

  std::cout << "\nUnits by brand and plant\n";
  io::Table brands({"brand", "plant", "units"});
  brands.SetAlign(2, io::Table::Align::kRight);
  for (const auto& bp : summary.brand_plants) {
    brands.AddRow({s.brands[bp.brand].name, s.plants[bp.plant].name, Gbp(bp.units)});
  }
  std::cout << brands.Render();

  std::cout << "\nMarkets: imports, duty paid and avoided, unmet demand\n";
  io::Table markets({"market", "sold", "imported", "duty paid GBP", "duty avoided GBP", "unmet"});
  for (int c = 1; c <= 5; ++c) markets.SetAlign(c, io::Table::Align::kRight);
  for (const auto& m : summary.markets) {
    markets.AddRow({s.markets[m.market].id, Gbp(m.sold), Gbp(m.imported), Gbp(m.duty_paid_gbp),
                    Gbp(m.duty_avoided_gbp), Gbp(m.unmet)});
  }
  std::cout << markets.Render();

  std::cout << "\nShift changes per line (regular shifts; a change costs each shift added or removed)\n";
  io::Table changes({"plant", "line", "changes", "shifts added", "shifts removed", "cost GBP"});
  for (int c = 2; c <= 5; ++c) changes.SetAlign(c, io::Table::Align::kRight);
  for (const auto& c : summary.shift_changes) {
    changes.AddRow({s.plants[s.lines[c.line].plant].name, s.lines[c.line].id, std::to_string(c.changes),
                    std::to_string(c.shifts_added), std::to_string(c.shifts_removed), Gbp(c.cost_gbp)});
  }
  std::cout << changes.Render();
  if (!summary.stock.empty()) {
    std::cout << "\nFinished-goods stock at month ends (cars; months with none left out)\n";
    io::Table stock({"plant", "peak", "peak month", "months held", "holding cost GBP", "held at month ends"});
    for (int c = 1; c <= 4; ++c) stock.SetAlign(c, io::Table::Align::kRight);
    for (const auto& curve : summary.stock) {
      std::string held;
      int months = 0;
      for (int t = 0; t < s.horizon.num_months; ++t) {
        const double u = curve.units[static_cast<size_t>(t)];
        if (u <= 0) continue;
        ++months;
        held +=
            fmt::format("{}{} {}", held.empty() ? "" : ", ", model::ToString(s.horizon.MonthAt(t)), Gbp(u));
      }
      stock.AddRow({s.plants[curve.plant].name, Gbp(curve.peak()),
                    curve.peak_month < 0 ? "-" : model::ToString(s.horizon.MonthAt(curve.peak_month)),
                    std::to_string(months), Gbp(curve.holding_cost_gbp), held.empty() ? "-" : held});
    }
    std::cout << stock.Render();
  }
  if (summary.sold_after_horizon > 0) {
    std::cout << fmt::format(
        "\nSold after the horizon (horizon_end_value: margin): {} cars shipped in its last months\n",
        Gbp(summary.sold_after_horizon));
  }

  // With a discount rate the objective is in present value; the breakdown
  // is nominal and the last column the contribution's present value.
  const bool discounted = s.settings.discount_rate_per_year != 0;
  if (discounted) {
    double nominal = -p.penalties_gbp;
    for (const auto& c : p.contributions) nominal += c.contribution_gbp;
    std::cout << fmt::format(
        "\nContribution per company (GBP; nominal, and in present value at {} a year to {})\n",
        io::FormatPercent(s.settings.discount_rate_per_year, 1), model::ToString(s.horizon.first));
    std::cout << fmt::format("objective GBP {} in present value, GBP {} nominal\n", Gbp(p.objective_gbp),
                             Gbp(nominal));
  } else {
    std::cout << "\nContribution per company (GBP)\n";
  }
  std::vector<std::string> headers = {"company",   "units sold", "revenue",     "fee income",
                                      "fees paid", "duty",       "shift cost",  "shift changes",
                                      "retooling", "holding",    "contribution"};
  if (discounted) headers.push_back("present value");
  io::Table companies(headers);
  for (int c = 1; c < static_cast<int>(headers.size()); ++c) companies.SetAlign(c, io::Table::Align::kRight);
  for (const auto& c : p.contributions) {
    std::vector<std::string> row = {s.companies[c.company].name, Gbp(c.units_sold),
                                    Gbp(c.revenue_gbp),          Gbp(c.fee_income_gbp),
                                    Gbp(c.fee_paid_gbp),         Gbp(c.duty_gbp),
                                    Gbp(c.shift_cost_gbp),       Gbp(c.shift_change_cost_gbp),
                                    Gbp(c.retooling_cost_gbp),   Gbp(c.holding_cost_gbp),
                                    Gbp(c.contribution_gbp)};
    if (discounted) row.push_back(Gbp(c.contribution_pv_gbp));
    companies.AddRow(row);
  }
  std::cout << companies.Render();
  if (!summary.cost_by_plant.empty()) {
    std::cout << "\nCost per car by plant (plant costs and kits; landed: with a kit's freight and duty)\n";
    io::Table costs({"company", "plant", "cars", "of which kits", "cost per car", "variants' own cost"});
    for (int c = 2; c <= 5; ++c) costs.SetAlign(c, io::Table::Align::kRight);
    for (const auto& c : summary.cost_by_plant) {
      costs.AddRow({s.companies[c.company].name, s.plants[c.plant].name, Gbp(c.units), Gbp(c.kit_units),
                    Gbp(c.CostPerCar()), Gbp(c.DefaultCostPerCar())});
    }
    std::cout << costs.Render();
  }
  if (std::ranges::any_of(s.companies, [](const model::Company& c) { return !c.owners.empty(); })) {
    // The group view: a joint venture's contribution rolled up to its owners by share.
    std::vector<deal::Account> legal;
    for (size_t c = 0; c < s.companies.size(); ++c)
      legal.push_back(deal::CompanyAccount(p, static_cast<int>(c)));
    const std::vector<deal::Account> groups = deal::GroupAccounts(s, legal);
    std::cout << "\nContribution per group (joint ventures rolled up to their owners by share, GBP)\n";
    io::Table group({"group", "units sold", "fee income", "fees paid", "duty", "shift cost", "shift changes",
                     "retooling", "contribution"});
    for (int c = 1; c <= 8; ++c) group.SetAlign(c, io::Table::Align::kRight);
    for (size_t c = 0; c < s.companies.size(); ++c) {
      if (!s.companies[c].owners.empty()) continue;
      const deal::Account& a = groups[c];
      group.AddRow({s.companies[c].name, Gbp(a.units_sold), Gbp(a.fee_income_gbp), Gbp(a.fees_paid_gbp),
                    Gbp(a.duty_gbp), Gbp(a.shift_cost_gbp), Gbp(a.shift_change_cost_gbp),
                    Gbp(a.retooling_cost_gbp), Gbp(a.contribution_gbp)});
    }
    std::cout << group.Render();
  }
  if (p.penalties_gbp > 0)
    std::cout << "penalties (unmet demand, contract shortfall, safety stock): GBP " << Gbp(p.penalties_gbp)
              << "\n";

  if (!p.binding.empty()) {
    std::cout << "\nBinding constraints (marginal values with the plan's shifts and retooling fixed)\n";
    for (size_t i = 0; i < p.binding.size() && i < 12; ++i) std::cout << "  " << p.binding[i].text << "\n";
  }
  if (!p.unmet_causes.empty()) {
    std::cout << "\nUnmet demand and what stopped it (largest first)\n";
    std::vector<plan::UnmetCause> causes = p.unmet_causes;
    std::stable_sort(causes.begin(), causes.end(),
                     [](const auto& a, const auto& b) { return a.units > b.units; });
    for (size_t i = 0; i < causes.size() && i < 12; ++i) {
      const auto& c = causes[i];
      std::cout << fmt::format("  {} in {} {}: {} cars: {}\n", s.variants[c.variant].id,
                               s.markets[c.market].id, model::ToString(s.horizon.MonthAt(c.month)),
                               Gbp(c.units), c.reason);
    }
  }
}

// Utilization per plant and year, and contribution per company, of the plan
// beside a plan without something (`what`: "Chery Automobile's models", "contract jlr-builds-chery").
void PrintComparison(const model::Scenario& s, const plan::Plan& with, const model::Scenario& s_without,
                     const plan::Plan& without, const std::string& what) {
  const plan::PlanSummary a = plan::Summarize(s, with);
  const plan::PlanSummary b = plan::Summarize(s_without, without);
  std::cout << fmt::format("\nUtilization with and without {} (without: {}, gap {})\n", what,
                           plan::ToString(without.status), io::FormatPercent(without.gap, 2));
  std::vector<std::string> header = {"plant", "year"};
  std::ranges::copy(WithWithoutHeader(), std::back_inserter(header));
  io::Table table(header);
  for (int c = 2; c < static_cast<int>(header.size()); ++c) table.SetAlign(c, io::Table::Align::kRight);
  for (size_t i = 0; i < a.plant_years.size() && i < b.plant_years.size(); ++i) {
    const auto& x = a.plant_years[i];
    std::vector<std::string> row = {s.plants[x.plant].name, std::to_string(x.year)};
    std::ranges::copy(WithWithoutCells(x, b.plant_years[i]), std::back_inserter(row));
    table.AddRow(row);
  }
  std::cout << table.Render();
  io::Table money({"company", "contribution with", "contribution without", "change"});
  for (int c = 1; c <= 3; ++c) money.SetAlign(c, io::Table::Align::kRight);
  for (size_t c = 0; c < with.contributions.size() && c < without.contributions.size(); ++c) {
    const double x = with.contributions[c].contribution_gbp;
    const double y = without.contributions[c].contribution_gbp;
    money.AddRow({s.companies[c].name, Gbp(x), Gbp(y), Gbp(x - y)});
  }
  std::cout << "\nContribution per company (GBP)\n" << money.Render();
}

// The deal rules of the scenario's settings, with --participation and
// --host-first added (both must name one contract).
[[nodiscard]] Result<deal::DealRules> DealRulesOf(const model::Scenario& s, const std::string& participation,
                                                  const std::string& host_first) {
  deal::DealRules rules = deal::RulesOf(s);
  for (const auto& [flag, id, on] : {std::tuple{"--participation", &participation, &rules.participation},
                                     std::tuple{"--host-first", &host_first, &rules.host_first}}) {
    if (id->empty()) continue;
    auto contract = app::ResolveContract(s, *id);
    if (!contract) return InvalidInput(std::string(flag) + ": " + contract.error().message);
    if (rules.contract >= 0 && rules.contract != *contract) {
      return InvalidInput(
          fmt::format("{}: names contract {}, but the deal rules are for contract {} (one "
                      "contract at a time)",
                      flag, *id, s.contracts[rules.contract].id));
    }
    rules.contract = *contract;
    *on = true;
  }
  return rules;
}

void PrintDealRules(const model::Scenario& s, const plan::Plan& p) {
  const plan::DealFloors& f = p.basis.deal_floors;
  if (f.empty() || f.contract < 0) return;
  std::cout << fmt::format("\nDeal rules for contract {} (floors from a plan without it)\n",
                           s.contracts[f.contract].id);
  if (!f.contribution_pv_gbp.empty()) {
    io::Table table({"company", "contribution (PV)", "without the deal", "gain"});
    for (int c = 1; c <= 3; ++c) table.SetAlign(c, io::Table::Align::kRight);
    for (const auto& c : p.contributions) {
      const double floor = f.contribution_pv_gbp[static_cast<size_t>(c.company)];
      table.AddRow({s.companies[c.company].name, Gbp(c.contribution_pv_gbp), Gbp(floor),
                    Gbp(c.contribution_pv_gbp - floor)});
    }
    std::cout << "Participation: every company at least its value without the deal (GBP)\n" << table.Render();
  }
  if (!f.host_output.empty()) {
    const int host = s.contracts[f.contract].host;
    io::Table table({"plant", "year", "own cars", "without the deal"});
    for (int c = 2; c <= 3; ++c) table.SetAlign(c, io::Table::Align::kRight);
    for (const auto& o : f.host_output) {
      double own = 0;
      for (const auto& e : p.production) {
        if (s.lines[e.line].plant == o.plant && s.VariantOwner(e.variant) == host &&
            s.horizon.MonthAt(e.month).year == o.year) {
          own += e.units;
        }
      }
      table.AddRow({s.plants[o.plant].name, std::to_string(o.year), Gbp(own), Gbp(o.units)});
    }
    std::cout << "Host-first: " << s.companies[host].name << "'s own cars per plant and year\n"
              << table.Render();
  }
}

}  // namespace

void AddPlanCommands(CLI::App& app, int& exit_code) {
  struct PlanOptions {
    std::string path;
    std::string out_dir;
    std::string xlsx;
    OutputFormat format = OutputFormat::kTable;
    double time_limit = 60;
    double gap = 1e-3;
    double stall = 10;
    int threads = 1;
    int64_t max_nodes = -1;
    std::vector<std::string> excluded_brands;
    std::string compare_without;
    std::string compare_without_contract;
    std::string without_contract;
    std::string participation;
    std::string host_first;
    bool progress = false;
    bool no_progress = false;
    std::string write_mps;
    std::string write_lp;
    bool write_only = false;
  };
  auto po = std::make_shared<PlanOptions>();
  CLI::App* plan =
      app.add_subcommand("plan", "Plan the network: which line builds which model, when and for whom");
  plan->add_option("FILE", po->path, "Scenario YAML file")->required();
  plan->add_option("--out", po->out_dir, "Write plan.json and plan.csv into this directory");
  AddFormatOption(plan, &po->format, {"table", "json", "csv"});
  AddXlsxOption(plan, &po->xlsx);
  plan->add_option("--time-limit", po->time_limit, "Wall-clock limit in seconds (default 60)")
      ->check(Seconds());
  plan->add_option("--gap", po->gap,
                   "Gap target: stop once the plan is proven this close to optimal (default 1e-3)")
      ->check(CLI::Range(0.0, 1.0));
  plan->add_option("--stall", po->stall,
                   "Stall rule: stop when neither the plan nor the bound moved for this many seconds "
                   "(default 10; 0 = never)")
      ->check(Seconds(true));
  plan->add_option("--threads", po->threads,
                   "CBC threads for branch and bound (default 1; Debian's CBC 2.10 is built with threads, "
                   "so N > 1 runs a parallel tree search; runs are then not repeatable). On a machine with "
                   "more cores than N, a wall-clock solve also runs the retooling search on a thread of its "
                   "own beside CBC")
      ->check(CLI::Range(1, 64));
  plan->add_option(
      "--max-nodes", po->max_nodes,
      "Branch-and-cut node limit, a work limit: with it and the time limit not reached, runs repeat exactly");
  plan->add_option("--exclude-brand", po->excluded_brands, "Leave a brand out entirely (repeatable)");
  plan->add_option("--compare-without", po->compare_without,
                   "Also plan without this company's brands and compare plant utilization (table format): "
                   "its cars leave every market, imports included; for the plan without a deal use "
                   "--compare-without-contract");
  plan->add_option("--compare-without-contract", po->compare_without_contract,
                   "Also plan without this contract (the partner's cars then come from its own plants or "
                   "imports) and compare utilization and contribution per company (table format)");
  plan->add_option("--without-contract", po->without_contract,
                   "Plan without this contract as `cobuild deal` plans its plan without the deal (the "
                   "partner's cars then come from its own plants or imports); the plan file records the "
                   "contract left out, and `cobuild deal --plan-without` takes it (docs/deal.md)");
  plan->add_option("--participation", po->participation,
                   "Participation constraints for this contract: every company's contribution (present "
                   "value) at least its value in a plan without the contract, solved first "
                   "(settings.participation; docs/planning-model.md)");
  plan->add_option("--host-first", po->host_first,
                   "Host-first for this contract: the host's own-brand cars per covered plant and year at "
                   "least its level without the contract (settings.host_first)");
  plan->add_flag("--progress", po->progress,
                 "Progress on stderr even when it is not a terminal, one line per update (a terminal shows "
                 "one line updated in place by default)");
  plan->add_flag("--no-progress", po->no_progress,
                 "No progress on stderr (by default a terminal shows the best plan, bound and gap so far)");
  plan->add_option("--write-mps", po->write_mps,
                   "Write the model this plan solves as MPS (readable names; it minimises minus the "
                   "contribution, see its header) for another solver");
  plan->add_option("--write-lp", po->write_lp, "Write the model this plan solves in LP format (Maximize)");
  plan->add_flag("--write-only", po->write_only,
                 "With --write-mps/--write-lp: write the model, do not solve");
  plan->callback([po, &exit_code] {
    Result<model::Scenario> scenario = io::LoadScenario(po->path);
    if (!scenario) {
      exit_code = ReportError(scenario.error());
      return;
    }
    plan::PlanRequest request;
    request.options.solve.time_limit_seconds = po->time_limit;
    request.options.solve.relative_gap = po->gap;
    request.options.solve.stall_seconds = po->stall;
    request.options.solve.threads = po->threads;
    request.options.solve.max_nodes = po->max_nodes;
    if (auto excluded = app::Exclude(*scenario, {.brands = po->excluded_brands}, request); !excluded) {
      exit_code = ReportError({ErrorKind::kInvalidInput, "--exclude-brand: " + excluded.error().message});
      return;
    }
    // The brands of the plan without a company, checked before any solve.
    plan::PlanRequest without_company = request;
    if (!po->compare_without.empty()) {
      if (auto excluded = app::Exclude(*scenario, {.companies = {po->compare_without}}, without_company);
          !excluded) {
        exit_code = ReportError({ErrorKind::kInvalidInput, "--compare-without: " + excluded.error().message});
        return;
      }
    }
    // --without-contract: the deal's plan without the contract
    // (deal::SolveWithoutContract), nothing else left out or added.
    std::optional<app::ContractRemoved> deal_without;
    if (!po->without_contract.empty()) {
      for (const auto& [flag, given] :
           {std::pair{"--exclude-brand", !po->excluded_brands.empty()},
            std::pair{"--compare-without", !po->compare_without.empty()},
            std::pair{"--compare-without-contract", !po->compare_without_contract.empty()},
            std::pair{"--participation", !po->participation.empty()},
            std::pair{"--host-first", !po->host_first.empty()}}) {
        if (!given) continue;
        exit_code = ReportError(
            {ErrorKind::kInvalidInput,
             fmt::format("--without-contract and {}: --without-contract plans as `cobuild deal` plans its "
                         "plan without the contract, with nothing else left out or added; give one or the "
                         "other",
                         flag)});
        return;
      }
      auto removed = app::ExcludeContract(*scenario, po->without_contract);
      if (!removed) {
        exit_code = ReportError({ErrorKind::kInvalidInput, "--without-contract: " + removed.error().message});
        return;
      }
      deal_without = std::move(*removed);
    }
    // The scenario planned: the deal's scenario without the contract, or the scenario as it is.
    const model::Scenario& planned = deal_without ? deal_without->scenario : *scenario;
    std::optional<app::ContractRemoved> without_contract;
    if (!po->compare_without_contract.empty()) {
      auto removed = app::ExcludeContract(*scenario, po->compare_without_contract);
      if (!removed) {
        exit_code =
            ReportError({ErrorKind::kInvalidInput, "--compare-without-contract: " + removed.error().message});
        return;
      }
      without_contract = std::move(*removed);
    }
    if (po->progress && po->no_progress) {
      exit_code =
          ReportError({ErrorKind::kInvalidInput, "--progress and --no-progress: give one or the other"});
      return;
    }
    ProgressLine progress(ProgressLine::ModeOf(po->progress, po->no_progress));
    request.options.solve.on_progress = progress.For("plan");
    if (!po->out_dir.empty()) {
      if (auto ready = io::PrepareOutputDir(po->out_dir); !ready) {
        exit_code = ReportError({ErrorKind::kInvalidInput, "--out " + ready.error().message});
        return;
      }
    }
    if (auto writable = CheckXlsxOption(po->xlsx); !writable) {
      exit_code = ReportError(writable.error());
      return;
    }
    // The deal plans without the contract under no deal rules (the
    // scenario's settings.participation and host_first included).
    auto rules = deal_without ? Result<deal::DealRules>(deal::DealRules{})
                              : DealRulesOf(*scenario, po->participation, po->host_first);
    if (!rules) {
      exit_code = ReportError(rules.error());
      return;
    }
    if (rules->any() && (!po->write_mps.empty() || !po->write_lp.empty())) {
      // The participation and host-first rows take their floors from a plan
      // without the contract, solved first; the files hold one model only.
      exit_code = ReportError({ErrorKind::kInvalidInput,
                               "--write-mps/--write-lp write the model without participation or host-first "
                               "rules; leave out --participation/--host-first (and the scenario's "
                               "settings.participation/host_first) to write it"});
      return;
    }
    for (const auto& [path, format] : {std::pair{po->write_mps, plan::ModelFileFormat::kMps},
                                       std::pair{po->write_lp, plan::ModelFileFormat::kLp}}) {
      if (path.empty()) continue;
      if (auto written = plan::WritePlanModel(planned, request, path, format); !written) {
        exit_code = ReportError(written.error());
        return;
      }
    }
    if (po->write_only) {
      if (po->write_mps.empty() && po->write_lp.empty()) {
        exit_code = ReportError({ErrorKind::kInvalidInput, "--write-only needs --write-mps or --write-lp"});
      }
      return;
    }
    Result<plan::Plan> result = [&]() -> Result<plan::Plan> {
      if (deal_without) {
        return deal::SolveWithoutContract(deal_without->scenario, deal_without->contract, request.options);
      }
      if (!rules->any()) return plan::SolvePlan(*scenario, request);
      auto ruled = deal::SolveWithDealRules(*scenario, request, *rules);
      if (!ruled) return std::unexpected(ruled.error());
      return std::move(ruled->plan);
    }();
    progress.Clear();
    if (!result) {
      exit_code = ReportError(result.error());
      return;
    }
    if (!po->out_dir.empty()) {
      const std::filesystem::path dir(po->out_dir);
      for (auto written : {io::WriteTextFile(dir / "plan.json", io::WritePlanJson(planned, *result)),
                           io::WriteTextFile(dir / "plan.csv", io::WritePlanCsv(planned, *result))}) {
        if (!written) {
          exit_code = ReportError(written.error());
          return;
        }
      }
    }
    // The plan's result document, the API plan job's (io::PlanResultJson):
    // `--format json` prints it, `--xlsx` is made from it.
    nlohmann::json document;
    if (po->format == OutputFormat::kJson || (!po->xlsx.empty() && result->HasSolution())) {
      document = io::PlanResultJson(planned, *result, request);
    }
    if (result->HasSolution()) {
      if (auto written = WriteXlsxOption(po->xlsx, io::PlanWorkbook(document)); !written) {
        exit_code = ReportError(written.error());
        return;
      }
    }
    switch (po->format) {
      case OutputFormat::kJson:
        // Read back as a plan file (check-plan, --baseline), its "plan" is read.
        std::cout << document.dump(1, ' ', false, kJsonInvalidUtf8) << "\n";
        break;
      case OutputFormat::kCsv:
        std::cout << io::WritePlanCsv(planned, *result);
        break;
      case OutputFormat::kTable:
        if (deal_without) {
          std::cout << fmt::format("Without contract {}, as `cobuild deal` plans without it\n",
                                   scenario->contracts[static_cast<size_t>(deal_without->contract)].id);
        }
        PrintReport(planned, *result);
        PrintDealRules(planned, *result);
        break;
    }
    if (!po->compare_without.empty() && po->format == OutputFormat::kTable) {
      plan::PlanRequest without = request;
      without.excluded_brands = without_company.excluded_brands;
      Result<plan::Plan> other = plan::SolvePlan(*scenario, without);
      progress.Clear();
      if (!other) {
        exit_code = ReportError(other.error());
        return;
      }
      const auto& company =
          scenario->companies[static_cast<size_t>(scenario->FindCompany(po->compare_without))];
      PrintComparison(*scenario, *result, *scenario, *other, company.name + "'s models");
    }
    if (without_contract && po->format == OutputFormat::kTable && result->HasSolution()) {
      // Warm-started from the plan with the contract: its shifts and
      // retooling stay feasible without it, so the plan without the deal is
      // never worse than keeping them.
      plan::PlanRequest without = request;
      without.start = &*result;
      Result<plan::Plan> other = plan::SolvePlan(without_contract->scenario, without);
      progress.Clear();
      if (!other) {
        exit_code = ReportError(other.error());
        return;
      }
      PrintComparison(*scenario, *result, without_contract->scenario, *other,
                      "contract " + po->compare_without_contract);
    }
    exit_code = result->HasSolution() ? kExitOk : kExitInternal;
  });

  struct CheckOptions {
    std::string scenario;
    std::string plan;
  };
  auto co = std::make_shared<CheckOptions>();
  CLI::App* check =
      app.add_subcommand("check-plan", "Re-verify a plan (JSON or CSV) against its scenario from scratch");
  check->add_option("SCENARIO", co->scenario, "Scenario YAML file")->required();
  check->add_option("PLAN", co->plan, "Plan file (.json or .csv)")->required();
  check->callback([co, &exit_code] {
    Result<model::Scenario> scenario = io::LoadScenario(co->scenario);
    if (!scenario) {
      exit_code = ReportError(scenario.error());
      return;
    }
    // The plan is checked for what its basis says it was made for: its
    // events applied, its excluded brands, the scenario's levers.
    auto read = app::ReadPlanFile(*scenario, co->plan);
    if (!read) {
      exit_code = ReportError(read.error());
      return;
    }
    const plan::CheckReport report =
        plan::CheckPlan(read->context.scenario, read->plan, read->context.request);
    for (const std::string& v : report.violations) std::cerr << co->plan << ": " << v << "\n";
    if (!report.ok()) {
      std::cerr << co->plan << ": plan violates the scenario\n";
      exit_code = kExitInvalidInput;
      return;
    }
    std::cout << fmt::format("{}: valid; objective GBP {} recomputed (penalties GBP {})\n", co->plan,
                             io::FormatThousands(report.objective_gbp),
                             io::FormatThousands(report.penalties_gbp));
    exit_code = kExitOk;
  });

  struct GenerateOptions {
    model::GeneratorParams params;
    std::string out;
  };
  auto go = std::make_shared<GenerateOptions>();
  CLI::App* generate = app.add_subcommand("generate", "Write a synthetic network scenario (for benchmarks)");
  generate->add_option("--plants", go->params.plants, "Plants (1..100)")->check(CLI::Range(1, 100));
  generate->add_option("--lines", go->params.lines, "Lines (plants..500)")->check(CLI::Range(1, 500));
  generate->add_option("--models", go->params.variants, "Model variants (1..2000)")
      ->check(CLI::Range(1, 2000));
  generate->add_option("--markets", go->params.markets, "Markets (1..100)")->check(CLI::Range(1, 100));
  generate->add_option("--months", go->params.months, "Months (<= 120)")->check(CLI::Range(1, 120));
  generate->add_option("--seed", go->params.seed, "Random seed");
  generate->add_option("--out", go->out, "Output file (default stdout)");
  generate->callback([go, &exit_code] {
    Result<model::Scenario> scenario = model::GenerateNetwork(go->params);
    if (!scenario) {
      exit_code = ReportError(scenario.error());
      return;
    }
    const std::string yaml = io::WriteScenarioYaml(*scenario);
    if (go->out.empty()) {
      std::cout << yaml;
    } else if (auto written = io::WriteTextFile(go->out, yaml); !written) {
      exit_code = ReportError(written.error());
      return;
    }
    exit_code = kExitOk;
  });
}

}  // namespace cobuild::cli
