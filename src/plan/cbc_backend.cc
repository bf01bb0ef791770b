// CLP/CBC adapter. Quirks of CBC 2.10 this file works around:
// - CBC does not check its time limit while CLP solves the root LP, nor
//   reliably inside long cut rounds: a ClpEventHandler and a CbcEventHandler
//   both watch our own wall-clock deadline and stop the solve.
// - `-sec` counts CPU seconds unless `-timeMode elapsed` is given.
// - CBC's preprocessing has declared feasible models infeasible; our models
//   are never infeasible (unmet demand is always allowed), so such a claim
//   is retried once with preprocessing off.
// - CBC minimises; our models maximise, so the objective is negated here,
//   and duals and reduced costs are negated back.
// - Event handlers are cloned when passed in, so they share state through
//   a pointer rather than members.
// - A stop request (MipParams::should_stop, SetStopCheck) is polled by the
//   same handlers, so it ends a solve as the deadline would.
// - A search told to stop still solves LPs to hand back its plan: at the end
//   of branchAndBound CBC re-solves its incumbent with the integers fixed
//   (CbcModel::checkSolution), and a CLP stopped there makes checkSolution
//   return 1e50, which CbcModel::setBestSolution writes into bestObjective_
//   itself (it is passed by reference); CbcSolver then sees no solution
//   (getMinimizationObjValue() >= 1e50) and the model comes back without a
//   plan, or with only the MIP start. So once CbcDeadline has told CBC to
//   stop, ClpDeadline lets CLP run for kWindDownSeconds more.
// - CbcMain0/CbcMain1 keep global state: two solves must not run at once in
//   one process (coin-or/Cbc issue #332). SolveMip holds CbcSolveLock, a
//   process-wide re-entrant lock, for each solve (see cbc_backend.h).
// - CBC hands its time limit (`-sec`, less the time already spent) to its
//   preprocessing (CglPreProcess, Cgl 0.60.3 and still upstream). When that
//   limit runs out between two of its passes, the pass loop ends without
//   lowering its pass count, so the models of the passes not run stay null,
//   and CglPreProcess::postProcess, which maps a solution back through every
//   pass, dereferences one: a segfault at address 0 in postProcess (kernel
//   log: libCgl.so.1.10.3 offset 0x95c75). It took `cobuild serve` down in
//   deal jobs, whose short sweep solves and primal improvement sub-MIPs
//   often have well under a second left when preprocessing starts. So CBC
//   gets no time limit on its command line; CbcLimitTime() sets it once
//   preprocessing is over, just before branch and cut (CbcMain1's callback,
//   whereFrom 3). Preprocessing itself is bounded by ClpDeadline, which stops
//   its LPs at our deadline (CglPreProcess then gives up, as it does on an
//   infeasible pass, and returns no model, which postProcess never sees).
#include "plan/cbc_backend.h"

#include <fmt/format.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "CbcEventHandler.hpp"
#include "CbcModel.hpp"
#include "CbcSolver.hpp"
#include "CglFlowCover.hpp"
#include "CglGomory.hpp"
#include "CglKnapsackCover.hpp"
#include "CglMixedIntegerRounding2.hpp"
#include "CglTwomir.hpp"
#include "ClpEventHandler.hpp"
#include "ClpSimplex.hpp"
#include "CoinError.hpp"
#include "CoinLpIO.hpp"
#include "CoinMpsIO.hpp"
#include "CoinPackedMatrix.hpp"
#include "CoinWarmStartBasis.hpp"
#include "OsiClpSolverInterface.hpp"
#include "OsiCuts.hpp"

namespace cobuild::plan {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

bool StopRequested(const std::function<bool()>* should_stop) {
  return should_stop != nullptr && *should_stop && (*should_stop)();
}

// How long the LPs CBC solves after it was told to stop (checking its
// incumbent with the integers fixed, mapping it back through preprocessing)
// may run past the deadline. Stopping those LPs loses the plan (see the note
// at the top of this file).
constexpr double kWindDownSeconds = 1.0;

struct SearchState;

// Stops CLP at the deadline or on a stop request; inside a branch and cut
// (`search` set), once the search was told to stop, only at the end of its
// wind-down.
class ClpDeadline : public ClpEventHandler {
 public:
  ClpDeadline(Clock::time_point deadline, const std::function<bool()>* should_stop,
              SearchState* search = nullptr)
      : deadline_(deadline), should_stop_(should_stop), search_(search) {}
  int event(Event which) override;
  ClpEventHandler* clone() const override { return new ClpDeadline(*this); }

 private:
  Clock::time_point deadline_;
  const std::function<bool()>* should_stop_;
  SearchState* search_;
};

struct SearchState {
  Clock::time_point start;
  Clock::time_point deadline;
  // When CBC's own limit should stop branch and cut: a little before
  // `deadline`, so that CBC, not our handler, ends the search.
  Clock::time_point cbc_deadline;
  double elapsed_offset = 0;
  double last_report = -1;
  // The stall rule (StallClock); `stalled` once it told CBC to stop.
  double stall_seconds = 0;
  StallClock stall{0};
  bool stalled = false;
  // Set when CbcDeadline first tells CBC to stop: from then on CLP runs the
  // LPs that hand back CBC's plan, until wind_down_deadline.
  bool winding_down = false;
  Clock::time_point wind_down_deadline;
  // Set when our LP handler cut one of CBC's LPs short: CBC may then read
  // its bound off an LP that did not finish, and an interrupted simplex's
  // objective is no bound (a deal fee point's primal simplex, stopped in
  // CBC's first LP, gave a "bound" GBP 100m below a plan the planner held,
  // and with it a gap of 0). The search's bound is then the best CBC showed
  // at an event before the cut (events come between LPs, each finished):
  // event_bound, infinite (no claim) when there was none.
  bool lp_cut_short = false;
  double event_bound = kInfinity;
  double objective_offset = 0;  // the model's (CBC's objective leaves it out)
  const std::function<void(const Progress&)>* on_progress = nullptr;
  const std::function<bool()>* should_stop = nullptr;
};

// CBC's bound in the model's terms (its own objective leaves the offset
// out), or kInfinity when it reports none.
double CbcBound(const SearchState& state, const CbcModel& model) {
  const double bound = -model.getBestPossibleObjValue();
  return std::isfinite(bound) && std::abs(bound) < 1e40 ? bound + state.objective_offset : kInfinity;
}

// The bound the search can stand by: CBC's, or once one of its LPs was cut
// short the best it showed before (SearchState::lp_cut_short).
double StandingBound(const SearchState& state, const CbcModel& model) {
  return state.lp_cut_short ? state.event_bound : CbcBound(state, model);
}

int ClpDeadline::event(Event which) {
  if (which != endOfIteration) return -1;
  const Clock::time_point now = Clock::now();
  const bool stop = search_ != nullptr && search_->winding_down
                        ? now > search_->wind_down_deadline
                        : now > deadline_ || StopRequested(should_stop_);
  if (stop && search_ != nullptr) search_->lp_cut_short = true;
  return stop ? 0 : -1;
}

class CbcDeadline : public CbcEventHandler {
 public:
  explicit CbcDeadline(SearchState* state) : state_(state) {}
  CbcAction event(CbcEvent which) override {
    const double elapsed = SecondsSince(state_->start);
    // CBC's heuristics solve small MIPs of their own, with clones of this
    // handler: their plans and bounds are not the search's.
    if (model_->parentModel() != nullptr) {
      return Clock::now() > state_->deadline || StopRequested(state_->should_stop) ? Stop() : noAction;
    }
    if (!state_->lp_cut_short)
      state_->event_bound = std::min(state_->event_bound, CbcBound(*state_, *model_));
    if (state_->on_progress != nullptr && *state_->on_progress &&
        (which == solution || which == heuristicSolution || elapsed - state_->last_report >= 1.0)) {
      state_->last_report = elapsed;
      Progress progress;
      progress.phase = "mip";
      progress.elapsed_seconds = elapsed + state_->elapsed_offset;
      const double incumbent = model_->getObjValue();
      progress.has_incumbent = model_->bestSolution() != nullptr && incumbent < 1e40;
      progress.incumbent_gbp = progress.has_incumbent ? -incumbent + state_->objective_offset : 0;
      // The bound as SolveMip would hand it back (only as far as the LPs it
      // rests on finished), and none (0) when it is no bound: a progress line
      // keeps the smallest bound it was shown, so one stray value would stay
      // (a GBP -22,303bn "bound" on the generated L network).
      const double bound = StandingBound(*state_, *model_);
      const bool plausible =
          bound < kInfinity && (!progress.has_incumbent || bound >= progress.incumbent_gbp);
      progress.bound_gbp = plausible ? bound : 0;
      progress.gap = progress.has_incumbent && plausible ? RelativeGap(progress.incumbent_gbp, bound) : 1;
      (*state_->on_progress)(progress);
    }
    if (state_->stall_seconds > 0) {
      const bool has = model_->bestSolution() != nullptr && model_->getObjValue() < 1e40;
      // At the root until the first tree node (phase 0: its LP, 1: its cut rounds).
      const bool at_root = model_->getNodeCount() == 0 && model_->phase() <= 1;
      state_->stall.Observe(elapsed, at_root, has, has ? -model_->getObjValue() : 0,
                            -model_->getBestPossibleObjValue());
      if (state_->stall.Stalled(elapsed) && !state_->stalled) {
        // CBC's own time limit stops it cleanly (mapping its incumbent back
        // through preprocessing): set it to now.
        state_->stalled = true;
        model_->setMaximumSeconds(0);
      }
      // Should CBC not check its limit soon (long cut rounds), stop it.
      if (state_->stalled && state_->stall.Overdue(elapsed) > 2) return Stop();
    }
    return Clock::now() > state_->deadline || StopRequested(state_->should_stop) ? Stop() : noAction;
  }
  CbcEventHandler* clone() const override { return new CbcDeadline(*this); }
  const SearchState& state() const { return *state_; }

 private:
  CbcAction Stop() {
    if (!state_->winding_down) {
      state_->winding_down = true;
      state_->wind_down_deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                      std::chrono::duration<double>(kWindDownSeconds));
    }
    return stop;
  }

  SearchState* state_;
};

double ToCoin(double value, double infinity) {
  if (value >= kInfinity) return infinity;
  if (value <= -kInfinity) return -infinity;
  return value;
}

// CbcMain1's callback: at whereFrom 3, after preprocessing and just before
// branch and cut, sets CBC's time limit to what is left until the solve's
// CBC deadline (see the note at the top of this file on why not earlier).
// The model is CbcMain1's own copy, which carries a clone of our handler.
int CbcLimitTime(CbcModel* model, int where_from) {
  if (where_from != 3 || model == nullptr) return 0;
  const auto* handler = dynamic_cast<const CbcDeadline*>(model->getEventHandler());
  if (handler == nullptr) return 0;
  const double left = std::chrono::duration<double>(handler->state().cbc_deadline - Clock::now()).count();
  model->setMaximumSeconds(model->getCurrentSeconds() + std::max(0.0, left));
  return 0;
}

std::mutex& CbcMutex() {
  static std::mutex mutex;
  return mutex;
}

// How many CbcSolveLocks this thread holds (the mutex is locked while > 0).
thread_local int cbc_lock_depth = 0;

// The text of a file, or nullopt when it cannot be read.
std::optional<std::string> Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Free-format MPS, written here rather than by CoinMpsIO, which marks
// integers through bound types (BV, UI) and so drops the integrality of a
// fixed integer column (FX). Integer columns sit between INTORG/INTEND
// markers and always carry explicit bounds (some readers take an unbounded
// marked column as binary). Numbers in the shortest form that reads back
// exactly. `cost` is the objective as written (minimised); the objective
// row's RHS is lp.objective_offset, so its constant, minus the RHS, is the
// negated objective's.
bool WriteMps(const LinearProgram& lp, const std::vector<double>& cost,
              const std::vector<std::string>& column_names, const std::vector<std::string>& row_names,
              const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return false;
  auto num = [](double v) { return fmt::format("{}", v); };
  const int num_cols = lp.num_cols();
  const int num_rows = lp.num_rows();
  out << "NAME          cobuild\nROWS\n N  OBJROW\n";
  for (int i = 0; i < num_rows; ++i) {
    const bool lower = std::isfinite(lp.row_lower[i]);
    const bool upper = std::isfinite(lp.row_upper[i]);
    const char* type = lower && upper && lp.row_lower[i] == lp.row_upper[i] ? "E"
                       : upper                                              ? "L"
                       : lower                                              ? "G"
                                                                            : "L";
    out << " " << type << "  " << row_names[i] << "\n";
  }
  // Entries by column.
  std::vector<std::vector<std::pair<int, double>>> by_column(static_cast<size_t>(num_cols));
  for (int64_t e = 0; e < lp.num_entries(); ++e) {
    by_column[static_cast<size_t>(lp.entry_col[e])].emplace_back(lp.entry_row[e], lp.entry_value[e]);
  }
  out << "COLUMNS\n";
  bool in_integers = false;
  int marker = 0;
  for (int j = 0; j < num_cols; ++j) {
    const bool integer = lp.is_integer[j] != 0;
    if (integer != in_integers) {
      out << "    MARKER" << marker++ << " 'MARKER' " << (integer ? "'INTORG'" : "'INTEND'") << "\n";
      in_integers = integer;
    }
    const std::string& name = column_names[j];
    if (cost[j] != 0 || by_column[j].empty()) out << "    " << name << " OBJROW " << num(cost[j]) << "\n";
    for (const auto& [row, value] : by_column[j])
      out << "    " << name << " " << row_names[row] << " " << num(value) << "\n";
  }
  if (in_integers) out << "    MARKER" << marker++ << " 'MARKER' 'INTEND'\n";
  out << "RHS\n";
  if (lp.objective_offset != 0) out << "    RHS OBJROW " << num(lp.objective_offset) << "\n";
  std::vector<int> ranged;
  for (int i = 0; i < num_rows; ++i) {
    const bool lower = std::isfinite(lp.row_lower[i]);
    const bool upper = std::isfinite(lp.row_upper[i]);
    // A free row (no bound) is written as "<= 1e30".
    const double rhs = upper ? lp.row_upper[i] : lower ? lp.row_lower[i] : 1e30;
    if (rhs != 0) out << "    RHS " << row_names[i] << " " << num(rhs) << "\n";
    if (lower && upper && lp.row_lower[i] != lp.row_upper[i]) ranged.push_back(i);
  }
  if (!ranged.empty()) {
    out << "RANGES\n";
    for (const int i : ranged)
      out << "    RNG " << row_names[i] << " " << num(lp.row_upper[i] - lp.row_lower[i]) << "\n";
  }
  out << "BOUNDS\n";
  for (int j = 0; j < num_cols; ++j) {
    const std::string& name = column_names[j];
    const double lo = lp.col_lower[j];
    const double up = lp.col_upper[j];
    const bool integer = lp.is_integer[j] != 0;
    if (std::isfinite(lo) && lo == up) {
      out << " FX BOUND " << name << " " << num(lo) << "\n";
      continue;
    }
    if (!std::isfinite(lo) && !std::isfinite(up)) {
      out << " FR BOUND " << name << "\n";
      continue;
    }
    if (!std::isfinite(lo)) {
      out << " MI BOUND " << name << "\n";
    } else if (lo != 0) {
      out << " LO BOUND " << name << " " << num(lo) << "\n";
    }
    if (std::isfinite(up)) {
      out << " UP BOUND " << name << " " << num(up) << "\n";
    } else if (integer) {
      out << " PL BOUND " << name << "\n";
    }
  }
  out << "ENDATA\n";
  out.close();
  return static_cast<bool>(out);
}

// For its lifetime, CLP's re-solves use `method` (OsiClp re-solves by dual
// simplex unless told otherwise); the hint is put back when it ends, even
// when CLP throws, so later re-solves are dual again.
class ResolveBy {
 public:
  ResolveBy(OsiClpSolverInterface& solver, Simplex method)
      : solver_(solver), primal_(method == Simplex::kPrimal) {
    if (!primal_) return;
    solver_.getHintParam(OsiDoDualInResolve, dual_, strength_);
    solver_.setHintParam(OsiDoDualInResolve, false, OsiHintDo);
  }
  ~ResolveBy() {
    if (primal_) solver_.setHintParam(OsiDoDualInResolve, dual_, strength_);
  }
  ResolveBy(const ResolveBy&) = delete;
  ResolveBy& operator=(const ResolveBy&) = delete;

 private:
  OsiClpSolverInterface& solver_;
  const bool primal_;
  bool dual_ = true;
  OsiHintStrength strength_ = OsiHintTry;
};

// Whether `x` keeps the solver's current column and row bounds, to the
// tolerance KeepsEveryRow uses for the model's (WithinBounds).
bool KeepsCurrentBounds(const OsiClpSolverInterface& solver, const double* x) {
  const double* col_lower = solver.getColLower();
  const double* col_upper = solver.getColUpper();
  for (int j = 0; j < solver.getNumCols(); ++j) {
    if (!WithinBounds(x[j], col_lower[j], col_upper[j])) return false;
  }
  std::vector<double> activity(static_cast<size_t>(solver.getNumRows()));
  solver.getMatrixByRow()->times(x, activity.data());
  const double* row_lower = solver.getRowLower();
  const double* row_upper = solver.getRowUpper();
  for (int i = 0; i < solver.getNumRows(); ++i) {
    if (!WithinBounds(activity[i], row_lower[i], row_upper[i])) return false;
  }
  return true;
}

// Marks each column integer or continuous, as `integer` says: for CGL's cut
// generators and for branch and cut.
void MarkIntegers(OsiClpSolverInterface& solver, const std::vector<char>& integer) {
  for (int j = 0; j < solver.getNumCols(); ++j) {
    if (integer[j])
      solver.setInteger(j);
    else
      solver.setContinuous(j);
  }
}

}  // namespace

Result<void> WriteModelFile(const LinearProgram& lp, const std::vector<std::string>& column_names,
                            const std::vector<std::string>& row_names,
                            const std::vector<std::string>& comment, const std::string& path,
                            ModelFileFormat format) {
  const int num_cols = lp.num_cols();
  const int num_rows = lp.num_rows();
  if (column_names.size() != static_cast<size_t>(num_cols) ||
      row_names.size() != static_cast<size_t>(num_rows))
    return Internal("model file: one name per column and row expected");
  CoinPackedMatrix matrix(true, lp.entry_row.data(), lp.entry_col.data(), lp.entry_value.data(),
                          static_cast<CoinBigIndex>(lp.num_entries()));
  matrix.setDimensions(num_rows, num_cols);
  const double inf = COIN_DBL_MAX;
  std::vector<double> col_lower(num_cols), col_upper(num_cols), row_lower(num_rows), row_upper(num_rows);
  for (int j = 0; j < num_cols; ++j) {
    col_lower[j] = ToCoin(lp.col_lower[j], inf);
    col_upper[j] = ToCoin(lp.col_upper[j], inf);
  }
  for (int i = 0; i < num_rows; ++i) {
    row_lower[i] = ToCoin(lp.row_lower[i], inf);
    row_upper[i] = ToCoin(lp.row_upper[i], inf);
  }
  // MPS: readers disagree on OBJSENSE (CoinMpsIO, so the `cbc` command
  // line, ignores OBJSENSE MAX), so the file minimises the negated
  // objective, as every reader understands. Its constant is minus the RHS
  // of the objective row. LP: "Maximize" is read alike by all; CoinLpIO
  // writes "Minimize", turned into "Maximize" below, and the offset as the
  // constant term.
  std::vector<double> cost(num_cols);
  for (int j = 0; j < num_cols; ++j)
    cost[j] = format == ModelFileFormat::kMps ? -lp.objective[j] : lp.objective[j];
  const std::string temp = path + ".part";
  std::string mark;
  try {
    if (format == ModelFileFormat::kMps) {
      if (!WriteMps(lp, cost, column_names, row_names, temp)) {
        std::remove(temp.c_str());
        return InvalidInput(path + ": cannot write the MPS file");
      }
      mark = "* ";
    } else {
      CoinLpIO out;
      out.messageHandler()->setLogLevel(0);
      out.setInfinity(inf);
      out.setLpDataWithoutRowAndColNames(matrix, col_lower.data(), col_upper.data(), cost.data(),
                                         lp.is_integer.data(), row_lower.data(), row_upper.data());
      std::vector<const char*> rows, cols;
      for (const std::string& name : row_names) rows.push_back(name.c_str());
      rows.push_back("contribution");
      for (const std::string& name : column_names) cols.push_back(name.c_str());
      if (out.are_invalid_names(cols.data(), num_cols, false) != 0 ||
          out.are_invalid_names(rows.data(), num_rows + 1, true) != 0) {
        return Internal(path + ": a name breaks the LP format's rules");
      }
      out.setLpDataRowAndColNames(rows.data(), cols.data());
      out.setObjectiveOffset(lp.objective_offset);
      if (out.writeLp(temp.c_str(), 1e-15, 5, 15, true) != 0)
        return InvalidInput(path + ": cannot write the LP file");
      mark = "\\ ";
    }
  } catch (const CoinError& e) {
    std::remove(temp.c_str());
    return Internal(path + ": " + e.message());
  }
  std::optional<std::string> text = Slurp(temp);
  std::remove(temp.c_str());
  if (!text) return InvalidInput(path + ": cannot read back the file just written");
  if (format == ModelFileFormat::kLp) {
    const size_t at = text->find("Minimize");
    if (at == std::string::npos) return Internal(path + ": CoinLpIO wrote no objective sense");
    text->replace(at, 8, "Maximize");
  }
  std::string head;
  for (const std::string& line : comment) head += mark + line + "\n";
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << head << *text;
  out.close();
  if (!out) return InvalidInput(path + ": cannot write the model file");
  return {};
}

Result<LinearProgram> ReadModelFile(const std::string& path, ModelFileFormat format) {
  // Both readers hold a minimisation "objective * x - offset" (CoinLpIO
  // flips a "Maximize" file into one); its maximised equivalent is
  // "-objective * x + offset".
  LinearProgram lp;
  auto fill = [&lp](auto& io) {
    const int num_cols = io.getNumCols();
    const int num_rows = io.getNumRows();
    const CoinPackedMatrix* matrix = io.getMatrixByCol();
    for (int j = 0; j < num_cols; ++j) {
      auto finite = [](double v) { return std::abs(v) >= 1e30 ? (v > 0 ? kInfinity : -kInfinity) : v; };
      lp.AddColumn(finite(io.getColLower()[j]), finite(io.getColUpper()[j]), -io.getObjCoefficients()[j],
                   io.isInteger(j), io.columnName(j));
      const CoinShallowPackedVector column = matrix->getVector(j);
      for (int k = 0; k < column.getNumElements(); ++k)
        lp.AddEntry(column.getIndices()[k], j, column.getElements()[k]);
    }
    for (int i = 0; i < num_rows; ++i) {
      auto finite = [](double v) { return std::abs(v) >= 1e30 ? (v > 0 ? kInfinity : -kInfinity) : v; };
      lp.AddRow(finite(io.getRowLower()[i]), finite(io.getRowUpper()[i]), io.rowName(i));
    }
    lp.objective_offset = io.objectiveOffset();
  };
  try {
    if (format == ModelFileFormat::kMps) {
      CoinMpsIO mps;
      mps.messageHandler()->setLogLevel(0);
      if (mps.readMps(path.c_str(), "") != 0) return InvalidInput(path + ": not a readable MPS file");
      fill(mps);
    } else {
      CoinLpIO in;
      in.messageHandler()->setLogLevel(0);
      in.readLp(path.c_str(), 1e-15);
      fill(in);
    }
  } catch (const CoinError& e) {
    return InvalidInput(path + ": " + e.message());
  }
  return lp;
}

CbcSolveLock::CbcSolveLock(const std::function<void()>& on_wait) {
  if (cbc_lock_depth++ > 0) return;
  if (!CbcMutex().try_lock()) {
    if (on_wait) on_wait();
    CbcMutex().lock();
  }
}

CbcSolveLock::~CbcSolveLock() { Release(); }

void CbcSolveLock::Release() {
  if (!held_) return;
  held_ = false;
  if (--cbc_lock_depth == 0) CbcMutex().unlock();
}

struct MipSolver::Impl {
  OsiClpSolverInterface solver;
  std::vector<char> integer;
  double offset = 0;
  bool solved_once = false;  // or given a basis: the next LP starts from the current one
  std::function<bool()> should_stop;
};

namespace {

// CLP allocates its work arrays at the start of every solve and frees them
// at its end: on the default scenario's model, a few megabytes per node LP
// of the retooling search. glibc hands the heap's free top back to the
// system once it passes 128 KiB, so each solve faulted its arrays' pages in
// again, zeroed: the search's 395 node LPs took 9.6 s of user and 1.8 s of
// system CPU, against 7.4 s and 0.1 s with the freed memory kept (the same
// bounds and LP counts; docs/benchmarks.md, 4 December). So, once per
// process, blocks up to 32 MiB come from the heap (not each its own
// mapping), and up to 256 MiB of free heap top stay with the process. This
// is process-wide, and so for every solver in it (CBC's sub-MIPs too); the
// cost is at most 256 MiB of memory the process holds without using.
void KeepFreedSolverMemory() {
#if defined(__GLIBC__)
  static std::once_flag once;
  std::call_once(once, [] {
    constexpr int kMapAbove = 32 << 20;
    constexpr int kKeepTop = 256 << 20;
    mallopt(M_MMAP_THRESHOLD, kMapAbove);
    mallopt(M_TRIM_THRESHOLD, kKeepTop);
  });
#endif
}

}  // namespace

MipSolver::MipSolver(const LinearProgram& lp) : impl_(std::make_unique<Impl>()) {
  KeepFreedSolverMemory();
  OsiClpSolverInterface& solver = impl_->solver;
  const double inf = solver.getInfinity();
  const int num_cols = lp.num_cols();
  const int num_rows = lp.num_rows();
  CoinPackedMatrix matrix(true, lp.entry_row.data(), lp.entry_col.data(), lp.entry_value.data(),
                          static_cast<CoinBigIndex>(lp.num_entries()));
  matrix.setDimensions(num_rows, num_cols);
  std::vector<double> col_lower(num_cols), col_upper(num_cols), cost(num_cols);
  for (int j = 0; j < num_cols; ++j) {
    col_lower[j] = ToCoin(lp.col_lower[j], inf);
    col_upper[j] = ToCoin(lp.col_upper[j], inf);
    cost[j] = -lp.objective[j];
  }
  std::vector<double> row_lower(num_rows), row_upper(num_rows);
  for (int i = 0; i < num_rows; ++i) {
    row_lower[i] = ToCoin(lp.row_lower[i], inf);
    row_upper[i] = ToCoin(lp.row_upper[i], inf);
  }
  solver.loadProblem(matrix, col_lower.data(), col_upper.data(), cost.data(), row_lower.data(),
                     row_upper.data());
  solver.setObjSense(1.0);
  // A large model's first LP goes through CLP's presolve, which OsiClp's
  // initialSolve skips unless asked: on the generated L network (274,612
  // columns) the dual simplex took 9.7 s without it and 3.8-4.6 s with it
  // (same optimum). A small one's is solved as before: the default
  // scenario's (9,277 columns) and M's (47,237) take 0.2 s and 0.4-0.5 s
  // either way, and presolve would only move them to another optimal vertex.
  // Re-solves start from the basis, unpresolved.
  constexpr int kPresolveColumns = 100'000;
  if (num_cols >= kPresolveColumns) solver.setHintParam(OsiDoPresolveInInitial, true, OsiHintDo);
  solver.messageHandler()->setLogLevel(0);
  solver.getModelPtr()->setLogLevel(0);
  impl_->integer = lp.is_integer;
  impl_->offset = lp.objective_offset;
}

MipSolver::MipSolver() : impl_(std::make_unique<Impl>()) {}

MipSolver::~MipSolver() = default;

std::unique_ptr<MipSolver> MipSolver::Copy() const {
  std::unique_ptr<MipSolver> copy(new MipSolver());
  copy->impl_->solver = impl_->solver;
  copy->impl_->integer = impl_->integer;
  copy->impl_->offset = impl_->offset;
  copy->impl_->solved_once = impl_->solved_once;
  if (impl_->solved_once) copy->SetBasis(Basis());
  return copy;
}

void MipSolver::SetColumnBounds(int column, double lower, double upper) {
  const double inf = impl_->solver.getInfinity();
  impl_->solver.setColBounds(column, ToCoin(lower, inf), ToCoin(upper, inf));
}

void MipSolver::SetRowBounds(int row, double lower, double upper) {
  const double inf = impl_->solver.getInfinity();
  impl_->solver.setRowBounds(row, ToCoin(lower, inf), ToCoin(upper, inf));
}

LpBasis MipSolver::Basis() const {
  LpBasis basis;
  if (!impl_->solved_once) return basis;
  const std::unique_ptr<CoinWarmStart> start(impl_->solver.getWarmStart());
  const auto* coin = dynamic_cast<const CoinWarmStartBasis*>(start.get());
  if (coin == nullptr) return basis;
  basis.columns.resize(static_cast<size_t>(coin->getNumStructural()));
  for (size_t j = 0; j < basis.columns.size(); ++j) {
    basis.columns[j] = static_cast<BasisStatus>(coin->getStructStatus(static_cast<int>(j)));
  }
  basis.rows.resize(static_cast<size_t>(coin->getNumArtificial()));
  for (size_t i = 0; i < basis.rows.size(); ++i) {
    basis.rows[i] = static_cast<BasisStatus>(coin->getArtifStatus(static_cast<int>(i)));
  }
  return basis;
}

void MipSolver::SetBasis(const LpBasis& basis) {
  OsiClpSolverInterface& solver = impl_->solver;
  if (basis.columns.size() != static_cast<size_t>(solver.getNumCols()) ||
      basis.rows.size() != static_cast<size_t>(solver.getNumRows())) {
    return;  // not this model's: keep the cold start
  }
  CoinWarmStartBasis coin;
  coin.setSize(solver.getNumCols(), solver.getNumRows());
  for (size_t j = 0; j < basis.columns.size(); ++j) {
    coin.setStructStatus(static_cast<int>(j), static_cast<CoinWarmStartBasis::Status>(basis.columns[j]));
  }
  for (size_t i = 0; i < basis.rows.size(); ++i) {
    coin.setArtifStatus(static_cast<int>(i), static_cast<CoinWarmStartBasis::Status>(basis.rows[i]));
  }
  if (solver.setWarmStart(&coin)) impl_->solved_once = true;  // resolve() from it
}

void MipSolver::SetInteger(int column, bool integer) { impl_->integer[column] = integer ? 1 : 0; }

void MipSolver::SetStopCheck(std::function<bool()> should_stop) {
  impl_->should_stop = std::move(should_stop);
}

LpSolution MipSolver::SolveRelaxation(double time_limit_seconds, Simplex method) {
  LpSolution result;
  OsiClpSolverInterface& solver = impl_->solver;
  ClpSimplex* clp = solver.getModelPtr();
  const ClpDeadline handler(
      Clock::now() + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(std::max(0.0, time_limit_seconds))),
      &impl_->should_stop);
  clp->passInEventHandler(&handler);
  try {
    if (impl_->solved_once) {
      const ResolveBy by(solver, method);
      solver.resolve();
    } else {
      solver.initialSolve();
      impl_->solved_once = true;
    }
  } catch (const CoinError& e) {
    result.status = LpStatus::kError;
    return result;
  }
  const ClpEventHandler plain;
  clp->passInEventHandler(&plain);
  if (solver.isProvenOptimal()) {
    result.status = LpStatus::kOptimal;
  } else if (solver.isProvenPrimalInfeasible()) {
    result.status = LpStatus::kInfeasible;
    return result;
  } else if (clp->status() == 3 || clp->status() == 5) {
    result.status = LpStatus::kTimeLimit;
    // A primal simplex keeps its point feasible once its first phase is
    // over: stopped in the second, where it stands is a feasible point. CLP's
    // own count of infeasibilities can be stale (a stop before its first
    // iteration after bounds changed leaves the last solve's point and
    // count: on L, a point 0.04% above the bound with fractional shifts), so
    // the point is checked here against the bounds the LP has now.
    if (impl_->solved_once && method == Simplex::kPrimal &&
        KeepsCurrentBounds(solver, solver.getColSolution())) {
      result.values.assign(solver.getColSolution(), solver.getColSolution() + solver.getNumCols());
    }
    return result;
  } else {
    result.status = LpStatus::kError;
    return result;
  }
  const int num_cols = solver.getNumCols();
  const int num_rows = solver.getNumRows();
  result.objective = -solver.getObjValue() + impl_->offset;
  result.values.assign(solver.getColSolution(), solver.getColSolution() + num_cols);
  result.row_duals.resize(num_rows);
  const double* duals = solver.getRowPrice();
  for (int i = 0; i < num_rows; ++i) result.row_duals[i] = -duals[i];
  result.reduced_costs.resize(num_cols);
  const double* reduced = solver.getReducedCost();
  for (int j = 0; j < num_cols; ++j) result.reduced_costs[j] = -reduced[j];
  return result;
}

CutRounds MipSolver::AddCutRounds(int max_rounds, double time_limit_seconds) {
  CutRounds result;
  OsiClpSolverInterface& solver = impl_->solver;
  const auto begin = Clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - begin).count(); };
  const int model_rows = solver.getNumRows();
  LpSolution last = SolveRelaxation(time_limit_seconds);  // at an optimum already: no iterations
  if (last.status != LpStatus::kOptimal) {
    result.relaxation = std::move(last);
    return result;
  }
  MarkIntegers(solver, impl_->integer);
  CglGomory gomory;
  gomory.setLimit(100);  // cuts over at most 100 columns: longer ones are numerically weak
  CglMixedIntegerRounding2 mir;
  CglTwomir two_mir;
  CglFlowCover flow_cover;
  CglKnapsackCover knapsack;
  CglCutGenerator* const generators[] = {&gomory, &mir, &two_mir, &flow_cover, &knapsack};
  double longest = 0;
  for (int round = 0; round < max_rounds; ++round) {
    const double round_start = elapsed();
    if (time_limit_seconds - round_start <= longest) break;
    OsiCuts cuts;
    for (CglCutGenerator* generator : generators) generator->generateCuts(solver, cuts);
    if (cuts.sizeRowCuts() == 0) break;
    const int before = solver.getNumRows();
    const LpBasis at_last = Basis();  // the last round's optimal basis, for these rows
    std::vector<const OsiRowCut*> rows(static_cast<size_t>(cuts.sizeRowCuts()));
    for (size_t k = 0; k < rows.size(); ++k) rows[k] = cuts.rowCutPtr(static_cast<int>(k));
    solver.applyRowCuts(static_cast<int>(rows.size()), rows.data());
    LpSolution next = SolveRelaxation(time_limit_seconds - elapsed());
    longest = std::max(longest, elapsed() - round_start);
    if (next.status != LpStatus::kOptimal) {
      // Not re-solved in time: this round's rows go, and the LP goes back to
      // the last round's optimal basis, which fits the rows left: its
      // re-solve takes no iteration, so it gets kBackSeconds whatever the
      // time left (a deadline already past would stop CLP before it saw
      // the basis optimal). Should even that fail, no cut is kept.
      constexpr double kBackSeconds = 1;
      std::vector<int> added(solver.getNumRows() - before);
      for (size_t k = 0; k < added.size(); ++k) added[k] = before + static_cast<int>(k);
      solver.deleteRows(static_cast<int>(added.size()), added.data());
      SetBasis(at_last);
      LpSolution back = SolveRelaxation(std::max(kBackSeconds, time_limit_seconds - elapsed()));
      if (back.status != LpStatus::kOptimal) last = std::move(back);
      break;
    }
    ++result.rounds;
    result.cuts = solver.getNumRows() - model_rows;
    const double gain = last.objective - next.objective;
    last = std::move(next);
    if (gain < 1e-7 * std::max(1.0, std::abs(last.objective))) break;
  }
  for (int j = 0; j < solver.getNumCols(); ++j) solver.setContinuous(j);
  result.relaxation = std::move(last);
  return result;
}

void StallClock::Observe(double elapsed, bool at_root, bool has_incumbent, double incumbent, double bound) {
  if (!at_root && root_end_ < 0) root_end_ = elapsed;
  const double move = kStallMove * std::max(1.0, std::abs(incumbent));
  if (at_root || has_incumbent != has_incumbent_ || (has_incumbent && incumbent > incumbent_ + move) ||
      bound < bound_ - move) {
    last_move_ = elapsed;
    incumbent_ = incumbent;
    has_incumbent_ = has_incumbent;
    bound_ = std::min(bound_, bound);
  }
}

double StallClock::Overdue(double elapsed) const {
  return elapsed - last_move_ - std::max(stall_seconds_, root_end_);
}

MipSolution MipSolver::SolveMip(const MipParams& params, std::span<const double> start) {
  // Before the clock starts: waiting for another thread's solve does not
  // count against this one's time limit.
  const CbcSolveLock lock;
  MipSolution result;
  const auto begin = Clock::now();
  SearchState state;
  state.start = begin;
  state.deadline = begin + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(std::max(0.0, params.time_limit_seconds)));
  state.elapsed_offset = params.elapsed_offset_seconds;
  state.objective_offset = impl_->offset;
  state.on_progress = &params.on_progress;
  state.should_stop = &params.should_stop;
  state.stall_seconds = params.stall_seconds;
  state.stall = StallClock(params.stall_seconds);

  bool preprocess = params.preprocess;
  for (int attempt = 0; attempt < 2; ++attempt) {
    state.winding_down = false;
    OsiClpSolverInterface solver(impl_->solver);
    const int num_cols = solver.getNumCols();
    MarkIntegers(solver, impl_->integer);
    const ClpDeadline clp_handler(state.deadline, &params.should_stop, &state);
    solver.getModelPtr()->passInEventHandler(&clp_handler);
    // CBC matches a MIP start by column name, so names go in before the copy;
    // with column names but no row names its presolve crashes.
    std::vector<std::pair<std::string, double>> mip_start;
    if (!start.empty()) {
      for (int i = 0; i < solver.getNumRows(); ++i) solver.setRowName(i, fmt::format("r{}", i));
      for (int j = 0; j < num_cols; ++j) {
        std::string name = fmt::format("c{}", j);
        solver.setColName(j, name);
        mip_start.emplace_back(std::move(name), impl_->integer[j] ? std::round(start[j]) : start[j]);
      }
    }
    CbcModel model(solver);
    CbcSolverUsefulData data;
    CbcMain0(model, data);
    model.setLogLevel(0);
    model.messageHandler()->setLogLevel(0);
    const CbcDeadline handler(&state);
    model.passInEventHandler(&handler);
    if (!mip_start.empty()) model.setMIPStart(mip_start);
    // CBC's own limit stops it cleanly (it maps its incumbent back through
    // preprocessing); our handler only catches what CBC does not stop, and a
    // plan it stops that way is lost, so CBC gets a little less time.
    const double left = params.time_limit_seconds - SecondsSince(begin);
    const double remaining = std::max(0.01, std::min(left - 0.25, 0.95 * left));
    state.cbc_deadline =
        Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(remaining));
    std::vector<std::string> args = {"cobuild",
                                     "-log",
                                     "0",
                                     "-slog",
                                     "0",  // nothing on stdout (plan --format json)
                                     "-timeMode",
                                     "elapsed",  // for CbcLimitTime's limit
                                     "-ratioGap",
                                     std::to_string(params.relative_gap),
                                     "-allowableGap",
                                     "1e-6",
                                     "-threads",
                                     std::to_string(std::max(0, params.threads > 1 ? params.threads : 0)),
                                     "-randomCbcSeed",
                                     std::to_string(params.seed),
                                     "-preprocess",
                                     preprocess ? "on" : "off"};
    if (!params.cuts) {
      args.push_back("-cuts");
      args.push_back("off");
    }
    if (params.root_cut_passes > 0) {
      args.push_back("-passCuts");
      args.push_back(std::to_string(params.root_cut_passes));
    }
    if (params.max_nodes >= 0) {
      args.push_back("-maxNodes");
      args.push_back(std::to_string(params.max_nodes));
    }
    args.push_back("-solve");
    args.push_back("-quit");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    try {
      CbcMain1(static_cast<int>(argv.size()), argv.data(), model, CbcLimitTime, data);
    } catch (const CoinError& e) {
      result.status = SolveStatus::kError;
      result.message = "CBC: " + e.message();
      return result;
    }
    const double* best = model.bestSolution();
    // Preprocessing whose LPs our deadline stopped gives up as on an
    // infeasible pass: that is no claim to retry.
    if (best == nullptr && model.isProvenInfeasible() && preprocess && !StopRequested(&params.should_stop) &&
        Clock::now() < state.deadline) {
      preprocess = false;  // see the note at the top of this file
      result.preprocessing_retry = true;
      continue;
    }
    result.nodes += model.getNodeCount();
    if (StopRequested(&params.should_stop)) {
      result.stop_rule = StopRule::kStopRequest;
    } else if (state.stalled) {
      result.stop_rule = StopRule::kStall;
    } else if (model.secondaryStatus() == 3) {
      result.stop_rule = StopRule::kNodeLimit;
    } else if (model.secondaryStatus() == 4 || model.secondaryStatus() == 5 || model.status() == 1 ||
               state.winding_down || Clock::now() >= state.cbc_deadline) {
      // Also when our handlers, not CBC's own limit, ended it (inside the
      // root's LPs CBC reports no limit).
      result.stop_rule = StopRule::kTimeLimit;
    }
    result.event_bound = state.event_bound;
    // CBC's bound counts only as far as the LPs it rests on finished.
    const double cbc_bound = StandingBound(state, model);
    const bool bound_holds = cbc_bound < kInfinity;
    if (best == nullptr) {
      result.bound = bound_holds ? cbc_bound : kInfinity;
      result.status =
          model.isProvenInfeasible() ? SolveStatus::kInfeasible : SolveStatus::kTimeLimitNoSolution;
      result.message = model.isProvenInfeasible() ? "CBC: infeasible" : "CBC: stopped without a plan";
      return result;
    }
    result.values.assign(best, best + num_cols);
    result.objective = -model.getObjValue() + impl_->offset;
    // A search CBC finished proves its plan optimal whatever bound it
    // reports. Otherwise a bound below its own plan is no bound (an LP cut
    // short, as above), and no bound is no claim: the gap is infinite.
    const bool finished = model.isProvenOptimal() && !state.lp_cut_short;
    const bool above =
        bound_holds && cbc_bound >= result.objective - 1e-9 * std::max(1.0, std::abs(result.objective));
    result.bound = above ? std::max(result.objective, cbc_bound) : kInfinity;
    // CBC's own bound can lag its proof (it reports a search it finished as
    // optimal): the plan is the optimum then.
    if (finished && RelativeGap(result.objective, result.bound) > params.relative_gap)
      result.bound = result.objective;
    const bool proven = finished || RelativeGap(result.objective, result.bound) <= params.relative_gap;
    result.status = proven ? SolveStatus::kOptimal : SolveStatus::kFeasibleGap;
    result.message = proven ? "CBC: optimal within the gap" : "CBC: stopped by a limit";
    return result;
  }
  result.status = SolveStatus::kError;
  result.message = "CBC: infeasible with and without preprocessing";
  return result;
}

}  // namespace cobuild::plan
