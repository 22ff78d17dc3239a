// SPDX-License-Identifier: Apache-2.0
// The audit library without the CLI: load (every diagnostic), run, build the report, trend and
// gates — the steps an embedder calls.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "lisa/audit/audit.hpp"
#include "process.hpp"

namespace lisa {
namespace {

using ::testing::HasSubstr;
using testing_support::TempDir;
using testing_support::write_file;

const std::string kRules = std::string(LISA_SOURCE_DIR) + "/rules";

// No endpoint, directory or document: nothing to probe, every rule judged from declarations.
constexpr const char* kInventory = R"yaml(
organization:
  name: Provby kommun
  municipality_code: "0180"
  population: 12000
systems:
  - id: journal
    name: Journalsystem
    verksamhetsomraden: [Barn och unga]
    roles: [myndighetsutövning]
    personal_data: true
    sensitive_personal_data: true
)yaml";

TEST(AuditLibrary, LoadsThePackAloneWithoutProblems) {
    const auto inputs = load_audit("", kRules);
    EXPECT_TRUE(inputs->diagnostics.empty());
    EXPECT_GT(inputs->rules.rules.size(), 50U);
    EXPECT_EQ(inputs->rule_pack_sha256.size(), 64U);
    EXPECT_TRUE(inputs->benchmarks);
    EXPECT_FALSE(inputs->frameworks.empty());
}

TEST(AuditLibrary, EveryProblemIsADiagnosticNeverAThrow) {
    TempDir dir;
    const auto missing = load_audit(dir.file("missing.yaml"), kRules);
    ASSERT_EQ(missing->diagnostics.items().size(), 1U);
    EXPECT_THAT(missing->diagnostics.items()[0].to_string(), HasSubstr("missing.yaml:1:1"));
    write_file(dir.file("bad.yaml"), "organization:\n  name: X\n  population: many\nsystems: 7\n");
    const auto bad = load_audit(dir.file("bad.yaml"), kRules);
    EXPECT_GE(bad->diagnostics.items().size(), 2U);  // both problems, one run
    const auto no_pack = load_audit("", dir.file("no-such-pack"));
    EXPECT_FALSE(no_pack->diagnostics.empty());
}

TEST(AuditLibrary, RunsAndBuildsTheReportWithoutTheCli) {
    TempDir dir;
    write_file(dir.file("inventory.yaml"), kInventory);
    const auto inputs = load_audit(dir.file("inventory.yaml"), kRules);
    ASSERT_TRUE(inputs->diagnostics.empty());
    ScanOptions options;
    options.as_of = Date::from_ymd(2026, 11, 22);
    apply_parameters(*inputs, options.as_of);
    ASSERT_TRUE(inputs->diagnostics.empty());
    RunStamp stamp{"test", "2026-11-22", "2026-11-22T00:00:00Z", "2026-11-22T00:00:00Z", "sv"};
    const auto run = run_audit(*inputs, options, stamp);
    EXPECT_TRUE(run->scan.probe_runs.empty());
    const ReportDocument doc = build_report(run->report);
    EXPECT_EQ(doc.organization.name, "Provby kommun");
    EXPECT_EQ(doc.run.tool_version, "test");
    EXPECT_EQ(doc.run.inventory_sha256.size(), 64U);
    EXPECT_FALSE(doc.findings.empty());
    EXPECT_TRUE(doc.score.overall.score);
    EXPECT_FALSE(doc.indicators.empty());
    // The same document the JSON report is written from, and read back the same.
    std::ostringstream json;
    to_json(doc, json);
    auto back = report_from_json(json.str());
    ASSERT_TRUE(back);
    std::ostringstream again;
    to_json(back.value(), again);
    EXPECT_EQ(again.str(), json.str());
}

ReportFinding finding(const std::string& rule, Status status, Severity severity) {
    ReportFinding f;
    f.rule = rule;
    f.status = status;
    f.severity = severity;
    return f;
}

TEST(AuditLibrary, GatesFailBeforeIncompleteAndIgnoreUnscoredErrors) {
    ReportDocument doc;
    doc.score.overall.score = 70.0;
    RuleEntry scored;
    scored.id = "R-1";
    RuleEntry unscored;
    unscored.id = "R-2";
    unscored.scored = false;
    doc.rules = {scored, unscored};
    doc.findings = {finding("R-1", Status::Fail, Severity::Medium), finding("R-2", Status::Error, Severity::High)};
    EXPECT_EQ(evaluate_gates(doc, {}), GateOutcome::Passed);  // an unscored rule in error
    EXPECT_EQ(evaluate_gates(doc, {70.0, std::nullopt}), GateOutcome::Passed);  // not below
    EXPECT_EQ(evaluate_gates(doc, {70.5, std::nullopt}), GateOutcome::Failed);
    EXPECT_EQ(evaluate_gates(doc, {std::nullopt, Severity::Medium}), GateOutcome::Failed);
    EXPECT_EQ(evaluate_gates(doc, {std::nullopt, Severity::High}), GateOutcome::Passed);
    doc.findings.push_back(finding("R-1", Status::Error, Severity::Medium));
    EXPECT_EQ(evaluate_gates(doc, {}), GateOutcome::Incomplete);
    EXPECT_EQ(evaluate_gates(doc, {std::nullopt, Severity::Low}), GateOutcome::Failed);  // outranks
}

HistoryRun history_run(const std::string& as_of, std::optional<double> score, const std::string& systems = {}) {
    HistoryRun r;
    r.as_of = as_of;
    r.score = score;
    r.systems = systems;
    return r;
}

TEST(AuditLibrary, TheTrendHoldsEarlierFullScopeAuditsAndThisOne) {
    ReportDocument doc;
    doc.run.as_of = "2026-11-22";
    doc.score.overall.score = 71.0;
    add_trend(doc, {history_run("2026-11-22", 50.0)});
    EXPECT_TRUE(doc.trend.empty());  // only this date: one point, no trend
    add_trend(doc, {history_run("2025-05-01", 60.0), history_run("2025-05-01", 62.0),
                    history_run("2025-08-01", 90.0, "ifo"), history_run("2025-09-01", std::nullopt),
                    history_run("2027-01-01", 99.0)});
    ASSERT_EQ(doc.trend.size(), 2U);
    EXPECT_EQ(doc.trend[0].as_of, "2025-05-01");
    EXPECT_EQ(doc.trend[0].score, 62.0);  // the later run of the same date
    EXPECT_EQ(doc.trend[1].as_of, "2026-11-22");
    EXPECT_EQ(doc.trend[1].score, 71.0);  // this report, whatever the history held for today
}

}  // namespace
}  // namespace lisa
