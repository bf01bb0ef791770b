#include "plan/plan_checker.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>

namespace cobuild::plan {
namespace {

// Units may differ from exact by solver and output rounding.
bool Close(double a, double b, double scale = 1.0) {
  return std::abs(a - b) <= 0.01 + 1e-7 * std::max({std::abs(a), std::abs(b), scale});
}

// Every money figure a plan reports is its cars times the scenario's terms,
// rounded to the penny (docs/planning-model.md, "Whole cars and pennies"):
// a recomputed figure may differ by rounding and floating-point sums only,
// never by more than this, however large the total.
constexpr double kMoneyTolerance = 1.0;
bool MoneyClose(double a, double b) { return std::abs(a - b) <= kMoneyTolerance; }

// A participation floor holds to a millionth of its size: the LP solver's
// feasibility tolerance and the whole-car rounding's row check allow that
// much (GBP 14,000 on a floor of GBP 14bn).
constexpr double kFloorTolerance = 1e-6;

template <typename T>
bool Contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

class Checker {
 public:
  Checker(const model::Scenario& s, const Plan& p, const PlanRequest& r)
      : s_(s), p_(p), r_(r), levers_(r.LeversFor(s)), n_(s.horizon.num_months) {}

  CheckReport Run() {
    if (!CheckIndices()) return Finish();
    CheckBound();
    CheckShifts();
    CheckShiftChanges();
    CheckRetooling();
    CheckProductionEntries();
    CheckLineHours();
    CheckRetoolingDowntime();
    CheckRampUps();
    CheckShareLimits();
    CheckStationLoads();
    ComputeOpenDemand();
    CheckShipments();
    CheckTail();
    CheckStock();
    CheckPlantBalance();
    CheckBacklog();
    CheckDemandBalance();
    CheckContracts();
    CheckSupplyCaps();
    CheckFrozen();
    RecomputeSales();
    RecomputeShiftCost();
    RecomputeShiftChangeCost();
    RecomputeRetoolingCost();
    RecomputePenalties();
    RecomputeStockMoney();
    CompareMoney();
    CheckDealRules();
    return Finish();
  }

 private:
  template <typename... Args>
  void Fail(fmt::format_string<Args...> format, Args&&... args) {
    ++num_violations_;
    if (num_violations_ <= kMaxViolations) {
      report_.violations.push_back(fmt::format(format, std::forward<Args>(args)...));
    }
  }

  CheckReport Finish() {
    if (num_violations_ > kMaxViolations) {
      report_.violations.push_back(
          fmt::format("... and {} more violations", num_violations_ - kMaxViolations));
    }
    return std::move(report_);
  }

  bool In(int i, size_t size) const { return i >= 0 && static_cast<size_t>(i) < size; }
  bool Month(int t) const { return t >= 0 && t < n_; }
  bool Units(double u) const { return std::isfinite(u) && u >= -1e-9; }
  // Arrivals may fall in the 12 months after the horizon (checked against
  // settings.horizon_end_value in CheckTail).
  bool ArrivalMonth(int t) const { return t >= 0 && t < n_ + 12; }
  std::string Mon(int t) const { return model::ToString(s_.horizon.MonthAt(t)); }
  int Year(int t) const { return s_.horizon.MonthAt(t).year; }
  int Owner(int v) const { return s_.brands[s_.models[s_.variants[v].model].brand].company; }
  int BrandOf(int v) const { return s_.models[s_.variants[v].model].brand; }

  bool CheckIndices() {
    const size_t before = num_violations_;
    for (const auto& e : p_.production) {
      if (!In(e.line, s_.lines.size()) || !In(e.variant, s_.variants.size()) || !Month(e.month) ||
          !Units(e.units)) {
        Fail("production entry (line {}, variant {}, month {}, units {}) is out of range", e.line, e.variant,
             e.month, e.units);
      }
    }
    for (const auto& e : p_.shifts) {
      if (!In(e.line, s_.lines.size()) || !Month(e.month)) {
        Fail("shift entry (line {}, month {}) is out of range", e.line, e.month);
      }
    }
    for (const auto& e : p_.retooling) {
      if (!In(e.line, s_.lines.size()) || !In(e.platform, s_.platforms.size()) || !Month(e.month)) {
        Fail("retooling entry (line {}, platform {}, month {}) is out of range", e.line, e.platform, e.month);
      }
    }
    for (const auto& e : p_.shipments) {
      if (!In(e.plant, s_.plants.size()) || !In(e.variant, s_.variants.size()) ||
          !In(e.market, s_.markets.size()) || !Month(e.month) || !ArrivalMonth(e.arrival_month) ||
          !Units(e.units)) {
        Fail(
            "shipment entry (plant {}, variant {}, market {}, month {}, arrival {}, units {}) is out of "
            "range",
            e.plant, e.variant, e.market, e.month, e.arrival_month, e.units);
      }
    }
    for (const auto& e : p_.unmet) {
      if (!In(e.variant, s_.variants.size()) || !In(e.market, s_.markets.size()) || !Month(e.month) ||
          !Units(e.units)) {
        Fail("unmet entry (variant {}, market {}, month {}) is out of range", e.variant, e.market, e.month);
      }
    }
    for (const auto& e : p_.backlog) {
      if (!In(e.variant, s_.variants.size()) || !In(e.market, s_.markets.size()) || !Month(e.month) ||
          !Units(e.units)) {
        Fail("backlog entry (variant {}, market {}, month {}) is out of range", e.variant, e.market, e.month);
      }
    }
    for (const auto& e : p_.stock) {
      if (!In(e.plant, s_.plants.size()) || !In(e.variant, s_.variants.size()) || !Month(e.month) ||
          !Units(e.units)) {
        Fail("stock entry (plant {}, variant {}, month {}, units {}) is out of range", e.plant, e.variant,
             e.month, e.units);
      }
    }
    for (const auto& e : p_.contract_shortfalls) {
      if (!In(e.contract, s_.contracts.size()) || !Units(e.units)) {
        Fail("contract shortfall entry (contract {}, year {}) is out of range", e.contract, e.year);
      }
    }
    return num_violations_ == before;
  }

  // The bound is an upper bound on the objective (maximised), and the gap
  // is (bound - objective) / max(1, |objective|).
  void CheckBound() {
    if (!p_.HasSolution()) return;
    if (!std::isfinite(p_.objective_gbp) || !std::isfinite(p_.bound_gbp)) {
      Fail("objective {} and bound {} must be finite", p_.objective_gbp, p_.bound_gbp);
      return;
    }
    if (p_.bound_gbp < p_.objective_gbp - kMoneyTolerance) {
      Fail("bound {:.2f} is below the objective {:.2f}", p_.bound_gbp, p_.objective_gbp);
    }
    const double gap =
        std::max(0.0, p_.bound_gbp - p_.objective_gbp) / std::max(1.0, std::abs(p_.objective_gbp));
    if (std::abs(p_.gap - gap) > 1e-6) Fail("gap {:.6g}: bound and objective give {:.6g}", p_.gap, gap);
  }

  void CheckShifts() {
    shifts_.assign(s_.lines.size() * n_, 0);
    extra_.assign(s_.lines.size() * n_, 0);
    weekend_.assign(s_.lines.size() * n_, 0);
    std::set<std::pair<int, int>> seen;
    for (const auto& e : p_.shifts) {
      if (!seen.insert({e.line, e.month}).second) {
        Fail("line {} month {}: shifts listed twice", s_.lines[e.line].id, Mon(e.month));
      }
      if (e.shifts_per_day < 0 || e.shifts_per_day > s_.lines[e.line].max_shifts_per_day) {
        Fail("line {} month {}: {} shifts a day, allowed 0..{}", s_.lines[e.line].id, Mon(e.month),
             e.shifts_per_day, s_.lines[e.line].max_shifts_per_day);
      }
      // Levers (docs/planning-model.md, "Levers"): extra shifts beyond the
      // maximum, at most the scenario's E and at most what still fits the
      // day's 24 hours beside the regular maximum; weekend days in months
      // the plant works.
      const model::Line& line = s_.lines[e.line];
      const int fit_in_day =
          line.hours_per_shift > 0
              ? static_cast<int>(std::min(1000.0, std::floor(24.0 / line.hours_per_shift + 1e-9)))
              : 0;
      const int room_in_day = std::max(0, fit_in_day - line.max_shifts_per_day);
      if (e.extra_shifts_per_day < 0 || e.extra_shifts_per_day > levers_.extra_shifts_per_day) {
        Fail("line {} month {}: {} extra shifts a day, the scenario's levers allow 0..{}", line.id,
             Mon(e.month), e.extra_shifts_per_day, levers_.extra_shifts_per_day);
      } else if (e.extra_shifts_per_day > room_in_day) {
        Fail(
            "line {} month {}: {} extra shifts a day, at most {} fit: {} shifts of {} h and {} more make {} "
            "h, "
            "beyond the 24 hours of a day",
            line.id, Mon(e.month), e.extra_shifts_per_day, room_in_day, line.max_shifts_per_day,
            line.hours_per_shift, e.extra_shifts_per_day,
            (line.max_shifts_per_day + e.extra_shifts_per_day) * line.hours_per_shift);
      }
      const double working_days = s_.plants[line.plant].calendar.working_days[e.month];
      if (e.weekend_days < 0 || e.weekend_days > levers_.weekend_days_per_month) {
        Fail("line {} month {}: {} weekend days, the scenario's levers allow 0..{}", line.id, Mon(e.month),
             e.weekend_days, levers_.weekend_days_per_month);
      } else if (e.weekend_days > 0 && working_days <= 0) {
        Fail("line {} month {}: weekend days in a month the plant does not work", line.id, Mon(e.month));
      } else if (const long weeks = std::lround(working_days / 5.0); e.weekend_days > weeks) {
        // A Saturday belongs to a working week: at most round(days / 5).
        Fail("line {} month {}: {} weekend days, a month of {} working days has {} working weeks", line.id,
             Mon(e.month), e.weekend_days, working_days, weeks);
      }
      // Levers are bought only when the line's own crews are fully used.
      if ((e.extra_shifts_per_day > 0 || e.weekend_days > 0) && e.shifts_per_day < line.max_shifts_per_day) {
        Fail(
            "line {} month {}: {} extra shifts and {} weekend days with {} regular shifts a day; levers "
            "only at the line's maximum of {}",
            line.id, Mon(e.month), e.extra_shifts_per_day, e.weekend_days, e.shifts_per_day,
            line.max_shifts_per_day);
      }
      shifts_[e.line * n_ + e.month] = e.shifts_per_day;
      extra_[e.line * n_ + e.month] = e.extra_shifts_per_day;
      weekend_[e.line * n_ + e.month] = e.weekend_days;
    }
  }

  // Workforce (docs/planning-model.md, "Workforce"): on a line with a rule,
  // a change is a different regular shift count from the previous month
  // its plant's calendar works (a month without a shift entry runs none;
  // the first working month is no change). Each shift added or removed
  // costs the rule's amount, and after a change the count holds for the
  // rule's minimum number of working months.
  void CheckShiftChanges() {
    change_cost_.assign(s_.lines.size(), 0.0);
    change_cost_pv_.assign(s_.lines.size(), 0.0);
    for (size_t l = 0; l < s_.lines.size(); ++l) {
      const model::Line& line = s_.lines[l];
      if (!line.shift_changes) continue;
      const model::ShiftChangeRule& rule = *line.shift_changes;
      const auto& days = s_.plants[line.plant].calendar.working_days;
      int previous = -1;
      int previous_month = -1;
      int last_change = -1;  // working-month index of the last change
      int last_change_month = -1;
      int index = 0;
      for (int t = 0; t < n_; ++t) {
        if (days[t] <= 0) continue;
        // An extra shift is a crew like a regular one; weekend days are not.
        const int now = shifts_[l * n_ + t] + extra_[l * n_ + t];
        if (previous >= 0 && now != previous) {
          const double cost = now > previous ? rule.added_cost_gbp * (now - previous)
                                             : rule.removed_cost_gbp * (previous - now);
          change_cost_[l] += cost;
          change_cost_pv_[l] += cost * Discount(t);
          if (last_change >= 0 && index - last_change < rule.min_months) {
            Fail(
                "line {}: crews (regular and extra shifts) change from {} in {} to {} in {}, {} working "
                "months "
                "after the change in {}; a shift pattern holds at least {} months",
                line.id, previous, Mon(previous_month), now, Mon(t), index - last_change,
                Mon(last_change_month), rule.min_months);
          }
          last_change = index;
          last_change_month = t;
        }
        previous = now;
        previous_month = t;
        ++index;
      }
    }
  }

  // A retooling only as an option of the line for a platform it does not
  // build, at most once, and only where its lead time ends in the horizon.
  void CheckRetooling() {
    std::set<std::pair<int, int>> retooled;
    for (const auto& e : p_.retooling) {
      if (!retooled.insert({e.line, e.platform}).second) {
        Fail("line {}: retooled twice for platform {}", s_.lines[e.line].id, s_.platforms[e.platform].id);
      }
      const model::Retooling* option = nullptr;
      for (const auto& o : s_.lines[e.line].retooling) {
        if (o.platform == e.platform) option = &o;
      }
      if (option == nullptr) {
        Fail("line {}: retooling for platform {} is not an option of the line", s_.lines[e.line].id,
             s_.platforms[e.platform].id);
      } else if (Contains(s_.lines[e.line].platforms, e.platform)) {
        Fail("line {}: retooled for platform {}, which it builds already", s_.lines[e.line].id,
             s_.platforms[e.platform].id);
      } else if (e.month + option->lead_time_months >= n_) {
        // The model offers a retooling only where its lead time ends inside
        // the horizon: a later one would be paid for and never used.
        Fail(
            "line {}: retooling for platform {} decided in {} is ready only after the horizon ({} months' "
            "lead time)",
            s_.lines[e.line].id, s_.platforms[e.platform].id, Mon(e.month), option->lead_time_months);
      }
    }
  }

  // The contracts under which the plant's company builds the variant in
  // `year`: every one that covers it (none for its own brands). Each counts
  // the car toward its volumes and charges its fee.
  std::vector<int> Contracts(int plant, int variant, int year) const {
    std::vector<int> out;
    const int host = s_.plants[plant].company;
    const int owner = Owner(variant);
    if (owner == host) return out;
    for (size_t c = 0; c < s_.contracts.size(); ++c) {
      const auto& k = s_.contracts[c];
      if (k.host != host || k.partner != owner || !Contains(k.brands, BrandOf(variant))) continue;
      if (!k.plants.empty() && !Contains(k.plants, plant)) continue;
      if ((k.first_year != 0 && year < k.first_year) || (k.last_year != 0 && year > k.last_year)) continue;
      out.push_back(static_cast<int>(c));
    }
    return out;
  }
  bool Allowed(int plant, int variant, int year) const {
    return Owner(variant) == s_.plants[plant].company || !Contracts(plant, variant, year).empty();
  }

  double CarsPerShiftMonth(int l, int t) const {
    const auto& line = s_.lines[l];
    const double alpha = Alpha(l, t);
    return line.rate_jph * line.hours_per_shift * line.availability *
           s_.plants[line.plant].calendar.working_days[t] * alpha;
  }

  double Alpha(int l, int t) const {
    return r_.line_availability.empty() ? 1.0 : r_.line_availability[static_cast<size_t>(l) * n_ + t];
  }

  // Cars the line can build in the month: shifts and extra shifts per
  // working day, plus weekend days at the line's maximum shifts (none in a
  // month the plant does not work).
  double LineCapacity(int l, int t) const {
    const size_t cell = static_cast<size_t>(l) * n_ + t;
    const auto& line = s_.lines[l];
    const bool works = s_.plants[line.plant].calendar.working_days[t] > 0;
    const double weekend_day = works ? line.rate_jph * line.hours_per_shift * line.availability *
                                           line.max_shifts_per_day * Alpha(l, t)
                                     : 0.0;
    return CarsPerShiftMonth(l, t) * (shifts_[cell] + extra_[cell]) + weekend_day * weekend_[cell];
  }

  // Each production entry: capability (powertrain, platform or a ready
  // retooling), ownership or a contract, no excluded brand, working time.
  // Sums the line's cars by month, powertrain and variant for the rows below.
  void CheckProductionEntries() {
    line_cars_.assign(s_.lines.size() * n_, 0.0);
    line_powertrain_cars_.assign(s_.lines.size() * n_ * model::kAllPowertrains.size(), 0.0);
    line_entries_.assign(s_.lines.size() * n_, {});
    line_variant_.clear();
    for (const auto& e : p_.production) {
      line_entries_[e.line * n_ + e.month].push_back(static_cast<size_t>(&e - p_.production.data()));
      const auto& line = s_.lines[e.line];
      const auto& v = s_.variants[e.variant];
      const int platform = s_.models[v.model].platform;
      const std::string where = fmt::format("line {} month {} variant {}", line.id, Mon(e.month), v.id);
      if (!Contains(line.powertrains, v.powertrain)) {
        Fail("{}: the line cannot build powertrain {}", where, model::ToString(v.powertrain));
      }
      if (!Contains(line.platforms, platform) && !RetoolingReady(e.line, platform, e.month)) {
        Fail("{}: platform {} is not built there and no retooling is ready", where,
             s_.platforms[platform].id);
      }
      if (!Allowed(line.plant, e.variant, Year(e.month))) {
        Fail("{}: no contract lets {} build a {} car", where, s_.companies[s_.plants[line.plant].company].id,
             s_.brands[BrandOf(e.variant)].id);
      }
      if (Contains(r_.excluded_brands, BrandOf(e.variant))) Fail("{}: the brand is excluded", where);
      if (e.units > 0 && CarsPerShiftMonth(e.line, e.month) <= 0) {
        Fail("{}: the line has no working time", where);
      }
      line_cars_[e.line * n_ + e.month] += e.units;
      line_powertrain_cars_[(e.line * n_ + e.month) * model::kAllPowertrains.size() +
                            static_cast<size_t>(v.powertrain)] += e.units;
      line_variant_[{e.line, e.variant, e.month}] += e.units;
      plant_output_[{line.plant, e.variant, e.month}] += e.units;
    }
  }

  // True when the plan retools `line` for `platform` early enough for the
  // lead time to end by `month`.
  bool RetoolingReady(int line, int platform, int month) const {
    for (const auto& rt : p_.retooling) {
      if (rt.line != line || rt.platform != platform) continue;
      for (const auto& option : s_.lines[line].retooling) {
        if (option.platform == platform && rt.month + option.lead_time_months <= month) return true;
      }
    }
    return false;
  }

  // Line hours: a line's cars fit its shifts, extra shifts and weekend days.
  void CheckLineHours() {
    for (size_t l = 0; l < s_.lines.size(); ++l) {
      for (int t = 0; t < n_; ++t) {
        const double used = line_cars_[l * n_ + t];
        const double available = LineCapacity(static_cast<int>(l), t);
        if (used > available + 0.01 + 1e-7 * available) {
          Fail(
              "line {} month {}: {:.2f} cars exceed {:.2f} from {} shifts, {} extra shifts and {} weekend "
              "days",
              s_.lines[l].id, Mon(t), used, available, shifts_[l * n_ + t], extra_[l * n_ + t],
              weekend_[l * n_ + t]);
        }
      }
    }
  }

  // Retooling downtime (docs/planning-model.md, "Retooling downtime and
  // ramp-up"): a retooling decided in month tau stops its line for its last
  // 5 * downtime_weeks working days before the ready month tau + lead,
  // counted back, never before tau; in a month it stops a share of, the
  // line's cars fit the rest of the month's capacity.
  void CheckRetoolingDowntime() {
    std::map<std::pair<int, int>, double> stopped;  // (line, month) -> days stopped
    std::map<std::pair<int, int>, std::string> why;
    for (const auto& e : p_.retooling) {
      for (const auto& option : s_.lines[e.line].retooling) {
        if (option.platform != e.platform || option.downtime_weeks <= 0) continue;
        const auto& days = s_.plants[s_.lines[e.line].plant].calendar.working_days;
        double left = 5.0 * option.downtime_weeks;
        for (int t = std::min(e.month + option.lead_time_months, n_) - 1; t >= e.month && left > 0; --t) {
          const double take = std::min(days[t], left);
          if (take <= 0) continue;
          left -= take;
          stopped[{e.line, t}] += take;
          why[{e.line, t}] = s_.platforms[e.platform].id;
        }
      }
    }
    for (const auto& [key, days_stopped] : stopped) {
      const auto [l, t] = key;
      const double days = s_.plants[s_.lines[l].plant].calendar.working_days[t];
      const double share = std::min(1.0, days_stopped / days);
      const double available = (1 - share) * LineCapacity(l, t);
      const double used = line_cars_[l * n_ + t];
      if (used > available + 0.01 + 1e-7 * available) {
        Fail(
            "line {} month {}: {:.2f} cars exceed {:.2f}, the capacity left while the line stops {:g} of its "
            "{:g} working days for its retooling to platform {}",
            s_.lines[l].id, Mon(t), used, available, days_stopped, days, why[key]);
      }
    }
  }

  // The first month from `ready` in which the line may build a car of the
  // platform: a powertrain it builds, the brand's owner or a contract, the
  // variant launched, its brand not excluded; `ready` when there is none.
  int RampStart(int line, int platform, int ready) const {
    const auto& l = s_.lines[line];
    for (int t = std::max(ready, 0); t < n_; ++t) {
      for (size_t v = 0; v < s_.variants.size(); ++v) {
        const auto& variant = s_.variants[v];
        if (s_.models[variant.model].platform == platform && Contains(l.powertrains, variant.powertrain) &&
            !Contains(r_.excluded_brands, BrandOf(static_cast<int>(v))) &&
            (!variant.has_launch || t >= variant.launch_month) &&
            Allowed(l.plant, static_cast<int>(v), Year(t))) {
          return t;
        }
      }
    }
    return ready;
  }

  // Ramp-up caps: in month j from a retooling's ramp start (the ready
  // month, or the first month after it in which the line may build a car
  // of the platform at all) the new
  // platform's cars on the line, and in month j from a variant's launch
  // each line's cars of the variant, are at most ramp_up[j] of the line's
  // cars at its maximum regular shifts; no car of a variant before its launch.
  void CheckRampUps() {
    auto regular = [&](int l, int t) { return CarsPerShiftMonth(l, t) * s_.lines[l].max_shifts_per_day; };
    for (const auto& e : p_.retooling) {
      for (const auto& option : s_.lines[e.line].retooling) {
        if (option.platform != e.platform) continue;
        const int start = RampStart(e.line, e.platform, e.month + option.lead_time_months);
        for (size_t j = 0; j < option.ramp_up.size(); ++j) {
          const int t = start + static_cast<int>(j);
          if (t >= n_) break;
          double cars = 0;
          for (size_t i : line_entries_[e.line * n_ + t]) {
            const auto& entry = p_.production[i];
            if (s_.models[s_.variants[entry.variant].model].platform == e.platform) cars += entry.units;
          }
          const double cap = option.ramp_up[j] * regular(e.line, t);
          if (cars > cap + 0.01 + 1e-7 * cap) {
            Fail(
                "line {} month {}: {:.2f} cars of platform {} exceed its ramp-up cap of {:.2f} ({:g}% of the "
                "line's capacity in month {} of its ramp-up after the retooling)",
                s_.lines[e.line].id, Mon(t), cars, s_.platforms[e.platform].id, cap, option.ramp_up[j] * 100,
                j + 1);
          }
        }
      }
    }
    for (const auto& [key, cars] : line_variant_) {
      const auto [l, v, t] = key;
      const auto& variant = s_.variants[v];
      if (!variant.has_launch || cars <= 0.01) continue;
      const int j = t - variant.launch_month;
      if (j < 0) {
        Fail("line {} month {}: {:.2f} cars of {} built before its launch in {}", s_.lines[l].id, Mon(t),
             cars, variant.id, model::ToString(s_.horizon.MonthAt(variant.launch_month)));
      } else if (j < static_cast<int>(variant.launch_ramp_up.size())) {
        const double share = variant.launch_ramp_up[static_cast<size_t>(j)];
        const double cap = share * regular(l, t);
        if (cars > cap + 0.01 + 1e-7 * cap) {
          Fail(
              "line {} month {}: {:.2f} cars of {} exceed its launch ramp-up cap of {:.2f} ({:g}% of the "
              "line's "
              "capacity in month {} from its launch)",
              s_.lines[l].id, Mon(t), cars, variant.id, cap, share * 100, j + 1);
        }
      }
    }
  }

  // Share limits: a powertrain's cars within its share of the line's month.
  void CheckShareLimits() {
    for (size_t l = 0; l < s_.lines.size(); ++l) {
      for (int t = 0; t < n_; ++t) {
        const double used = line_cars_[l * n_ + t];
        for (const auto& limit : s_.lines[l].share_limits) {
          const double share_cars = line_powertrain_cars_[(l * n_ + t) * model::kAllPowertrains.size() +
                                                          static_cast<size_t>(limit.powertrain)];
          if (share_cars > limit.max_share * used + 0.01 + 1e-7 * used) {
            Fail("line {} month {}: {} share {:.2f} of {:.2f} cars exceeds {:.0f}%", s_.lines[l].id, Mon(t),
                 model::ToString(limit.powertrain), share_cars, used, limit.max_share * 100);
          }
        }
      }
    }
  }

  // A high-priority station (N in P cars with an option) can take at most
  // N/P of the line's month, less N(P-N)/(P d) a car, d the cars of one
  // shift a day (the worst previous-day tail costs a day N(P-N)/P option
  // cars): cars with the option, by the variants' take rates.
  void CheckStationLoads() {
    for (size_t l = 0; l < s_.lines.size(); ++l) {
      const auto& line = s_.lines[l];
      // Frozen months are the baseline's cars, checked when it was made
      // (possibly under an older rule); the planner has no station rows there.
      const int first = r_.baseline != nullptr ? std::max(0, r_.frozen_months) : 0;
      for (int t = first; t < n_; ++t) {
        const double used = line_cars_[l * n_ + t];
        // One shift-day's cars at the line's own rate: an event's
        // availability removes days, it does not slow the days that run.
        const double shift_day_cars = line.rate_jph * line.hours_per_shift * line.availability;
        for (const auto& station : line.stations) {
          if (!station.high_priority || station.max_cars >= station.window_cars) continue;
          double option_cars = 0;
          for (size_t i : line_entries_[l * n_ + t]) {
            const auto& e = p_.production[i];
            for (const auto& o : s_.variants[e.variant].options) {
              if (o.option == station.option) option_cars += e.units * o.share;
            }
          }
          const double n = station.max_cars;
          const double p = station.window_cars;
          const double per_car = shift_day_cars > 0 ? n * (p - n) / (p * shift_day_cars) : 0;
          const double cap = used * std::max(0.0, n / p - per_car);
          if (option_cars > cap + 0.01 + 1e-7 * used) {
            Fail(
                "line {} month {}: station {} gets {:.2f} cars with {} of {:.2f}, more than {:.2f} "
                "({} in {} less {:.4f} a car for the days' ends)",
                line.id, Mon(t), station.id, option_cars, station.option, used, cap, station.max_cars,
                station.window_cars, per_car);
          }
        }
      }
    }
  }

  // The route a car takes from a plant to a market: the lowest freight, then
  // the shortest transit; -1 when none.
  int RouteOf(int plant, int market) const {
    int best = -1;
    for (size_t i = 0; i < s_.routes.size(); ++i) {
      const auto& r = s_.routes[i];
      if (r.plant != plant || r.market != market) continue;
      if (best < 0 || r.freight_cost_per_car_gbp < s_.routes[best].freight_cost_per_car_gbp ||
          (r.freight_cost_per_car_gbp == s_.routes[best].freight_cost_per_car_gbp &&
           r.transit_days < s_.routes[best].transit_days)) {
        best = static_cast<int>(i);
      }
    }
    return best;
  }

  size_t DemandCell(int v, int k, int t) const {
    return (static_cast<size_t>(v) * s_.markets.size() + k) * n_ + t;
  }

  // Months from building to selling over `days` of transit
  // (docs/planning-model.md, "Transit in days"): whole months rounded up,
  // or, mid-month, the month in which a car built on the 15th arrives.
  int TransitLag(int days) const {
    if (days <= 0) return 0;
    if (s_.settings.transit_rule == model::TransitRule::kMidMonth) return (days + 15) / 30;
    return (days + 29) / 30;
  }

  // Demand the plan must serve: the scenario's (none for an excluded
  // brand) less the initial pipeline's arrivals, never below zero.
  void ComputeOpenDemand() {
    const model::DemandTable open = s_.OpenDemand();
    open_demand_.assign(s_.variants.size() * s_.markets.size() * n_, 0.0);
    for (size_t v = 0; v < s_.variants.size(); ++v) {
      if (Contains(r_.excluded_brands, BrandOf(static_cast<int>(v)))) continue;
      for (size_t k = 0; k < s_.markets.size(); ++k) {
        for (int t = 0; t < n_; ++t) {
          open_demand_[DemandCell(static_cast<int>(v), static_cast<int>(k), t)] =
              open.at(static_cast<int>(v), static_cast<int>(k), t);
        }
      }
    }
  }

  // Shipments: along a route, arriving after its transit, into a market
  // that sells the variant. Sums what each plant ships and what each
  // market receives.
  void CheckShipments() {
    arrived_.assign(s_.variants.size() * s_.markets.size() * n_, 0.0);
    for (const auto& e : p_.shipments) {
      const int r = RouteOf(e.plant, e.market);
      const std::string where = fmt::format("shipment {} -> {} of {} in {}", s_.plants[e.plant].id,
                                            s_.markets[e.market].id, s_.variants[e.variant].id, Mon(e.month));
      if (r < 0) {
        Fail("{}: no route", where);
        continue;
      }
      const int lag = TransitLag(s_.routes[r].transit_days);
      if (e.arrival_month != e.month + lag) {
        Fail("{}: arrives in month {} but the route takes {} months", where, e.arrival_month, lag);
      }
      const auto& prices = s_.variants[e.variant].price_gbp;
      if (e.market >= static_cast<int>(prices.size()) || prices[e.market] <= 0) {
        Fail("{}: the variant is not sold in that market", where);
      }
      shipped_[{e.plant, e.variant, e.month}] += e.units;
      if (e.arrival_month < n_) {
        arrived_[DemandCell(e.variant, e.market, e.arrival_month)] += e.units;
      } else {
        tail_arrived_[{e.variant, e.market, e.arrival_month}] += e.units;
      }
    }
  }

  // The horizon's end (docs/planning-model.md, "The horizon's end"): cars
  // arriving after the horizon only with `horizon_end_value: margin`, and in
  // each month after it at most the estimated demand, the scenario's demand
  // of the same calendar month in the horizon's last year.
  void CheckTail() {
    for (const auto& [key, units] : tail_arrived_) {
      const auto [v, k, a] = key;
      const std::string where = fmt::format("{} in {} arriving {} (after the horizon)", s_.variants[v].id,
                                            s_.markets[k].id, Mon(a));
      if (s_.settings.horizon_end_value != model::HorizonEndValue::kMargin) {
        Fail("{}: {:.2f} cars, but settings.horizon_end_value is not margin", where, units);
        continue;
      }
      int same = a - 12;
      while (same >= n_) same -= 12;
      const double estimate = same >= 0 ? s_.demand.at(v, k, same) : 0.0;
      if (Contains(r_.excluded_brands, BrandOf(v)) || units > estimate + 0.01 + 1e-7 * estimate) {
        Fail("{}: {:.2f} cars, above the estimated demand {:.2f}", where, units, estimate);
      }
    }
  }

  // Finished-goods stock (docs/planning-model.md, "Finished-goods stock"):
  // only at plants with a `stock:` block, never of an excluded brand, whole
  // or fractional like every other entry, within max_cars_per_variant and,
  // over all variants, max_cars at every month's end.
  void CheckStock() {
    std::map<std::pair<int, int>, double> plant_total;  // (plant, month)
    for (const auto& e : p_.stock) {
      const std::string where = fmt::format("stock of {} at {} end of {}", s_.variants[e.variant].id,
                                            s_.plants[e.plant].id, Mon(e.month));
      const model::PlantStock* stock = s_.StockAt(e.plant);
      if (stock == nullptr) {
        Fail("{}: the plant has no stock block", where);
        continue;
      }
      if (Contains(r_.excluded_brands, BrandOf(e.variant))) Fail("{}: the brand is excluded", where);
      if (e.units > stock->max_cars_per_variant + 0.01) {
        Fail("{}: {:.2f} cars, above max_cars_per_variant {}", where, e.units, stock->max_cars_per_variant);
      }
      stock_[{e.plant, e.variant, e.month}] += e.units;
      plant_total[{e.plant, e.month}] += e.units;
    }
    for (const auto& [key, units] : plant_total) {
      const model::PlantStock* stock = s_.StockAt(key.first);
      if (stock != nullptr && units > stock->max_cars + 0.01) {
        Fail("stock at {} end of {}: {:.2f} cars, above max_cars {}", s_.plants[key.first].id,
             Mon(key.second), units, stock->max_cars);
      }
    }
    stock_total_ = std::move(plant_total);
  }

  double StockOf(int plant, int variant, int month) const {
    if (month < 0) {
      const model::PlantStock* stock = s_.StockAt(plant);
      if (stock == nullptr || Contains(r_.excluded_brands, BrandOf(variant))) return 0;
      for (const auto& initial : stock->initial) {
        if (initial.variant == variant) return initial.units;
      }
      return 0;
    }
    const auto it = stock_.find({plant, variant, month});
    return it == stock_.end() ? 0.0 : it->second;
  }

  // Plant balance: what a plant builds of a variant in a month and the stock
  // it carries in (the initial stock in the first month), it ships or
  // carries out: sum_l y + I(t-1) = sum_k x + I(t).
  void CheckPlantBalance() {
    std::set<std::tuple<int, int, int>> keys;
    for (const auto& [k, u] : shipped_) keys.insert(k);
    for (const auto& [k, u] : plant_output_) keys.insert(k);
    for (const auto& [k, u] : stock_) {
      keys.insert(k);
      if (std::get<2>(k) + 1 < n_) keys.insert({std::get<0>(k), std::get<1>(k), std::get<2>(k) + 1});
    }
    for (const auto& stock : s_.stock) {
      for (const auto& initial : stock.initial) keys.insert({stock.plant, initial.variant, 0});
    }
    for (const auto& key : keys) {
      const auto [plant, variant, month] = key;
      const double made = plant_output_.count(key) ? plant_output_.at(key) : 0.0;
      const double sent = shipped_.count(key) ? shipped_.at(key) : 0.0;
      const double in = StockOf(plant, variant, month - 1);
      const double out = StockOf(plant, variant, month);
      if (!Close(made + in, sent + out, made + in)) {
        Fail(
            "plant {} variant {} month {}: built {:.2f} with {:.2f} in stock but shipped {:.2f} and kept "
            "{:.2f}",
            s_.plants[plant].id, s_.variants[variant].id, Mon(month), made, in, sent, out);
      }
    }
  }

  // Backlog only under a backlog rule, never past the horizon, and no older
  // than the rule allows: carried at t must not exceed the demand of the
  // last max_months months.
  void CheckBacklog() {
    carried_.assign(s_.variants.size() * s_.markets.size() * n_, 0.0);
    for (const auto& e : p_.backlog) {
      carried_[DemandCell(e.variant, e.market, e.month)] += e.units;
      if (levers_.backlog.max_months <= 0) {
        Fail("backlog of {} in {} without a backlog rule", s_.variants[e.variant].id, Mon(e.month));
      }
      if (e.month == n_ - 1) Fail("backlog of {} carried past the horizon", s_.variants[e.variant].id);
    }
    if (levers_.backlog.max_months <= 0) return;
    for (const auto& e : p_.backlog) {
      double window = 0;
      for (int tau = std::max(0, e.month - levers_.backlog.max_months + 1); tau <= e.month; ++tau) {
        window += open_demand_[DemandCell(e.variant, e.market, tau)];
      }
      if (e.units > window + 0.01) {
        Fail("backlog of {} in {} waits longer than {} months", s_.variants[e.variant].id, Mon(e.month),
             levers_.backlog.max_months);
      }
    }
  }

  // Demand: open demand (after the initial pipeline) plus the backlog
  // carried in equals arrivals, unmet and the backlog carried on, in every
  // (variant, market, month).
  void CheckDemandBalance() {
    std::vector<double> unmet(arrived_.size(), 0.0);
    for (const auto& e : p_.unmet) unmet[DemandCell(e.variant, e.market, e.month)] += e.units;
    for (size_t v = 0; v < s_.variants.size(); ++v) {
      for (size_t k = 0; k < s_.markets.size(); ++k) {
        for (int t = 0; t < n_; ++t) {
          const size_t c = DemandCell(static_cast<int>(v), static_cast<int>(k), t);
          const double demand = open_demand_[c];
          const double inflow = demand + (t > 0 ? carried_[c - 1] : 0.0);
          const double outflow = arrived_[c] + unmet[c] + carried_[c];
          if (!Close(inflow, outflow, inflow)) {
            Fail(
                "demand {} in {} {}: {:.2f} demanded (with backlog) but {:.2f} supplied + {:.2f} unmet + "
                "{:.2f} carried",
                s_.variants[v].id, s_.markets[k].id, Mon(t), inflow, arrived_[c], unmet[c], carried_[c]);
          }
        }
      }
    }
  }

  void CheckContracts() {
    std::map<std::pair<int, int>, double> volume;  // (contract, year)
    for (const auto& [key, units] : plant_output_) {
      const int year = Year(std::get<2>(key));
      for (int c : Contracts(std::get<0>(key), std::get<1>(key), year)) volume[{c, year}] += units;
    }
    std::map<std::pair<int, int>, double> shortfall;
    std::set<std::pair<int, int>> committed;  // (contract, year) with a minimum
    for (const auto& e : p_.contract_shortfalls) shortfall[{e.contract, e.year}] += e.units;
    for (size_t c = 0; c < s_.contracts.size(); ++c) {
      const auto& k = s_.contracts[c];
      for (int year : s_.horizon.Years()) {
        if ((k.first_year != 0 && year < k.first_year) || (k.last_year != 0 && year > k.last_year)) continue;
        int months = 0;
        for (int t = 0; t < n_; ++t) months += Year(t) == year;
        const double built =
            volume.count({static_cast<int>(c), year}) ? volume.at({static_cast<int>(c), year}) : 0;
        // Pro rata in whole cars: the minimum rounded up, the maximum down.
        const double min_units = std::ceil(k.min_units_per_year * months / 12.0 - 1e-9);
        const double max_units = std::floor(k.max_units_per_year * months / 12.0 + 1e-9);
        if (min_units > 0) committed.insert({static_cast<int>(c), year});
        if (k.max_units_per_year > 0 && built > max_units + 0.01 + 1e-7 * max_units) {
          Fail("contract {} {}: {:.2f} cars exceed the maximum {:.2f}", k.id, year, built, max_units);
        }
        const double short_units =
            shortfall.count({static_cast<int>(c), year}) ? shortfall.at({static_cast<int>(c), year}) : 0;
        if (built + short_units < min_units - 0.01 - 1e-7 * min_units) {
          Fail("contract {} {}: {:.2f} cars plus {:.2f} reported shortfall are below the minimum {:.2f}",
               k.id, year, built, short_units, min_units);
        }
        if (short_units > std::max(0.0, min_units - built) + 0.01 + 1e-7 * min_units) {
          Fail("contract {} {}: reported shortfall {:.2f} exceeds the real one {:.2f}", k.id, year,
               short_units, std::max(0.0, min_units - built));
        }
      }
    }
    std::set<std::pair<int, int>> listed;
    for (const auto& e : p_.contract_shortfalls) {
      if (!listed.insert({e.contract, e.year}).second) {
        Fail("contract {} {}: shortfall listed twice", s_.contracts[e.contract].id, e.year);
      }
      if (e.units > 0 && !committed.count({e.contract, e.year})) {
        Fail("contract {} {}: shortfall of {:.2f} cars reported in a year without a committed minimum",
             s_.contracts[e.contract].id, e.year, e.units);
      }
    }
  }

  void CheckSupplyCaps() {
    for (const auto& cap : r_.supply_caps) {
      std::vector<double> used(n_, 0.0);
      for (const auto& [key, units] : plant_output_) {
        if (!cap.plants.empty() && !Contains(cap.plants, std::get<0>(key))) continue;
        if (!cap.powertrains.empty() && !Contains(cap.powertrains, s_.variants[std::get<1>(key)].powertrain))
          continue;
        used[std::get<2>(key)] += units;
      }
      for (int t = 0; t < n_ && t < static_cast<int>(cap.units_per_month.size()); ++t) {
        if (used[t] > cap.units_per_month[t] + 0.01) {
          Fail("supply cap {} in {}: {:.2f} used of {:.2f}", cap.name, Mon(t), used[t],
               cap.units_per_month[t]);
        }
      }
    }
  }

  void CheckFrozen() {
    if (r_.baseline == nullptr || r_.frozen_months <= 0) return;
    std::map<std::tuple<int, int, int>, double> base;
    for (const auto& e : r_.baseline->production) {
      if (e.month < r_.frozen_months) base[{e.line, e.variant, e.month}] += e.units;
    }
    std::map<std::tuple<int, int, int>, double> mine;
    for (const auto& [key, units] : line_variant_) {
      if (std::get<2>(key) < r_.frozen_months) mine[key] = units;
    }
    std::set<std::tuple<int, int, int>> keys;
    for (const auto& [k, u] : base) keys.insert(k);
    for (const auto& [k, u] : mine) keys.insert(k);
    for (const auto& key : keys) {
      const double a = base.count(key) ? base.at(key) : 0.0;
      const double b = mine.count(key) ? mine.at(key) : 0.0;
      if (!Close(a, b, a)) {
        Fail("frozen month {}: line {} variant {} builds {:.2f}, baseline {:.2f}", Mon(std::get<2>(key)),
             s_.lines[std::get<0>(key)].id, s_.variants[std::get<1>(key)].id, b, a);
      }
    }
  }

  // Money over time (docs/planning-model.md, "Present value and tooling
  // life"): a cash flow of month t is worth (1 + r)^(-t/12) at the horizon
  // start.
  double Discount(int t) const {
    const double r = s_.settings.discount_rate_per_year;
    return r == 0 ? 1.0 : std::pow(1.0 + r, -t / 12.0);
  }

  // A car of v at plant p (docs/planning-model.md, "Costs by plant and
  // kits"): its cost there (the plant's, else the variant's), or from a
  // kit: kit + assembly, with the kit's freight and its duty (the host
  // market's tariff on parts from the kit plant's country, no rules of
  // origin) in month t.
  struct CarCost {
    double cost = 0;
    double kit_freight = 0;
    double kit_duty = 0;
    double local_content = -1;  // in the plant's country for a kit-built car; -1: the variant's
  };
  CarCost CostOfCar(int p, int v, int t) const {
    CarCost out;
    const auto& variant = s_.variants[v];
    out.cost = variant.unit_variable_cost_gbp;
    for (const auto& pc : variant.plant_costs)
      if (pc.plant == p) out.cost = pc.unit_variable_cost_gbp;
    for (const auto& kit : s_.kits) {
      if (kit.host_plant != p || kit.variant != v) continue;
      out.cost = kit.kit_cost_gbp + kit.assembly_cost_gbp;
      out.kit_freight = kit.freight_per_kit_gbp;
      out.local_content = out.cost > 0 ? kit.assembly_cost_gbp / out.cost : 0.0;
      const std::string& from = s_.plants[kit.from_plant].country;
      const std::string& host = s_.plants[p].country;
      double rate = 0;
      for (size_t k = 0; k < s_.markets.size(); ++k) {
        if (!Contains(s_.markets[k].countries, host)) continue;
        if (!Contains(s_.markets[k].countries, from)) {
          int best = 0;
          for (const auto& tariff : s_.tariffs) {
            if (tariff.market != static_cast<int>(k) || tariff.origin_country != from || !tariff.HoldsIn(t))
              continue;
            const int rank =
                tariff.powertrains.empty() ? 1 : (Contains(tariff.powertrains, variant.powertrain) ? 2 : 0);
            if (rank > best) {
              best = rank;
              rate = tariff.rate;
            }
          }
        }
        break;
      }
      out.kit_duty = rate * (kit.kit_cost_gbp + kit.freight_per_kit_gbp);
    }
    return out;
  }

  // Duty on a car of v from plant p into market k (see docs/planning-model.md).
  double Duty(int p, int v, int k, int arrival_month, double customs_value) const {
    const std::string& country = s_.plants[p].country;
    if (Contains(s_.markets[k].countries, country)) return 0;
    const auto& variant = s_.variants[v];
    double local = 0;
    for (const auto& lc : variant.local_content)
      if (lc.country == country) local = lc.share;
    const double kit_local = CostOfCar(p, v, arrival_month).local_content;
    if (kit_local >= 0) local = kit_local;
    auto rank = [&](const std::vector<model::Powertrain>& list) {
      if (list.empty()) return 1;
      return Contains(list, variant.powertrain) ? 2 : 0;
    };
    int best = 0;
    double rate = 0;
    for (const auto& rule : s_.local_content_rules) {
      if (rule.market != k || rule.origin_country != country || local + 1e-12 < rule.min_local_content)
        continue;
      if (rank(rule.powertrains) > best) {
        best = rank(rule.powertrains);
        rate = rule.preferential_rate;
      }
    }
    if (best == 0) {
      for (const auto& tariff : s_.tariffs) {
        if (tariff.market != k || tariff.origin_country != country || !tariff.HoldsIn(arrival_month))
          continue;
        if (rank(tariff.powertrains) > best) {
          best = rank(tariff.powertrains);
          rate = tariff.rate;
        }
      }
    }
    return rate * customs_value;
  }

  // Sales money per company (docs/planning-model.md, "Per-company
  // contribution"): the owner books price, variable cost, freight and duty
  // of every car shipped; every covering contract's fee moves from owner to
  // host.
  void RecomputeSales() {
    auto& out = report_.contributions;
    out.assign(s_.companies.size(), {});
    present_.assign(s_.companies.size(), 0.0);
    for (size_t i = 0; i < out.size(); ++i) out[i].company = static_cast<int>(i);
    for (const auto& e : p_.shipments) {
      const int r = RouteOf(e.plant, e.market);
      if (r < 0) continue;
      const auto& v = s_.variants[e.variant];
      const double freight = s_.routes[r].freight_cost_per_car_gbp;
      const double price = e.market < static_cast<int>(v.price_gbp.size()) ? v.price_gbp[e.market] : 0;
      auto& o = out[Owner(e.variant)];
      const CarCost car = CostOfCar(e.plant, e.variant, e.month);
      const double car_duty = Duty(e.plant, e.variant, e.market, e.arrival_month,
                                   car.cost + car.kit_freight + car.kit_duty + freight);
      o.units_sold += e.units;
      o.revenue_gbp += e.units * price;
      o.variable_cost_gbp += e.units * car.cost;
      o.freight_gbp += e.units * (freight + car.kit_freight);
      o.duty_gbp += e.units * (car_duty + car.kit_duty);
      // Sale and import at the arrival month; the car's costs, freight and
      // the kit's duty when it leaves the plant.
      present_[Owner(e.variant)] +=
          e.units * ((price - car_duty) * Discount(e.arrival_month) -
                     (car.cost + freight + car.kit_freight + car.kit_duty) * Discount(e.month));
      for (int c : Contracts(e.plant, e.variant, Year(e.month))) {
        const double fee = e.units * s_.contracts[c].fee_per_car_gbp;
        o.fee_paid_gbp += fee;
        out[s_.plants[e.plant].company].fee_income_gbp += fee;
        present_[Owner(e.variant)] -= fee * Discount(e.month);
        present_[s_.plants[e.plant].company] += fee * Discount(e.month);
      }
    }
  }

  // Shift cost of the plant's company: regular and extra shifts on every
  // working day, weekend days at the line's maximum shifts, at their premiums.
  void RecomputeShiftCost() {
    for (const auto& e : p_.shifts) {
      const auto& line = s_.lines[e.line];
      const double shift = line.fixed_cost_per_shift_gbp;
      const double cost =
          shift * s_.plants[line.plant].calendar.working_days[e.month] *
              (e.shifts_per_day + e.extra_shifts_per_day * (1 + levers_.extra_shift_premium)) +
          shift * line.max_shifts_per_day * e.weekend_days * (1 + levers_.weekend_premium);
      report_.contributions[s_.plants[line.plant].company].shift_cost_gbp += cost;
      present_[s_.plants[line.plant].company] -= cost * Discount(e.month);
    }
  }

  // Shift changes of the plant's company, from CheckShiftChanges.
  void RecomputeShiftChangeCost() {
    for (size_t l = 0; l < s_.lines.size(); ++l) {
      const int company = s_.plants[s_.lines[l].plant].company;
      report_.contributions[company].shift_change_cost_gbp += change_cost_[l];
      present_[company] -= change_cost_pv_[l];
    }
  }

  // Retooling cost of the plant's company, once per retooling, in the
  // month decided: the whole cost, or with a tooling life the share of it
  // used from the month the line is ready to the horizon's end.
  void RecomputeRetoolingCost() {
    for (const auto& e : p_.retooling) {
      const auto& line = s_.lines[e.line];
      for (const auto& option : line.retooling) {
        if (option.platform == e.platform) {
          double cost = option.cost_gbp;
          if (option.tooling_life_years > 0) {
            const double used_months = std::max(0, n_ - e.month - option.lead_time_months);
            cost *= std::min(1.0, used_months / (12.0 * option.tooling_life_years));
          }
          report_.contributions[s_.plants[line.plant].company].retooling_cost_gbp += cost;
          present_[s_.plants[line.plant].company] -= cost * Discount(e.month);
          break;
        }
      }
    }
  }

  // Penalties (not cash): unmet demand and contract shortfall at the unmet
  // penalty, backlog at its delay cost, deviation from a replan's baseline.
  void RecomputePenalties() {
    double penalties = 0;
    const double rho = s_.settings.unmet_penalty_gbp_per_car;
    for (const auto& e : p_.unmet) penalties += rho * e.units;
    for (const auto& e : p_.contract_shortfalls) penalties += rho * e.units;
    for (const auto& e : p_.backlog) penalties += levers_.backlog.delay_cost_gbp_per_car_month * e.units;
    if (r_.baseline != nullptr && r_.stability_penalty_gbp_per_car > 0) {
      std::map<std::tuple<int, int, int>, double> diff;
      for (const auto& e : r_.baseline->production) {
        if (e.month >= r_.frozen_months) diff[{e.line, e.variant, e.month}] -= e.units;
      }
      for (const auto& [key, units] : line_variant_) {
        if (std::get<2>(key) >= r_.frozen_months) diff[key] += units;
      }
      for (const auto& [key, d] : diff) penalties += r_.stability_penalty_gbp_per_car * std::abs(d);
    } else {
      // Without its baseline a replan's stability penalty cannot be
      // recomputed: it is taken as the plan states it.
      penalties += p_.basis.stability_penalty_gbp;
    }
    report_.penalties_gbp = penalties;
  }

  // Holding cost, paid by the car's owner for every car at a month's end,
  // and the safety stock's penalty for every car a plant's stock falls short
  // of it at a month's end (docs/planning-model.md, "Finished-goods stock").
  void RecomputeStockMoney() {
    for (const auto& e : p_.stock) {
      const model::PlantStock* stock = s_.StockAt(e.plant);
      if (stock == nullptr) continue;
      const double cost = e.units * stock->holding_cost_gbp_per_car_month;
      report_.contributions[Owner(e.variant)].holding_cost_gbp += cost;
      present_[Owner(e.variant)] -= cost * Discount(e.month);
    }
    for (const auto& stock : s_.stock) {
      if (stock.safety_stock_cars <= 0) continue;
      for (int t = 0; t < n_; ++t) {
        const auto it = stock_total_.find({stock.plant, t});
        const double held = it == stock_total_.end() ? 0.0 : it->second;
        report_.penalties_gbp +=
            std::max(0.0, stock.safety_stock_cars - held) * stock.safety_stock_penalty_gbp_per_car_month;
      }
    }
  }

  // The contributions, penalties and objective the plan states against the
  // recomputed ones.
  void CompareMoney() {
    auto& out = report_.contributions;
    double total = 0;
    for (auto& c : out) {
      c.contribution_gbp = c.revenue_gbp - c.variable_cost_gbp - c.freight_gbp - c.duty_gbp +
                           c.fee_income_gbp - c.fee_paid_gbp - c.shift_cost_gbp - c.shift_change_cost_gbp -
                           c.retooling_cost_gbp - c.holding_cost_gbp;
      // Without a discount rate the present value is the nominal figure.
      c.contribution_pv_gbp =
          s_.settings.discount_rate_per_year == 0 ? c.contribution_gbp : present_[c.company];
      total += c.contribution_pv_gbp;
    }
    report_.objective_gbp = total - report_.penalties_gbp;
    if (p_.contributions.size() != out.size()) {
      Fail("the plan lists {} company contributions, the scenario has {} companies", p_.contributions.size(),
           out.size());
    } else {
      for (size_t i = 0; i < out.size(); ++i) CheckContribution(p_.contributions[i], out[i]);
    }
    if (!MoneyClose(p_.penalties_gbp, report_.penalties_gbp)) {
      Fail("penalties: plan says {:.2f}, recomputed {:.2f}", p_.penalties_gbp, report_.penalties_gbp);
    }
    if (!MoneyClose(p_.objective_gbp, report_.objective_gbp)) {
      Fail("objective: plan says {:.2f}, recomputed {:.2f}", p_.objective_gbp, report_.objective_gbp);
    }
  }

  // The deal rules (docs/planning-model.md, "Participation and host-first"),
  // against the floors the plan records from its plan without the contract:
  // every company's contribution in present value, as recomputed above from
  // the cars and the scenario's terms, at least its floor (to GBP 1); the
  // host's own-brand cars, summed here from the production entries, at least
  // its floor in each covered plant and year. A scenario whose settings name
  // a rule needs the plan to record that rule's floors.
  void CheckDealRules() {
    const DealFloors& f = p_.basis.deal_floors;
    const model::PlanSettings& set = s_.settings;
    if (set.participation_contract >= 0 && f.contribution_pv_gbp.empty()) {
      Fail(
          "settings.participation names contract {}, but the plan records no participation floors (a plan "
          "made without the rule; plan it with cobuild plan or cobuild deal)",
          s_.contracts[set.participation_contract].id);
    }
    if (set.host_first_contract >= 0 && f.host_output.empty()) {
      Fail(
          "settings.host_first names contract {}, but the plan records no host-first floors (a plan made "
          "without the rule; plan it with cobuild plan or cobuild deal)",
          s_.contracts[set.host_first_contract].id);
    }
    if (f.empty()) return;
    if (!In(f.contract, s_.contracts.size())) {
      Fail("deal floors: contract index {} is out of range", f.contract);
      return;
    }
    const model::Contract& k = s_.contracts[f.contract];
    if (Contains(p_.basis.excluded_contracts, f.contract)) {
      Fail("deal floors of contract {} in a plan without that contract", k.id);
    }
    if (!f.contribution_pv_gbp.empty()) {
      if (f.contribution_pv_gbp.size() != s_.companies.size()) {
        Fail("participation floors: {} given, the scenario has {} companies", f.contribution_pv_gbp.size(),
             s_.companies.size());
      } else {
        for (const auto& c : report_.contributions) {
          const double floor = f.contribution_pv_gbp[c.company];
          // The rows hold to the solver's and the whole-car rounding's
          // tolerance, a millionth of the row's size (docs/planning-model.md).
          if (!std::isfinite(floor) ||
              c.contribution_pv_gbp < floor - std::max(kMoneyTolerance, kFloorTolerance * std::abs(floor))) {
            Fail(
                "participation ({}): company {} contributes {:.2f} in present value, below {:.2f} without "
                "the deal",
                k.id, s_.companies[c.company].id, c.contribution_pv_gbp, floor);
          }
        }
      }
    }
    std::map<std::pair<int, int>, double> own;  // (plant, year) -> the host's own-brand cars
    for (const auto& e : p_.production) {
      if (Owner(e.variant) == k.host) own[{s_.lines[e.line].plant, Year(e.month)}] += e.units;
    }
    for (const OutputFloor& floor : f.host_output) {
      if (!In(floor.plant, s_.plants.size()) || s_.plants[floor.plant].company != k.host) {
        Fail("host-first floor: plant index {} is not a plant of contract {}'s host", floor.plant, k.id);
        continue;
      }
      const auto it = own.find({floor.plant, floor.year});
      const double built = it == own.end() ? 0.0 : it->second;
      if (!std::isfinite(floor.units) || built < floor.units - 1e-6) {
        Fail("host-first ({}): {} builds {:.2f} of its own cars at {} in {}, below {:.2f} without the deal",
             k.id, s_.companies[k.host].id, built, s_.plants[floor.plant].id, floor.year, floor.units);
      }
    }
  }

  // Every figure of a company's breakdown, not only its total: a cost
  // booked under the wrong heading or a fee booked to the wrong company
  // leaves the totals right.
  void CheckContribution(const CompanyContribution& said, const CompanyContribution& real) {
    const std::string& id = s_.companies[real.company].id;
    if (said.company != real.company) {
      Fail("company {}: listed as company index {} in position {}", id, said.company, real.company);
    }
    if (!Close(said.units_sold, real.units_sold, real.units_sold)) {
      Fail("company {}: plan says {:.2f} cars sold, recomputed {:.2f}", id, said.units_sold, real.units_sold);
    }
    const std::pair<const char*, double CompanyContribution::*> figures[] = {
        {"revenue", &CompanyContribution::revenue_gbp},
        {"variable cost", &CompanyContribution::variable_cost_gbp},
        {"freight", &CompanyContribution::freight_gbp},
        {"duty", &CompanyContribution::duty_gbp},
        {"fee income", &CompanyContribution::fee_income_gbp},
        {"fees paid", &CompanyContribution::fee_paid_gbp},
        {"shift cost", &CompanyContribution::shift_cost_gbp},
        {"shift change cost", &CompanyContribution::shift_change_cost_gbp},
        {"retooling cost", &CompanyContribution::retooling_cost_gbp},
        {"holding cost", &CompanyContribution::holding_cost_gbp},
        {"contribution", &CompanyContribution::contribution_gbp},
        {"contribution (present value)", &CompanyContribution::contribution_pv_gbp},
    };
    for (const auto& [name, field] : figures) {
      if (!MoneyClose(said.*field, real.*field)) {
        Fail("company {}: plan says {} {:.2f}, recomputed {:.2f}", id, name, said.*field, real.*field);
      }
    }
  }

  const model::Scenario& s_;
  const Plan& p_;
  const PlanRequest& r_;
  const Levers levers_;
  const int n_;
  CheckReport report_;
  size_t num_violations_ = 0;
  std::vector<int> shifts_;
  std::vector<int> extra_;
  std::vector<int> weekend_;
  std::vector<double> change_cost_pv_;             // [line]: the same in present value
  std::vector<double> change_cost_;                // [line]: shifts added and removed, at the line's rule
  std::vector<double> line_cars_;                  // [line * n + month]
  std::vector<double> line_powertrain_cars_;       // [(line * n + month) * powertrains + powertrain]
  std::vector<std::vector<size_t>> line_entries_;  // production entry indices by line and month
  std::vector<double> arrived_;                    // [DemandCell]: cars arriving
  std::vector<double> carried_;                    // [DemandCell]: backlog carried on
  std::vector<double> open_demand_;                // [DemandCell]: demand less the initial pipeline
  std::map<std::tuple<int, int, int>, double> shipped_;       // (plant, variant, month)
  std::map<std::tuple<int, int, int>, double> line_variant_;  // (line, variant, month)
  std::map<std::tuple<int, int, int>, double> plant_output_;  // (plant, variant, month)
  // [company]: contribution in present value; every cash flow recomputed
  // above adds here too, discounted from its month.
  std::vector<double> present_;
  std::map<std::tuple<int, int, int>, double> stock_;         // (plant, variant, month): end stock
  std::map<std::tuple<int, int, int>, double> tail_arrived_;  // (variant, market, month after the horizon)
  std::map<std::pair<int, int>, double> stock_total_;         // (plant, month): over all variants
};

}  // namespace

CheckReport CheckPlan(const model::Scenario& scenario, const Plan& plan, const PlanRequest& request) {
  return Checker(scenario, plan, request).Run();
}

}  // namespace cobuild::plan
