#include "server/request_guard.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace cobuild::server {
namespace {

using nlohmann::json;

// Length of the valid UTF-8 sequence starting at text[i], or 0.
size_t Utf8Length(std::string_view text, size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  size_t extra = 0;
  unsigned code = 0;
  unsigned min_code = 0;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) {
    extra = 1;
    code = c & 0x1F;
    min_code = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    extra = 2;
    code = c & 0x0F;
    min_code = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    extra = 3;
    code = c & 0x07;
    min_code = 0x10000;
  } else {
    return 0;
  }
  if (i + extra >= text.size()) return 0;
  for (size_t k = 1; k <= extra; ++k) {
    const auto cc = static_cast<unsigned char>(text[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    code = (code << 6) | (cc & 0x3F);
  }
  if (code < min_code || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return extra + 1;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsWildcard(std::string_view host) {
  return host.empty() || host == "0.0.0.0" || host == "::" || host == "[::]" || host == "*";
}

bool IsWrite(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// JSON and YAML (a superset of JSON) under their registered and common names.
bool IsDataType(std::string_view content_type) {
  const std::string type = Lower(content_type.substr(0, content_type.find(';')));
  std::string_view t = type;
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  static constexpr std::array<std::string_view, 5> kTypes = {
      "application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"};
  return std::find(kTypes.begin(), kTypes.end(), t) != kTypes.end();
}

bool Allowed(const std::optional<std::string>& host, const GuardPolicy& policy) {
  if (!host) return false;
  if (policy.any_host) return true;
  return std::find(policy.allowed_hosts.begin(), policy.allowed_hosts.end(), *host) !=
         policy.allowed_hosts.end();
}

}  // namespace

std::string SafeDump(const json& value) {
  try {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
  } catch (...) {
    // Only allocation can fail here; keep the response well-formed.
    return R"({"error":"the response could not be written","status":500})";
  }
}

std::string Excerpt(std::string_view text, size_t max_bytes) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t length = Utf8Length(text, i);
    const size_t shown = length == 0 ? 3 : length;  // U+FFFD is 3 bytes
    if (out.size() + shown > max_bytes) {
      out += "...";
      break;
    }
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (length == 1 && (c < 0x20 || c == 0x7F)) {
      out += '?';
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

int JsonNestingDepth(std::string_view text, int stop_at) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > stop_at) return deepest;
    } else if (c == ']' || c == '}') {
      depth = std::max(0, depth - 1);
    }
  }
  return deepest;
}

Result<json> ParseJsonBody(std::string_view body, int max_depth) {
  if (JsonNestingDepth(body, max_depth) > max_depth) {
    return InvalidInput("malformed JSON: nested deeper than " + std::to_string(max_depth) + " levels");
  }
  try {
    return json::parse(body);
  } catch (const json::parse_error& e) {
    return InvalidInput(std::string("malformed JSON: ") + Excerpt(e.what(), 200));
  } catch (const std::exception& e) {
    return InvalidInput(std::string("malformed JSON: ") + Excerpt(e.what(), 200));
  } catch (...) {
    return InvalidInput("malformed JSON");
  }
}

std::optional<std::string> HostName(std::string_view text) {
  if (const size_t scheme = text.find("://"); scheme != std::string_view::npos) {
    text.remove_prefix(scheme + 3);
    text = text.substr(0, text.find('/'));
  }
  if (text.empty()) return std::nullopt;
  std::string_view name;
  if (text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    name = text.substr(1, close - 1);
    text.remove_prefix(close + 1);
    if (!text.empty() && text.front() != ':') return std::nullopt;
  } else {
    const size_t colon = text.find(':');
    name = text.substr(0, colon);
    text.remove_prefix(colon == std::string_view::npos ? text.size() : colon);
  }
  if (!text.empty()) {  // ":port"
    text.remove_prefix(1);
    if (text.empty() || text.size() > 5 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
  }
  if (name.empty() || name.size() > 253) return std::nullopt;
  for (char c : name) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == ':';
    if (!ok) return std::nullopt;
  }
  std::string out = Lower(name);
  while (out.size() > 1 && out.back() == '.') out.pop_back();  // "localhost." is localhost
  return out;
}

GuardPolicy GuardPolicy::ForBind(std::string_view bind, const std::vector<std::string>& extra,
                                 bool has_token) {
  GuardPolicy policy;
  policy.allowed_hosts = {"localhost", "127.0.0.1", "::1"};
  if (!IsWildcard(bind)) {
    if (auto name = HostName(bind)) policy.allowed_hosts.push_back(*name);
  }
  for (const std::string& name : extra) {
    if (auto clean = HostName(name)) policy.allowed_hosts.push_back(*clean);
  }
  policy.any_host = has_token && IsWildcard(bind) && extra.empty();
  return policy;
}

std::optional<Rejection> CheckRequest(const RequestFacts& request, const GuardPolicy& policy) {
  if (!request.host.empty() && !Allowed(HostName(request.host), policy)) {
    return Rejection{421, "this server does not answer to Host '" + Excerpt(request.host) +
                              "' (start it with --allow-host NAME to add a name)"};
  }
  if (!IsWrite(request.method)) return std::nullopt;
  if (!request.origin.empty() && !Allowed(HostName(request.origin), policy)) {
    return Rejection{
        403, "cross-site request refused: Origin '" + Excerpt(request.origin) + "' is not this server"};
  }
  if (request.has_body && !IsDataType(request.content_type)) {
    return Rejection{415, "Content-Type '" + Excerpt(request.content_type) +
                              "' is not accepted; send application/json (jobs) or "
                              "application/yaml (scenarios)"};
  }
  return std::nullopt;
}

}  // namespace cobuild::server
