#include "app/line_day.h"

#include "app/scenario_ids.h"
#include "model/calendar.h"
#include "sequence/plan_day.h"

namespace cobuild::app {

Result<io::LineDaySequence> RunLineDay(const model::Scenario& scenario, const plan::Plan& plan,
                                       std::string_view line_id, std::string_view date,
                                       const sequence::SolveParams& params) {
  auto line = ResolveLine(scenario, line_id);
  if (!line) return std::unexpected(line.error());
  auto parsed = model::ParseDate(date);
  if (!parsed) return InvalidInput("date: " + parsed.error().message);
  auto day = sequence::BuildLineDay(scenario, plan, *line, *parsed, {.seed = params.seed});
  if (!day) return std::unexpected(day.error());
  auto result = sequence::SolveLineDay(*day, params);
  if (!result) return std::unexpected(result.error());
  return io::LineDaySequence{.day = std::move(*day), .result = std::move(*result), .seed = params.seed};
}

}  // namespace cobuild::app
