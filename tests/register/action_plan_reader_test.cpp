// SPDX-License-Identifier: Apache-2.0
// Issue 16 item 9 without the binary: the filled-in plan checked cell by cell
// (read_action_plan_table), and the plan carried into a report (apply_action_plan) with the
// state of each action for every finding status.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lisa/register/action_plan.hpp"
#include "lisa/report/action_plan.hpp"

namespace lisa {
namespace {

using ::testing::ElementsAre;

reg::Table plan_table(std::vector<std::vector<std::string>> rows, std::string sheet = reg::kActionPlanSheet) {
    reg::Table t;
    t.sheet = std::move(sheet);
    t.rows = {{"Åtgärdsnyckel", "Regel", "Ansvarig", "Deadline", "Status", "Kommentar"}};
    t.rows.insert(t.rows.end(), rows.begin(), rows.end());
    return t;
}

std::vector<std::string> located(const reg::ActionPlanRead& read) {
    std::vector<std::string> out;
    for (const auto& p : read.problems) out.push_back(p.cell() + ": " + p.message);
    return out;
}

TEST(ActionPlanReader, ReadsRowsByColumnTitleAndSkipsEmptyRows) {
    const auto read = reg::read_action_plan_table(plan_table({
        {"AD-001:ad", "AD-001", " Anna Ek ", "2027-01-31", "Pågår", "SITHS beställt"},
        {},
        {"", "KAT-003"},  // lisa's columns only: a row the municipality did not touch
        {"KAT-003:ad", "", "", "", "", ""},
    }));
    EXPECT_TRUE(read.problems.empty()) << located(read).front();
    ASSERT_EQ(read.rows.size(), 2U);
    EXPECT_EQ(read.rows[0].owner, "Anna Ek");
    EXPECT_EQ(read.rows[0].deadline, "2027-01-31");
    EXPECT_EQ(read.rows[0].row, 2U);
    EXPECT_EQ(read.rows[0].rule, "AD-001");
    EXPECT_EQ(read.rows[0].subject, "ad");
    EXPECT_EQ(read.rows[1].key, "KAT-003:ad");
    EXPECT_EQ(read.rows[1].row, 5U);
}

TEST(ActionPlanReader, EveryProblemAtItsCell) {
    const auto read = reg::read_action_plan_table(plan_table(
        {
            {"AD-001", "", "", "", "", ""},                       // no colon
            {"AD-002:ad", "", "", "31/12/2026", "Klar", ""},      // a date in another form
            {"AD-003:ad", "", "", "2026-13-01", "klar", ""},      // no month 13; case matters
            {"AD-002:ad", "", "", "", "", ""},                    // twice
            {"", "", "Bo", "", "", ""},                           // content without a key
            {":ad", "", "", "", "Pågår", ""},                     // empty rule
        },
        "Blad1"));
    EXPECT_THAT(located(read),
                ElementsAre("A1: the first sheet is 'Blad1', not 'Åtgärdsplan': give the action plan lisa wrote "
                            "(--format actionplan-xlsx)",
                            "A2: not an action key (RULE:SUBJECT): 'AD-001'",
                            "D3: the deadline '31/12/2026' is not a date: enter a date cell or YYYY-MM-DD",
                            "D4: the deadline '2026-13-01' is not a date: enter a date cell or YYYY-MM-DD",
                            "E4: unknown status 'klar' (expected one of: Ej påbörjad, Pågår, Klar, Riskaccepterad)",
                            "A5: the action key 'AD-002:ad' is given twice (also in row 3)",
                            "A6: a row with an owner, deadline, status or comment but no action key",
                            "A7: not an action key (RULE:SUBJECT): ':ad'"));
    EXPECT_TRUE(read.rows.empty());
}

TEST(ActionPlanReader, MissingColumnTitlesAreNamed) {
    reg::Table t;
    t.sheet = reg::kActionPlanSheet;
    t.rows = {{"Åtgärdsnyckel", "Ansvarig"}, {"AD-001:ad", "Anna"}};
    const auto read = reg::read_action_plan_table(t);
    EXPECT_THAT(located(read), ElementsAre("A1: no column titled 'Deadline' in row 1", "A1: no column titled 'Status' in row 1",
                                           "A1: no column titled 'Kommentar' in row 1"));
    EXPECT_EQ(reg::column_name(1), "A");
    EXPECT_EQ(reg::column_name(26), "Z");
    EXPECT_EQ(reg::column_name(27), "AA");
    const auto garbage = reg::read_action_plan("not a zip");
    ASSERT_EQ(garbage.problems.size(), 1U);
    EXPECT_EQ(garbage.problems[0].cell(), "A1");
}

TEST(ActionPlanApply, StateFollowsTheFindingAndTheDeadline) {
    ReportDocument doc;
    doc.run.as_of = "2026-11-22";
    auto finding = [&](const char* rule, Status status) {
        ReportFinding f;
        f.rule = rule;
        f.subject = "ad";
        f.status = status;
        doc.findings.push_back(f);
    };
    finding("R-FAIL", Status::Fail);
    finding("R-ERR", Status::Error);
    finding("R-WAIVED", Status::Waived);
    finding("R-PASS", Status::Pass);
    finding("R-NA", Status::NotApplicable);
    auto in = [](const char* key, const char* deadline) {
        ActionInput a;
        a.key = key;
        const auto parts = reg::split_action_key(key);
        a.rule = parts->first;
        a.subject = parts->second;
        a.deadline = deadline;
        return a;
    };
    apply_action_plan(doc, {in("R-FAIL:ad", "2026-11-21"), in("R-ERR:ad", "2026-11-22"), in("R-WAIVED:ad", "2026-01-01"),
                            in("R-PASS:ad", "2026-01-01"), in("R-NA:ad", ""), in("R-GONE:ad", "2026-01-01"),
                            in("R-FAIL:ad", "")});
    std::vector<std::string> states;
    for (const auto& a : doc.actions) states.push_back(std::string(to_string(a.state)));
    // The day before the audit is past; the audit day itself is not.
    EXPECT_THAT(states, ElementsAre("overdue", "open", "overdue", "closed", "closed", "closed", "open"));
    // The export's rows: the actionable findings first, then the plan's closed ones.
    std::vector<std::string> rows;
    for (const auto* f : action_rows(doc)) rows.push_back(f->rule);
    EXPECT_THAT(rows, ElementsAre("R-ERR", "R-FAIL", "R-WAIVED", "R-PASS", "R-NA"));
}

}  // namespace
}  // namespace lisa
