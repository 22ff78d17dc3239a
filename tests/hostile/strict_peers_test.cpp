// SPDX-License-Identifier: Apache-2.0
// Peers that are subtly wrong rather than silent (issue 11, kind C), scanned end to end with the
// real lisa binary against a real HTTPS server on 127.0.0.1: a Strict-Transport-Security header
// repeating a directive (a browser ignores it), and an IdP whose discovery document names another
// issuer while offering LoA3 (OpenID Connect Discovery §4.3: not to be used). Both were passes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "lisa_run.hpp"
#include "process.hpp"
#include "test_http_server.hpp"
#include "test_pki.hpp"

namespace {

using lisa::hostile::run_lisa;
using lisa::testing_support::http_response;
using lisa::testing_support::HttpTestServer;
using lisa::testing_support::TempDir;
using lisa::testing_support::write_file;
using ::testing::HasSubstr;
using json = nlohmann::json;

constexpr const char* kLoa3 = "http://id.elegnamnden.se/loa/1.0/loa3";

/// status and message of `rule` on `subject`, or {"", ""} when the report has no such finding.
std::pair<std::string, std::string> finding(const json& report, const std::string& rule,
                                            const std::string& subject) {
    for (const auto& f : report.at("findings")) {
        if (f.at("rule") == rule && f.at("subject") == subject) {
            return {f.at("status").get<std::string>(), f.at("message").get<std::string>()};
        }
    }
    return {};
}

TEST(StrictPeersTest, RepeatedHstsDirectiveFailsAndAForeignIssuersLoa3IsNotTaken) {
    TempDir dir;
    lisa::testing_support::TestPki pki{dir.path()};
    const auto cert = pki.issue("web", lisa::testing_support::CertSpec{});
    const std::string discovery =
        R"({"issuer":"https://idp.annan-kommun.example/","acr_values_supported":[")" +
        std::string(kLoa3) + R"("]})";
    HttpTestServer https(
        {{"/", http_response("200 OK",
                             "Strict-Transport-Security: max-age=31536000; includeSubDomains; "
                             "includeSubDomains\r\n",
                             "<html>hej</html>")},
         {"/idp/.well-known/openid-configuration",
          http_response("200 OK", "Content-Type: application/json\r\n", discovery)}},
        cert.cert_file, cert.key_file);
    const std::string base = https.base();
    write_file(dir.file("inventory.yaml"), R"(schema_version: 1
organization:
  name: Strikta kommun
  municipality_code: "9997"
  population: 12000
systems:
  - id: portal
    name: "E-tjänsteportal"
    owner: "Kommunstyrelsen"
    verksamhetsomraden: ["Barn och unga"]
    roles: [myndighetsutövning]
    personal_data: true
    sensitive_personal_data: true
    classification: { confidentiality: 2, integrity: 2, availability: 2, date: 2026-01-15, method: KLASSA }
    authentication: { external: strong, internal: strong }
    endpoints:
      - id: web
        url: )" + base + R"(/
        exposure: external
        authentication: strong
        ca_file: ")" + pki.ca_file() + R"("
        idp: )" + base + R"(/idp
)");
    // No --as-of: the certificate was made now, so "today" must be the clock's.
    const auto run = run_lisa({"scan", "--inventory", dir.file("inventory.yaml"), "--timeout", "5",
                               "--format", "json", "--output", dir.file("report.json"),
                               "--no-history"});
    ASSERT_EQ(run.status, 3) << "the foreign discovery document leaves AUTH-005 unchecked\n"
                             << run.output;
    const json report = json::parse(lisa::testing_support::read_file(dir.file("report.json")));

    // RFC 6797 §6.1: the header is invalid, so no HSTS: TLS-011 (confidentiality < 3) fails.
    const auto [hsts_status, hsts_message] = finding(report, "TLS-011", "portal/web");
    EXPECT_EQ(hsts_status, "fail") << hsts_message;
    EXPECT_THAT(hsts_message, HasSubstr("-1"));

    // Discovery §4.3: another issuer's document is not used: AUTH-005 is an error naming why.
    const auto [auth_status, auth_message] = finding(report, "AUTH-005", "portal/web");
    EXPECT_EQ(auth_status, "error") << auth_message;
    EXPECT_THAT(auth_message, HasSubstr("names issuer 'https://idp.annan-kommun.example/', not the "
                                        "issuer asked for '" + base + "/idp'"));
}

}  // namespace
