// SPDX-License-Identifier: Apache-2.0
// Issue 14's "done when": `lisa scan` of a municipality's inventory against the real domain
// controller (Samba AD DC, Kerberos bind from a keytab) reports the privileged-access findings
// with account names — for each check one account that fails it, and one that passes is not named.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <nlohmann/json.hpp>
#include <string>

#include "samba_dc.hpp"

namespace lisa {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace ad = lisa::ad_test;
namespace ts = lisa::testing_support;

std::string inventory_for(const ad::SambaDc& dc) {
    return std::string(R"yaml(schema_version: 1
organization:
  name: Kommun
  municipality_code: "9998"
  population: 15000
  population_year: 2025
directories:
  - id: ad
    name: "Kommunens AD"
    url: ldaps://localhost
    base_dn: "DC=kommun,DC=test"
    ca_file: )yaml") + dc.ca_file() + R"yaml(
    kerberos: { keytab: )yaml" + dc.keytab() + R"yaml(, principal: lisa-las@KOMMUN.TEST }
    stale_days: 90
systems:
  - id: treserva
    name: "Treserva"
    owner: "Socialnämnden"
    verksamhetsomraden: ["Äldreomsorg"]
    roles: [myndighetsutövning]
    personal_data: true
    sensitive_personal_data: true
    classification: { confidentiality: 3, integrity: 3, availability: 2, date: 2025-03-10, method: KLASSA }
    access_groups:
      - { id: handlaggare, directory: ad, dn: "CN=APP-Treserva-handläggare,OU=Behörigheter,OU=Kommun,DC=kommun,DC=test" }
)yaml";
}

TEST(AdScanTest, AScanNamesTheAccountsBehindEveryPrivilegedAccessFinding) {
    std::unique_ptr<ad::SambaDc> dc;
    ASSERT_NO_THROW(dc = std::make_unique<ad::SambaDc>());
    ts::TempDir dir;
    const std::string inventory = dir.file("inventory.yaml");
    ts::write_file(inventory, inventory_for(*dc));
    const std::string report = dir.file("out/report.json");
    std::string output;
    const int status = ts::run_command(
        {"env", "KRB5_CONFIG=" + dc->krb5_conf(), "KRB5CCNAME=FILE:" + dir.file("unused-cc"),
         LISA_BINARY, "scan", "--inventory", inventory, "--as-of", ts::today_iso(1), "--no-history",
         "--format", "json", "--format", "csv", "--format", "actionplan-csv", "--format", "html",
         "--format", "central", "--format", "sarif", "--format", "junit", "--output-dir", dir.file("out")},
        &output);
    EXPECT_EQ(status, 0) << output;  // complete (no gate asked for): nothing could-not-check
    const auto json = nlohmann::json::parse(ts::read_file(report));
    std::map<std::string, nlohmann::json> findings;
    for (const auto& f : json.at("findings")) {
        findings[f.at("rule").get<std::string>()] = f;
    }
    // rule, the account (or computer) it must name, one it must not
    const std::vector<std::tuple<std::string, std::string, std::string>> named = {
        {"AD-001", "adm-bo", "adm-anna"},  {"AD-002", "asa.oberg", "adm-anna"},
        {"AD-003", "svc-backup", "asa.oberg"}, {"AD-004", "adm-bo", "svc-backup"},
        {"AD-005", "svc-backup", "adm-anna"}, {"AD-006", "adm-bo", "adm-anna"},
        {"AD-007", "asa.oberg", "adm-ny"}, {"AD-008", "asa.oberg", "adm-ny"},
        {"AD-009", "fd-admin", "krbtgt"},  {"AD-013", "SRV-APP01$", "SRV-FIL01$"},
        {"AD-017", "adm-bo", "karin.lof"},
    };
    for (const auto& [rule, fails, passes] : named) {
        SCOPED_TRACE(rule);
        ASSERT_EQ(findings.count(rule), 1U);
        const auto& f = findings.at(rule);
        EXPECT_EQ(f.at("status"), "fail") << f.dump();
        // The names are in `accounts` (below), not in the message, which SARIF and JUnit carry.
        const std::string message = f.at("message").get<std::string>();
        EXPECT_THAT(message, Not(HasSubstr(fails)));
        std::printf("[ %s ] %s: %s\n", rule.c_str(), message.c_str(), f.value("accounts", nlohmann::json()).dump().c_str());
    }
    // Issue 16 item 8: the report model names the accounts behind each failing count (JSON
    // `accounts`), and the municipality's own CSV, action plan and HTML show them; what may leave
    // the municipality (central profile) or CI (SARIF, JUnit) does not.
    const std::string csv = ts::read_file(dir.file("out/findings.csv"));
    const std::string plan = ts::read_file(dir.file("out/actionplan.csv"));
    const std::string html = ts::read_file(dir.file("out/report.html"));
    std::set<std::string> every_name;
    for (const auto& [rule, fails, passes] : named) {
        SCOPED_TRACE(rule);
        const auto& f = findings.at(rule);
        ASSERT_TRUE(f.contains("accounts")) << f.dump();
        const auto names = f.at("accounts").at("names").get<std::vector<std::string>>();
        EXPECT_NE(std::find(names.begin(), names.end(), fails), names.end()) << f.dump();
        EXPECT_EQ(std::find(names.begin(), names.end(), passes), names.end()) << f.dump();
        EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
        EXPECT_LE(names.size(), 20U);
        EXPECT_EQ(f.at("accounts").at("more"), 0);
        every_name.insert(names.begin(), names.end());
        std::string line;
        for (const auto& n : names) line += (line.empty() ? "" : ", ") + n;
        EXPECT_THAT(csv, HasSubstr(line));
        EXPECT_THAT(plan, HasSubstr(line));
        EXPECT_THAT(html, HasSubstr("<b>Konton:</b> " + line));
    }
    // Passing findings name nobody.
    EXPECT_FALSE(findings.at("KAT-003").contains("accounts"));
    for (const char* leaves : {"out/profile.central.json", "out/report.sarif", "out/report.junit.xml"}) {
        const std::string text = ts::read_file(dir.file(leaves));
        for (const auto& name : every_name) {
            EXPECT_EQ(text.find(name), std::string::npos) << leaves << " carries the account name " << name;
        }
    }
    // Domain-level checks, judged from the domain object and krbtgt.
    for (const char* rule : {"AD-010", "AD-011", "AD-012", "AD-015"}) {
        EXPECT_EQ(findings.at(rule).at("status"), "fail") << rule;
    }
    // The DC refuses a cleartext simple bind, and anonymous reads: both pass, neither an error.
    EXPECT_EQ(findings.at("KAT-003").at("status"), "pass");
    EXPECT_EQ(findings.at("KAT-002").at("status"), "pass");
    EXPECT_EQ(findings.at("KAT-005").at("status"), "pass");
    EXPECT_THAT(output, Not(HasSubstr("LISA")));  // no secret-looking leftovers on stdout
}

// Onboarding: the draft lists the privileged groups under their Swedish names (found by SID) and
// the application groups matching the patterns, with nested member counts, marked for review.
TEST(AdScanTest, DiscoverAdWritesADraftMarkedForReview) {
    std::unique_ptr<ad::SambaDc> dc;
    ASSERT_NO_THROW(dc = std::make_unique<ad::SambaDc>());
    ts::TempDir dir;
    const std::string inventory = dir.file("inventory.yaml");
    ts::write_file(inventory, inventory_for(*dc));
    const std::string draft = dir.file("draft.yaml");
    std::string output;
    const int status = ts::run_command(
        {"env", "KRB5_CONFIG=" + dc->krb5_conf(), LISA_BINARY, "discover", "ad", "--inventory",
         inventory, "--output", draft},
        &output);
    ASSERT_EQ(status, 0) << output;
    const std::string text = ts::read_file(draft);
    std::printf("%s", text.c_str());
    EXPECT_THAT(text, HasSubstr("# GRANSKA:"));
    EXPECT_THAT(text, HasSubstr("dn: \"CN=Domänadministratörer,CN=Users,DC=kommun,DC=test\" }  "
                                "# GRANSKA: Domain Admins (SID), 7 medlemmar (6 aktiva)"));  // adm-primar by primaryGroupID
    EXPECT_THAT(text, HasSubstr("Backup Operators (SID), 1 medlemmar"));
    EXPECT_THAT(text, Not(HasSubstr("DnsAdmins (SID)")));  // found by name, not by SID
    EXPECT_THAT(text, HasSubstr("{ id: app-treserva-handlaggare, directory: ad, dn: "
                                "\"CN=APP-Treserva-handläggare,OU=Behörigheter,OU=Kommun,DC=kommun,DC=test\" }"
                                "  # GRANSKA: 4 medlemmar (4 aktiva)"));
    EXPECT_THAT(text, HasSubstr("CN=Behorighet-Lifecare,"));
    EXPECT_THAT(text, Not(HasSubstr("Personal-Äldreomsorg")));  // matches no pattern
    // The draft exists now: replaced only with --force, and never over the inventory it read.
    ts::write_file(draft, "granskat\n");
    EXPECT_EQ(ts::run_command({"env", "KRB5_CONFIG=" + dc->krb5_conf(), LISA_BINARY, "discover", "ad", "--inventory",
                               inventory, "--output", draft}, &output), 2) << output;
    EXPECT_THAT(output, HasSubstr("give --force to replace it"));
    EXPECT_EQ(ts::read_file(draft), "granskat\n");
    EXPECT_EQ(ts::run_command({"env", "KRB5_CONFIG=" + dc->krb5_conf(), LISA_BINARY, "discover", "ad", "--inventory",
                               inventory, "--output", draft, "--force"}, &output), 0) << output;
    EXPECT_EQ(ts::read_file(draft), text);
    EXPECT_EQ(ts::run_command({"env", "KRB5_CONFIG=" + dc->krb5_conf(), LISA_BINARY, "discover", "ad", "--inventory",
                               inventory, "--output", inventory, "--force"}, &output), 2) << output;
    EXPECT_THAT(output, HasSubstr("is the input"));
    EXPECT_EQ(ts::read_file(inventory), inventory_for(*dc));

    // Another pattern, and a directory that does not exist in the inventory.
    ASSERT_EQ(ts::run_command({"env", "KRB5_CONFIG=" + dc->krb5_conf(), LISA_BINARY, "discover",
                               "ad", "--inventory", inventory, "--pattern", "Personal-*"},
                              &output),
              0)
        << output;
    EXPECT_THAT(output, HasSubstr("Personal-Äldreomsorg"));
    EXPECT_THAT(output, HasSubstr("3 medlemmar"));
    EXPECT_EQ(ts::run_command({LISA_BINARY, "discover", "ad", "--inventory", inventory,
                               "--directory", "nope"},
                              &output),
              2);
    EXPECT_THAT(output, HasSubstr("no directory 'nope' (ad)"));

    // More groups match than the draft takes: the first ones by DN (the same on every run), the
    // draft says so at its top, and the exit code says the draft is incomplete.
    ASSERT_EQ(ts::run_command({"env", "KRB5_CONFIG=" + dc->krb5_conf(), LISA_BINARY, "discover", "ad",
                               "--inventory", inventory, "--pattern", "*", "--max-groups", "3"},
                              &output),
              3)
        << output;
    EXPECT_THAT(output, HasSubstr("# GRANSKA: "));
    EXPECT_THAT(output, HasSubstr(" grupper matchade mönstren; utkastet tar bara med de 3 första i DN-ordning"));
    EXPECT_THAT(output, HasSubstr("the draft lists the first 3 by DN: give narrower --pattern"));
    const auto procapita = output.find("CN=APP-Procapita-handläggare,");
    const auto treserva = output.find("CN=APP-Treserva-handläggare,");
    const auto las = output.find("CN=APP-Treserva-läs,");
    EXPECT_TRUE(procapita != std::string::npos && procapita < treserva && treserva < las) << output;
    std::size_t drafted_groups = 0;
    for (auto at = output.find(", directory: ad, dn: "); at != std::string::npos;
         at = output.find(", directory: ad, dn: ", at + 1)) {
        ++drafted_groups;
    }
    EXPECT_EQ(drafted_groups, 3U);

    // Pasted into the inventory, the draft's markers are what `lisa validate` reports for review.
    const std::string drafted = inventory_for(*dc) + "# GRANSKA: koppla APP-Treserva-läs till sitt system\n";
    ts::write_file(inventory, drafted);
    ASSERT_EQ(ts::run_command({LISA_BINARY, "validate", "--inventory", inventory}, &output), 0) << output;
    const auto line = std::count(drafted.begin(), drafted.end(), '\n');
    EXPECT_THAT(output, HasSubstr(inventory + ":" + std::to_string(line) +
                                  ":1: review: koppla APP-Treserva-läs till sitt system"));
}

}  // namespace
}  // namespace lisa
