#include "io/deal_io.h"

#include <gtest/gtest.h>

#include "io/csv.h"
#include "io/scenario_reader.h"
#include "plan/test_scenarios.h"

namespace cobuild::io {
namespace {

class DealIoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto s = LoadScenario("tests/data/deal/host-partner.yaml");
    ASSERT_TRUE(s) << s.error().message;
    scenario_ = new model::Scenario(*s);
    deal::DealOptions options;
    options.plan = plan::testing::QuickRequest().options;
    auto r = deal::AnalyzeDeal(*scenario_, 0, options);
    ASSERT_TRUE(r) << r.error().message;
    report_ = new deal::DealReport(*r);
  }
  static void TearDownTestSuite() {
    delete scenario_;
    delete report_;
  }
  static model::Scenario* scenario_;
  static deal::DealReport* report_;
};
model::Scenario* DealIoTest::scenario_ = nullptr;
deal::DealReport* DealIoTest::report_ = nullptr;

TEST_F(DealIoTest, JsonNamesIdsAndCarriesTheTerms) {
  const nlohmann::json j = DealJson(*scenario_, *report_);
  EXPECT_EQ(j["contract"], "host-builds-partner");
  EXPECT_EQ(j["host"], "host");
  EXPECT_EQ(j["partner"], "partner");
  ASSERT_EQ(j["companies"].size(), 2u);
  EXPECT_EQ(j["companies"][0]["company"], "host");
  EXPECT_DOUBLE_EQ(j["companies"][0]["change"]["contribution_gbp"].get<double>(),
                   report_->terms.host_gain_gbp);
  EXPECT_EQ(j["host_plants"][0]["plant"], "home");
  EXPECT_EQ(j["hosted"][0]["year"], 2027);
  EXPECT_DOUBLE_EQ(j["terms"]["host_break_even_fee_gbp"].get<double>(),
                   plan::Pennies(report_->terms.host_break_even_fee_gbp));
  EXPECT_EQ(j["terms"]["proposed_fee_rule"], "equal split of the joint gain");
  EXPECT_TRUE(j["plans"]["with"]["checker_violations"].empty());
  EXPECT_FALSE(j["findings"].empty());
}

TEST_F(DealIoTest, CsvParsesBackWithOneRecordAFigure) {
  auto rows = ParseCsv(DealCsv(*scenario_, *report_), "deal.csv");
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_GT(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].fields,
            (std::vector<std::string>{"section", "key", "field", "with", "without", "change"}));
  bool saw_zone = false;
  for (const auto& row : *rows) {
    ASSERT_EQ(row.fields.size(), 6u) << row.line;
    if (row.fields[0] == "terms" && row.fields[2] == "partner_max_fee_gbp") {
      saw_zone = true;
      EXPECT_NEAR(std::stod(row.fields[3]), report_->terms.partner_max_fee_gbp, 1e-3);
    }
  }
  EXPECT_TRUE(saw_zone);
}

// With no car under the contract the fee terms have no break-even: null in
// JSON, absent in CSV.
TEST_F(DealIoTest, NoHostedCarsLeavesTheFeesUndefined) {
  deal::DealReport r = *report_;
  r.terms.cars = 0;
  const nlohmann::json j = DealJson(*scenario_, r);
  EXPECT_TRUE(j["terms"]["host_break_even_fee_gbp"].is_null());
  EXPECT_FALSE(j["terms"]["zone_exists"].get<bool>());
  EXPECT_EQ(DealCsv(*scenario_, r).find("host_break_even_fee_gbp"), std::string::npos);
}

}  // namespace
}  // namespace cobuild::io
