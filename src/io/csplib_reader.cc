#include "io/csplib_reader.h"

#include <string>
#include <vector>

#include "io/text_lines.h"

namespace cobuild::io {

namespace {

// Whitespace-separated integers with the line each came from, so that a
// class may wrap over several lines and errors still name a line.
struct Tokens {
  std::string path;
  std::vector<std::pair<int, std::string>> items;
  size_t next = 0;
  int last_line = 1;

  Result<long long> Next(const std::string& what, long long min_value, long long max_value) {
    if (next >= items.size()) {
      return InvalidInput(path + ":" + std::to_string(last_line) + ": " + what +
                          ": expected an integer, found the end of the file");
    }
    const auto& [line, text] = items[next++];
    last_line = line;
    long long value = 0;
    if (!ParseInt(text, &value)) {
      return InvalidInput(path + ":" + std::to_string(line) + ": " + what + ": expected an integer, got '" +
                          text + "'");
    }
    if (value < min_value || value > max_value) {
      return InvalidInput(path + ":" + std::to_string(line) + ": " + what + ": expected " +
                          std::to_string(min_value) + ".." + std::to_string(max_value) + ", got " + text);
    }
    return value;
  }
};

}  // namespace

Result<sequence::Instance> ReadCsplibInstance(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return InvalidInput(path.string() + ": is a folder, expected a CSPLib file");
  }
  auto lines = ReadLines(path);
  if (!lines) return std::unexpected(lines.error());
  Tokens tokens;
  tokens.path = path.string();
  for (size_t i = 0; i < lines->size(); ++i) {
    for (std::string& token : SplitWhitespace((*lines)[i])) {
      tokens.items.emplace_back(static_cast<int>(i) + 1, std::move(token));
    }
  }
  constexpr long long kMaxCars = 1'000'000;
  auto num_cars = tokens.Next("number of cars", 1, kMaxCars);
  if (!num_cars) return std::unexpected(num_cars.error());
  auto num_options = tokens.Next("number of options", 0, sequence::kMaxRatios);
  if (!num_options) return std::unexpected(num_options.error());
  auto num_classes = tokens.Next("number of classes", 1, kMaxCars);
  if (!num_classes) return std::unexpected(num_classes.error());

  sequence::Instance inst;
  inst.kind = sequence::ProblemKind::kCsplib;
  inst.name = path.stem().string();
  inst.ratios.resize(*num_options);
  for (long long k = 0; k < *num_options; ++k) {
    auto n = tokens.Next("option " + std::to_string(k + 1) + " N", 0, kMaxCars);
    if (!n) return std::unexpected(n.error());
    inst.ratios[k].max_cars = static_cast<int>(*n);
    inst.ratios[k].name = "option" + std::to_string(k + 1);
    inst.ratios[k].high_priority = true;
  }
  for (long long k = 0; k < *num_options; ++k) {
    auto p = tokens.Next("option " + std::to_string(k + 1) + " P", 1, kMaxCars);
    if (!p) return std::unexpected(p.error());
    inst.ratios[k].window = static_cast<int>(*p);
  }
  for (long long c = 0; c < *num_classes; ++c) {
    const std::string what = "class " + std::to_string(c + 1);
    auto id = tokens.Next(what + " id", 0, kMaxCars);
    if (!id) return std::unexpected(id.error());
    auto count = tokens.Next(what + " car count", 0, kMaxCars);
    if (!count) return std::unexpected(count.error());
    uint64_t options = 0;
    for (long long k = 0; k < *num_options; ++k) {
      auto flag = tokens.Next(what + " option " + std::to_string(k + 1), 0, 1);
      if (!flag) return std::unexpected(flag.error());
      if (*flag) options |= uint64_t{1} << k;
    }
    if (static_cast<long long>(inst.cars.size()) + *count > *num_cars) {
      return InvalidInput(tokens.path + ":" + std::to_string(tokens.last_line) + ": " + what +
                          ": class counts exceed the " + std::to_string(*num_cars) + " cars declared");
    }
    for (long long i = 0; i < *count; ++i) {
      const int rank = static_cast<int>(inst.cars.size()) + 1;
      inst.cars.push_back(
          {.date = "", .seq_rank = rank, .ident = std::to_string(*id), .colour = 0, .options = options});
    }
  }
  if (static_cast<long long>(inst.cars.size()) != *num_cars) {
    return InvalidInput(tokens.path + ":" + std::to_string(tokens.last_line) + ": class counts add up to " +
                        std::to_string(inst.cars.size()) + " cars, line 1 declares " +
                        std::to_string(*num_cars));
  }
  if (tokens.next != tokens.items.size()) {
    return InvalidInput(tokens.path + ":" + std::to_string(tokens.items[tokens.next].first) +
                        ": unexpected '" + tokens.items[tokens.next].second + "' after the last class");
  }
  if (auto ok = sequence::ValidateInstance(inst); !ok) return std::unexpected(ok.error());
  return inst;
}

}  // namespace cobuild::io
