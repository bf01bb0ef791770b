// Car-sequencing subcommands: evaluate, bound, sequence. Thin: read the
// instance, call src/sequence, print.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/baseline.h"
#include "app/line_day.h"
#include "cli/cli_common.h"
#include "cli/commands.h"
#include "io/csplib_reader.h"
#include "io/line_day_io.h"
#include "io/roadef_reader.h"
#include "io/scenario_reader.h"
#include "io/sequence_json.h"
#include "io/sequence_solution.h"
#include "io/table.h"
#include "io/text_lines.h"
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

}  // namespace

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
}

}  // namespace cobuild::cli
