#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "io/csplib_reader.h"
#include "io/roadef_reader.h"
#include "io/sequence_solution.h"
#include "sequence/evaluator.h"
#include "sequence/lower_bound.h"

namespace cobuild::io {
namespace {

const std::string kData = "tests/data/carseq/";

// Asserts that reading fails on the input, not internally (exit code 2 in the
// CLI), with a message starting with `where` and containing `what`.
template <typename R>
void ExpectError(const R& result, const std::string& where, const std::string& what) {
  ASSERT_FALSE(result.has_value()) << where;
  EXPECT_NE(result.error().kind, ErrorKind::kInternal);
  EXPECT_EQ(result.error().message.rfind(where, 0), 0u) << result.error().message;
  EXPECT_NE(result.error().message.find(what), std::string::npos) << result.error().message;
}

TEST(RoadefReaderTest, ReadsCrlfTrailingSemicolonsAndDuplicateIdents) {
  auto inst = ReadRoadefInstance(kData + "tiny_roadef");
  ASSERT_TRUE(inst.has_value()) << inst.error().message;
  EXPECT_EQ(inst->name, "tiny_roadef");
  ASSERT_EQ(inst->previous_day.size(), 2u);
  ASSERT_EQ(inst->cars.size(), 6u);
  EXPECT_EQ(inst->cars[3].ident, "C3");
  EXPECT_EQ(inst->cars[2].ident, "C3");
  EXPECT_EQ(inst->cars[3].seq_rank, 4);
  EXPECT_EQ(inst->cars[5].options, 1u);  // Last line has no ';' and no newline.
  EXPECT_EQ(inst->cars[1].options, 3u);
  EXPECT_EQ(inst->paint_batch_limit, 2);
  ASSERT_EQ(inst->ratios.size(), 2u);
  EXPECT_EQ(inst->ratios[1].max_cars, 1);
  EXPECT_EQ(inst->ratios[1].window, 3);
  EXPECT_FALSE(inst->ratios[1].high_priority);
  EXPECT_EQ(inst->objective_order,
            (std::vector<sequence::Criterion>{sequence::Criterion::kHighPriorityRatios,
                                              sequence::Criterion::kColourChanges,
                                              sequence::Criterion::kLowPriorityRatios}));
}

TEST(RoadefReaderTest, ScoresTheInputOrderAsComputedByHand) {
  auto inst = ReadRoadefInstance(kData + "tiny_roadef");
  ASSERT_TRUE(inst.has_value());
  auto c = sequence::Evaluate(*inst, sequence::InputOrder(*inst));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->hprc, 1);
  EXPECT_EQ(c->lprc, 2);
  EXPECT_EQ(c->colour_changes, 3);
  EXPECT_TRUE(c->batch_limit_ok);
  EXPECT_EQ(sequence::Score(*inst, *c), 1'003'002);
  const sequence::LowerBound lb = sequence::ComputeLowerBound(*inst);
  EXPECT_EQ(lb.criteria.hprc, 0);
  EXPECT_EQ(lb.criteria.lprc, 0);
  EXPECT_EQ(lb.criteria.colour_changes, 3);
}

TEST(SolutionTest, ReadsASolutionAndItRoundTrips) {
  auto inst = ReadRoadefInstance(kData + "tiny_roadef");
  ASSERT_TRUE(inst.has_value());
  auto order = ReadSolution(kData + "tiny_roadef_solution.txt", *inst);
  ASSERT_TRUE(order.has_value()) << order.error().message;
  EXPECT_EQ(*order, (std::vector<int>{5, 2, 0, 4, 3, 1}));
  auto c = sequence::Evaluate(*inst, *order);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->hprc, 0);
  EXPECT_EQ(c->lprc, 2);
  EXPECT_EQ(c->colour_changes, 5);
  EXPECT_EQ(sequence::Score(*inst, *c), 5'002);

  const std::filesystem::path out = std::filesystem::temp_directory_path() / "cobuild_solution_roundtrip.txt";
  ASSERT_TRUE(WriteSolution(out, *inst, *order).has_value());
  auto again = ReadSolution(out, *inst);
  std::filesystem::remove(out);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, *order);
}

TEST(SolutionTest, RejectsBrokenSolutions) {
  auto inst = ReadRoadefInstance(kData + "tiny_roadef");
  ASSERT_TRUE(inst.has_value());
  const std::string b = kData + "broken/";
  ExpectError(ReadSolution(b + "solution_unknown_car.txt", *inst),
              b + "solution_unknown_car.txt:2:", "no day-D car has Date;SeqRank '2005 1 2;7'");
  ExpectError(ReadSolution(b + "solution_previous_day.txt", *inst),
              b + "solution_previous_day.txt:2:", "belongs to day D-1");
  ExpectError(ReadSolution(b + "solution_repeat.txt", *inst),
              b + "solution_repeat.txt:3:", "already listed on line 2");
  ExpectError(ReadSolution(b + "solution_missing.txt", *inst),
              b + "solution_missing.txt:2:", "lists 1 of 6 day-D cars");
  ExpectError(ReadSolution(b + "solution_wrong_ident.txt", *inst),
              b + "solution_wrong_ident.txt:2:", "Ident: car '2005 1 2;4' is 'C3', got 'C4'");
}

TEST(RoadefReaderTest, RejectsBrokenFolders) {
  const std::string b = kData + "broken/";
  ExpectError(ReadRoadefInstance(b + "bad_ratio"), b + "bad_ratio/ratios.txt:2:", "expected N/P, got '1-2'");
  ExpectError(ReadRoadefInstance(b + "bad_flag"),
              b + "bad_flag/vehicles.txt:3:", "LPRC1: expected 0 or 1, got '2'");
  ExpectError(ReadRoadefInstance(b + "third_date"),
              b + "third_date/vehicles.txt:4:", "a third date '2005 1 3'");
  ExpectError(ReadRoadefInstance(b + "duplicate_key"),
              b + "duplicate_key/vehicles.txt:4:", "already used by another car");
  ExpectError(ReadRoadefInstance(b + "unknown_objective"),
              b + "unknown_objective/optimization_objectives.txt:2:", "unknown objective 'fewest_defects'");
  ExpectError(ReadRoadefInstance(b + "short_row"),
              b + "short_row/vehicles.txt:3:", "expected 6 fields, got 5");
  ExpectError(ReadRoadefInstance(b + "no_paint_limit"), b + "no_paint_limit/paint_batch_limit.txt",
              "cannot open");
  ExpectError(ReadRoadefInstance(b + "does_not_exist"), b + "does_not_exist", "not an instance folder");
}

TEST(CsplibReaderTest, ReadsTheStandardFormat) {
  auto inst = ReadCsplibInstance(kData + "4_72.txt");
  ASSERT_TRUE(inst.has_value()) << inst.error().message;
  EXPECT_EQ(inst->kind, sequence::ProblemKind::kCsplib);
  EXPECT_EQ(inst->cars.size(), 100u);
  ASSERT_EQ(inst->ratios.size(), 5u);
  EXPECT_EQ(inst->ratios[0].max_cars, 1);
  EXPECT_EQ(inst->ratios[0].window, 2);
  EXPECT_EQ(inst->ratios[4].max_cars, 1);
  EXPECT_EQ(inst->ratios[4].window, 5);
  EXPECT_EQ(inst->cars[0].options, 0b01001u);  // Class 0: 1 0 0 1 0.
  EXPECT_EQ(inst->cars[0].ident, "0");
}

TEST(CsplibReaderTest, RejectsBrokenFiles) {
  const std::string b = kData + "broken/";
  ExpectError(ReadCsplibInstance(b + "csplib_count_mismatch.txt"),
              b + "csplib_count_mismatch.txt:5:", "class counts add up to 4 cars, line 1 declares 5");
  ExpectError(ReadCsplibInstance(b + "csplib_not_a_number.txt"),
              b + "csplib_not_a_number.txt:4:", "class 1 option 1: expected an integer, got 'x'");
  ExpectError(ReadCsplibInstance(b + "csplib_truncated.txt"),
              b + "csplib_truncated.txt:4:", "class 2 id: expected an integer, found the end of the file");
}

// Every ROADEF instance in the shared data set reads, and its input order
// respects the paint batch limit (ROADEF2005_FORMAT.md section 3.4).
TEST(RoadefReaderTest, ReadsAllSharedInstances) {
  const char* shared = std::getenv("COBUILD_SHARED_DATA");
  const std::filesystem::path root =
      shared ? std::filesystem::path(shared) / "carseq/roadef2005" : std::filesystem::path();
  std::error_code ec;
  if (!shared || !std::filesystem::is_directory(root, ec)) {
    GTEST_SKIP() << "COBUILD_SHARED_DATA/carseq/roadef2005 not available";
  }
  int count = 0;
  for (const char* set : {"Instances_set_A", "Instances_set_B", "Instances_set_X"}) {
    for (const auto& entry : std::filesystem::directory_iterator(root / set)) {
      auto inst = ReadRoadefInstance(entry.path());
      ASSERT_TRUE(inst.has_value()) << inst.error().message;
      EXPECT_FALSE(inst->previous_day.empty()) << entry.path();
      auto c = sequence::Evaluate(*inst, sequence::InputOrder(*inst));
      ASSERT_TRUE(c.has_value());
      EXPECT_TRUE(c->batch_limit_ok) << entry.path();
      const sequence::LowerBound lb = sequence::ComputeLowerBound(*inst);
      EXPECT_LE(lb.criteria.hprc, c->hprc) << entry.path();
      EXPECT_LE(lb.criteria.lprc, c->lprc) << entry.path();
      EXPECT_LE(lb.criteria.colour_changes, c->colour_changes) << entry.path();
      ++count;
    }
  }
  EXPECT_EQ(count, 80);
}

}  // namespace
}  // namespace cobuild::io
