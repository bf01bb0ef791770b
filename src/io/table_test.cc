#include "io/table.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace cobuild::io {
namespace {

TEST(TableTest, PadsColumnsAndAlignsRight) {
  Table t({"plant", "cars"});
  t.SetAlign(1, Table::Align::kRight);
  t.AddRow({"Halewood", "205,000"});
  t.AddRow({"Solihull", "9"});
  EXPECT_EQ(t.Render(),
            "plant        cars\n"
            "-----------------\n"
            "Halewood  205,000\n"
            "Solihull        9\n");
}

TEST(TableTest, RuleRowRendersDashes) {
  Table t({"a"});
  t.AddRow({"x"});
  t.AddRule();
  t.AddRow({"y"});
  EXPECT_EQ(t.Render(), "a\n-\nx\n-\ny\n");
}

TEST(FormatTest, ThousandsSeparators) {
  EXPECT_EQ(FormatThousands(int64_t{0}), "0");
  EXPECT_EQ(FormatThousands(int64_t{999}), "999");
  EXPECT_EQ(FormatThousands(int64_t{1000}), "1,000");
  EXPECT_EQ(FormatThousands(int64_t{-1234567}), "-1,234,567");
  EXPECT_EQ(FormatThousands(std::numeric_limits<int64_t>::min()), "-9,223,372,036,854,775,808");
  EXPECT_EQ(FormatThousands(204999.6), "205,000");
}

TEST(FormatTest, Percent) {
  EXPECT_EQ(FormatPercent(0.4567), "45.7%");
  EXPECT_EQ(FormatPercent(1.0, 0), "100%");
}

TEST(FormatTest, DisplayWidthCountsCodePoints) {
  EXPECT_EQ(DisplayWidth("GBP"), 3);
  EXPECT_EQ(DisplayWidth("\xC2\xA3"
                         "5"),
            2);  // "£5"
}

}  // namespace
}  // namespace cobuild::io
