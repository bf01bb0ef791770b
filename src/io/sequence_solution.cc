#include "io/sequence_solution.h"

#include <fstream>
#include <map>
#include <utility>

#include "io/text_lines.h"

namespace cobuild::io {

std::string FormatSolution(const sequence::Instance& instance, std::span<const int> order) {
  std::string text = "Date;SeqRank;Ident\n";
  for (int index : order) {
    const sequence::Car& car = instance.cars[index];
    text += car.date + ";" + std::to_string(car.seq_rank) + ";" + car.ident + "\n";
  }
  return text;
}

Result<void> WriteSolution(const std::filesystem::path& path, const sequence::Instance& instance,
                           std::span<const int> order) {
  return WriteTextFile(path, FormatSolution(instance, order));
}

Result<std::vector<int>> ReadSolution(const std::filesystem::path& path, const sequence::Instance& instance) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return InvalidInput(path.string() + ": is a folder, expected a solution file");
  }
  auto lines = ReadLines(path);
  if (!lines) return std::unexpected(lines.error());
  const std::string file = path.string();
  auto at = [&](size_t i) { return file + ":" + std::to_string(i + 1) + ": "; };

  std::map<std::pair<std::string, long long>, int> day_d;
  for (int i = 0; i < static_cast<int>(instance.cars.size()); ++i) {
    day_d.emplace(std::pair{instance.cars[i].date, instance.cars[i].seq_rank}, i);
  }
  std::map<std::pair<std::string, long long>, int> previous;
  for (const sequence::Car& car : instance.previous_day)
    previous.emplace(std::pair{car.date, car.seq_rank}, 0);

  std::vector<int> order;
  std::vector<int> seen_at(instance.cars.size(), 0);
  bool header_allowed = true;
  for (size_t i = 0; i < lines->size(); ++i) {
    std::vector<std::string> f = SplitFields((*lines)[i], ';');
    if (f.empty()) continue;
    if (header_allowed && f[0] == "Date") {
      header_allowed = false;
      continue;
    }
    header_allowed = false;
    if (f.size() != 3) {
      return InvalidInput(at(i) + "expected 'Date;SeqRank;Ident', got " + std::to_string(f.size()) +
                          " fields");
    }
    long long rank = 0;
    if (!ParseInt(f[1], &rank)) {
      return InvalidInput(at(i) + "SeqRank: expected an integer, got '" + f[1] + "'");
    }
    const auto key = std::pair{f[0], rank};
    const auto it = day_d.find(key);
    if (it == day_d.end()) {
      if (previous.contains(key)) {
        return InvalidInput(at(i) + "car '" + f[0] + ";" + f[1] +
                            "' belongs to day D-1, whose order is fixed");
      }
      return InvalidInput(at(i) + "no day-D car has Date;SeqRank '" + f[0] + ";" + f[1] + "'");
    }
    const sequence::Car& car = instance.cars[it->second];
    if (car.ident != f[2]) {
      return InvalidInput(at(i) + "Ident: car '" + f[0] + ";" + f[1] + "' is '" + car.ident + "', got '" +
                          f[2] + "'");
    }
    if (seen_at[it->second] != 0) {
      return InvalidInput(at(i) + "car '" + f[0] + ";" + f[1] + "' already listed on line " +
                          std::to_string(seen_at[it->second]));
    }
    seen_at[it->second] = static_cast<int>(i) + 1;
    order.push_back(it->second);
  }
  if (order.size() != instance.cars.size()) {
    for (size_t c = 0; c < instance.cars.size(); ++c) {
      if (seen_at[c] == 0) {
        return InvalidInput(file + ":" + std::to_string(lines->size()) + ": lists " +
                            std::to_string(order.size()) + " of " + std::to_string(instance.cars.size()) +
                            " day-D cars; missing '" + instance.cars[c].date + ";" +
                            std::to_string(instance.cars[c].seq_rank) + "'");
      }
    }
  }
  return order;
}

}  // namespace cobuild::io
