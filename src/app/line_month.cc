#include "app/line_month.h"

#include <numeric>
#include <optional>

#include "io/line_day_io.h"
#include "sequence/plan_day.h"

namespace cobuild::app {

std::vector<int> LinesWithCars(const model::Scenario& scenario, const plan::Plan& plan, int month) {
  std::vector<int> lines;
  for (size_t l = 0; l < scenario.lines.size(); ++l) {
    if (scenario.lines[l].stations.empty()) continue;
    const std::vector<int> counts = sequence::DailyCarCounts(scenario, plan, static_cast<int>(l), month);
    if (std::accumulate(counts.begin(), counts.end(), 0) > 0) lines.push_back(static_cast<int>(l));
  }
  return lines;
}

Result<LineMonth> SequenceLineMonth(const model::Scenario& scenario, const plan::Plan& plan, int line,
                                    int month, const LineMonthOptions& options) {
  if (line < 0 || line >= static_cast<int>(scenario.lines.size())) {
    return InvalidInput("line: expected a line index below " + std::to_string(scenario.lines.size()) +
                        ", got " + std::to_string(line));
  }
  if (month < 0 || month >= scenario.horizon.num_months) {
    return InvalidInput("month: expected a month of the horizon, got index " + std::to_string(month));
  }
  if (options.max_evals_per_day <= 0) {
    return InvalidInput("max evals: expected a work limit above 0, got " +
                        std::to_string(options.max_evals_per_day));
  }
  const model::Line& l = scenario.lines[static_cast<size_t>(line)];
  const model::YearMonth ym = scenario.horizon.MonthAt(month);
  LineMonth result{.line = l.id,
                   .plant = scenario.plants[static_cast<size_t>(l.plant)].id,
                   .month = model::ToString(ym),
                   .days = {}};
  const std::vector<int> days = sequence::LineDaysOfMonth(scenario, plan, line, month);
  const std::vector<int> cars = sequence::DailyCarCounts(scenario, plan, line, month);
  sequence::SolveParams params;
  params.seed = options.seed;
  params.max_evals = options.max_evals_per_day;
  params.time_limit_s = 0;
  params.threads = 1;
  params.snapshot_seconds.clear();
  // The day before, as the line ran it; none before the month's first day
  // (its D-1 then comes from the plan).
  std::optional<sequence::RanDay> previous;
  for (size_t d = 0; d < days.size(); ++d) {
    const model::Date date{.year = ym.year, .month = ym.month, .day = days[d]};
    LineMonthDay entry{.date = model::ToString(date)};
    if (cars[d] == 0) {
      result.days.push_back(std::move(entry));
      previous = sequence::RanDay{.date = date};
      continue;
    }
    auto day = sequence::BuildLineDay(
        scenario, plan, line, date, {.seed = options.seed, .previous_day = previous ? &*previous : nullptr});
    if (!day)
      return std::unexpected(Error{day.error().kind, l.id + " " + entry.date + ": " + day.error().message});
    auto solved = sequence::SolveLineDay(*day, params);
    if (!solved) {
      return std::unexpected(
          Error{solved.error().kind, l.id + " " + entry.date + ": " + solved.error().message});
    }
    const sequence::SolveResult& s = solved->solve;
    entry.cars = static_cast<int>(day->instance.cars.size());
    if (day->has_previous_day) entry.previous_date = model::ToString(day->previous_date);
    entry.previous_from_solution = day->previous_day_given;
    entry.hprc = s.criteria.hprc;
    entry.colour_changes = s.criteria.colour_changes;
    entry.lprc = s.criteria.lprc;
    entry.score = s.score;
    entry.bound = s.bound.score;
    entry.unavoidable_excess = s.bound.criteria.hprc + s.bound.criteria.lprc;
    entry.overloaded_windows = static_cast<int>(solved->overloaded.size());
    entry.proved_optimal = s.score == s.bound.score;
    entry.move_evals = s.move_evals;
    previous = sequence::RanDayOf(*day, s.order);
    io::LineDaySequence seq{.day = std::move(*day), .result = std::move(*solved), .seed = options.seed};
    entry.csv = io::LineDayCsv(scenario, seq);
    result.days.push_back(std::move(entry));
  }
  return result;
}

nlohmann::json LineMonthToJson(const LineMonth& month) {
  nlohmann::json days = nlohmann::json::array();
  for (const LineMonthDay& d : month.days) {
    days.push_back({{"date", d.date},
                    {"cars", d.cars},
                    {"previous_date",
                     d.previous_date.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.previous_date)},
                    {"previous_from_solution", d.previous_from_solution},
                    {"hprc", d.hprc},
                    {"colour_changes", d.colour_changes},
                    {"lprc", d.lprc},
                    {"score", d.score},
                    {"bound", d.bound},
                    {"unavoidable_excess", d.unavoidable_excess},
                    {"overloaded_windows", d.overloaded_windows},
                    {"proved_optimal", d.proved_optimal},
                    {"move_evals", d.move_evals},
                    {"csv", d.csv}});
  }
  return {{"line", month.line}, {"plant", month.plant}, {"month", month.month}, {"days", days}};
}

Result<LineMonth> LineMonthFromJson(const nlohmann::json& j) {
  try {
    LineMonth month{.line = j.at("line").get<std::string>(),
                    .plant = j.at("plant").get<std::string>(),
                    .month = j.at("month").get<std::string>(),
                    .days = {}};
    for (const nlohmann::json& d : j.at("days")) {
      const nlohmann::json& prev = d.at("previous_date");
      month.days.push_back({.date = d.at("date").get<std::string>(),
                            .cars = d.at("cars").get<int>(),
                            .previous_date = prev.is_null() ? std::string() : prev.get<std::string>(),
                            .previous_from_solution = d.at("previous_from_solution").get<bool>(),
                            .hprc = d.at("hprc").get<int64_t>(),
                            .colour_changes = d.at("colour_changes").get<int64_t>(),
                            .lprc = d.at("lprc").get<int64_t>(),
                            .score = d.at("score").get<int64_t>(),
                            .bound = d.at("bound").get<int64_t>(),
                            .unavoidable_excess = d.at("unavoidable_excess").get<int64_t>(),
                            .overloaded_windows = d.at("overloaded_windows").get<int>(),
                            .proved_optimal = d.at("proved_optimal").get<bool>(),
                            .move_evals = d.at("move_evals").get<int64_t>(),
                            .csv = d.at("csv").get<std::string>()});
    }
    return month;
  } catch (const nlohmann::json::exception& e) {
    return Internal(std::string("a line's month: expected its JSON form, got ") + e.what());
  }
}

}  // namespace cobuild::app
