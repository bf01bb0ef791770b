#include "server/deal_job.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "server/engines.h"
#include "server/job_manager.h"

namespace cobuild::server {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// tests/data/deal/participation.yaml, worked by hand in its README.
class DealJobTest : public ::testing::Test {
 protected:
  DealJobTest() {
    storage_ = std::move(*Storage::Open(":memory:"));
    scenario_id_ = *storage_->AddScenario("deal-participation", "participation.yaml",
                                          Slurp("tests/data/deal/participation.yaml"));
  }

  JobRecord Run(const json& params, const std::string& kind = "deal") {
    JobManager jobs(*storage_, registry_, {.num_workers = 1, .max_queued = 4});
    auto id = jobs.Start(kind, scenario_id_, params);
    EXPECT_TRUE(id.has_value() && id->has_value());
    jobs.WaitIdle();
    return *storage_->GetJob(**id);
  }

  // What POST /api/jobs checks before queueing anything.
  Result<void> Check(const json& params) const { return registry_.Find("deal")->check_params(params); }

  std::unique_ptr<Storage> storage_;
  JobRegistry registry_ = DefaultJobRegistry();
  int64_t scenario_id_ = 0;
};

TEST_F(DealJobTest, ReportsTheTermsAndBothSweeps) {
  const JobRecord job = Run({{"contract", "host-builds-partner"},
                             {"fees", "10:2710:4"},
                             {"tariff", "UK:CN:0,0.1"},
                             {"time_limit_seconds", 30},
                             {"sweep_time_limit_seconds", 30}});
  ASSERT_EQ(job.status, JobStatus::kSucceeded) << job.error;
  EXPECT_EQ(job.progress, 1);
  EXPECT_EQ(job.message, "deal report ready");
  const auto stored = *storage_->GetResult(job.id);
  const json r = json::parse(stored.json);
  EXPECT_NEAR(r["terms"]["host_break_even_fee_gbp"].get<double>(), 50, 1e-6);
  EXPECT_NEAR(r["terms"]["partner_max_fee_gbp"].get<double>(), 2675, 1e-6);
  EXPECT_TRUE(r["plans"]["with"]["checker_violations"].empty());
  EXPECT_EQ(r["names"]["companies"]["host"], "Host Motors");
  // Fees 10, 910, 1810, 2710: the host hosts 6,000 at 10 (README), all
  // 12,000 inside the zone, none above the partner's 2,675.
  const json& points = r["fee_sweep"]["points"];
  ASSERT_EQ(points.size(), 4u);
  const double cars[] = {6000, 12000, 12000, 0};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(points[i]["cars_hosted"].get<double>(), cars[i], 1e-6) << points[i].dump();
    EXPECT_NEAR(points[i]["cars_by_plant"]["home"].get<double>(), cars[i], 1e-6);
    EXPECT_GE(points[i]["host_gain_pv_gbp"].get<double>(), -1);
    EXPECT_GE(points[i]["partner_gain_pv_gbp"].get<double>(), -1);
    EXPECT_TRUE(points[i]["checker_violations"].empty());
  }
  EXPECT_NEAR(r["fee_sweep"]["zone_pv"]["from"].get<double>(), 50, 1e-6);
  // The plan every point started from: at the zone's middle, hosting all
  // 12,000 cars, with the central plan's zone as its own.
  const json& start = r["fee_sweep"]["start"];
  EXPECT_EQ(start["fee_gbp"].get<double>(), 1363);
  EXPECT_NEAR(start["cars_hosted"].get<double>(), 12000, 1e-6);
  EXPECT_NEAR(start["zone_pv"]["from"].get<double>(), 50, 1e-6);
  EXPECT_NEAR(start["zone_pv"]["to"].get<double>(), 2675, 1e-6);
  EXPECT_EQ(start["status"], "optimal");
  const json& rates = r["tariff_sweep"]["points"];
  ASSERT_EQ(rates.size(), 2u);
  EXPECT_NEAR(rates[0]["partner_max_fee_gbp"].get<double>(), 1325, 1e-6);
  EXPECT_NEAR(rates[1]["partner_max_fee_gbp"].get<double>(), 2675, 1e-6);
  EXPECT_THAT(stored.csv, HasSubstr("fee_sweep,10,cars_hosted:home,6000,,"));
  EXPECT_THAT(stored.csv, HasSubstr("tariff_sweep,0,max_fee_gbp:partner,1325,,"));
}

TEST_F(DealJobTest, WithoutSweepsOnlyTheReport) {
  const JobRecord job = Run({{"contract", "host-builds-partner"}});
  ASSERT_EQ(job.status, JobStatus::kSucceeded) << job.error;
  const json r = json::parse(storage_->GetResult(job.id)->json);
  EXPECT_TRUE(r["fee_sweep"].is_null());
  EXPECT_TRUE(r["tariff_sweep"].is_null());
  EXPECT_NEAR(r["terms"]["proposed_fee_gbp"].get<double>(), (50 + 2675) / 2.0, 1e-6);
}

// params.plan_job: a finished plan job of the scenario stands for the plan
// with the contract (as `cobuild deal --plan`); the report is the one a
// solve gives, and a job of another kind is refused.
TEST_F(DealJobTest, APlanJobStandsForThePlanWithTheContract) {
  const JobRecord plan = Run(json::object(), "plan");
  ASSERT_EQ(plan.status, JobStatus::kSucceeded) << plan.error;
  const JobRecord job = Run({{"contract", "host-builds-partner"}, {"plan_job", plan.id}});
  ASSERT_EQ(job.status, JobStatus::kSucceeded) << job.error;
  const json r = json::parse(storage_->GetResult(job.id)->json);
  EXPECT_NEAR(r["terms"]["proposed_fee_gbp"].get<double>(), (50 + 2675) / 2.0, 1e-6);
  const JobRecord wrong = Run({{"contract", "host-builds-partner"}, {"plan_job", job.id}});
  ASSERT_EQ(wrong.status, JobStatus::kFailed);
  EXPECT_THAT(wrong.error, HasSubstr("params.plan_job: expected a plan job"));
  auto bad = Check({{"contract", "host-builds-partner"}, {"plan_job", "7"}});
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("params.plan_job: expected a job id"));
}

// A plan job with `without_contract` stands for the plan without it (as
// `cobuild deal --plan-without`): with both plan jobs nothing is solved and
// the report is the one a solve gives. A plan of the scenario as it is is
// refused as the plan without the contract, and one without it as the plan
// with it.
TEST_F(DealJobTest, PlanJobsStandForBothPlans) {
  const JobRecord with = Run(json::object(), "plan");
  ASSERT_EQ(with.status, JobStatus::kSucceeded) << with.error;
  const JobRecord without = Run({{"without_contract", "host-builds-partner"}}, "plan");
  ASSERT_EQ(without.status, JobStatus::kSucceeded) << without.error;
  const json stored = json::parse(storage_->GetResult(without.id)->json);
  EXPECT_EQ(stored["plan"]["basis"]["excluded_contracts"], json::array({"host-builds-partner"}))
      << stored["plan"]["basis"].dump();

  const JobRecord job =
      Run({{"contract", "host-builds-partner"}, {"plan_job", with.id}, {"plan_without_job", without.id}});
  ASSERT_EQ(job.status, JobStatus::kSucceeded) << job.error;
  const json r = json::parse(storage_->GetResult(job.id)->json);
  EXPECT_FALSE(r["plans"]["with"]["solved"].get<bool>());
  EXPECT_FALSE(r["plans"]["without"]["solved"].get<bool>());
  EXPECT_NEAR(r["terms"]["host_break_even_fee_gbp"].get<double>(), 50, 1e-6);
  EXPECT_NEAR(r["terms"]["partner_max_fee_gbp"].get<double>(), 2675, 1e-6);

  const JobRecord swapped = Run({{"contract", "host-builds-partner"}, {"plan_without_job", with.id}});
  ASSERT_EQ(swapped.status, JobStatus::kFailed);
  EXPECT_THAT(swapped.error, HasSubstr("params.plan_without_job: "));
  const JobRecord swapped_with = Run({{"contract", "host-builds-partner"}, {"plan_job", without.id}});
  ASSERT_EQ(swapped_with.status, JobStatus::kFailed);
  EXPECT_THAT(swapped_with.error, HasSubstr("params.plan_job: "));

  const JobRecord unknown = Run({{"without_contract", "host-builds-partnr"}}, "plan");
  ASSERT_EQ(unknown.status, JobStatus::kFailed);
  EXPECT_THAT(unknown.error, HasSubstr("params.without_contract: "));
  EXPECT_THAT(unknown.error, HasSubstr("did you mean"));
  auto bad = registry_.Find("plan")->check_params({{"without_contract", 3}});
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("params.without_contract: expected a contract id"));
  auto bad_job = Check({{"contract", "host-builds-partner"}, {"plan_without_job", "7"}});
  ASSERT_FALSE(bad_job);
  EXPECT_THAT(bad_job.error().message, HasSubstr("params.plan_without_job: expected a job id"));
}

TEST_F(DealJobTest, BadParamsAreRefusedBeforeAnythingIsQueued) {
  const std::pair<json, std::string> cases[] = {
      {json::object(), "params.contract: expected a contract id"},
      {{{"contract", 3}}, "params.contract: expected a contract id"},
      {{{"contract", "host-builds-partner"}, {"colour", "red"}}, "params.colour: unknown parameter"},
      {{{"contract", "host-builds-partner"}, {"fees", "3000:0:4"}}, "params.fees: expected FROM:TO:POINTS"},
      {{{"contract", "host-builds-partner"}, {"fees", 11}}, "params.fees: expected \"FROM:TO:POINTS\""},
      {{{"contract", "host-builds-partner"}, {"sweep", "yes"}}, "params.sweep: expected true or false"},
      {{{"contract", "host-builds-partner"}, {"tariff", ""}}, "params.tariff: expected"},
      {{{"contract", "host-builds-partner"}, {"time_limit_seconds", 0}}, "params.time_limit_seconds"},
      {{{"contract", "host-builds-partner"}, {"seed", 1.5}}, "params.seed: expected a whole number"},
  };
  for (const auto& [params, message] : cases) {
    auto r = Check(params);
    ASSERT_FALSE(r) << params.dump();
    EXPECT_THAT(r.error().message, HasSubstr(message)) << params.dump();
  }
  EXPECT_TRUE(Check({{"contract", "host-builds-partner"}, {"sweep", true}, {"host_first", false}}));
}

TEST_F(DealJobTest, AnUnknownContractOrMarketFailsTheJobWithADidYouMean) {
  const JobRecord unknown = Run({{"contract", "host-builds-partnr"}});
  ASSERT_EQ(unknown.status, JobStatus::kFailed);
  EXPECT_THAT(unknown.error, HasSubstr("params.contract"));
  EXPECT_THAT(unknown.error, HasSubstr("did you mean"));
  const JobRecord market = Run({{"contract", "host-builds-partner"}, {"tariff", "EU:CN:0.1"}});
  ASSERT_EQ(market.status, JobStatus::kFailed);
  EXPECT_THAT(market.error, HasSubstr("params.tariff: unknown market \"EU\""));
}

}  // namespace
}  // namespace cobuild::server
