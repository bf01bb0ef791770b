// `cobuild plan --write-mps/--write-lp`: the written file is the model the
// planner solves, and the plan it found is a feasible point of the file with
// the same objective.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "model/network_generator.h"
#include "plan/cbc_backend.h"
#include "plan/model_builder.h"
#include "plan/model_names.h"
#include "plan/plan_checker.h"
#include "plan/planner.h"
#include "plan/test_scenarios.h"

namespace cobuild::plan {
namespace {

std::filesystem::path TempFile(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("cobuild_model_file_" + std::to_string(::getpid()) + "_" + name);
}

// Largest violation of a bound or row by `x`, relative to the bound.
double WorstViolation(const LinearProgram& lp, const std::vector<double>& x) {
  double worst = 0;
  auto over = [](double value, double lower, double upper) {
    const double below = std::isfinite(lower) ? (lower - value) / std::max(1.0, std::abs(lower)) : 0;
    const double above = std::isfinite(upper) ? (value - upper) / std::max(1.0, std::abs(upper)) : 0;
    return std::max({0.0, below, above});
  };
  for (int j = 0; j < lp.num_cols(); ++j)
    worst = std::max(worst, over(x[j], lp.col_lower[j], lp.col_upper[j]));
  std::vector<double> activity(lp.num_rows(), 0.0);
  for (int64_t e = 0; e < lp.num_entries(); ++e)
    activity[lp.entry_row[e]] += lp.entry_value[e] * x[lp.entry_col[e]];
  for (int i = 0; i < lp.num_rows(); ++i)
    worst = std::max(worst, over(activity[i], lp.row_lower[i], lp.row_upper[i]));
  for (int j = 0; j < lp.num_cols(); ++j) {
    if (lp.is_integer[j]) worst = std::max(worst, std::abs(x[j] - std::round(x[j])));
  }
  return worst;
}

void ExpectPlanIsPointOfFile(const model::Scenario& scenario, PlanRequest request, ModelFileFormat format) {
  std::vector<double> columns;
  request.options.column_values = &columns;
  Result<Plan> plan = SolvePlan(scenario, request);
  ASSERT_TRUE(plan && plan->HasSolution());
  const CheckReport check = CheckPlan(scenario, *plan, request);
  for (const auto& v : check.violations) ADD_FAILURE() << v;

  const auto path = TempFile(format == ModelFileFormat::kMps ? "m.mps" : "m.lp");
  ASSERT_TRUE(WritePlanModel(scenario, request, path.string(), format).has_value());
  Result<LinearProgram> file = ReadModelFile(path.string(), format);
  std::filesystem::remove(path);
  ASSERT_TRUE(file.has_value()) << file.error().message;

  Result<BuiltModel> built = BuildPlanModel(scenario, request, {});
  ASSERT_TRUE(built.has_value());
  ASSERT_EQ(file->num_cols(), built->lp.num_cols());
  ASSERT_EQ(file->num_rows(), built->lp.num_rows());
  EXPECT_EQ(file->num_entries(), built->lp.num_entries());
  EXPECT_EQ(std::count(file->is_integer.begin(), file->is_integer.end(), 1),
            std::count(built->lp.is_integer.begin(), built->lp.is_integer.end(), 1));
  ASSERT_EQ(columns.size(), static_cast<size_t>(file->num_cols()));
  // The plan's columns in the file's order, by name (an LP file lists
  // columns as they first appear), with the same bounds and integrality.
  const ModelNames names =
      NameModel(scenario, *built, format == ModelFileFormat::kMps ? NameRules::kMps : NameRules::kLp);
  std::map<std::string, int> index;
  for (int j = 0; j < built->lp.num_cols(); ++j) index[names.columns[j]] = j;
  std::vector<double> in_file(columns.size());
  for (int k = 0; k < file->num_cols(); ++k) {
    const auto it = index.find(file->col_names[k]);
    ASSERT_NE(it, index.end()) << file->col_names[k];
    const int j = it->second;
    in_file[k] = columns[j];
    EXPECT_EQ(file->is_integer[k], built->lp.is_integer[j]) << file->col_names[k];
    EXPECT_EQ(file->col_lower[k], built->lp.col_lower[j]) << file->col_names[k];
    EXPECT_EQ(file->col_upper[k], built->lp.col_upper[j]) << file->col_names[k];
    EXPECT_EQ(file->objective[k], built->lp.objective[j]) << file->col_names[k];
  }
  EXPECT_LE(WorstViolation(*file, in_file), 1e-6);
  // The file's objective at the plan is the plan's objective (to the penny
  // the plan rounds its money to, per figure).
  EXPECT_NEAR(file->Evaluate(in_file), plan->objective_gbp, 1.0);
  // The names are the builder's, readable and unique.
  const std::set<std::string> unique(file->col_names.begin(), file->col_names.end());
  EXPECT_EQ(unique.size(), file->col_names.size());
}

TEST(ModelFileTest, MpsHoldsThePlanFoundWithTheSameObjective) {
  ExpectPlanIsPointOfFile(testing::MiniUk(), testing::QuickRequest(), ModelFileFormat::kMps);
}

TEST(ModelFileTest, LpHoldsThePlanFoundWithTheSameObjective) {
  ExpectPlanIsPointOfFile(testing::MiniUk(), testing::QuickRequest(), ModelFileFormat::kLp);
}

TEST(ModelFileTest, GeneratedNetworkWithRetoolingAndWorkforceRoundTrips) {
  const Result<model::Scenario> scenario = model::GenerateNetwork(
      {.plants = 3, .lines = 5, .variants = 12, .markets = 3, .months = 12, .seed = 3});
  ASSERT_TRUE(scenario.has_value());
  PlanRequest request = testing::QuickRequest();
  ExpectPlanIsPointOfFile(*scenario, request, ModelFileFormat::kMps);
  ExpectPlanIsPointOfFile(*scenario, request, ModelFileFormat::kLp);
}

TEST(ModelFileTest, ReplanWithAStabilityPenaltyKeepsTheObjectiveConstant) {
  // A replan's stability penalty puts a constant into the objective: the
  // file carries it (MPS: the objective row's RHS; LP: a constant term).
  const model::Scenario scenario = testing::MiniUk();
  Result<Plan> baseline = SolvePlan(scenario, testing::QuickRequest());
  ASSERT_TRUE(baseline && baseline->HasSolution());
  PlanRequest request = testing::QuickRequest();
  request.baseline = &*baseline;
  request.frozen_months = 2;
  request.stability_penalty_gbp_per_car = 50;
  request.SetLineAvailability(scenario, 0, 4, 0.0);
  Result<BuiltModel> built = BuildPlanModel(scenario, request, {});
  ASSERT_TRUE(built.has_value());
  ASSERT_NE(built->lp.objective_offset, 0);
  ExpectPlanIsPointOfFile(scenario, request, ModelFileFormat::kMps);
  ExpectPlanIsPointOfFile(scenario, request, ModelFileFormat::kLp);
}

TEST(ModelFileTest, NamesAreReadableAndKeepTheFormatsRules) {
  const model::Scenario scenario = testing::MiniUk();
  Result<BuiltModel> built = BuildPlanModel(scenario, testing::QuickRequest(), {});
  ASSERT_TRUE(built.has_value());
  const ModelNames mps = NameModel(scenario, *built, NameRules::kMps);
  const ModelNames lp = NameModel(scenario, *built, NameRules::kLp);
  const std::string line = scenario.lines[0].id;
  const std::string month = model::ToString(scenario.horizon.MonthAt(0));
  EXPECT_NE(std::find(mps.columns.begin(), mps.columns.end(), "shifts[" + line + "," + month + "]"),
            mps.columns.end());
  EXPECT_NE(std::find(mps.rows.begin(), mps.rows.end(), "capacity[" + line + "," + month + "]"),
            mps.rows.end());
  for (const auto* names : {&mps.columns, &mps.rows}) {
    for (const std::string& name : *names) EXPECT_EQ(name.find(' '), std::string::npos) << name;
  }
  for (const auto* names : {&lp.columns, &lp.rows}) {
    for (const std::string& name : *names) {
      EXPECT_LE(name.size(), 96u) << name;
      EXPECT_FALSE(std::isdigit(static_cast<unsigned char>(name[0]))) << name;
      EXPECT_EQ(name.find_first_of("[],-+*/<>=: "), std::string::npos) << name;
    }
  }
}

TEST(ModelFileTest, AnUnwritablePathIsAnError) {
  const model::Scenario scenario = testing::MiniUk();
  const Result<void> written = WritePlanModel(scenario, testing::QuickRequest(),
                                              "/nonexistent-dir/x/model.mps", ModelFileFormat::kMps);
  ASSERT_FALSE(written.has_value());
  EXPECT_NE(written.error().message.find("/nonexistent-dir/x/model.mps"), std::string::npos);
}

}  // namespace
}  // namespace cobuild::plan
