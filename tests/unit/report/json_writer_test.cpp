// SPDX-License-Identifier: Apache-2.0
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <memory>
#include <sstream>
#include <string>

#include "lisa/engine/scan.hpp"
#include "lisa/report/report.hpp"
#include "support/fake_probe.hpp"
#include "support/test_support.hpp"

namespace lisa {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing_support::diagnostics_as_text;
using testing_support::FakeProbe;
using Json = nlohmann::json;

const Date kAsOf = Date::from_ymd(2024, 6, 30);

constexpr const char* kRules = R"yaml(
- id: TLS-001
  title: { sv: "Bara modern TLS", en: "Modern TLS only" }
  area: tls
  severity: high
  indicator: SEC-TLS
  for_each: endpoint
  expect: { fact: fake.version, in: [TLSv1.2, TLSv1.3] }
  remediation: r
- id: SYS-001
  title: t
  area: isms
  severity: medium
  for_each: system
  expect: { fact: system.classified, equals: true }
  remediation: r
)yaml";

constexpr const char* kInventory = R"yaml(
organization:
  name: Exempelby kommun
  municipality_code: "0180"
  population: 45000
systems:
  - id: procapita
    name: Procapita
    verksamhetsomraden: [Barn och unga]
    roles: [myndighetsutövning]
    personal_data: true
    sensitive_personal_data: true
    endpoints:
      - { id: web, url: "https://a.example.se", exposure: external }
      - { id: old, url: "https://b.example.se", exposure: external }
waivers:
  - { rule: SYS-*, subject: procapita, reason: pågår, decided_by: KS, decision_ref: KS 2024/7, expires: 2024-12-31 }
)yaml";

/// Runs the whole pipeline (load, scan, score) and renders the JSON report.
class JsonReportTest : public ::testing::Test {
protected:
    JsonReportTest() {
        auto fake = std::make_unique<FakeProbe>(
            "fake", std::vector<SubjectKind>{SubjectKind::Endpoint},
            std::vector<FactSpec>{{"fake.version", ValueType::String, "protocol"}});
        fake->set_facts("procapita/web", {{"fake.version", "TLSv1.3"}});
        fake->set_facts("procapita/old", {{"fake.version", "TLSv1.0"}});
        registry_.add(std::move(fake));
        catalog_ = build_fact_catalog(registry_);
    }

    std::string render(const std::string& inventory_name_override = {}) {
        Diagnostics diags;
        inventory_ = load_inventory(SourceText{"inventory.yaml", kInventory}, "", diags);
        EXPECT_TRUE(diags.empty()) << diagnostics_as_text(diags);
        if (!inventory_name_override.empty()) {
            inventory_.name = inventory_name_override;
        }
        rules_ = load_rules({SourceText{"rules.yaml", kRules}}, catalog_);
        EXPECT_TRUE(rules_.ok()) << diagnostics_as_text(rules_.diagnostics);
        ScanOptions options;
        options.as_of = kAsOf;
        scan_ = run_scan(inventory_, rules_, catalog_, registry_, options);
        Report report;
        report.tool_version = "0.1.0";
        report.as_of = kAsOf.to_string();
        report.started = "2024-06-30T00:00:00Z";
        report.finished = "2024-06-30T00:00:00Z";
        report.rule_pack_sha256 = std::string(64, 'a');
        report.inventory_sha256 = std::string(64, 'b');
        report.inventory = &inventory_;
        report.rules = &rules_;
        report.scan = &scan_;
        report.score = compute_score(rules_.rules, scan_.findings);
        std::ostringstream out;
        to_json(build_report(report), out);
        return out.str();
    }

    ProbeRegistry registry_;
    FactCatalog catalog_;
    Inventory inventory_;
    RuleSet rules_;
    ScanResult scan_;
};

TEST_F(JsonReportTest, HasTheDesignFields) {
    const std::string text = render();
    const Json doc = Json::parse(text);
    EXPECT_EQ(doc.at("schema_version"), 1);
    EXPECT_EQ(doc.at("tool").at("name"), "lisa");
    EXPECT_EQ(doc.at("tool").at("version"), "0.1.0");

    const Json& run = doc.at("run");
    EXPECT_EQ(run.at("as_of"), "2024-06-30");
    EXPECT_EQ(run.at("started"), "2024-06-30T00:00:00Z");
    EXPECT_EQ(run.at("finished"), "2024-06-30T00:00:00Z");
    EXPECT_EQ(run.at("rule_pack_sha256"), std::string(64, 'a'));
    EXPECT_EQ(run.at("inventory_sha256"), std::string(64, 'b'));

    const Json& org = doc.at("organization");
    EXPECT_EQ(org.at("name"), "Exempelby kommun");
    EXPECT_EQ(org.at("municipality_code"), "0180");
    EXPECT_EQ(org.at("population"), 45000);
    EXPECT_EQ(org.at("size_group"), "20–50 000 invånare");

    const Json& score = doc.at("score");
    ASSERT_TRUE(score.contains("overall"));
    ASSERT_TRUE(score.at("areas").is_array());
    ASSERT_EQ(score.at("areas").size(), 2U);
    for (const auto& area : score.at("areas")) {
        EXPECT_TRUE(area.contains("id"));
        EXPECT_TRUE(area.contains("score"));
        const Json& counts = area.at("findings_by_status");
        for (const char* s : {"pass", "fail", "error", "not_applicable", "waived"}) {
            EXPECT_TRUE(counts.contains(s)) << s;
        }
    }
    // tls: one pass, one fail (weight 6, share 1/2) -> 50; isms: only waived -> no score.
    EXPECT_EQ(score.at("areas")[0].at("id"), "isms");
    EXPECT_TRUE(score.at("areas")[0].at("score").is_null());
    EXPECT_EQ(score.at("areas")[1].at("id"), "tls");
    EXPECT_EQ(score.at("areas")[1].at("score"), 50.0);
    EXPECT_EQ(score.at("overall"), 50.0);

    const Json& findings = doc.at("findings");
    ASSERT_EQ(findings.size(), 3U);
    for (const auto& f : findings) {
        for (const char* key : {"rule", "subject", "subject_kind", "status", "severity", "area",
                                "message", "evidence"}) {
            EXPECT_TRUE(f.contains(key)) << key << " in " << f.dump();
        }
    }
    const Json& fail = findings[1];
    EXPECT_EQ(fail.at("rule"), "TLS-001");
    EXPECT_EQ(fail.at("subject"), "procapita/old");
    EXPECT_EQ(fail.at("subject_kind"), "endpoint");
    EXPECT_EQ(fail.at("status"), "fail");
    EXPECT_EQ(fail.at("severity"), "high");
    EXPECT_EQ(fail.at("area"), "tls");
    EXPECT_EQ(fail.at("indicator"), "SEC-TLS");
    EXPECT_THAT(fail.at("message").get<std::string>(), HasSubstr("fake.version is TLSv1.0"));
    EXPECT_EQ(fail.at("evidence").at("fake.version").at("value"), "TLSv1.0");
    EXPECT_EQ(fail.at("evidence").at("fake.version").at("provenance"), "probed");

    const Json& waived = findings[0];
    EXPECT_EQ(waived.at("rule"), "SYS-001");
    EXPECT_EQ(waived.at("status"), "waived");
    EXPECT_EQ(waived.at("unwaived_status"), "fail");
    EXPECT_EQ(waived.at("waiver").at("decision_ref"), "KS 2024/7");

    EXPECT_TRUE(doc.at("indicators").is_array());
    ASSERT_EQ(doc.at("waivers").size(), 1U);
    EXPECT_EQ(doc.at("waivers")[0].at("state"), "active");
    EXPECT_EQ(doc.at("waivers")[0].at("findings_waived"), 1);
    EXPECT_EQ(doc.at("waivers")[0].at("expires"), "2024-12-31");
}

TEST_F(JsonReportTest, IsByteIdenticalForTheSameInputs) {
    const std::string first = render();
    const std::string second = render();
    EXPECT_EQ(first, second);
    EXPECT_FALSE(first.empty());
    EXPECT_EQ(first.back(), '\n');
}

TEST_F(JsonReportTest, EscapesHostileNamesAndSurvivesInvalidUtf8) {
    const std::string hostile = "Evil \"kommun\" <script>alert(1)</script> \xff\xfe\xc3 end";
    std::string text;
    ASSERT_NO_THROW(text = render(hostile));
    EXPECT_THAT(text, HasSubstr(R"(Evil \"kommun\")"));
    EXPECT_THAT(text, Not(HasSubstr("\xff")));
    EXPECT_THAT(text, Not(HasSubstr("\xfe")));
    Json doc;
    ASSERT_NO_THROW(doc = Json::parse(text));
    const std::string name = doc.at("organization").at("name").get<std::string>();
    EXPECT_THAT(name, HasSubstr("Evil \"kommun\" <script>alert(1)</script>"));
    EXPECT_THAT(name, HasSubstr("\xEF\xBF\xBD"));  // U+FFFD replaces the invalid bytes
    EXPECT_THAT(name, HasSubstr(" end"));
}

TEST_F(JsonReportTest, ProbeJsonHasFactsAndEscapesError) {
    Facts facts;
    facts["tls.version"] = probed(Value("TLSv1.3"), "tls a:443");
    facts["tls.bits"] = probed(Value(2048), "tls a:443");
    std::ostringstream out;
    write_probe_json("procapita/web", facts, "bad \"thing\" \xff", out);
    Json doc;
    ASSERT_NO_THROW(doc = Json::parse(out.str()));
    EXPECT_EQ(doc.at("subject"), "procapita/web");
    EXPECT_EQ(doc.at("facts").at("tls.bits").at("value"), 2048);
    EXPECT_EQ(doc.at("facts").at("tls.version").at("provenance"), "probed");
    EXPECT_THAT(doc.at("error").get<std::string>(), HasSubstr("bad \"thing\""));
}

}  // namespace
}  // namespace lisa
