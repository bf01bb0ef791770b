#include "io/yaml_reader.h"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "io/text_lines.h"

namespace cobuild::io {
namespace {

// Position of byte `offset` as 1-based line and column.
std::pair<int, int> LineColumn(std::string_view text, size_t offset) {
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, static_cast<int>(offset - line_start) + 1};
}

// Offset of the first byte that is not valid UTF-8, or npos.
size_t FindInvalidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    int extra = 0;
    unsigned min_code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      min_code = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      min_code = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      min_code = 0x10000;
    } else {
      return i;
    }
    if (i + extra >= s.size()) return i;  // truncated sequence
    unsigned code = c & (0x3F >> extra);
    for (int k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      code = (code << 6) | (cc & 0x3F);
    }
    if (code < min_code || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return i;
    i += extra + 1;
  }
  return std::string_view::npos;
}

// Estimates the nesting depth yaml-cpp would recurse to: block indentation
// (each level needs at least one more column, and "- " or "? " entries on
// one line open a level each) plus open flow brackets. Returns the offset of
// the first place that exceeds `max_depth`, or npos.
size_t FindExcessiveNesting(std::string_view text, int max_depth) {
  int flow_depth = 0;
  size_t i = 0;
  while (i < text.size()) {
    // Start of a line: measure the block indentation.
    const size_t line_start = i;
    int depth = 0;
    while (i < text.size()) {
      if (text[i] == ' ') {
        ++i;
      } else if ((text[i] == '-' || text[i] == '?' || text[i] == ':') && i + 1 < text.size() &&
                 (text[i + 1] == ' ' || text[i + 1] == '\t')) {
        ++depth;
        i += 2;
      } else {
        break;
      }
    }
    const int indent = static_cast<int>(i - line_start);
    if (depth > max_depth || indent > 4 * max_depth) return line_start;
    // Rest of the line: flow brackets outside quotes and comments.
    char quote = 0;
    for (; i < text.size() && text[i] != '\n'; ++i) {
      const char c = text[i];
      if (quote) {
        if (c == quote) quote = 0;
        continue;
      }
      if (c == '#' && (i == line_start || text[i - 1] == ' ')) {
        while (i < text.size() && text[i] != '\n') ++i;
        break;
      }
      if ((c == '"' || c == '\'') &&
          (i == line_start || std::string_view(" [{,:").find(text[i - 1]) != std::string_view::npos)) {
        quote = c;
      } else if (c == '[' || c == '{') {
        if (++flow_depth > max_depth) return i;
      } else if (c == ']' || c == '}') {
        flow_depth = std::max(0, flow_depth - 1);
      }
    }
    if (i < text.size()) ++i;  // the newline
  }
  return std::string_view::npos;
}

// Counts the nodes a document's aliases stand for, expanded (an alias of a
// node holding aliases counts all they stand for), from yaml-cpp's event
// stream, before any node is built.
class AliasCounter : public YAML::EventHandler {
 public:
  explicit AliasCounter(size_t limit) : limit_(limit) {}

  bool exceeded() const { return aliased_ > limit_; }
  YAML::Mark where() const { return where_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t anchor) override { Leaf(anchor); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = size_.find(anchor);
    const size_t size = it == size_.end() ? 1 : it->second;
    nodes_ = Add(nodes_, size);
    aliased_ = Add(aliased_, size);
    if (exceeded() && where_.is_null()) where_ = mark;
  }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t anchor, const std::string&) override {
    Leaf(anchor);
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(anchor);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(anchor);
  }
  void OnMapEnd() override { Close(); }

 private:
  static size_t Add(size_t a, size_t b) {
    return a > std::numeric_limits<size_t>::max() - b ? std::numeric_limits<size_t>::max() : a + b;
  }
  void Leaf(YAML::anchor_t anchor) {
    nodes_ = Add(nodes_, 1);
    if (anchor != YAML::NullAnchor) size_[anchor] = 1;
  }
  void Open(YAML::anchor_t anchor) {
    nodes_ = Add(nodes_, 1);
    open_.push_back({anchor, nodes_});
  }
  void Close() {
    if (open_.empty()) return;
    const auto [anchor, start] = open_.back();
    open_.pop_back();
    if (anchor != YAML::NullAnchor) size_[anchor] = nodes_ - start + 1;
  }

  size_t limit_;
  size_t nodes_ = 0;    // expanded nodes so far
  size_t aliased_ = 0;  // of which reached through aliases
  std::map<YAML::anchor_t, size_t> size_;
  std::vector<std::pair<YAML::anchor_t, size_t>> open_;
  YAML::Mark where_ = YAML::Mark::null_mark();
};

std::string FormatNumber(double value) {
  if (std::abs(value) < 1e15 && value == std::floor(value)) {
    return fmt::format("{}", static_cast<long long>(value));
  }
  return fmt::format("{:g}", value);
}

std::string Shorten(std::string_view text) {
  constexpr size_t kMax = 40;
  if (text.size() <= kMax) return std::string(text);
  return std::string(text.substr(0, kMax)) + "...";
}

}  // namespace

std::string Diagnostic::ToString() const {
  std::string out = file;
  if (line > 0) {
    out += fmt::format(":{}", line);
    if (column > 0) out += fmt::format(":{}", column);
  }
  out += ": ";
  if (!path.empty()) out += path + ": ";
  out += message;
  return out;
}

size_t CountProblems(const std::vector<Diagnostic>& diagnostics) {
  if (!diagnostics.empty() && diagnostics.back().omitted > 0) {
    return diagnostics.size() - 1 + diagnostics.back().omitted;
  }
  return diagnostics.size();
}

std::string JoinDiagnostics(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    if (!out.empty()) out += '\n';
    out += d.ToString();
  }
  return out;
}

std::expected<YAML::Node, Diagnostic> ParseYamlText(std::string_view text, std::string_view file,
                                                    const YamlLimits& limits) {
  Diagnostic d{.file = std::string(file)};
  if (text.size() > limits.max_bytes) {
    d.message = fmt::format("file is {} bytes; at most {} are accepted", text.size(), limits.max_bytes);
    return std::unexpected(d);
  }
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte order mark
  if (const size_t nul = text.find('\0'); nul != std::string_view::npos) {
    std::tie(d.line, d.column) = LineColumn(text, nul);
    d.message = "binary data (a NUL byte); expected a YAML text file";
    return std::unexpected(d);
  }
  if (const size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
    std::tie(d.line, d.column) = LineColumn(text, bad);
    d.message = "invalid UTF-8; save the file as UTF-8";
    return std::unexpected(d);
  }
  if (const size_t deep = FindExcessiveNesting(text, limits.max_depth); deep != std::string_view::npos) {
    std::tie(d.line, d.column) = LineColumn(text, deep);
    d.message = fmt::format("nesting deeper than {} levels", limits.max_depth);
    return std::unexpected(d);
  }
  try {
    const std::string owned(text);
    if (owned.find('*') != std::string::npos) {
      std::istringstream in(owned);
      YAML::Parser parser(in);
      AliasCounter counter(limits.max_alias_nodes);
      parser.HandleNextDocument(counter);
      if (counter.exceeded()) {
        d.line = counter.where().line + 1;
        d.column = counter.where().column + 1;
        d.message = fmt::format(
            "aliases stand for more than {} nodes in all; write the data out instead of "
            "repeating an alias",
            limits.max_alias_nodes);
        return std::unexpected(d);
      }
    }
    YAML::Node root = YAML::Load(owned);
    return root;
  } catch (const YAML::Exception& e) {
    if (!e.mark.is_null()) {
      d.line = e.mark.line + 1;
      d.column = e.mark.column + 1;
    }
    d.message = "not valid YAML: " + e.msg;
    return std::unexpected(d);
  } catch (const std::exception& e) {
    d.message = std::string("not valid YAML: ") + e.what();
    return std::unexpected(d);
  }
}

std::expected<YAML::Node, Diagnostic> LoadYamlFile(const std::string& path, const YamlLimits& limits) {
  Diagnostic d{.file = path};
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    d.message = "cannot open file";
    return std::unexpected(d);
  }
  std::string text;
  if (!ReadAtMost(in, limits.max_bytes, text)) {
    d.message = fmt::format("file is larger than {} bytes", limits.max_bytes);
    return std::unexpected(d);
  }
  if (in.bad()) {
    d.message = "read error";
    return std::unexpected(d);
  }
  return ParseYamlText(text, path, limits);
}

bool NumberRule::Allows(double value) const {
  if (!std::isfinite(value)) return false;
  if (min_exclusive ? !(value > min) : !(value >= min)) return false;
  return value <= max;
}

std::string NumberRule::Describe(double value) const {
  const bool has_min = std::isfinite(min);
  const bool has_max = std::isfinite(max);
  if (min_exclusive && std::isfinite(value)) {
    // "must be > 0" reads better than a half-open interval.
    if (!(value > min)) return fmt::format("must be > {}", FormatNumber(min));
    if (has_max) return fmt::format("must be <= {}", FormatNumber(max));
  }
  if (has_min && has_max) {
    return fmt::format("must be between {} and {}", FormatNumber(min), FormatNumber(max));
  }
  if (has_min) return fmt::format("must be {} {}", min_exclusive ? ">" : ">=", FormatNumber(min));
  if (has_max) return fmt::format("must be <= {}", FormatNumber(max));
  return "must be a finite number";
}

YamlDecoder::YamlDecoder(std::string file, std::vector<Diagnostic>* diagnostics)
    : file_(std::move(file)), diagnostics_(diagnostics) {}

void YamlDecoder::Error(const YAML::Node& node, std::string_view path, std::string message) {
  if (diagnostics_->size() >= kMaxDiagnostics) {
    if (diagnostics_->back().omitted == 0) diagnostics_->push_back({.file = file_});
    Diagnostic& more = diagnostics_->back();
    ++more.omitted;
    more.message =
        fmt::format("{} more problem(s) not listed (only the first {} are)", more.omitted, kMaxDiagnostics);
    return;
  }
  Diagnostic d{.file = file_, .path = std::string(path), .message = std::move(message)};
  if (node.IsDefined()) {
    const YAML::Mark mark = node.Mark();
    if (!mark.is_null()) {
      d.line = mark.line + 1;
      d.column = mark.column + 1;
    }
  }
  diagnostics_->push_back(std::move(d));
}

std::string DescribeNode(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  const std::string& s = node.Scalar();
  if (node.Tag() == "?") {
    double value = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec == std::errc() && ptr == s.data() + s.size()) return "the number " + s;
    if (s == "true" || s == "false") return "the boolean " + s;
  }
  return "\"" + Shorten(s) + "\"";
}

bool YamlDecoder::ExpectMap(const YAML::Node& node, std::string_view path) {
  if (node.IsMap()) return true;
  Error(node, path, "expected a mapping (key: value lines), got " + DescribeNode(node));
  return false;
}

bool YamlDecoder::ExpectSeq(const YAML::Node& node, std::string_view path) {
  if (node.IsSequence()) return true;
  Error(node, path, "expected a list, got " + DescribeNode(node));
  return false;
}

void YamlDecoder::CheckKeys(const YAML::Node& map, std::string_view path,
                            std::initializer_list<std::string_view> allowed) {
  if (!map.IsMap()) return;
  std::vector<std::string> candidates(allowed.begin(), allowed.end());
  std::set<std::string> seen;
  for (const auto& entry : map) {
    const YAML::Node& key = entry.first;
    if (!key.IsScalar()) {
      Error(key, path, "keys must be plain words, got " + DescribeNode(key));
      continue;
    }
    const std::string& name = key.Scalar();
    if (!seen.insert(name).second) {
      Error(key, PathKey(path, name), "duplicate key");
      continue;
    }
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      Error(key, PathKey(path, name), "unknown key" + DidYouMean(name, candidates));
    }
  }
}

std::optional<YAML::Node> YamlDecoder::Field(const YAML::Node& map, std::string_view key,
                                             std::string_view path, Required required) {
  if (!map.IsMap()) return std::nullopt;
  const YAML::Node value = map[std::string(key)];
  if (!value.IsDefined()) {
    if (required == Required::kYes) Error(map, PathKey(path, key), "required field is missing");
    return std::nullopt;
  }
  if (value.IsNull()) {
    if (required == Required::kYes) Error(value, PathKey(path, key), "required field is empty");
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> YamlDecoder::AsString(const YAML::Node& node, std::string_view path) {
  if (!node.IsScalar()) {
    Error(node, path, "expected a string, got " + DescribeNode(node));
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<double> YamlDecoder::AsNumber(const YAML::Node& node, std::string_view path, NumberRule rule) {
  if (!node.IsScalar() || node.Tag() != "?") {
    Error(node, path, "expected a number, got " + DescribeNode(node));
    return std::nullopt;
  }
  const std::string& s = node.Scalar();
  double value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec == std::errc::result_out_of_range) {
    Error(node, path, fmt::format("number {} is out of range", Shorten(s)));
    return std::nullopt;
  }
  if (ec != std::errc() || ptr != s.data() + s.size()) {
    Error(node, path, "expected a number, got " + DescribeNode(node));
    return std::nullopt;
  }
  if (!rule.Allows(value)) {
    Error(node, path, fmt::format("{}, got {}", rule.Describe(value), Shorten(s)));
    return std::nullopt;
  }
  return value;
}

std::optional<int> YamlDecoder::AsInteger(const YAML::Node& node, std::string_view path, NumberRule rule) {
  if (!node.IsScalar() || node.Tag() != "?") {
    Error(node, path, "expected a whole number, got " + DescribeNode(node));
    return std::nullopt;
  }
  const std::string& s = node.Scalar();
  long long value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() || value > std::numeric_limits<int>::max() ||
      value < std::numeric_limits<int>::min()) {
    Error(node, path, "expected a whole number, got " + DescribeNode(node));
    return std::nullopt;
  }
  if (!rule.Allows(static_cast<double>(value))) {
    Error(node, path, fmt::format("{}, got {}", rule.Describe(static_cast<double>(value)), s));
    return std::nullopt;
  }
  return static_cast<int>(value);
}

std::optional<bool> YamlDecoder::AsBool(const YAML::Node& node, std::string_view path) {
  if (node.IsScalar() && node.Tag() == "?") {
    const std::string& s = node.Scalar();
    if (s == "true" || s == "True") return true;
    if (s == "false" || s == "False") return false;
  }
  Error(node, path, "expected true or false, got " + DescribeNode(node));
  return std::nullopt;
}

std::optional<std::string> YamlDecoder::String(const YAML::Node& map, std::string_view key,
                                               std::string_view path, Required required) {
  auto node = Field(map, key, path, required);
  if (!node) return std::nullopt;
  return AsString(*node, PathKey(path, key));
}

std::optional<double> YamlDecoder::Number(const YAML::Node& map, std::string_view key, std::string_view path,
                                          Required required, NumberRule rule) {
  auto node = Field(map, key, path, required);
  if (!node) return std::nullopt;
  return AsNumber(*node, PathKey(path, key), rule);
}

std::optional<int> YamlDecoder::Integer(const YAML::Node& map, std::string_view key, std::string_view path,
                                        Required required, NumberRule rule) {
  auto node = Field(map, key, path, required);
  if (!node) return std::nullopt;
  return AsInteger(*node, PathKey(path, key), rule);
}

std::optional<bool> YamlDecoder::Bool(const YAML::Node& map, std::string_view key, std::string_view path,
                                      Required required) {
  auto node = Field(map, key, path, required);
  if (!node) return std::nullopt;
  return AsBool(*node, PathKey(path, key));
}

std::optional<std::vector<std::string>> YamlDecoder::StringList(const YAML::Node& map, std::string_view key,
                                                                std::string_view path, Required required) {
  auto node = Field(map, key, path, required);
  if (!node) return std::nullopt;
  const std::string list_path = PathKey(path, key);
  if (!ExpectSeq(*node, list_path)) return std::nullopt;
  std::vector<std::string> out;
  bool ok = true;
  for (size_t i = 0; i < node->size(); ++i) {
    auto s = AsString((*node)[i], PathIndex(list_path, i));
    if (s) {
      out.push_back(*s);
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

std::string PathIndex(std::string_view path, size_t index) { return fmt::format("{}[{}]", path, index); }

std::string PathKey(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return fmt::format("{}.{}", path, key);
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates) {
  const size_t limit = std::max<size_t>(1, std::min<size_t>(4, word.size() / 3));
  const std::string* best = nullptr;
  size_t best_distance = limit + 1;
  for (const std::string& c : candidates) {
    size_t d = EditDistance(word, c);
    // A word that is the start of a candidate ("unit_variable_cost" for
    // "unit_variable_cost_gbp") is as good as a one-letter typo.
    if (word.size() >= 3 && (c.starts_with(word) || word.starts_with(c))) d = std::min<size_t>(d, 1);
    if (d < best_distance) {
      best_distance = d;
      best = &c;
    }
  }
  if (best == nullptr) return "";
  return " (did you mean '" + *best + "'?)";
}

}  // namespace cobuild::io
