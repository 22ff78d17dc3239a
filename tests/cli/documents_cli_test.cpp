// SPDX-License-Identifier: Apache-2.0
// Issue 13's acceptance, end to end with the real binary and real files from LibreOffice
// (tests/data/documents): a policy PDF exported from DOCX with "Fastställd av kommunfullmäktige
// …, § 129" and a Dnr passes LIS-002 with those words quoted; without the line it fails "not
// stated"; a scanned PDF is an error. The artefacts carry fixed dates, so --as-of is fixed too.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "process.hpp"

using lisa::testing_support::read_file;
using lisa::testing_support::run_command;
using lisa::testing_support::TempDir;
using lisa::testing_support::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

const std::string kDocs = std::string(LISA_SOURCE_DIR) + "/tests/data/documents/";
constexpr const char* kAsOf = "2025-06-01";

struct Scan {
    int status = -1;
    std::string output;
    nlohmann::json report;
    std::string html;
};

Scan scan_with(const std::string& policy, const std::string& risk, const std::string& review) {
    TempDir dir;
    setenv("LISA_HISTORY", dir.file("history.db").c_str(), 1);
    write_file(dir.file("inv.yaml"), "organization: { name: Exempelkommun, population: 5000 }\n"
                                     "isms:\n  documents:\n"
                                     "    - { id: policy, role: informationssakerhetspolicy, path: \"" + kDocs + policy + "\" }\n"
                                     "    - { id: risk, role: riskuppfoljning, path: \"" + kDocs + risk + "\" }\n"
                                     "    - { id: review, role: ledningens_genomgang, path: \"" + kDocs + review + "\" }\n");
    Scan s;
    s.status = run_command({LISA_BINARY, "scan", "--inventory", dir.file("inv.yaml"), "--as-of", kAsOf,
                            "--format", "json", "--output-dir", dir.path(), "--format", "html"},
                           &s.output);
    for (const auto& name : {"report.json"}) {
        s.report = nlohmann::json::parse(read_file(dir.file(name)), nullptr, false);
    }
    s.html = read_file(dir.file("report.html"));
    return s;
}

nlohmann::json finding(const nlohmann::json& report, const std::string& rule, const std::string& subject) {
    if (report.is_object()) {
        for (const auto& f : report["findings"]) {
            if (f["rule"] == rule && f["subject"] == subject) return f;
        }
    }
    return nlohmann::json::object();
}

TEST(DocumentsCliTest, PolicyPdfFromDocxPassesWithItsWordsQuoted) {
    const Scan s = scan_with("policy.pdf", "riskuppfoljning.odt", "ledningens-genomgang.pdf");
    ASSERT_TRUE(s.report.is_object()) << s.output;
    const auto lis002 = finding(s.report, "LIS-002", "policy");
    EXPECT_EQ(lis002["status"], "pass") << lis002.dump(2);
    const std::string quoted = "p. 1: \"Fastställd av kommunfullmäktige den 12 december 2024, § 129\"";
    EXPECT_THAT(lis002["evidence"]["document.beslutad"]["source"].get<std::string>(), HasSubstr(quoted));
    EXPECT_THAT(lis002["evidence"]["document.beslutad_av"]["source"].get<std::string>(), HasSubstr(quoted));
    EXPECT_THAT(lis002["evidence"]["document.diarienummer"]["source"].get<std::string>(),
                HasSubstr("p. 1: \"Dnr KS 2024/000123\""));
    EXPECT_EQ(finding(s.report, "LIS-007", "risk")["status"], "pass") << finding(s.report, "LIS-007", "risk").dump(2);
    EXPECT_EQ(finding(s.report, "LIS-008", "review")["status"], "pass") << finding(s.report, "LIS-008", "review").dump(2);
    // "Gäller för: alla förvaltningar" covers social services and health care: LIS-004 passes on
    // the scope ids the words map to, with the words quoted.
    const auto lis004 = finding(s.report, "LIS-004", "policy");
    EXPECT_EQ(lis004["status"], "pass") << lis004.dump(2);
    EXPECT_THAT(lis004["evidence"]["document.omfattning"]["source"].get<std::string>(),
                HasSubstr("policy.pdf p. 1: \"Gäller för: alla förvaltningar, kommunens bolag och förtroendevalda\""));
    // The board report quotes the words behind a failing finding (LIS-015: decided in 2025, the
    // survey asks about 2024).
    EXPECT_EQ(finding(s.report, "LIS-015", "risk")["status"], "fail");
    EXPECT_NE(s.html.find("riskuppfoljning.odt sidhuvud/sidfot 1: &quot;Beslutad av Socialnämnden den 3 mars 2025, "
                          "§ 14&quot;"),
              std::string::npos);
}

TEST(DocumentsCliTest, PolicyWithoutItsDecisionLineFailsNotStated) {
    const Scan s = scan_with("policy-utan-beslut.pdf", "riskuppfoljning.odt", "ledningens-genomgang.pdf");
    const auto lis002 = finding(s.report, "LIS-002", "policy");
    EXPECT_EQ(lis002["status"], "fail") << lis002.dump(2);
    EXPECT_THAT(lis002["message"].get<std::string>(), HasSubstr("not stated"));
}

TEST(DocumentsCliTest, ScannedPdfIsAnErrorWithTheReason) {
    const Scan s = scan_with("skannad.pdf", "riskuppfoljning.odt", "ledningens-genomgang.pdf");
    EXPECT_EQ(s.status, 3) << s.output;  // scan incomplete
    const auto lis002 = finding(s.report, "LIS-002", "policy");
    EXPECT_EQ(lis002["status"], "error") << lis002.dump(2);
    EXPECT_THAT(lis002["message"].get<std::string>(), HasSubstr("scanned PDF without a text layer"));
}

TEST(DocumentsCliTest, AttestedSidecarIsShownButDoesNotSatisfyRequireDocument) {
    TempDir dir;
    setenv("LISA_HISTORY", dir.file("history.db").c_str(), 1);
    const std::string pdf = read_file(kDocs + "skannad.pdf");
    write_file(dir.file("skannad.pdf"), pdf);
    std::string sha;
    ASSERT_EQ(run_command({"sh", "-c", "sha256sum \"$0\" | cut -c1-64", dir.file("skannad.pdf")}, &sha), 0);
    sha.erase(sha.find_last_not_of("\n") + 1);
    write_file(dir.file("skannad.pdf.lisa.yaml"), "sha256: " + sha + "\nattesterad_av: Registrator\n"
                                                  "beslutad: 2024-12-12\nbeslutad_av: Kommunfullmäktige\n"
                                                  "diarienummer: KS 2024/000123\n");
    write_file(dir.file("inv.yaml"), "organization: { name: Exempelkommun, population: 5000 }\n"
                                     "isms:\n  documents:\n"
                                     "    - { id: policy, role: informationssakerhetspolicy, path: skannad.pdf }\n");
    std::string out;
    run_command({LISA_BINARY, "scan", "--inventory", dir.file("inv.yaml"), "--as-of", kAsOf, "--format", "json",
                 "--output", dir.file("r.json")},
                &out);
    const auto report = nlohmann::json::parse(read_file(dir.file("r.json")), nullptr, false);
    const auto lis002 = finding(report, "LIS-002", "policy");
    EXPECT_EQ(lis002["status"], "fail") << lis002.dump(2);
    EXPECT_THAT(lis002["message"].get<std::string>(), HasSubstr("is only attested, the rule requires document evidence"));
    EXPECT_EQ(lis002["evidence"]["document.beslutad"]["provenance"], "attested");
}

TEST(DocumentsCliTest, ProbeCommandShowsTheQuotedLines) {
    std::string out;
    const int rc = run_command({LISA_BINARY, "probe", "document", kDocs + "protokollsutdrag.pdf", "--as-of", kAsOf}, &out);
    EXPECT_EQ(rc, 0) << out;
    const auto j = nlohmann::json::parse(out, nullptr, false);
    ASSERT_TRUE(j.is_object()) << out;
    EXPECT_EQ(j["facts"]["document.beslutad"]["value"], "2022-10-31");
    EXPECT_EQ(j["facts"]["document.beslutad_av"]["value"], "kommunfullmäktige");
    EXPECT_THAT(j["facts"]["document.beslutad"]["source"].get<std::string>(),
                HasSubstr("Kommunfullmäktige beslutar att anta"));
}

}  // namespace

namespace {

// A scan's text (stdout) and HTML report in `lang`, of documents given as (id, role, file) by path.
struct Worded {
    std::string text;
    std::string html;
};

Worded scan_in(const std::string& lang, const std::string& inventory, const std::vector<std::string>& extra) {
    TempDir dir;
    write_file(dir.file("inv.yaml"), inventory);
    std::vector<std::string> args{LISA_BINARY, "scan", "--inventory", dir.file("inv.yaml"), "--no-history", "--lang", lang,
                                  "--format", "text", "--format", "html", "--output-dir", dir.path()};
    args.insert(args.end(), extra.begin(), extra.end());
    Worded w;
    run_command(args, &w.text);
    w.html = read_file(dir.file("report.html"));
    return w;
}

// The new user's board report: document sources read "p. 1" and "(disagrees: … says …)" in a
// Swedish report. The JSON keeps the probe's words (the goldens above); the Swedish text and HTML
// say "s. 1", "(motsägs av: … som anger …)", and list document.conflicts in Swedish. Both documents
// are fixed files and the date is fixed, so the verdicts do not move with the calendar: at
// 2026-06-01 both decisions are more than 365 days old, so LIS-007 fails and the HTML shows its facts.
TEST(DocumentsCliTest, SwedishReportsWordDocumentSourcesAndConflictsInSwedish) {
    const std::string inventory = "organization: { name: Exempelkommun, population: 5000 }\n"
                                  "isms:\n  documents:\n"
                                  "    - { id: pdf, role: riskuppfoljning, path: \"" + kDocs + "policy.pdf\" }\n"
                                  "    - { id: odt, role: riskuppfoljning, path: \"" + kDocs + "riskuppfoljning.odt\" }\n";
    const Worded sv = scan_in("sv", inventory, {"--as-of", "2026-06-01"});
    // A PDF page: "s. 1", the quoted words as the document has them.
    EXPECT_THAT(sv.html, HasSubstr("policy.pdf s. 1: &quot;Fastställd av kommunfullmäktige den 12 december 2024, § 129&quot;"));
    EXPECT_THAT(sv.html, Not(HasSubstr("policy.pdf p. 1")));
    // Text and metadata disagree: the winning fact's source, in Swedish.
    EXPECT_THAT(sv.html, HasSubstr("riskuppfoljning.odt sidhuvud/sidfot 1: &quot;Beslutad av Socialnämnden den 3 mars 2025, "
                                   "§ 14&quot; (motsägs av: metadata Beslutsdatum: &quot;Beslutsdatum: 2025-03-10&quot; "
                                   "som anger 2025-03-10)"));
    EXPECT_THAT(sv.html, Not(HasSubstr("disagrees")));
    EXPECT_THAT(sv.html, Not(HasSubstr(" says ")));
    // document.conflicts beside the facts, worded in Swedish, in the HTML and in the text report.
    const std::string conflict = "dokumentets beslutsdatum: sidhuvud/sidfot 1: \"Beslutad av Socialnämnden den 3 mars 2025, "
                                 "§ 14\" anger 2025-03-03, metadata Beslutsdatum: \"Beslutsdatum: 2025-03-10\" anger 2025-03-10";
    EXPECT_THAT(sv.html, HasSubstr("motstridiga uppgifter i dokumentet</span> = <span class=\"val\">dokumentets beslutsdatum: "
                                   "sidhuvud/sidfot 1: &quot;Beslutad av Socialnämnden"));
    EXPECT_THAT(sv.text, HasSubstr("Motstridiga uppgifter i dokumenten\n    odt\n      " + conflict + "\n"));
    EXPECT_THAT(sv.text, Not(HasSubstr("says")));
    // The English report says it in English: a page is "p.", a header/footer is not "sidhuvud".
    const Worded en = scan_in("en", inventory, {"--as-of", "2026-06-01"});
    EXPECT_THAT(en.html, HasSubstr("policy.pdf p. 1: &quot;Fastställd av kommunfullmäktige"));
    EXPECT_THAT(en.html, HasSubstr("riskuppfoljning.odt header/footer 1: &quot;Beslutad av Socialnämnden den 3 mars 2025, "
                                   "§ 14&quot; (disagrees: metadata Beslutsdatum: &quot;Beslutsdatum: 2025-03-10&quot; "
                                   "says 2025-03-10)"));
    EXPECT_THAT(en.text, HasSubstr("Statements in the documents that disagree\n    odt\n      the document's decision date: "
                                   "header/footer 1: \"Beslutad av Socialnämnden den 3 mars 2025, § 14\" says 2025-03-03"));
}

// A decision dated after the audit date is "in the future", not "too old". The date is made from
// the clock (the scan's as_of is today), so the test holds on any day and with the clock moved.
TEST(DocumentsCliTest, ADecisionDatedAfterTheAuditDateIsSaidToBeInTheFuture) {
    TempDir dir;
    const std::string future = lisa::testing_support::today_iso(400);
    write_file(dir.file("risk.md"), "---\nbeslutad: " + future + "\nbeslutad_av: kommunstyrelsen\n---\n# Riskuppföljning\n");
    const std::string inventory = "organization: { name: Exempelkommun, population: 5000 }\n"
                                  "isms:\n  documents:\n"
                                  "    - { id: risk, role: riskuppfoljning, path: \"" + dir.file("risk.md") + "\" }\n";
    const Worded sv = scan_in("sv", inventory, {});
    const std::string said = "Dokumentets beslutsdatum är " + future + ", som ligger i framtiden (granskningsdagen är " +
                             lisa::testing_support::today_iso() + ")";
    EXPECT_THAT(sv.text, HasSubstr(said));
    EXPECT_THAT(sv.html, HasSubstr(said));
    EXPECT_THAT(sv.text, Not(HasSubstr("dagar bakåt i tiden")));
}

}  // namespace
