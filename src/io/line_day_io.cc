#include "io/line_day_io.h"

#include <algorithm>

#include "io/csv.h"
#include "io/sequence_json.h"

namespace cobuild::io {
namespace {

using nlohmann::json;
using sequence::Car;

// The station options a car needs, by name, in station order.
std::vector<std::string> OptionNames(const model::Line& line, const sequence::LineDay& day, const Car& car) {
  std::vector<std::string> names;
  for (size_t k = 0; k < day.stations.size(); ++k) {
    if ((car.options >> k & 1) == 0) continue;
    const std::string& option = line.stations[static_cast<size_t>(day.stations[k])].option;
    if (std::find(names.begin(), names.end(), option) == names.end()) names.push_back(option);
  }
  return names;
}

json CarJson(const model::Scenario& s, const sequence::LineDay& day, const Car& car, int variant,
             int position) {
  const model::Variant& v = s.variants[static_cast<size_t>(variant)];
  return {{"position", position},
          {"variant", v.id},
          {"brand", s.brands[static_cast<size_t>(s.models[static_cast<size_t>(v.model)].brand)].id},
          {"powertrain", model::ToString(v.powertrain)},
          {"paint", day.colours[static_cast<size_t>(car.colour)]},
          {"options", OptionNames(s.lines[static_cast<size_t>(day.line)], day, car)}};
}

// The day-D cars in their sequenced order, positions from 1.
json DayCarsJson(const model::Scenario& s, const LineDaySequence& seq) {
  const sequence::LineDay& day = seq.day;
  const std::vector<int>& order = seq.result.solve.order;
  json cars = json::array();
  for (size_t p = 0; p < order.size(); ++p) {
    const size_t i = static_cast<size_t>(order[p]);
    cars.push_back(CarJson(s, day, day.instance.cars[i], day.variants[i], static_cast<int>(p) + 1));
  }
  return cars;
}

}  // namespace

json LineDayToJson(const model::Scenario& s, const LineDaySequence& seq) {
  const sequence::LineDay& day = seq.day;
  const sequence::Instance& inst = day.instance;
  const sequence::SolveResult& solve = seq.result.solve;
  const model::Line& line = s.lines[static_cast<size_t>(day.line)];
  json stations = json::array();
  for (size_t r = 0; r < day.stations.size(); ++r) {
    const model::Station& st = line.stations[static_cast<size_t>(day.stations[r])];
    int option_cars = 0;
    for (const Car& car : inst.cars) option_cars += (car.options >> r & 1) != 0;
    stations.push_back({{"id", st.id},
                        {"option", st.option},
                        {"max_cars", st.max_cars},
                        {"window_cars", st.window_cars},
                        {"high_priority", st.high_priority},
                        {"option_cars", option_cars},
                        {"min_excess", sequence::RatioLowerBound(inst, static_cast<int>(r))}});
  }
  json cars = DayCarsJson(s, seq);
  json tail = json::array();
  const int m = static_cast<int>(inst.previous_day.size());
  for (int i = 0; i < m; ++i) {
    tail.push_back(CarJson(s, day, inst.previous_day[static_cast<size_t>(i)],
                           day.previous_variants[static_cast<size_t>(i)], i - m));
  }
  json windows = json::array();
  for (const sequence::OverloadedWindow& w : seq.result.overloaded) {
    windows.push_back({{"station", inst.ratios[static_cast<size_t>(w.ratio)].name},
                       {"start", std::max(0, w.start)},
                       {"previous_day_cars", std::max(0, -w.start)},
                       {"end", w.end},
                       {"cars", w.cars},
                       {"excess", w.excess}});
  }
  json order = json::array();
  for (sequence::Criterion c : inst.objective_order) order.push_back(sequence::CriterionName(c));
  return {{"scenario", s.name},
          {"line", line.id},
          {"plant", s.plants[static_cast<size_t>(line.plant)].id},
          {"date", model::ToString(day.date)},
          {"previous_date", day.has_previous_day ? json(model::ToString(day.previous_date)) : json(nullptr)},
          {"working_day", std::to_string(day.day_index + 1) + " of " + std::to_string(day.working_days)},
          {"month_cars", day.month_cars},
          {"day_cars", inst.cars.size()},
          {"previous_day_cars", day.previous_day_cars},
          {"seed", seq.seed},
          {"stations", stations},
          {"cars", cars},
          {"previous_day_tail", tail},
          {"overloaded_windows", windows},
          {"objective_order", order},
          {"criteria", CriteriaJson(inst, solve.criteria)},
          {"score", solve.score},
          {"initial_score", solve.initial_score},
          {"bound", solve.bound.score},
          {"lower_bound", LowerBoundJson(inst, solve.bound)},
          {"gap", sequence::Gap(solve.score, solve.bound.score)},
          {"rank1_optimal", sequence::Rank1Optimal(inst, solve.criteria, solve.bound)},
          {"paint_batch_limit", inst.paint_batch_limit},
          {"longest_batch", solve.criteria.longest_batch},
          {"seconds", solve.seconds},
          {"move_evals", solve.move_evals}};
}

std::string LineDayCsv(const model::Scenario& s, const LineDaySequence& seq) {
  CsvWriter csv({"position", "variant", "brand", "paint", "options"});
  for (const json& car : DayCarsJson(s, seq)) {
    std::string options;
    for (const json& o : car["options"]) {
      if (!options.empty()) options += ';';
      options += o.get<std::string>();
    }
    csv.AddRow({std::to_string(car["position"].get<int>()), car["variant"].get<std::string>(),
                car["brand"].get<std::string>(), car["paint"].get<std::string>(), options});
  }
  return csv.str();
}

}  // namespace cobuild::io
