#include "io/yaml_reader.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cobuild::io {
namespace {

using ::testing::HasSubstr;

TEST(DiagnosticTest, FormatsFileLineColumnPathMessage) {
  Diagnostic d{.file = "a.yaml",
               .line = 41,
               .column = 9,
               .path = "lines[2].rate_jph",
               .message = "must be > 0, got -5"};
  EXPECT_EQ(d.ToString(), "a.yaml:41:9: lines[2].rate_jph: must be > 0, got -5");
  EXPECT_EQ((Diagnostic{.file = "a.yaml", .message = "empty"}).ToString(), "a.yaml: empty");
}

TEST(ParseYamlTextTest, RejectsBinaryData) {
  auto r = ParseYamlText(std::string("name: x\n\0\1\2", 11), "b.yaml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().line, 2);
  EXPECT_THAT(r.error().message, HasSubstr("binary data"));
}

TEST(ParseYamlTextTest, RejectsInvalidUtf8WithPosition) {
  auto r = ParseYamlText("name: ok\nnote: caf\xe9\n", "u.yaml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().ToString(), "u.yaml:2:10: invalid UTF-8; save the file as UTF-8");
}

TEST(ParseYamlTextTest, AcceptsUtf8AndByteOrderMark) {
  auto r = ParseYamlText("\xEF\xBB\xBFname: Caf\xC3\xA9\n", "u.yaml");
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)["name"].Scalar(), "Caf\xC3\xA9");
}

TEST(ParseYamlTextTest, RejectsDeepFlowNestingWithoutRecursing) {
  const std::string deep = "a: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
  auto r = ParseYamlText(deep, "deep.yaml");
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message, HasSubstr("nesting deeper than 64"));
}

TEST(ParseYamlTextTest, RejectsDeepBlockNesting) {
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += std::string(static_cast<size_t>(i), ' ') + "k:\n";
  auto r = ParseYamlText(deep, "deep.yaml");
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message, HasSubstr("nesting"));
  auto dashes = ParseYamlText(std::string(20000, '-').insert(0, "") + "\n", "d.yaml");
  // A line of dashes is a plain scalar, not nesting; it parses.
  EXPECT_TRUE(dashes);
  std::string seqs;
  for (int i = 0; i < 200; ++i) seqs += "- ";
  EXPECT_FALSE(ParseYamlText(seqs + "x\n", "s.yaml"));
}

TEST(ParseYamlTextTest, RejectsOversizedInput) {
  auto r = ParseYamlText(std::string(2000, 'a'), "big.yaml", {.max_bytes = 1000});
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message, HasSubstr("at most 1000"));
}

TEST(ParseYamlTextTest, ReportsSyntaxErrorsWithPosition) {
  auto r = ParseYamlText("a: [1, 2\nb: 3\n", "s.yaml");
  ASSERT_FALSE(r);
  EXPECT_GT(r.error().line, 0);
  EXPECT_THAT(r.error().message, HasSubstr("not valid YAML"));
}

class DecoderTest : public ::testing::Test {
 protected:
  YAML::Node Parse(const std::string& text) { return *ParseYamlText(text, "t.yaml"); }
  std::vector<Diagnostic> diagnostics_;
  YamlDecoder d_{"t.yaml", &diagnostics_};
};

TEST_F(DecoderTest, NumberRangesAndTypes) {
  auto n = Parse("a: -5\nb: 1e999\nc: \"12\"\nd: [1]\ne: 0.5\nf: abc\n");
  EXPECT_FALSE(d_.Number(n, "a", "x", Required::kYes, NumberRule::Positive()));
  EXPECT_FALSE(d_.Number(n, "b", "x", Required::kYes));
  EXPECT_FALSE(d_.Number(n, "c", "x", Required::kYes));
  EXPECT_FALSE(d_.Number(n, "d", "x", Required::kYes));
  EXPECT_EQ(d_.Number(n, "e", "x", Required::kYes, NumberRule::Share()), 0.5);
  EXPECT_FALSE(d_.Number(n, "f", "x", Required::kYes));
  ASSERT_EQ(diagnostics_.size(), 5u);
  EXPECT_EQ(diagnostics_[0].ToString(), "t.yaml:1:4: x.a: must be > 0, got -5");
  EXPECT_THAT(diagnostics_[1].message, HasSubstr("out of range"));
  EXPECT_EQ(diagnostics_[2].message, "expected a number, got \"12\"");
  EXPECT_EQ(diagnostics_[3].message, "expected a number, got a list");
  EXPECT_EQ(diagnostics_[4].message, "expected a number, got \"abc\"");
}

TEST_F(DecoderTest, IntegersRejectFractionsAndOverflow) {
  auto n = Parse("a: 2.5\nb: 99999999999999999999\nc: 7\n");
  EXPECT_FALSE(d_.Integer(n, "a", "", Required::kYes));
  EXPECT_FALSE(d_.Integer(n, "b", "", Required::kYes));
  EXPECT_EQ(d_.Integer(n, "c", "", Required::kYes), 7);
  EXPECT_EQ(diagnostics_.size(), 2u);
}

TEST_F(DecoderTest, MissingRequiredFieldPointsAtTheMapping) {
  auto n = Parse("lines:\n  - id: a\n");
  EXPECT_FALSE(d_.Number(n["lines"][0], "rate_jph", "lines[0]", Required::kYes));
  ASSERT_EQ(diagnostics_.size(), 1u);
  EXPECT_EQ(diagnostics_[0].ToString(), "t.yaml:2:5: lines[0].rate_jph: required field is missing");
}

TEST_F(DecoderTest, UnknownAndDuplicateKeys) {
  auto n = Parse("rate_jhp: 1\nid: a\nid: b\n");
  d_.CheckKeys(n, "lines[0]", {"id", "rate_jph"});
  ASSERT_EQ(diagnostics_.size(), 2u);
  EXPECT_EQ(diagnostics_[0].ToString(),
            "t.yaml:1:1: lines[0].rate_jhp: unknown key (did you mean 'rate_jph'?)");
  EXPECT_EQ(diagnostics_[1].ToString(), "t.yaml:3:1: lines[0].id: duplicate key");
}

TEST(DidYouMeanTest, OnlySuggestsCloseWords) {
  EXPECT_EQ(DidYouMean("halewod", {"halewood", "solihull"}), " (did you mean 'halewood'?)");
  EXPECT_EQ(DidYouMean("xyz", {"halewood", "solihull"}), "");
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
}

TEST(ParseYamlTextTest, RefusesAliasBombs) {
  // Billion laughs: nine levels of ten aliases each stand for 10^9 nodes.
  std::string laughs = "a0: &a0 [lol]\n";
  for (int level = 1; level <= 9; ++level) {
    laughs += fmt::format("a{0}: &a{0} [", level);
    for (int i = 0; i < 10; ++i) laughs += fmt::format("{}*a{}", i ? ", " : "", level - 1);
    laughs += "]\n";
  }
  auto bomb = ParseYamlText(laughs, "laughs.yaml");
  ASSERT_FALSE(bomb);
  EXPECT_THAT(bomb.error().message, HasSubstr("aliases stand for more than 100000 nodes"));
  EXPECT_GT(bomb.error().line, 0);

  // One row aliased 300,000 times.
  std::string rows = "row: &r {model: x, market: y, units: -1}\nrows:\n";
  for (int i = 0; i < 300000; ++i) rows += "  - *r\n";
  EXPECT_FALSE(ParseYamlText(rows, "rows.yaml"));

  // A few aliases, as the default scenario's demand profile uses, are fine.
  auto fine = ParseYamlText("p: &uk [1, 2, 3]\nq: *uk\nr: *uk\n", "ok.yaml");
  ASSERT_TRUE(fine);
  EXPECT_EQ((*fine)["r"].size(), 3u);
}

TEST(YamlDecoderTest, ListsTheFirstProblemsAndCountsTheRest) {
  std::vector<Diagnostic> diagnostics;
  YamlDecoder d("big.yaml", &diagnostics);
  const YAML::Node node;
  for (int i = 0; i < 3000; ++i) d.Error(node, "rows", "bad row " + std::to_string(i));
  ASSERT_EQ(diagnostics.size(), kMaxDiagnostics + 1);
  EXPECT_EQ(diagnostics[99].message, "bad row 99");
  EXPECT_EQ(diagnostics.back().omitted, 2900u);
  EXPECT_THAT(diagnostics.back().message, HasSubstr("2900 more problem(s) not listed"));
  EXPECT_EQ(CountProblems(diagnostics), 3000u);
  EXPECT_FALSE(d.ok());
}

}  // namespace
}  // namespace cobuild::io
