#include "model/network_generator.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "model/random.h"

namespace cobuild::model {
namespace {

constexpr int kPlatforms = 10;

// The generator's draws on the one portable generator (model/random.h).
class Rng {
 public:
  explicit Rng(uint64_t seed) : random_(seed) {}
  double Uniform(double lo, double hi) { return random_.Uniform(lo, hi); }
  int Int(int lo, int hi) { return random_.UniformInt(lo, hi); }
  bool Chance(double p) { return random_.Bernoulli(p); }
  // `count` distinct values of [0, n), sorted.
  std::vector<int> Pick(int n, int count) {
    std::vector<int> all(n);
    std::iota(all.begin(), all.end(), 0);
    for (int i = 0; i < std::min(count, n); ++i) std::swap(all[i], all[Int(i, n - 1)]);
    all.resize(std::min(count, n));
    std::sort(all.begin(), all.end());
    return all;
  }

 private:
  Random random_;
};

std::string Id(const char* prefix, int i) { return prefix + std::to_string(i + 1); }

// The country of market k: a real ISO code for the first twelve, then "Q" codes.
std::string Country(int k) {
  static constexpr const char* kCodes[] = {"GB", "DE", "CN", "US", "JP", "KR",
                                           "IN", "BR", "MX", "ZA", "AU", "TR"};
  if (k < 12) return kCodes[k];
  return std::string("Q") + static_cast<char>('A' + (k - 12) % 26);
}

}  // namespace

Result<Scenario> GenerateNetwork(const GeneratorParams& p) {
  if (p.plants < 1 || p.lines < p.plants || p.variants < 1 || p.markets < 1 || p.months < 1 ||
      p.months > 120) {
    return InvalidInput(
        "generate: need plants >= 1, lines >= plants, models >= 1, markets >= 1 and "
        "1 <= months <= 120");
  }
  Rng rng(p.seed);
  Scenario s;
  s.name = "generated-p" + std::to_string(p.plants) + "-l" + std::to_string(p.lines) + "-m" +
           std::to_string(p.variants) + "-k" + std::to_string(p.markets) + "-t" + std::to_string(p.months) +
           "-s" + std::to_string(p.seed);
  s.description = "Synthetic network from cobuild generate; every number is an assumption.";
  s.horizon = {.first = {.year = 2026, .month = 1}, .num_months = p.months};

  const int num_companies = std::max(2, p.plants / 5);
  for (int c = 0; c < num_companies; ++c) {
    s.companies.push_back({.id = Id("CO", c), .name = "Company " + std::to_string(c + 1)});
    for (int b = 0; b < 2; ++b) {
      s.brands.push_back(
          {.id = Id("BR", 2 * c + b), .name = "Brand " + std::to_string(2 * c + b + 1), .company = c});
    }
  }
  for (int f = 0; f < kPlatforms; ++f) {
    s.platforms.push_back(
        {.id = Id("PF", f), .name = "Platform " + std::to_string(f + 1), .company = f % num_companies});
  }
  for (int k = 0; k < p.markets; ++k) {
    s.markets.push_back(
        {.id = Id("MK", k), .name = "Market " + std::to_string(k + 1), .countries = {Country(k)}});
  }
  // Plants: company round robin; the country of a random market, biased to the company's home market.
  for (int i = 0; i < p.plants; ++i) {
    const int company = i % num_companies;
    const int market = rng.Chance(0.5) ? company % p.markets : rng.Int(0, p.markets - 1);
    Calendar calendar;
    for (int t = 0; t < p.months; ++t) {
      const int month = s.horizon.MonthAt(t).month;
      double days = rng.Int(20, 22);
      if (month == 8) days = rng.Int(8, 14);
      if (month == 12) days = rng.Int(14, 17);
      calendar.working_days.push_back(days);
    }
    calendar.base_working_days = calendar.working_days;
    s.plants.push_back({.id = Id("PL", i),
                        .name = "Plant " + std::to_string(i + 1),
                        .company = company,
                        .country = Country(market),
                        .calendar = calendar});
  }
  // Platforms of each company, for lines to pick from.
  std::vector<std::vector<int>> own_platforms(num_companies);
  for (int f = 0; f < kPlatforms; ++f) own_platforms[f % num_companies].push_back(f);
  for (int i = 0; i < p.lines; ++i) {
    const int plant = i < p.plants ? i : rng.Int(0, p.plants - 1);
    const int company = s.plants[plant].company;
    Line line;
    line.id = Id("LN", i);
    line.name = "Line " + std::to_string(i + 1);
    line.plant = plant;
    const int count = rng.Int(2, 4);
    const auto& own = own_platforms[company];
    for (int f : rng.Pick(static_cast<int>(own.size()), count)) line.platforms.push_back(own[f]);
    // Sometimes a partner's platform (built under contract).
    if (rng.Chance(0.25) || static_cast<int>(line.platforms.size()) < 2) {
      const int partner = (company + num_companies - 1) % num_companies;
      const auto& theirs = own_platforms[partner];
      const int f = theirs[rng.Int(0, static_cast<int>(theirs.size()) - 1)];
      if (std::find(line.platforms.begin(), line.platforms.end(), f) == line.platforms.end()) {
        line.platforms.push_back(f);
      }
    }
    std::sort(line.platforms.begin(), line.platforms.end());
    for (int k : rng.Pick(5, rng.Int(2, 4))) line.powertrains.push_back(kAllPowertrains[k]);
    line.rate_jph = rng.Int(30, 60);
    line.hours_per_shift = 8;
    line.max_shifts_per_day = rng.Int(1, 3);
    line.availability = rng.Uniform(0.85, 0.95);
    line.fixed_cost_per_shift_gbp = std::round(rng.Uniform(2500, 5000) * line.rate_jph / 10) * 10;
    if (rng.Chance(0.3)) {
      for (int f = 0; f < kPlatforms; ++f) {
        const int g = (f + i) % kPlatforms;
        if (std::find(line.platforms.begin(), line.platforms.end(), g) == line.platforms.end() &&
            s.platforms[g].company == company) {
          line.retooling.push_back({.platform = g,
                                    .cost_gbp = std::round(rng.Uniform(30, 200)) * 1e6,
                                    .lead_time_months = rng.Int(6, 18)});
          break;
        }
      }
    }
    if (std::find(line.powertrains.begin(), line.powertrains.end(), Powertrain::kBev) !=
            line.powertrains.end() &&
        rng.Chance(0.5)) {
      line.share_limits.push_back({.powertrain = Powertrain::kBev, .max_share = 0.4});
    }
    s.lines.push_back(std::move(line));
  }
  // Models and variants: a variant's powertrain is one some line of its platform can build.
  std::vector<double> capacity_per_platform(kPlatforms, 0);
  double total_capacity = 0;
  for (const auto& line : s.lines) {
    const double per_year = line.CarsPerShift() * line.max_shifts_per_day * 225;
    total_capacity += per_year;
    for (int f : line.platforms) capacity_per_platform[f] += per_year / line.platforms.size();
  }
  int made = 0;
  while (made < p.variants) {
    const int m = static_cast<int>(s.models.size());
    int platform = rng.Int(0, kPlatforms - 1);
    for (int tries = 0; tries < 20 && capacity_per_platform[platform] <= 0; ++tries) {
      platform = rng.Int(0, kPlatforms - 1);
    }
    const int company = s.platforms[platform].company;
    const int brand = 2 * company + rng.Int(0, 1);
    s.models.push_back(
        {.id = Id("MD", m), .name = "Model " + std::to_string(m + 1), .brand = brand, .platform = platform});
    // Powertrains some line of the platform builds.
    std::vector<Powertrain> possible;
    for (const auto& line : s.lines) {
      if (std::find(line.platforms.begin(), line.platforms.end(), platform) == line.platforms.end()) continue;
      for (Powertrain pt : line.powertrains) {
        if (std::find(possible.begin(), possible.end(), pt) == possible.end()) possible.push_back(pt);
      }
    }
    if (possible.empty()) possible = {Powertrain::kIce};
    std::sort(possible.begin(), possible.end());
    const int variants_here = std::min(p.variants - made, rng.Int(1, 3));
    const double base_cost = rng.Uniform(14000, 45000);
    for (int i = 0; i < variants_here; ++i) {
      Variant v;
      v.id = Id("V", made);
      v.model = m;
      v.powertrain = possible[rng.Int(0, static_cast<int>(possible.size()) - 1)];
      v.unit_variable_cost_gbp = std::round(base_cost * rng.Uniform(0.95, 1.2));
      for (int k = 0; k < p.markets; ++k) {
        const bool sold = k == company % p.markets || rng.Chance(0.7);
        v.price_gbp.push_back(sold ? std::round(v.unit_variable_cost_gbp * rng.Uniform(1.15, 1.4)) : 0.0);
      }
      v.local_content.push_back({.country = Country(company % p.markets), .share = rng.Uniform(0.5, 0.8)});
      s.variants.push_back(std::move(v));
      ++made;
    }
  }
  // Demand: seasonal, with a trend, about 85% of capacity over all variants.
  const int nv = static_cast<int>(s.variants.size());
  std::vector<double> weight(static_cast<size_t>(nv) * p.markets, 0.0);
  double weight_total = 0;
  for (int v = 0; v < nv; ++v) {
    for (int k = 0; k < p.markets; ++k) {
      if (s.variants[v].price_gbp[k] <= 0) continue;
      weight[v * p.markets + k] = std::exp(rng.Uniform(-1.0, 1.0));
      weight_total += weight[v * p.markets + k];
    }
  }
  s.demand.Resize(nv, p.markets, p.months);
  const double monthly_total = 0.85 * total_capacity / 12.0;
  for (int v = 0; v < nv; ++v) {
    const double trend = rng.Uniform(-0.1, 0.2);
    for (int k = 0; k < p.markets; ++k) {
      const double w = weight[v * p.markets + k];
      if (w <= 0) continue;
      for (int t = 0; t < p.months; ++t) {
        const int month = s.horizon.MonthAt(t).month;
        const double season = 1.0 + 0.12 * std::sin(2 * 3.14159265358979 * (month - 3) / 12.0);
        const double growth = 1.0 + trend * t / 12.0;
        s.demand.at(v, k, t) = std::round(monthly_total * w / weight_total * season * std::max(0.2, growth));
      }
    }
  }
  // Routes: each plant to its own market and to two or three others.
  for (int i = 0; i < p.plants; ++i) {
    int home = 0;
    while (Country(home) != s.plants[i].country) ++home;
    for (int k = 0; k < p.markets; ++k) {
      const bool local = k == home;
      if (!local && !rng.Chance(std::min(1.0, 2.5 / std::max(1, p.markets - 1)))) continue;
      s.routes.push_back(
          {.plant = i,
           .market = k,
           .freight_cost_per_car_gbp = std::round(local ? rng.Uniform(150, 400) : rng.Uniform(800, 2000)),
           .transit_days = local ? 0 : rng.Int(30, 50)});
    }
  }
  // Duty: 10% between markets; BEVs from market 3's country (CN) pay 30%; a
  // free-trade rule between markets 1 and 3 with 55% local content.
  for (int k = 0; k < p.markets; ++k) {
    for (int o = 0; o < p.markets; ++o) {
      if (o == k) continue;
      s.tariffs.push_back({.origin_country = Country(o), .market = k, .powertrains = {}, .rate = 0.10});
      if (o == std::min(2, p.markets - 1)) {
        s.tariffs.push_back(
            {.origin_country = Country(o), .market = k, .powertrains = {Powertrain::kBev}, .rate = 0.30});
      }
    }
  }
  if (p.markets >= 3) {
    s.local_content_rules.push_back({.origin_country = Country(0),
                                     .market = 2,
                                     .powertrains = {},
                                     .min_local_content = 0.55,
                                     .preferential_rate = 0});
    s.local_content_rules.push_back({.origin_country = Country(2),
                                     .market = 0,
                                     .powertrains = {},
                                     .min_local_content = 0.55,
                                     .preferential_rate = 0});
  }
  // Contracts: each company hosts the brands of the previous one.
  for (int c = 0; c < num_companies; ++c) {
    const int partner = (c + num_companies - 1) % num_companies;
    s.contracts.push_back({.id = "K" + std::to_string(c + 1),
                           .host = c,
                           .partner = partner,
                           .brands = {2 * partner, 2 * partner + 1},
                           .plants = {},
                           .fee_per_car_gbp = std::round(rng.Uniform(1000, 2500)),
                           .min_units_per_year = std::round(rng.Uniform(0, 5000)),
                           .max_units_per_year = std::round(rng.Uniform(20000, 80000))});
  }
  return s;
}

}  // namespace cobuild::model
