// SPDX-License-Identifier: Apache-2.0
// The http probe: pure helpers, then real loopback HTTP and HTTPS servers the test starts.
#include "lisa/probes/http_probe.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <limits>
#include <map>

#include "process.hpp"
#include "test_http_server.hpp"
#include "test_pki.hpp"
#include "test_servers.hpp"
#include "probe_targets.hpp"

namespace lisa {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing_support::http_response;
using testing_support::HttpTestServer;

constexpr const char* kLoa3 = "http://id.elegnamnden.se/loa/1.0/loa3";

// ---------------------------------------------------------------- pure helpers

TEST(HstsTest, ParsesMaxAgeAndIncludeSubDomains) {
    auto policy = http::parse_hsts("max-age=31536000; includeSubDomains");
    EXPECT_EQ(policy.max_age, 31536000);
    EXPECT_TRUE(policy.include_subdomains);
    policy = http::parse_hsts("  MAX-AGE=\"600\" ;preload");
    EXPECT_EQ(policy.max_age, 600);
    EXPECT_FALSE(policy.include_subdomains);
    EXPECT_EQ(http::parse_hsts("max-age=0").max_age, 0);
}

TEST(HstsTest, InvalidOrMissingHeaderMeansNoPolicy) {
    EXPECT_EQ(http::parse_hsts("").max_age, -1);
    EXPECT_EQ(http::parse_hsts("includeSubDomains").max_age, -1);
    EXPECT_FALSE(http::parse_hsts("includeSubDomains").include_subdomains);
    EXPECT_EQ(http::parse_hsts("includeSubDomains").problem, "max-age is missing");
    EXPECT_EQ(http::parse_hsts("max-age=abc").max_age, -1);
    EXPECT_EQ(http::parse_hsts("max-age=-5").max_age, -1);
    EXPECT_EQ(http::parse_hsts("max-age=5; max-age=6").max_age, -1);
}

// RFC 6797 §6.1 2: every directive appears at most once, or the header is ignored. Issue 11:
// includeSubDomains twice was a pass.
TEST(HstsTest, AnyDirectiveRepeatedInvalidatesTheWholeHeader) {
    for (const char* header :
         {"max-age=31536000; includeSubDomains; includeSubDomains",
          "max-age=31536000; includeSubDomains; INCLUDESUBDOMAINS",
          "max-age=31536000; includesubdomains; IncludeSubDomains",
          "max-age=31536000; Max-Age=600", "max-age=31536000; MAX-AGE=\"31536000\"",
          "max-age=31536000; preload; preload", "max-age=1; foo=1; FOO=2"}) {
        const http::HstsPolicy policy = http::parse_hsts(header);
        EXPECT_EQ(policy.max_age, -1) << header;
        EXPECT_FALSE(policy.include_subdomains) << header;
        EXPECT_THAT(policy.problem, HasSubstr("appears twice")) << header;
    }
}

TEST(HstsTest, DirectiveNamesAreCaseInsensitiveAndValuesMayBeQuoted) {
    auto policy = http::parse_hsts("Max-Age=\"31536000\";INCLUDESUBDOMAINS");
    EXPECT_EQ(policy.max_age, 31536000);
    EXPECT_TRUE(policy.include_subdomains);
    EXPECT_EQ(policy.problem, "");
    policy = http::parse_hsts("max-age = 600 ; includeSubDomains ; preload ;");
    EXPECT_EQ(policy.max_age, 600);
    EXPECT_TRUE(policy.include_subdomains);
    // An unknown directive is ignored, even with a quoted value holding ';' and '\"'.
    policy = http::parse_hsts("report-uri=\"https://k.se/a;b\\\"c\"; max-age=60");
    EXPECT_EQ(policy.max_age, 60);
    EXPECT_EQ(http::parse_hsts(";;max-age=60;;").max_age, 60) << "empty directives are allowed";
}

TEST(HstsTest, MaxAgeBeyond64BitsIsCappedNotRejected) {
    const std::int64_t cap = std::numeric_limits<std::int64_t>::max();
    EXPECT_EQ(http::parse_hsts("max-age=9223372036854775807").max_age, cap);
    EXPECT_EQ(http::parse_hsts("max-age=9223372036854775808").max_age, cap);
    EXPECT_EQ(http::parse_hsts("max-age=99999999999999999999999999999999999999").max_age, cap);
    EXPECT_EQ(http::parse_hsts("max-age=\"18446744073709551616\"; includeSubDomains").max_age, cap);
    EXPECT_EQ(http::parse_hsts("max-age=000000000000000000000000000031536000").max_age, 31536000);
}

TEST(HstsTest, TextOutsideTheGrammarInvalidatesTheHeader) {
    for (const char* header :
         {"max-age=", "max-age", "max-age=+5", "max-age=5s", "max-age=1 2", "max-age=\"5",
          "max-age=5, includeSubDomains", "max-age=5; includeSubDomains=true",
          "max-age=5; includeSubDomains=\"\"", "max-age=5; =x", "max-age=5; @bad",
          "max-age=\"\"", "max-age=5; includeSubDomains junk"}) {
        const http::HstsPolicy policy = http::parse_hsts(header);
        EXPECT_EQ(policy.max_age, -1) << header;
        EXPECT_FALSE(policy.include_subdomains) << header;
        EXPECT_NE(policy.problem, "") << header;
    }
}

TEST(UrlTest, SplitsUrls) {
    const auto parts = http::split_url("HTTPS://User:pw@Web.Kommun.SE:8443/a/b?x=1#frag");
    ASSERT_TRUE(parts);
    EXPECT_EQ(parts->scheme, "https");
    EXPECT_EQ(parts->host, "web.kommun.se");
    EXPECT_EQ(parts->port, "8443");
    EXPECT_EQ(parts->path, "/a/b?x=1");
    const auto v6 = http::split_url("http://[::1]:8080");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->host, "[::1]");
    EXPECT_EQ(v6->port, "8080");
    EXPECT_EQ(v6->path, "/");
    EXPECT_FALSE(http::split_url("not a url"));
    EXPECT_FALSE(http::split_url("https:///path"));
}

TEST(UrlTest, RedactsCredentials) {
    EXPECT_EQ(http::redact_url("https://user:secret@web.kommun.se:8443/a?b=c@d"),
              "https://web.kommun.se:8443/a?b=c@d");
    EXPECT_EQ(http::redact_url("https://web.kommun.se/a@b"), "https://web.kommun.se/a@b");
    EXPECT_EQ(http::redact_url("no url"), "no url");
}

TEST(UrlTest, DerivesThePlainHttpTwin) {
    EXPECT_EQ(http::plain_http_twin("https://web.kommun.se:8443/login?x=1"),
              "http://web.kommun.se/login?x=1");
    EXPECT_EQ(http::plain_http_twin("https://web.kommun.se"), "http://web.kommun.se/");
    EXPECT_EQ(http::plain_http_twin("http://web.kommun.se:8080/"), "http://web.kommun.se:8080/");
    EXPECT_EQ(http::plain_http_twin("ldaps://dc1:636"), "");
}

TEST(LoginRedirectTest, RecognisesLoginsAndIdps) {
    const std::string app = "https://app.kommun.se/";
    EXPECT_TRUE(
        http::is_login_redirect(app, "https://idp.kommun.se/x/y", "https://idp.kommun.se/"));
    EXPECT_TRUE(
        http::is_login_redirect(app, "https://app.kommun.se/Account/Login?ReturnUrl=%2F", ""));
    EXPECT_TRUE(http::is_login_redirect(
        app, "https://login.microsoftonline.com/common/oauth2/authorize?client_id=x", ""));
    EXPECT_TRUE(http::is_login_redirect(app, "https://sso.kommun.se/", ""));
    EXPECT_TRUE(http::is_login_redirect(app, "/saml2/request?SAMLRequest=abc", ""));
    EXPECT_FALSE(http::is_login_redirect(app, "https://app.kommun.se/sv/start", ""));
    EXPECT_FALSE(http::is_login_redirect(app, "https://www.kommun.se/", ""));
    EXPECT_FALSE(
        http::is_login_redirect("https://sso.kommun.se/", "https://sso.kommun.se/start", ""));
    EXPECT_FALSE(http::is_login_redirect(app, "", ""));
}

TEST(OidcTest, BuildsTheDiscoveryUrl) {
    EXPECT_EQ(http::discovery_url("https://idp.kommun.se"),
              "https://idp.kommun.se/.well-known/openid-configuration");
    EXPECT_EQ(http::discovery_url("https://idp.kommun.se/realms/k/"),
              "https://idp.kommun.se/realms/k/.well-known/openid-configuration");
    EXPECT_EQ(http::discovery_url("https://idp.kommun.se/.well-known/openid-configuration"),
              "https://idp.kommun.se/.well-known/openid-configuration");
}

TEST(OidcTest, ParsesDiscoveryDocuments) {
    auto parsed =
        http::parse_oidc_discovery(R"({"issuer":"https://idp","acr_values_supported":[")" +
                                   std::string(kLoa3) + R"(", "loa2"], "x-vendor": 7})", "https://idp");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed.value().issuer, "https://idp");
    EXPECT_THAT(parsed.value().acr_values_supported, ElementsAre(kLoa3, "loa2"));

    parsed = http::parse_oidc_discovery(R"({"issuer":"https://idp"})", "https://idp");
    ASSERT_TRUE(parsed);
    EXPECT_TRUE(parsed.value().acr_values_supported.empty());

    EXPECT_THAT(http::parse_oidc_discovery("{", "https://idp").error().message, HasSubstr("not valid json"));
    EXPECT_THAT(http::parse_oidc_discovery("[1]", "https://idp").error().message, HasSubstr("not a json object"));
    EXPECT_THAT(http::parse_oidc_discovery(R"({"issuer":5})", "https://idp").error().message,
                HasSubstr("no issuer"));
}

TEST(OidcTest, TheIssuerAskedForIsTheIdpWithoutTheWellKnownSuffix) {
    EXPECT_EQ(http::issuer_of("https://idp.kommun.se/realms/k"), "https://idp.kommun.se/realms/k");
    EXPECT_EQ(http::issuer_of("https://idp.kommun.se/"), "https://idp.kommun.se/");
    EXPECT_EQ(http::issuer_of("https://idp.kommun.se/realms/k/.well-known/openid-configuration"),
              "https://idp.kommun.se/realms/k");
}

// Discovery §4.3: an issuer not identical to the one asked for — by host, path, scheme, case,
// trailing slash or port — means the document is not used (issue 11: LoA3 was taken from it).
TEST(OidcTest, ADocumentOfAnotherIssuerIsNotUsed) {
    const std::string doc_for = R"({"acr_values_supported":[")" + std::string(kLoa3) + R"("],"issuer":)";
    for (const char* other : {"https://evil.example", "https://idp.kommun.se/realms/k/",
                              "https://IDP.kommun.se/realms/k", "http://idp.kommun.se/realms/k",
                              "https://idp.kommun.se:443/realms/k", "https://idp.kommun.se/realms/K",
                              "https://idp.kommun.se/realms/k "}) {
        const auto parsed = http::parse_oidc_discovery(doc_for + "\"" + other + "\"}",
                                                       "https://idp.kommun.se/realms/k");
        ASSERT_FALSE(parsed) << other;
        EXPECT_THAT(parsed.error().message,
                    HasSubstr(std::string("names issuer '") + other +
                              "', not the issuer asked for 'https://idp.kommun.se/realms/k'"));
        EXPECT_THAT(parsed.error().message, HasSubstr("§4.3"));
    }
}

TEST(OidcTest, WronglyTypedMembersAreErrorsNotEmptyLists) {
    const auto error_of = [](const std::string& members) {
        const auto parsed =
            http::parse_oidc_discovery(R"({"issuer":"https://idp",)" + members + "}", "https://idp");
        return parsed ? std::string("(parsed)") : parsed.error().message;
    };
    EXPECT_EQ(error_of(R"("acr_values_supported":")" + std::string(kLoa3) + R"(")"),
              "discovery member 'acr_values_supported' must be an array of strings, not a string");
    EXPECT_EQ(error_of(R"("acr_values_supported":[")" + std::string(kLoa3) + R"(", 7])"),
              "discovery member 'acr_values_supported' must hold strings only; item 2 is a number");
    EXPECT_EQ(error_of(R"("acr_values_supported":null)"),
              "discovery member 'acr_values_supported' must be an array of strings, not null");
    EXPECT_EQ(error_of(R"("acr_values_supported":{"loa3":true})"),
              "discovery member 'acr_values_supported' must be an array of strings, not an object");
    EXPECT_EQ(error_of(R"("scopes_supported":[["openid"]])"),
              "discovery member 'scopes_supported' must hold strings only; item 1 is an array");
    EXPECT_EQ(error_of(R"("authorization_endpoint":["https://idp/a"])"),
              "discovery member 'authorization_endpoint' must be a string, not an array");
    EXPECT_EQ(error_of(R"("claims_parameter_supported":"true")"),
              "discovery member 'claims_parameter_supported' must be a boolean, not a string");
    EXPECT_EQ(error_of(R"("acr_values_supported":[])"), "(parsed)");
}

// ---------------------------------------------------------------- real servers

Date today() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    return Date::from_ymd(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1),
                          static_cast<unsigned>(tm.tm_mday));
}

/// An HTTPS site with an IdP path, and a plain-HTTP twin, on loopback.
struct Sites {
    testing_support::TempDir dir;
    testing_support::TestPki pki{dir.path()};
    testing_support::Issued cert = pki.issue("web", testing_support::CertSpec{});
    std::unique_ptr<HttpTestServer> https;
    std::unique_ptr<HttpTestServer> plain;
    testing_support::SilentListener silent;
    int closed_port = testing_support::free_port();

    Sites() {
        https = std::make_unique<HttpTestServer>(https_routes(), cert.cert_file, cert.key_file);
        const std::string secure = https->base();
        // The IdP's documents name their own issuer, which holds the port picked at start.
        const std::string json = "Content-Type: application/json\r\n";
        https->add_route("/idp/.well-known/openid-configuration",
                         http_response("200 OK", json,
                                       R"({"issuer":")" + secure + R"(/idp","authorization_endpoint":")" +
                                           secure + R"(/idp/authorize","acr_values_supported":[")" +
                                           std::string(kLoa3) + R"("]})"));
        https->add_route("/typed/.well-known/openid-configuration",
                         http_response("200 OK", json,
                                       R"({"issuer":")" + secure + R"(/typed","acr_values_supported":")" +
                                           std::string(kLoa3) + R"("})"));
        plain = std::make_unique<HttpTestServer>(std::map<std::string, std::string>{
            {"/", http_response("301 Moved Permanently", "Location: " + secure + "/\r\n", "")},
            {"/elsewhere", http_response("302 Found", "Location: http://127.0.0.1:1/\r\n", "")},
            {"/stay", http_response("200 OK", "Content-Type: text/plain\r\n", "plain\n")},
        });
    }

    static std::map<std::string, std::string> https_routes() {
        const std::string discovery =
            R"({"issuer":"https://idp.test/idp","authorization_endpoint":)"
            R"("https://idp.test/idp/authorize","acr_values_supported":[")" +
            std::string(kLoa3) + R"("]})";  // another provider's: its issuer is not ours
        return {
            {"/",
             http_response("200 OK",
                           "Strict-Transport-Security: max-age=31536000; includeSubDomains\r\n",
                           "<html>hej</html>")},
            {"/nohsts", http_response("200 OK", "", "<html>hej</html>")},
            {"/app",
             http_response("302 Found",
                           "Location: /idp/authorize?client_id=lisa&response_type=code\r\n", "")},
            {"/moved", http_response("301 Moved Permanently", "Location: /sv/\r\n", "")},
            {"/api", http_response("401 Unauthorized", "WWW-Authenticate: Bearer\r\n", "")},
            {"/admin", http_response("403 Forbidden", "", "")},
            {"/big", http_response("200 OK", "", std::string(3 * 1024 * 1024, 'x'))},
            {"/other/.well-known/openid-configuration",
             http_response("200 OK", "Content-Type: application/json\r\n", discovery)},
            {"/hsts-twice",
             http_response("200 OK",
                           "Strict-Transport-Security: max-age=31536000; includeSubDomains; "
                           "includeSubDomains\r\n",
                           "<html>hej</html>")},
            {"/hsts-huge",
             http_response("200 OK",
                           "Strict-Transport-Security: Max-Age=\"99999999999999999999999\"; "
                           "INCLUDESUBDOMAINS\r\n",
                           "<html>hej</html>")},
            {"/hsts-first",  // RFC 6797 §8.1: only the first header field is processed
             http_response("200 OK",
                           "Strict-Transport-Security: max-age=600\r\n"
                           "Strict-Transport-Security: max-age=31536000; includeSubDomains\r\n",
                           "<html>hej</html>")},
            {"/broken/.well-known/openid-configuration",
             http_response("200 OK", "Content-Type: application/json\r\n", "{\"issuer\":")},
            {"/huge/.well-known/openid-configuration",
             http_response("200 OK", "",
                           "{\"issuer\":\"" + std::string(2 * 1024 * 1024, 'i') + "\"}")},
        };
    }
};

class HttpProbeTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (sites_ == nullptr) {
            sites_ = new Sites();
        }
    }
    static void TearDownTestSuite() {
        delete sites_;
        sites_ = nullptr;
    }

    static ProbeContext context(std::chrono::milliseconds timeout = std::chrono::seconds(3)) {
        ProbeContext c;
        c.as_of = today();
        c.timeout = timeout;
        return c;
    }

    static HttpTarget target(const std::string& path, const std::string& plain_path = "/") {
        HttpTarget t;
        t.url = sites_->https->base() + path;
        t.http_url = plain_path.empty() ? "" : sites_->plain->base() + plain_path;
        t.ca_file = sites_->pki.ca_file();
        return t;
    }

    static Value value(const Facts& facts, const std::string& name) {
        const auto it = facts.find(name);
        return it == facts.end() ? Value{} : it->second.value;
    }

    static Sites* sites_;
};

Sites* HttpProbeTest::sites_ = nullptr;

TEST_F(HttpProbeTest, HttpsSiteWithHstsAndARedirectingTwin) {
    const Facts facts = collect_http_facts(target("/"), context());
    EXPECT_EQ(value(facts, "http.reachable"), Value(true));
    EXPECT_EQ(value(facts, "http.status"), Value(200));
    EXPECT_EQ(value(facts, "http.hsts.max_age"), Value(std::int64_t{31536000}));
    EXPECT_EQ(value(facts, "http.hsts.include_subdomains"), Value(true));
    EXPECT_EQ(value(facts, "http.auth_required"), Value(false));
    EXPECT_EQ(facts.count("http.login_redirect"), 0U);
    EXPECT_EQ(value(facts, "http.plain.reachable"), Value(true));
    EXPECT_EQ(value(facts, "http.plain.status"), Value(301));
    EXPECT_EQ(value(facts, "http.redirects_to_https"), Value(true));
    EXPECT_EQ(facts.count("http.error"), 0U);
    const Fact& status = facts.at("http.status");
    EXPECT_EQ(status.provenance, Provenance::Probed);
    EXPECT_EQ(status.source, "http " + sites_->https->base() + "/");
}

TEST_F(HttpProbeTest, NoHstsHeader) {
    const Facts facts = collect_http_facts(target("/nohsts"), context());
    EXPECT_EQ(facts.count("http.hsts.problem"), 0U) << "no header is not an invalid header";
    EXPECT_EQ(value(facts, "http.hsts.max_age"), Value(std::int64_t{-1}));
    EXPECT_EQ(value(facts, "http.hsts.include_subdomains"), Value(false));
}

TEST_F(HttpProbeTest, PlainTwinThatDoesNotRedirect) {
    Facts facts = collect_http_facts(target("/", "/stay"), context());
    EXPECT_EQ(value(facts, "http.plain.status"), Value(200));
    EXPECT_EQ(value(facts, "http.redirects_to_https"), Value(false));
    facts = collect_http_facts(target("/", "/elsewhere"), context());
    EXPECT_EQ(value(facts, "http.redirects_to_https"), Value(false));
}

TEST_F(HttpProbeTest, RedirectToTheIdpMeansAuthRequired) {
    HttpTarget t = target("/app");
    t.idp = sites_->https->base() + "/idp";
    const Facts facts = collect_http_facts(t, context());
    EXPECT_EQ(value(facts, "http.status"), Value(302));
    EXPECT_EQ(value(facts, "http.auth_required"), Value(true));
    EXPECT_EQ(value(facts, "http.login_redirect"),
              Value(sites_->https->base() + "/idp/authorize?client_id=lisa&response_type=code"));
    EXPECT_EQ(value(facts, "oidc.issuer"), Value(sites_->https->base() + "/idp"));
    EXPECT_EQ(value(facts, "oidc.acr_values_supported"), Value(StringList{kLoa3}));
    EXPECT_EQ(facts.count("oidc.error"), 0U);
}

TEST_F(HttpProbeTest, OrdinaryRedirectIsNotALogin) {
    const Facts facts = collect_http_facts(target("/moved"), context());
    EXPECT_EQ(value(facts, "http.status"), Value(301));
    EXPECT_EQ(value(facts, "http.auth_required"), Value(false));
    EXPECT_EQ(value(facts, "http.login_redirect"), Value(sites_->https->base() + "/sv/"));
}

TEST_F(HttpProbeTest, UnauthorizedAndForbiddenMeanAuthRequired) {
    Facts facts = collect_http_facts(target("/api"), context());
    EXPECT_EQ(value(facts, "http.status"), Value(401));
    EXPECT_EQ(value(facts, "http.auth_required"), Value(true));
    facts = collect_http_facts(target("/admin"), context());
    EXPECT_EQ(value(facts, "http.status"), Value(403));
    EXPECT_EQ(value(facts, "http.auth_required"), Value(true));
}

TEST_F(HttpProbeTest, LargeBodiesAreCappedButStatusKept) {
    const Facts facts = collect_http_facts(target("/big"), context());
    EXPECT_EQ(value(facts, "http.reachable"), Value(true));
    EXPECT_EQ(value(facts, "http.status"), Value(200));
}

// Issue 11: a header repeating includeSubDomains was a pass; a browser ignores it (§6.1 2).
TEST_F(HttpProbeTest, ARepeatedHstsDirectiveFromARealServerMeansNoHsts) {
    const Facts facts = collect_http_facts(target("/hsts-twice"), context());
    EXPECT_EQ(value(facts, "http.status"), Value(200));
    EXPECT_EQ(value(facts, "http.hsts.max_age"), Value(std::int64_t{-1}));
    EXPECT_EQ(value(facts, "http.hsts.include_subdomains"), Value(false));
    EXPECT_EQ(value(facts, "http.hsts.problem"), Value("directive 'includesubdomains' appears twice"));
}

TEST_F(HttpProbeTest, AHugeQuotedMaxAgeFromARealServerIsCapped) {
    const Facts facts = collect_http_facts(target("/hsts-huge"), context());
    EXPECT_EQ(facts.count("http.hsts.problem"), 0U);
    EXPECT_EQ(value(facts, "http.hsts.max_age"), Value(std::numeric_limits<std::int64_t>::max()));
    EXPECT_EQ(value(facts, "http.hsts.include_subdomains"), Value(true));
}

TEST_F(HttpProbeTest, OnlyTheFirstHstsHeaderFieldCounts) {
    const Facts facts = collect_http_facts(target("/hsts-first"), context());
    EXPECT_EQ(value(facts, "http.hsts.max_age"), Value(std::int64_t{600}));
    EXPECT_EQ(value(facts, "http.hsts.include_subdomains"), Value(false));
}

// Issue 11: LoA3 was read from a discovery document naming another issuer.
TEST_F(HttpProbeTest, ADiscoveryDocumentOfAnotherIssuerIsAnErrorAndGivesNoLoa) {
    HttpTarget t = target("/app");
    t.idp = sites_->https->base() + "/other";
    const Facts facts = collect_http_facts(t, context());
    EXPECT_THAT(*value(facts, "oidc.error").as_string(),
                HasSubstr("names issuer 'https://idp.test/idp', not the issuer asked for '" +
                          sites_->https->base() + "/other'"));
    EXPECT_EQ(facts.count("oidc.issuer"), 0U);
    EXPECT_EQ(facts.count("oidc.acr_values_supported"), 0U);
}

TEST_F(HttpProbeTest, AnIdpWrittenWithATrailingSlashIsAnotherIssuer) {
    HttpTarget t = target("/app");
    t.idp = sites_->https->base() + "/idp/";
    const Facts facts = collect_http_facts(t, context());
    EXPECT_THAT(*value(facts, "oidc.error").as_string(), HasSubstr("not the issuer asked for"));
    EXPECT_EQ(facts.count("oidc.acr_values_supported"), 0U);
}

TEST_F(HttpProbeTest, DiscoveryErrors) {
    HttpTarget t = target("/");
    t.idp = sites_->https->base() + "/broken";
    Facts facts = collect_http_facts(t, context());
    EXPECT_THAT(*value(facts, "oidc.error").as_string(), HasSubstr("not valid json"));
    EXPECT_EQ(facts.count("oidc.issuer"), 0U);

    t.idp = sites_->https->base() + "/missing";
    facts = collect_http_facts(t, context());
    EXPECT_EQ(value(facts, "oidc.error"), Value("discovery returned HTTP 404"));

    t.idp = sites_->https->base() + "/huge/";
    facts = collect_http_facts(t, context());
    EXPECT_EQ(value(facts, "oidc.error"), Value("discovery document larger than 1 MiB"));
}

// Issue 15: an IdP whose certificate is for another name is refused, and oidc.error says which
// certificate (subject and SANs as the IdP sent them), so IT knows which one to replace.
TEST_F(HttpProbeTest, AnIdpCertificateForAnotherNameIsNamedInTheError) {
    testing_support::CertSpec other;
    other.common_name = "idp.other.example";
    other.dns_names = {"idp.other.example"};
    other.ips = {};
    const testing_support::Issued cert = sites_->pki.issue("idp-other", other);
    HttpTestServer idp({{"/idp/.well-known/openid-configuration", http_response("200 OK", "", "{}")}}, cert.cert_file,
                       cert.key_file);
    HttpTarget t = target("/");
    t.idp = idp.base() + "/idp";
    const Facts facts = collect_http_facts(t, context());
    const std::string error = value(facts, "oidc.error").as_string() != nullptr ? *value(facts, "oidc.error").as_string() : "";
    EXPECT_THAT(error, HasSubstr("tls certificate not trusted"));
    EXPECT_THAT(error, HasSubstr("the server's certificate: CN = idp.other.example, SAN DNS:idp.other.example"));
}

TEST_F(HttpProbeTest, PlainHttpEndpointIsItsOwnTwinAndHasNoHsts) {
    HttpTarget t;
    t.url = sites_->plain->base() + "/";
    const Facts facts = collect_http_facts(t, context());
    EXPECT_EQ(value(facts, "http.status"), Value(301));
    EXPECT_EQ(value(facts, "http.redirects_to_https"), Value(true));
    EXPECT_EQ(facts.count("http.hsts.max_age"), 0U);
}

TEST_F(HttpProbeTest, UntrustedCertificateIsStillObserved) {
    // Whether the certificate is trusted is the tls probe's fact; the http probe observes the
    // HTTP behaviour behind it instead of refusing to look.
    HttpTarget t = target("/");
    t.ca_file.clear();  // the test CA is not in the system store
    const Facts facts = collect_http_facts(t, context());
    EXPECT_EQ(value(facts, "http.reachable"), Value(true));
    EXPECT_TRUE(facts.count("http.status") == 1U);
    EXPECT_EQ(facts.count("http.error"), 0U);
}

// Issue 11 B: a service named e-tjänster.<kommun>.se is asked for by its IDNA A-label (SNI,
// Host, connect-to), whatever form the inventory wrote it in. The s_server here ends the
// handshake with a fatal alert for any other server name (-servername_fatal).
TEST_F(HttpProbeTest, SwedishSniNameIsSentAsItsALabel) {
    constexpr const char* kALabel = "xn--e-tjnster-y2a.exempelkommun.se";
    testing_support::CertSpec spec;
    spec.common_name = kALabel;
    spec.dns_names = {kALabel};
    spec.ips = {};
    const testing_support::Issued idn = sites_->pki.issue("idn", spec);
    const testing_support::SServer server(
        sites_->cert.cert_file, sites_->cert.key_file,
        {"-servername", kALabel, "-servername_fatal", "-cert2", idn.cert_file, "-key2",
         idn.key_file},
        sites_->dir.file("idn-s_server.log"));
    HttpTarget t;
    t.url = "https://127.0.0.1:" + std::to_string(server.port()) + "/";
    t.ca_file = sites_->pki.ca_file();
    for (const char* name : {"e-tjänster.exempelkommun.se", "E-TJÄNSTER.exempelkommun.se",
                             "e-tja\xCC\x88nster.exempelkommun.se", kALabel}) {
        t.sni = name;
        const Facts facts = collect_http_facts(t, context());
        EXPECT_EQ(value(facts, "http.reachable"), Value(true)) << name;
        EXPECT_EQ(value(facts, "http.status"), Value(200)) << name;
        EXPECT_EQ(facts.at("http.reachable").source, "http " + t.url) << name;
    }
    t.sni = "e-tjanster.exempelkommun.se";  // another name: refused by this server
    EXPECT_EQ(value(collect_http_facts(t, context()), "http.reachable"), Value(false));

    t.sni = "e-tjänster☠.exempelkommun.se";
    const Facts invalid = collect_http_facts(t, context());
    EXPECT_EQ(value(invalid, "http.reachable"), Value(false));
    EXPECT_THAT(*value(invalid, "http.error").as_string(),
                HasSubstr("sni: invalid internationalised host name"));
}

TEST_F(HttpProbeTest, ClosedPortIsRefused) {
    HttpTarget t;
    t.url = "https://127.0.0.1:" + std::to_string(sites_->closed_port) + "/";
    t.http_url = "http://127.0.0.1:" + std::to_string(sites_->closed_port) + "/";
    const Facts facts = collect_http_facts(t, context());
    EXPECT_EQ(value(facts, "http.reachable"), Value(false));
    EXPECT_EQ(value(facts, "http.error"), Value("connection refused"));
    EXPECT_EQ(value(facts, "http.plain.reachable"), Value(false));
    EXPECT_EQ(facts.count("http.redirects_to_https"), 0U);
}

TEST_F(HttpProbeTest, SilentPortTimesOut) {
    HttpTarget t;
    t.url = "https://127.0.0.1:" + std::to_string(sites_->silent.port()) + "/";
    t.http_url = "http://127.0.0.1:" + std::to_string(sites_->silent.port()) + "/";
    t.idp = "https://127.0.0.1:" + std::to_string(sites_->silent.port());
    const auto started = std::chrono::steady_clock::now();
    const Facts facts = collect_http_facts(t, context(std::chrono::milliseconds(300)));
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1500));
    EXPECT_EQ(value(facts, "http.reachable"), Value(false));
    EXPECT_EQ(value(facts, "http.error"), Value("timeout after 300 ms"));
    EXPECT_EQ(value(facts, "oidc.error"), Value("timeout after 300 ms"));
}

// An http:// endpoint's own plain answer is judged: an http_url beside it (a closed port, or one
// that redirects) was asked instead, and a page served in clear text passed TLS-019.
TEST_F(HttpProbeTest, AnHttpEndpointIsJudgedOnItsOwnAnswerNotItsHttpUrl) {
    HttpTarget t;
    t.url = sites_->plain->base() + "/stay";
    t.http_url = "http://127.0.0.1:" + std::to_string(sites_->closed_port) + "/";
    const Facts facts = collect_http_facts(t, context());
    EXPECT_EQ(value(facts, "http.plain.reachable"), Value(true));
    EXPECT_EQ(value(facts, "http.plain.status"), Value(200));
    EXPECT_EQ(value(facts, "http.redirects_to_https"), Value(false));
}

// ---------------------------------------------------------------- the Probe interface

Fact declared(Value v) { return Fact{std::move(v), Provenance::Declared, "inventory.yaml"}; }

TEST_F(HttpProbeTest, PublishesItsFactsAndAppliesToWebEndpoints) {
    const auto probe = make_http_probe();
    EXPECT_EQ(probe->spec().kind, "http");
    std::map<std::string, ValueType> types;
    for (const auto& fact : probe->spec().facts) {
        types[fact.name] = fact.type;
    }
    HttpTarget t = target("/app");
    t.idp = sites_->https->base() + "/idp";
    for (const auto& [name, fact] : collect_http_facts(t, context())) {
        ASSERT_EQ(types.count(name), 1U) << name;
        EXPECT_EQ(types.at(name), fact.value.type()) << name;
    }

    Subject subject;
    subject.kind = SubjectKind::Endpoint;
    std::vector<Subject> subjects{subject};
    const ProbeContext ctx = context();
    for (const auto& [scheme, expected] : std::vector<std::pair<std::string, bool>>{
             {"https", true}, {"http", true}, {"ldaps", false}}) {
        Facts visible = {{"endpoint.scheme", declared(scheme)},
                         {"endpoint.host", declared("web.kommun.se")},
                         {"endpoint.port", declared(std::int64_t{443})}};
        Subject declared_subject = subject;
        declared_subject.facts = visible;
        const std::vector<Subject> declared_subjects{declared_subject};
        const auto targets = testing_support::targets_of(declared_subjects);
        const ProbeRequest request{declared_subjects[0], 0, declared_subjects, targets, ctx};
        EXPECT_EQ(probe->applies_to(request), expected) << scheme;
        EXPECT_EQ(probe->target(request), "web.kommun.se:443");
    }
}

TEST_F(HttpProbeTest, CollectsThroughTheProbeInterface) {
    const auto probe = make_http_probe();
    Subject subject;
    subject.kind = SubjectKind::Endpoint;
    std::vector<Subject> subjects{subject};
    const ProbeContext ctx = context();
    const Facts visible = {
        {"endpoint.url", declared(sites_->https->base() + "/")},
        {"endpoint.scheme", declared("https")},
        {"endpoint.host", declared("127.0.0.1")},
        {"endpoint.port", declared(std::int64_t{sites_->https->port()})},
        {"endpoint.http_url", declared(sites_->plain->base() + "/")},
        {"endpoint.idp", declared(sites_->https->base() + "/idp")},
        {"endpoint.ca_file", declared(sites_->pki.ca_file())},
        {"endpoint.exposure", declared("external")},
    };
    subjects[0].facts = visible;
    const auto targets = testing_support::targets_of(subjects);
    const ProbeRequest request{subjects[0], 0, subjects, targets, ctx};
    const auto output = probe->collect(request);
    ASSERT_TRUE(output.has_value());
    EXPECT_EQ(output.value().error, "");
    EXPECT_EQ(value(output.value().facts, "http.hsts.max_age"), Value(std::int64_t{31536000}));
    EXPECT_EQ(value(output.value().facts, "http.redirects_to_https"), Value(true));
    EXPECT_EQ(value(output.value().facts, "oidc.acr_values_supported"), Value(StringList{kLoa3}));
}

TEST_F(HttpProbeTest, AWronglyTypedAcrListIsAnErrorThroughTheProbe) {
    const auto probe = make_http_probe();
    Subject subject;
    subject.kind = SubjectKind::Endpoint;
    std::vector<Subject> subjects{subject};
    const ProbeContext ctx = context();
    const Facts visible = {
        {"endpoint.url", declared(sites_->https->base() + "/")},
        {"endpoint.scheme", declared("https")},
        {"endpoint.host", declared("127.0.0.1")},
        {"endpoint.port", declared(std::int64_t{sites_->https->port()})},
        {"endpoint.http_url", declared(sites_->plain->base() + "/")},
        {"endpoint.idp", declared(sites_->https->base() + "/typed")},
        {"endpoint.ca_file", declared(sites_->pki.ca_file())},
    };
    subjects[0].facts = visible;
    const auto targets = testing_support::targets_of(subjects);
    const auto output = probe->collect(ProbeRequest{subjects[0], 0, subjects, targets, ctx});
    ASSERT_TRUE(output.has_value());
    EXPECT_THAT(output.value().error,
                HasSubstr("discovery member 'acr_values_supported' must be an array of strings, "
                          "not a string"));
    EXPECT_EQ(output.value().facts.count("oidc.acr_values_supported"), 0U);
}

// A plain-http address that takes the connection and never answers says nothing about whether
// it serves content: no http.plain.reachable (TLS-019/TLS-020 then end in "could not check"), and
// the probe's error names the address, without the password in its query. A refused one is a
// closed address, as before, and no error.
TEST_F(HttpProbeTest, ASilentPlainTwinIsUnknownNotClosed) {
    const auto probe = make_http_probe();
    const auto collect = [&](const std::string& http_url) {
        Subject subject;
        subject.kind = SubjectKind::Endpoint;
        subject.facts = {
            {"endpoint.url", declared(sites_->https->base() + "/")},
            {"endpoint.scheme", declared("https")},
            {"endpoint.host", declared("127.0.0.1")},
            {"endpoint.port", declared(std::int64_t{sites_->https->port()})},
            {"endpoint.http_url", declared(http_url)},
            {"endpoint.ca_file", declared(sites_->pki.ca_file())},
        };
        std::vector<Subject> subjects{subject};
        const auto targets = testing_support::targets_of(subjects);
        const ProbeRequest request{subjects[0], 0, subjects, targets, context(std::chrono::milliseconds(300))};
        auto output = probe->collect(request);
        EXPECT_TRUE(output.has_value());
        return output.has_value() ? std::move(output).value() : ProbeOutput{};
    };
    const std::string silent = "http://127.0.0.1:" + std::to_string(sites_->silent.port()) + "/";
    const ProbeOutput unknown = collect(silent + "?password=Hemligt1");
    EXPECT_EQ(value(unknown.facts, "http.status"), Value(200));
    EXPECT_EQ(unknown.facts.count("http.plain.reachable"), 0U);
    EXPECT_EQ(unknown.facts.count("http.redirects_to_https"), 0U);
    EXPECT_EQ(unknown.error, "plain-http address " + silent + ": timeout after 300 ms");
    const ProbeOutput closed = collect("http://127.0.0.1:" + std::to_string(sites_->closed_port) + "/");
    EXPECT_EQ(value(closed.facts, "http.plain.reachable"), Value(false));
    EXPECT_EQ(closed.error, "");
}

}  // namespace
}  // namespace lisa
