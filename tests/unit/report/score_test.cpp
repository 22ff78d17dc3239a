// SPDX-License-Identifier: Apache-2.0
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lisa/report/score.hpp"
#include "support/test_support.hpp"

namespace lisa {
namespace {

class ScoreTest : public ::testing::Test {
protected:
    int add_rule(const std::string& id, const std::string& area, Severity severity,
                 bool scored = true) {
        Rule r;
        r.id = id;
        r.area = area;
        r.severity = severity;
        r.scored = scored;
        rules_.push_back(r);
        return static_cast<int>(rules_.size()) - 1;
    }
    void add(int rule, Status status, int count = 1) {
        for (int i = 0; i < count; ++i) {
            Finding f;
            f.rule = rule;
            f.subject = next_subject_++;
            f.status = status;
            f.unwaived = status == Status::Waived ? Status::Fail : status;
            findings_.push_back(f);
        }
    }
    Score score() const { return compute_score(rules_, findings_); }
    static const AreaScore* area(const Score& s, const std::string& id) {
        for (const auto& a : s.areas) {
            if (a.id == id) {
                return &a;
            }
        }
        return nullptr;
    }
    static int count(const AreaScore& a, Status s) { return a.by_status[static_cast<std::size_t>(s)]; }

    std::vector<Rule> rules_;
    std::vector<Finding> findings_;
    int next_subject_ = 0;
};

/*
 * Worked example (DESIGN §7; the README copies it):
 *
 *   area "isms":
 *     rule A  critical (weight 10)  3 subjects: 2 pass, 1 fail   -> share 2/3
 *     rule B  high     (weight 6)   1 pass, 1 error              -> share 1/1 = 1
 *     rule C  medium   (weight 3)   1 fail, 1 waived             -> share 0/1 = 0
 *     rule D  low      (weight 1)   only not_applicable          -> outside the score
 *
 *   area score = 100 × (10 × 2/3 + 6 × 1 + 3 × 0) / (10 + 6 + 3)
 *              = 100 × 12.6667 / 19 = 66.67
 *
 *   coverage: judged pairs = pass + fail + waived = (2 + 1) + 1 + (1 + 1) = 6, error pairs = 1
 *             -> 6 / 7 = 0.86 (rounded to two decimals)
 *
 *   without waivers rule C's waived subject counts as the fail it is: share 0/2 = 0,
 *   so the score without waivers is the same 66.67.
 */
TEST_F(ScoreTest, WorkedExample) {
    const int a = add_rule("A", "isms", Severity::Critical);
    const int b = add_rule("B", "isms", Severity::High);
    const int c = add_rule("C", "isms", Severity::Medium);
    const int d = add_rule("D", "isms", Severity::Low);
    add(a, Status::Pass, 2);
    add(a, Status::Fail);
    add(b, Status::Pass);
    add(b, Status::Error);
    add(c, Status::Fail);
    add(c, Status::Waived);
    add(d, Status::NotApplicable, 2);

    const Score s = score();
    ASSERT_EQ(s.areas.size(), 1U);
    const AreaScore& isms = s.areas.front();
    EXPECT_EQ(isms.id, "isms");
    ASSERT_TRUE(isms.score.has_value());
    EXPECT_DOUBLE_EQ(*isms.score, 66.67);
    ASSERT_TRUE(isms.score_without_waivers.has_value());
    EXPECT_DOUBLE_EQ(*isms.score_without_waivers, 66.67);
    EXPECT_NEAR(isms.coverage, 6.0 / 7.0, 0.005);
    // Regression: coverage once rounded the percentage (0.8571) instead of the fraction (0.86).
    EXPECT_DOUBLE_EQ(isms.coverage, 0.86);
    EXPECT_EQ(isms.rules_judged, 3);                // A, B, C; D had no pass or fail
    EXPECT_EQ(count(isms, Status::Pass), 3);
    EXPECT_EQ(count(isms, Status::Fail), 2);
    EXPECT_EQ(count(isms, Status::Error), 1);
    EXPECT_EQ(count(isms, Status::NotApplicable), 2);
    EXPECT_EQ(count(isms, Status::Waived), 1);

    // One area: overall is the same.
    EXPECT_EQ(s.overall.id, "overall");
    EXPECT_EQ(s.overall.score, isms.score);
    EXPECT_EQ(s.overall.score_without_waivers, isms.score_without_waivers);
    EXPECT_DOUBLE_EQ(s.overall.coverage, isms.coverage);
    EXPECT_EQ(s.overall.by_status, isms.by_status);
}

TEST_F(ScoreTest, ErrorNotApplicableAndWaivedAreOutsideTheShare) {
    const int r = add_rule("R", "a", Severity::High);
    add(r, Status::Pass);
    add(r, Status::Error, 3);
    add(r, Status::NotApplicable, 3);
    add(r, Status::Waived, 3);
    const Score s = score();
    EXPECT_DOUBLE_EQ(*s.overall.score, 100.0);
    // Waived counted as fail: 1 / (1 + 3).
    EXPECT_DOUBLE_EQ(*s.overall.score_without_waivers, 25.0);
}

TEST_F(ScoreTest, RuleWithNoJudgedSubjectIsOutsideTheScore) {
    const int judged = add_rule("J", "a", Severity::Low);
    const int errors = add_rule("E", "a", Severity::Critical);
    const int na = add_rule("N", "a", Severity::Critical);
    add(judged, Status::Pass);
    add(errors, Status::Error, 2);
    add(na, Status::NotApplicable);
    const Score s = score();
    EXPECT_DOUBLE_EQ(*s.overall.score, 100.0);  // not diluted by the critical rules
    EXPECT_EQ(s.overall.rules_judged, 1);
}

TEST_F(ScoreTest, InfoOnlyAreaHasNoScore) {
    const int info = add_rule("I", "inventering", Severity::Info);
    const int other = add_rule("O", "isms", Severity::High);
    add(info, Status::Pass);
    add(info, Status::Fail);
    add(other, Status::Fail);
    const Score s = score();
    const AreaScore* inventering = area(s, "inventering");
    ASSERT_NE(inventering, nullptr);
    EXPECT_FALSE(inventering->score.has_value());
    EXPECT_FALSE(inventering->score_without_waivers.has_value());
    EXPECT_EQ(count(*inventering, Status::Fail), 1);
    // Info weighs nothing overall either.
    EXPECT_DOUBLE_EQ(*s.overall.score, 0.0);
}

TEST_F(ScoreTest, AreaWithOnlyNotApplicableHasNoScore) {
    const int r = add_rule("R", "a", Severity::High);
    add(r, Status::NotApplicable, 2);
    const Score s = score();
    ASSERT_EQ(s.areas.size(), 1U);
    EXPECT_FALSE(s.areas[0].score.has_value());
    EXPECT_FALSE(s.overall.score.has_value());
    EXPECT_DOUBLE_EQ(s.areas[0].coverage, 1.0);
}

TEST_F(ScoreTest, CoverageIsJudgedOverJudgedPlusError) {
    const int r = add_rule("R", "a", Severity::High);
    add(r, Status::Pass, 2);
    add(r, Status::Fail);
    add(r, Status::Error);
    add(r, Status::NotApplicable, 5);  // not a pair that could have been judged
    EXPECT_DOUBLE_EQ(score().overall.coverage, 0.75);
}

TEST_F(ScoreTest, CoverageWithoutFindingsIsComplete) {
    (void)add_rule("R", "a", Severity::High);
    const Score s = score();
    EXPECT_DOUBLE_EQ(s.overall.coverage, 1.0);
    EXPECT_FALSE(s.overall.score.has_value());
}

TEST_F(ScoreTest, ScoreWithoutWaiversCountsWaivedAsFail) {
    const int r = add_rule("R", "a", Severity::Medium);
    add(r, Status::Pass);
    add(r, Status::Waived);
    const Score s = score();
    EXPECT_DOUBLE_EQ(*s.overall.score, 100.0);
    EXPECT_DOUBLE_EQ(*s.overall.score_without_waivers, 50.0);
}

TEST_F(ScoreTest, OnlyWaivedRuleCountsOnlyWithoutWaivers) {
    const int waived = add_rule("W", "a", Severity::High);  // only waived subjects
    const int passing = add_rule("P", "a", Severity::High);
    add(waived, Status::Waived, 2);
    add(passing, Status::Pass);
    const Score s = score();
    EXPECT_DOUBLE_EQ(*s.overall.score, 100.0);                // W outside: no pass, no fail
    EXPECT_DOUBLE_EQ(*s.overall.score_without_waivers, 50.0);  // W share 0, weight 6
}

TEST_F(ScoreTest, UnscoredRulesAreLeftOutOfTheScoreButCounted) {
    const int scored = add_rule("S", "a", Severity::Low);
    const int unscored = add_rule("U", "a", Severity::Critical, /*scored=*/false);
    const int elsewhere = add_rule("X", "b", Severity::Critical, /*scored=*/false);
    add(scored, Status::Pass);
    add(unscored, Status::Fail, 5);
    add(unscored, Status::Error, 5);
    add(elsewhere, Status::Fail);
    const Score s = score();
    EXPECT_DOUBLE_EQ(*s.overall.score, 100.0);
    EXPECT_DOUBLE_EQ(s.overall.coverage, 1.0);
    EXPECT_EQ(s.overall.rules_judged, 1);
    // adfix item 7: the counts are every finding the report lists, scored or not, so the
    // headline, findings_by_status, the findings list and JUnit agree.
    EXPECT_EQ(count(s.overall, Status::Pass), 1);
    EXPECT_EQ(count(s.overall, Status::Fail), 6);
    EXPECT_EQ(count(s.overall, Status::Error), 5);
    EXPECT_EQ(count(*area(s, "a"), Status::Fail), 5);
    // An area with only unscored rules is counted but has no score.
    ASSERT_NE(area(s, "b"), nullptr);
    EXPECT_FALSE(area(s, "b")->score.has_value());
    EXPECT_EQ(count(*area(s, "b"), Status::Fail), 1);
}

TEST_F(ScoreTest, OverallWeighsRulesNotAreas) {
    const int a = add_rule("A", "a", Severity::Critical);
    const int b = add_rule("B", "b", Severity::Low);
    add(a, Status::Pass);
    add(b, Status::Fail);
    const Score s = score();
    EXPECT_DOUBLE_EQ(*area(s, "a")->score, 100.0);
    EXPECT_DOUBLE_EQ(*area(s, "b")->score, 0.0);
    EXPECT_DOUBLE_EQ(*s.overall.score, 90.91);  // 100 × 10 / 11, not the mean of the areas (50)
    EXPECT_EQ(s.areas[0].id, "a");  // sorted by id
    EXPECT_EQ(s.areas[1].id, "b");
}

struct WeightCase {
    Severity severity;
    int weight;
};

class SeverityWeightTest : public ::testing::TestWithParam<WeightCase> {};

TEST_P(SeverityWeightTest, MatchesDesign) {
    EXPECT_EQ(severity_weight(GetParam().severity), GetParam().weight);
    EXPECT_EQ(severity_from_string(to_string(GetParam().severity)), GetParam().severity);
}

INSTANTIATE_TEST_SUITE_P(Weights, SeverityWeightTest,
                         ::testing::Values(WeightCase{Severity::Critical, 10},
                                           WeightCase{Severity::High, 6},
                                           WeightCase{Severity::Medium, 3},
                                           WeightCase{Severity::Low, 1},
                                           WeightCase{Severity::Info, 0}),
                         [](const ::testing::TestParamInfo<WeightCase>& p) {
                             return std::string(to_string(p.param.severity));
                         });

TEST(Round2Test, RoundsHalfAwayFromZeroToTwoDecimals) {
    EXPECT_DOUBLE_EQ(round2(66.66666), 66.67);
    EXPECT_DOUBLE_EQ(round2(0.0), 0.0);
    EXPECT_DOUBLE_EQ(round2(100.0), 100.0);
    EXPECT_DOUBLE_EQ(round2(90.909090), 90.91);
    EXPECT_DOUBLE_EQ(round2(12.344), 12.34);
}

}  // namespace
}  // namespace lisa
