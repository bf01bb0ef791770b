#include "io/roadef_reader.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "io/text_lines.h"

namespace cobuild::io {

namespace {

using sequence::Car;
using sequence::Criterion;
using sequence::Instance;
using sequence::RatioConstraint;

// Non-blank lines after the header, with their 1-based line numbers.
struct Table {
  std::string path;
  int header_line = 0;
  std::vector<std::string> header;
  std::vector<std::pair<int, std::vector<std::string>>> rows;
};

std::string At(const std::string& path, int line) { return path + ":" + std::to_string(line) + ": "; }

[[nodiscard]] Result<Table> ReadTable(const std::filesystem::path& path) {
  auto lines = ReadLines(path);
  if (!lines) return std::unexpected(lines.error());
  Table table;
  table.path = path.string();
  for (size_t i = 0; i < lines->size(); ++i) {
    std::vector<std::string> fields = SplitFields((*lines)[i], ';');
    if (fields.empty()) continue;
    if (table.header_line == 0) {
      table.header_line = static_cast<int>(i) + 1;
      table.header = std::move(fields);
    } else {
      table.rows.emplace_back(static_cast<int>(i) + 1, std::move(fields));
    }
  }
  if (table.header_line == 0) return InvalidInput(table.path + ":1: empty file, expected a header line");
  return table;
}

[[nodiscard]] Result<long long> Int(const Table& t, int line, const std::string& field,
                                    const std::string& what, long long min_value) {
  long long value = 0;
  if (!ParseInt(field, &value)) {
    return InvalidInput(At(t.path, line) + what + ": expected an integer, got '" + field + "'");
  }
  if (value < min_value) {
    return InvalidInput(At(t.path, line) + what + ": must be >= " + std::to_string(min_value) + ", got " +
                        field);
  }
  constexpr long long kMaxValue = 1'000'000'000;
  if (value > kMaxValue) {
    return InvalidInput(At(t.path, line) + what + ": must be <= " + std::to_string(kMaxValue) + ", got " +
                        field);
  }
  return value;
}

[[nodiscard]] Result<std::vector<RatioConstraint>> ReadRatios(const std::filesystem::path& path) {
  auto t = ReadTable(path);
  if (!t) return std::unexpected(t.error());
  std::vector<RatioConstraint> ratios;
  for (const auto& [line, f] : t->rows) {
    if (f.size() != 3) {
      return InvalidInput(At(t->path, line) + "expected 'N/P;Prio;Ident', got " + std::to_string(f.size()) +
                          " fields");
    }
    const size_t slash = f[0].find('/');
    if (slash == std::string::npos) {
      return InvalidInput(At(t->path, line) + "ratio: expected N/P, got '" + f[0] + "'");
    }
    auto n = Int(*t, line, f[0].substr(0, slash), "ratio N", 0);
    if (!n) return std::unexpected(n.error());
    auto p = Int(*t, line, f[0].substr(slash + 1), "ratio P", 1);
    if (!p) return std::unexpected(p.error());
    if (*n > *p) return InvalidInput(At(t->path, line) + "ratio: N must be <= P, got " + f[0]);
    if (f[1] != "0" && f[1] != "1") {
      return InvalidInput(At(t->path, line) + "Prio: expected 0 or 1, got '" + f[1] + "'");
    }
    if (ratios.size() == static_cast<size_t>(sequence::kMaxRatios)) {
      return InvalidInput(At(t->path, line) + "more than " + std::to_string(sequence::kMaxRatios) +
                          " ratio constraints");
    }
    ratios.push_back({.max_cars = static_cast<int>(*n),
                      .window = static_cast<int>(*p),
                      .high_priority = f[1] == "1",
                      .name = f[2]});
  }
  return ratios;
}

[[nodiscard]] Result<std::vector<Criterion>> ReadObjectives(const std::filesystem::path& path) {
  static const std::map<std::string, Criterion> kByName = {
      {"high_priority_level_and_easy_to_satisfy_ratio_constraints", Criterion::kHighPriorityRatios},
      {"high_priority_level_and_difficult_to_satisfy_ratio_constraints", Criterion::kHighPriorityRatios},
      {"low_priority_level_ratio_constraints", Criterion::kLowPriorityRatios},
      {"paint_color_batches", Criterion::kColourChanges},
  };
  auto t = ReadTable(path);
  if (!t) return std::unexpected(t.error());
  std::vector<Criterion> order;
  std::set<Criterion> seen;
  for (const auto& [line, f] : t->rows) {
    if (f.size() != 2) {
      return InvalidInput(At(t->path, line) + "expected 'rank;objective name', got " +
                          std::to_string(f.size()) + " fields");
    }
    auto rank = Int(*t, line, f[0], "rank", 1);
    if (!rank) return std::unexpected(rank.error());
    if (*rank != static_cast<long long>(order.size()) + 1) {
      return InvalidInput(At(t->path, line) + "rank: expected " + std::to_string(order.size() + 1) +
                          ", got " + f[0]);
    }
    const auto it = kByName.find(f[1]);
    if (it == kByName.end()) {
      return InvalidInput(At(t->path, line) + "unknown objective '" + f[1] + "'");
    }
    if (!seen.insert(it->second).second) {
      return InvalidInput(At(t->path, line) + "objective '" + f[1] + "' is ranked twice");
    }
    order.push_back(it->second);
  }
  if (order.empty()) return InvalidInput(At(t->path, t->header_line + 1) + "no objectives listed");
  return order;
}

[[nodiscard]] Result<int> ReadPaintBatchLimit(const std::filesystem::path& path) {
  auto t = ReadTable(path);
  if (!t) return std::unexpected(t.error());
  if (t->rows.size() != 1 || t->rows[0].second.size() != 1) {
    const int line = t->rows.empty() ? t->header_line + 1 : t->rows[0].first;
    return InvalidInput(At(t->path, line) + "expected one line with the batch limit");
  }
  auto limit = Int(*t, t->rows[0].first, t->rows[0].second[0], "paint batch limit", 1);
  if (!limit) return std::unexpected(limit.error());
  return static_cast<int>(*limit);
}

[[nodiscard]] Result<void> ReadVehicles(const std::filesystem::path& path, Instance& inst) {
  auto t = ReadTable(path);
  if (!t) return std::unexpected(t.error());
  const size_t num_ratios = inst.ratios.size();
  const size_t columns = 4 + num_ratios;
  if (t->header.size() != columns) {
    return InvalidInput(At(t->path, t->header_line) + "expected " + std::to_string(columns) +
                        " columns (Date;SeqRank;Ident;Paint Color and one per ratio), got " +
                        std::to_string(t->header.size()));
  }
  for (size_t k = 0; k < num_ratios; ++k) {
    if (t->header[4 + k] != inst.ratios[k].name) {
      return InvalidInput(At(t->path, t->header_line) + "column " + std::to_string(5 + k) + " is '" +
                          t->header[4 + k] + "', ratios.txt line order says '" + inst.ratios[k].name + "'");
    }
  }
  std::vector<std::string> dates;
  std::set<std::pair<std::string, long long>> keys;
  std::vector<Car> blocks[2];
  for (const auto& [line, f] : t->rows) {
    if (f.size() != columns) {
      return InvalidInput(At(t->path, line) + "expected " + std::to_string(columns) + " fields, got " +
                          std::to_string(f.size()));
    }
    if (f[0].empty()) return InvalidInput(At(t->path, line) + "Date: empty");
    if (dates.empty() || dates.back() != f[0]) {
      if (std::find(dates.begin(), dates.end(), f[0]) != dates.end()) {
        return InvalidInput(At(t->path, line) + "Date '" + f[0] +
                            "' appears again after another date; cars must come in date blocks");
      }
      if (dates.size() == 2) {
        return InvalidInput(At(t->path, line) + "a third date '" + f[0] + "'; expected day D-1 then day D");
      }
      dates.push_back(f[0]);
    }
    auto rank = Int(*t, line, f[1], "SeqRank", 0);
    if (!rank) return std::unexpected(rank.error());
    if (!keys.emplace(f[0], *rank).second) {
      return InvalidInput(At(t->path, line) + "Date;SeqRank '" + f[0] + ";" + f[1] +
                          "' already used by another car");
    }
    auto colour = Int(*t, line, f[3], "Paint Color", 0);
    if (!colour) return std::unexpected(colour.error());
    Car car{.date = f[0],
            .seq_rank = static_cast<int>(*rank),
            .ident = f[2],
            .colour = static_cast<int>(*colour),
            .options = 0};
    for (size_t k = 0; k < num_ratios; ++k) {
      const std::string& flag = f[4 + k];
      if (flag != "0" && flag != "1") {
        return InvalidInput(At(t->path, line) + t->header[4 + k] + ": expected 0 or 1, got '" + flag + "'");
      }
      if (flag == "1") car.options |= uint64_t{1} << k;
    }
    blocks[dates.size() - 1].push_back(std::move(car));
  }
  if (dates.empty()) return InvalidInput(At(t->path, t->header_line + 1) + "no vehicles listed");
  auto by_rank = [](const Car& a, const Car& b) { return a.seq_rank < b.seq_rank; };
  for (auto& block : blocks) std::stable_sort(block.begin(), block.end(), by_rank);
  if (dates.size() == 1) {
    inst.cars = std::move(blocks[0]);
  } else {
    inst.previous_day = std::move(blocks[0]);
    inst.cars = std::move(blocks[1]);
  }
  return {};
}

}  // namespace

Result<Instance> ReadRoadefInstance(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return NotFound(dir.string() + ": not an instance folder");
  }
  Instance inst;
  inst.kind = sequence::ProblemKind::kRoadef;
  inst.name = (dir.has_filename() ? dir : dir.parent_path()).filename().string();
  auto ratios = ReadRatios(dir / "ratios.txt");
  if (!ratios) return std::unexpected(ratios.error());
  inst.ratios = std::move(*ratios);
  auto objectives = ReadObjectives(dir / "optimization_objectives.txt");
  if (!objectives) return std::unexpected(objectives.error());
  inst.objective_order = std::move(*objectives);
  auto limit = ReadPaintBatchLimit(dir / "paint_batch_limit.txt");
  if (!limit) return std::unexpected(limit.error());
  inst.paint_batch_limit = *limit;
  if (auto ok = ReadVehicles(dir / "vehicles.txt", inst); !ok) return std::unexpected(ok.error());
  if (auto ok = sequence::ValidateInstance(inst); !ok) return std::unexpected(ok.error());
  return inst;
}

}  // namespace cobuild::io
