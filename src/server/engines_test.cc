#include "server/engines.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <map>
#include <thread>
#include <tuple>

#include "io/event_reader.h"
#include "io/plan_io.h"
#include "io/plan_views.h"
#include "io/replan_io.h"
#include "io/scenario_reader.h"
#include "io/scenario_writer.h"
#include "plan/plan_checker.h"
#include "plan/plan_summary.h"
#include "plan/test_scenarios.h"
#include "replan/apply_events.h"
#include "replan/compare.h"
#include "replan/replan.h"
#include "server/job_manager.h"

namespace cobuild::server {
namespace {

using nlohmann::json;

// Runs one job to its end on a fresh manager with two workers.
JobRecord RunJob(Storage& storage, const JobRegistry& registry, int64_t scenario_id, std::string_view kind,
                 const json& params) {
  JobManager jobs(storage, registry, {.num_workers = 2, .max_queued = 4});
  auto id = jobs.Start(kind, scenario_id, params);
  EXPECT_TRUE(id.has_value() && id->has_value());
  jobs.WaitIdle();
  return *storage.GetJob(**id);
}

class EnginesTest : public ::testing::Test {
 protected:
  EnginesTest() {
    storage_ = std::move(*Storage::Open(":memory:"));
    yaml_ = io::WriteScenarioYaml(plan::testing::MiniUk());
    auto parsed = io::ParseScenario(yaml_, "mini-uk.yaml");
    EXPECT_TRUE(parsed.has_value()) << parsed.error().message;
    if (parsed) scenario_ = *parsed;
    scenario_id_ = *storage_->AddScenario(scenario_.name, "mini-uk.yaml", yaml_);
  }

  JobRecord Run(std::string_view kind, const json& params) {
    return RunJob(*storage_, registry_, scenario_id_, kind, params);
  }

  std::unique_ptr<Storage> storage_;
  JobRegistry registry_ = DefaultJobRegistry();
  std::string yaml_;
  model::Scenario scenario_;
  int64_t scenario_id_ = 0;
};

TEST_F(EnginesTest, ValidatorReportsEveryProblemWithItsLine) {
  const ScenarioCheck good = ValidateScenarioYaml(yaml_, "mini-uk.yaml");
  EXPECT_TRUE(good.ok());
  EXPECT_EQ(good.name, scenario_.name);
  EXPECT_EQ(good.summary["lines"], scenario_.lines.size());

  const ScenarioCheck bad =
      ValidateScenarioYaml("name: x\nhorizon: {start: 2026-01, months: -1}\n", "bad.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.errors[0].file, "bad.yaml");
  EXPECT_GT(bad.errors[0].line, 0);
  const ScenarioCheck garbage = ValidateScenarioYaml("{[ not yaml", "garbage.yaml");
  EXPECT_FALSE(garbage.ok());
}

TEST_F(EnginesTest, ValidateJobSummarisesTheScenario) {
  const JobRecord job = Run("validate", json::object());
  ASSERT_EQ(job.status, JobStatus::kSucceeded) << job.error;
  const auto result = *storage_->GetResult(job.id);
  EXPECT_EQ(json::parse(result.json)["name"], scenario_.name);
  EXPECT_EQ(result.csv.substr(0, result.csv.find('\n')), "plant,line,max_cars_per_year_avg");
}

TEST_F(EnginesTest, UnknownOrOutOfRangeParamsFailTheJob) {
  EXPECT_NE(Run("plan", json{{"time_limt_seconds", 5}}).error.find("params.time_limt_seconds"),
            std::string::npos);
  EXPECT_NE(Run("plan", json{{"time_limit_seconds", -5}}).error.find("params.time_limit_seconds"),
            std::string::npos);
}

// The plan job's result passes the independent plan checker, and its views
// add up to the plan's production.
TEST_F(EnginesTest, PlanJobResultIsAFeasiblePlanAndItsViewsAddUp) {
  const JobRecord job = Run("plan", json{{"time_limit_seconds", 20}});
  ASSERT_EQ(job.status, JobStatus::kSucceeded) << job.error;
  const auto stored = *storage_->GetResult(job.id);
  const json result = json::parse(stored.json);

  auto plan = io::ParsePlanJson(result["plan"].dump(), "result.json", scenario_);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  const plan::CheckReport check = plan::CheckPlan(scenario_, *plan);
  EXPECT_TRUE(check.ok()) << (check.violations.empty() ? "" : check.violations.front());
  EXPECT_NEAR(check.objective_gbp, result["objective_gbp"].get<double>(),
              1e-6 * std::max(1.0, std::abs(check.objective_gbp)));

  double produced = 0;
  std::map<int, double> by_plant;
  for (const auto& e : plan->production) {
    produced += e.units;
    by_plant[scenario_.lines[e.line].plant] += e.units;
  }
  const json& u = result["utilization"];
  ASSERT_EQ(u["plants"].size(), scenario_.plants.size());
  ASSERT_EQ(u["months"].size(), static_cast<size_t>(scenario_.horizon.num_months));
  double built = 0;
  for (size_t p = 0; p < scenario_.plants.size(); ++p) {
    for (int t = 0; t < scenario_.horizon.num_months; ++t) {
      const double b = u["built"][p][t];
      const double c = u["capacity"][p][t];
      const double s = u["share"][p][t];
      built += b;
      if (c > 0) {
        EXPECT_NEAR(s, b / c, 1e-9);
      }
      EXPECT_LE(s, 1 + 1e-6) << "plant " << p << " month " << t;
    }
  }
  EXPECT_NEAR(built, produced, 1e-6 * std::max(1.0, produced));
  std::map<std::string, double> brand_sum;
  for (const auto& row : result["units_by_brand"]) brand_sum[row["plant"]] += row["units"].get<double>();
  for (const auto& [plant, units] : by_plant) {
    EXPECT_NEAR(brand_sum[scenario_.plants[plant].id], units, 1e-6 * std::max(1.0, units));
  }
  // Spare is the regular capacity the line-months leave unused (less
  // retooling stops): never negative, and at least the horizon's net
  // difference (more when a month on levers sits beside a month with room).
  for (const auto& row : result["spare_capacity"]) {
    const double capacity = row["capacity"].get<double>();
    const double spare = row["spare"].get<double>();
    EXPECT_GE(spare, 0);
    EXPECT_GE(spare, capacity - row["retooling_stop"].get<double>() - row["built"].get<double>() - 1e-6);
    EXPECT_NEAR(spare, capacity - row["retooling_stop"].get<double>() - row["built_regular"].get<double>(),
                1e-6 * std::max(1.0, capacity));
  }
  EXPECT_EQ(result["contributions"].size(), scenario_.companies.size());
  EXPECT_EQ(stored.csv.substr(0, stored.csv.find('\n')), "plant,line,variant,brand,company,month,units");
}

// The plan page's numbers per plant, year and company, and its drill-down
// per line and month, recomputed here from the stored plan file's production.
TEST_F(EnginesTest, PlanJobSplitsEachPlantYearByCompanyAndEachLineMonthByVariant) {
  const JobRecord job = Run("plan", json{{"time_limit_seconds", 20}});
  ASSERT_EQ(job.status, JobStatus::kSucceeded) << job.error;
  const json result = json::parse(storage_->GetResult(job.id)->json);
  auto plan = io::ParsePlanJson(result["plan"].dump(), "result.json", scenario_);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  const model::Scenario& s = scenario_;

  std::map<std::tuple<std::string, int, std::string>, double> by_company;          // (plant, year, company)
  std::map<std::tuple<std::string, std::string, std::string>, double> by_variant;  // (line, month, variant)
  for (const auto& e : plan->production) {
    const std::string plant = s.plants[s.lines[e.line].plant].id;
    by_company[{plant, s.horizon.MonthAt(e.month).year, s.companies[s.VariantOwner(e.variant)].id}] +=
        e.units;
    by_variant[{s.lines[e.line].id, model::ToString(s.horizon.MonthAt(e.month)), s.variants[e.variant].id}] +=
        e.units;
  }
  double partner_cars = 0;
  ASSERT_EQ(result["plant_years"].size(), s.plants.size() * s.horizon.Years().size());
  for (const auto& py : result["plant_years"]) {
    ASSERT_EQ(py["built_by_company"].size(), s.companies.size());
    double sum = 0;
    for (const auto& c : py["built_by_company"]) {
      const double expected = by_company[{py["plant"], py["year"], c["company"]}];
      EXPECT_NEAR(c["built"].get<double>(), expected, 1e-6) << py.dump();
      sum += c["built"].get<double>();
      const auto plant = std::ranges::find(s.plants, py["plant"].get<std::string>(), &model::Plant::id);
      if (c["company"] != s.companies[plant->company].id) partner_cars += c["built"].get<double>();
    }
    EXPECT_NEAR(sum, py["built"].get<double>(), 1e-6);
  }
  // Mini-UK's contract has the UK host build the partner's cars.
  EXPECT_GT(partner_cars, 0);
  for (size_t p = 0; p < s.plants.size(); ++p) {
    EXPECT_EQ(result["plants"][p]["company"], s.companies[s.plants[p].company].id);
  }

  ASSERT_EQ(result["lines"].size(), s.lines.size());
  size_t listed = 0;
  for (const auto& line : result["lines"]) {
    ASSERT_EQ(line["built"].size(), static_cast<size_t>(s.horizon.num_months));
    std::map<std::string, double> month_sum;
    for (const auto& v : line["variants"]) {
      EXPECT_NEAR(v["units"].get<double>(), (by_variant[{line["id"], v["month"], v["variant"]}]), 1e-6);
      month_sum[v["month"]] += v["units"].get<double>();
      ++listed;
    }
    for (int t = 0; t < s.horizon.num_months; ++t) {
      EXPECT_NEAR(line["built"][t].get<double>(), month_sum[result["months"][t]], 1e-6);
      EXPECT_EQ(line["availability"][t].get<double>(), 1.0);
      EXPECT_LE(line["shifts_per_day"][t].get<int>(), line["max_shifts_per_day"].get<int>());
    }
  }
  size_t cells = 0;
  for (const auto& [key, units] : by_variant) cells += units > 0;
  EXPECT_EQ(listed, cells);
  // Mini-UK's UK plant stops half of August (test_scenarios.cc).
  ASSERT_EQ(result["calendars"].size(), s.plants.size());
  EXPECT_EQ(result["calendars"][0]["shutdown_days"][0].get<double>(), 0.0);
  EXPECT_EQ(result["variants"].size(), s.variants.size());
}

}  // namespace
}  // namespace cobuild::server

namespace cobuild::server {
namespace {

// Replan and risk on tests/data/scenarios/small.yaml (plant "home"), with a
// risk section added, stored as YAML as an upload would be.
class ReplanEnginesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = io::LoadScenario("tests/data/scenarios/small.yaml");
    ASSERT_TRUE(s.has_value()) << s.error().message;
    s->risk.outages.push_back(
        {.plants = {s->FindPlant("home")}, .probability_per_year = 0.8, .min_weeks = 1, .max_weeks = 4});
    // Recovery levers as in the replanner's own tests (backlog, extra shifts,
    // weekends), so the server's replan results exercise them; the replanner's
    // tests also cover a recovery with every lever off.
    s->replan = plan::testing::RecoveryLevers();
    storage_ = std::move(*Storage::Open(":memory:"));
    yaml_ = io::WriteScenarioYaml(*s);
    scenario_id_ = *storage_->AddScenario(s->name, "small.yaml", yaml_);
  }

  JobRecord Run(std::string_view kind, const json& params) {
    return RunJob(*storage_, registry_, scenario_id_, kind, params);
  }

  std::unique_ptr<Storage> storage_;
  JobRegistry registry_ = DefaultJobRegistry();
  std::string yaml_;
  int64_t scenario_id_ = 0;
};

TEST_F(ReplanEnginesTest, ReplanFromAPlanJobShowsThreePlansAndLosesLessThanDoingNothing) {
  const JobRecord baseline = Run("plan", json{{"time_limit_seconds", 20}});
  ASSERT_EQ(baseline.status, JobStatus::kSucceeded) << baseline.error;
  const JobRecord job = Run("replan", json{{"baseline_job", baseline.id},
                                           {"events", {"outage plants=home from=2026-08-03 to=2026-08-28"}},
                                           {"time_limit_seconds", 20}});
  ASSERT_EQ(job.status, JobStatus::kSucceeded) << job.error;
  const json r = json::parse(storage_->GetResult(job.id)->json);
  ASSERT_EQ(r["events"].size(), 1u);
  for (const char* k : {"baseline", "disrupted", "recovered"}) {
    EXPECT_TRUE(r[k].contains("contributions")) << k;
  }
  // The baseline is the plan job's plan, read back from its result.
  const json planned = json::parse(storage_->GetResult(baseline.id)->json);
  EXPECT_NEAR(r["baseline"]["objective_gbp"].get<double>(), planned["objective_gbp"].get<double>(),
              1e-6 * std::abs(planned["objective_gbp"].get<double>()));
  const json& report = r["report"];
  EXPECT_LT(report["disrupted_units_sold"].get<double>(), report["baseline_units_sold"].get<double>());
  EXPECT_GE(report["recovered_units_sold"].get<double>(),
            report["disrupted_units_sold"].get<double>() - 1e-6);
  // What the dashboard's disruption page shows: losses by month, brand and
  // market (the CLI's tables) adding up to the cars lost, the months that
  // stay short, GBP per lever adding up to the recovery's gain.
  double by_month = 0, by_brand = 0, by_market = 0;
  for (const json& m : report["losses"]["by_month"]) by_month += m["disrupted"].get<double>();
  for (const json& b : report["losses"]["by_brand"]) by_brand += b["disrupted"].get<double>();
  for (const json& m : report["losses"]["by_market"]) by_market += m["disrupted"].get<double>();
  const double lost = report["units_lost"]["disrupted"].get<double>();
  EXPECT_GT(lost, 0);
  EXPECT_NEAR(by_month, lost, 1e-3 * lost + 1);
  EXPECT_NEAR(by_brand, lost, 1e-3 * lost + 1);
  EXPECT_NEAR(by_market, lost, 1e-3 * lost + 1);
  EXPECT_TRUE(report["short_months"].is_array());
  EXPECT_TRUE(report["scenario_levers"].contains("extra_shifts_per_day"));
  double gain = 0, lever_gbp = report["moved_away_gbp"].get<double>();
  for (const json& c : report["companies"]) {
    gain += c["recovered_gbp"].get<double>() - c["disrupted_gbp"].get<double>();
  }
  for (const json& l : report["levers"]) lever_gbp += l["value_gbp"].get<double>();
  EXPECT_NEAR(lever_gbp, gain, 1e-6 * std::abs(gain) + 1e-3);

  // Only the given events, without the scenario's own (it has none here: the
  // flag is accepted and checked).
  const JobRecord only = Run("replan", json{{"baseline_job", baseline.id},
                                            {"ignore_scenario_events", true},
                                            {"events", {"outage plants=home from=2026-08-03 to=2026-08-28"}},
                                            {"time_limit_seconds", 20}});
  EXPECT_EQ(only.status, JobStatus::kSucceeded) << only.error;
  EXPECT_NE(
      Run("replan", json{{"ignore_scenario_events", "yes"}}).error.find("params.ignore_scenario_events"),
      std::string::npos);
}

TEST_F(ReplanEnginesTest, ReplanRejectsBadEventsAndBaselines) {
  EXPECT_NE(Run("replan", json::object()).error.find("no events"), std::string::npos);
  EXPECT_NE(Run("replan", json{{"events", {"outage plants=nowhere from=2026-03-02 to=2026-03-27"}}})
                .error.find("params.events[0]"),
            std::string::npos);
  const JobRecord validate = Run("validate", json::object());
  EXPECT_NE(Run("replan", json{{"baseline_job", validate.id},
                               {"events", {"outage plants=home from=2026-08-03 to=2026-08-28"}}})
                .error.find("expected a plan job"),
            std::string::npos);
}

TEST_F(ReplanEnginesTest, RiskGivesDistributionsDeterministicForASeed) {
  const json params = {{"samples", 3}, {"seed", 7}, {"time_limit_seconds", 20}, {"max_nodes", 200}};
  const JobRecord a = Run("risk", params);
  ASSERT_EQ(a.status, JobStatus::kSucceeded) << a.error;
  const json r = json::parse(storage_->GetResult(a.id)->json);
  EXPECT_EQ(r["samples"], 3);
  ASSERT_EQ(r["distributions"].size(), 3u);
  EXPECT_EQ(r["distributions"][0]["samples"].size() + r["failed_samples"].get<size_t>(), 3u);
  const JobRecord b = Run("risk", params);
  EXPECT_EQ(storage_->GetResult(b.id)->csv, storage_->GetResult(a.id)->csv);
  EXPECT_EQ(r["time_limited_samples"], 0);
  EXPECT_FALSE(r["approximation"].get<std::string>().empty());
  // The downside as `cobuild risk --format json` gives it; the CSV has each
  // draw's loss and companies.
  ASSERT_TRUE(r["loss_gbp"].is_object());
  EXPECT_NEAR(r["loss_gbp"]["p90"].get<double>(),
              r["baseline_contribution_gbp"].get<double>() -
                  r["percentiles"]["contribution_gbp"]["p10"].get<double>(),
              1e-6 * std::abs(r["baseline_contribution_gbp"].get<double>()));
  ASSERT_EQ(r["companies"].size(), 2u);
  EXPECT_EQ(r["companies"][0]["company"], "host");
  EXPECT_EQ(r["worst_draws"].size(), r["losses_gbp"].size());
  const std::string csv = storage_->GetResult(a.id)->csv;
  EXPECT_EQ(
      csv.substr(0, csv.find('\n')),
      "sample,events,contribution_gbp,disrupted_contribution_gbp,units_lost,disrupted_units_lost,loss_gbp,"
      "host_contribution_gbp,partner_contribution_gbp,error");
  json full = params;
  full["full_recovery"] = true;
  const JobRecord c = Run("risk", full);
  ASSERT_EQ(c.status, JobStatus::kSucceeded) << c.error;
  EXPECT_EQ(json::parse(storage_->GetResult(c.id)->json)["approximation"], "");
  full["full_recovery"] = "yes";
  EXPECT_NE(Run("risk", full).error.find("params.full_recovery"), std::string::npos);
}

TEST_F(ReplanEnginesTest, CompareJobsMatchComparePlansOnTheStoredPlans) {
  const JobRecord plan = Run("plan", json{{"time_limit_seconds", 20}});
  ASSERT_EQ(plan.status, JobStatus::kSucceeded) << plan.error;
  const JobRecord replan =
      Run("replan", json{{"baseline_job", plan.id},
                         {"events", {"outage plants=home from=2026-08-03 to=2026-08-28"}},
                         {"time_limit_seconds", 20}});
  ASSERT_EQ(replan.status, JobStatus::kSucceeded) << replan.error;

  const JobRecord job = Run("compare", json{{"a_job", plan.id}, {"b_job", replan.id}});
  ASSERT_EQ(job.status, JobStatus::kSucceeded) << job.error;
  const auto stored = *storage_->GetResult(job.id);
  const json c = json::parse(stored.json);
  EXPECT_NE(c["a_source"].get<std::string>().find("plan of"), std::string::npos);
  EXPECT_NE(c["b_source"].get<std::string>().find("recovered plan of"), std::string::npos);

  // The same comparison computed here from the plans the jobs stored, the
  // recovered plan read against its recovery scenario (checked feasible).
  auto scenario = io::ParseScenario(yaml_, "small.yaml");
  ASSERT_TRUE(scenario.has_value());
  const json planned = json::parse(storage_->GetResult(plan.id)->json);
  auto a = io::ParsePlanJson(planned["plan"].dump(), "a", *scenario);
  ASSERT_TRUE(a.has_value()) << a.error().message;
  const json replanned = json::parse(storage_->GetResult(replan.id)->json);
  auto event = io::ParseEventText(replanned["events"][0].get<std::string>(), *scenario, "e", "e1");
  ASSERT_TRUE(event.has_value());
  auto base = io::ParsePlanJson(planned["plan"].dump(), "baseline", *scenario);
  const std::vector<model::Event> events = {*event};
  auto again = replan::Replan(*scenario, *base, events, {});
  ASSERT_TRUE(again.has_value()) << again.error().message;
  // The recovered plan file names the scenario's own lines; its basis says
  // which events it was planned under.
  auto b = io::ParsePlanJson(replanned["recovered"]["plan"].dump(), "b", *scenario);
  ASSERT_TRUE(b.has_value()) << b.error().message;
  auto context = replan::ContextOf(*scenario, *b);
  ASSERT_TRUE(context.has_value()) << context.error().message;
  const plan::CheckReport check = plan::CheckPlan(context->scenario, *b, context->request);
  EXPECT_TRUE(check.ok()) << (check.violations.empty() ? "" : check.violations.front());
  const plan::CheckReport full = plan::CheckPlan(again->disrupted_scenario, *b, again->RecoveryRequest());
  EXPECT_TRUE(full.ok()) << (full.violations.empty() ? "" : full.violations.front());
  // Utilization with each plan's line availability (the recovered plan's outage).
  json expected = io::ComparisonJson(
      replan::ComparePlans(*scenario, *a, again->disrupted_scenario, *b, {}, context->request));
  expected["a_source"] = c["a_source"];
  expected["b_source"] = c["b_source"];
  expected["plant_months"] =
      io::PlantMonthsSideBySideJson(*scenario, plan::Summarize(*scenario, *a), again->disrupted_scenario,
                                    plan::Summarize(again->disrupted_scenario, *b, context->request));
  EXPECT_EQ(c, expected);
  // The outage takes the recovered plan's August capacity at "home" away.
  const json& grid = c["plant_months"];
  ASSERT_EQ(grid["plants"][0]["id"], "home");
  const auto august = std::ranges::find(grid["months"], json("2026-08")) - grid["months"].begin();
  EXPECT_LT(grid["b_capacity"][0][august].get<double>(), grid["a_capacity"][0][august].get<double>());
  double a_built = 0;
  for (const auto& e : a->production) a_built += e.units;
  double grid_built = 0;
  for (const auto& row : grid["a_built"]) {
    for (const auto& cell : row) grid_built += cell.get<double>();
  }
  EXPECT_NEAR(grid_built, a_built, 1e-6 * std::max(1.0, a_built));
  EXPECT_NEAR(c["rows"][0]["b"].get<double>(), replanned["recovered"]["objective_gbp"].get<double>(),
              1e-6 * std::abs(replanned["recovered"]["objective_gbp"].get<double>()));
  EXPECT_EQ(stored.csv.substr(0, stored.csv.find('\n')), "section,key,unit,a,b,change");
  EXPECT_EQ(std::count(stored.csv.begin(), stored.csv.end(), '\n'), 1 + static_cast<long>(c["rows"].size()));
}

TEST_F(ReplanEnginesTest, CompareTwoScenariosPlansBoth) {
  const JobRecord plan = Run("plan", json{{"time_limit_seconds", 20}});
  ASSERT_EQ(plan.status, JobStatus::kSucceeded) << plan.error;
  const JobRecord job =
      Run("compare",
          json{{"scenario_a", scenario_id_}, {"scenario_b", scenario_id_}, {"time_limit_seconds", 20}});
  ASSERT_EQ(job.status, JobStatus::kSucceeded) << job.error;
  const json c = json::parse(storage_->GetResult(job.id)->json);
  const double planned = json::parse(storage_->GetResult(plan.id)->json)["objective_gbp"];
  ASSERT_FALSE(c["rows"].empty());
  for (const auto& row : c["rows"]) EXPECT_NEAR(row["change"].get<double>(), 0, 1e-6) << row.dump();
  EXPECT_NEAR(c["rows"][0]["a"].get<double>(), planned, 1e-4 * std::abs(planned));
}

TEST_F(ReplanEnginesTest, CompareRejectsMissingOrMixedSides) {
  const JobRecord validate = Run("validate", json::object());
  EXPECT_NE(Run("compare", json{{"a_job", validate.id}}).error.find("either b_job"), std::string::npos);
  EXPECT_NE(Run("compare", json{{"a_job", 1}, {"scenario_a", 1}, {"b_job", 1}}).error.find("either a_job"),
            std::string::npos);
  EXPECT_NE(Run("compare", json{{"a_job", validate.id}, {"b_job", validate.id}})
                .error.find("expected a plan or replan job"),
            std::string::npos);
  EXPECT_NE(Run("compare", json{{"a_job", 999}, {"b_job", validate.id}}).error.find("params.a_job"),
            std::string::npos);
  EXPECT_NE(
      Run("compare", json{{"scenario_a", 999}, {"scenario_b", scenario_id_}}).error.find("params.scenario_a"),
      std::string::npos);
}

// Cancelling a running risk job ends it between samples (and its solve at
// once); the worker is free again within a second or so.
TEST_F(ReplanEnginesTest, CancelledRiskJobStopsAndTheNextJobRuns) {
  JobManager jobs(*storage_, registry_, {.num_workers = 1, .max_queued = 4});
  auto id = jobs.Start("risk", scenario_id_, json{{"samples", 1000}, {"time_limit_seconds", 20}});
  ASSERT_TRUE(id.has_value() && id->has_value());
  // Wait until samples are being solved.
  for (int i = 0; i < 600; ++i) {
    if (storage_->GetJob(**id)->message.find("samples") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_NE(storage_->GetJob(**id)->message.find("samples"), std::string::npos);
  const auto asked = std::chrono::steady_clock::now();
  ASSERT_TRUE(jobs.Cancel(**id).has_value());
  jobs.WaitIdle();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - asked).count();
  EXPECT_LT(seconds, 5.0);
  std::cout << "risk job stopped " << seconds << " s after the cancel\n";
  EXPECT_EQ(storage_->GetJob(**id)->status, JobStatus::kCancelled);
  auto next = jobs.Start("plan", scenario_id_, json{{"time_limit_seconds", 20}});
  ASSERT_TRUE(next.has_value() && next->has_value());
  jobs.WaitIdle();
  EXPECT_EQ(storage_->GetJob(**next)->status, JobStatus::kSucceeded) << storage_->GetJob(**next)->error;
}

}  // namespace
}  // namespace cobuild::server
