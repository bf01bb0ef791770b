#include "io/xlsx_export.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "io/zip_test_util.h"

namespace cobuild::io {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

class XlsxExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("xlsx_export_test_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

// A plan result as the API's plan job and `cobuild plan --format json` write
// it, cut to what the sheets read: one plant of the host "jlr" that also
// builds 250 of partner "chery"'s cars in 2027, 50 of its 750 cars on
// levers in a month one line ran beyond its regular capacity while another
// left 300 unused.
json SmallPlanResult() {
  return {{"scenario", "two plants"},
          {"status", "optimal"},
          {"objective_gbp", 1234567.4},
          {"bound_gbp", 1234600.0},
          {"gap", 0.0001},
          {"penalties_gbp", 0},
          {"unmet_units", 0},
          {"months", {"2027-01", "2027-02"}},
          {"plants", {{{"id", "hw"}, {"name", "Halewood"}, {"company", "jlr"}}}},
          {"companies", {{{"id", "jlr"}, {"name", "JLR"}}, {{"id", "chery"}, {"name", "Chery"}}}},
          {"brands", {{{"id", "lr"}, {"name", "Land Rover"}, {"company", "jlr"}}}},
          {"variants", {{{"id", "evoque"}, {"brand", "lr"}}}},
          {"plant_years",
           {{{"plant", "hw"},
             {"year", 2027},
             {"capacity", 1000},
             {"built", 750.0000001},
             {"built_regular", 700},
             {"built_on_levers", 50},
             {"spare", 300},
             {"lever_capacity", 200},
             {"utilization", 0.75},
             {"utilization_with_levers", 0.625},
             {"built_by_company",
              {{{"company", "jlr"}, {"built", 500}}, {{"company", "chery"}, {"built", 250}}}}}}},
          {"lines",
           {{{"id", "hw-1"},
             {"plant", "hw"},
             {"built", {400, 350}},
             {"capacity", {500, 500}},
             {"availability", {1, 1}},
             {"shifts_per_day", {2, 2}},
             {"extra_shifts_per_day", {0, 0}},
             {"weekend_days", {0, 0}},
             {"variants", {{{"month", "2027-01"}, {"variant", "evoque"}, {"units", 400}}}}}}},
          {"contributions", {{{"company", "jlr"}, {"units_sold", 750}, {"contribution_gbp", 1234567.4}}}}};
}

TEST_F(XlsxExportTest, PlanWorkbookReadsBackWithSheetsHeadersAndNumbers) {
  const std::filesystem::path path = dir_ / "plan.xlsx";
  ASSERT_TRUE(WriteXlsx(path, PlanWorkbook(SmallPlanResult())).has_value());

  const std::string workbook = UnzipMember(path, "xl/workbook.xml");
  for (const char* sheet : {"Summary", "Plant years", "Line months", "Production", "Contributions"}) {
    EXPECT_THAT(workbook, HasSubstr(std::string("name=\"") + sheet + "\"")) << sheet;
  }
  // Sheets without rows are left out.
  EXPECT_THAT(workbook, Not(HasSubstr("name=\"Retooling\"")));
  const std::string strings = UnzipMember(path, "xl/sharedStrings.xml");
  for (const char* text : {"host's own", "partners'", "on regular shifts", "on levers", "regular capacity",
                           "utilization", "with levers", "Halewood", "contribution GBP"}) {
    EXPECT_THAT(strings, HasSubstr(text)) << text;
  }
  // Sheet 2 is "Plant years": whole cars as integers (750.0000001 -> 750),
  // the host's own 500 and the partner's 250 split out, 700 on regular
  // shifts, 50 on levers, 300 spare, the shares as numbers.
  const std::string plant_years = UnzipMember(path, "xl/worksheets/sheet2.xml");
  for (const char* v : {"750", "500", "250", "700", "50", "1000", "300", "0.75", "0.625"}) {
    EXPECT_THAT(plant_years, HasSubstr(std::string("<v>") + v + "</v>")) << v;
  }
  EXPECT_THAT(plant_years, Not(HasSubstr("750.0000001")));
  // The header row is frozen.
  EXPECT_THAT(plant_years, HasSubstr("state=\"frozen\""));
  // Money keeps its value under a GBP number format; headers are bold.
  EXPECT_THAT(UnzipMember(path, "xl/worksheets/sheet1.xml"), HasSubstr("<v>1234567.4</v>"));
  const std::string styles = UnzipMember(path, "xl/styles.xml");
  EXPECT_THAT(styles, HasSubstr("GBP"));
  EXPECT_THAT(styles, HasSubstr("<b/>"));
}

TEST_F(XlsxExportTest, EveryKindWritesAWorkbook) {
  const json risk = {{"samples", 3},
                     {"baseline_contribution_gbp", 5e6},
                     {"loss_gbp", {{"p10", 0}, {"p50", 1e5}, {"p90", 4e5}}},
                     {"percentiles", {{"units_lost", {{"p10", 0}, {"p50", 10}, {"p90", 40}}}}},
                     {"companies", {{{"company", "jlr"}, {"name", "JLR"}, {"baseline_gbp", 5e6}}}},
                     {"losses_gbp", {0, 1e5, 4e5}}};
  const json deal = {{"contract", "c1"},
                     {"terms", {{"fee_gbp", 1200}, {"cars", 250}}},
                     {"companies",
                      {{{"company", "jlr"},
                        {"with", {{"units_sold", 10}, {"contribution_gbp", 7}}},
                        {"without", {{"units_sold", 8}, {"contribution_gbp", 5}}},
                        {"change", {{"units_sold", 2}, {"contribution_gbp", 2}}}}}}};
  const json replan = {
      {"events", {"outage plants=hw from=2027-01-01 to=2027-01-31"}},
      {"baseline", SmallPlanResult()},
      {"report",
       {{"baseline_units_sold", 750},
        {"companies", {{{"company", "jlr"}, {"disrupted_cost_gbp", 1e5}}}},
        {"losses", {{"by_month", {{{"month", "2027-01"}, {"disrupted", 60}, {"recovered", 20}}}}}}}}};
  for (const auto& [kind, result, sheet] :
       {std::tuple{"plan", SmallPlanResult(), "Plant years"}, std::tuple{"risk", risk, "Percentiles"},
        std::tuple{"deal", deal, "Companies"}, std::tuple{"replan", replan, "Losses by month"}}) {
    auto sheets = ResultWorkbook(kind, result);
    ASSERT_TRUE(sheets.has_value()) << kind;
    const std::filesystem::path path = dir_ / (std::string(kind) + ".xlsx");
    ASSERT_TRUE(WriteXlsx(path, *sheets).has_value()) << kind;
    EXPECT_THAT(UnzipMember(path, "xl/workbook.xml"), HasSubstr(std::string("name=\"") + sheet + "\""))
        << kind;
  }
  EXPECT_FALSE(ResultWorkbook("sequence", json::object()).has_value());
  EXPECT_FALSE(HasWorkbook("compare"));
}

TEST_F(XlsxExportTest, OlderResultWithoutKeysStillWrites) {
  // A stored result that lacks every key the sheets read gives a summary only.
  auto sheets = ResultWorkbook("plan", json::object());
  ASSERT_TRUE(sheets.has_value());
  ASSERT_EQ(sheets->size(), 1u);
  EXPECT_TRUE(WriteXlsx(dir_ / "empty.xlsx", *sheets).has_value());
}

TEST_F(XlsxExportTest, UnwritablePathIsAnInputErrorNamingIt) {
  const std::filesystem::path path = dir_ / "no-such-dir" / "plan.xlsx";
  auto written = WriteXlsx(path, PlanWorkbook(SmallPlanResult()));
  ASSERT_FALSE(written.has_value());
  EXPECT_EQ(written.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(written.error().message, HasSubstr(path.string()));
  EXPECT_THAT(written.error().message, HasSubstr("No such file or directory"));
}

TEST_F(XlsxExportTest, BytesAreAZipWorkbook) {
  auto bytes = XlsxBytes(RiskWorkbook({{"samples", 1}}));
  ASSERT_TRUE(bytes.has_value());
  ASSERT_GT(bytes->size(), 100u);
  EXPECT_EQ(bytes->substr(0, 2), "PK");
}

}  // namespace
}  // namespace cobuild::io
