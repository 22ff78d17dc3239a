// SPDX-License-Identifier: Apache-2.0
// diff_reports on typed reports: every transition lands in exactly one list (or none), and area
// and overall scores are paired by id.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "lisa/report/diff.hpp"

namespace lisa {
namespace {

ReportFinding finding(const std::string& rule, const std::string& subject, Status status,
                      const std::string& message = {}) {
    ReportFinding f;
    f.rule = rule;
    f.subject = subject;
    f.status = status;
    f.severity = Severity::High;
    f.message = message;
    return f;
}

ReportDocument report(const std::string& as_of, std::vector<ReportFinding> findings,
                      std::optional<double> overall = std::nullopt) {
    ReportDocument doc;
    doc.run.as_of = as_of;
    doc.findings = std::move(findings);
    doc.score.overall.score = overall;
    return doc;
}

std::vector<std::string> keys(const std::vector<DiffEntry>& entries) {
    std::vector<std::string> out;
    for (const auto& e : entries) {
        out.push_back(e.rule + "/" + e.subject);
    }
    return out;
}

TEST(DiffReports, EachTransitionLandsInItsList) {
    const ReportDocument older = report("2025-11-22", {
        finding("A", "new", Status::NotApplicable),   // → fail: regressed
        finding("B", "x", Status::Pass),               // → fail: regressed
        finding("C", "x", Status::Fail),               // → fail: unchanged
        finding("D", "x", Status::Waived),             // → fail: unchanged
        finding("E", "x", Status::Fail),               // → pass: fixed
        finding("F", "x", Status::Waived),             // → pass: fixed
        finding("G", "x", Status::Pass),               // → error: new error
        finding("H", "x", Status::Error),              // → error: not new
        finding("I", "x", Status::Fail),               // → waived: unchanged
        finding("J", "x", Status::Error),              // → fail: new failure (no verdict before)
        finding("K", "x", Status::Pass),               // → pass: nothing
    });
    const ReportDocument newer = report("2026-11-22", {
        finding("A", "new", Status::Fail), finding("B", "x", Status::Fail), finding("C", "x", Status::Fail),
        finding("D", "x", Status::Fail), finding("E", "x", Status::Pass), finding("F", "x", Status::Pass),
        finding("G", "x", Status::Error), finding("H", "x", Status::Error), finding("I", "x", Status::Waived),
        finding("J", "x", Status::Fail, "now failing"), finding("K", "x", Status::Pass),
        finding("L", "added", Status::Fail),  // no pair before: new failure
    });
    const ReportDiff d = diff_reports(older, newer);
    EXPECT_EQ(d.old_as_of, "2025-11-22");
    EXPECT_EQ(d.new_as_of, "2026-11-22");
    EXPECT_THAT(keys(d.regressed), ::testing::ElementsAre("A/new", "B/x"));
    EXPECT_THAT(keys(d.unchanged), ::testing::ElementsAre("C/x", "D/x", "I/x"));
    EXPECT_THAT(keys(d.fixed), ::testing::ElementsAre("E/x", "F/x"));
    EXPECT_THAT(keys(d.new_errors), ::testing::ElementsAre("G/x"));
    EXPECT_THAT(keys(d.new_failures), ::testing::ElementsAre("J/x", "L/added"));
    EXPECT_EQ(d.new_failures[0].message, "now failing");
    EXPECT_EQ(d.new_failures[0].old_status, "error");
    EXPECT_EQ(d.new_failures[1].old_status, "");
    EXPECT_EQ(d.new_failures[1].severity, "high");
}

TEST(DiffReports, ScoresArePairedByAreaAndOverall) {
    ReportDocument older = report("2025-11-22", {}, 60.0);
    ReportDocument newer = report("2026-11-22", {}, 72.5);
    ReportArea tls;
    tls.result.id = "tls";
    tls.result.score = 50.0;
    ReportArea lis;
    lis.result.id = "lis";
    lis.result.score = 80.0;
    older.score.areas = {tls};
    tls.result.score = 75.0;
    newer.score.areas = {lis, tls};
    const ReportDiff d = diff_reports(older, newer);
    EXPECT_EQ(d.overall.old_score, 60.0);
    EXPECT_EQ(d.overall.new_score, 72.5);
    ASSERT_EQ(d.areas.size(), 2U);
    EXPECT_EQ(d.areas[0].id, "lis");
    EXPECT_FALSE(d.areas[0].old_score);
    EXPECT_EQ(d.areas[0].new_score, 80.0);
    EXPECT_EQ(d.areas[1].id, "tls");
    EXPECT_EQ(d.areas[1].old_score, 50.0);
    EXPECT_EQ(d.areas[1].new_score, 75.0);
    std::ostringstream json;
    write_diff_json(d, json);
    EXPECT_THAT(json.str(), ::testing::HasSubstr("\"old\": 60.0"));
    EXPECT_THAT(json.str(), ::testing::HasSubstr("\"new\": 72.5"));
}

TEST(DiffReports, AnIdenticalReportHasNoChanges) {
    const ReportDocument doc = report("2026-11-22", {finding("A", "x", Status::Fail), finding("B", "x", Status::Pass)});
    const ReportDiff d = diff_reports(doc, doc);
    EXPECT_TRUE(d.new_failures.empty());
    EXPECT_TRUE(d.regressed.empty());
    EXPECT_TRUE(d.fixed.empty());
    EXPECT_TRUE(d.new_errors.empty());
    EXPECT_EQ(d.unchanged.size(), 1U);
}


// The text speaks the reader's language from the label catalogue: areas by the pack's titles,
// statuses and severities in Swedish, a verdict worded from its result (never the fact name or
// the engine's English line), an error by its cause, and scores with a decimal comma.
TEST(DiffText, SwedishTextHasNoEnglishWordsFactNamesOrAreaIds) {
    ReportDocument older = report("2025-11-22", {finding("TLS-009", "webb/extern", Status::Pass),
                                                 finding("KAT-001", "ad", Status::Pass)},
                                  60.0);
    ReportFinding failing = finding("TLS-009", "webb/extern", Status::Fail, "tls.cert.days_left is 20, expected >= 30");
    failing.result.clauses.push_back({"tls.cert.days_left", "greater_or_equal", "30", "20", false});
    ReportFinding broken = finding("KAT-001", "ad", Status::Error, "connection refused");
    ReportDocument newer = report("2026-11-22", {failing, broken}, 72.5);
    ReportArea tls;
    tls.result.id = "tls";
    tls.result.score = 50.0;
    tls.title = Text{};
    tls.title->sv = "Kryptering i transit (TLS)";
    tls.title->en = "Encryption in transit (TLS)";
    older.score.areas = {tls};
    tls.result.score = 47.25;
    newer.score.areas = {tls};
    const ReportDiff d = diff_reports(older, newer);
    std::ostringstream sv;
    write_diff_text(d, Labels::builtin(), "sv", sv);
    const std::string text = sv.str();
    EXPECT_THAT(text, ::testing::HasSubstr("Förändringar från 2025-11-22 till 2026-11-22"));
    EXPECT_THAT(text, ::testing::HasSubstr("Kryptering i transit (TLS)  50,0 → 47,2 (-2,8)"));
    EXPECT_THAT(text, ::testing::HasSubstr("Totalt"));
    EXPECT_THAT(text, ::testing::HasSubstr("Försämrade (1)"));
    EXPECT_THAT(text, ::testing::HasSubstr("TLS-009  webb/extern  [hög] godkänd → underkänd"));
    EXPECT_THAT(text, ::testing::HasSubstr("Kunde inte kontrolleras nu (1)"));
    EXPECT_THAT(text, ::testing::HasSubstr("KAT-001  ad  [hög] godkänd → kunde inte kontrolleras"));
    for (const char* english : {"tls.cert", "expected", "pass", "fail", "high", "Score", "Regressed", "connection refused",
                                "  tls "}) {
        EXPECT_THAT(text, ::testing::Not(::testing::HasSubstr(english))) << english;
    }
    std::ostringstream en;
    write_diff_text(d, Labels::builtin(), "en", en);
    EXPECT_THAT(en.str(), ::testing::HasSubstr("Encryption in transit (TLS)  50.0 → 47.2 (-2.8)"));
    EXPECT_THAT(en.str(), ::testing::HasSubstr("TLS-009  webb/extern  [high] pass → fail"));
}

}  // namespace
}  // namespace lisa
