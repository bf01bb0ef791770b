// Solver progress on the terminal: one line on stderr, rewritten in place
// ("\r" and erase to the end of the line), for plan, replan, compare and
// deal.
//
//   ProgressLine progress(ProgressLine::Mode::kAuto);   // on when stderr is a terminal
//   request.options.solve.on_progress = progress.For("plan");
//   ... solve ...
//   progress.Clear();                                   // before printing the report
//
// What it shows is monotone within one solve: the best plan so far (the
// planner maximises contribution, so the highest incumbent) and the best gap
// so far. A solve's phases report from scratch (the primal improvement's
// sub-MIPs, a restart of branch and cut), and printing those as they come
// made the incumbent vanish and the gap jump back to 100%. A new solve (a
// new label, or the elapsed time going back) starts afresh.
//
// Mode::kLines (`cobuild plan --progress` when stderr is not a terminal)
// prints each update as its own line instead, for logs.
#pragma once

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <iostream>
#include <limits>
#include <string>

#include "io/table.h"
#include "plan/plan_request.h"

namespace cobuild::cli {

// The best-so-far figures of one solve and the text of its progress line.
class ProgressTracker {
 public:
  // The line for `p` of the solve `label`: "plan [  12.3s] mip    best GBP
  // 20,610,613,460  bound GBP 20,700,000,000  gap 0.42%".
  std::string Update(const std::string& label, const plan::Progress& p) {
    if (label != label_ || p.elapsed_seconds + 0.5 < last_elapsed_) Reset(label);
    last_elapsed_ = p.elapsed_seconds;
    if (p.has_incumbent) {
      best_ = std::max(best_, p.incumbent_gbp);
      has_best_ = true;
    }
    // The bound only tightens (it is an upper bound on the contribution);
    // the gap is the best gap reported, never one from a phase that starts
    // over.
    if (p.bound_gbp != 0) bound_ = has_bound_ ? std::min(bound_, p.bound_gbp) : p.bound_gbp;
    has_bound_ = has_bound_ || p.bound_gbp != 0;
    if (p.has_incumbent && p.gap >= 0) gap_ = std::min(gap_, p.gap);
    return fmt::format("{} [{:>6.1f}s] {:<7} best GBP {}  bound GBP {}  gap {}", label, p.elapsed_seconds,
                       p.phase, has_best_ ? io::FormatThousands(best_) : std::string("-"),
                       has_bound_ ? io::FormatThousands(bound_) : std::string("-"),
                       gap_ <= 1 ? io::FormatPercent(gap_, 2) : std::string("-"));
  }

 private:
  void Reset(const std::string& label) {
    label_ = label;
    last_elapsed_ = 0;
    has_best_ = false;
    has_bound_ = false;
    best_ = -std::numeric_limits<double>::infinity();
    bound_ = 0;
    gap_ = std::numeric_limits<double>::infinity();
  }

  std::string label_;
  double last_elapsed_ = 0;
  bool has_best_ = false;
  bool has_bound_ = false;
  double best_ = -std::numeric_limits<double>::infinity();
  double bound_ = 0;
  double gap_ = std::numeric_limits<double>::infinity();
};

class ProgressLine {
 public:
  enum class Mode {
    kOff,
    kAuto,   // in place when stderr is a terminal, else off
    kLines,  // in place on a terminal, one line per update otherwise
  };

  // The mode of the --progress / --no-progress flags.
  static Mode ModeOf(bool progress, bool no_progress) {
    if (no_progress) return Mode::kOff;
    return progress ? Mode::kLines : Mode::kAuto;
  }

  explicit ProgressLine(Mode mode) : terminal_(isatty(STDERR_FILENO) == 1) {
    on_ = mode == Mode::kLines || (mode == Mode::kAuto && terminal_);
  }
  ~ProgressLine() { Clear(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  bool on() const { return on_; }

  // The solve callback for the solve `label` ("plan", "baseline",
  // "recovery", ...); empty when progress is off. The line lives as long as
  // this object.
  std::function<void(const plan::Progress&)> For(std::string label) {
    if (!on_) return {};
    return [this, label = std::move(label)](const plan::Progress& p) { Show(tracker_.Update(label, p)); };
  }

  // Prints a line of text as progress (a stage: "deal: the plan without the contract").
  void Show(const std::string& text) {
    if (!on_) return;
    if (terminal_) {
      std::cerr << "\r\033[K" << text << std::flush;
      shown_ = true;
    } else {
      std::cerr << text << "\n";
    }
  }

  // Erases the line (before the report is printed).
  void Clear() {
    if (shown_) std::cerr << "\r\033[K" << std::flush;
    shown_ = false;
  }

 private:
  bool terminal_ = false;
  bool on_ = false;
  bool shown_ = false;
  ProgressTracker tracker_;
};

}  // namespace cobuild::cli
