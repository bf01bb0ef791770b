#include "deal/deal.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <span>
#include <string>
#include <utility>

#include "plan/economics.h"
#include "plan/plan_checker.h"
#include "plan/planner.h"
#include "replan/apply_events.h"

namespace cobuild::deal {
namespace {

// 239993.4 -> "239,993" (the reports' thousands, io::FormatThousands, sits above this layer).
std::string Whole(double x) {
  const long long v = std::llround(std::abs(x));
  const std::string digits = std::to_string(v);
  std::string out = x < 0 && v != 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// "GBP 12.3m", "GBP -4.1m", "GBP 850" (below a million: whole pounds).
std::string Money(double gbp) {
  if (std::abs(gbp) >= 1e6) return fmt::format("GBP {:.1f}m", gbp / 1e6);
  return "GBP " + Whole(gbp);
}

std::string PerCar(double gbp) { return "GBP " + Whole(gbp) + " a car"; }

int YearOf(const model::Scenario& s, int month) { return s.horizon.MonthAt(month).year; }

// Cars shipped under `contract` per (plant, year of production).
std::map<std::pair<int, int>, double> CarsUnder(const model::Scenario& s, const plan::Plan& p, int contract) {
  std::map<std::pair<int, int>, double> cars;
  for (const auto& e : p.shipments) {
    const int year = YearOf(s, e.month);
    if (plan::ContractCovers(s, contract, e.plant, e.variant, year)) cars[{e.plant, year}] += e.units;
  }
  return cars;
}

}  // namespace

Account operator-(const Account& a, const Account& b) {
  return {.units_sold = a.units_sold - b.units_sold,
          .margin_gbp = a.margin_gbp - b.margin_gbp,
          .duty_gbp = a.duty_gbp - b.duty_gbp,
          .fee_income_gbp = a.fee_income_gbp - b.fee_income_gbp,
          .fees_paid_gbp = a.fees_paid_gbp - b.fees_paid_gbp,
          .shift_cost_gbp = a.shift_cost_gbp - b.shift_cost_gbp,
          .shift_change_cost_gbp = a.shift_change_cost_gbp - b.shift_change_cost_gbp,
          .retooling_cost_gbp = a.retooling_cost_gbp - b.retooling_cost_gbp,
          .holding_cost_gbp = a.holding_cost_gbp - b.holding_cost_gbp,
          .tooling_share_gbp = a.tooling_share_gbp - b.tooling_share_gbp,
          .contribution_gbp = a.contribution_gbp - b.contribution_gbp};
}

Account operator+(const Account& a, const Account& b) { return a - (-1.0 * b); }

Account operator*(double k, const Account& a) {
  return {.units_sold = k * a.units_sold,
          .margin_gbp = k * a.margin_gbp,
          .duty_gbp = k * a.duty_gbp,
          .fee_income_gbp = k * a.fee_income_gbp,
          .fees_paid_gbp = k * a.fees_paid_gbp,
          .shift_cost_gbp = k * a.shift_cost_gbp,
          .shift_change_cost_gbp = k * a.shift_change_cost_gbp,
          .retooling_cost_gbp = k * a.retooling_cost_gbp,
          .holding_cost_gbp = k * a.holding_cost_gbp,
          .tooling_share_gbp = k * a.tooling_share_gbp,
          .contribution_gbp = k * a.contribution_gbp};
}

std::vector<Account> GroupAccounts(const model::Scenario& s, const std::vector<Account>& by_company) {
  std::vector<Account> groups(by_company.size());
  for (size_t c = 0; c < by_company.size() && c < s.companies.size(); ++c) {
    const auto& owners = s.companies[c].owners;
    if (owners.empty()) {
      groups[c] = groups[c] + by_company[c];
      continue;
    }
    // Owners are owned by none (the scenario reader checks), so one level rolls everything up.
    for (const model::Owner& o : owners) {
      groups[static_cast<size_t>(o.company)] =
          groups[static_cast<size_t>(o.company)] + o.share * by_company[c];
    }
  }
  return groups;
}

double ContractRetoolingCost(const model::Scenario& s, const plan::Plan& p, int contract, int plant) {
  const model::Contract& k = s.contracts[contract];
  auto covered_plant = [&](int pl) {
    return s.plants[pl].company == k.host &&
           (k.plants.empty() || std::find(k.plants.begin(), k.plants.end(), pl) != k.plants.end());
  };
  // A platform only the contract's brands use: every variant on it is of one of them.
  auto partners_only = [&](int platform) {
    bool any = false;
    for (const auto& v : s.variants) {
      if (s.models[v.model].platform != platform) continue;
      any = true;
      if (std::find(k.brands.begin(), k.brands.end(), s.models[v.model].brand) == k.brands.end())
        return false;
    }
    return any;
  };
  double cost = 0;
  for (const auto& e : p.retooling) {
    const int pl = s.lines[e.line].plant;
    if ((plant >= 0 && pl != plant) || !covered_plant(pl) || !partners_only(e.platform)) continue;
    for (const auto& option : s.lines[e.line].retooling) {
      if (option.platform == e.platform) cost += plan::RetoolingCost(s, option, e.month);
    }
  }
  return cost;
}

FeeTerms TermsFor(double fee_gbp, double cars, double host_gain_gbp, double partner_gain_gbp) {
  FeeTerms t{
      .fee_gbp = fee_gbp, .cars = cars, .host_gain_gbp = host_gain_gbp, .partner_gain_gbp = partner_gain_gbp};
  if (t.cars > 0) {
    t.host_break_even_fee_gbp = t.fee_gbp - t.host_gain_gbp / t.cars;
    t.partner_max_fee_gbp = t.fee_gbp + t.partner_gain_gbp / t.cars;
    t.proposed_fee_gbp = (t.host_break_even_fee_gbp + t.partner_max_fee_gbp) / 2;
    t.host_gain_at_proposed_gbp = t.HostGainAt(t.proposed_fee_gbp);
    t.partner_gain_at_proposed_gbp = t.PartnerGainAt(t.proposed_fee_gbp);
  }
  return t;
}

Account CompanyAccount(const plan::Plan& plan, int company) {
  for (const auto& c : plan.contributions) {
    if (c.company != company) continue;
    return {.units_sold = c.units_sold,
            .margin_gbp = c.revenue_gbp - c.variable_cost_gbp - c.freight_gbp,
            .duty_gbp = c.duty_gbp,
            .fee_income_gbp = c.fee_income_gbp,
            .fees_paid_gbp = c.fee_paid_gbp,
            .shift_cost_gbp = c.shift_cost_gbp,
            .shift_change_cost_gbp = c.shift_change_cost_gbp,
            .retooling_cost_gbp = c.retooling_cost_gbp,
            .holding_cost_gbp = c.holding_cost_gbp,
            .contribution_gbp = c.contribution_gbp};
  }
  return {};
}

Account PlantAccount(const model::Scenario& s, const plan::Plan& p, int plant) {
  Account a;
  const int company = s.plants[plant].company;
  const plan::RouteTable routes(s);
  for (const auto& e : p.shipments) {
    if (e.plant != plant) continue;
    if (s.VariantOwner(e.variant) == company) {
      const int route = routes.Find(e.plant, e.market);
      if (route < 0) continue;  // the plan checker reports a shipment without a route
      const plan::UnitTerms t = plan::TermsOf(s, s.routes[route], e.variant, e.arrival_month);
      a.units_sold += e.units;
      a.margin_gbp += e.units * (t.price_gbp - t.variable_cost_gbp - t.freight_gbp);
      a.duty_gbp += e.units * t.duty_gbp;
    } else {
      a.fee_income_gbp += e.units * plan::FeePerCar(s, plant, e.variant, YearOf(s, e.month));
    }
  }
  for (const auto& e : p.shifts) {
    if (s.lines[e.line].plant == plant) a.shift_cost_gbp += plan::ShiftCost(s, p.basis.levers, e);
  }
  for (const plan::LineShiftChanges& changes : plan::ShiftChangesOf(s, p.shifts)) {
    if (s.lines[changes.line].plant == plant) a.shift_change_cost_gbp += changes.cost_gbp;
  }
  for (const auto& e : p.retooling) {
    if (s.lines[e.line].plant != plant) continue;
    for (const auto& option : s.lines[e.line].retooling) {
      if (option.platform == e.platform) a.retooling_cost_gbp += plan::RetoolingCost(s, option, e.month);
    }
  }
  // The stock of the plant company's own cars at this plant; the partner's
  // cars in the host's stock are the partner's cost, like their margin.
  for (const auto& e : p.stock) {
    if (e.plant != plant || s.VariantOwner(e.variant) != company) continue;
    if (const model::PlantStock* stock = s.StockAt(plant); stock != nullptr) {
      a.holding_cost_gbp += e.units * stock->holding_cost_gbp_per_car_month;
    }
  }
  a.contribution_gbp = a.margin_gbp - a.duty_gbp + a.fee_income_gbp - a.fees_paid_gbp - a.shift_cost_gbp -
                       a.shift_change_cost_gbp - a.retooling_cost_gbp - a.holding_cost_gbp;
  return a;
}

DealReport CompareDeal(const model::Scenario& s, const model::Scenario& without_scenario, int contract,
                       plan::Plan with, plan::Plan without) {
  DealReport r;
  const model::Contract& k = s.contracts[contract];
  r.contract = contract;
  r.host = k.host;
  r.partner = k.partner;
  r.without_scenario = without_scenario;
  r.with = std::move(with);
  r.without = std::move(without);
  r.without.basis.excluded_contracts = {contract};
  r.with_violations = plan::CheckPlan(s, r.with).violations;
  r.without_violations = plan::CheckPlan(without_scenario, r.without).violations;

  // The tooling share: a transfer from the partner to the host in the
  // accounts with the contract (without it there is no contract to pay under).
  r.contract_retooling_gbp = ContractRetoolingCost(s, r.with, contract);
  r.tooling_share_gbp = k.tooling_partner_share * r.contract_retooling_gbp;
  std::vector<Account> with_accounts;
  std::vector<Account> without_accounts;
  for (size_t c = 0; c < s.companies.size(); ++c) {
    const int company = static_cast<int>(c);
    with_accounts.push_back(CompanyAccount(r.with, company));
    without_accounts.push_back(CompanyAccount(r.without, company));
  }
  with_accounts[k.host].tooling_share_gbp += r.tooling_share_gbp;
  with_accounts[k.host].contribution_gbp += r.tooling_share_gbp;
  with_accounts[k.partner].tooling_share_gbp -= r.tooling_share_gbp;
  with_accounts[k.partner].contribution_gbp -= r.tooling_share_gbp;
  const std::vector<Account> with_groups = GroupAccounts(s, with_accounts);
  const std::vector<Account> without_groups = GroupAccounts(s, without_accounts);
  for (size_t c = 0; c < s.companies.size(); ++c) {
    r.companies.push_back(
        {.company = static_cast<int>(c), .with = with_accounts[c], .without = without_accounts[c]});
    if (s.companies[c].owners.empty()) {
      r.groups.push_back(
          {.company = static_cast<int>(c), .with = with_groups[c], .without = without_groups[c]});
    }
  }

  // The host plants the contract covers: its list, or every host plant.
  std::vector<int> plants = k.plants;
  if (plants.empty()) {
    for (size_t p = 0; p < s.plants.size(); ++p) {
      if (s.plants[p].company == k.host) plants.push_back(static_cast<int>(p));
    }
  }
  std::sort(plants.begin(), plants.end());
  const auto cars = CarsUnder(s, r.with, contract);
  for (int plant : plants) {
    PlantChange pc{.plant = plant,
                   .with = PlantAccount(s, r.with, plant),
                   .without = PlantAccount(without_scenario, r.without, plant)};
    const double share = k.tooling_partner_share * ContractRetoolingCost(s, r.with, contract, plant);
    pc.with.tooling_share_gbp += share;
    pc.with.contribution_gbp += share;
    for (int year : s.horizon.Years()) {
      const auto it = cars.find({plant, year});
      const double units = it == cars.end() ? 0 : it->second;
      r.hosted.push_back({.plant = plant, .year = year, .units = units});
      pc.cars_hosted += units;
    }
    if (pc.cars_hosted > 0)
      pc.break_even_fee_gbp = k.fee_per_car_gbp - pc.change().contribution_gbp / pc.cars_hosted;
    r.host_plants.push_back(pc);
  }

  double hosted_cars = 0;
  for (const auto& [key, units] : cars) hosted_cars += units;
  r.terms = TermsFor(k.fee_per_car_gbp, hosted_cars, r.companies[k.host].change().contribution_gbp,
                     r.companies[k.partner].change().contribution_gbp);
  const FeeTerms& t = r.terms;
  r.has_group_terms = s.companies[k.host].owners.empty() && s.companies[k.partner].owners.empty();
  if (r.has_group_terms) {
    const Account host_group = with_groups[k.host] - without_groups[k.host];
    const Account partner_group = with_groups[k.partner] - without_groups[k.partner];
    r.group_terms =
        TermsFor(k.fee_per_car_gbp, hosted_cars, host_group.contribution_gbp, partner_group.contribution_gbp);
  }

  // Findings, in the order a planner asks.
  const std::string& host = s.companies[k.host].name;
  const std::string& partner = s.companies[k.partner].name;
  auto& f = r.findings;
  if (t.cars <= 0) {
    f.push_back(fmt::format(
        "The plan with contract {} builds no car under it: {} gains {} and {} {} from the contract being "
        "there, and the fee changes nothing.",
        k.id, host, Money(t.host_gain_gbp), partner, Money(t.partner_gain_gbp)));
    return r;
  }
  f.push_back(fmt::format("{} builds {} of {}'s cars under {} at {}: {} {} {}, {} {} {} (joint gain {}).",
                          host, Whole(t.cars), partner, k.id, PerCar(t.fee_gbp), host,
                          t.host_gain_gbp >= 0 ? "gains" : "loses", Money(std::abs(t.host_gain_gbp)), partner,
                          t.partner_gain_gbp >= 0 ? "gains" : "loses", Money(std::abs(t.partner_gain_gbp)),
                          Money(t.joint_gain_gbp())));
  if (t.zone_exists()) {
    f.push_back(fmt::format(
        "Bargaining zone: from {} (the host's break-even) to {} (the partner's highest fee); the equal "
        "split of the joint gain is a fee of {}, where each gains {}.",
        PerCar(t.host_break_even_fee_gbp), PerCar(t.partner_max_fee_gbp), PerCar(t.proposed_fee_gbp),
        Money(t.host_gain_at_proposed_gbp)));
  } else {
    f.push_back(fmt::format(
        "No fee leaves both better off: the host needs at least {}, the partner gains only up to {}; the "
        "two lose {} together (the central plan hosts anyway for other companies' gains, lower penalties, "
        "or because the plans are not both optimal: see the gaps).",
        PerCar(t.host_break_even_fee_gbp), PerCar(t.partner_max_fee_gbp), Money(-t.joint_gain_gbp())));
  }
  if (r.contract_retooling_gbp > 0) {
    f.push_back(fmt::format(
        "The contract's retooling costs {}; under tooling_paid_by the partner pays {:g}% of it ({}), "
        "counted in both gains.",
        Money(r.contract_retooling_gbp), 100 * k.tooling_partner_share, Money(r.tooling_share_gbp)));
  }
  const bool owned =
      std::ranges::any_of(s.companies, [](const model::Company& c) { return !c.owners.empty(); });
  if (r.has_group_terms && owned) {
    const FeeTerms& g = r.group_terms;
    f.push_back(
        fmt::format("As groups (joint ventures rolled up to their owners by share): {} {} {}, {} {} {}; the "
                    "zone is {} to {}.",
                    host, g.host_gain_gbp >= 0 ? "gains" : "loses", Money(std::abs(g.host_gain_gbp)), partner,
                    g.partner_gain_gbp >= 0 ? "gains" : "loses", Money(std::abs(g.partner_gain_gbp)),
                    PerCar(g.host_break_even_fee_gbp), PerCar(g.partner_max_fee_gbp)));
  }
  // Each gain is the difference of two MIP plans stopped at a gap: the
  // slack of both bounds is how far a gain could move with better plans.
  const double slack = std::max(0.0, r.with.bound_gbp - r.with.objective_gbp) +
                       std::max(0.0, r.without.bound_gbp - r.without.objective_gbp);
  const double smallest = std::min(std::abs(t.host_gain_gbp), std::abs(t.partner_gain_gbp));
  if (slack >= 1 && smallest < slack) {
    f.push_back(fmt::format(
        "Caution: the plans stop within {} of their bounds together (gaps {:.2f}% and {:.2f}%); a gain "
        "smaller "
        "than that ({}'s is {}) could change with longer solves (--time-limit, --gap).",
        Money(slack), 100 * r.with.gap, 100 * r.without.gap,
        s.companies[std::abs(t.host_gain_gbp) < std::abs(t.partner_gain_gbp) ? k.host : k.partner].name,
        Money(std::abs(t.host_gain_gbp) < std::abs(t.partner_gain_gbp) ? t.host_gain_gbp
                                                                       : t.partner_gain_gbp)));
  }
  for (const auto& pc : r.host_plants) {
    const double gain = pc.change().contribution_gbp;
    if (pc.cars_hosted > 0 && gain < 0) {
      f.push_back(fmt::format("Hosting at {} loses {} at the contract's fee ({} cars; break-even there {}).",
                              s.plants[pc.plant].name, Money(-gain), Whole(pc.cars_hosted),
                              PerCar(pc.break_even_fee_gbp)));
    } else if (pc.cars_hosted <= 0 && std::abs(gain) >= 1) {
      f.push_back(fmt::format("{} hosts no car, yet its account changes by {} (its own cars moved).",
                              s.plants[pc.plant].name, Money(gain)));
    }
  }
  return r;
}

namespace {

// CheckWithPlan (without_contract -1) and CheckWithoutPlan: one set of rules
// for a plan given to the deal, the basis read the same way for both sides.
Result<void> CheckGivenPlan(const model::Scenario& scenario, const plan::Plan& plan, int without_contract) {
  const plan::PlanBasis& b = plan.basis;
  const bool with = without_contract < 0;
  const std::string side =
      with ? "the plan with the contract"
           : fmt::format("the plan without contract {}", scenario.contracts[without_contract].id);
  auto differs = [&](std::string_view what) {
    return InvalidInput(fmt::format(
        "the plan given as {} {}; the deal needs a plan of scenario {} {}, or none to solve it here", side,
        what, scenario.name,
        with ? std::string("as it is (`cobuild plan SCENARIO`)")
             : fmt::format("without that contract (`cobuild plan SCENARIO --without-contract {}`)",
                           scenario.contracts[without_contract].id)));
  };
  if (plan.scenario_name != scenario.name) {
    return differs(
        fmt::format("is a plan of scenario \"{}\", not \"{}\"", plan.scenario_name, scenario.name));
  }
  if (!plan.HasSolution()) return differs(fmt::format("has no solution (status {})", ToString(plan.status)));
  if (!b.events.empty()) return differs(fmt::format("was made with {} event(s) applied", b.events.size()));
  if (!b.excluded_brands.empty()) {
    return differs(fmt::format("was made without brand {}", scenario.brands[b.excluded_brands.front()].id));
  }
  if (!with && b.excluded_contracts.empty()) return differs("was made with it");
  for (int c : b.excluded_contracts) {
    if (c != without_contract) {
      return differs(fmt::format("was made without contract {}", scenario.contracts[c].id));
    }
  }
  if (b.frozen_months > 0) return differs(fmt::format("keeps {} month(s) frozen", b.frozen_months));
  if (b.stability_penalty_gbp_per_car > 0) return differs("is a replan (it has a stability penalty)");
  if (!b.deal_floors.empty()) return differs("was made under deal rules (participation floors)");
  if (b.levers != plan::ScenarioLevers(scenario))
    return differs("was made with other levers than the scenario's");
  const int removed[] = {without_contract};
  const model::Scenario planned_on =
      with ? scenario : replan::WithoutContracts(scenario, std::span<const int>(removed));
  const plan::CheckReport check = plan::CheckPlan(planned_on, plan);
  if (!check.ok()) {
    return differs(fmt::format("fails the plan checker against scenario {} ({} violation(s), the first: {})",
                               scenario.name, check.violations.size(), check.violations.front()));
  }
  return {};
}

}  // namespace

Result<void> CheckWithPlan(const model::Scenario& scenario, const plan::Plan& plan) {
  return CheckGivenPlan(scenario, plan, -1);
}

Result<void> CheckWithoutPlan(const model::Scenario& scenario, int contract, const plan::Plan& plan) {
  if (contract < 0 || static_cast<size_t>(contract) >= scenario.contracts.size()) {
    return InvalidInput(
        fmt::format("contract index {} is not a contract of scenario {}", contract, scenario.name));
  }
  return CheckGivenPlan(scenario, plan, contract);
}

Result<plan::Plan> SolveWithoutContract(const model::Scenario& without_scenario, int contract,
                                        const plan::PlanOptions& options, const plan::Plan* start) {
  plan::PlanRequest request;
  request.options = options;
  request.start = start;
  Result<plan::Plan> without = plan::SolvePlan(without_scenario, request);
  if (without) without->basis.excluded_contracts = {contract};
  return without;
}

Result<DealReport> AnalyzeDeal(const model::Scenario& scenario, int contract, const DealOptions& options) {
  if (contract < 0 || static_cast<size_t>(contract) >= scenario.contracts.size()) {
    return InvalidInput(
        fmt::format("contract index {} is not a contract of scenario {}", contract, scenario.name));
  }
  plan::PlanRequest request;
  request.options = options.plan;
  Result<plan::Plan> with = [&]() -> Result<plan::Plan> {
    if (options.with_plan == nullptr) return plan::SolvePlan(scenario, request);
    if (auto usable = CheckWithPlan(scenario, *options.with_plan); !usable) {
      return std::unexpected(usable.error());
    }
    return *options.with_plan;
  }();
  if (!with) return std::unexpected(with.error());
  if (!with->HasSolution()) {
    return Internal(fmt::format("the plan with contract {} found no solution: {}",
                                scenario.contracts[contract].id, with->stats.solver_message));
  }
  const int removed[] = {contract};
  model::Scenario without_scenario = replan::WithoutContracts(scenario, removed);
  Result<plan::Plan> without = [&]() -> Result<plan::Plan> {
    if (options.without_plan == nullptr) {
      return SolveWithoutContract(without_scenario, contract, options.plan, &*with);
    }
    if (auto usable = CheckWithoutPlan(scenario, contract, *options.without_plan); !usable) {
      return std::unexpected(usable.error());
    }
    return *options.without_plan;
  }();
  if (!without) return std::unexpected(without.error());
  if (!without->HasSolution()) {
    return Internal(fmt::format("the plan without contract {} found no solution: {}",
                                scenario.contracts[contract].id, without->stats.solver_message));
  }
  DealReport report =
      CompareDeal(scenario, without_scenario, contract, std::move(*with), std::move(*without));
  report.with_given = options.with_plan != nullptr;
  report.without_given = options.without_plan != nullptr;
  return report;
}

}  // namespace cobuild::deal
