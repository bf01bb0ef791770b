// A line's day from a plan, the use case behind `cobuild sequence
// --scenario ... --plan ... --line ... --date ...` and the server's
// sequence job: the line named by id (with a did-you-mean), the date as
// YYYY-MM-DD, the day's cars built from the plan's line-month
// (sequence/plan_day.h: variant mix from the plan, options and paint from
// the scenario, after the previous day's tail) and sequenced. The result is
// written by io/line_day_io.h (JSON and CSV).
//
//   auto base = app::ResolveBaseline(scenario, app::PlanFile{.path = plan_path});
//   auto seq = app::RunLineDay(scenario, base->plan, "halewood-2", "2027-03-10", params);
//   std::cout << io::LineDayToJson(scenario, *seq).dump(2);
#pragma once

#include <string_view>

#include "io/line_day_io.h"
#include "model/error.h"
#include "model/scenario.h"
#include "plan/plan.h"
#include "sequence/solver.h"

namespace cobuild::app {

// Resolves the line (app/scenario_ids.h) and date, builds the day from `plan` (seeded by
// params.seed) and sequences it with `params`. The plan should come from
// ResolveBaseline (checked); a plan of another scenario is refused.
[[nodiscard]] Result<io::LineDaySequence> RunLineDay(const model::Scenario& scenario, const plan::Plan& plan,
                                                     std::string_view line_id, std::string_view date,
                                                     const sequence::SolveParams& params);

}  // namespace cobuild::app
