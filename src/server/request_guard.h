// The checks every HTTP request passes before a handler sees it, and the
// helpers that keep request text from breaking a JSON response. All of the
// server's input hygiene lives here, so the handlers stay thin.
//
//   GuardPolicy policy = GuardPolicy::ForBind("127.0.0.1", {"plans.lan"}, /*has_token=*/false);
//   if (auto refused = CheckRequest({.method = "POST", .path = "/api/jobs",
//                                    .host = "evil.example", ...}, policy)) {
//     // refused->status == 421, refused->message says which Host is not served
//   }
//   Result<json> body = ParseJsonBody(request.body);  // depth-limited, never throws
//   SendJson(response, 422, {{"error", "got " + Excerpt(value_text)}});
//
// What the guard refuses (docs/api.md, "Security"):
//   - a Host that is not a loopback name, the bound address or a name given
//     with --allow-host (DNS rebinding): 421 Misdirected Request;
//   - a state-changing request (POST, PUT, PATCH, DELETE) whose Origin is not
//     such a host, or is "null" (cross-site pages): 403;
//   - a state-changing request with a body that is not JSON or YAML by its
//     Content-Type (form posts and text/plain, which browsers send across
//     sites without asking): 415.
// A request without Origin (curl, scripts) passes the Origin check: browsers
// always send Origin on the cross-site requests this check is about.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"

namespace cobuild::server {

// JSON bodies nest at most this deep; the API's own bodies need 3 levels.
inline constexpr int kMaxJsonDepth = 32;

// The request text shown back in a message, at most this many bytes.
inline constexpr size_t kMaxEchoBytes = 80;

// JSON text of `value` with invalid UTF-8 replaced by U+FFFD; never throws
// (an unprintable value becomes an error object).
std::string SafeDump(const nlohmann::json& value);

// `text` made safe to show: invalid UTF-8 replaced by U+FFFD, control
// characters by '?', cut at `max_bytes` (on a character boundary) with "..."
// appended when cut.
std::string Excerpt(std::string_view text, size_t max_bytes = kMaxEchoBytes);

// The deepest nesting of arrays and objects in JSON text (strings skipped),
// counting until `stop_at` is exceeded; a linear scan without recursion.
int JsonNestingDepth(std::string_view text, int stop_at);

// Parses a JSON request body. Nesting deeper than `max_depth` is refused
// before parsing; a syntax error says where. Never throws.
[[nodiscard]] Result<nlohmann::json> ParseJsonBody(std::string_view body, int max_depth = kMaxJsonDepth);

// The host names a server answers to.
struct GuardPolicy {
  // Lower-case host names or addresses without port or brackets.
  std::vector<std::string> allowed_hosts;
  // Any Host is accepted (a token is set and the server listens on a
  // wildcard address: the token, which a rebinding page cannot know, guards).
  bool any_host = false;

  // localhost, 127.0.0.1, ::1, the bound address (unless a wildcard) and the
  // `extra` names.
  static GuardPolicy ForBind(std::string_view bind, const std::vector<std::string>& extra, bool has_token);
};

// What the guard needs to know of a request.
struct RequestFacts {
  std::string_view method;
  std::string_view path;
  std::string_view host;          // Host header, may carry a port
  std::string_view origin;        // Origin header, empty when absent
  std::string_view content_type;  // Content-Type header, empty when absent
  bool has_body = false;          // a non-empty body is (or will be) sent
};

struct Rejection {
  int status = 400;
  std::string message;
};

// nullopt when the request may go on to its handler.
std::optional<Rejection> CheckRequest(const RequestFacts& request, const GuardPolicy& policy);

// "localhost:8080" -> "localhost", "[::1]:80" -> "::1", "http://a.b:1" ->
// "a.b" (lower case); nullopt when it does not parse.
std::optional<std::string> HostName(std::string_view host_or_origin);

}  // namespace cobuild::server
