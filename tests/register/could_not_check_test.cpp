// SPDX-License-Identifier: Apache-2.0
// A first run offline (issue 16 item 5): the text summary groups "could not check" by cause —
// "31 checks could not run", then one line per cause naming the names or addresses and what to
// do — instead of one line per rule and subject. A real scan of an inventory whose names do not
// resolve (RFC 6761 .invalid) and whose ports are closed; plus the cause of each probe message the
// probes write.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "lisa/report/could_not_check.hpp"
#include "process.hpp"

using lisa::testing_support::free_port;
using lisa::testing_support::run_command;
using lisa::testing_support::TempDir;
using lisa::testing_support::write_file;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

namespace {

/// Directories and endpoints lisa cannot reach: names under .invalid (RFC 6761), a closed port,
/// an unset password variable; access groups in those directories.
std::string offline_inventory(int closed) {
    return "organization: { name: Exempelkommun, population: 12000 }\n"
               "directories:\n"
               "  - { id: katalog, url: \"ldaps://127.0.0.1:" + std::to_string(closed) + "\", base_dn: \"dc=x\", "
               "bind_dn: \"cn=svc,dc=x\", password_env: LISA_TEST_UNSET_PASSWORD }\n"
               "  - { id: stadens-ad, url: \"ldaps://dc1.exempelstad.invalid\", base_dn: \"dc=x\", "
               "bind_dn: \"cn=svc,dc=x\", password_env: LISA_TEST_UNSET_PASSWORD }\n"
               "systems:\n"
               "  - id: ifo\n    name: IFO\n    verksamhetsomraden: [\"Barn och unga\"]\n    roles: [utförare]\n"
               "    personal_data: true\n    sensitive_personal_data: true\n"
               "    access_groups:\n"
               "      - { id: handlaggare, directory: katalog, dn: \"cn=handlaggare,dc=x\" }\n"
               "      - { id: chefer, directory: katalog, dn: \"cn=chefer,dc=x\" }\n"
               "      - { id: stad, directory: stadens-ad, dn: \"cn=stad,dc=x\" }\n"
               "    endpoints:\n"
               "      - { id: a, url: \"https://a.lisa-test.invalid/\", exposure: external }\n"
               "      - { id: b, url: \"https://b.lisa-test.invalid/\", exposure: external }\n"
               "      - { id: c, url: \"https://127.0.0.1:" + std::to_string(closed) + "/\", exposure: internal }\n";
}

TEST(CouldNotCheckTest, ProbeMessagesAreSortedIntoCauses) {
    using lisa::Cause;
    EXPECT_EQ(lisa::cause_of("cannot resolve a.invalid: name or service not known"), Cause::Resolve);
    EXPECT_EQ(lisa::cause_of("cannot resolve a.invalid: temporary failure in name resolution"), Cause::Resolve);
    EXPECT_EQ(lisa::cause_of("connection refused"), Cause::Connect);
    EXPECT_EQ(lisa::cause_of("cannot connect to ldaps://127.0.0.1:1: Can't contact LDAP server"), Cause::Connect);
    EXPECT_EQ(lisa::cause_of("host unreachable"), Cause::Connect);
    EXPECT_EQ(lisa::cause_of("connect timeout"), Cause::Timeout);
    EXPECT_EQ(lisa::cause_of("cannot use ca_file: no certificate"), Cause::CaFile);
    EXPECT_EQ(lisa::cause_of("environment variable LDAP_PW is not set"), Cause::Secret);
    EXPECT_EQ(lisa::cause_of("password file (directory.password_file): no such file"), Cause::Secret);
    EXPECT_EQ(lisa::cause_of("bind failed: Invalid credentials (49)"), Cause::Bind);
    // A document that is there but cannot be read: never "missing, check the paths".
    for (const char* e : {"damaged PDF: poppler cannot open it", "encrypted PDF: it needs a password to open; give lisa an unencrypted copy",
                          "scanned PDF without a text layer: run OCR on it, or state its decision in a sidecar",
                          "cannot read the zip container", "word/document.xml refused as a zip bomb",
                          "evidence file evidence/huge.pdf is 41967405 bytes, over the limit of 33554432",
                          "reading the document took longer than 20 s: stopped",
                          "the document reader crashed on this file (signal 11)"}) {
        EXPECT_EQ(lisa::cause_of(e), Cause::Document) << e;
        EXPECT_THAT(lisa::cause_for_check(e, "sv"), ::testing::HasSubstr("spara om dokumentet som PDF med textlager")) << e;
        EXPECT_EQ(lisa::cause_for_check(e, "en"), e);
    }
    EXPECT_EQ(lisa::cause_of("evidence/policy.pdf: no such file"), Cause::File);
    // Read whole, nothing found: its own cause, and its advice is about the text, not the file.
    const std::string none = "policy.pdf: no decision (beslutad, beslutad av, diarienummer) found in the document's text";
    EXPECT_EQ(lisa::cause_of(none), Cause::NoDecision);
    EXPECT_THAT(lisa::cause_for_check(none, "sv"), HasSubstr("inget beslut hittades i texten – skriv beslutet i dokumentet"));
    EXPECT_THAT(lisa::cause_for_check(none, "sv"), Not(HasSubstr("spara om")));
    EXPECT_EQ(lisa::cause_text(Cause::NoDecision, 1, "sv"), "1 dokument där inget beslut hittades i texten");
    // A date no calendar has gives no decision date either; an empty file cannot be read at all.
    EXPECT_EQ(lisa::cause_of("policy.md: a date that does not exist in stycke 2: \"Antagen av kommunfullmäktige 31 februari "
                             "2024\": correct it in the document, or state the decision in a sidecar (.lisa.yaml)"),
              Cause::NoDecision);
    EXPECT_EQ(lisa::cause_of("tom.docx: the file is empty (0 bytes)"), Cause::Document);
    EXPECT_EQ(lisa::cause_of("discovery document is not valid json"), Cause::Other);
    // The ldap probe's group errors: their own causes, never "file missing" for "not found".
    EXPECT_EQ(lisa::cause_of("ldap: access group 'CN=APP-X,OU=G,DC=k,DC=se' not found in directory as a group "
                             "((objectClass=group))"),
              Cause::GroupNotFound);
    EXPECT_EQ(lisa::cause_of("ldap: active directory checks: 1 member(s) of Domain Admins could not be read by the "
                             "scan account (hidden from it by an ACL, from another domain, or not an account)"),
              Cause::UnreadableMembers);
    EXPECT_THAT(lisa::cause_for_check("ldap: access group 'x' not found in directory as a group", "sv"),
                HasSubstr("behörighetsgrupp finns inte i katalogen – rätta gruppens dn"));
    EXPECT_EQ(lisa::cause_text(Cause::Resolve, 3, "en"), "3 names do not resolve");
    EXPECT_EQ(lisa::cause_text(Cause::Resolve, 1, "en"), "1 name does not resolve");
    EXPECT_EQ(lisa::cause_text(Cause::Resolve, 3, "sv"), "3 namn går inte att slå upp");
}

TEST(CouldNotCheckTest, TheOfflineSummaryGroupsByCauseAndSaysWhatToDo) {
    TempDir dir;
    const int closed = free_port();
    write_file(dir.file("inventory.yaml"), offline_inventory(closed));
    std::string out;
    const int rc = run_command({"env", "-u", "LISA_TEST_UNSET_PASSWORD", "timeout", "-s", "KILL", "120", LISA_BINARY, "scan",
                                "--inventory", dir.file("inventory.yaml"), "--no-history", "--timeout", "3", "--lang", "en"},
                               &out);
    EXPECT_EQ(rc, 3) << out;
    EXPECT_THAT(out, MatchesRegex("(.|\n)*Could not check: [0-9]+ checks could not run\n(.|\n)*"));
    // adfix item 6: a directory is named by its id, and its name that does not resolve is grouped
    // as such (not "address does not answer").
    EXPECT_THAT(out, HasSubstr("    3 names do not resolve: a.lisa-test.invalid:443, b.lisa-test.invalid:443, stadens-ad ("));
    EXPECT_THAT(out, HasSubstr("– check the spelling in the inventory and that this machine reaches the municipality's DNS"));
    // The directory and the endpoint on the closed port: the ldap probe names its host, the tls
    // probe host and port.
    EXPECT_THAT(out, HasSubstr("    2 addresses do not answer: 127.0.0.1:" + std::to_string(closed) + ", katalog ("));
    // The access groups' findings join their directory's one cause: no "other reasons" per group.
    EXPECT_THAT(out, Not(HasSubstr("other reason")));
    EXPECT_THAT(out, Not(HasSubstr("handlaggare")));
    EXPECT_THAT(out, HasSubstr("– check the port and the firewall, or run lisa from a network that reaches the address"));
    // No more one line per rule and subject: no rule id is printed in that section.
    const auto section = out.substr(out.find("Could not check"));
    EXPECT_THAT(section.substr(0, section.find("\n\n")), Not(MatchesRegex("(.|\n)*[A-Z]+-[0-9]{3} (.|\n)*")));

    // In Swedish the whole section is Swedish, the "t.ex." lines included.
    std::string sv;
    run_command({"env", "-u", "LISA_TEST_UNSET_PASSWORD", "timeout", "-s", "KILL", "120", LISA_BINARY, "scan",
                 "--inventory", dir.file("inventory.yaml"), "--no-history", "--timeout", "3", "--lang", "sv"},
                &sv);
    const auto sv_from = sv.find("Kunde inte kontrolleras");
    ASSERT_NE(sv_from, std::string::npos) << sv;
    const std::string sv_section = sv.substr(sv_from, sv.find("\n\n", sv_from) - sv_from);
    EXPECT_THAT(sv_section, HasSubstr("t.ex. namnet för"));
    EXPECT_THAT(sv_section, HasSubstr("tar inte emot anslutningar"));
    for (const char* english : {"Can't contact", "cannot resolve", "Name or service", "e.g.", "andra orsaker"}) {
        EXPECT_THAT(sv_section, Not(HasSubstr(english))) << english;
    }
}

TEST(CouldNotCheckTest, DocumentsThatCannotBeReadAreOneCauseSaidInSwedishPerFile) {
    // A scanned and a password-protected PDF from the corpus (made by LibreOffice and qpdf): one
    // cause with what to do, the example line about the file its message is about, and the HTML's
    // rows worded in Swedish with the reader's own words only in the cell's title.
    TempDir dir;
    const std::string docs = std::string(LISA_SOURCE_DIR) + "/tests/data/documents/";
    using lisa::testing_support::read_file;
    write_file(dir.file("s.pdf"), read_file(docs + "skannad.pdf"));
    write_file(dir.file("k.pdf"), read_file(docs + "krypterad-anvandarlosenord.pdf"));
    write_file(dir.file("inv.yaml"), R"(organization: { name: X, population: 5000 }
isms:
  documents:
    - { id: a, role: informationssakerhetspolicy, path: s.pdf }
    - { id: b, role: informationssakerhetspolicy, path: k.pdf }
)");
    std::string out;
    EXPECT_EQ(run_command({LISA_BINARY, "scan", "--inventory", dir.file("inv.yaml"), "--no-history"}, &out), 3) << out;
    std::string html_run;
    EXPECT_EQ(run_command({LISA_BINARY, "scan", "--inventory", dir.file("inv.yaml"), "--no-history", "--format", "html",
                           "--output", dir.file("r.html")},
                          &html_run),
              3)
        << html_run;
    EXPECT_THAT(out, HasSubstr("2 dokument går inte att läsa som bevis: k.pdf, s.pdf"));
    EXPECT_THAT(out, HasSubstr("spara om dokumentet som PDF med textlager"));
    EXPECT_THAT(out, MatchesRegex("(.|\n)*t\\.ex\\. (s\\.pdf är en inskannad PDF utan textlager|k\\.pdf är lösenordsskyddad)\n(.|\n)*"));
    EXPECT_THAT(out, Not(HasSubstr("kontrollera sökvägarna")));  // the files are there
    const std::string html = read_file(dir.file("r.html"));
    EXPECT_THAT(html, HasSubstr("dokument går inte att läsa som bevis – spara om"));
    EXPECT_THAT(html, Not(HasSubstr(">document: s.pdf: scanned PDF")));  // English only in title="…"
}

// A document lisa read whole but in which no decision was found is its own cause: not "damaged or
// in a format lisa does not read" (the file was read), but "no decision found in the text", with
// advice to state the decision in the document or a sidecar. A scanned PDF beside it keeps its cause.
TEST(CouldNotCheckTest, ADocumentWithoutADecisionIsSaidSoNotCalledDamaged) {
    TempDir dir;
    const std::string docs = std::string(LISA_SOURCE_DIR) + "/tests/data/documents/";
    using lisa::testing_support::read_file;
    // Two published pages that say what the policy is but not who decided it, when, or its Dnr.
    const std::string page = "<!DOCTYPE html><html lang=\"sv\"><head><title>Informationssäkerhetspolicy</title></head>"
                             "<body><h1>Informationssäkerhetspolicy</h1><p>Policyn gäller alla förvaltningar och "
                             "bolag i kommunen.</p></body></html>\n";
    write_file(dir.file("u.html"), page);
    write_file(dir.file("v.html"), page);
    write_file(dir.file("s.pdf"), read_file(docs + "skannad.pdf"));
    write_file(dir.file("inv.yaml"), R"(organization: { name: X, population: 5000 }
isms:
  documents:
    - { id: a, role: informationssakerhetspolicy, path: u.html }
    - { id: b, role: informationssakerhetspolicy, path: v.html }
    - { id: c, role: informationssakerhetspolicy, path: s.pdf }
)");
    std::string out;
    EXPECT_EQ(run_command({LISA_BINARY, "scan", "--inventory", dir.file("inv.yaml"), "--no-history"}, &out), 3) << out;
    EXPECT_THAT(out, HasSubstr("2 dokument där inget beslut hittades i texten: u.html, v.html"));
    EXPECT_THAT(out, HasSubstr("skriv beslutet i dokumentet"));
    EXPECT_THAT(out, MatchesRegex("(.|\n)*t\\.ex\\. (u|v)\\.html lästes, men inget beslut hittades i texten(.|\n)*"));
    EXPECT_THAT(out, HasSubstr("1 dokument går inte att läsa som bevis: s.pdf"));
    EXPECT_THAT(out, HasSubstr("s.pdf är en inskannad PDF utan textlager"));
    EXPECT_THAT(out, Not(HasSubstr("html är skadad")));
    std::string en;
    run_command({LISA_BINARY, "scan", "--inventory", dir.file("inv.yaml"), "--no-history", "--lang", "en"}, &en);
    EXPECT_THAT(en, HasSubstr("2 documents in whose text no decision was found: u.html, v.html"));
}

// adfix item 7: one report, one set of counts. The headline and findings_by_status (overall and
// per area), the findings list, the "could not check" total, JUnit's attributes and the CSV rows
// all count the same findings — unscored rules included (the offline inventory has unscored
// rules' findings in error, pass and not_applicable).
TEST(CouldNotCheckTest, EveryFormatCountsTheSameFindings) {
    TempDir dir;
    write_file(dir.file("inventory.yaml"), offline_inventory(free_port()));
    std::string out;
    run_command({"env", "-u", "LISA_TEST_UNSET_PASSWORD", "timeout", "-s", "KILL", "120", LISA_BINARY, "scan",
                 "--inventory", dir.file("inventory.yaml"), "--no-history", "--timeout", "3", "--lang", "en",
                 "--format", "json", "--format", "junit", "--format", "csv", "--format", "text",
                 "--output-dir", dir.file("out")},
                &out);
    const auto report = nlohmann::json::parse(lisa::testing_support::read_file(dir.file("out/report.json")));
    std::map<std::string, int> listed;
    std::map<std::string, std::map<std::string, int>> listed_by_area;
    std::set<std::string> unscored;
    for (const auto& r : report.at("rules")) {
        if (r.contains("scored") && r.at("scored") == false) unscored.insert(r.at("id").get<std::string>());
    }
    int unscored_findings = 0;
    for (const auto& f : report.at("findings")) {
        ++listed[f.at("status").get<std::string>()];
        ++listed_by_area[f.at("area").get<std::string>()][f.at("status").get<std::string>()];
        unscored_findings += unscored.count(f.at("rule").get<std::string>()) ? 1 : 0;
    }
    ASSERT_GT(unscored_findings, 0) << "the test needs findings of unscored rules";
    ASSERT_GT(listed["error"], 0);
    const auto& counts = report.at("score").at("findings_by_status");
    for (const char* status : {"pass", "fail", "error", "not_applicable", "waived"}) {
        EXPECT_EQ(counts.at(status).get<int>(), listed[status]) << status;
    }
    for (const auto& area : report.at("score").at("areas")) {
        for (const char* status : {"pass", "fail", "error", "not_applicable", "waived"}) {
            EXPECT_EQ(area.at("findings_by_status").at(status).get<int>(),
                      listed_by_area[area.at("id").get<std::string>()][status])
                << area.at("id") << " " << status;
        }
    }
    // JUnit: the root element's attributes.
    const std::string junit = lisa::testing_support::read_file(dir.file("out/report.junit.xml"));
    const auto attr = [&](const std::string& name) {
        const auto at = junit.find(" " + name + "=\"", junit.find("<testsuites"));
        return std::stoi(junit.substr(at + name.size() + 3));
    };
    EXPECT_EQ(attr("errors"), listed["error"]);
    EXPECT_EQ(attr("failures"), listed["fail"]);
    EXPECT_EQ(attr("skipped"), listed["not_applicable"] + listed["waived"]);
    EXPECT_EQ(attr("tests"), static_cast<int>(report.at("findings").size()));
    // CSV: one row per finding, its status in the fourth column.
    const std::string csv = lisa::testing_support::read_file(dir.file("out/findings.csv"));
    std::map<std::string, int> rows;
    std::size_t start = csv.find('\n') + 1;
    while (start < csv.size()) {
        const std::string line = csv.substr(start, csv.find('\n', start) - start);
        start += line.size() + 1;
        std::size_t field = 0, from = 0;
        for (int i = 0; i < 3; ++i) from = line.find(',', from) + 1;
        field = line.find(',', from);
        ++rows[line.substr(from, field - from)];
    }
    EXPECT_EQ(rows["error"], listed["error"]);
    EXPECT_EQ(rows["fail"], listed["fail"]);
    EXPECT_EQ(rows["pass"], listed["pass"]);
    // The text headline and the "could not check" total.
    const std::string text = lisa::testing_support::read_file(dir.file("out/report.txt"));
    EXPECT_THAT(text, HasSubstr("  " + std::to_string(listed["pass"]) + " pass, " + std::to_string(listed["fail"]) +
                                " fail, " + std::to_string(listed["error"]) + " error, "));
    EXPECT_THAT(text, HasSubstr("Could not check: " + std::to_string(listed["error"]) + " checks could not run"));
}

}  // namespace
