#include "deal/sweep.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <tuple>
#include <utility>

#include "deal/deal_rules.h"
#include "plan/cbc_backend.h"
#include "plan/economics.h"
#include "plan/plan_checker.h"
#include "plan/planner.h"
#include "replan/apply_events.h"
#include "scale/worker_processes.h"

namespace cobuild::deal {
namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// Cars shipped under `contract`, per plant, and in present value in all.
struct ContractCars {
  std::map<int, double> by_plant;
  double total = 0;
  double present_value = 0;
};

ContractCars CarsUnder(const model::Scenario& s, const plan::Plan& p, int contract) {
  ContractCars cars;
  for (const auto& e : p.shipments) {
    if (!plan::ContractCovers(s, contract, e.plant, e.variant, s.horizon.MonthAt(e.month).year)) continue;
    cars.by_plant[e.plant] += e.units;
    cars.total += e.units;
    cars.present_value += e.units * plan::DiscountFactor(s, e.month);
  }
  return cars;
}

double ContributionPv(const plan::Plan& p, int company) {
  for (const auto& c : p.contributions) {
    if (c.company == company) return c.contribution_pv_gbp;
  }
  return 0;
}

bool Stopped(const SweepOptions& options) { return options.should_stop && options.should_stop(); }

// A sweep's points, one per value: from options.run_points when set, else
// in options.processes worker processes (or here one after another, with
// stop checks), each point's text decoded.
template <typename Point>
Result<std::vector<Point>> SolvePoints(const std::vector<double>& values, const SweepOptions& options,
                                       std::string_view what, Result<Point> (*decode)(std::string_view),
                                       std::string (*encode)(const Result<Point>&),
                                       const std::function<Result<Point>(double)>& solve) {
  const int count = static_cast<int>(values.size());
  Result<std::vector<std::string>> texts;
  if (options.run_points) {
    texts = options.run_points(count);
  } else {
    // Fork only while no other thread of this process solves (plan/cbc_backend.h).
    const plan::CbcSolveLock cbc_lock;
    texts = scale::RunInWorkerProcesses(count,
                                        [&](int i) { return encode(solve(values[static_cast<size_t>(i)])); },
                                        {.workers = options.processes,
                                         .order = {},
                                         .on_progress = options.on_point,
                                         .should_stop = [&options] { return Stopped(options); }});
    if (!texts && Stopped(options)) return Internal(fmt::format("the {} sweep was stopped", what));
  }
  if (!texts) return std::unexpected(texts.error());
  std::vector<Point> points;
  for (const std::string& text : *texts) {
    auto point = decode(text);
    if (!point) return std::unexpected(point.error());
    points.push_back(std::move(*point));
  }
  return points;
}

// The request of a sweep solve (a fee point, a tariff rate, the fee sweep's
// start). No explanation: a sweep reports gains, cars and the checker's
// verdict, and the explanation's LP at the plan's integers (given at least
// 1 s) took 0.07 to 0.24 s after a 0.7 s point's search had ended.
plan::PlanRequest SweepRequest(const plan::PlanOptions& options) {
  plan::PlanRequest request;
  request.options = options;
  request.options.explain = false;
  return request;
}

}  // namespace

FeeTerms PresentValueTerms(const model::Scenario& s, const DealReport& r) {
  const ContractCars cars = CarsUnder(s, r.with, r.contract);
  return TermsFor(s.contracts[r.contract].fee_per_car_gbp, cars.present_value,
                  ContributionPv(r.with, r.host) - ContributionPv(r.without, r.host),
                  ContributionPv(r.with, r.partner) - ContributionPv(r.without, r.partner));
}

std::vector<double> DefaultFees(const FeeTerms& t, int points) {
  double lo = t.fee_gbp - std::max(1000.0, std::abs(t.fee_gbp));
  double hi = t.fee_gbp + std::max(1000.0, std::abs(t.fee_gbp));
  if (t.cars > 0) {
    const double width = t.partner_max_fee_gbp - t.host_break_even_fee_gbp;
    if (width > 0) {
      lo = t.host_break_even_fee_gbp - width / 4;
      hi = t.partner_max_fee_gbp + width / 4;
    } else {
      const double middle = (t.host_break_even_fee_gbp + t.partner_max_fee_gbp) / 2;
      lo = middle - std::max(1000.0, -width);
      hi = middle + std::max(1000.0, -width);
    }
  }
  std::vector<double> fees;
  for (int i = 0; i < points; ++i) {
    // Whole pounds: a fee is agreed in pounds, and the points stay readable.
    fees.push_back(std::round(lo + (hi - lo) * i / std::max(1, points - 1)));
  }
  return fees;
}

SweepStart StartFigures(const model::Scenario& s, const DealReport& report, const plan::Plan& start) {
  SweepStart figures{.fee_gbp = SweepStartFee(s, report),
                     .status = start.status,
                     .objective_gbp = start.objective_gbp,
                     .gap = start.gap,
                     .seconds = start.stats.build_seconds + start.stats.solve_seconds};
  model::Scenario at = s;
  at.contracts[report.contract].fee_per_car_gbp = figures.fee_gbp;
  const ContractCars cars = CarsUnder(at, start, report.contract);
  figures.cars_hosted = cars.total;
  if (cars.present_value > 0) {
    const FeeTerms own =
        TermsFor(figures.fee_gbp, cars.present_value,
                 ContributionPv(start, report.host) - ContributionPv(report.without, report.host),
                 ContributionPv(start, report.partner) - ContributionPv(report.without, report.partner));
    figures.from_fee_gbp = own.host_break_even_fee_gbp;
    figures.to_fee_gbp = own.partner_max_fee_gbp;
  }
  return figures;
}

double SweepStartFee(const model::Scenario& s, const DealReport& report) {
  const FeeTerms t = PresentValueTerms(s, report);
  if (!t.zone_exists()) return s.contracts[report.contract].fee_per_car_gbp;
  return std::round((t.host_break_even_fee_gbp + t.partner_max_fee_gbp) / 2);
}

Result<plan::Plan> SolveSweepStart(const model::Scenario& s, const DealReport& report, bool host_first,
                                   const plan::PlanOptions& options) {
  const DealRules rules{.contract = report.contract, .participation = true, .host_first = host_first};
  const plan::PlanRequest request = SweepRequest(options);
  model::Scenario at = s;
  at.contracts[report.contract].fee_per_car_gbp = SweepStartFee(s, report);
  // The central plan meets the host's and the partner's floors at this fee
  // when its zone exists, but not a joint venture's that loses in it (on the
  // default scenario CJLR's); SolveRuled then starts from the planner's own
  // plans, and from the plan without the contract if those give none.
  return SolveRuled(at, request, rules, report.without, &report.with);
}

Result<FeePoint> SolveFeePoint(const model::Scenario& s, const DealReport& report, const plan::Plan& start,
                               double fee, bool host_first, const plan::PlanOptions& options) {
  const auto point_start = std::chrono::steady_clock::now();
  const DealRules rules{.contract = report.contract, .participation = true, .host_first = host_first};
  const plan::PlanRequest request = SweepRequest(options);
  model::Scenario at = s;
  at.contracts[report.contract].fee_per_car_gbp = fee;
  // From the host's break-even of the sweep's start up a point starts from
  // it: inside its own zone it meets every floor as it is; above the zone
  // the partner's floor is met by hosting fewer cars on the same shifts
  // and retooling, which its polish finds. Below the break-even the host's
  // floor is not (the shifts it added for the hosting cost it money the
  // fee no longer pays for), and a point starts from the plan without the
  // contract. The start depends on the report only, so points can be
  // solved in any order and on any rank with the same result.
  const SweepStart own = StartFigures(s, report, start);
  const bool fits = own.cars_hosted == 0 || fee >= own.from_fee_gbp;
  Result<plan::Plan> p = SolveRuled(at, request, rules, report.without, fits ? &start : nullptr);
  if (!p) return std::unexpected(p.error());
  FeePoint point{.fee_gbp = fee, .status = p->status, .gap = p->gap};
  point.violations = plan::CheckPlan(at, *p).violations;
  for (size_t c = 0; c < s.companies.size(); ++c) {
    const int company = static_cast<int>(c);
    point.gain_pv_gbp.push_back(ContributionPv(*p, company) - ContributionPv(report.without, company));
  }
  point.host_gain_pv_gbp = point.gain_pv_gbp[report.host];
  point.partner_gain_pv_gbp = point.gain_pv_gbp[report.partner];
  const ContractCars cars = CarsUnder(at, *p, report.contract);
  point.cars_hosted = cars.total;
  for (int plant : CoveredPlants(s, report.contract)) {
    const auto it = cars.by_plant.find(plant);
    point.cars_by_plant.push_back(it == cars.by_plant.end() ? 0.0 : it->second);
  }
  point.seconds = Seconds(point_start);
  return point;
}

std::string EncodeFeePoint(const Result<FeePoint>& point) {
  if (!point) return nlohmann::json{{"error", point.error().message}}.dump();
  return nlohmann::json{{"fee", point->fee_gbp},
                        {"status", plan::ToString(point->status)},
                        {"gap", point->gap},
                        {"seconds", point->seconds},
                        {"gains", point->gain_pv_gbp},
                        {"host", point->host_gain_pv_gbp},
                        {"partner", point->partner_gain_pv_gbp},
                        {"cars", point->cars_hosted},
                        {"by_plant", point->cars_by_plant},
                        {"violations", point->violations}}
      .dump();
}

Result<FeePoint> DecodeFeePoint(std::string_view text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return Internal("a fee point's result is not JSON: " + std::string(text.substr(0, 80)));
  try {
    if (j.contains("error")) return Internal(j.at("error").get<std::string>());
    const auto status = plan::ParseSolveStatus(j.at("status").get<std::string>());
    if (!status) return Internal("a fee point's result has an unknown status");
    return FeePoint{.fee_gbp = j.at("fee").get<double>(),
                    .status = *status,
                    .gap = j.at("gap").get<double>(),
                    .seconds = j.at("seconds").get<double>(),
                    .gain_pv_gbp = j.at("gains").get<std::vector<double>>(),
                    .host_gain_pv_gbp = j.at("host").get<double>(),
                    .partner_gain_pv_gbp = j.at("partner").get<double>(),
                    .cars_hosted = j.at("cars").get<double>(),
                    .cars_by_plant = j.at("by_plant").get<std::vector<double>>(),
                    .violations = j.at("violations").get<std::vector<std::string>>()};
  } catch (const nlohmann::json::exception& e) {
    return Internal(std::string("a fee point's result: ") + e.what());
  }
}

Result<FeeSweep> SweepFees(const model::Scenario& s, const DealReport& report, const plan::Plan& start_plan,
                           std::vector<double> fees, bool host_first, const SweepOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  std::sort(fees.begin(), fees.end());
  FeeSweep sweep;
  sweep.host_first = host_first;
  sweep.plants = CoveredPlants(s, report.contract);
  sweep.pv_terms = PresentValueTerms(s, report);
  sweep.start = StartFigures(s, report, start_plan);
  auto points = SolvePoints<FeePoint>(fees, options, "fee", DecodeFeePoint, EncodeFeePoint, [&](double fee) {
    return SolveFeePoint(s, report, start_plan, fee, host_first, options.plan);
  });
  if (!points) return std::unexpected(points.error());
  sweep.points = std::move(*points);
  sweep.seconds = Seconds(start);
  return sweep;
}

std::string TariffLever::ToText(const model::Scenario& s) const {
  std::string text = fmt::format("{}:{}", s.markets[market].id, origin);
  if (powertrain) text += fmt::format(":{}", model::ToString(*powertrain));
  for (size_t i = 0; i < rates.size(); ++i) text += fmt::format("{}{:g}", i == 0 ? ":" : ",", rates[i]);
  return text;
}

std::optional<TariffLever> DefaultTariffLever(const model::Scenario& s, int contract) {
  const std::vector<int> plants = CoveredPlants(s, contract);
  if (plants.empty()) return std::nullopt;
  const std::string& home = s.plants[plants.front()].country;
  int market = -1;
  for (size_t k = 0; k < s.markets.size() && market < 0; ++k) {
    const auto& countries = s.markets[k].countries;
    if (std::find(countries.begin(), countries.end(), home) != countries.end()) market = static_cast<int>(k);
  }
  if (market < 0) return std::nullopt;
  const auto& local = s.markets[market].countries;
  for (const auto& plant : s.plants) {
    if (plant.company != s.contracts[contract].partner) continue;
    if (std::find(local.begin(), local.end(), plant.country) != local.end()) continue;
    TariffLever lever{.market = market, .origin = plant.country};
    lever.rates = DefaultRates(s, lever);
    return lever;
  }
  return std::nullopt;
}

double CurrentRate(const model::Scenario& s, const TariffLever& lever) {
  double general = 0;
  for (const auto& t : s.tariffs) {
    if (t.market != lever.market || t.origin_country != lever.origin) continue;
    if (t.powertrains.empty()) {
      general = t.rate;
    } else if (lever.powertrain && std::find(t.powertrains.begin(), t.powertrains.end(), *lever.powertrain) !=
                                       t.powertrains.end()) {
      return t.rate;  // a rule naming the powertrain replaces the general one
    }
  }
  return general;
}

std::vector<double> DefaultRates(const model::Scenario& s, const TariffLever& lever) {
  const double top = std::max(0.4, 2 * CurrentRate(s, lever));
  std::vector<double> rates;
  // Rounded to a millionth, so that 0.3 reads as 0.3.
  for (int i = 0; i < 5; ++i) rates.push_back(std::round(top * i / 4 * 1e6) / 1e6);
  return rates;
}

model::Scenario WithTariff(const model::Scenario& s, const TariffLever& lever, double rate) {
  model::Scenario out = s;
  std::vector<model::Tariff> kept;
  for (model::Tariff t : out.tariffs) {
    const bool same = t.market == lever.market && t.origin_country == lever.origin;
    if (same && !lever.powertrain && t.powertrains.empty()) continue;  // replaced below
    if (same && lever.powertrain && !t.powertrains.empty()) {
      std::erase(t.powertrains, *lever.powertrain);
      // A rule that named only this powertrain is replaced below; one that
      // named others keeps them.
      if (t.powertrains.empty()) continue;
    }
    kept.push_back(std::move(t));
  }
  model::Tariff set{.origin_country = lever.origin, .market = lever.market, .rate = rate};
  if (lever.powertrain) set.powertrains = {*lever.powertrain};
  kept.push_back(std::move(set));
  out.tariffs = std::move(kept);
  return out;
}

Result<TariffPoint> SolveTariffPoint(const model::Scenario& s, const DealReport& report,
                                     const TariffLever& lever, double rate,
                                     const plan::PlanOptions& options) {
  const plan::PlanRequest request = SweepRequest(options);
  const int removed[] = {report.contract};
  const model::Scenario at = WithTariff(s, lever, rate);
  const model::Scenario without_at = replan::WithoutContracts(at, removed);
  // Each rate starts from the report's plans (feasible at every rate: a duty
  // moves no bound), so rates can be solved in any order and on any rank.
  plan::PlanRequest with_request = request;
  with_request.start = &report.with;
  Result<plan::Plan> with = SolveAllowingOneRetry(at, with_request);
  if (!with) return std::unexpected(with.error());
  plan::PlanRequest without_request = request;
  without_request.start = &report.without;
  Result<plan::Plan> without = SolveAllowingOneRetry(without_at, without_request);
  if (!without) return std::unexpected(without.error());
  if (!with->HasSolution() || !without->HasSolution()) {
    return Internal(fmt::format("the tariff sweep at rate {:g} found no plan within the time limit", rate));
  }
  DealReport r = CompareDeal(at, without_at, report.contract, std::move(*with), std::move(*without));
  TariffPoint point{.rate = rate,
                    .terms = r.terms,
                    .with_status = r.with.status,
                    .without_status = r.without.status,
                    .with_gap = r.with.gap,
                    .without_gap = r.without.gap};
  for (const auto& v : r.with_violations) point.violations.push_back("with: " + v);
  for (const auto& v : r.without_violations) point.violations.push_back("without: " + v);
  return point;
}

std::string EncodeTariffPoint(const Result<TariffPoint>& point) {
  if (!point) return nlohmann::json{{"error", point.error().message}}.dump();
  const FeeTerms& t = point->terms;
  return nlohmann::json{{"rate", point->rate},
                        {"terms",
                         {t.fee_gbp, t.cars, t.host_gain_gbp, t.partner_gain_gbp, t.host_break_even_fee_gbp,
                          t.partner_max_fee_gbp, t.proposed_fee_gbp, t.host_gain_at_proposed_gbp,
                          t.partner_gain_at_proposed_gbp}},
                        {"with_status", plan::ToString(point->with_status)},
                        {"without_status", plan::ToString(point->without_status)},
                        {"with_gap", point->with_gap},
                        {"without_gap", point->without_gap},
                        {"violations", point->violations}}
      .dump();
}

Result<TariffPoint> DecodeTariffPoint(std::string_view text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object())
    return Internal("a tariff point's result is not JSON: " + std::string(text.substr(0, 80)));
  try {
    if (j.contains("error")) return Internal(j.at("error").get<std::string>());
    const auto with_status = plan::ParseSolveStatus(j.at("with_status").get<std::string>());
    const auto without_status = plan::ParseSolveStatus(j.at("without_status").get<std::string>());
    const auto t = j.at("terms").get<std::vector<double>>();
    if (!with_status || !without_status || t.size() != 9)
      return Internal("a tariff point's result is malformed");
    return TariffPoint{.rate = j.at("rate").get<double>(),
                       .terms = {.fee_gbp = t[0],
                                 .cars = t[1],
                                 .host_gain_gbp = t[2],
                                 .partner_gain_gbp = t[3],
                                 .host_break_even_fee_gbp = t[4],
                                 .partner_max_fee_gbp = t[5],
                                 .proposed_fee_gbp = t[6],
                                 .host_gain_at_proposed_gbp = t[7],
                                 .partner_gain_at_proposed_gbp = t[8]},
                       .with_status = *with_status,
                       .without_status = *without_status,
                       .with_gap = j.at("with_gap").get<double>(),
                       .without_gap = j.at("without_gap").get<double>(),
                       .violations = j.at("violations").get<std::vector<std::string>>()};
  } catch (const nlohmann::json::exception& e) {
    return Internal(std::string("a tariff point's result: ") + e.what());
  }
}

Result<TariffSweep> SweepTariff(const model::Scenario& s, const DealReport& report, const TariffLever& lever,
                                const SweepOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  TariffSweep sweep{.lever = lever};
  auto points = SolvePoints<TariffPoint>(
      lever.rates, options, "tariff", DecodeTariffPoint, EncodeTariffPoint,
      [&](double rate) { return SolveTariffPoint(s, report, lever, rate, options.plan); });
  if (!points) return std::unexpected(points.error());
  sweep.points = std::move(*points);
  // Sign changes of each side's gain at the contract's fee, linear between points.
  for (size_t i = 1; i < sweep.points.size(); ++i) {
    const TariffPoint& a = sweep.points[i - 1];
    const TariffPoint& b = sweep.points[i];
    for (const auto& [company, ga, gb] :
         {std::tuple{report.host, a.terms.host_gain_gbp, b.terms.host_gain_gbp},
          std::tuple{report.partner, a.terms.partner_gain_gbp, b.terms.partner_gain_gbp}}) {
      if ((ga < 0) == (gb < 0)) continue;
      const double rate = a.rate + (b.rate - a.rate) * (-ga) / (gb - ga);
      sweep.crossings.push_back({.company = company, .rate = rate, .starts_paying = gb >= 0});
    }
  }
  sweep.seconds = Seconds(start);
  return sweep;
}

}  // namespace cobuild::deal
