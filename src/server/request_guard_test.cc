#include "server/request_guard.h"

#include <gtest/gtest.h>

#include <string>

namespace cobuild::server {
namespace {

using nlohmann::json;

TEST(SafeDumpTest, ReplacesInvalidUtf8InsteadOfThrowing) {
  const json value = {{"path", std::string("/\xff\xfe")}};
  const std::string text = SafeDump(value);
  EXPECT_FALSE(json::parse(text, nullptr, false).is_discarded()) << text;
  EXPECT_NE(text.find("\xEF\xBF\xBD"), std::string::npos);
}

TEST(ExcerptTest, CutsAtCharacterBoundariesAndCleansBytes) {
  EXPECT_EQ(Excerpt("abc"), "abc");
  EXPECT_EQ(Excerpt(std::string(200, 'x'), 10), "xxxxxxxxxx...");
  EXPECT_EQ(Excerpt("a\xff"
                    "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(Excerpt("a\nb\x01"), "a?b?");
  // "é" is two bytes: never cut in half.
  EXPECT_EQ(Excerpt("\xC3\xA9\xC3\xA9", 3), "\xC3\xA9...");
  EXPECT_EQ(Excerpt("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // truncated sequence
}

TEST(JsonDepthTest, CountsBracketsOutsideStrings) {
  EXPECT_EQ(JsonNestingDepth(R"({"a": [1, {"b": 2}]})", 100), 3);
  EXPECT_EQ(JsonNestingDepth(R"({"a": "[[[[\"[[["})", 100), 1);
  EXPECT_EQ(JsonNestingDepth(std::string(100000, '['), 32), 33);  // stops early
}

TEST(ParseJsonBodyTest, RefusesDeepNestingAndReportsSyntaxErrors) {
  const std::string deep = std::string(65000, '[') + std::string(65000, ']');
  auto refused = ParseJsonBody(deep);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message.find("nested deeper than 32"), std::string::npos);
  EXPECT_FALSE(ParseJsonBody("{not json").has_value());
  EXPECT_FALSE(ParseJsonBody("1e999").has_value());
  auto ok = ParseJsonBody(R"({"kind": "plan", "params": {"seed": 1}})");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ((*ok)["params"]["seed"], 1);
}

TEST(HostNameTest, StripsPortsBracketsAndSchemes) {
  EXPECT_EQ(HostName("localhost:8080"), "localhost");
  EXPECT_EQ(HostName("LOCALHOST."), "localhost");
  EXPECT_EQ(HostName("[::1]:80"), "::1");
  EXPECT_EQ(HostName("http://127.0.0.1:8080"), "127.0.0.1");
  EXPECT_EQ(HostName("https://plans.example/path"), "plans.example");
  EXPECT_EQ(HostName("null"), "null");
  EXPECT_FALSE(HostName("a b").has_value());
  EXPECT_FALSE(HostName("host:port").has_value());
  EXPECT_FALSE(HostName("").has_value());
}

TEST(CheckRequestTest, LoopbackPolicy) {
  const GuardPolicy policy = GuardPolicy::ForBind("127.0.0.1", {}, false);
  const auto status = [&](RequestFacts facts) {
    auto r = CheckRequest(facts, policy);
    return r ? r->status : 0;
  };
  EXPECT_EQ(status({.method = "GET", .path = "/api/health", .host = "localhost:8080"}), 0);
  EXPECT_EQ(status({.method = "GET", .path = "/api/health", .host = "127.0.0.1"}), 0);
  EXPECT_EQ(status({.method = "GET", .path = "/api/health", .host = "evil.example"}), 421);
  EXPECT_EQ(status({.method = "GET", .path = "/api/health", .host = "127.0.0.1.evil.example"}), 421);
  EXPECT_EQ(status({.method = "GET", .path = "/", .host = "\xff"}), 421);
  EXPECT_EQ(status({.method = "POST",
                    .path = "/api/jobs",
                    .host = "127.0.0.1",
                    .content_type = "text/plain",
                    .has_body = true}),
            415);
  EXPECT_EQ(status({.method = "POST",
                    .path = "/api/jobs",
                    .host = "127.0.0.1",
                    .content_type = "application/json; charset=utf-8",
                    .has_body = true}),
            0);
  EXPECT_EQ(status({.method = "POST",
                    .path = "/api/scenarios",
                    .host = "127.0.0.1",
                    .content_type = "application/x-yaml",
                    .has_body = true}),
            0);
  EXPECT_EQ(status({.method = "POST",
                    .path = "/api/jobs/1/cancel",
                    .host = "127.0.0.1",
                    .origin = "http://evil.example"}),
            403);
  EXPECT_EQ(status({.method = "POST",
                    .path = "/api/jobs/1/cancel",
                    .host = "127.0.0.1",
                    .origin = "http://localhost:8080"}),
            0);
  // Reads need no Origin check: the browser does not let the page read them.
  EXPECT_EQ(
      status({.method = "GET", .path = "/api/jobs", .host = "127.0.0.1", .origin = "http://evil.example"}),
      0);
}

TEST(CheckRequestTest, WildcardBindWithTokenAcceptsAnyHost) {
  EXPECT_TRUE(GuardPolicy::ForBind("0.0.0.0", {}, true).any_host);
  EXPECT_FALSE(GuardPolicy::ForBind("0.0.0.0", {}, false).any_host);
  const GuardPolicy named = GuardPolicy::ForBind("0.0.0.0", {"Plans.Example"}, true);
  EXPECT_FALSE(named.any_host);
  EXPECT_FALSE(CheckRequest({.method = "GET", .host = "plans.example:8080"}, named).has_value());
  EXPECT_TRUE(CheckRequest({.method = "GET", .host = "other.example"}, named).has_value());
  const GuardPolicy bound = GuardPolicy::ForBind("10.1.2.3", {}, true);
  EXPECT_FALSE(CheckRequest({.method = "GET", .host = "10.1.2.3:8080"}, bound).has_value());
}

}  // namespace
}  // namespace cobuild::server
