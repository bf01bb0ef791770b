// Fields of the scenario file that several of its sections share: ids,
// references by id, powertrains, country codes, months inside the horizon,
// name-to-number maps and provenance keys. The scenario reader's sections
// (io/scenario_sections.h) and the event reader (io/event_reader.h) read them
// through one FieldReader, so a field means and reports the same everywhere:
// every problem becomes a Diagnostic naming file, line, column and field path
// on the YamlDecoder it wraps, and the reader carries on.
//
//   FieldReader f(decoder);
//   std::set<std::string> seen;
//   f.ForEachItem(root, "plants", "", Required::kYes, [&](const YAML::Node& n, const std::string& p, size_t)
//   {
//     plant.id = f.Id(n, p, seen);  // "plants[1].id: duplicate id \"halewood\""
//     plant.company = f.RefField(n, "company", p, "company", s.companies, Required::kYes);
//   });
#pragma once

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io/yaml_reader.h"
#include "model/calendar.h"
#include "model/powertrain.h"

// The keys every object of a scenario may carry to say where its numbers
// come from, for splicing into YamlDecoder::CheckKeys lists. A macro because
// CheckKeys takes one braced list.
#define COBUILD_PROVENANCE_KEYS "source", "assumption", "note"

namespace cobuild::io {

// 1 to 64 letters, digits, '-', '_' or '.'.
bool IsValidId(std::string_view id);

// Two capital letters; "UK" and "EU" are refused because they are the usual
// slips for GB and for a market (ISO 3166 reserves them, assigns neither).
bool IsCountryCode(std::string_view code);

// The ids of `items`, for did-you-mean suggestions.
template <typename T>
std::vector<std::string> IdsOf(const std::vector<T>& items) {
  std::vector<std::string> ids;
  ids.reserve(items.size());
  for (const T& item : items) ids.push_back(item.id);
  return ids;
}

// Checks an object's provenance keys (`source`, `assumption`, `note`; a
// note is required with `assumption: true`).
void CheckProvenance(YamlDecoder& decoder, const YAML::Node& map, std::string_view path);

// Reads shared fields through a YamlDecoder; see the file comment.
class FieldReader {
 public:
  explicit FieldReader(YamlDecoder& decoder) : d_(decoder) {}

  YamlDecoder& decoder() { return d_; }

  void Provenance(const YAML::Node& map, std::string_view path) { CheckProvenance(d_, map, path); }

  // Iterates the list of objects `map[key]` (`path` names `map`, "" for the
  // root), skipping items that are not mappings; `parse_item` gets (node,
  // path such as "lines[2]" or "lines[2].stations[0]", index).
  template <typename F>
  void ForEachItem(const YAML::Node& map, std::string_view key, std::string_view path, Required required,
                   F parse_item) {
    auto list = d_.Field(map, key, path, required);
    if (!list) return;
    const std::string list_path = PathKey(path, key);
    if (!d_.ExpectSeq(*list, list_path)) return;
    for (size_t i = 0; i < list->size(); ++i) {
      const YAML::Node item = (*list)[i];
      const std::string item_path = PathIndex(list_path, i);
      if (!d_.ExpectMap(item, item_path)) continue;
      parse_item(item, item_path, i);
    }
  }

  // Reads and checks the required `id`; records a duplicate within `seen`.
  std::string Id(const YAML::Node& map, std::string_view path, std::set<std::string>& seen);

  // Marks the section of `kind` ("plant") as not read because a check it
  // depends on failed (the horizon, for plants): references to it are then
  // not resolved (Ref() returns -1 without a diagnostic), so one root error
  // is reported once rather than as one "unknown plant" per reference.
  void SkipRefsTo(std::string_view kind) { unread_kinds_.insert(std::string(kind)); }

  // Resolves the node's id among `items`; -1 (and a diagnostic with a
  // did-you-mean) when unknown.
  template <typename T>
  int Ref(const YAML::Node& node, std::string_view path, std::string_view kind, const std::vector<T>& items) {
    auto id = d_.AsString(node, path);
    if (!id) return -1;
    if (unread_kinds_.contains(std::string(kind))) return -1;
    for (size_t i = 0; i < items.size(); ++i) {
      if (items[i].id == *id) return static_cast<int>(i);
    }
    d_.Error(node, path, UnknownIdMessage(kind, *id, IdsOf(items)));
    return -1;
  }

  // Ref() of `map[key]`; -1 when absent.
  template <typename T>
  int RefField(const YAML::Node& map, std::string_view key, std::string_view path, std::string_view kind,
               const std::vector<T>& items, Required required) {
    auto node = d_.Field(map, key, path, required);
    if (!node) return -1;
    return Ref(*node, PathKey(path, key), kind, items);
  }

  // A list of references in `map[key]`; an id listed twice is an error.
  template <typename T>
  std::vector<int> RefList(const YAML::Node& map, std::string_view key, std::string_view path,
                           std::string_view kind, const std::vector<T>& items, Required required) {
    std::vector<int> out;
    auto node = d_.Field(map, key, path, required);
    if (!node) return out;
    const std::string list_path = PathKey(path, key);
    if (!d_.ExpectSeq(*node, list_path)) return out;
    for (size_t i = 0; i < node->size(); ++i) {
      const int ref = Ref((*node)[i], PathIndex(list_path, i), kind, items);
      if (ref < 0) continue;
      if (std::find(out.begin(), out.end(), ref) != out.end()) {
        d_.Error((*node)[i], PathIndex(list_path, i), "listed twice");
        continue;
      }
      out.push_back(ref);
    }
    return out;
  }

  // "BEV" -> kBev; anything else is an error naming the five powertrains.
  std::optional<model::Powertrain> PowertrainOf(const YAML::Node& node, std::string_view path);
  // A list of powertrains in `map[key]`; one listed twice is an error.
  std::vector<model::Powertrain> PowertrainList(const YAML::Node& map, std::string_view key,
                                                std::string_view path, Required required);

  // The required ISO 3166 country code in `map[key]`; "" when absent.
  std::string Country(const YAML::Node& map, std::string_view key, std::string_view path);

  // A month as YYYY-MM (model::ParseYearMonth).
  std::optional<model::YearMonth> Month(const YAML::Node& node, std::string_view path);
  // A month that must fall inside `horizon`; its index there, or -1.
  int HorizonMonth(const model::Horizon& horizon, const YAML::Node& node, std::string_view path);

  // A ramp-up curve in `map[key]`: shares of capacity in the first months,
  // each in [0, 1] and none below the one before (a ramp does not fall
  // back), at most 24 months; empty when absent.
  std::vector<double> RampUp(const YAML::Node& map, std::string_view key, std::string_view path);

  // A mapping from names to numbers (option take rates, paint shares, ...)
  // in `map[key]`, in file order; empty when absent.
  std::vector<std::pair<std::string, double>> NumberMap(const YAML::Node& map, std::string_view key,
                                                        std::string_view path, NumberRule rule);

 private:
  static std::string UnknownIdMessage(std::string_view kind, std::string_view id,
                                      const std::vector<std::string>& known);

  YamlDecoder& d_;
  std::set<std::string> unread_kinds_;  // see SkipRefsTo()
};

}  // namespace cobuild::io
