// Builds the planning MIP of docs/planning-model.md from a scenario and a
// request, and remembers what every column and row means so a solution can
// be decoded into a Plan and duals can be attributed to capacities and
// contracts.
//
//   Result<BuiltModel> model = BuildPlanModel(scenario, request);
//   // model->lp goes to cbc_backend; model->columns[j] says what column j is.
//
// Reductions applied while building (all exact, see the doc's "Tightening"):
// columns only where a line can build a variant (capability, ownership or
// contract), a route exists, the variant has a price and demand in the
// arrival month, and the route's margin beats leaving the car unmet; a
// variant one line of a plant can build ships straight from that line (no
// production column, no plant balance row); shifts are bounded by the
// demand the line can reach. Finished-goods stock (a plant's `stock:`
// block) routes its (plant, variant) through the plant balance with stock
// columns only where a later month has demand the plant can reach (or a
// safety stock or initial stock needs them).
#pragma once

#include <cstdint>
#include <vector>

#include "model/error.h"
#include "model/scenario.h"
#include "plan/linear_program.h"
#include "plan/plan_request.h"

namespace cobuild::plan {

enum class ColumnKind : uint8_t {
  kShip,           // plant, line (-1 when shipped from the plant balance), variant, market, month
  kProduce,        // line, variant, month (only where >= 2 lines of a plant build the variant)
  kShifts,         // line, month
  kExtraShifts,    // line, month: shifts per working day beyond the line's maximum (a lever)
  kWeekendDays,    // line, month: weekend days worked at the line's maximum shifts (a lever)
  kRetool,         // line, platform, month
  kUnmet,          // variant, market, month
  kShortfall,      // contract, year
  kBacklog,        // variant, market, month
  kDeviation,      // line, variant, month
  kShiftsAdded,    // line, month: regular shifts added since the line's previous working month
  kShiftsRemoved,  // line, month: regular shifts removed since the line's previous working month
  kShiftChange,    // line, month: 1 when the regular shift count changes (binary)
  kStock,          // plant, variant, month: cars held at the month's end
  kSafetyShort,    // plant, month: cars the plant's stock falls short of its safety stock
  kAtMaxShifts,    // line, month: 1 when the line runs its maximum regular shifts, which levers need (binary)
};

struct ColumnInfo {
  ColumnKind kind = ColumnKind::kShip;
  int plant = -1;
  int line = -1;
  int variant = -1;
  int market = -1;
  int month = -1;  // production month for kShip
  int other = -1;  // platform (kRetool), contract (kShortfall), arrival month (kShip)
};

enum class RowKind : uint8_t {
  kCapacity,         // line, month: cars <= kappa * (shifts + extra shifts) + weekend kappa * weekend days
  kCover,            // line, month: cars <= MIR cover of reachable demand
  kDemand,           // variant, market, month
  kBalance,          // plant, variant, month
  kRetoolLink,       // line, platform, month
  kRetoolOnce,       // line, platform
  kShare,            // line, month, share-limit index
  kStationLoad,      // line, month, station index (high-priority stations only)
  kContractMin,      // contract, year
  kContractMax,      // contract, year
  kSupplyCap,        // cap index, month
  kStability,        // line, variant, month
  kFrozen,           // line, variant, month: production fixed to the baseline
  kDowntime,         // line, month, retooling decision column: cars <= capacity less the retooling stop
  kLaunchRamp,       // line, variant, month: cars <= the launch ramp's share of the line's capacity
  kShiftStep,        // line, month: shifts - previous working month's shifts = added - removed
  kShiftChangeLink,  // line, month: added + removed <= most shifts * change
  kShiftHold,        // line, first month of a window: at most one change in min_months working months
  kStockLimit,       // plant, month: stock over all variants <= max_cars
  kSafetyStock,      // plant, month: stock over all variants + shortfall >= safety stock
  kParticipation,    // company: its contribution in present value >= its value without the deal
  kHostFirst,        // plant, year: the host's own-brand cars >= its output without the deal
  kTailDemand,       // variant, market, arrival month after the horizon: arrivals <= estimated demand
  kLeverGate,        // line, month, 0|1|2: extra <= E at_max, weekend <= W at_max, S at_max <= shifts
};

struct RowInfo {
  RowKind kind = RowKind::kCapacity;
  int a = -1;
  int b = -1;
  int c = -1;
};

// A line's regular shifts across its working months under a workforce rule
// (docs/planning-model.md, "Workforce"): one entry per working month, in
// order. Months without production columns have an idle shift column (no
// capacity row) so the rule can keep a crew through them.
struct ShiftSequence {
  int line = -1;
  int min_months = 1;
  std::vector<int> months;
  std::vector<int> shift;    // shift column per month
  std::vector<int> extra;    // extra-shift column per month (a crew too), or -1
  std::vector<bool> idle;    // the column carries no production
  std::vector<int> added;    // per month, -1 for the first
  std::vector<int> removed;  // per month, -1 for the first
  std::vector<int> change;   // per month, -1 for the first or without a minimum
};

struct BuiltModel {
  LinearProgram lp;
  std::vector<ColumnInfo> columns;
  std::vector<RowInfo> rows;
  // Per (line * num_months + month): shift column and capacity row, or -1.
  std::vector<int> shift_column;
  std::vector<int> capacity_row;
  // Lever columns of the line and month (docs/planning-model.md, "Levers"),
  // or -1; they exist only where the reachable demand exceeds the line's
  // maximum shifts.
  std::vector<int> extra_shift_column;
  std::vector<int> weekend_column;
  // Per cell with a lever column: the binary that lets levers work only at
  // the line's maximum regular shifts, or -1.
  std::vector<int> at_max_shifts_column;
  // Cars one shift per working day yields over the month (kappa).
  std::vector<double> cars_per_shift_month;
  // Cars one weekend day at the line's maximum shifts yields.
  std::vector<double> cars_per_weekend_day;
  // Lines with a workforce rule.
  std::vector<ShiftSequence> shift_sequences;
  int num_months = 0;
};

struct BuildOptions {
  bool shift_cover_cuts = true;
};

// Fails only on a request inconsistent with the scenario (sizes of
// availability vectors, supply caps, a baseline naming unknown indices).
[[nodiscard]] Result<BuiltModel> BuildPlanModel(const model::Scenario& scenario, const PlanRequest& request,
                                                const BuildOptions& options);

}  // namespace cobuild::plan
