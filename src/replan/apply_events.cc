#include "replan/apply_events.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>

#include "plan/economics.h"

namespace cobuild::replan {
namespace {

using model::Event;
using model::EventKind;

template <typename T>
bool Contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

int MonthIndex(const model::Scenario& s, model::Date date) { return s.horizon.IndexOf(model::MonthOf(date)); }

// Share of the calendar days of horizon month `t` that [from, to] covers.
double MonthCoverage(const model::Scenario& s, int t, model::Date from, model::Date to) {
  const model::YearMonth ym = s.horizon.MonthAt(t);
  const int first = std::max(model::DaysFromCivil(model::FirstDay(ym)), model::DaysFromCivil(from));
  const int last = std::min(model::DaysFromCivil(model::LastDay(ym)), model::DaysFromCivil(to));
  if (last < first) return 0;
  return static_cast<double>(last - first + 1) / model::DaysInMonth(ym.year, ym.month);
}

int MaxTransitMonths(const model::Scenario& s) {
  int lag = 0;
  for (const auto& r : s.routes) lag = std::max(lag, plan::TransitMonths(s, r));
  return lag;
}

void ApplyCapacityEvents(const model::Scenario& s, std::span<const Event> events, AppliedEvents& out) {
  const size_t n = static_cast<size_t>(s.horizon.num_months);
  out.line_availability.assign(s.lines.size() * n, 1.0);
  out.days_lost.assign(s.lines.size() * n, 0.0);
  for (size_t l = 0; l < s.lines.size(); ++l) {
    // Day number -> share of the day's output still made.
    std::map<int, double> day_factor;
    for (const Event& e : events) {
      if (e.kind != EventKind::kOutage && e.kind != EventKind::kRateReduction) continue;
      if (!Contains(model::AffectedLines(s, e), static_cast<int>(l))) continue;
      const double keep = e.kind == EventKind::kOutage ? 0.0 : 1.0 - e.output_lost_share;
      for (int day = model::DaysFromCivil(e.from); day <= model::DaysFromCivil(e.to); ++day) {
        if (!model::IsWeekday(model::CivilFromDays(day))) continue;
        auto [it, inserted] = day_factor.emplace(day, keep);
        if (!inserted) it->second *= keep;
      }
    }
    const auto& working = s.plants[static_cast<size_t>(s.lines[l].plant)].calendar.working_days;
    for (const auto& [day, factor] : day_factor) {
      const int t = MonthIndex(s, model::CivilFromDays(day));
      if (t < 0) continue;
      out.days_lost[l * n + static_cast<size_t>(t)] += 1.0 - factor;
    }
    for (size_t t = 0; t < n; ++t) {
      double& lost = out.days_lost[l * n + t];
      lost = std::min(lost, working[t]);
      out.line_availability[l * n + t] = working[t] > 0 ? std::max(0.0, 1.0 - lost / working[t]) : 1.0;
    }
  }
}

void ApplySupplyCap(const model::Scenario& s, const Event& e, AppliedEvents& out) {
  plan::SupplyCap cap{.name = e.id, .plants = e.plants, .powertrains = e.powertrains, .units_per_month = {}};
  // Months outside the event get a bound no month can reach.
  constexpr double kUnbounded = 1e12;
  cap.units_per_month.assign(static_cast<size_t>(s.horizon.num_months), kUnbounded);
  for (int t = MonthIndex(s, e.from); t >= 0 && t <= MonthIndex(s, e.to); ++t) {
    cap.units_per_month[static_cast<size_t>(t)] = e.units_per_month;
  }
  out.supply_caps.push_back(std::move(cap));
}

void ApplyTariffChange(const Event& e, model::Scenario& s) {
  // Rules of that origin and market end the month before the change (when
  // they held then) and continue, changed as below, from its month.
  const int from = MonthIndex(s, e.from);
  std::vector<model::Tariff> kept;
  bool replaced = false;
  for (model::Tariff t : s.tariffs) {
    if (t.origin_country != e.origin_country || t.market != e.market ||
        (t.last_month >= 0 && t.last_month < from)) {
      kept.push_back(std::move(t));
      continue;
    }
    if (t.first_month < from) {
      model::Tariff before = t;
      before.last_month = from - 1;
      kept.push_back(std::move(before));
      t.first_month = from;
    }
    if (e.powertrains.empty() || t.powertrains == e.powertrains) {
      // The event covers this rule's powertrains: the rule takes the new rate.
      t.rate = e.tariff_rate;
      replaced |= t.powertrains == e.powertrains;
      kept.push_back(std::move(t));
      continue;
    }
    // A rule sharing some powertrains with the event keeps only the others
    // (a general rule keeps applying to powertrains the event does not name).
    if (!t.powertrains.empty()) {
      std::erase_if(t.powertrains, [&](model::Powertrain p) { return Contains(e.powertrains, p); });
      if (t.powertrains.empty()) continue;
    }
    kept.push_back(std::move(t));
  }
  if (!replaced) {
    kept.push_back({.origin_country = e.origin_country,
                    .market = e.market,
                    .powertrains = e.powertrains,
                    .rate = e.tariff_rate,
                    .first_month = from});
  }
  s.tariffs = std::move(kept);
}

void ApplyDemandChange(const Event& e, model::Scenario& s) {
  const int first = MonthIndex(s, e.from);
  const int last = MonthIndex(s, e.to);
  for (size_t v = 0; v < s.variants.size(); ++v) {
    const auto& variant = s.variants[v];
    const int brand = s.models[static_cast<size_t>(variant.model)].brand;
    if (!e.brands.empty() && !Contains(e.brands, brand)) continue;
    if (!e.powertrains.empty() && !Contains(e.powertrains, variant.powertrain)) continue;
    for (size_t k = 0; k < s.markets.size(); ++k) {
      if (!e.markets.empty() && !Contains(e.markets, static_cast<int>(k))) continue;
      for (int t = first; t <= last; ++t) {
        const double covered = MonthCoverage(s, t, e.from, e.to);
        s.demand.at(static_cast<int>(v), static_cast<int>(k), t) *= 1.0 + (e.demand_factor - 1.0) * covered;
      }
    }
  }
}

void ApplyContractChange(const Event& e, model::Scenario& s) {
  const int year = e.from.year;
  model::Contract& original = s.contracts[static_cast<size_t>(e.contract)];
  auto change = [&](model::Contract& c) {
    if (e.min_units_per_year >= 0) c.min_units_per_year = e.min_units_per_year;
    if (e.max_units_per_year >= 0) c.max_units_per_year = e.max_units_per_year;
  };
  const int horizon_first_year = s.horizon.first.year;
  const int starts = original.first_year == 0 ? horizon_first_year : original.first_year;
  if (starts >= year) {
    change(original);
    return;
  }
  if (original.last_year != 0 && original.last_year < year) return;  // the contract has ended by then
  model::Contract later = original;
  later.id = original.id + "-from-" + std::to_string(year);
  later.first_year = year;
  change(later);
  original.last_year = year - 1;
  s.contracts.push_back(std::move(later));
}

}  // namespace

void AppliedEvents::AddTo(plan::PlanRequest& request) const {
  if (request.line_availability.empty()) {
    request.line_availability = line_availability;
  } else {
    for (size_t i = 0; i < line_availability.size() && i < request.line_availability.size(); ++i) {
      request.line_availability[i] *= line_availability[i];
    }
  }
  request.supply_caps.insert(request.supply_caps.end(), supply_caps.begin(), supply_caps.end());
}

Result<AppliedEvents> ApplyEvents(const model::Scenario& scenario, std::span<const Event> events) {
  const auto conflicts = model::FindEventConflicts(scenario, events);
  if (!conflicts.empty()) return InvalidInput(conflicts.front().message);
  AppliedEvents out;
  out.scenario = scenario;
  ApplyCapacityEvents(scenario, events, out);
  std::vector<const Event*> tariff_changes;
  for (const Event& e : events) {
    int t = MonthIndex(scenario, e.from);
    if (t < 0 || MonthIndex(scenario, e.to) < 0 || e.to < e.from) {
      return InvalidInput("event \"" + e.id + "\": " + model::ToString(e.from) + " to " +
                          model::ToString(e.to) + " is not inside the horizon");
    }
    // Demand in month t is met, and duty in month t paid, by cars built up to
    // the longest transit earlier; those months must be free to change too.
    if (e.kind == EventKind::kDemandChange || e.kind == EventKind::kTariffChange) {
      t = std::max(0, t - MaxTransitMonths(scenario));
    }
    if (out.first_month < 0 || t < out.first_month) out.first_month = t;
    out.last_month = std::max(out.last_month, MonthIndex(scenario, e.to));
    if (e.kind == EventKind::kOutage || e.kind == EventKind::kRateReduction ||
        e.kind == EventKind::kSupplyCap) {
      const int from = MonthIndex(scenario, e.from);
      if (out.capacity_first_month < 0 || from < out.capacity_first_month) out.capacity_first_month = from;
      out.capacity_last_month = std::max(out.capacity_last_month, MonthIndex(scenario, e.to));
    }
    switch (e.kind) {
      case EventKind::kOutage:
      case EventKind::kRateReduction:
        break;  // in ApplyCapacityEvents
      case EventKind::kSupplyCap:
        ApplySupplyCap(scenario, e, out);
        break;
      case EventKind::kTariffChange:
        tariff_changes.push_back(&e);
        break;
      case EventKind::kDemandChange:
        ApplyDemandChange(e, out.scenario);
        break;
      case EventKind::kContractChange:
        ApplyContractChange(e, out.scenario);
        break;
    }
  }
  // In date order, so that a later change splits the rules an earlier one left.
  std::stable_sort(tariff_changes.begin(), tariff_changes.end(),
                   [](const Event* a, const Event* b) { return a->from < b->from; });
  for (const Event* e : tariff_changes) ApplyTariffChange(*e, out.scenario);
  // The applied scenario describes the world after the events; it does not
  // carry them again.
  out.scenario.events.clear();
  return out;
}

Result<model::Scenario> ScenarioWithEvents(const model::Scenario& scenario,
                                           std::span<const model::Event> events) {
  auto applied = ApplyEvents(scenario, events);
  if (!applied) return std::unexpected(applied.error());
  return std::move(applied->scenario);
}

model::Scenario WithoutContracts(const model::Scenario& scenario, std::span<const int> contracts) {
  model::Scenario without = scenario;
  for (int c : contracts) {
    model::Contract& k = without.contracts[static_cast<size_t>(c)];
    k.brands.clear();
    k.min_units_per_year = 0;
    k.max_units_per_year = 0;
    // Without the deal there is nothing to participate in: its rules go too.
    if (without.settings.participation_contract == c) without.settings.participation_contract = -1;
    if (without.settings.host_first_contract == c) without.settings.host_first_contract = -1;
  }
  return without;
}

Result<PlanContext> ContextOf(const model::Scenario& scenario, const plan::Plan& plan) {
  const plan::Levers levers = plan::ScenarioLevers(scenario);
  const plan::Levers& used = plan.basis.levers;
  if (used != levers) {
    return InvalidInput(fmt::format(
        "the plan was made with levers extra_shifts_per_day={} extra_shift_premium={} "
        "weekend_days_per_month={} "
        "weekend_premium={} backlog_max_months={} backlog_delay_cost={}, the scenario's `replan:` keys give "
        "{} {} {} {} "
        "{} {}: plan it again with this scenario",
        used.extra_shifts_per_day, used.extra_shift_premium, used.weekend_days_per_month,
        used.weekend_premium, used.backlog.max_months, used.backlog.delay_cost_gbp_per_car_month,
        levers.extra_shifts_per_day, levers.extra_shift_premium, levers.weekend_days_per_month,
        levers.weekend_premium, levers.backlog.max_months, levers.backlog.delay_cost_gbp_per_car_month));
  }
  PlanContext context{.scenario = scenario, .request = {}};
  if (!plan.basis.events.empty()) {
    auto applied = ApplyEvents(scenario, plan.basis.events);
    if (!applied) return std::unexpected(applied.error());
    context.scenario = std::move(applied->scenario);
    applied->AddTo(context.request);
  }
  if (!plan.basis.excluded_contracts.empty()) {
    context.scenario = WithoutContracts(context.scenario, plan.basis.excluded_contracts);
  }
  context.request.excluded_brands = plan.basis.excluded_brands;
  context.request.frozen_months = plan.basis.frozen_months;
  context.request.stability_penalty_gbp_per_car = plan.basis.stability_penalty_gbp_per_car;
  return context;
}

}  // namespace cobuild::replan
