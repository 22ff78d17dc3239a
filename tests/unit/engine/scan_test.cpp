// SPDX-License-Identifier: Apache-2.0
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "lisa/engine/scan.hpp"
#include "support/fake_probe.hpp"
#include "support/test_support.hpp"

namespace lisa {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using testing_support::diagnostics_as_text;
using testing_support::FakeProbe;

const Date kAsOf = Date::from_ymd(2024, 6, 30);

// Two systems with two endpoints each, on three hosts; a directory with a privileged group.
constexpr const char* kInventory = R"yaml(
organization:
  name: Exempelby
  population: 12000
directories:
  - id: ad
    url: ldaps://dc1.example.se
    base_dn: dc=example,dc=se
    privileged_groups:
      - { id: admins, dn: cn=admins }
systems:
  - id: procapita
    name: Procapita
    verksamhetsomraden: [Barn och unga]
    roles: [myndighetsutövning]
    personal_data: true
    sensitive_personal_data: true
    endpoints:
      - { id: web, url: "https://a.example.se", exposure: external }
      - { id: api, url: "https://b.example.se:8443", exposure: internal }
  - id: lifecare
    name: Lifecare
    verksamhetsomraden: [Äldreomsorg]
    roles: [utförare]
    personal_data: true
    sensitive_personal_data: false
    endpoints:
      - { id: web, url: "https://c.example.se", exposure: external }
      - { id: api, url: "https://a.example.se:9443", exposure: internal }
)yaml";

// A rule on endpoints reading the fake probe's facts (`expect` given).
std::string endpoint_rule(const std::string& id, const std::string& expect) {
    return "- id: " + id +
           "\n  title: t\n  area: tls\n  severity: high\n  for_each: endpoint\n  expect: " + expect +
           "\n  remediation: r\n";
}

class ScanTest : public ::testing::Test {
protected:
    ScanTest() {
        auto fake = std::make_unique<FakeProbe>(
            "fake", std::vector<SubjectKind>{SubjectKind::Endpoint},
            std::vector<FactSpec>{{"fake.tls_ok", ValueType::Bool, "TLS is fine"},
                                  {"fake.version", ValueType::String, "protocol"},
                                  {"fake.bits", ValueType::Integer, "key bits"}});
        fake_ = fake.get();
        registry_.add(std::move(fake));
        auto unused = std::make_unique<FakeProbe>(
            "unused", std::vector<SubjectKind>{SubjectKind::Endpoint, SubjectKind::System},
            std::vector<FactSpec>{{"unused.x", ValueType::Bool, "nobody reads it"}});
        unused_ = unused.get();
        registry_.add(std::move(unused));
        catalog_ = build_fact_catalog(registry_);
    }

    void load(const std::string& rules_yaml, const std::string& inventory_yaml = kInventory) {
        Diagnostics diags;
        inventory_ = load_inventory(SourceText{"inventory.yaml", inventory_yaml}, "/base", diags);
        ASSERT_TRUE(diags.empty()) << diagnostics_as_text(diags);
        rules_ = load_rules({SourceText{"rules.yaml", rules_yaml}}, catalog_);
        ASSERT_TRUE(rules_.ok()) << diagnostics_as_text(rules_.diagnostics);
        apply_params(rules_.rules, inventory_.parameters, inventory_.parameter_locations, kAsOf,
                     diags);
        ASSERT_TRUE(diags.empty()) << diagnostics_as_text(diags);
    }

    ScanResult scan(ScanOptions options = {}) {
        options.as_of = kAsOf;
        return run_scan(inventory_, rules_, catalog_, registry_, options);
    }

    void all_endpoints_ok() {
        for (const char* id : {"procapita/web", "procapita/api", "lifecare/web", "lifecare/api"}) {
            fake_->set_facts(id, {{"fake.tls_ok", true}, {"fake.version", "TLSv1.3"}, {"fake.bits", 2048}});
        }
    }

    const std::string& rule_id(const Finding& f) const {
        return rules_.rules[static_cast<std::size_t>(f.rule)].id;
    }
    const std::string& subject_id(const Finding& f) const {
        return inventory_.subjects[static_cast<std::size_t>(f.subject)].id;
    }
    const Finding* finding(const ScanResult& r, const std::string& rule, const std::string& subject) const {
        for (const auto& f : r.findings) {
            if (rule_id(f) == rule && subject_id(f) == subject) {
                return &f;
            }
        }
        return nullptr;
    }

    ProbeRegistry registry_;
    FakeProbe* fake_ = nullptr;
    FakeProbe* unused_ = nullptr;
    FactCatalog catalog_;
    Inventory inventory_;
    RuleSet rules_;
};

TEST_F(ScanTest, CallsEachProbeOncePerSubjectHoweverManyRulesReadIt) {
    load(endpoint_rule("TLS-001", "{ fact: fake.tls_ok, equals: true }") +
         endpoint_rule("TLS-002", "{ fact: fake.version, in: [TLSv1.2, TLSv1.3] }") +
         endpoint_rule("TLS-003", "{ all: [ { fact: fake.bits, gte: 2048 }, { fact: fake.tls_ok, equals: true } ] }"));
    all_endpoints_ok();
    const ScanResult r = scan();
    EXPECT_EQ(fake_->calls(), 4);
    for (const char* id : {"procapita/web", "procapita/api", "lifecare/web", "lifecare/api"}) {
        EXPECT_EQ(fake_->calls_for(id), 1) << id;
    }
    ASSERT_EQ(r.findings.size(), 12U);
    for (const auto& f : r.findings) {
        EXPECT_EQ(f.status, Status::Pass) << rule_id(f) << " " << subject_id(f) << ": " << f.message;
    }
    EXPECT_EQ(r.probe_runs.size(), 4U);
    for (const auto& run : r.probe_runs) {
        EXPECT_EQ(run.probe, "fake");
        EXPECT_TRUE(run.error.empty());
    }
    // Probed facts are kept per subject.
    const int web = inventory_.find(SubjectKind::Endpoint, "procapita/web");
    EXPECT_EQ(r.probed[static_cast<std::size_t>(web)].at("fake.version").value, Value("TLSv1.3"));
    EXPECT_EQ(r.probed[static_cast<std::size_t>(web)].at("fake.version").provenance, Provenance::Probed);
}

TEST_F(ScanTest, ProbeErrorBecomesErrorFindingsWithTheReason) {
    load(endpoint_rule("TLS-001", "{ fact: fake.tls_ok, equals: true }") +
         endpoint_rule("TLS-002", "{ fact: fake.version, equals: TLSv1.3 }"));
    all_endpoints_ok();
    fake_->set_error("lifecare/web", "connection refused");
    const ScanResult r = scan();
    for (const char* rule : {"TLS-001", "TLS-002"}) {
        const Finding* f = finding(r, rule, "lifecare/web");
        ASSERT_NE(f, nullptr);
        EXPECT_EQ(f->status, Status::Error);
        EXPECT_EQ(f->message, "fake: connection refused");
        EXPECT_EQ(finding(r, rule, "procapita/web")->status, Status::Pass);
    }
    const auto run = std::find_if(r.probe_runs.begin(), r.probe_runs.end(), [&](const ProbeRun& p) {
        return inventory_.subjects[static_cast<std::size_t>(p.subject)].id == "lifecare/web";
    });
    ASSERT_NE(run, r.probe_runs.end());
    EXPECT_EQ(run->error, "connection refused");
    EXPECT_EQ(run->target, "c.example.se");
}

TEST_F(ScanTest, ProbeThatThrowsBecomesAnErrorFinding) {
    load(endpoint_rule("TLS-001", "{ fact: fake.tls_ok, equals: true }"));
    all_endpoints_ok();
    fake_->set_throws("procapita/api");
    const ScanResult r = scan();
    const Finding* f = finding(r, "TLS-001", "procapita/api");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->status, Status::Error);
    EXPECT_THAT(f->message, HasSubstr("fake probe exploded"));
}

TEST_F(ScanTest, ProbeThatDoesNotApplyGivesNotApplicable) {
    load(endpoint_rule("TLS-001", "{ fact: fake.tls_ok, equals: true }"));
    all_endpoints_ok();
    fake_->set_not_applicable("procapita/api");
    const ScanResult r = scan();
    EXPECT_EQ(fake_->calls_for("procapita/api"), 0);
    const Finding* f = finding(r, "TLS-001", "procapita/api");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->status, Status::NotApplicable);
    EXPECT_THAT(f->message, HasSubstr("probe 'fake' does not apply to this endpoint"));
}

TEST_F(ScanTest, FactTheProbeDidNotStateFails) {
    load(endpoint_rule("TLS-001", "{ fact: fake.bits, gte: 2048 }"));
    all_endpoints_ok();
    fake_->set_facts("lifecare/api", {{"fake.tls_ok", true}});
    const ScanResult r = scan();
    const Finding* f = finding(r, "TLS-001", "lifecare/api");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->status, Status::Fail);
    EXPECT_EQ(f->message, "fake.bits is not stated");
}

TEST_F(ScanTest, ProbeWhoseFactsNoRuleReadsIsNeverCalled) {
    load(endpoint_rule("TLS-001", "{ fact: fake.tls_ok, equals: true }"));
    all_endpoints_ok();
    (void)scan();
    EXPECT_EQ(unused_->calls(), 0);
    EXPECT_EQ(fake_->calls(), 4);
}

TEST_F(ScanTest, NoProbeRunsForRulesOnDeclaredFactsOnly) {
    load(R"yaml(
- id: SYS-001
  title: t
  area: isms
  severity: low
  for_each: system
  expect: { fact: system.personal_data, equals: true }
  remediation: r
)yaml");
    const ScanResult r = scan();
    EXPECT_EQ(fake_->calls(), 0);
    EXPECT_EQ(unused_->calls(), 0);
    EXPECT_TRUE(r.probe_runs.empty());
    ASSERT_EQ(r.findings.size(), 2U);
}

TEST_F(ScanTest, SystemSelectionKeepsOnlyThatSystemAndItsChildren) {
    load(endpoint_rule("TLS-001", "{ fact: fake.tls_ok, equals: true }") + R"yaml(
- id: ORG-001
  title: t
  area: isms
  severity: low
  for_each: organization
  expect: { fact: organization.population, gte: 1 }
  remediation: r
- id: SYS-001
  title: t
  area: isms
  severity: low
  for_each: system
  expect: { fact: system.personal_data, equals: true }
  remediation: r
)yaml");
    all_endpoints_ok();
    ScanOptions options;
    options.systems = {"lifecare"};
    const ScanResult r = scan(options);
    std::vector<std::string> judged;
    for (const auto& f : r.findings) {
        judged.push_back(rule_id(f) + " " + subject_id(f));
    }
    EXPECT_THAT(judged, ElementsAre("SYS-001 lifecare", "TLS-001 lifecare/api", "TLS-001 lifecare/web"));
    EXPECT_THAT(fake_->called_subjects(), UnorderedElementsAre("lifecare/api", "lifecare/web"));
    ASSERT_EQ(r.selected.size(), inventory_.subjects.size());
    for (std::size_t i = 0; i < inventory_.subjects.size(); ++i) {
        const std::string& id = inventory_.subjects[i].id;
        EXPECT_EQ(r.selected[i], id == "lifecare" || id.rfind("lifecare/", 0) == 0) << id;
    }
}

TEST_F(ScanTest, FindingsAreSortedByRuleIdThenSubjectId) {
    load(endpoint_rule("ZZZ-001", "{ fact: fake.tls_ok, equals: true }") +
         endpoint_rule("AAA-001", "{ fact: fake.tls_ok, equals: true }"));
    all_endpoints_ok();
    const ScanResult r = scan();
    std::vector<std::string> order;
    for (const auto& f : r.findings) {
        order.push_back(rule_id(f) + " " + subject_id(f));
    }
    EXPECT_THAT(order, ElementsAre("AAA-001 lifecare/api", "AAA-001 lifecare/web",
                                   "AAA-001 procapita/api", "AAA-001 procapita/web",
                                   "ZZZ-001 lifecare/api", "ZZZ-001 lifecare/web",
                                   "ZZZ-001 procapita/api", "ZZZ-001 procapita/web"));
    // Probe runs sorted by probe, then subject id.
    std::vector<std::string> runs;
    for (const auto& run : r.probe_runs) {
        runs.push_back(inventory_.subjects[static_cast<std::size_t>(run.subject)].id);
    }
    EXPECT_THAT(runs, ElementsAre("lifecare/api", "lifecare/web", "procapita/api", "procapita/web"));
}

TEST_F(ScanTest, ScanIsDeterministic) {
    load(endpoint_rule("TLS-001", "{ fact: fake.tls_ok, equals: true }") +
         endpoint_rule("TLS-002", "{ fact: fake.bits, gte: 4096 }"));
    all_endpoints_ok();
    const ScanResult a = scan();
    const ScanResult b = scan();
    ASSERT_EQ(a.findings.size(), b.findings.size());
    for (std::size_t i = 0; i < a.findings.size(); ++i) {
        EXPECT_EQ(a.findings[i].rule, b.findings[i].rule);
        EXPECT_EQ(a.findings[i].subject, b.findings[i].subject);
        EXPECT_EQ(a.findings[i].status, b.findings[i].status);
        EXPECT_EQ(a.findings[i].message, b.findings[i].message);
    }
}

// --- waivers -------------------------------------------------------------------------------

std::string with_waivers(const std::string& waivers) {
    return std::string(kInventory) + "waivers:\n" + waivers;
}

std::string waiver(const std::string& rule, const std::string& subject, const std::string& expires) {
    return "  - { rule: \"" + rule + "\", subject: \"" + subject +
           "\", reason: r, decided_by: Socialnämnden, decision_ref: SN 2024/1, expires: " + expires +
           " }\n";
}

TEST_F(ScanTest, ActiveWaiverTurnsFailIntoWaived) {
    load(endpoint_rule("TLS-001", "{ fact: fake.bits, gte: 4096 }"),
         with_waivers(waiver("TLS-*", "procapita/*", "2024-12-31")));
    all_endpoints_ok();
    const ScanResult r = scan();
    for (const char* id : {"procapita/web", "procapita/api"}) {
        const Finding* f = finding(r, "TLS-001", id);
        ASSERT_NE(f, nullptr);
        EXPECT_EQ(f->status, Status::Waived) << id;
        EXPECT_EQ(f->unwaived, Status::Fail) << id;
        EXPECT_EQ(f->waiver, 0) << id;
        EXPECT_THAT(f->message, HasSubstr("fake.bits is 2048"));
    }
    const Finding* other = finding(r, "TLS-001", "lifecare/web");
    ASSERT_NE(other, nullptr);
    EXPECT_EQ(other->status, Status::Fail);
    EXPECT_EQ(other->waiver, -1);
    EXPECT_TRUE(r.expired_waivers.empty());
    EXPECT_TRUE(r.unused_waivers.empty());
}

TEST_F(ScanTest, WaiverExpiringOnTheScanDateIsStillActive) {
    load(endpoint_rule("TLS-001", "{ fact: fake.bits, gte: 4096 }"),
         with_waivers(waiver("TLS-001", "lifecare/web", "2024-06-30")));
    all_endpoints_ok();
    const ScanResult r = scan();
    EXPECT_EQ(finding(r, "TLS-001", "lifecare/web")->status, Status::Waived);
    EXPECT_TRUE(r.expired_waivers.empty());
}

TEST_F(ScanTest, ExpiredWaiverIsIgnoredAndListed) {
    load(endpoint_rule("TLS-001", "{ fact: fake.bits, gte: 4096 }"),
         with_waivers(waiver("TLS-001", "lifecare/web", "2024-06-29")));
    all_endpoints_ok();
    const ScanResult r = scan();
    const Finding* f = finding(r, "TLS-001", "lifecare/web");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->status, Status::Fail);
    EXPECT_EQ(f->waiver, -1);
    EXPECT_THAT(r.expired_waivers, ElementsAre(0));
    EXPECT_TRUE(r.unused_waivers.empty());  // it matched, it just no longer counts
}

TEST_F(ScanTest, WaiverNeverWaivesAnError) {
    load(endpoint_rule("TLS-001", "{ fact: fake.bits, gte: 4096 }"),
         with_waivers(waiver("*", "*", "2030-01-01")));
    all_endpoints_ok();
    fake_->set_error("lifecare/web", "timeout");
    const ScanResult r = scan();
    const Finding* f = finding(r, "TLS-001", "lifecare/web");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->status, Status::Error);
    EXPECT_EQ(f->waiver, -1);
    EXPECT_EQ(finding(r, "TLS-001", "lifecare/api")->status, Status::Waived);
}

TEST_F(ScanTest, WaiverDoesNotTouchPassingFindings) {
    load(endpoint_rule("TLS-001", "{ fact: fake.bits, gte: 1024 }"),
         with_waivers(waiver("TLS-001", "*", "2030-01-01")));
    all_endpoints_ok();
    const ScanResult r = scan();
    for (const auto& f : r.findings) {
        EXPECT_EQ(f.status, Status::Pass);
    }
    EXPECT_THAT(r.unused_waivers, ElementsAre(0));
}

TEST_F(ScanTest, UnusedWaiversAreListed) {
    load(endpoint_rule("TLS-001", "{ fact: fake.bits, gte: 4096 }"),
         with_waivers(waiver("TLS-001", "procapita/web", "2030-01-01") +
                      waiver("KLASS-*", "*", "2030-01-01") +
                      waiver("TLS-001", "nosuch/*", "2030-01-01")));
    all_endpoints_ok();
    const ScanResult r = scan();
    EXPECT_EQ(finding(r, "TLS-001", "procapita/web")->status, Status::Waived);
    EXPECT_THAT(r.unused_waivers, ElementsAre(1, 2));
}

// --- glob_match ----------------------------------------------------------------------------

struct GlobCase {
    const char* pattern;
    const char* text;
    bool match;
};

TEST(GlobMatchTest, Table) {
    const std::vector<GlobCase> cases = {
        {"*", "", true},
        {"*", "anything/at/all", true},
        {"", "", true},
        {"", "a", false},
        {"a", "", false},
        {"KLASS-*", "KLASS-001", true},
        {"KLASS-*", "KLASS-", true},
        {"KLASS-*", "AUTH-001", false},
        {"procapita/*", "procapita/web", true},
        {"procapita/*", "procapita", false},
        {"procapita", "procapita/web", false},
        {"TLS-00?", "TLS-001", true},
        {"TLS-00?", "TLS-0010", false},
        {"TLS-00?", "TLS-00", false},
        {"a?c", "ac", false},
        {"*ab", "aab", true},
        {"*ab", "aba", false},
        {"a*b*c", "aXXbYYc", true},
        {"a*b*c", "aXXcYYb", false},
        {"*a*", "banana", true},
        {"**", "x", true},
        {"*/web", "procapita/web", true},
        {"*/web", "procapita/api", false},
        {"a*", "", false},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(glob_match(c.pattern, c.text), c.match)
            << "glob_match(\"" << c.pattern << "\", \"" << c.text << "\")";
    }
}

// --- concurrency ---------------------------------------------------------------------------

TEST_F(ScanTest, PerHostLimitHoldsWhileCallsRunInParallel) {
    // Six endpoints on three hosts, two each.
    std::string inventory = R"yaml(
organization:
  name: Exempelby
  population: 12000
systems:
  - id: s
    name: S
    verksamhetsomraden: [Äldreomsorg]
    roles: [utförare]
    personal_data: true
    sensitive_personal_data: false
    endpoints:
)yaml";
    for (int i = 0; i < 6; ++i) {
        inventory += "      - { id: e" + std::to_string(i) + ", exposure: internal, url: \"https://host" +
                     std::to_string(i % 3) + ".example.se:" + std::to_string(8000 + i) + "\" }\n";
    }
    load(endpoint_rule("TLS-001", "{ fact: fake.tls_ok, equals: true }"), inventory);
    for (int i = 0; i < 6; ++i) {
        fake_->set_facts("s/e" + std::to_string(i), {{"fake.tls_ok", true}});
    }
    fake_->set_delay(std::chrono::milliseconds(50));
    ScanOptions options;
    options.concurrency = 4;
    options.per_host = 1;
    std::size_t last_done = 0;
    std::size_t progress_calls = 0;
    options.as_of = kAsOf;
    const ScanResult r = run_scan(inventory_, rules_, catalog_, registry_, options,
                                  [&](std::size_t done, std::size_t total, const std::string&) {
                                      EXPECT_EQ(total, 6U);
                                      EXPECT_GT(done, last_done);
                                      last_done = done;
                                      ++progress_calls;
                                  });
    EXPECT_EQ(fake_->calls(), 6);
    EXPECT_EQ(fake_->max_concurrent_per_host(), 1);
    EXPECT_GT(fake_->max_concurrent(), 1);
    EXPECT_LE(fake_->max_concurrent(), 3);
    EXPECT_EQ(progress_calls, 6U);
    EXPECT_EQ(last_done, 6U);
    ASSERT_EQ(r.findings.size(), 6U);
    for (const auto& f : r.findings) {
        EXPECT_EQ(f.status, Status::Pass);
    }
}

TEST_F(ScanTest, ConcurrencyOneRunsCallsOneAtATime) {
    load(endpoint_rule("TLS-001", "{ fact: fake.tls_ok, equals: true }"));
    all_endpoints_ok();
    fake_->set_delay(std::chrono::milliseconds(5));
    ScanOptions options;
    options.concurrency = 1;
    (void)scan(options);
    EXPECT_EQ(fake_->calls(), 4);
    EXPECT_EQ(fake_->max_concurrent(), 1);
}

}  // namespace
}  // namespace lisa
