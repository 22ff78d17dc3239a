// SPDX-License-Identifier: Apache-2.0
// Page one for the board (report/page_one.hpp): the verdict's edges and the ranking of the risks.
#include <gtest/gtest.h>

#include <sstream>

#include "lisa/report/document.hpp"
#include "lisa/report/page_one.hpp"

namespace lisa {
namespace {

BoardTarget target(std::optional<double> score, std::optional<double> amber = std::nullopt) {
    BoardTarget t;
    t.target_score = score;
    t.amber_from = amber;
    return t;
}

UncheckedShare share(std::size_t unchecked, std::size_t total) {
    UncheckedShare s;
    s.unchecked = unchecked;
    s.total = total;
    return s;
}

TEST(BoardVerdict, ExactlyTheTargetIsGreen) {
    const auto v = board_verdict(85.0, share(0, 100), target(85, 70));
    EXPECT_EQ(v.verdict, BoardVerdict::Green);
    EXPECT_FALSE(v.tempered);
}

TEST(BoardVerdict, JustBelowTheTargetIsAmberAndExactlyAmberFromIsAmber) {
    EXPECT_EQ(board_verdict(84.99, share(0, 100), target(85, 70)).verdict, BoardVerdict::Amber);
    EXPECT_EQ(board_verdict(70.0, share(0, 100), target(85, 70)).verdict, BoardVerdict::Amber);
    EXPECT_EQ(board_verdict(69.99, share(0, 100), target(85, 70)).verdict, BoardVerdict::Red);
}

TEST(BoardVerdict, WithoutAnAmberBandBelowTheTargetIsRed) {
    EXPECT_EQ(board_verdict(84.0, share(0, 100), target(85)).verdict, BoardVerdict::Red);
    EXPECT_EQ(board_verdict(85.0, share(0, 100), target(85)).verdict, BoardVerdict::Green);
}

TEST(BoardVerdict, ExactlyTenPercentUncheckedIsNotTempered) {
    const auto v = board_verdict(90.0, share(10, 100), target(85, 70));
    EXPECT_EQ(v.verdict, BoardVerdict::Green);
    EXPECT_FALSE(v.tempered);
}

TEST(BoardVerdict, MoreThanTenPercentUncheckedMakesGreenAmber) {
    const auto v = board_verdict(90.0, share(11, 100), target(85, 70));
    EXPECT_EQ(v.verdict, BoardVerdict::Amber);
    EXPECT_TRUE(v.tempered);
    // Only a green is tempered: amber and red stay what the score makes them.
    EXPECT_FALSE(board_verdict(75.0, share(50, 100), target(85, 70)).tempered);
    EXPECT_EQ(board_verdict(50.0, share(50, 100), target(85, 70)).verdict, BoardVerdict::Red);
}

TEST(BoardVerdict, NoTargetIsNotJudged) {
    EXPECT_EQ(board_verdict(99.0, share(0, 100), target(std::nullopt)).verdict, BoardVerdict::NoTarget);
    EXPECT_EQ(board_verdict(std::nullopt, share(0, 0), target(std::nullopt)).verdict, BoardVerdict::NoTarget);
}

TEST(BoardVerdict, NoScoreIsRed) {
    const auto v = board_verdict(std::nullopt, share(5, 5), target(85, 70));
    EXPECT_EQ(v.verdict, BoardVerdict::Red);
    EXPECT_FALSE(v.tempered);
}

TEST(UncheckedShareOf, CountsErrorsOfTheFindingsThatApply) {
    ReportDocument doc;
    for (const Status s : {Status::Pass, Status::Fail, Status::Error, Status::NotApplicable, Status::Waived}) {
        ReportFinding f;
        f.status = s;
        doc.findings.push_back(f);
    }
    const UncheckedShare s = unchecked_share(doc);
    EXPECT_EQ(s.unchecked, 1U);
    EXPECT_EQ(s.total, 4U);
    EXPECT_DOUBLE_EQ(s.share(), 0.25);
    EXPECT_DOUBLE_EQ(UncheckedShare{}.share(), 0.0);
}

ReportFinding failing(const std::string& rule, Severity severity, const std::string& subject,
                      std::optional<std::string> system = std::nullopt,
                      std::optional<std::string> owner = std::nullopt) {
    ReportFinding f;
    f.rule = rule;
    f.status = Status::Fail;
    f.severity = severity;
    f.subject = subject;
    f.system = std::move(system);
    f.owner = std::move(owner);
    return f;
}

TEST(TopRisks, CriticalFirstThenMoreFindingsThenRuleAndPlace) {
    ReportDocument doc;
    doc.findings.push_back(failing("R-MED", Severity::Medium, "a", "a"));
    doc.findings.push_back(failing("R-HIGH", Severity::High, "b", "b"));
    doc.findings.push_back(failing("R-HIGH2", Severity::High, "a/x", "a"));
    doc.findings.push_back(failing("R-HIGH2", Severity::High, "a/y", "a"));
    doc.findings.push_back(failing("R-CRIT", Severity::Critical, "ad/admins"));
    const auto risks = top_risks(doc);
    ASSERT_EQ(risks.size(), 4U);
    EXPECT_EQ(risks[0].rule, "R-CRIT");
    EXPECT_EQ(risks[0].place, "ad");  // outside a system: the top subject
    EXPECT_EQ(risks[1].rule, "R-HIGH2");  // two findings on system a outrank one
    EXPECT_EQ(risks[1].findings, 2U);
    EXPECT_EQ(risks[2].rule, "R-HIGH");
    EXPECT_EQ(risks[3].rule, "R-MED");
}

TEST(TopRisks, TiesAreBrokenByRuleIdThenPlace) {
    ReportDocument doc;
    doc.findings.push_back(failing("R-2", Severity::High, "b", "b"));
    doc.findings.push_back(failing("R-1", Severity::High, "b", "b"));
    doc.findings.push_back(failing("R-1", Severity::High, "a", "a"));
    const auto risks = top_risks(doc);
    ASSERT_EQ(risks.size(), 3U);
    EXPECT_EQ(risks[0].rule + "@" + risks[0].place, "R-1@a");
    EXPECT_EQ(risks[1].rule + "@" + risks[1].place, "R-1@b");
    EXPECT_EQ(risks[2].rule + "@" + risks[2].place, "R-2@b");
}

TEST(TopRisks, AtMostFiveAndOnlyFailures) {
    ReportDocument doc;
    for (int i = 0; i < 8; ++i) {
        doc.findings.push_back(failing("R-" + std::to_string(i), Severity::Low, "s", "s"));
    }
    ReportFinding error = failing("R-ERR", Severity::Critical, "s", "s");
    error.status = Status::Error;
    doc.findings.push_back(error);
    ReportFinding waived = failing("R-WAIVED", Severity::Critical, "s", "s");
    waived.status = Status::Waived;
    doc.findings.push_back(waived);
    const auto risks = top_risks(doc);
    ASSERT_EQ(risks.size(), 5U);
    EXPECT_EQ(risks.front().rule, "R-0");
    EXPECT_EQ(risks.back().rule, "R-4");
    EXPECT_EQ(top_risks(doc, 2).size(), 2U);
    EXPECT_TRUE(top_risks(ReportDocument{}).empty());
}

TEST(TopRisks, TheOwnerIsTheFirstNamedAndThePlaceHasItsName) {
    ReportDocument doc;
    doc.findings.push_back(failing("R-1", Severity::High, "ad/g1"));
    doc.findings.push_back(failing("R-1", Severity::High, "ad/g2", std::nullopt, std::string("IT-chefen")));
    ReportFinding place = failing("R-0", Severity::Low, "ad", std::nullopt, std::string("IT-chefen"));
    place.status = Status::Pass;
    place.subject_name = "Kommunens katalog";
    doc.findings.push_back(place);
    doc.findings.push_back(failing("R-2", Severity::High, "org"));
    const auto risks = top_risks(doc);
    ASSERT_EQ(risks.size(), 2U);
    EXPECT_EQ(risks[0].owner.value_or("none"), "IT-chefen");
    EXPECT_EQ(risks[0].place_name, "Kommunens katalog");
    EXPECT_FALSE(risks[1].owner.has_value());  // no finding names one: page one says so in words
    EXPECT_EQ(risks[1].place_name, "");
}

TEST(BoardTargetJson, RoundTripsThroughTheReport) {
    ReportDocument doc;
    doc.board_target = target(85, 70.5);
    std::ostringstream out;
    to_json(doc, out);
    auto back = report_from_json(out.str());
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back.value().board_target.target_score.value_or(-1), 85);
    EXPECT_EQ(back.value().board_target.amber_from.value_or(-1), 70.5);
    std::ostringstream none;
    to_json(ReportDocument{}, none);
    EXPECT_EQ(none.str().find("board_target"), std::string::npos) << "additive: absent without a target";
}

}  // namespace
}  // namespace lisa
