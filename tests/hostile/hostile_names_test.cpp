// SPDX-License-Identifier: Apache-2.0
// Issue 11, kinds A, B and F through the real lisa binary: an inventory that hides a bind
// password in an LDAP URL extension, Swedish host names, and servers whose certificate chain looks
// fine only to a scanner that trusts more than a client does. Real `openssl s_server`s on
// 127.0.0.1 with certificates the test makes (tests/probes/tls/test_pki).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ctime>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "process.hpp"
#include "test_pki.hpp"
#include "test_servers.hpp"

namespace {

using lisa::testing_support::CertSpec;
using lisa::testing_support::Issued;
using lisa::testing_support::run_command;
using lisa::testing_support::SServer;
using lisa::testing_support::TempDir;
using lisa::testing_support::TestPki;
using lisa::testing_support::write_file;
using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

constexpr const char* kSecret = "Hunter2-Secret";
constexpr const char* kALabel = "xn--e-tjnster-y2a.exempelkommun.se";

struct LisaRun {
    int status = -1;
    std::string output;  ///< stdout and stderr together: a secret must be in neither
};

LisaRun lisa(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"/bin/sh", "-c", "exec \"$0\" \"$@\" 2>&1", LISA_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    LisaRun run;
    run.status = run_command(argv, &run.output);
    return run;
}

/// Today (UTC) as YYYY-MM-DD: the certificates are made now, so the scan is as of now.
std::string today() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
    return text;
}

constexpr const char* kOrganisationAndSystem = R"yaml(organization:
  name: Växjö kommun
  population: 95000
systems:
  - id: etjanst
    name: E-tjänster
    verksamhetsomraden: [Äldreomsorg]
    roles: [utförare]
    personal_data: true
    sensitive_personal_data: false
    endpoints:
)yaml";

// Issue 11 F: RFC 4516 extensions that carry credentials are refused like user:pw@, with their
// location, in one run, and the value appears in no output of validate or scan.
TEST(HostileInventoryTest, CredentialsInLdapUrlExtensionsAreRefusedWithoutEchoingThem) {
    const TempDir dir;
    const std::string inventory = dir.file("inventory.yaml");
    write_file(inventory, std::string(kOrganisationAndSystem) +
                              "      - { id: dc, url: \"ldaps://dc1.vaxjo.se/????X-BINDPW=" +
                              kSecret + "\", exposure: internal }\n"
                              "directories:\n"
                              "  - id: ad\n"
                              "    url: ldap://dc1.vaxjo.se/dc=vaxjo,dc=se????bindname=cn=lisa%2cdc=vaxjo%2cdc=se,!x-bindpw=" +
                              kSecret +
                              "\n"
                              "    base_dn: dc=vaxjo,dc=se\n"
                              "  - id: ad2\n"
                              "    url: ldap://dc2.vaxjo.se/????ServicePassword=" +
                              kSecret + "\n    base_dn: dc=vaxjo,dc=se\n");
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"validate", "--inventory", inventory},
          std::vector<std::string>{"scan", "--inventory", inventory, "--format", "json",
                                   "--no-history"}}) {
        const LisaRun run = lisa(args);
        EXPECT_EQ(run.status, 2) << run.output;
        EXPECT_THAT(run.output, HasSubstr("inventory.yaml:12:24: 'url' must not carry credentials "
                                          "in the 'X-BINDPW' extension"));
        EXPECT_THAT(run.output, HasSubstr("inventory.yaml:15:10: directory 'url' must not carry"));
        EXPECT_THAT(run.output, HasSubstr("inventory.yaml:18:10: directory 'url' must not carry "
                                          "credentials in the 'ServicePassword' extension"));
        EXPECT_THAT(run.output, Not(HasSubstr(kSecret)));
        EXPECT_THAT(run.output, Not(HasSubstr("cn=lisa")));
    }
}

// Issue 11 B: an invalid internationalised name is an inventory error with its location.
TEST(HostileInventoryTest, InvalidInternationalHostNameIsAnInventoryError) {
    const TempDir dir;
    const std::string inventory = dir.file("inventory.yaml");
    write_file(inventory, std::string(kOrganisationAndSystem) +
                              "      - id: portal\n"
                              "        url: https://127.0.0.1:1/\n"
                              "        sni: e-tjänster☠.växjö.se\n"
                              "        exposure: external\n");
    const LisaRun run = lisa({"validate", "--inventory", inventory});
    EXPECT_EQ(run.status, 2) << run.output;
    EXPECT_THAT(run.output, HasSubstr("inventory.yaml:14:14: 'sni' is not a valid internationalised "
                                      "domain name"));
}

/// The scan's finding for rule × subject, or null.
const json* finding(const json& report, const std::string& rule, const std::string& subject) {
    for (const json& f : report.at("findings")) {
        if (f.at("rule") == rule && f.at("subject") == subject) {
            return &f;
        }
    }
    return nullptr;
}

std::string status_of(const json& report, const std::string& rule, const std::string& subject) {
    const json* f = finding(report, rule, subject);
    return f == nullptr ? "missing" : f->at("status").get<std::string>();
}

// Issue 11 A and B end to end: e-tjänster.<kommun>.se is judged on the certificate served for
// its A-label (today: raw UTF-8 SNI, default certificate, two false high findings); a server
// sending only its leaf is incomplete and invalid although ca_file holds root and intermediate
// (today: a pass); a server holding an expired RSA certificate beside a valid ECDSA one fails
// the expiry and validity rules (today: the default client sees only one of them).
TEST(HostileInventoryTest, ScanJudgesWhatEachServerSendsForItsRealName) {
    const TempDir dir;
    TestPki pki(dir.path());
    const Issued localhost = pki.issue("localhost", CertSpec{});
    CertSpec idn_spec;
    idn_spec.common_name = kALabel;
    idn_spec.dns_names = {kALabel};
    idn_spec.ips = {};
    const Issued idn = pki.issue("idn", idn_spec);
    const Issued intermediate = pki.issue_intermediate("Växjö Issuing CA");
    CertSpec leaf_spec;
    leaf_spec.issuer = "Växjö Issuing CA";
    const Issued leaf = pki.issue("leaf", leaf_spec);
    CertSpec expired_rsa;
    expired_rsa.not_before_days = -60;
    expired_rsa.not_after_days = -3;
    const Issued expired = pki.issue("expired-rsa", expired_rsa);
    CertSpec ec_spec;
    ec_spec.key = CertSpec::Key::EcP256;
    const Issued ec = pki.issue("ec", ec_spec);

    const SServer by_name(localhost.cert_file, localhost.key_file,
                          {"-servername", kALabel, "-cert2", idn.cert_file, "-key2", idn.key_file},
                          dir.file("by-name.log"));
    const SServer leaf_only(leaf.cert_file, leaf.key_file, {}, dir.file("leaf-only.log"));
    const SServer dual(expired.cert_file, expired.key_file,
                       {"-dcert", ec.cert_file, "-dkey", ec.key_file}, dir.file("dual.log"));
    const std::string bundle = dir.file("root-and-intermediate.pem");
    write_file(bundle, pki.ca_pem() + intermediate.cert_pem);

    const auto endpoint = [](const std::string& id, int port, const std::string& more) {
        return "      - id: " + id + "\n        url: https://127.0.0.1:" + std::to_string(port) +
               "/\n        exposure: internal\n" + more;
    };
    const std::string inventory = dir.file("inventory.yaml");
    write_file(inventory,
               std::string(kOrganisationAndSystem) +
                   endpoint("portal", by_name.port(),
                            "        sni: e-tjänster.exempelkommun.se\n        ca_file: " +
                                pki.ca_file() + "\n") +
                   endpoint("leafonly", leaf_only.port(), "        ca_file: " + bundle + "\n") +
                   endpoint("pinned", leaf_only.port(),
                            "        ca_file: " + bundle + "\n        trust_intermediates: true\n") +
                   endpoint("dual", dual.port(), "        ca_file: " + pki.ca_file() + "\n"));

    const LisaRun run = lisa({"scan", "--inventory", inventory, "--as-of", today(), "--format",
                          "json", "--no-history", "--timeout", "3", "--allow-incomplete"});
    ASSERT_EQ(run.status, 0) << run.output;
    const json report = json::parse(run.output.substr(run.output.find('{')));

    EXPECT_EQ(status_of(report, "TLS-005", "etjanst/portal"), "pass");
    EXPECT_EQ(status_of(report, "TLS-006", "etjanst/portal"), "pass");

    EXPECT_EQ(status_of(report, "TLS-005", "etjanst/leafonly"), "fail");
    EXPECT_EQ(status_of(report, "TLS-012", "etjanst/leafonly"), "fail");
    EXPECT_EQ(status_of(report, "TLS-005", "etjanst/pinned"), "pass");
    EXPECT_EQ(status_of(report, "TLS-012", "etjanst/pinned"), "pass");

    EXPECT_EQ(status_of(report, "TLS-005", "etjanst/dual"), "fail");
    EXPECT_EQ(status_of(report, "TLS-009", "etjanst/dual"), "fail");
    EXPECT_EQ(status_of(report, "TLS-012", "etjanst/dual"), "pass");
}

}  // namespace
