// The deal question (docs/deal.md): does hosting a partner's cars under one
// contract pay for the host, does it beat the partner's own plants and
// imports, and at what fee per car?
//
// Two plans of one scenario: with the contract, and without it (the
// counterfactual, replan::WithoutContracts: the partner serves its demand
// from its own plants, other contracts or imports; the host builds what it
// may without the contract). Both are re-checked by the plan checker. From
// their accounts: per company and per host plant the contribution with and
// without and the change, split into margin, duty, fee income, fees paid,
// shifts and retooling; the cars hosted per plant and year; and the fee
// terms.
//
// The fee terms are exact, not a sweep: the planner maximises the sum of
// every company's contribution, in which a contract fee is a transfer that
// cancels, so the plan with the contract does not depend on its fee. With N
// cars built under the contract, the host's gain at fee f is
// G_h(f) = G_h(f0) + (f - f0) N and the partner's G_p(f) = G_p(f0) - (f - f0) N.
// The host breaks even at f_h = f0 - G_h(f0) / N, the partner stops gaining
// at f_p = f0 + G_p(f0) / N, and every fee in [f_h, f_p] leaves both better
// off (the bargaining zone, non-empty exactly when the joint gain
// G_h + G_p >= 0). The proposed fee splits the joint gain equally:
// (f_h + f_p) / 2, where each gains (G_h + G_p) / 2.
//
//   Result<DealReport> deal = deal::AnalyzeDeal(scenario, contract, options);
//   deal->terms.host_break_even_fee_gbp ...
#pragma once

#include <string>
#include <vector>

#include "model/error.h"
#include "model/scenario.h"
#include "plan/plan.h"
#include "plan/plan_request.h"

namespace cobuild::deal {

// Money of one company or one plant over the horizon, GBP. contribution =
// margin - duty + fee income - fees paid - shift cost - shift change cost -
// retooling cost - holding cost + tooling share.
struct Account {
  double units_sold = 0;
  double margin_gbp = 0;  // revenue - variable cost - freight, before duty
  double duty_gbp = 0;
  double fee_income_gbp = 0;
  double fees_paid_gbp = 0;
  double shift_cost_gbp = 0;
  double shift_change_cost_gbp = 0;  // shifts added and removed (docs/planning-model.md, "Workforce")
  double retooling_cost_gbp = 0;
  double holding_cost_gbp =
      0;  // finished-goods stock of its own cars (docs/planning-model.md, "Finished-goods stock")
  // The contract's retooling the partner pays the host under the contract's
  // `tooling_paid_by` (docs/deal.md, "Who pays for tooling"): + for the
  // host, - for the partner; 0 in a plan's own accounts and without the deal.
  double tooling_share_gbp = 0;
  double contribution_gbp = 0;
  bool operator==(const Account&) const = default;
};
Account operator-(const Account& a, const Account& b);
Account operator+(const Account& a, const Account& b);
Account operator*(double share, const Account& a);

// The group view (docs/deal.md, "Joint ventures"): `by_company` indexed by
// company; each company with owners (a joint venture) is rolled up into its
// owners by share and its own entry left 0. A company with no owner keeps
// its account plus its shares of the companies it owns.
std::vector<Account> GroupAccounts(const model::Scenario& scenario, const std::vector<Account>& by_company);

// The contract's retoolings in `plan` (at `plant`, or at every plant when
// -1): a retooling of a line at a plant the contract covers for a platform
// that every variant on it is of the contract's brands (a platform only
// the partner's covered cars use; the host's own cars never need it).
double ContractRetoolingCost(const model::Scenario& scenario, const plan::Plan& plan, int contract,
                             int plant = -1);

// A company's plan account (the plan's own per-company breakdown,
// Plan::contributions, which the plan checker recomputes).
Account CompanyAccount(const plan::Plan& plan, int company);

// The host plant's account: the margin and duty of the plant company's own
// cars shipped from the plant, the fees of every contract for cars built
// there, and the plant's shift and retooling costs. The plant accounts of a
// company plus what it earns on its cars built elsewhere (less the fees it
// pays) make its company account.
Account PlantAccount(const model::Scenario& scenario, const plan::Plan& plan, int plant);

struct CompanyChange {
  int company = -1;
  Account with;
  Account without;
  Account change() const { return with - without; }
};

struct PlantChange {
  int plant = -1;
  Account with;
  Account without;
  double cars_hosted = 0;  // under the contract, with it
  // The fee per car at which hosting at this plant breaks even for the host
  // (contract fee - the plant's gain / cars hosted); 0 when it hosts none.
  double break_even_fee_gbp = 0;
  Account change() const { return with - without; }
};

// Cars built under the contract at a plant in a calendar year (by
// production month), in the plan with the contract.
struct HostedCars {
  int plant = -1;
  int year = 0;
  double units = 0;
};

// The fee terms, linear in the fee (see the file comment).
struct FeeTerms {
  double fee_gbp = 0;           // the contract's fee per car
  double cars = 0;              // N: cars built under the contract over the horizon
  double host_gain_gbp = 0;     // at the contract's fee
  double partner_gain_gbp = 0;  // at the contract's fee
  double joint_gain_gbp() const { return host_gain_gbp + partner_gain_gbp; }
  // Defined only when cars > 0 (otherwise the fee changes nothing).
  double host_break_even_fee_gbp = 0;  // lowest fee at which hosting pays the host
  double partner_max_fee_gbp = 0;      // highest fee at which the deal pays the partner
  bool zone_exists() const { return cars > 0 && host_break_even_fee_gbp <= partner_max_fee_gbp; }
  // Equal split of the joint gain: (break-even + maximum) / 2.
  double proposed_fee_gbp = 0;
  double host_gain_at_proposed_gbp = 0;
  double partner_gain_at_proposed_gbp = 0;
  // Gains at any fee, from the two plans (exact: the plan does not depend on the fee).
  double HostGainAt(double fee) const { return host_gain_gbp + (fee - fee_gbp) * cars; }
  double PartnerGainAt(double fee) const { return partner_gain_gbp - (fee - fee_gbp) * cars; }
};

// The terms for fee `fee_gbp`, `cars` cars and the two gains at that fee.
FeeTerms TermsFor(double fee_gbp, double cars, double host_gain_gbp, double partner_gain_gbp);

struct DealOptions {
  // The solves of both plans (time limit each, gap, threads, seed, node limit).
  plan::PlanOptions plan;
  // A plan with the contract the caller has already (`cobuild deal --plan`,
  // the deal job's `plan_job`): used as the plan with the contract instead
  // of solving it again, after CheckWithPlan. Null: solved here.
  const plan::Plan* with_plan = nullptr;
  // A plan without the contract the caller has already (`cobuild deal
  // --plan-without`, made by `cobuild plan --without-contract`): used as
  // the plan without the contract instead of solving it, after
  // CheckWithoutPlan. Null: solved here (SolveWithoutContract).
  const plan::Plan* without_plan = nullptr;
};

// Whether `plan` can stand for the plan with the contract of `scenario`
// under `options`: a plan with a solution, made on the scenario as it is
// (no events, no excluded brand or contract, no frozen month, no baseline
// penalty, no deal rules, the scenario's levers), and passing the
// independent plan checker, which recomputes every company's contribution
// from the scenario: a plan of an edited scenario whose money or capacity
// changed fails it. InvalidInput naming what differs otherwise. How long
// and to what gap the plan was solved is the caller's choice: the report
// prints its gap and counts its slack in the caution on small gains.
[[nodiscard]] Result<void> CheckWithPlan(const model::Scenario& scenario, const plan::Plan& plan);

// Whether `plan` can stand for the plan without contract `contract`: the
// same rules as CheckWithPlan, except that its basis must record exactly
// that contract left out (basis.excluded_contracts = {contract}) and it must
// pass the plan checker against the scenario without it. A plan made with
// the contract, or without another one, is InvalidInput saying so.
[[nodiscard]] Result<void> CheckWithoutPlan(const model::Scenario& scenario, int contract,
                                            const plan::Plan& plan);

// The plan without contract `contract` as the deal solves it:
// `without_scenario` (the scenario without that contract,
// replan::WithoutContracts or app::ExcludeContract) planned with
// `options`, with `start` tried as a starting plan when given (the plan
// with the contract: its shifts and retooling stay feasible without it),
// and the contract recorded in its basis (basis.excluded_contracts), so
// that its plan file says what it was made without. `cobuild deal` and
// `cobuild plan --without-contract` (no start; `deal --plan-without` takes
// its file) both solve it here. A solve that ends without a plan is
// returned as it is; errors are the planner's.
[[nodiscard]] Result<plan::Plan> SolveWithoutContract(const model::Scenario& without_scenario, int contract,
                                                      const plan::PlanOptions& options,
                                                      const plan::Plan* start = nullptr);

struct DealReport {
  int contract = -1;
  int host = -1;
  int partner = -1;
  model::Scenario without_scenario;             // the scenario without the contract
  plan::Plan with;                              // basis.excluded_contracts empty
  plan::Plan without;                           // basis.excluded_contracts = {contract}
  std::vector<std::string> with_violations;     // plan checker; empty when valid
  std::vector<std::string> without_violations;  // against without_scenario
  // Whether each plan was given (DealOptions::with_plan, without_plan)
  // rather than solved for this report.
  bool with_given = false;
  bool without_given = false;
  std::vector<CompanyChange> companies;  // every company (legal entities), scenario order
  // The group view: each company without owners, with its shares of the
  // joint ventures it owns rolled in, scenario order.
  std::vector<CompanyChange> groups;
  double contract_retooling_gbp = 0;     // the contract's retooling in the plan with it
  double tooling_share_gbp = 0;          // the part of it the partner pays the host
  std::vector<PlantChange> host_plants;  // the host's plants the contract covers
  std::vector<HostedCars> hosted;        // by plant then year, every covered plant and year
  FeeTerms terms;                        // legal entities
  // The same terms with each side's gain in the group view; only when
  // neither the host nor the partner is itself owned by others.
  bool has_group_terms = false;
  FeeTerms group_terms;
  // Plain sentences a planner reads first: who gains how much at the fee,
  // the zone, a plant where hosting loses money.
  std::vector<std::string> findings;
};

// The accounts, fee terms and findings of two solved plans (no solving):
// `with` of `scenario`, `without` of `without_scenario` (the scenario
// without contract `contract`).
DealReport CompareDeal(const model::Scenario& scenario, const model::Scenario& without_scenario, int contract,
                       plan::Plan with, plan::Plan without);

// Solves both plans (the one without the contract warm-started from the one
// with it: its shifts and retooling stay feasible without the contract),
// checks them, and compares them; a plan given in options (with_plan,
// without_plan) is checked and taken instead of solving it. Errors: a solve
// error, or no plan within the time limit (Internal, naming which plan); a
// with_plan that fails CheckWithPlan or a without_plan that fails
// CheckWithoutPlan (InvalidInput).
[[nodiscard]] Result<DealReport> AnalyzeDeal(const model::Scenario& scenario, int contract,
                                             const DealOptions& options);

}  // namespace cobuild::deal
