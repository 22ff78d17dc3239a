// SPDX-License-Identifier: Apache-2.0
// answer_indicators on the shipped pack: all, some and none of the units; no unit (the empty
// answer); a unit whose check could not be made (error: incomplete, never pass or fail).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "lisa/audit/audit.hpp"
#include "process.hpp"

namespace lisa {
namespace {

using testing_support::TempDir;
using testing_support::write_file;

std::string system_yaml(const std::string& id, bool sensitive, const std::string& external,
                        const std::string& endpoint_url = {}) {
    std::string y = "  - id: " + id + "\n    name: " + id + "\n    verksamhetsomraden: [Barn och unga]\n" +
                    "    roles: [myndighetsutövning]\n    personal_data: true\n    sensitive_personal_data: " +
                    (sensitive ? "true" : "false") + "\n";
    if (!external.empty()) {
        y += "    authentication: { external: " + external + ", internal: strong }\n";
    }
    if (!endpoint_url.empty()) {
        y += "    endpoints:\n      - { id: extern, url: \"" + endpoint_url + "\", exposure: external }\n";
    }
    return y;
}

/// The SEC-AUTH-EXT answer of an inventory with these systems (shipped pack, 2026-11-22).
IndicatorAnswer auth_ext(const std::string& systems) {
    TempDir dir;
    write_file(dir.file("inventory.yaml"),
               "organization: { name: Provby kommun, municipality_code: \"0180\", population: 12000 }\nsystems:\n" +
                   systems);
    auto inputs = load_audit(dir.file("inventory.yaml"), std::string(LISA_SOURCE_DIR) + "/rules");
    EXPECT_TRUE(inputs->diagnostics.empty());
    ScanOptions options;
    options.as_of = Date::from_ymd(2026, 11, 22);
    options.timeout = std::chrono::milliseconds(2000);
    apply_parameters(*inputs, options.as_of);
    const auto run = run_audit(*inputs, options, RunStamp{"test", "2026-11-22", "", "", "sv"});
    for (const auto& a : run->report.indicators) {
        if (a.id == "SEC-AUTH-EXT") {
            return a;
        }
    }
    ADD_FAILURE() << "no SEC-AUTH-EXT answer";
    return {};
}

TEST(AnswerIndicators, EveryUnitStrongIsAllWithItsEvidence) {
    const IndicatorAnswer a = auth_ext(system_yaml("a", true, "strong") + system_yaml("b", true, "strong"));
    ASSERT_TRUE(a.answer);
    EXPECT_EQ(*a.answer, "Alla");
    EXPECT_TRUE(a.complete);
    ASSERT_EQ(a.units.size(), 2U);
    EXPECT_EQ(a.units[0].verdict, "pass");
    EXPECT_EQ(a.units[0].provenance, "declared");
    EXPECT_EQ(a.by_provenance.at("declared"), 2);
    EXPECT_EQ(a.survey_year, 2026);
    EXPECT_EQ(a.period, "2026-11-22");  // a state question: asked about the audit date
}

TEST(AnswerIndicators, SomeUnitsIsDelvisAndNamesTheFailingRule) {
    const IndicatorAnswer a = auth_ext(system_yaml("a", true, "strong") + system_yaml("b", true, "password"));
    ASSERT_TRUE(a.answer);
    EXPECT_EQ(*a.answer, "Delvis");
    ASSERT_EQ(a.units.size(), 2U);
    EXPECT_EQ(a.units[1].subject, "b");
    EXPECT_EQ(a.units[1].verdict, "fail");
    EXPECT_THAT(a.units[1].failing_rules, ::testing::ElementsAre("AUTH-001"));
}

TEST(AnswerIndicators, NoUnitStrongIsInga) {
    const IndicatorAnswer a = auth_ext(system_yaml("a", true, "password") + system_yaml("b", true, "password"));
    ASSERT_TRUE(a.answer);
    EXPECT_EQ(*a.answer, "Inga");
    EXPECT_TRUE(a.complete);
}

TEST(AnswerIndicators, NoUnitToJudgeIsNotEvidenced) {
    const IndicatorAnswer a = auth_ext(system_yaml("a", false, "password"));
    EXPECT_FALSE(a.answer);  // the indicator's `empty: null`: nothing to answer from
    EXPECT_TRUE(a.units.empty());
    EXPECT_TRUE(a.complete);
}

TEST(AnswerIndicators, AUnitThatCouldNotBeCheckedIsAnErrorAndTheAnswerIncomplete) {
    // Port 1 on loopback refuses at once: the external endpoint cannot be probed (AUTH-005 in
    // error), so the unit is not judged from its weaker declaration.
    const IndicatorAnswer a = auth_ext(system_yaml("a", true, "strong") +
                                       system_yaml("b", true, "strong", "https://127.0.0.1:1/"));
    EXPECT_FALSE(a.complete);
    ASSERT_EQ(a.units.size(), 2U);
    EXPECT_EQ(a.units[1].subject, "b");
    EXPECT_EQ(a.units[1].verdict, "error");
    EXPECT_THAT(a.units[1].errored_rules, ::testing::Contains("AUTH-005"));
    EXPECT_EQ(a.units[1].provenance, "");
    EXPECT_EQ(a.by_provenance.count("probed"), 0U);
}

}  // namespace
}  // namespace lisa
