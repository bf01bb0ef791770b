#include "io/yaml_fields.h"

#include <fmt/format.h>

namespace cobuild::io {

bool IsValidId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

bool IsCountryCode(std::string_view code) {
  if (code == "UK" || code == "EU") return false;
  return code.size() == 2 && code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z';
}

void CheckProvenance(YamlDecoder& d, const YAML::Node& map, std::string_view path) {
  if (!map.IsMap()) return;
  d.String(map, "source", path, Required::kNo);
  auto assumption = d.Bool(map, "assumption", path, Required::kNo);
  auto note = d.String(map, "note", path, Required::kNo);
  if (assumption.value_or(false) && !note) {
    d.Error(map, PathKey(path, "note"),
            "an object marked `assumption: true` needs a one-line `note` saying why");
  }
}

std::string FieldReader::UnknownIdMessage(std::string_view kind, std::string_view id,
                                          const std::vector<std::string>& known) {
  return fmt::format("unknown {} \"{}\"{}", kind, id, DidYouMean(id, known));
}

std::string FieldReader::Id(const YAML::Node& map, std::string_view path, std::set<std::string>& seen) {
  auto id = d_.String(map, "id", path, Required::kYes);
  if (!id) return "";
  if (!IsValidId(*id)) {
    d_.Error(map["id"], PathKey(path, "id"),
             fmt::format("ids are 1 to 64 letters, digits, '-', '_' or '.', got \"{}\"", *id));
    return *id;
  }
  if (!seen.insert(*id).second) {
    d_.Error(map["id"], PathKey(path, "id"), fmt::format("duplicate id \"{}\"", *id));
  }
  return *id;
}

std::optional<model::Powertrain> FieldReader::PowertrainOf(const YAML::Node& node, std::string_view path) {
  auto text = d_.AsString(node, path);
  if (!text) return std::nullopt;
  if (auto p = model::ParsePowertrain(*text)) return p;
  d_.Error(node, path, fmt::format("expected one of ICE, HEV, PHEV, BEV, EREV, got \"{}\"", *text));
  return std::nullopt;
}

std::vector<model::Powertrain> FieldReader::PowertrainList(const YAML::Node& map, std::string_view key,
                                                           std::string_view path, Required required) {
  std::vector<model::Powertrain> out;
  auto node = d_.Field(map, key, path, required);
  if (!node) return out;
  const std::string list_path = PathKey(path, key);
  if (!d_.ExpectSeq(*node, list_path)) return out;
  for (size_t i = 0; i < node->size(); ++i) {
    auto p = PowertrainOf((*node)[i], PathIndex(list_path, i));
    if (!p) continue;
    if (std::find(out.begin(), out.end(), *p) != out.end()) {
      d_.Error((*node)[i], PathIndex(list_path, i), "listed twice");
      continue;
    }
    out.push_back(*p);
  }
  return out;
}

std::string FieldReader::Country(const YAML::Node& map, std::string_view key, std::string_view path) {
  auto code = d_.String(map, key, path, Required::kYes);
  if (!code) return "";
  if (!IsCountryCode(*code)) {
    d_.Error(map[std::string(key)], PathKey(path, key),
             fmt::format("expected an ISO 3166 two-letter country code such as GB or CN, got \"{}\"", *code));
  }
  return *code;
}

std::optional<model::YearMonth> FieldReader::Month(const YAML::Node& node, std::string_view path) {
  auto text = d_.AsString(node, path);
  if (!text) return std::nullopt;
  auto ym = model::ParseYearMonth(*text);
  if (!ym) {
    d_.Error(node, path, ym.error().message);
    return std::nullopt;
  }
  return *ym;
}

int FieldReader::HorizonMonth(const model::Horizon& horizon, const YAML::Node& node, std::string_view path) {
  auto ym = Month(node, path);
  if (!ym) return -1;
  const int t = horizon.IndexOf(*ym);
  if (t < 0) {
    d_.Error(node, path,
             fmt::format("month {} is outside the horizon {} to {}", model::ToString(*ym),
                         model::ToString(horizon.first),
                         model::ToString(horizon.MonthAt(horizon.num_months - 1))));
  }
  return t;
}

std::vector<double> FieldReader::RampUp(const YAML::Node& map, std::string_view key, std::string_view path) {
  constexpr size_t kMaxRampMonths = 24;
  std::vector<double> out;
  auto node = d_.Field(map, key, path, Required::kNo);
  if (!node) return out;
  const std::string list_path = PathKey(path, key);
  if (!d_.ExpectSeq(*node, list_path)) return out;
  if (node->size() > kMaxRampMonths) {
    d_.Error(*node, list_path,
             fmt::format("expected at most {} monthly shares, got {}", kMaxRampMonths, node->size()));
    return out;
  }
  for (size_t i = 0; i < node->size(); ++i) {
    auto share = d_.AsNumber((*node)[i], PathIndex(list_path, i), NumberRule::Share());
    if (!share) return {};
    if (!out.empty() && *share < out.back()) {
      d_.Error((*node)[i], PathIndex(list_path, i),
               fmt::format("a ramp-up share must not fall below the month before ({:g}), got {:g}",
                           out.back(), *share));
      return {};
    }
    out.push_back(*share);
  }
  return out;
}

std::vector<std::pair<std::string, double>> FieldReader::NumberMap(const YAML::Node& map,
                                                                   std::string_view key,
                                                                   std::string_view path, NumberRule rule) {
  std::vector<std::pair<std::string, double>> out;
  auto node = d_.Field(map, key, path, Required::kNo);
  if (!node) return out;
  const std::string map_path = PathKey(path, key);
  if (!d_.ExpectMap(*node, map_path)) return out;
  std::set<std::string> seen;
  for (const auto& entry : *node) {
    auto name = d_.AsString(entry.first, map_path);
    if (!name) continue;
    if (!seen.insert(*name).second) {
      d_.Error(entry.first, PathKey(map_path, *name), "duplicate key");
      continue;
    }
    auto value = d_.AsNumber(entry.second, PathKey(map_path, *name), rule);
    if (value) out.emplace_back(*name, *value);
  }
  return out;
}

}  // namespace cobuild::io
