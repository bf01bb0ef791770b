#include "app/exclusion.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/scenario_ids.h"
#include "io/scenario_reader.h"
#include "plan/economics.h"

namespace cobuild::app {
namespace {

using ::testing::HasSubstr;

model::Scenario Small() {
  auto s = io::LoadScenario("tests/data/scenarios/small.yaml");
  EXPECT_TRUE(s) << s.error().message;
  return s ? *s : model::Scenario{};
}

TEST(ExclusionTest, ExcludesABrand) {
  const model::Scenario s = Small();
  plan::PlanRequest request;
  ASSERT_TRUE(Exclude(s, {.brands = {"partnerbrand"}}, request));
  EXPECT_EQ(request.excluded_brands, std::vector<int>{s.FindBrand("partnerbrand")});
}

TEST(ExclusionTest, ExcludesEveryBrandOfACompanyOnceInScenarioOrder) {
  model::Scenario s = Small();
  s.brands.push_back({.id = "partnerbrand2", .name = "Partner Two", .company = s.FindCompany("partner")});
  plan::PlanRequest request;
  request.excluded_brands = {s.FindBrand("partnerbrand2")};
  ASSERT_TRUE(Exclude(s, {.brands = {"partnerbrand"}, .companies = {"partner"}}, request));
  EXPECT_EQ(request.excluded_brands,
            (std::vector<int>{s.FindBrand("partnerbrand"), s.FindBrand("partnerbrand2")}));
  ASSERT_TRUE(Exclude(s, {.companies = {"host"}}, request));
  EXPECT_EQ(request.excluded_brands.size(), 3u);
}

TEST(ExclusionTest, UnknownBrandOrCompanyIsAClearErrorAndChangesNothing) {
  const model::Scenario s = Small();
  plan::PlanRequest request;
  request.excluded_brands = {0};
  auto brand = Exclude(s, {.brands = {"partnerbrnd"}}, request);
  ASSERT_FALSE(brand);
  EXPECT_EQ(brand.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(brand.error().message, HasSubstr("brand: expected a brand of scenario small (hostbrand, "
                                               "partnerbrand), got \"partnerbrnd\" (did you mean "
                                               "'partnerbrand'?)"));
  auto company = Exclude(s, {.brands = {"partnerbrand"}, .companies = {"chery"}}, request);
  ASSERT_FALSE(company);
  EXPECT_THAT(company.error().message,
              HasSubstr("company: expected a company of scenario small (host, partner), "
                        "got \"chery\""));
  EXPECT_EQ(request.excluded_brands, std::vector<int>{0});
}

TEST(ScenarioIdsTest, ResolvesIdsToIndices) {
  const model::Scenario s = Small();
  EXPECT_EQ(*ResolveLine(s, "overseas-1"), s.FindLine("overseas-1"));
  EXPECT_EQ(*ResolveBrand(s, "hostbrand"), s.FindBrand("hostbrand"));
  EXPECT_EQ(*ResolveCompany(s, "partner"), s.FindCompany("partner"));
  EXPECT_FALSE(ResolveLine(s, ""));
}

// The counterfactual of a deal keeps the partner's demand and every other
// contract; the removed contract stays at its index and covers nothing.
TEST(ExclusionTest, ExcludeContractRemovesOnlyThatContractsCover) {
  const model::Scenario s = Small();
  ASSERT_FALSE(s.contracts.empty());
  const int home = s.FindPlant("home");
  const int ev = s.FindVariant("ev1-bev");
  ASSERT_TRUE(plan::MayBuild(s, home, ev, 2026));
  auto removed = ExcludeContract(s, s.contracts[0].id);
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(removed->contract, 0);
  EXPECT_EQ(removed->scenario.contracts.size(), s.contracts.size());
  EXPECT_EQ(removed->scenario.contracts[0].id, s.contracts[0].id);
  EXPECT_FALSE(plan::MayBuild(removed->scenario, home, ev, 2026));
  EXPECT_EQ(plan::FeePerCar(removed->scenario, home, ev, 2026), 0);
  EXPECT_EQ(removed->scenario.demand, s.demand);
  EXPECT_TRUE(plan::MayBuild(removed->scenario, s.FindPlant("overseas"), ev, 2026));
}

TEST(ExclusionTest, UnknownContractIsAClearError) {
  const model::Scenario s = Small();
  auto removed = ExcludeContract(s, "no-such-deal");
  ASSERT_FALSE(removed);
  EXPECT_EQ(removed.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(removed.error().message, HasSubstr("contract: expected a contract of scenario small"));
}

}  // namespace
}  // namespace cobuild::app
