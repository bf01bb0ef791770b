#include "io/csv.h"

#include <gtest/gtest.h>

#include "io/plan_io.h"
#include "plan/planner.h"
#include "plan/test_scenarios.h"

namespace cobuild::io {
namespace {

TEST(CsvFieldTest, QuotesOnlyWhatMustBeQuoted) {
  EXPECT_EQ(CsvField("halewood-2"), "halewood-2");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("white, pearl"), "\"white, pearl\"");
  EXPECT_EQ(CsvField("the \"E5\""), "\"the \"\"E5\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr\r"), "\"cr\r\"");
  EXPECT_EQ(CsvField("semi;colon and space"), "semi;colon and space");
}

TEST(CsvWriterTest, WritesAHeaderAndRowsThatReadBack) {
  CsvWriter csv({"id", "name", "units"});
  csv.AddRow({"e5, pearl", "Omoda \"E5\"\nlaunch edition", "12"});
  csv.AddRow(std::vector<std::string>{"", ",", "\"\""});
  EXPECT_EQ(csv.str(),
            "id,name,units\n"
            "\"e5, pearl\",\"Omoda \"\"E5\"\"\nlaunch edition\",12\n"
            ",\",\",\"\"\"\"\"\"\n");
  auto rows = ParseCsv(csv.str(), "x.csv");
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].fields, (std::vector<std::string>{"id", "name", "units"}));
  EXPECT_EQ((*rows)[1].fields, (std::vector<std::string>{"e5, pearl", "Omoda \"E5\"\nlaunch edition", "12"}));
  EXPECT_EQ((*rows)[2].fields, (std::vector<std::string>{"", ",", "\"\""}));
  // The third record starts on line 4: the second spans two lines.
  EXPECT_EQ((*rows)[0].line, 1u);
  EXPECT_EQ((*rows)[1].line, 2u);
  EXPECT_EQ((*rows)[2].line, 4u);
}

TEST(ParseCsvTest, AcceptsCrlfAndAMissingFinalLineBreak) {
  auto rows = ParseCsv("a,b\r\n\"c\",\"\"\r\nd,", "x.csv");
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].fields, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ((*rows)[1].fields, (std::vector<std::string>{"c", ""}));
  EXPECT_EQ((*rows)[2].fields, (std::vector<std::string>{"d", ""}));
  auto empty = ParseCsv("", "x.csv");
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->empty());
}

TEST(ParseCsvTest, NamesTheFileAndLineOfBrokenQuoting) {
  auto open = ParseCsv("a,b\nc,\"never\nclosed\n", "p.csv");
  ASSERT_FALSE(open.has_value());
  EXPECT_EQ(open.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(open.error().message, "p.csv:2: a quoted field is not closed");
  auto after = ParseCsv("a,b\n\"x\"y,z\n", "p.csv");
  ASSERT_FALSE(after.has_value());
  EXPECT_EQ(after.error().message, "p.csv:2: expected a comma or the end of the line after a closing quote");
  auto inside = ParseCsv("a,b\nc,d\"e\n", "p.csv");
  ASSERT_FALSE(inside.has_value());
  EXPECT_EQ(inside.error().message, "p.csv:2: a quote inside a field that does not start with one");
}

// A plan whose ids hold commas, quotes and line breaks survives the plan CSV
// (io/plan_io.h) both ways: before RFC 4180 quoting, a comma in an id shifted
// every later field of its row.
TEST(PlanCsvTest, IdsWithCommasQuotesAndLineBreaksRoundTrip) {
  model::Scenario s = plan::testing::MiniUk();
  plan::PlanRequest request;
  request.options.solve.time_limit_seconds = 30;
  auto plan = plan::SolvePlan(s, request);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  s.lines[0].id = "HW-1, \"north\"";
  s.plants[0].id = "Hale\nwood";
  for (auto& v : s.variants) v.id += ", \"special\" edition";
  s.markets[1].id = "EU,27";
  s.companies[1].id = "Chery \"Auto\"";
  const std::string text = WritePlanCsv(s, *plan);
  auto back = ParsePlanCsv(text, "plan.csv", s);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->production, plan->production);
  EXPECT_EQ(back->shifts, plan->shifts);
  EXPECT_EQ(back->shipments, plan->shipments);
  EXPECT_EQ(back->unmet, plan->unmet);
  EXPECT_EQ(back->contributions.size(), plan->contributions.size());
  auto rows = ParseCsv(text, "plan.csv");
  ASSERT_TRUE(rows.has_value());
  for (const CsvRecord& r : *rows) EXPECT_EQ(r.fields.size(), 11u) << "line " << r.line;
}

}  // namespace
}  // namespace cobuild::io
