// Car-sequencing subcommands: evaluate, bound, sequence. Thin: read the
// instance, call src/sequence, print.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "io/csplib_reader.h"
#include "io/roadef_reader.h"
#include "io/sequence_solution.h"
#include "io/table.h"
#include "sequence/evaluator.h"
#include "sequence/instance.h"
#include "sequence/lower_bound.h"
#include "sequence/solver.h"

namespace cobuild::cli {

namespace {

using nlohmann::json;
using sequence::Criteria;
using sequence::Instance;
using sequence::LowerBound;

// Where an instance comes from: a ROADEF folder (positional) or a CSPLib
// file (`--csplib FILE`, or a positional path that is a regular file).
struct InstanceArgs {
  std::string path;
  std::string csplib;
};

void AddInstanceArgs(CLI::App* cmd, InstanceArgs* args) {
  cmd->add_option("INSTANCE_DIR", args->path,
                  "ROADEF 2005 instance folder (vehicles.txt, ratios.txt, ...)");
  cmd->add_option("--csplib", args->csplib, "CSPLib prob001 file in the standard format");
}

Result<Instance> LoadInstance(const InstanceArgs& args) {
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

json CriteriaJson(const Instance& inst, const Criteria& c) {
  if (IsCsplib(inst)) return {{"violations", c.violations()}};
  return {{"hprc", c.hprc}, {"lprc", c.lprc}, {"colour_changes", c.colour_changes}};
}

json LowerBoundJson(const Instance& inst, const LowerBound& lb) {
  json j = CriteriaJson(inst, lb.criteria);
  j["score"] = lb.score;
  return j;
}

// (score - bound) / score; 0 when the score is 0.
double Gap(int64_t score, int64_t bound) {
  return score == 0 ? 0.0 : static_cast<double>(score - bound) / static_cast<double>(score);
}

// Whether the rank-1 criterion equals its lower bound.
bool Rank1Optimal(const Instance& inst, const Criteria& c, const LowerBound& lb) {
  if (IsCsplib(inst)) return c.violations() == lb.criteria.violations();
  if (inst.objective_order.empty()) return false;
  return c.Value(inst.objective_order[0]) == lb.criteria.Value(inst.objective_order[0]);
}

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
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << Header(*inst) << "order: " << (solution_path.empty() ? "input order" : solution_path)
              << "\n"
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
                     .dump(2)
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
  double time_limit_s = 10;
  uint64_t seed = 1;
  int64_t max_evals = 0;
  int threads = 1;
  std::string out;
  bool quiet = false;
  OutputFormat format = OutputFormat::kTable;
};

int RunSequence(const SequenceArgs& args) {
  auto inst = LoadInstance(args.instance);
  if (!inst) return ReportError(inst.error());
  const std::vector<int> input = sequence::InputOrder(*inst);
  auto input_criteria = sequence::Evaluate(*inst, input);
  if (!input_criteria) return ReportError(input_criteria.error());
  const int64_t input_score = sequence::Score(*inst, *input_criteria);
  const LowerBound lb = sequence::ComputeLowerBound(*inst);

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
  auto result = sequence::Solve(*inst, input, params);
  if (!result) return ReportError(result.error());
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
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << Header(*inst) << "input order score " << io::FormatThousands(input_score) << "\n"
            << CriteriaTable(*inst, result->criteria, result->score, lb) << "move evaluations "
            << io::FormatThousands(result->move_evals) << " in " << io::FormatThousands(result->seconds * 1000)
            << " ms (" << io::FormatThousands(evals_per_s) << "/s; CPU "
            << io::FormatThousands(result->cpu_seconds * 1000) << " ms; " << args.threads << " thread"
            << (args.threads > 1 ? "s" : "") << ", seed " << args.seed << ")\n";
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
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--seed", args->seed, "Random seed (default 1)");
    cmd->add_option("--max-evals", args->max_evals,
                    "Move evaluations per thread (work limit; deterministic result when reached first)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--threads", args->threads, "Independent searches in parallel; the best wins (default 1)")
        ->check(CLI::Range(1, 256));
    cmd->add_option("--out", args->out, "Write the order as 'Date;SeqRank;Ident' lines");
    cmd->add_flag("--quiet", args->quiet, "No progress lines on stderr");
    AddFormatOption(cmd, &args->format);
    cmd->callback([&exit_code, args] { exit_code = RunSequence(*args); });
  }
}

}  // namespace cobuild::cli
