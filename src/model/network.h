// Who owns what, and where cars can be built: companies, brands, platforms,
// plants, lines and the stations on a line.
//
// Cross references are indices into the owning Scenario's vectors (resolved
// from ids when a scenario is loaded); ids are kept for reports.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/calendar.h"
#include "model/powertrain.h"

namespace cobuild::model {

// A share of a company held by another (a joint venture's parents).
struct Owner {
  int company = -1;
  double share = 0;  // (0, 1]
  bool operator==(const Owner&) const = default;
};

struct Company {
  std::string id;
  std::string name;
  // Parents by share (CJLR: JLR 0.5, Chery 0.5); empty for a company owned
  // by no other in the scenario. Shares add up to at most 1 (the rest is
  // held outside the scenario); an owner is owned by none itself. The
  // group view rolls the company's contribution up to them by share
  // (docs/deal.md, "Joint ventures").
  std::vector<Owner> owners;
  bool operator==(const Company&) const = default;
};

struct Brand {
  std::string id;
  std::string name;
  int company = -1;  // owner
  bool operator==(const Brand&) const = default;
};

// A vehicle architecture; lines are tooled per platform.
struct Platform {
  std::string id;
  std::string name;
  int company = -1;  // owner of the architecture
  bool operator==(const Platform&) const = default;
};

// The cost of changing a line's regular shift count and how long a shift
// pattern holds once changed (docs/planning-model.md, "Workforce"). A
// change is a different regular shift count from the line's previous
// working month; extra shifts and weekend days (overtime and agency
// crews) are not changes.
struct ShiftChangeRule {
  double added_cost_gbp = 0;    // per shift added: recruiting and training one crew
  double removed_cost_gbp = 0;  // per shift removed: redundancy of one crew
  int min_months = 1;           // a changed count holds for at least this many working months
  bool operator==(const ShiftChangeRule&) const = default;
};

struct Plant {
  std::string id;
  std::string name;
  int company = -1;     // operator of the plant (for a joint venture: the reporting host)
  std::string country;  // ISO 3166 alpha-2, e.g. "GB", "CN"; tariffs key on it
  Calendar calendar;
  // Default for the plant's lines (`workforce:`); a line's own keys win.
  std::optional<ShiftChangeRule> shift_changes;
  bool operator==(const Plant&) const = default;
};

// A station's capacity rule for sequencing: at most `max_cars` cars with
// `option` in any `window_cars` consecutive cars (an N/P ratio constraint).
struct Station {
  std::string id;
  std::string option;
  int max_cars = 1;     // N
  int window_cars = 1;  // P >= N
  bool high_priority = true;
  bool operator==(const Station&) const = default;
};

// Retooling a line for a platform it cannot build yet.
struct Retooling {
  int platform = -1;
  double cost_gbp = 0;
  int lead_time_months = 0;  // the line builds the platform from this many months after the decision
  // Years the tooling serves; 0 charges its whole cost in the plan. With a
  // life, a plan is charged the share it uses inside the horizon
  // (docs/planning-model.md, "Present value and tooling life").
  double tooling_life_years = 0;
  // Weeks the line stops while the new tooling is installed: its last
  // 5 * downtime_weeks working days before the platform is ready
  // (docs/planning-model.md, "Retooling downtime and ramp-up"). 0: no stop.
  double downtime_weeks = 0;
  // Share of the line's regular capacity (maximum shifts) the new platform
  // may use in its first months from the ready month; full rate after the
  // list. Each in [0, 1], non-decreasing. Empty: full rate at once.
  std::vector<double> ramp_up;
  bool operator==(const Retooling&) const = default;
};

// An upper bound on the share of a line's monthly output that has a given
// powertrain (for example at most 40% BEV through one battery station).
struct ShareLimit {
  Powertrain powertrain = Powertrain::kBev;
  double max_share = 1.0;  // in [0, 1]
  bool operator==(const ShareLimit&) const = default;
};

struct Line {
  std::string id;
  std::string name;
  int plant = -1;
  std::vector<int> platforms;           // platforms it can build today
  std::vector<Powertrain> powertrains;  // powertrains it can build
  double rate_jph = 0;                  // jobs (cars) per hour at full speed
  double hours_per_shift = 8;
  int max_shifts_per_day = 1;
  double availability = 1.0;            // OEE-style share of shift time that yields cars, (0, 1]
  double fixed_cost_per_shift_gbp = 0;  // per shift worked (one shift on one day)
  std::vector<Retooling> retooling;     // platforms it can be retooled for
  std::vector<Station> stations;        // ratio constraints for sequencing
  std::vector<ShareLimit> share_limits;
  int paint_batch_limit = 0;  // max consecutive same-colour cars; 0 = unlimited
  // The line's workforce rule, the plant's default completed by the line's
  // own keys; absent: shift counts change freely.
  std::optional<ShiftChangeRule> shift_changes;

  // Cars one shift yields: rate * hours * availability.
  double CarsPerShift() const { return rate_jph * hours_per_shift * availability; }
  bool operator==(const Line&) const = default;
};

}  // namespace cobuild::model
