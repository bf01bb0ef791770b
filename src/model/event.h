// Disruptions and what-ifs: events that change a scenario's capacity,
// supply, tariffs, demand or contracts over a span of dates, the weights a
// replan uses, and the distributions a risk analysis draws events from.
//
// Events are declared in a scenario's `events:` list or given on the command
// line (docs/scenario-format.md, "Events, replanning and risk"); src/replan
// applies them to a copy of the scenario and a plan request.
//
//   Event e{.kind = EventKind::kOutage, .from = {2026, 10, 5}, .to = {2026, 11, 8},
//           .plants = {halewood}};
//   std::vector<int> lines = AffectedLines(scenario, e);
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/calendar.h"
#include "model/powertrain.h"

namespace cobuild::model {

enum class EventKind {
  kOutage,          // plants or lines stop between two dates
  kRateReduction,   // plants or lines lose a share of their output between two dates
  kSupplyCap,       // at most N cars a month with given powertrains (battery packs, chips)
  kTariffChange,    // a new duty rate on cars from a country into a market
  kDemandChange,    // demand of some brands, markets or powertrains scaled by a factor
  kContractChange,  // a contract's committed volumes change from a year on
};

inline constexpr EventKind kAllEventKinds[] = {EventKind::kOutage,       EventKind::kRateReduction,
                                               EventKind::kSupplyCap,    EventKind::kTariffChange,
                                               EventKind::kDemandChange, EventKind::kContractChange};

// "outage", "rate-reduction", "supply-cap", "tariff-change", "demand-change",
// "contract-change" (the spelling used in files and on the command line).
std::string_view ToString(EventKind kind);
std::optional<EventKind> ParseEventKind(std::string_view text);

// One event. Which fields apply depends on `kind`; indices refer to the
// scenario's vectors. `from` and `to` are inclusive and lie inside the
// horizon; month-based events (supply cap, demand change) act on every month
// from..to touches, a tariff change from `from`'s month to the horizon's end.
struct Event {
  std::string id;  // for reports; "event-1" ... when not given
  EventKind kind = EventKind::kOutage;
  std::string reason;
  Date from;
  Date to;

  // Outage, rate reduction: where (the union of the plants' lines and the
  // lines). Supply cap: the plants it applies to (empty = all).
  std::vector<int> plants;
  std::vector<int> lines;
  double output_lost_share = 1.0;  // rate reduction: (0, 1]; outage: 1

  // Supply cap, tariff change, demand change: powertrains concerned
  // (empty = all; a supply cap defaults to BEV, EREV and PHEV).
  std::vector<Powertrain> powertrains;
  double units_per_month = 0;  // supply cap

  // Tariff change: the rate on cars from `origin_country` into `market`.
  std::string origin_country;
  int market = -1;
  double tariff_rate = 0;

  // Demand change: demand of these brands and markets (empty = all) times
  // `demand_factor` (0.8 = 20% less).
  std::vector<int> brands;
  std::vector<int> markets;
  double demand_factor = 1.0;

  // Contract change: new committed volumes of `contract` from `from.year` on;
  // a negative value keeps the contract's own.
  int contract = -1;
  double min_units_per_year = -1;
  double max_units_per_year = -1;

  bool operator==(const Event&) const = default;
};

// Weights and levers of a replan, from the scenario's `replan:` section.
struct ReplanSettings {
  double stability_penalty_gbp_per_car = 0;  // per car moved away from the baseline
  int backlog_max_months = 0;                // demand may wait this long; 0 = lost at once
  double backlog_delay_cost_gbp_per_car_month = 0;
  int extra_shifts_per_day = 0;      // shifts a line may add beyond its maximum
  double extra_shift_premium = 0.5;  // extra shifts cost (1 + premium) times a shift
  int weekend_days_per_month = 0;    // Saturdays a plant may work in a recovery
  double weekend_premium = 1.0;      // weekend shifts cost (1 + premium) times a shift
  int recovery_months = 3;           // extra shifts and weekends last this long after the events
  double relative_gap = 1e-3;        // of each re-solve
  double time_limit_seconds = 30;    // per re-solve
  bool operator==(const ReplanSettings&) const = default;
};

// A plant's outages in a risk analysis: each year of the horizon, with
// `probability_per_year`, an outage of a uniformly drawn number of weeks in
// [min_weeks, max_weeks] starting on a uniformly drawn weekday of that year.
struct OutageRisk {
  std::vector<int> plants;  // stopped together (one draw stops them all)
  double probability_per_year = 0;
  double min_weeks = 1;
  double max_weeks = 1;
  bool operator==(const OutageRisk&) const = default;
};

// Demand of some brands, markets and powertrains (empty = all) scaled for
// the whole horizon by a factor drawn from a triangular distribution.
struct DemandRisk {
  std::vector<int> brands;
  std::vector<int> markets;
  std::vector<Powertrain> powertrains;
  double min_factor = 1;
  double mode_factor = 1;
  double max_factor = 1;
  bool operator==(const DemandRisk&) const = default;
};

struct RiskModel {
  std::vector<OutageRisk> outages;
  std::vector<DemandRisk> demand;
  bool operator==(const RiskModel&) const = default;
};

struct Scenario;

// The lines an outage or rate reduction touches: the event's plants' lines
// and its lines, each once, in index order.
std::vector<int> AffectedLines(const Scenario& scenario, const Event& event);

// A pair of events that cannot both hold: two tariff changes for the same
// origin, market and powertrain from the same month, or two contract
// changes of one contract from the same year. Overlapping outages, rate
// reductions, supply caps and demand changes combine (see src/replan) and
// are not conflicts.
struct EventConflict {
  int first = -1;   // index into the events
  int second = -1;  // > first
  std::string message;
};
std::vector<EventConflict> FindEventConflicts(const Scenario& scenario, std::span<const Event> events);

}  // namespace cobuild::model
