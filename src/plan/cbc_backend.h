// The only door to COIN-OR CLP (linear programs) and CBC (branch and cut).
// Nothing outside cbc_backend.cc includes a COIN-OR header.
//
//   MipSolver solver(lp);                        // lp: LinearProgram, maximised
//   LpSolution root = solver.SolveRelaxation(5.0);
//   MipSolution best = solver.SolveMip(params, root_rounded_start);
//
// Time limits are wall-clock and enforced here, also while CLP solves the
// root LP (CBC itself does not check its limit there). A solve that stops on
// a limit is a status, not an error.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "plan/linear_program.h"
#include "plan/plan.h"
#include "plan/plan_request.h"

namespace cobuild::plan {

enum class LpStatus { kOptimal, kTimeLimit, kInfeasible, kError };

// The simplex method a re-solve from the last basis uses.
enum class Simplex { kDual, kPrimal };

struct LpSolution {
  LpStatus status = LpStatus::kError;
  double objective = 0;  // maximised objective, including the offset
  // Per column. On kTimeLimit, empty, except after a primal re-solve
  // stopped at a point that keeps the LP's current bounds and rows: that
  // point (feasible, not optimal).
  std::vector<double> values;
  std::vector<double> row_duals;  // d(objective)/d(row bound), maximisation sign
  std::vector<double> reduced_costs;
};

// A simplex basis: the status of every column and of every row's slack,
// in CLP's terms (CoinWarmStartBasis::Status).
enum class BasisStatus : uint8_t { kFree = 0, kBasic = 1, kAtUpper = 2, kAtLower = 3 };
struct LpBasis {
  std::vector<BasisStatus> columns;
  std::vector<BasisStatus> rows;
};

struct MipParams {
  double time_limit_seconds = 60;  // wall time of this call
  double relative_gap = 1e-4;
  int threads = 1;
  int seed = 1;
  int64_t max_nodes = -1;  // work limit; -1 = none
  // Stops when neither CBC's incumbent nor its bound moved by kStallMove of
  // the objective for this long; 0 = never.
  double stall_seconds = 0;
  bool preprocess = true;             // CBC's preprocessing (retried off when it claims infeasible)
  bool cuts = true;                   // CBC's cut generators (off: a small sub-MIP branches at once)
  int root_cut_passes = 0;            // > 0: at most this many rounds of cuts at the root (0: CBC's own rule)
  double elapsed_offset_seconds = 0;  // added to progress times (time spent before this call)
  std::function<void(const Progress&)> on_progress;
  std::function<bool()> should_stop;  // polled at every CBC event and LP iteration: true ends the solve
};

// The stall rule of branch and cut (MipParams::stall_seconds): stop when
// neither the incumbent nor the bound moved by kStallMove of the objective
// for a window. The clock starts when CBC leaves its root node: the root's
// cut rounds tighten the bound, but CBC reports it only when the root ends,
// so a long root is progress, not a stall. The window is stall_seconds, and
// never shorter than the root took (a tree node of a model whose root takes
// 20 s is no quicker). Times are seconds since the search began.
class StallClock {
 public:
  explicit StallClock(double stall_seconds) : stall_seconds_(stall_seconds) {}
  // One look at the search at `elapsed`: at its root or not, its incumbent
  // (when it has one) and bound, both maximised.
  void Observe(double elapsed, bool at_root, bool has_incumbent, double incumbent, double bound);
  // Seconds since the incumbent or bound last moved, past the window (> 0:
  // stalled); meaningless when stall_seconds is 0 (never stalls).
  double Overdue(double elapsed) const;
  bool Stalled(double elapsed) const { return stall_seconds_ > 0 && Overdue(elapsed) > 0; }

 private:
  double stall_seconds_;
  double last_move_ = 0;
  double root_end_ = -1;  // when the search left its root (-1: not yet)
  double incumbent_ = 0;
  double bound_ = kInfinity;
  bool has_incumbent_ = false;
};

struct MipSolution {
  SolveStatus status = SolveStatus::kError;
  double objective = 0;  // maximised, including the offset
  double bound = 0;      // proven upper bound (+inf when CBC proved none)
  // The best bound CBC showed at one of its events before any of its LPs was
  // cut short (events come between LPs, each finished); +inf when none. It
  // rests on no plan: it stands where `values` may not (a search stopped in
  // its root can hand back values that break the model's rows).
  double event_bound = kInfinity;
  std::vector<double> values;
  int64_t nodes = 0;
  bool preprocessing_retry = false;
  // What ended a search that was not completed: the gap, the node limit, the
  // time limit, the stall rule or a stop request (kGapTarget for a search
  // that finished).
  StopRule stop_rule = StopRule::kGapTarget;
  std::string message;
};

// CBC's one-solve-per-process rule. CbcMain0/CbcMain1 keep global state, so
// two branch-and-cut solves must not run at once in one process
// (coin-or/Cbc issue #332). MipSolver::SolveMip holds this lock for each
// solve, so concurrent callers are always safe. A caller that runs several
// solves in a row from a multi-threaded process (the server's jobs) holds
// one for the whole plan, so one job's time limit is not spent waiting for
// another's solve; the lock is re-entrant within a thread. Processes that
// fork solvers (risk's worker processes) fork while holding it, so no child
// inherits a half-run solve. CLP relaxations (SolveRelaxation) keep no
// global state and do not take it.
class CbcSolveLock {
 public:
  // Blocks until no other thread solves; calls `on_wait` first if it must
  // wait. Re-entrant: a thread that holds it already takes it at once.
  explicit CbcSolveLock(const std::function<void()>& on_wait = {});
  ~CbcSolveLock();
  CbcSolveLock(const CbcSolveLock&) = delete;
  CbcSolveLock& operator=(const CbcSolveLock&) = delete;

  // Gives the lock up before the end of the scope (once; later calls do nothing).
  void Release();

 private:
  bool held_ = true;
};

// What MipSolver::AddCutRounds did.
struct CutRounds {
  int rounds = 0;  // rounds that added cuts
  int cuts = 0;    // rows added
  // The LP with the cuts (kOptimal), maximised with the offset. On any
  // other status the solver, with the cuts it holds, is not at an optimum
  // and its LP values bound nothing: the planner drops it.
  LpSolution relaxation;
};

// Model files for other solvers (`cobuild plan --write-mps/--write-lp`).
enum class ModelFileFormat { kMps, kLp };

// Writes `lp` as the maximisation it is (MPS: an OBJSENSE MAX section; LP:
// "Maximize"), with the objective's constant (MPS: the objective row's RHS,
// minus the constant as the format has it; LP: a constant term), the given
// names (sanitised for the format by the caller, plan/model_names.h) and
// `comment` lines at the top. Full precision (MPS: CoinMpsIO's extra
// accuracy; LP: 15 decimals).
[[nodiscard]] Result<void> WriteModelFile(const LinearProgram& lp,
                                          const std::vector<std::string>& column_names,
                                          const std::vector<std::string>& row_names,
                                          const std::vector<std::string>& comment, const std::string& path,
                                          ModelFileFormat format);
// Reads an MPS or LP file (as WriteModelFile writes them) back into a
// maximised LinearProgram with its names: for tests and for comparing
// another solver's model.
[[nodiscard]] Result<LinearProgram> ReadModelFile(const std::string& path, ModelFileFormat format);

class MipSolver {
 public:
  explicit MipSolver(const LinearProgram& lp);
  ~MipSolver();
  MipSolver(const MipSolver&) = delete;
  MipSolver& operator=(const MipSolver&) = delete;

  // LP relaxation of the current bounds (integrality ignored), from the last
  // basis: dual simplex, or primal (kPrimal) where most of the bounds moved
  // at once but the last point stays nearly feasible, as when the integers
  // are fixed at an LP point's rounding. Stops at the time limit with status
  // kTimeLimit.
  LpSolution SolveRelaxation(double time_limit_seconds, Simplex method = Simplex::kDual);
  // The basis of the last SolveRelaxation (empty before the first).
  LpBasis Basis() const;
  // Starts the next SolveRelaxation from `basis` (one status per column and
  // row) with the dual simplex, instead of CLP's cold start with presolve. A
  // basis from a related model may have too many or too few basic columns,
  // or be singular; CLP repairs it (slacks replace dependent columns).
  void SetBasis(const LpBasis& basis);
  // Changes a column's bounds for later solves (fixing integers, windows).
  void SetColumnBounds(int column, double lower, double upper);
  // Changes a row's bounds for later solves (branching on a row).
  void SetRowBounds(int row, double lower, double upper);
  // Integrality of a column for later SolveMip calls (relax-and-fix).
  void SetInteger(int column, bool integer);
  // Polled at every iteration of later SolveRelaxation calls; true stops the
  // LP as its time limit would (status kTimeLimit). Empty: never.
  void SetStopCheck(std::function<bool()> should_stop);
  // Branch and cut from the current bounds; `start` (empty or one value per
  // column) is offered as the first incumbent.
  MipSolution SolveMip(const MipParams& params, std::span<const double> start);
  // Rounds of cutting planes at the LP optimum of the last SolveRelaxation:
  // CGL's Gomory, mixed-integer rounding (MIR and two-step MIR), flow cover
  // and knapsack cover generators, the families CBC runs at its root. Each
  // round's cuts are added as rows after the model's own and the LP is
  // re-solved, so later relaxations (and their bases and duals) carry them.
  // Called at the model's own bounds, every cut holds at every point that
  // keeps the model's rows and bounds with its integer columns whole: later
  // LP values stay bounds on the MIP. Stops after `max_rounds`, when a round
  // finds no cut or gains less than 1e-7 of the LP value, or when the time
  // left is shorter than the longest round so far.
  CutRounds AddCutRounds(int max_rounds, double time_limit_seconds);
  // A solver of the same LP, with the rows AddCutRounds added and the
  // current bounds, starting from the current basis; it has no stop check.
  // For a search on another thread: CLP keeps no global state, so two
  // solvers may solve LPs at once (SolveMip may not, CbcSolveLock).
  std::unique_ptr<MipSolver> Copy() const;

 private:
  MipSolver();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cobuild::plan
