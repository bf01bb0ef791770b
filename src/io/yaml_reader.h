// Reading YAML documents defensively, with diagnostics that point at the
// offending line and column.
//
// ParseYamlText() refuses input that could make the YAML parser misbehave
// (binary data, invalid UTF-8, more than `max_bytes`, nesting deeper than
// `max_depth`) before handing it to yaml-cpp. YamlDecoder then converts nodes
// to values, collecting every problem as a Diagnostic instead of stopping at
// the first, so a user fixes a file in one pass:
//
//   std::vector<Diagnostic> diagnostics;
//   YamlDecoder d("uk-2026.yaml", &diagnostics);
//   d.CheckKeys(line_node, "lines[2]", {"id", "rate_jph"});
//   std::optional<double> rate = d.Number(line_node, "rate_jph", "lines[2]",
//                                         Required::kYes, NumberRule::Positive());
//   // diagnostics: "uk-2026.yaml:41:9: lines[2].rate_jph: must be > 0, got -5"
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <expected>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cobuild::io {

// One problem found in an input file. `line` and `column` are 1-based; 0
// means unknown (for example for a whole-file problem).
struct Diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  std::string path;     // field path such as "lines[2].rate_jph"; may be empty
  std::string message;  // what was expected, what was found
  // Set only on the last diagnostic of a capped list (see kMaxDiagnostics):
  // how many more problems were found and not listed.
  size_t omitted = 0;

  // "file:line:column: path: message" (omitting the parts that are unknown).
  std::string ToString() const;
  bool operator==(const Diagnostic&) const = default;
};

// One diagnostic per line.
std::string JoinDiagnostics(const std::vector<Diagnostic>& diagnostics);

// A reader lists at most this many problems of one file, then one more
// diagnostic that counts the rest ("2999900 more problems not listed"), so a
// file of a million bad rows gives a readable answer in bounded memory.
inline constexpr size_t kMaxDiagnostics = 100;

// Problems a list stands for: its size, plus what a capped list's last
// diagnostic counts (itself a summary, not a problem).
size_t CountProblems(const std::vector<Diagnostic>& diagnostics);

struct YamlLimits {
  size_t max_bytes = size_t{64} << 20;
  int max_depth = 64;  // flow brackets plus block indentation levels
  // Nodes that aliases (*name) may stand for in total, counted with
  // aliases inside aliased nodes expanded: the billion-laughs pattern and
  // one bad row aliased a million times are refused before decoding.
  size_t max_alias_nodes = 100'000;
};

// Parses one YAML document. Never throws; never recurses deeper than the
// limits allow; refuses aliases that expand beyond limits.max_alias_nodes.
[[nodiscard]] std::expected<YAML::Node, Diagnostic> ParseYamlText(std::string_view text,
                                                                  std::string_view file,
                                                                  const YamlLimits& limits = {});

// Reads a whole file (at most limits.max_bytes) and parses it.
[[nodiscard]] std::expected<YAML::Node, Diagnostic> LoadYamlFile(const std::string& path,
                                                                 const YamlLimits& limits = {});

// A permitted range for a number; Describe() gives the message wording.
struct NumberRule {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;

  static NumberRule Any() { return {}; }
  static NumberRule NonNegative() { return {.min = 0}; }
  static NumberRule Positive() { return {.min = 0, .min_exclusive = true}; }
  static NumberRule Share() { return {.min = 0, .max = 1}; }  // [0, 1]
  static NumberRule Between(double lo, double hi) { return {.min = lo, .max = hi}; }

  bool Allows(double value) const;
  // What the rule asks for, worded for the side `value` falls on: "must be
  // > 0", "must be <= 600", "must be between 0 and 1".
  std::string Describe(double value) const;
};

enum class Required { kNo, kYes };

// Converts YAML nodes to values and collects diagnostics. Every accessor
// returns nullopt (and records a diagnostic when the value is wrong or a
// required key is missing) rather than throwing.
class YamlDecoder {
 public:
  YamlDecoder(std::string file, std::vector<Diagnostic>* diagnostics);

  const std::string& file() const { return file_; }
  bool ok() const { return diagnostics_->empty(); }

  // Records a diagnostic at `node`'s position (or the file start); past
  // kMaxDiagnostics only counts it.
  void Error(const YAML::Node& node, std::string_view path, std::string message);

  // Type checks; record "expected a mapping, got a list" and return false.
  bool ExpectMap(const YAML::Node& node, std::string_view path);
  bool ExpectSeq(const YAML::Node& node, std::string_view path);

  // Every key of `map` must be in `allowed`; otherwise an error naming the
  // key, with a did-you-mean when a close one exists. Also reports duplicate
  // keys (which yaml-cpp would otherwise silently keep).
  void CheckKeys(const YAML::Node& map, std::string_view path,
                 std::initializer_list<std::string_view> allowed);

  // `map[key]` if present (nullopt when absent); a missing required key is an
  // error at the map's position.
  std::optional<YAML::Node> Field(const YAML::Node& map, std::string_view key, std::string_view path,
                                  Required required);

  std::optional<std::string> String(const YAML::Node& map, std::string_view key, std::string_view path,
                                    Required required);
  std::optional<double> Number(const YAML::Node& map, std::string_view key, std::string_view path,
                               Required required, NumberRule rule = NumberRule::Any());
  std::optional<int> Integer(const YAML::Node& map, std::string_view key, std::string_view path,
                             Required required, NumberRule rule = NumberRule::Any());
  std::optional<bool> Bool(const YAML::Node& map, std::string_view key, std::string_view path,
                           Required required);
  // A list of strings (a single string is not accepted as a list).
  std::optional<std::vector<std::string>> StringList(const YAML::Node& map, std::string_view key,
                                                     std::string_view path, Required required);

  // Conversions of a node itself; `path` names it in messages.
  std::optional<std::string> AsString(const YAML::Node& node, std::string_view path);
  std::optional<double> AsNumber(const YAML::Node& node, std::string_view path,
                                 NumberRule rule = NumberRule::Any());
  std::optional<int> AsInteger(const YAML::Node& node, std::string_view path,
                               NumberRule rule = NumberRule::Any());
  std::optional<bool> AsBool(const YAML::Node& node, std::string_view path);

 private:
  std::string file_;
  std::vector<Diagnostic>* diagnostics_;
};

// "lines" + 2 -> "lines[2]"; "lines[2]" + "rate_jph" -> "lines[2].rate_jph".
std::string PathIndex(std::string_view path, size_t index);
std::string PathKey(std::string_view path, std::string_view key);

// " (did you mean 'rate_jph'?)" when a candidate is within a small edit
// distance of `word`; "" otherwise.
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);
size_t EditDistance(std::string_view a, std::string_view b);

// "a list", "a mapping", "a number", "a string", "nothing" ...: how a node
// reads in a message.
std::string DescribeNode(const YAML::Node& node);

}  // namespace cobuild::io
