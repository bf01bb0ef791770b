// `cobuild deal SCENARIO --contract ID`: parse, call src/deal, print.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "app/baseline.h"
#include "app/scenario_ids.h"
#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/progress_line.h"
#include "deal/deal.h"
#include "deal/sweep.h"
#include "io/deal_io.h"
#include "io/deal_sweep_io.h"
#include "io/plan_io.h"
#include "io/scenario_reader.h"
#include "io/table.h"
#include "io/text_lines.h"
#include "plan/cbc_backend.h"
#include "plan/plan_summary.h"
#include "replan/apply_events.h"
#include "scale/work_items.h"

namespace cobuild::cli {
namespace {

std::string PlanLine(const plan::Plan& p, const std::vector<std::string>& violations) {
  return fmt::format("{}, objective GBP {}, gap {}, {}", plan::ToString(p.status), Gbp(p.objective_gbp),
                     io::FormatPercent(p.gap, 2),
                     violations.empty() ? std::string("passes the plan checker")
                                        : "FAILS the plan checker: " + violations.front());
}

bool HasJointVentures(const model::Scenario& s) {
  return std::ranges::any_of(s.companies, [](const model::Company& c) { return !c.owners.empty(); });
}

// Costs enter the change with their sign on the contribution: more duty is negative.
void PrintCompanies(const model::Scenario& s, const std::vector<deal::CompanyChange>& rows,
                    const std::string& title) {
  std::cout << "\n" << title << "\n";
  io::Table table({"company", "with", "without", "change", "margin", "duty", "fee income", "fees paid",
                   "shifts", "shift changes", "retooling", "stock holding", "tooling share"});
  for (int c = 1; c <= 12; ++c) table.SetAlign(c, io::Table::Align::kRight);
  for (const auto& c : rows) {
    const deal::Account d = c.change();
    table.AddRow({s.companies[c.company].name, Gbp(c.with.contribution_gbp), Gbp(c.without.contribution_gbp),
                  Gbp(d.contribution_gbp), Gbp(d.margin_gbp), Gbp(-d.duty_gbp), Gbp(d.fee_income_gbp),
                  Gbp(-d.fees_paid_gbp), Gbp(-d.shift_cost_gbp), Gbp(-d.shift_change_cost_gbp),
                  Gbp(-d.retooling_cost_gbp), Gbp(-d.holding_cost_gbp), Gbp(d.tooling_share_gbp)});
  }
  std::cout << table.Render();
}

void PrintPlants(const model::Scenario& s, const deal::DealReport& r) {
  std::cout << "\nHost plants: the host's account per plant with and without the deal (GBP)\n";
  io::Table plants({"plant", "cars hosted", "with", "without", "change", "own margin", "duty", "fee income",
                    "shifts", "shift changes", "retooling", "stock holding", "tooling share",
                    "break-even fee"});
  for (int c = 1; c <= 13; ++c) plants.SetAlign(c, io::Table::Align::kRight);
  for (const auto& p : r.host_plants) {
    const deal::Account d = p.change();
    plants.AddRow({s.plants[p.plant].name, Gbp(p.cars_hosted), Gbp(p.with.contribution_gbp),
                   Gbp(p.without.contribution_gbp), Gbp(d.contribution_gbp), Gbp(d.margin_gbp),
                   Gbp(-d.duty_gbp), Gbp(d.fee_income_gbp), Gbp(-d.shift_cost_gbp),
                   Gbp(-d.shift_change_cost_gbp), Gbp(-d.retooling_cost_gbp), Gbp(-d.holding_cost_gbp),
                   Gbp(d.tooling_share_gbp),
                   p.cars_hosted > 0 ? Gbp(p.break_even_fee_gbp) : std::string("-")});
  }
  std::cout << plants.Render();

  std::cout
      << "\nCars hosted per plant and year, and the host plants' utilization with and without the deal\n";
  const plan::PlanSummary with = plan::Summarize(s, r.with);
  const plan::PlanSummary without = plan::Summarize(r.without_scenario, r.without);
  std::vector<std::string> header = {"plant", "year", "cars hosted"};
  std::ranges::copy(WithWithoutHeader(), std::back_inserter(header));
  io::Table hosted(header);
  for (int c = 2; c < static_cast<int>(header.size()); ++c) hosted.SetAlign(c, io::Table::Align::kRight);
  auto find = [](const plan::PlanSummary& summary, const deal::HostedCars& h) {
    for (const auto& py : summary.plant_years) {
      if (py.plant == h.plant && py.year == h.year) return py;
    }
    return plan::PlantYear{};
  };
  for (const auto& h : r.hosted) {
    const plan::PlantYear a = find(with, h);
    const plan::PlantYear b = find(without, h);
    std::vector<std::string> row = {s.plants[h.plant].name, std::to_string(h.year), Gbp(h.units)};
    std::ranges::copy(WithWithoutCells(a, b), std::back_inserter(row));
    hosted.AddRow(row);
  }
  std::cout << hosted.Render();
  std::cout
      << "Utilization of the regular capacity (maximum regular shifts). On levers: cars beyond a line's "
         "regular\ncapacity in a month (extra shifts, weekend days). Spare: the regular capacity the "
         "lines leave unused, never negative.\n";
}

void PrintTerms(const model::Scenario& s, const deal::DealReport& r) {
  const deal::FeeTerms& t = r.terms;
  const std::string& host = s.companies[r.host].name;
  const std::string& partner = s.companies[r.partner].name;
  std::cout
      << "\nFee terms (exact: the plan does not depend on the fee, a transfer that cancels in the total, "
         "so each side's gain is linear in it)\n";
  std::cout << fmt::format("  cars built under the contract: {}\n", Gbp(t.cars));
  std::cout << fmt::format(
      "  at the contract's fee of GBP {}: {} gains GBP {}, {} gains GBP {} (joint GBP {})\n", Gbp(t.fee_gbp),
      host, Gbp(t.host_gain_gbp), partner, Gbp(t.partner_gain_gbp), Gbp(t.joint_gain_gbp()));
  if (r.contract_retooling_gbp > 0) {
    std::cout << fmt::format(
        "  the contract's retooling: GBP {}, of which the partner pays GBP {} (tooling_paid_by {:g})\n",
        Gbp(r.contract_retooling_gbp), Gbp(r.tooling_share_gbp),
        s.contracts[r.contract].tooling_partner_share);
  }
  if (t.cars <= 0) {
    std::cout << "  no car is built under the contract: there is no break-even fee\n";
    return;
  }
  std::cout << fmt::format("  host's break-even fee: GBP {} a car; partner's highest fee: GBP {} a car\n",
                           Gbp(t.host_break_even_fee_gbp), Gbp(t.partner_max_fee_gbp));
  if (t.zone_exists()) {
    std::cout << fmt::format("  bargaining zone: GBP {} to GBP {} a car\n", Gbp(t.host_break_even_fee_gbp),
                             Gbp(t.partner_max_fee_gbp));
  } else {
    std::cout << "  bargaining zone: empty (no fee leaves both better off)\n";
  }
  std::cout << fmt::format(
      "  proposed fee (rule: equal split of the joint gain): GBP {} a car; {} gains GBP {}, {} gains GBP "
      "{}\n",
      Gbp(t.proposed_fee_gbp), host, Gbp(t.host_gain_at_proposed_gbp), partner,
      Gbp(t.partner_gain_at_proposed_gbp));
  if (r.has_group_terms && HasJointVentures(s)) {
    const deal::FeeTerms& g = r.group_terms;
    std::cout << fmt::format(
        "  as groups: break-even GBP {}, partner's highest GBP {}, equal split GBP {} a car (each gains GBP "
        "{})\n",
        Gbp(g.host_break_even_fee_gbp), Gbp(g.partner_max_fee_gbp), Gbp(g.proposed_fee_gbp),
        Gbp(g.host_gain_at_proposed_gbp));
  }
}

// `with_file`, `without_file`: the plan files given for the two plans (empty: solved here).
void PrintDeal(const model::Scenario& s, const deal::DealReport& r, const std::string& with_file,
               const std::string& without_file) {
  const model::Contract& k = s.contracts[r.contract];
  std::string brands;
  for (int b : k.brands) brands += (brands.empty() ? "" : ", ") + s.brands[b].name;
  std::cout << fmt::format("Deal {}: {} builds {}'s cars ({}) for GBP {} a car\n", k.id,
                           s.companies[r.host].name, s.companies[r.partner].name, brands,
                           Gbp(k.fee_per_car_gbp));
  auto given = [](const std::string& file) { return file.empty() ? std::string() : " (" + file + ")"; };
  std::cout << fmt::format("  plan with the contract:    {}{}\n", PlanLine(r.with, r.with_violations),
                           given(with_file));
  std::cout << fmt::format("  plan without the contract: {}{}\n", PlanLine(r.without, r.without_violations),
                           given(without_file));
  std::cout << "  (without: the partner's cars come from its own plants or imports; the host builds only "
               "what it may without the contract)\n";
  std::cout << "\nFindings\n";
  for (const std::string& f : r.findings) std::cout << "  " << f << "\n";
  PrintCompanies(
      s, r.companies,
      "Contribution per company (legal entity) with and without the deal, and the change by source "
      "(GBP)");
  if (HasJointVentures(s)) {
    PrintCompanies(s, r.groups,
                   "The same per group: joint ventures rolled up to their owners by share (GBP)");
  }
  PrintPlants(s, r);
  PrintTerms(s, r);
}

void PrintFeeSweep(const model::Scenario& s, const deal::DealReport& r, const deal::FeeSweep& sweep) {
  const deal::FeeTerms& t = sweep.pv_terms;
  std::cout << fmt::format(
      "\nFee sweep under participation constraints{} (gains in present value at the horizon start, GBP; "
      "{} points in {:.1f} s)\n",
      sweep.host_first ? " and host-first" : "", sweep.points.size(), sweep.seconds);
  if (t.cars > 0) {
    std::cout << fmt::format(
        "  central plan in present value: break-even GBP {}, partner's highest GBP {} a car{}\n",
        Gbp(t.host_break_even_fee_gbp), Gbp(t.partner_max_fee_gbp), t.zone_exists() ? "" : " (no zone)");
  }
  const deal::SweepStart& f = sweep.start;
  std::cout << fmt::format(
      "  start of every point from GBP {} a car up: the plan at GBP {} ({} {}, {:.1f} s), {} cars "
      "hosted{}\n",
      Gbp(f.cars_hosted > 0 ? f.from_fee_gbp : 0), Gbp(f.fee_gbp), plan::ToString(f.status),
      io::FormatPercent(f.gap, 2), f.seconds, Gbp(f.cars_hosted),
      f.cars_hosted > 0 ? fmt::format(", both sides' floors met as it is from GBP {} to {}",
                                      Gbp(f.from_fee_gbp), Gbp(f.to_fee_gbp))
                        : "");
  std::vector<std::string> header = {"fee a car", s.companies[r.host].name + " gain",
                                     s.companies[r.partner].name + " gain", "cars hosted"};
  for (int p : sweep.plants) header.push_back(s.plants[p].name);
  header.push_back("status");
  io::Table table(header);
  for (size_t c = 0; c + 1 < header.size(); ++c) table.SetAlign(c, io::Table::Align::kRight);
  for (const auto& p : sweep.points) {
    std::vector<std::string> row = {Gbp(p.fee_gbp), Gbp(p.host_gain_pv_gbp), Gbp(p.partner_gain_pv_gbp),
                                    Gbp(p.cars_hosted)};
    for (double cars : p.cars_by_plant) row.push_back(Gbp(cars));
    row.push_back(p.violations.empty()
                      ? fmt::format("{} {}", plan::ToString(p.status), io::FormatPercent(p.gap, 2))
                      : "FAILS the plan checker: " + p.violations.front());
    table.AddRow(row);
  }
  std::cout << table.Render();
}

void PrintTariffSweep(const model::Scenario& s, const deal::DealReport& r, const deal::TariffSweep& sweep) {
  const deal::TariffLever& l = sweep.lever;
  std::cout << fmt::format(
      "\nTariff sensitivity: duty on {}cars from {} into {} (now {}), at the contract's fee ({} rates in "
      "{:.1f} "
      "s)\n",
      l.powertrain ? std::string(model::ToString(*l.powertrain)) + " " : std::string(), l.origin,
      s.markets[l.market].id, io::FormatPercent(deal::CurrentRate(s, l), 1), sweep.points.size(),
      sweep.seconds);
  io::Table table({"duty", "cars hosted", s.companies[r.host].name + " gain",
                   s.companies[r.partner].name + " gain", "break-even fee", "partner's highest fee", "zone",
                   "status"});
  for (int c = 0; c < 6; ++c) table.SetAlign(c, io::Table::Align::kRight);
  for (const auto& p : sweep.points) {
    const deal::FeeTerms& t = p.terms;
    const bool priced = t.cars > 0;
    table.AddRow({io::FormatPercent(p.rate, 1), Gbp(t.cars), Gbp(t.host_gain_gbp), Gbp(t.partner_gain_gbp),
                  priced ? Gbp(t.host_break_even_fee_gbp) : "-", priced ? Gbp(t.partner_max_fee_gbp) : "-",
                  priced ? (t.zone_exists() ? "yes" : "empty") : "-",
                  p.violations.empty() ? "checked" : "FAILS the plan checker: " + p.violations.front()});
  }
  std::cout << table.Render();
  for (const auto& c : sweep.crossings) {
    std::cout << fmt::format("  the deal {} paying for {} at a duty of about {}\n",
                             c.starts_paying ? "starts" : "stops", s.companies[c.company].name,
                             io::FormatPercent(c.rate, 1));
  }
  if (sweep.crossings.empty()) {
    std::cout << "  neither side's gain at the contract's fee changes sign across these rates\n";
  }
}

// What a rank needs to solve a deal sweep's points, as rank 0 sends it: the
// scenario's text (no shared disk), the report's two plans, the sweep and
// the solve options. Every process, rank 0 included and runs without MPI,
// solves from this context, so each point sees the same round-tripped
// plans and the result does not depend on the number of ranks.
std::string DealSweepContext(const std::string& scenario_file, const std::string& scenario_yaml,
                             const model::Scenario& scenario, const deal::DealReport& report,
                             const plan::SolveParams& solve, nlohmann::json sweep) {
  return nlohmann::json{{"scenario_file", scenario_file},
                        {"scenario_yaml", scenario_yaml},
                        {"contract", report.contract},
                        {"with", io::WritePlanJson(scenario, report.with)},
                        {"without", io::WritePlanJson(scenario, report.without)},
                        {"time_limit", solve.time_limit_seconds},
                        {"gap", solve.relative_gap},
                        {"threads", solve.threads},
                        {"max_nodes", solve.max_nodes},
                        {"seed", solve.seed},
                        {"sweep", std::move(sweep)}}
      .dump();
}

// The fee ("deal-fee") or tariff ("deal-tariff") points' solver from a
// DealSweepContext, in any process.
Result<scale::ItemSolver> MakeDealSweepItemSolver(std::string_view context) {
  const nlohmann::json j = nlohmann::json::parse(context, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Internal("deal sweep job: expected its JSON context");
  try {
    const std::string file = j.at("scenario_file").get<std::string>();
    auto scenario = io::ParseScenario(j.at("scenario_yaml").get<std::string>(), file);
    if (!scenario) return std::unexpected(scenario.error());
    auto shared = std::make_shared<const model::Scenario>(std::move(*scenario));
    const int contract = j.at("contract").get<int>();
    if (contract < 0 || static_cast<size_t>(contract) >= shared->contracts.size()) {
      return Internal("deal sweep job: no contract " + std::to_string(contract));
    }
    auto with =
        io::ParsePlanJson(j.at("with").get<std::string>(), "plan with the contract from rank 0", *shared);
    if (!with) return std::unexpected(with.error());
    auto without = io::ParsePlanJson(j.at("without").get<std::string>(),
                                     "plan without the contract from rank 0", *shared);
    if (!without) return std::unexpected(without.error());
    const int removed[] = {contract};
    auto report = std::make_shared<const deal::DealReport>(
        deal::CompareDeal(*shared, replan::WithoutContracts(*shared, removed), contract, std::move(*with),
                          std::move(*without)));
    plan::PlanOptions options;
    options.solve.time_limit_seconds = j.at("time_limit").get<double>();
    options.solve.relative_gap = j.at("gap").get<double>();
    options.solve.threads = j.at("threads").get<int>();
    options.solve.max_nodes = j.at("max_nodes").get<int64_t>();
    options.solve.seed = j.at("seed").get<int>();
    const nlohmann::json& sweep = j.at("sweep");
    if (sweep.contains("fees")) {
      const auto fees = sweep.at("fees").get<std::vector<double>>();
      const bool host_first = sweep.at("host_first").get<bool>();
      auto start =
          io::ParsePlanJson(sweep.at("start").get<std::string>(), "fee sweep's start from rank 0", *shared);
      if (!start) return std::unexpected(start.error());
      auto first = std::make_shared<const plan::Plan>(std::move(*start));
      return [shared, report, first, fees, host_first, options](int i) {
        return deal::EncodeFeePoint(
            deal::SolveFeePoint(*shared, *report, *first, fees[i], host_first, options));
      };
    }
    deal::TariffLever lever{.market = sweep.at("market").get<int>(),
                            .origin = sweep.at("origin").get<std::string>()};
    if (const auto& p = sweep.at("powertrain"); !p.is_null()) {
      lever.powertrain = model::ParsePowertrain(p.get<std::string>());
      if (!lever.powertrain) return Internal("deal sweep job: unknown powertrain");
    }
    lever.rates = sweep.at("rates").get<std::vector<double>>();
    if (lever.market < 0 || static_cast<size_t>(lever.market) >= shared->markets.size()) {
      return Internal("deal sweep job: no market " + std::to_string(lever.market));
    }
    return [shared, report, lever, options](int i) {
      return deal::EncodeTariffPoint(
          deal::SolveTariffPoint(*shared, *report, lever, lever.rates[i], options));
    };
  } catch (const nlohmann::json::exception& e) {
    return Internal(std::string("deal sweep job: ") + e.what());
  }
}

// SweepOptions::run_points for one sweep: its points as work items (on the
// ranks of an MPI job, else in `jobs` worker processes: 0 = one per core, 1
// = here), with progress on stderr.
std::function<Result<std::vector<std::string>>(int)> RunSweepPoints(std::string kind, std::string context,
                                                                    std::string partial, int jobs) {
  return [kind = std::move(kind), context = std::move(context), partial = std::move(partial),
          jobs](int points) -> Result<std::vector<std::string>> {
    auto here = MakeDealSweepItemSolver(context);
    if (!here) return std::unexpected(here.error());
    const auto start = std::chrono::steady_clock::now();
    const std::string what = kind == "deal-fee" ? "fee sweep" : "tariff sweep";
    auto progress = [start, what](int done, int total) {
      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::cerr << fmt::format("deal: {} {}/{} points, {:.1f} s\n", what, done, total, elapsed);
    };
    scale::WorkOptions work = MpiWorkOptions(kind, context, partial, progress);
    work.processes = jobs;
    // Worker processes fork only while no other thread solves
    // (plan/cbc_backend.h); MPI rank 0 solves in a thread of its own and
    // must not be locked out.
    std::optional<plan::CbcSolveLock> cbc_lock;
    if (!scale::MpiActive() || scale::Size() < 2) cbc_lock.emplace();
    return scale::RunWorkItems(points, *here, work);
  };
}

// A plan file given for one of the deal's plans (`--plan`, or `--plan-without`
// when `without_contract` >= 0): read and re-checked against what its basis
// says it was made for (file errors name the file), then refused unless it
// can stand for that plan (deal::CheckWithPlan, deal::CheckWithoutPlan).
Result<app::Baseline> ReadDealPlan(const model::Scenario& scenario, const std::string& option,
                                   const std::string& path, int without_contract) {
  auto read = app::ResolveBaseline(scenario, app::PlanFile{.path = path});
  if (!read) return std::unexpected(Error{read.error().kind, option + " " + read.error().message});
  auto usable = without_contract < 0 ? deal::CheckWithPlan(scenario, read->plan)
                                     : deal::CheckWithoutPlan(scenario, without_contract, read->plan);
  if (!usable)
    return std::unexpected(Error{usable.error().kind, option + " " + path + ": " + usable.error().message});
  return read;
}

}  // namespace

void RegisterDealWorkKinds() {
  scale::RegisterWorkKind("deal-fee", MakeDealSweepItemSolver);
  scale::RegisterWorkKind("deal-tariff", MakeDealSweepItemSolver);
}

void AddDealCommands(CLI::App& app, int& exit_code) {
  struct DealOptions {
    std::string path;
    std::string contract;
    std::string plan;
    std::string plan_without;
    std::string out_dir;
    std::string xlsx;
    bool no_progress = false;
    OutputFormat format = OutputFormat::kTable;
    double time_limit = 20;
    double gap = 1e-3;
    int threads = 1;
    int64_t max_nodes = -1;
    bool sweep = false;
    std::string fees;
    std::string tariff;
    bool host_first = false;
    double sweep_time_limit = 2;
    int jobs = 0;
    std::string partial = "cobuild-deal-partial.jsonl";
  };
  auto o = std::make_shared<DealOptions>();
  CLI::App* cmd = app.add_subcommand(
      "deal",
      "Is a contract worth it for each company, and at what fee? Plans with and without it side by side");
  cmd->add_option("SCENARIO", o->path, "Scenario YAML file")->required();
  cmd->add_option("--contract", o->contract, "The contract's id")->required();
  cmd->add_option("--plan", o->plan,
                  "A plan of SCENARIO as it is (`cobuild plan SCENARIO --out DIR`, DIR/plan.json) to use as "
                  "the plan with the contract instead of solving it again; re-checked by the plan checker "
                  "and refused when made with events, excluded brands or contracts, frozen months or other "
                  "levers");
  cmd->add_option("--plan-without", o->plan_without,
                  "A plan of SCENARIO without the contract (`cobuild plan SCENARIO --without-contract ID "
                  "--out DIR`, DIR/plan.json) to use as the plan without the contract instead of solving "
                  "it; re-checked by the plan checker and refused when made with the contract, without "
                  "another contract, or with events, excluded brands, frozen months or other levers");
  AddFormatOption(cmd, &o->format, {"table", "json", "csv"});
  cmd->add_option("--out", o->out_dir,
                  "Write with.json, without.json (plan files), deal.json and deal.csv here");
  AddXlsxOption(cmd, &o->xlsx);
  cmd->add_flag("--no-progress", o->no_progress,
                "No progress line on stderr (by default a terminal shows each solve's best plan, bound and "
                "gap so far, and the sweep's points done)");
  cmd->add_option("--time-limit", o->time_limit,
                  "Wall-clock limit of each plan's solve in seconds (default 20)")
      ->check(Seconds());
  cmd->add_option("--gap", o->gap, "Relative optimality gap each solve stops at (default 1e-3)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--threads", o->threads, "CBC threads (default 1)")->check(CLI::Range(1, 64));
  cmd->add_option("--max-nodes", o->max_nodes, "Branch-and-cut node limit of each solve (a work limit)");
  cmd->add_flag(
      "--sweep", o->sweep,
      "Also sweep the fee (11 points across and beyond the bargaining zone) and the partner's import "
      "duty (5 rates); docs/deal.md");
  cmd->add_option("--fees", o->fees,
                  "Fee sweep FROM:TO:POINTS (GBP a car): plans under participation constraints at each fee");
  cmd->add_option("--tariff", o->tariff,
                  "Tariff sweep MARKET:ORIGIN[:POWERTRAIN][:RATES] (RATES comma-separated shares, default 5 "
                  "from 0): the bargaining zone per rate");
  cmd->add_flag("--host-first", o->host_first,
                "The fee sweep's plans also keep the host's own output (host-first)");
  cmd->add_option(
         "--sweep-time-limit", o->sweep_time_limit,
         "Wall-clock limit of each sweep solve in seconds (default 2; each fee point starts from the "
         "fee sweep's start, solved once with --time-limit)")
      ->check(Seconds());
  cmd->add_option("--jobs", o->jobs,
                  "Worker processes the sweeps' points are solved in, side by side (default 0: one per "
                  "core; 1: one after another in this process); under mpirun the ranks solve them instead")
      ->check(CLI::Range(0, 256));
  AddPartialOption(cmd, &o->partial);
  cmd->callback([o, &exit_code] {
    Result<model::Scenario> scenario = io::LoadScenario(o->path);
    if (!scenario) {
      exit_code = ReportError(scenario.error());
      return;
    }
    auto contract = app::ResolveContract(*scenario, o->contract);
    if (!contract) {
      exit_code = ReportError({ErrorKind::kInvalidInput, "--contract: " + contract.error().message});
      return;
    }
    if (!o->out_dir.empty()) {
      if (auto ready = io::PrepareOutputDir(o->out_dir); !ready) {
        exit_code = ReportError({ErrorKind::kInvalidInput, "--out " + ready.error().message});
        return;
      }
    }
    if (auto writable = CheckXlsxOption(o->xlsx); !writable) {
      exit_code = ReportError(writable.error());
      return;
    }
    // The sweeps' arguments, checked before any solve.
    std::optional<std::vector<double>> fees;
    if (!o->fees.empty()) {
      auto parsed = io::ParseFees(o->fees);
      if (!parsed) {
        exit_code = ReportError(parsed.error());
        return;
      }
      fees = std::move(*parsed);
    }
    std::optional<deal::TariffLever> lever;
    if (!o->tariff.empty()) {
      auto parsed = io::ParseTariffLever(*scenario, o->tariff);
      if (!parsed) {
        exit_code = ReportError(parsed.error());
        return;
      }
      lever = std::move(*parsed);
    } else if (o->sweep) {
      lever = deal::DefaultTariffLever(*scenario, *contract);
    }
    // The plans with and without the contract the user has already, read
    // and checked before any solve.
    std::optional<app::Baseline> with_plan;
    std::optional<app::Baseline> without_plan;
    for (auto [option, path, without, plan] :
         {std::tuple{"--plan", &o->plan, -1, &with_plan},
          std::tuple{"--plan-without", &o->plan_without, *contract, &without_plan}}) {
      if (path->empty()) continue;
      auto read = ReadDealPlan(*scenario, option, *path, without);
      if (!read) {
        exit_code = ReportError(read.error());
        return;
      }
      *plan = std::move(*read);
    }
    deal::DealOptions options;
    if (with_plan) options.with_plan = &with_plan->plan;
    if (without_plan) options.without_plan = &without_plan->plan;
    options.plan.solve.time_limit_seconds = o->time_limit;
    options.plan.solve.relative_gap = o->gap;
    options.plan.solve.threads = o->threads;
    options.plan.solve.max_nodes = o->max_nodes;
    ProgressLine progress(ProgressLine::ModeOf(false, o->no_progress));
    options.plan.solve.on_progress = progress.For("deal");
    Result<deal::DealReport> report = deal::AnalyzeDeal(*scenario, *contract, options);
    progress.Clear();
    if (!report) {
      exit_code = ReportError(report.error());
      return;
    }
    deal::SweepOptions sweep_options{.plan = options.plan};
    sweep_options.plan.solve.time_limit_seconds = o->sweep_time_limit;
    // The sweeps' solves show no progress line: they print their points.
    sweep_options.plan.solve.on_progress = {};
    // The sweeps' points are work items (scale/work_items.h): spread over
    // the ranks under mpirun, solved here one after another otherwise.
    std::string yaml;
    if (fees || o->sweep || lever) {
      auto text = io::ReadTextFile(o->path);
      if (!text) {
        exit_code = ReportError(text.error());
        return;
      }
      yaml = std::move(*text);
    }
    std::optional<deal::FeeSweep> fee_sweep;
    if (fees || o->sweep) {
      std::vector<double> points =
          fees ? *fees : deal::DefaultFees(deal::PresentValueTerms(*scenario, *report), 11);
      std::sort(points.begin(), points.end());
      // The plan every point starts from, solved once here with the
      // report's time limit (deal/sweep.h).
      Result<plan::Plan> start = deal::SolveSweepStart(*scenario, *report, o->host_first, options.plan);
      progress.Clear();
      if (!start) {
        exit_code = ReportError(start.error());
        return;
      }
      // Like the points' lines, on stderr whatever --no-progress says.
      std::cerr << fmt::format("deal: fee sweep's start at GBP {:.0f} a car: {}, gap {:.2f}%, {:.1f} s\n",
                               deal::SweepStartFee(*scenario, *report), plan::ToString(start->status),
                               100 * start->gap, start->stats.build_seconds + start->stats.solve_seconds);
      deal::SweepOptions fee_options = sweep_options;
      fee_options.run_points =
          RunSweepPoints("deal-fee",
                         DealSweepContext(o->path, yaml, *scenario, *report, sweep_options.plan.solve,
                                          {{"fees", points},
                                           {"host_first", o->host_first},
                                           {"start", io::WritePlanJson(*scenario, *start)}}),
                         o->partial, o->jobs);
      auto swept = deal::SweepFees(*scenario, *report, *start, points, o->host_first, fee_options);
      if (!swept) {
        exit_code = ReportError(swept.error());
        return;
      }
      fee_sweep = std::move(*swept);
    }
    std::optional<deal::TariffSweep> tariff_sweep;
    if (lever) {
      deal::SweepOptions tariff_options = sweep_options;
      tariff_options.run_points = RunSweepPoints(
          "deal-tariff",
          DealSweepContext(
              o->path, yaml, *scenario, *report, sweep_options.plan.solve,
              {{"market", lever->market},
               {"origin", lever->origin},
               {"powertrain",
                lever->powertrain ? nlohmann::json(model::ToString(*lever->powertrain)) : nlohmann::json()},
               {"rates", lever->rates}}),
          o->partial, o->jobs);
      auto swept = deal::SweepTariff(*scenario, *report, *lever, tariff_options);
      if (!swept) {
        exit_code = ReportError(swept.error());
        return;
      }
      tariff_sweep = std::move(*swept);
    }
    // The deal job's result document (one writer for both).
    const nlohmann::json json_report = io::DealResultJson(
        *scenario, *report, fee_sweep ? &*fee_sweep : nullptr, tariff_sweep ? &*tariff_sweep : nullptr);
    const std::string csv_report = io::DealCsv(*scenario, *report) +
                                   io::DealSweepsCsv(*scenario, *report, fee_sweep ? &*fee_sweep : nullptr,
                                                     tariff_sweep ? &*tariff_sweep : nullptr);
    if (!o->out_dir.empty()) {
      const std::filesystem::path dir(o->out_dir);
      for (auto written :
           {io::WriteTextFile(dir / "with.json", io::WritePlanJson(*scenario, report->with)),
            io::WriteTextFile(dir / "without.json", io::WritePlanJson(*scenario, report->without)),
            io::WriteTextFile(dir / "deal.json", json_report.dump(1) + "\n"),
            io::WriteTextFile(dir / "deal.csv", csv_report)}) {
        if (!written) {
          exit_code = ReportError(written.error());
          return;
        }
      }
    }
    if (auto written = WriteXlsxOption(o->xlsx, io::DealWorkbook(json_report)); !written) {
      exit_code = ReportError(written.error());
      return;
    }
    switch (o->format) {
      case OutputFormat::kJson:
        std::cout << json_report.dump(1, ' ', false, kJsonInvalidUtf8) << "\n";
        break;
      case OutputFormat::kCsv:
        std::cout << csv_report;
        break;
      case OutputFormat::kTable:
        PrintDeal(*scenario, *report, o->plan, o->plan_without);
        if (fee_sweep) PrintFeeSweep(*scenario, *report, *fee_sweep);
        if (tariff_sweep) PrintTariffSweep(*scenario, *report, *tariff_sweep);
        if (o->sweep && !lever) {
          std::cout << "\nNo tariff sweep: the partner has no plant outside the host plants' market (give "
                       "--tariff)\n";
        }
        break;
    }
    bool checked = report->with_violations.empty() && report->without_violations.empty();
    if (fee_sweep) {
      for (const auto& p : fee_sweep->points) checked = checked && p.violations.empty();
    }
    if (tariff_sweep) {
      for (const auto& p : tariff_sweep->points) checked = checked && p.violations.empty();
    }
    exit_code = checked ? kExitOk : kExitInternal;
  });
}

}  // namespace cobuild::cli
