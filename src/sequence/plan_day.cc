#include "sequence/plan_day.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <set>

#include "model/random.h"

namespace cobuild::sequence {
namespace {

const char* WeekdayName(int weekday) {
  static const char* const kNames[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                       "Friday", "Saturday", "Sunday"};
  return kNames[weekday];
}

// Units of each variant the plan builds on `line` in `month`.
std::vector<double> MonthVariantUnits(const model::Scenario& s, const plan::Plan& plan, int line, int month) {
  std::vector<double> units(s.variants.size(), 0.0);
  for (const plan::ProductionEntry& e : plan.production) {
    if (e.line == line && e.month == month && e.units > 0) units[static_cast<size_t>(e.variant)] += e.units;
  }
  return units;
}

// Splits `total` over `weights` (>= 0) by largest remainder; ties to the
// lower index. Exact in integers: quota_v = total * w_v / sum(w).
std::vector<int> LargestRemainder(int total, std::span<const int64_t> weights) {
  std::vector<int> out(weights.size(), 0);
  const int64_t sum = std::accumulate(weights.begin(), weights.end(), int64_t{0});
  if (sum <= 0 || total <= 0) return out;
  std::vector<std::pair<int64_t, size_t>> remainders;  // (remainder, index)
  int given = 0;
  for (size_t v = 0; v < weights.size(); ++v) {
    out[v] = static_cast<int>(total * weights[v] / sum);
    given += out[v];
    remainders.push_back({total * weights[v] % sum, v});
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (int i = 0; i < total - given; ++i) ++out[remainders[static_cast<size_t>(i)].second];
  return out;
}

// The month's whole cars per variant: the rounded month total split by
// largest remainder of the plan's (possibly fractional) units.
std::vector<int> MonthVariantCounts(const model::Scenario& s, const plan::Plan& plan, int line, int month) {
  const std::vector<double> units = MonthVariantUnits(s, plan, line, month);
  const double sum = std::accumulate(units.begin(), units.end(), 0.0);
  // Fixed-point weights keep the split exact and platform-independent.
  std::vector<int64_t> weights;
  for (double u : units) weights.push_back(std::llround(u * 1000));
  return LargestRemainder(static_cast<int>(std::llround(sum)), weights);
}

// splitmix64 (model/random.h): decorrelates the per-day seeds derived from
// one user seed.
constexpr uint64_t Mix(uint64_t x) { return model::MixSeed(x); }

using model::Shuffle;

// Systematic sampling: splits n cars over `shares` (normalised), each part
// the floor or the ceiling of n * share, with one uniform draw.
std::vector<int> SystematicCounts(int n, std::span<const double> shares, model::Random& rng) {
  const double sum = std::accumulate(shares.begin(), shares.end(), 0.0);
  std::vector<int> counts(shares.size(), 0);
  if (n <= 0 || sum <= 0) return counts;
  const double u = rng.Uniform01();
  double cum = 0;
  int lo = 0;
  for (size_t c = 0; c < shares.size(); ++c) {
    cum += n * shares[c] / sum;
    const int hi = c + 1 == shares.size() ? n : std::min(n, static_cast<int>(std::floor(cum + u)));
    counts[c] = std::max(0, hi - lo);
    lo = std::max(lo, hi);
  }
  return counts;
}

// The distinct options of the line's stations, in station order.
std::vector<std::string> StationOptions(const model::Line& line) {
  std::vector<std::string> options;
  for (const model::Station& st : line.stations) {
    if (std::find(options.begin(), options.end(), st.option) == options.end()) options.push_back(st.option);
  }
  return options;
}

// Over-bound option cars of one day: (high-priority, low-priority) stations,
// compared lexicographically (an overloaded battery station stops the line;
// a crowded low-priority one costs overtime at one station).
using Excess = std::pair<int64_t, int64_t>;

Excess operator+(Excess a, Excess b) { return {a.first + b.first, a.second + b.second}; }

// Moves cars between the month's days until no day holds more cars with a
// station's option than DayStationBound allows, or no single move lowers
// the month's excess. A move is either one option taken off a car of a
// variant on the overloaded day and given to a car of the same variant on
// another day (possible only below a take rate of 1), or a car of one
// variant swapped for a car of another variant on another day; either
// keeps every day's car count and the month's counts per variant and per
// option. Each overloaded (day, station), first day first and high-priority
// stations first, takes the best move to the nearest day with room that
// has one (ties: flag moves before swaps, lower variant indices first).
// Every accepted move lowers the excess, so the loop ends; it reaches zero
// whenever one station binds and the days' bounds sum to at least the
// month's option cars (a day with room then has a car without the option to
// swap); with several binding stations on different options it can stop
// short, and the sequencer's lower bound then reports what is left.
void LevelMonth(const model::Line& line, std::span<const int> days, const std::vector<std::string>& options,
                std::vector<std::vector<int>>& cars,
                std::vector<std::vector<std::vector<int>>>& option_cars) {
  const size_t nd = days.size();
  const size_t nk = line.stations.size();
  if (nd < 2 || nk == 0) return;
  const size_t nv = cars.front().size();
  const size_t no = options.size();
  std::vector<size_t> option_of(nk, 0);
  std::vector<std::vector<int>> bound(nd, std::vector<int>(nk, 0));
  for (size_t k = 0; k < nk; ++k) {
    const model::Station& st = line.stations[k];
    option_of[k] =
        static_cast<size_t>(std::find(options.begin(), options.end(), st.option) - options.begin());
    for (size_t i = 0; i < nd; ++i) bound[i][k] = DayStationBound(days[i], st.max_cars, st.window_cars);
  }
  // Cars with each option per day.
  std::vector<std::vector<int>> load(nd, std::vector<int>(no, 0));
  for (size_t i = 0; i < nd; ++i) {
    for (size_t v = 0; v < nv; ++v) {
      for (size_t j = 0; j < no; ++j) load[i][j] += option_cars[i][v][j];
    }
  }
  auto excess_of = [&](size_t i, std::span<const int> day_load) {
    Excess e{0, 0};
    for (size_t k = 0; k < nk; ++k) {
      const int64_t over = std::max(0, day_load[option_of[k]] - bound[i][k]);
      (line.stations[k].high_priority ? e.first : e.second) += over;
    }
    return e;
  };
  // A move takes the options `from_i` off day i and gives day d `from_d`
  // (bit j: option j); it returns the drop in excess of the two days.
  std::vector<int> li(no), ld(no);
  auto gain = [&](size_t i, size_t d, uint64_t from_i, uint64_t from_d) {
    for (size_t j = 0; j < no; ++j) {
      const int delta = static_cast<int>((from_i >> j) & 1) - static_cast<int>((from_d >> j) & 1);
      li[j] = load[i][j] - delta;
      ld[j] = load[d][j] + delta;
    }
    const Excess before = excess_of(i, load[i]) + excess_of(d, load[d]);
    const Excess after = excess_of(i, li) + excess_of(d, ld);
    return Excess{before.first - after.first, before.second - after.second};
  };
  // Options every car of variant v on day i carries (a moved car carries them too).
  auto forced = [&](size_t i, size_t v) {
    uint64_t bits = 0;
    for (size_t j = 0; j < no; ++j) {
      if (option_cars[i][v][j] >= cars[i][v]) bits |= uint64_t{1} << j;
    }
    return bits;
  };
  struct Move {
    Excess gain{0, 0};
    size_t d = 0, v = 0, w = 0;
    bool swap = false;
    uint64_t from_i = 0, from_d = 0;
  };
  auto apply = [&](size_t i, const Move& m) {
    for (size_t j = 0; j < no; ++j) {
      const int out_i = static_cast<int>((m.from_i >> j) & 1);
      const int out_d = static_cast<int>((m.from_d >> j) & 1);
      option_cars[i][m.v][j] -= out_i;
      option_cars[m.d][m.v][j] += out_i;
      if (m.swap) {
        option_cars[m.d][m.w][j] -= out_d;
        option_cars[i][m.w][j] += out_d;
      }
      load[i][j] += out_d - out_i;
      load[m.d][j] += out_i - out_d;
    }
    if (m.swap) {
      --cars[i][m.v];
      ++cars[m.d][m.v];
      --cars[m.d][m.w];
      ++cars[i][m.w];
    }
  };
  // Stations in the order their excess is worked off: high priority first.
  std::vector<size_t> station_order(nk);
  std::iota(station_order.begin(), station_order.end(), 0);
  std::stable_partition(station_order.begin(), station_order.end(),
                        [&](size_t k) { return line.stations[k].high_priority; });
  // Days by distance from day i, nearer first (earlier on a tie).
  auto by_distance = [&](size_t i) {
    std::vector<size_t> order;
    for (size_t step = 1; step < nd; ++step) {
      if (i >= step) order.push_back(i - step);
      if (i + step < nd) order.push_back(i + step);
    }
    return order;
  };
  for (bool moved = true; moved;) {
    moved = false;
    for (size_t k : station_order) {
      const size_t j = option_of[k];
      const uint64_t bit = uint64_t{1} << j;
      for (size_t i = 0; i < nd && !moved; ++i) {
        if (load[i][j] <= bound[i][k]) continue;
        for (size_t d : by_distance(i)) {
          if (load[d][j] >= bound[d][k]) continue;
          Move best;
          auto consider = [&](const Move& m) {
            if (m.gain > best.gain) best = m;
          };
          for (size_t v = 0; v < nv; ++v) {
            if (option_cars[i][v][j] <= 0) continue;
            if (option_cars[d][v][j] < cars[d][v]) {
              consider({.gain = gain(i, d, bit, 0), .d = d, .v = v, .from_i = bit});
            }
            const uint64_t from_i = forced(i, v) | bit;
            for (size_t w = 0; w < nv; ++w) {
              if (w == v || cars[d][w] <= 0) continue;
              const uint64_t from_d = forced(d, w);
              if ((from_d & bit) != 0) continue;
              consider({.gain = gain(i, d, from_i, from_d),
                        .d = d,
                        .v = v,
                        .w = w,
                        .swap = true,
                        .from_i = from_i,
                        .from_d = from_d});
            }
          }
          if (best.gain > Excess{0, 0}) {
            apply(i, best);
            moved = true;
            break;
          }
        }
      }
      if (moved) break;
    }
  }
}

// One day's cars before colour numbering.
struct DayCars {
  std::vector<int> variant;
  std::vector<std::string> colour;
  std::vector<uint64_t> options;
};

// `option_cars[v][j]`: cars of variant v that carry the line's j-th
// distinct station option (StationOptions order).
DayCars BuildCars(const model::Scenario& s, const model::Line& line, std::span<const int> counts,
                  const std::vector<std::vector<int>>& option_cars, uint64_t seed) {
  model::Random rng(seed);
  const std::vector<std::string> options = StationOptions(line);
  DayCars day;
  for (size_t v = 0; v < counts.size(); ++v) {
    const int n = counts[v];
    if (n <= 0) continue;
    const model::Variant& variant = s.variants[v];
    std::vector<uint64_t> masks(static_cast<size_t>(n), 0);
    // Which of the variant's cars carry each option: the seed decides.
    for (size_t j = 0; j < options.size(); ++j) {
      const int with = std::clamp(option_cars[v][j], 0, n);
      std::vector<int> cars(static_cast<size_t>(n));
      std::iota(cars.begin(), cars.end(), 0);
      Shuffle(cars, rng);
      uint64_t bits = 0;
      for (size_t k = 0; k < line.stations.size(); ++k) {
        if (line.stations[k].option == options[j]) bits |= uint64_t{1} << k;
      }
      for (int i = 0; i < with; ++i) masks[static_cast<size_t>(cars[static_cast<size_t>(i)])] |= bits;
    }
    std::vector<std::string> paint(static_cast<size_t>(n), "unspecified");
    if (!variant.paint.empty()) {
      std::vector<double> shares;
      for (const model::PaintShare& p : variant.paint) shares.push_back(p.share);
      const std::vector<int> per_colour = SystematicCounts(n, shares, rng);
      std::vector<int> cars(static_cast<size_t>(n));
      std::iota(cars.begin(), cars.end(), 0);
      Shuffle(cars, rng);
      size_t next = 0;
      for (size_t c = 0; c < per_colour.size(); ++c) {
        for (int i = 0; i < per_colour[c]; ++i)
          paint[static_cast<size_t>(cars[next++])] = variant.paint[c].colour;
      }
    }
    for (int i = 0; i < n; ++i) {
      day.variant.push_back(static_cast<int>(v));
      day.colour.push_back(paint[static_cast<size_t>(i)]);
      day.options.push_back(masks[static_cast<size_t>(i)]);
    }
  }
  // Arrival order.
  std::vector<int> order(day.variant.size());
  std::iota(order.begin(), order.end(), 0);
  Shuffle(order, rng);
  DayCars shuffled;
  for (int i : order) {
    shuffled.variant.push_back(day.variant[static_cast<size_t>(i)]);
    shuffled.colour.push_back(day.colour[static_cast<size_t>(i)]);
    shuffled.options.push_back(day.options[static_cast<size_t>(i)]);
  }
  return shuffled;
}

uint64_t DaySeed(uint64_t seed, int line, Date date) {
  return Mix(Mix(seed) ^ Mix(static_cast<uint64_t>(line) * 1'000'003ULL +
                             static_cast<uint64_t>(date.year * 10000 + date.month * 100 + date.day)));
}

std::vector<Car> ToCars(const model::Scenario& s, const DayCars& day, Date date,
                        const std::map<std::string, int>& colour_number) {
  std::vector<Car> cars;
  for (size_t i = 0; i < day.variant.size(); ++i) {
    cars.push_back({.date = ToString(date),
                    .seq_rank = static_cast<int>(i) + 1,
                    .ident = s.variants[static_cast<size_t>(day.variant[i])].id,
                    .colour = colour_number.at(day.colour[i]),
                    .options = day.options[i]});
  }
  return cars;
}

Date DateIn(model::YearMonth ym, int day) { return {.year = ym.year, .month = ym.month, .day = day}; }

std::string ShortDate(Date d) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d-%02d", d.month, d.day);
  return buffer;
}

// A day's colours can keep batches within limit L exactly when the most
// frequent colour's n cars fit into batches of L separated by the others:
// n <= L * (others + 1).
[[nodiscard]] Result<void> CheckPaintBatches(const DayCars& day, int limit, const std::string& what) {
  if (limit <= 0 || day.colour.empty()) return {};
  std::map<std::string, int> count;
  for (const std::string& c : day.colour) ++count[c];
  const auto most = std::max_element(count.begin(), count.end(),
                                     [](const auto& a, const auto& b) { return a.second < b.second; });
  const int others = static_cast<int>(day.colour.size()) - most->second;
  if (most->second <= static_cast<int64_t>(limit) * (others + 1)) return {};
  return InvalidInput(what + ": expected colours that keep paint batches within the line's limit of " +
                      std::to_string(limit) + " cars (at most " + std::to_string(limit) +
                      " x (other colours + 1)), got " + std::to_string(most->second) + " " + most->first +
                      " cars and " + std::to_string(others) + " of other colours");
}

// D-1's fixed tail: its last max(P) - 1 cars, at least one (for the colour).
size_t TailLength(const Instance& inst) {
  int longest = 1;
  for (const RatioConstraint& r : inst.ratios) longest = std::max(longest, r.window);
  return static_cast<size_t>(std::max(1, longest - 1));
}

}  // namespace

std::vector<int> WorkingDaysOfMonth(const model::Scenario& s, int plant, int month, int extra_days) {
  const model::YearMonth ym = s.horizon.MonthAt(month);
  const int days_in_month = model::DaysInMonth(ym.year, ym.month);
  const double count = s.plants[static_cast<size_t>(plant)].calendar.working_days[static_cast<size_t>(month)];
  int wanted = std::clamp(static_cast<int>(std::lround(count)), 0, days_in_month);
  std::vector<int> days;
  // Weekdays first, then Saturdays (5), then Sundays (6); then the extra
  // (weekend) days among the days not taken, Saturdays first.
  for (int* left : {&wanted, &extra_days}) {
    for (const auto& [first, last] : {std::pair{0, 4}, std::pair{5, 5}, std::pair{6, 6}}) {
      if (left == &extra_days && first == 0) continue;
      for (int d = 1; d <= days_in_month && *left > 0; ++d) {
        const int weekday = model::Weekday(DateIn(ym, d));
        if (weekday >= first && weekday <= last && std::find(days.begin(), days.end(), d) == days.end()) {
          days.push_back(d);
          --*left;
        }
      }
    }
  }
  std::sort(days.begin(), days.end());
  return days;
}

std::vector<int> LineDaysOfMonth(const model::Scenario& s, const plan::Plan& plan, int line, int month) {
  int weekend = 0;
  for (const auto& e : plan.shifts) {
    if (e.line == line && e.month == month) weekend = e.weekend_days;
  }
  return WorkingDaysOfMonth(s, s.lines[static_cast<size_t>(line)].plant, month, weekend);
}

std::vector<int> DailyCarCounts(const model::Scenario& s, const plan::Plan& plan, int line, int month) {
  const int n = static_cast<int>(LineDaysOfMonth(s, plan, line, month).size());
  const std::vector<int> variants = MonthVariantCounts(s, plan, line, month);
  const int64_t total = std::accumulate(variants.begin(), variants.end(), int64_t{0});
  std::vector<int> counts;
  for (int64_t i = 0; i < n; ++i) counts.push_back(static_cast<int>((i + 1) * total / n - i * total / n));
  return counts;
}

int DayStationBound(int cars, int max_cars, int window_cars) {
  if (cars <= 0 || window_cars <= 0 || max_cars <= 0) return 0;
  const int free_cars = std::max(0, cars - std::max(0, window_cars - max_cars));
  return free_cars / window_cars * max_cars + std::min(free_cars % window_cars, max_cars);
}

MonthMix LevelledMonthMix(const model::Scenario& s, const plan::Plan& plan, int line, int month) {
  const model::Line& l = s.lines[static_cast<size_t>(line)];
  MonthMix mix;
  mix.options = StationOptions(l);
  const std::vector<int> days = DailyCarCounts(s, plan, line, month);
  const std::vector<int> month_counts = MonthVariantCounts(s, plan, line, month);
  const size_t nv = s.variants.size();
  std::vector<int64_t> left(month_counts.begin(), month_counts.end());
  for (int n : days) {
    mix.cars.push_back(LargestRemainder(n, left));
    for (size_t v = 0; v < nv; ++v) left[v] -= mix.cars.back()[v];
  }
  // A variant's option cars: its take rate times its cars so far, rounded,
  // less what earlier days got; the month gets round(take rate x cars).
  mix.option_cars.assign(days.size(),
                         std::vector<std::vector<int>>(nv, std::vector<int>(mix.options.size(), 0)));
  for (size_t v = 0; v < nv; ++v) {
    for (size_t j = 0; j < mix.options.size(); ++j) {
      const double share = std::clamp(s.variants[v].OptionShareOf(mix.options[j]), 0.0, 1.0);
      if (share <= 0) continue;
      int64_t built = 0;
      int64_t given = 0;
      for (size_t i = 0; i < days.size(); ++i) {
        built += mix.cars[i][v];
        const auto upto = static_cast<int64_t>(std::floor(static_cast<double>(built) * share + 0.5));
        const int today = static_cast<int>(std::clamp<int64_t>(upto - given, 0, mix.cars[i][v]));
        mix.option_cars[i][v][j] = today;
        given += today;
      }
    }
  }
  LevelMonth(l, days, mix.options, mix.cars, mix.option_cars);
  return mix;
}

std::vector<int> DailyVariantCounts(const model::Scenario& s, const plan::Plan& plan, int line, int month,
                                    int day_index) {
  MonthMix mix = LevelledMonthMix(s, plan, line, month);
  if (day_index < 0 || day_index >= static_cast<int>(mix.cars.size()))
    return std::vector<int>(s.variants.size(), 0);
  return std::move(mix.cars[static_cast<size_t>(day_index)]);
}

Result<LineDay> BuildLineDay(const model::Scenario& s, const plan::Plan& plan, int line, Date date,
                             const LineDayOptions& options) {
  if (!plan.scenario_name.empty() && plan.scenario_name != s.name) {
    return InvalidInput("plan: expected a plan of scenario \"" + s.name + "\", got one of \"" +
                        plan.scenario_name + "\"");
  }
  if (line < 0 || line >= static_cast<int>(s.lines.size())) {
    return InvalidInput("line: expected a line index below " + std::to_string(s.lines.size()) + ", got " +
                        std::to_string(line));
  }
  const model::Line& l = s.lines[static_cast<size_t>(line)];
  if (l.stations.empty()) {
    return InvalidInput(
        "line " + l.id +
        ": expected stations (lines[].stations in the scenario) to sequence against, got none");
  }
  if (static_cast<int>(l.stations.size()) > kMaxRatios) {
    return InvalidInput("line " + l.id + ": expected at most " + std::to_string(kMaxRatios) +
                        " stations, got " + std::to_string(l.stations.size()));
  }
  const int month = s.horizon.IndexOf({.year = date.year, .month = date.month});
  if (month < 0) {
    return InvalidInput("date: expected a date in the horizon " + model::ToString(s.horizon.first) + " to " +
                        model::ToString(s.horizon.MonthAt(s.horizon.num_months - 1)) + ", got " +
                        ToString(date));
  }
  const model::Plant& plant = s.plants[static_cast<size_t>(l.plant)];
  const std::vector<int> working = LineDaysOfMonth(s, plan, line, month);
  const auto it = std::find(working.begin(), working.end(), date.day);
  if (it == working.end()) {
    const model::YearMonth ym = s.horizon.MonthAt(month);
    std::string which = working.empty() ? "it has none"
                                        : "it has " + std::to_string(working.size()) + ", " +
                                              ShortDate(DateIn(ym, working.front())) + " to " +
                                              ShortDate(DateIn(ym, working.back()));
    return InvalidInput("date: expected a working day of plant " + plant.id + " in " + model::ToString(ym) +
                        " (" + which + "), got " + ToString(date) + ", a " +
                        WeekdayName(model::Weekday(date)));
  }
  LineDay day;
  day.line = line;
  day.date = date;
  day.month = month;
  day.day_index = static_cast<int>(it - working.begin());
  day.working_days = static_cast<int>(working.size());
  const std::vector<int> month_counts = MonthVariantCounts(s, plan, line, month);
  day.month_cars = std::accumulate(month_counts.begin(), month_counts.end(), 0);
  const MonthMix mix = LevelledMonthMix(s, plan, line, month);
  const std::vector<int>& today = mix.cars[static_cast<size_t>(day.day_index)];
  if (std::accumulate(today.begin(), today.end(), 0) == 0) {
    return InvalidInput("date: expected a day with cars on line " + l.id + ", got none on " + ToString(date) +
                        " (the plan builds " + std::to_string(day.month_cars) + " cars on it in " +
                        model::ToString(s.horizon.MonthAt(month)) + ")");
  }
  const DayCars cars = BuildCars(s, l, today, mix.option_cars[static_cast<size_t>(day.day_index)],
                                 DaySeed(options.seed, line, date));

  // The previous working day of the plant, possibly in an earlier month.
  DayCars previous;
  for (int t = month, index = day.day_index - 1; t >= 0 && !day.has_previous_day; --t) {
    const std::vector<int> days = LineDaysOfMonth(s, plan, line, t);
    if (t != month) index = static_cast<int>(days.size()) - 1;
    if (index < 0) continue;
    day.has_previous_day = true;
    day.previous_date = DateIn(s.horizon.MonthAt(t), days[static_cast<size_t>(index)]);
    if (options.previous_day != nullptr) continue;
    const MonthMix previous_mix = t == month ? mix : LevelledMonthMix(s, plan, line, t);
    previous = BuildCars(s, l, previous_mix.cars[static_cast<size_t>(index)],
                         previous_mix.option_cars[static_cast<size_t>(index)],
                         DaySeed(options.seed, line, day.previous_date));
  }
  if (const RanDay* given = options.previous_day; given != nullptr) {
    if (!day.has_previous_day || given->date != day.previous_date) {
      return InvalidInput("previous day: expected line " + l.id + "'s working day before " + ToString(date) +
                          " (" +
                          (day.has_previous_day ? ToString(day.previous_date) : "none in the horizon") +
                          "), got " + ToString(given->date));
    }
    if (given->variants.size() != given->colours.size() || given->variants.size() != given->options.size()) {
      return InvalidInput("previous day " + ToString(given->date) +
                          ": expected as many colours and option sets as cars");
    }
    previous = {.variant = given->variants, .colour = given->colours, .options = given->options};
    day.previous_day_given = true;
  }
  day.previous_day_cars = static_cast<int>(previous.variant.size());
  if (auto ok = CheckPaintBatches(cars, l.paint_batch_limit, "line " + l.id + " on " + ToString(date)); !ok) {
    return std::unexpected(ok.error());
  }
  if (auto ok = CheckPaintBatches(previous, l.paint_batch_limit,
                                  "line " + l.id + " on day D-1 " + ToString(day.previous_date));
      !ok) {
    return std::unexpected(ok.error());
  }

  std::set<std::string> names(cars.colour.begin(), cars.colour.end());
  names.insert(previous.colour.begin(), previous.colour.end());
  day.colours.assign(names.begin(), names.end());
  std::map<std::string, int> colour_number;
  for (size_t c = 0; c < day.colours.size(); ++c) colour_number[day.colours[c]] = static_cast<int>(c);

  Instance& inst = day.instance;
  inst.name = l.id + " " + ToString(date);
  inst.kind = ProblemKind::kRoadef;
  for (size_t k = 0; k < l.stations.size(); ++k) {
    const model::Station& st = l.stations[k];
    inst.ratios.push_back({.max_cars = st.max_cars,
                           .window = st.window_cars,
                           .high_priority = st.high_priority,
                           .name = st.id});
    day.stations.push_back(static_cast<int>(k));
  }
  inst.paint_batch_limit = l.paint_batch_limit;
  inst.objective_order = {Criterion::kHighPriorityRatios, Criterion::kColourChanges,
                          Criterion::kLowPriorityRatios};
  inst.cars = ToCars(s, cars, date, colour_number);
  day.variants = cars.variant;

  if (day.previous_day_given) {
    // Already in line order: the tail is its last cars as they ran.
    const std::vector<Car> ran = ToCars(s, previous, day.previous_date, colour_number);
    const size_t tail = std::min(previous.variant.size(), TailLength(inst));
    for (size_t i = previous.variant.size() - tail; i < previous.variant.size(); ++i) {
      inst.previous_day.push_back(ran[i]);
      day.previous_variants.push_back(previous.variant[i]);
    }
  } else if (!previous.variant.empty()) {
    Instance prev = inst;
    prev.name = l.id + " " + ToString(day.previous_date);
    prev.cars = ToCars(s, previous, day.previous_date, colour_number);
    prev.previous_day.clear();
    SolveParams params;
    params.seed = options.seed;
    params.max_evals = std::max<int64_t>(1, options.previous_day_max_evals);
    params.time_limit_s = 0;
    params.snapshot_seconds.clear();
    auto solved = Solve(prev, InputOrder(prev), params);
    if (!solved) {
      return std::unexpected(Error{
          solved.error().kind, "day D-1 (" + ToString(day.previous_date) + "): " + solved.error().message});
    }
    const size_t tail = std::min(solved->order.size(), TailLength(inst));
    for (size_t i = solved->order.size() - tail; i < solved->order.size(); ++i) {
      const int car = solved->order[i];
      inst.previous_day.push_back(prev.cars[static_cast<size_t>(car)]);
      day.previous_variants.push_back(previous.variant[static_cast<size_t>(car)]);
    }
  }
  if (auto ok = ValidateInstance(inst); !ok) return std::unexpected(ok.error());
  return day;
}

std::vector<OverloadedWindow> OverloadedWindows(const Instance& inst, std::span<const int> order) {
  std::vector<uint64_t> seq;
  for (const Car& c : inst.previous_day) seq.push_back(c.options);
  for (int i : order) seq.push_back(inst.cars[static_cast<size_t>(i)].options);
  const int m = static_cast<int>(inst.previous_day.size());
  const int len = static_cast<int>(seq.size());
  const bool roadef = inst.kind == ProblemKind::kRoadef;
  std::vector<OverloadedWindow> out;
  for (size_t k = 0; k < inst.ratios.size(); ++k) {
    const RatioConstraint& r = inst.ratios[k];
    const uint64_t bit = uint64_t{1} << k;
    const int first = roadef ? std::max(0, m - r.window + 1) : 0;
    const int last = roadef ? len - 1 : len - r.window;
    for (int start = first; start <= last; ++start) {
      const int end = std::min(start + r.window, len);
      int cars = 0;
      for (int p = start; p < end; ++p) cars += (seq[static_cast<size_t>(p)] & bit) != 0;
      if (cars > r.max_cars) {
        out.push_back({.ratio = static_cast<int>(k),
                       .start = start - m,
                       .end = end - m,
                       .cars = cars,
                       .excess = cars - r.max_cars});
      }
    }
  }
  return out;
}

RanDay RanDayOf(const LineDay& day, std::span<const int> order) {
  RanDay ran{.date = day.date};
  for (int i : order) {
    const Car& car = day.instance.cars[static_cast<size_t>(i)];
    ran.variants.push_back(day.variants[static_cast<size_t>(i)]);
    ran.colours.push_back(day.colours[static_cast<size_t>(car.colour)]);
    ran.options.push_back(car.options);
  }
  return ran;
}

Result<LineDayResult> SolveLineDay(const LineDay& day, const SolveParams& params) {
  auto solved = Solve(day.instance, InputOrder(day.instance), params);
  if (!solved) return std::unexpected(solved.error());
  LineDayResult result;
  result.overloaded = OverloadedWindows(day.instance, solved->order);
  result.solve = std::move(*solved);
  return result;
}

}  // namespace cobuild::sequence
