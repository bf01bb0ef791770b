// The `deal` job kind: `cobuild deal` on a stored scenario (deal::AnalyzeDeal,
// and the sweeps of deal/sweep.h when asked).
//
// Params:
//   contract            a contract id of the job's scenario (required)
//   plan_job            a finished plan job of the scenario: the plan with the
//                       contract, not solved again (as `--plan`)
//   plan_without_job    a finished plan job of the scenario with
//                       `without_contract` set to the contract: the plan
//                       without it, not solved again (as `--plan-without`)
//   sweep               true: both sweeps with their defaults (11 fees
//                       across and beyond the bargaining zone; 5 rates of the
//                       partner's import duty into the host's market)
//   fees                "FROM:TO:POINTS" (GBP a car): the fee sweep at these fees
//   tariff              "MARKET:ORIGIN[:POWERTRAIN][:RATES]": the tariff sweep
//   host_first          true: the fee sweep's plans also keep host-first
//   time_limit_seconds  each of the two plans and the fee sweep's start, default 20, at most 600
//   sweep_time_limit_seconds  each sweep solve, default 2, at most 600
//   relative_gap, seed, max_nodes  as for plan jobs
// Result: io::DealJson (plans, companies, groups, host_plants, hosted,
// terms, findings) with "fee_sweep" and "tariff_sweep" (io/deal_sweep_io.h;
// null when not run) and "names" (company, plant and market ids to names);
// CSV: io::DealCsv then the sweeps' records. Progress: the two plans, then
// one step a sweep point; cancel stops the running solve and the sweep.
//
//   RegisterDealJob(registry);  // in DefaultJobRegistry
#pragma once

#include "server/job_registry.h"

namespace cobuild::server {

// Registers kind "deal".
void RegisterDealJob(JobRegistry& registry);

}  // namespace cobuild::server
