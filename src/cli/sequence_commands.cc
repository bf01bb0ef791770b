// Car-sequencing subcommands: evaluate, bound, sequence. Thin: read the
// instance, call src/sequence, print.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/baseline.h"
#include "app/line_day.h"
#include "app/line_month.h"
#include "app/scenario_ids.h"
#include "cli/cli_common.h"
#include "cli/commands.h"
#include "io/csplib_reader.h"
#include "io/line_day_io.h"
#include "io/plan_io.h"
#include "io/roadef_reader.h"
#include "io/scenario_reader.h"
#include "io/sequence_json.h"
#include "io/sequence_solution.h"
#include "io/table.h"
#include "io/text_lines.h"
#include "scale/work_items.h"
#include "sequence/evaluator.h"
#include "sequence/instance.h"
#include "sequence/lower_bound.h"
#include "sequence/plan_day.h"
#include "sequence/solver.h"

namespace cobuild::cli {

namespace {

using io::CriteriaJson;
using io::LowerBoundJson;
using nlohmann::json;
using sequence::Criteria;
using sequence::Gap;
using sequence::Instance;
using sequence::LowerBound;
using sequence::Rank1Optimal;

// Where an instance comes from: a ROADEF folder (positional) or a CSPLib
// file (`--csplib FILE`, or a positional path that is a regular file).
struct InstanceArgs {
  std::string path;
  std::string csplib;
};

void AddInstanceArgs(CLI::App* cmd, InstanceArgs* args) {
  cmd->add_option("INSTANCE_DIR", args->path, "ROADEF 2005 instance folder (vehicles.txt, ratios.txt, ...)");
  cmd->add_option("--csplib", args->csplib, "CSPLib prob001 file in the standard format");
}

[[nodiscard]] Result<Instance> LoadInstance(const InstanceArgs& args) {
  if (!args.csplib.empty() && !args.path.empty()) {
    return InvalidInput("give either INSTANCE_DIR or --csplib FILE, not both");
  }
  if (!args.csplib.empty()) return io::ReadCsplibInstance(args.csplib);
  if (args.path.empty()) return InvalidInput("missing INSTANCE_DIR (or --csplib FILE)");
  std::error_code ec;
  if (std::filesystem::is_regular_file(args.path, ec)) return io::ReadCsplibInstance(args.path);
  return io::ReadRoadefInstance(args.path);
}

bool IsCsplib(const Instance& inst) { return inst.kind == sequence::ProblemKind::kCsplib; }

// The criteria in rank order (ROADEF) or the single violation count (CSPLib).
std::vector<std::pair<std::string, std::pair<int64_t, int64_t>>> RankedRows(const Instance& inst,
                                                                            const Criteria& c,
                                                                            const LowerBound& lb) {
  if (IsCsplib(inst)) return {{"violations", {c.violations(), lb.criteria.violations()}}};
  std::vector<std::pair<std::string, std::pair<int64_t, int64_t>>> rows;
  for (sequence::Criterion crit : inst.objective_order) {
    rows.push_back({std::string(sequence::CriterionName(crit)), {c.Value(crit), lb.criteria.Value(crit)}});
  }
  return rows;
}

std::string CriteriaTable(const Instance& inst, const Criteria& c, int64_t score, const LowerBound& lb) {
  io::Table t({"criterion", "weight", "value", "lower bound"});
  for (int col = 1; col < 4; ++col) t.SetAlign(col, io::Table::Align::kRight);
  int rank = 0;
  for (const auto& [name, values] : RankedRows(inst, c, lb)) {
    t.AddRow({name, io::FormatThousands(IsCsplib(inst) ? int64_t{1} : sequence::RankWeight(rank++)),
              io::FormatThousands(values.first), io::FormatThousands(values.second)});
  }
  t.AddRule();
  t.AddRow({"score", "", io::FormatThousands(score), io::FormatThousands(lb.score)});
  std::string text = t.Render();
  if (!IsCsplib(inst)) {
    text += "paint batch limit " + std::to_string(inst.paint_batch_limit) + ": longest batch " +
            std::to_string(c.longest_batch) + (c.batch_limit_ok ? " (ok)\n" : " (VIOLATED)\n");
  }
  text += "gap to lower bound " + io::FormatPercent(Gap(score, lb.score), 2) +
          (Rank1Optimal(inst, c, lb) ? "; rank-1 criterion proved optimal\n" : "\n");
  return text;
}

std::string Header(const Instance& inst) {
  std::string text = "instance " + inst.name + ": " + std::to_string(inst.cars.size()) + " cars";
  if (!IsCsplib(inst)) text += " (D-1: " + std::to_string(inst.previous_day.size()) + ")";
  return text + ", " + std::to_string(inst.ratios.size()) + " ratio constraints\n";
}

int RunEvaluate(const InstanceArgs& args, const std::string& solution_path, OutputFormat format) {
  auto inst = LoadInstance(args);
  if (!inst) return ReportError(inst.error());
  std::vector<int> order = sequence::InputOrder(*inst);
  if (!solution_path.empty()) {
    auto read = io::ReadSolution(solution_path, *inst);
    if (!read) return ReportError(read.error());
    order = std::move(*read);
  }
  auto criteria = sequence::Evaluate(*inst, order);
  if (!criteria) return ReportError(criteria.error());
  const int64_t score = sequence::Score(*inst, *criteria);
  const LowerBound lb = sequence::ComputeLowerBound(*inst);
  if (format == OutputFormat::kJson) {
    json j = {{"instance", inst->name},
              {"cars", inst->cars.size()},
              {"solution", solution_path.empty() ? json(nullptr) : json(solution_path)},
              {"score", score},
              {"criteria", CriteriaJson(*inst, *criteria)},
              {"feasible", criteria->batch_limit_ok},
              {"longest_batch", criteria->longest_batch},
              {"lower_bound", LowerBoundJson(*inst, lb)},
              {"gap", Gap(score, lb.score)},
              {"rank1_optimal", Rank1Optimal(*inst, *criteria, lb)}};
    std::cout << j.dump(2, ' ', false, kJsonInvalidUtf8) << "\n";
  } else {
    std::cout << Header(*inst) << "order: " << (solution_path.empty() ? "input order" : solution_path) << "\n"
              << CriteriaTable(*inst, *criteria, score, lb);
  }
  // An order that breaks the hard paint batch limit is not a solution.
  return criteria->batch_limit_ok ? kExitOk : kExitInvalidInput;
}

int RunBound(const InstanceArgs& args, OutputFormat format) {
  auto inst = LoadInstance(args);
  if (!inst) return ReportError(inst.error());
  const LowerBound lb = sequence::ComputeLowerBound(*inst);
  if (format == OutputFormat::kJson) {
    std::cout << json{{"instance", inst->name},
                      {"cars", inst->cars.size()},
                      {"lower_bound", LowerBoundJson(*inst, lb)}}
                     .dump(2, ' ', false, kJsonInvalidUtf8)
              << "\n";
    return kExitOk;
  }
  io::Table t({"criterion", "weight", "lower bound"});
  t.SetAlign(1, io::Table::Align::kRight);
  t.SetAlign(2, io::Table::Align::kRight);
  int rank = 0;
  for (const auto& [name, values] : RankedRows(*inst, lb.criteria, lb)) {
    t.AddRow({name, io::FormatThousands(IsCsplib(*inst) ? int64_t{1} : sequence::RankWeight(rank++)),
              io::FormatThousands(values.second)});
  }
  t.AddRule();
  t.AddRow({"score", "", io::FormatThousands(lb.score)});
  std::cout << Header(*inst) << t.Render();
  return kExitOk;
}

struct SequenceArgs {
  InstanceArgs instance;
  // The plan form: --scenario FILE --plan PLAN --line LINE --date YYYY-MM-DD.
  std::string scenario;
  std::string plan;
  std::string line;
  std::string date;
  double time_limit_s = 10;
  uint64_t seed = 1;
  int64_t max_evals = 0;
  int threads = 1;
  std::string out;
  bool quiet = false;
  OutputFormat format = OutputFormat::kTable;
};

sequence::SolveParams SolveParamsFrom(const SequenceArgs& args) {
  sequence::SolveParams params;
  params.seed = args.seed;
  params.max_evals = args.max_evals;
  params.time_limit_s = args.time_limit_s;
  params.threads = args.threads;
  if (!args.quiet) {
    params.progress = [](double seconds, int64_t best) {
      std::cerr << "[" << io::FormatThousands(seconds) << " s] best score " << io::FormatThousands(best)
                << "\n";
    };
  }
  return params;
}

// The plan form's options: all four, and no instance beside them.
[[nodiscard]] Result<void> CheckPlanDayArgs(const SequenceArgs& args) {
  if (args.scenario.empty()) {
    for (const auto& [flag, value] :
         {std::pair{"--plan", &args.plan}, {"--line", &args.line}, {"--date", &args.date}}) {
      if (!value->empty()) {
        return InvalidInput(
            std::string(flag) +
            ": expected --scenario FILE beside it (the scenario the plan was made for), got none");
      }
    }
    return {};
  }
  if (!args.instance.path.empty() || !args.instance.csplib.empty()) {
    return InvalidInput(
        "INSTANCE_DIR: expected none with --scenario (the day's cars come from the plan), got \"" +
        (args.instance.path.empty() ? args.instance.csplib : args.instance.path) + "\"");
  }
  if (args.plan.empty()) {
    return InvalidInput(
        "--plan: expected a plan file (cobuild plan SCENARIO --out DIR writes DIR/plan.json), got none");
  }
  if (args.line.empty()) return InvalidInput("--line: expected a line id of the scenario, got none");
  if (args.date.empty()) return InvalidInput("--date: expected a working day as YYYY-MM-DD, got none");
  return {};
}

// "12" for a car inside day D; "D-1 (last 3)" for a window that starts in D-1.
std::string WindowStart(int start) {
  return start >= 0 ? std::to_string(start + 1) : "D-1 (last " + std::to_string(-start) + ")";
}

int RunPlanDay(const SequenceArgs& args) {
  auto scenario = io::LoadScenario(args.scenario);
  if (!scenario) return ReportError(scenario.error());
  auto plan = app::ResolveBaseline(*scenario, app::PlanFile{.path = args.plan});
  if (!plan) return ReportError(plan.error());
  auto seq = app::RunLineDay(*scenario, plan->plan, args.line, args.date, SolveParamsFrom(args));
  if (!seq) return ReportError(seq.error());
  if (!args.out.empty()) {
    if (auto written = io::WriteTextFile(args.out, io::LineDayCsv(*scenario, *seq)); !written) {
      return ReportError(written.error());
    }
  }
  const nlohmann::json j = io::LineDayToJson(*scenario, *seq);
  if (args.format == OutputFormat::kJson) {
    std::cout << j.dump(2, ' ', false, kJsonInvalidUtf8) << "\n";
    return kExitOk;
  }
  const sequence::LineDay& day = seq->day;
  std::cout << "line " << j["line"].get<std::string>() << " (" << j["plant"].get<std::string>() << ") on "
            << j["date"].get<std::string>() << ", working day " << j["working_day"].get<std::string>() << ": "
            << day.instance.cars.size() << " cars (plan: " << io::FormatThousands(int64_t{day.month_cars})
            << " in the month)\n";
  if (day.has_previous_day) {
    std::cout << "day D-1 " << model::ToString(day.previous_date) << ": " << day.previous_day_cars
              << " cars, sequenced first; its last " << day.instance.previous_day.size() << " are fixed\n";
  } else {
    std::cout << "no day D-1 in the horizon\n";
  }
  std::cout << "ranked: high-priority stations, colour changes, low-priority stations; paint batch limit "
            << day.instance.paint_batch_limit << "\n";
  io::Table stations({"station", "option", "N/P", "priority", "option cars", "share", "excess at least"});
  for (int col : {2, 4, 5, 6}) stations.SetAlign(col, io::Table::Align::kRight);
  for (const auto& st : j["stations"]) {
    const int cars = st["option_cars"].get<int>();
    stations.AddRow(
        {st["id"].get<std::string>(), st["option"].get<std::string>(),
         std::to_string(st["max_cars"].get<int>()) + "/" + std::to_string(st["window_cars"].get<int>()),
         st["high_priority"].get<bool>() ? "high" : "low", std::to_string(cars),
         io::FormatPercent(static_cast<double>(cars) / static_cast<double>(day.instance.cars.size()), 0),
         std::to_string(st["min_excess"].get<int64_t>())});
  }
  std::cout << stations.Render() << "\n";
  io::Table cars({"position", "variant", "brand", "paint", "options"});
  cars.SetAlign(0, io::Table::Align::kRight);
  for (const auto& c : j["cars"]) {
    std::string options;
    for (const auto& o : c["options"]) options += (options.empty() ? "" : ", ") + o.get<std::string>();
    cars.AddRow({std::to_string(c["position"].get<int>()), c["variant"].get<std::string>(),
                 c["brand"].get<std::string>(), c["paint"].get<std::string>(), options});
  }
  std::cout << cars.Render() << "\n"
            << CriteriaTable(day.instance, seq->result.solve.criteria, seq->result.solve.score,
                             seq->result.solve.bound);
  io::Table windows({"station", "from car", "to car", "option cars", "excess"});
  for (int col = 1; col < 5; ++col) windows.SetAlign(col, io::Table::Align::kRight);
  for (const auto& w : seq->result.overloaded) {
    windows.AddRow({day.instance.ratios[static_cast<size_t>(w.ratio)].name, WindowStart(w.start),
                    std::to_string(w.end), std::to_string(w.cars), std::to_string(w.excess)});
  }
  std::cout << "overloaded station windows: " << seq->result.overloaded.size() << "\n";
  if (!seq->result.overloaded.empty()) std::cout << windows.Render();
  std::cout << "sequenced in " << io::FormatThousands(seq->result.solve.seconds * 1000) << " ms ("
            << io::FormatThousands(seq->result.solve.move_evals) << " move evaluations, seed " << args.seed
            << ")\n";
  if (!args.out.empty()) std::cout << "sequence written to " << args.out << "\n";
  return kExitOk;
}

int RunSequence(const SequenceArgs& args) {
  if (auto ok = CheckPlanDayArgs(args); !ok) return ReportError(ok.error());
  if (!args.scenario.empty()) return RunPlanDay(args);
  auto inst = LoadInstance(args.instance);
  if (!inst) return ReportError(inst.error());
  const std::vector<int> input = sequence::InputOrder(*inst);
  auto input_criteria = sequence::Evaluate(*inst, input);
  if (!input_criteria) return ReportError(input_criteria.error());
  const int64_t input_score = sequence::Score(*inst, *input_criteria);

  auto result = sequence::Solve(*inst, input, SolveParamsFrom(args));
  if (!result) return ReportError(result.error());
  const LowerBound& lb = result->bound;
  if (!args.out.empty()) {
    if (auto ok = io::WriteSolution(args.out, *inst, result->order); !ok) return ReportError(ok.error());
  }
  const double evals_per_s =
      result->seconds > 0 ? static_cast<double>(result->move_evals) / result->seconds : 0.0;
  if (args.format == OutputFormat::kJson) {
    json snapshots = json::array();
    for (const sequence::Snapshot& s : result->snapshots) {
      snapshots.push_back({{"seconds", s.seconds}, {"score", s.score}});
    }
    json j = {{"instance", inst->name},
              {"cars", inst->cars.size()},
              {"input_score", input_score},
              {"score", result->score},
              {"criteria", CriteriaJson(*inst, result->criteria)},
              {"lower_bound", LowerBoundJson(*inst, lb)},
              {"gap", Gap(result->score, lb.score)},
              {"rank1_optimal", Rank1Optimal(*inst, result->criteria, lb)},
              {"seconds", result->seconds},
              {"move_evals", result->move_evals},
              {"move_evals_per_s", evals_per_s},
              {"cpu_seconds", result->cpu_seconds},
              {"move_evals_per_cpu_s",
               result->cpu_seconds > 0 ? static_cast<double>(result->move_evals) / result->cpu_seconds : 0.0},
              {"seed", args.seed},
              {"threads", args.threads},
              {"out", args.out.empty() ? json(nullptr) : json(args.out)},
              {"snapshots", snapshots}};
    std::cout << j.dump(2, ' ', false, kJsonInvalidUtf8) << "\n";
    return kExitOk;
  }
  std::cout << Header(*inst) << "input order score " << io::FormatThousands(input_score) << "\n"
            << CriteriaTable(*inst, result->criteria, result->score, lb) << "move evaluations "
            << io::FormatThousands(result->move_evals) << " in "
            << io::FormatThousands(result->seconds * 1000) << " ms (" << io::FormatThousands(evals_per_s)
            << "/s; CPU " << io::FormatThousands(result->cpu_seconds * 1000) << " ms; " << args.threads
            << " thread" << (args.threads > 1 ? "s" : "") << ", seed " << args.seed << ")\n";
  if (!args.out.empty()) std::cout << "order written to " << args.out << "\n";
  return kExitOk;
}

// `sequence-month`: every working day of a month for each line, each day's
// D-1 the previous day's solution (app/line_month.h).
struct MonthArgs {
  std::string scenario;
  std::string plan;
  std::string month;
  std::vector<std::string> lines;
  uint64_t seed = 1;
  int64_t max_evals = 1'000'000;
  int threads = 1;
  std::string out;
  std::string partial = "cobuild-sequence-month-partial.jsonl";
  OutputFormat format = OutputFormat::kTable;
};

// A line's month as a work item's text: its JSON, or {"error", "invalid"}.
std::string LineMonthItem(const Result<app::LineMonth>& month) {
  if (month) return app::LineMonthToJson(*month).dump();
  return json{{"error", month.error().message}, {"invalid", month.error().kind == ErrorKind::kInvalidInput}}
      .dump(-1, ' ', false, kJsonInvalidUtf8);
}

// What a rank needs for a month of line-days: the scenario's text, the
// plan's JSON (rank 0 read and checked it) and the lines, month and limits.
Result<scale::ItemSolver> MakeLineMonthItemSolver(std::string_view context) {
  const json j = json::parse(context, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Internal("sequence-month job: expected its JSON context");
  try {
    auto scenario =
        io::ParseScenario(j.at("scenario_yaml").get<std::string>(), j.at("scenario_file").get<std::string>());
    if (!scenario) return std::unexpected(scenario.error());
    auto shared_scenario = std::make_shared<const model::Scenario>(std::move(*scenario));
    auto plan = io::ParsePlanJson(j.at("plan").get<std::string>(), "plan from rank 0", *shared_scenario);
    if (!plan) return std::unexpected(plan.error());
    auto shared_plan = std::make_shared<const plan::Plan>(std::move(*plan));
    const std::vector<int> lines = j.at("lines").get<std::vector<int>>();
    const int month = j.at("month").get<int>();
    const app::LineMonthOptions options{.seed = j.at("seed").get<uint64_t>(),
                                        .max_evals_per_day = j.at("max_evals").get<int64_t>()};
    return [shared_scenario, shared_plan, lines, month, options](int i) {
      if (i < 0 || i >= static_cast<int>(lines.size())) {
        return LineMonthItem(Internal("sequence-month: no work item " + std::to_string(i)));
      }
      return LineMonthItem(app::SequenceLineMonth(*shared_scenario, *shared_plan,
                                                  lines[static_cast<size_t>(i)], month, options));
    };
  } catch (const json::exception& e) {
    return Internal(std::string("sequence-month job: ") + e.what());
  }
}

std::string YesNo(bool b) { return b ? "yes" : "no"; }

json MonthSummaryJson(const app::LineMonth& m) {
  json j = app::LineMonthToJson(m);
  int64_t cars = 0, windows = 0, unavoidable = 0;
  int optimal = 0, sequenced = 0;
  for (json& d : j["days"]) d.erase("csv");
  for (const app::LineMonthDay& d : m.days) {
    cars += d.cars;
    windows += d.overloaded_windows;
    unavoidable += d.unavoidable_excess;
    sequenced += d.cars > 0;
    optimal += d.cars > 0 && d.proved_optimal;
  }
  j["totals"] = {
      {"working_days", m.days.size()}, {"sequenced_days", sequenced},       {"cars", cars},
      {"overloaded_windows", windows}, {"unavoidable_excess", unavoidable}, {"proved_optimal_days", optimal}};
  return j;
}

std::string MonthTable(const app::LineMonth& m, const json& totals) {
  io::Table t({"date", "cars", "D-1", "HPRC", "colour changes", "LPRC", "overloaded windows",
               "unavoidable excess", "proved optimal"});
  for (int col : {1, 3, 4, 5, 6, 7}) t.SetAlign(col, io::Table::Align::kRight);
  for (const app::LineMonthDay& d : m.days) {
    if (d.cars == 0) {
      t.AddRow({d.date, "0", "", "", "", "", "", "", "no cars"});
      continue;
    }
    const std::string previous =
        d.previous_date.empty() ? "none"
                                : d.previous_date.substr(5) + (d.previous_from_solution ? "" : " (plan)");
    t.AddRow({d.date, io::FormatThousands(int64_t{d.cars}), previous, std::to_string(d.hprc),
              std::to_string(d.colour_changes), std::to_string(d.lprc), std::to_string(d.overloaded_windows),
              std::to_string(d.unavoidable_excess), YesNo(d.proved_optimal)});
  }
  t.AddRule();
  t.AddRow({"month", io::FormatThousands(totals["cars"].get<int64_t>()), "", "", "", "",
            std::to_string(totals["overloaded_windows"].get<int64_t>()),
            std::to_string(totals["unavoidable_excess"].get<int64_t>()),
            std::to_string(totals["proved_optimal_days"].get<int>()) + " of " +
                std::to_string(totals["sequenced_days"].get<int>())});
  return t.Render();
}

int RunSequenceMonth(const MonthArgs& args) {
  if (args.scenario.empty())
    return ReportError({ErrorKind::kInvalidInput, "--scenario: expected a scenario file, got none"});
  if (args.plan.empty()) {
    return ReportError(
        {ErrorKind::kInvalidInput,
         "--plan: expected a plan file (cobuild plan SCENARIO --out DIR writes DIR/plan.json), got none"});
  }
  auto ym = model::ParseYearMonth(args.month);
  if (!ym) return ReportError({ErrorKind::kInvalidInput, "--month: " + ym.error().message});
  auto scenario_text = io::ReadTextFile(args.scenario);
  if (!scenario_text) return ReportError(scenario_text.error());
  auto scenario = io::ParseScenario(*scenario_text, args.scenario);
  if (!scenario) return ReportError(scenario.error());
  const int month = scenario->horizon.IndexOf(*ym);
  if (month < 0) {
    return ReportError({ErrorKind::kInvalidInput,
                        "--month: expected a month of the horizon " +
                            model::ToString(scenario->horizon.first) + " to " +
                            model::ToString(scenario->horizon.MonthAt(scenario->horizon.num_months - 1)) +
                            ", got " + args.month});
  }
  auto base = app::ResolveBaseline(*scenario, app::PlanFile{.path = args.plan});
  if (!base) return ReportError(base.error());
  std::vector<int> lines;
  for (const std::string& id : args.lines) {
    auto line = app::ResolveLine(*scenario, id);
    if (!line) return ReportError({ErrorKind::kInvalidInput, "--lines: " + line.error().message});
    if (scenario->lines[static_cast<size_t>(*line)].stations.empty()) {
      return ReportError(
          {ErrorKind::kInvalidInput,
           "--lines: expected lines with stations to sequence against, got " + id + " (none)"});
    }
    if (std::find(lines.begin(), lines.end(), *line) == lines.end()) lines.push_back(*line);
  }
  if (args.lines.empty()) lines = app::LinesWithCars(*scenario, base->plan, month);
  if (lines.empty()) {
    return ReportError({ErrorKind::kInvalidInput,
                        "--month: expected a month in which the plan gives a line with "
                        "stations cars, got none in " +
                            args.month});
  }
  if (!args.out.empty()) {
    if (auto ready = io::PrepareOutputDir(args.out); !ready) {
      return ReportError({ErrorKind::kInvalidInput, "--out " + ready.error().message});
    }
  }
  const std::string context = json{
      {"scenario_file", args.scenario},
      {"scenario_yaml", *scenario_text},
      {"plan", io::WritePlanJson(*scenario, base->plan)},
      {"lines", lines},
      {"month", month},
      {"seed", args.seed},
      {"max_evals",
       args.max_evals}}.dump();
  auto solver = MakeLineMonthItemSolver(context);
  if (!solver) return ReportError(solver.error());
  auto progress = [](int done, int total) {
    std::cerr << "sequence-month: " << done << "/" << total << " lines\n";
  };
  scale::WorkOptions work = MpiWorkOptions("sequence-month", context, args.partial, progress);
  work.local_threads = args.threads;
  auto texts = scale::RunWorkItems(static_cast<int>(lines.size()), *solver, work);
  if (!texts) return ReportError(texts.error());

  json summary = {{"scenario", scenario->name},
                  {"month", args.month},
                  {"seed", args.seed},
                  {"max_evals_per_day", args.max_evals},
                  {"lines", json::array()}};
  std::optional<Error> first_error;
  std::string tables;
  for (size_t i = 0; i < texts->size(); ++i) {
    const json item = json::parse((*texts)[i], nullptr, false);
    const std::string& line_id = scenario->lines[static_cast<size_t>(lines[i])].id;
    if (item.is_discarded() || item.contains("error")) {
      Error error{item.is_discarded() || !item.value("invalid", false) ? ErrorKind::kInternal
                                                                       : ErrorKind::kInvalidInput,
                  item.is_discarded() ? line_id + ": unreadable result" : item["error"].get<std::string>()};
      std::cerr << "error: " << error.message << "\n";
      if (!first_error) first_error = error;
      summary["lines"].push_back({{"line", line_id}, {"error", error.message}});
      continue;
    }
    auto month_result = app::LineMonthFromJson(item);
    if (!month_result) return ReportError(month_result.error());
    json line_summary = MonthSummaryJson(*month_result);
    if (!args.out.empty()) {
      for (const app::LineMonthDay& d : month_result->days) {
        if (d.cars == 0) continue;
        const std::filesystem::path dir = std::filesystem::path(args.out) / month_result->line;
        if (auto ready = io::PrepareOutputDir(dir); !ready) return ReportError(ready.error());
        if (auto written = io::WriteTextFile(dir / (d.date + ".csv"), d.csv); !written) {
          return ReportError(written.error());
        }
      }
    }
    tables += "line " + month_result->line + " (" + month_result->plant + ") in " + month_result->month +
              ": " + std::to_string(month_result->days.size()) + " working days\n" +
              MonthTable(*month_result, line_summary["totals"]) + "\n";
    summary["lines"].push_back(std::move(line_summary));
  }
  const std::string summary_text = summary.dump(2, ' ', false, kJsonInvalidUtf8) + "\n";
  if (!args.out.empty()) {
    if (auto written = io::WriteTextFile(std::filesystem::path(args.out) / "summary.json", summary_text);
        !written) {
      return ReportError(written.error());
    }
  }
  if (args.format == OutputFormat::kJson) {
    std::cout << summary_text;
  } else {
    std::cout << "sequence-month " << args.month << " of " << scenario->name << ": " << lines.size()
              << " line" << (lines.size() == 1 ? "" : "s") << ", seed " << args.seed << ", "
              << io::FormatThousands(args.max_evals) << " move evaluations a day at most; each day's D-1 is "
              << "the previous day's solution (\"(plan)\": the month's first day, D-1 from the plan)\n\n"
              << tables;
    if (!args.out.empty()) std::cout << "CSV per day and summary.json written to " << args.out << "\n";
  }
  return first_error ? ExitCode(*first_error) : kExitOk;
}

}  // namespace

void RegisterSequenceWorkKinds() { scale::RegisterWorkKind("sequence-month", MakeLineMonthItemSolver); }

void AddSequenceCommands(CLI::App& app, int& exit_code) {
  {
    auto args = std::make_shared<InstanceArgs>();
    auto solution = std::make_shared<std::string>();
    auto format = std::make_shared<OutputFormat>();
    CLI::App* cmd = app.add_subcommand(
        "evaluate",
        "Score a day-D order (a solution file, or the input order): criteria, score, lower bound");
    AddInstanceArgs(cmd, args.get());
    cmd->add_option("SOLUTION_FILE", *solution, "Order as 'Date;SeqRank;Ident' lines");
    AddFormatOption(cmd, format.get());
    cmd->callback([&exit_code, args, solution, format] {
      // With --csplib the only positional is the solution, which CLI11
      // hands to the first positional slot.
      if (!args->csplib.empty() && !args->path.empty() && solution->empty()) std::swap(args->path, *solution);
      exit_code = RunEvaluate(*args, *solution, *format);
    });
  }
  {
    auto args = std::make_shared<InstanceArgs>();
    auto format = std::make_shared<OutputFormat>();
    CLI::App* cmd = app.add_subcommand("bound", "Lower bound per criterion of a sequencing instance");
    AddInstanceArgs(cmd, args.get());
    AddFormatOption(cmd, format.get());
    cmd->callback([&exit_code, args, format] { exit_code = RunBound(*args, *format); });
  }
  {
    auto args = std::make_shared<SequenceArgs>();
    CLI::App* cmd = app.add_subcommand(
        "sequence", "Order the day-D cars: local search on the ranked criteria, paint batch limit kept");
    AddInstanceArgs(cmd, &args->instance);
    cmd->add_option("--time-limit", args->time_limit_s, "Wall-time limit in seconds (default 10; 0 = none)")
        ->check(Seconds(/*zero_means_none=*/true));
    cmd->add_option("--seed", args->seed, "Random seed (default 1)");
    cmd->add_option("--max-evals", args->max_evals,
                    "Move evaluations per thread (work limit; deterministic result when reached first)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--threads", args->threads, "Independent searches in parallel; the best wins (default 1)")
        ->check(CLI::Range(1, 256));
    cmd->add_option("--out", args->out,
                    "Write the order as 'Date;SeqRank;Ident' lines (with --scenario: the day's cars as CSV)");
    cmd->add_option("--scenario", args->scenario,
                    "Sequence a line's day from a plan: the scenario FILE (with --plan, --line, --date)");
    cmd->add_option("--plan", args->plan, "Plan file (JSON or CSV) made for --scenario");
    cmd->add_option("--line", args->line, "Line id, e.g. halewood-2");
    cmd->add_option("--date", args->date, "Working day YYYY-MM-DD inside the horizon");
    cmd->add_flag("--quiet", args->quiet, "No progress lines on stderr");
    AddFormatOption(cmd, &args->format);
    cmd->callback([&exit_code, args] { exit_code = RunSequence(*args); });
  }
  {
    auto args = std::make_shared<MonthArgs>();
    CLI::App* cmd = app.add_subcommand(
        "sequence-month",
        "Sequence every working day of a month for each line, each day after the previous day's solution");
    cmd->add_option("--scenario", args->scenario, "Scenario FILE the plan was made for");
    cmd->add_option("--plan", args->plan, "Plan file (JSON or CSV) made for --scenario");
    cmd->add_option("--month", args->month, "Month YYYY-MM inside the horizon");
    cmd->add_option("--lines", args->lines,
                    "Line ids (default: every line with stations the plan gives cars that month)")
        ->delimiter(',');
    cmd->add_option("--seed", args->seed, "Random seed (default 1)");
    cmd->add_option("--max-evals", args->max_evals,
                    "Move evaluations per day, the work limit (default 1,000,000); no wall-clock limit, so "
                    "the month depends on the seed and this only")
        ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
    cmd->add_option("--threads", args->threads, "Lines sequenced at once without MPI (default 1)")
        ->check(CLI::Range(1, 256));
    cmd->add_option("--out", args->out, "Directory for LINE/YYYY-MM-DD.csv per day and summary.json");
    AddPartialOption(cmd, &args->partial);
    AddFormatOption(cmd, &args->format);
    cmd->callback([&exit_code, args] { exit_code = RunSequenceMonth(*args); });
  }
}

}  // namespace cobuild::cli
