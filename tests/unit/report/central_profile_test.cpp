// SPDX-License-Identifier: Apache-2.0
// The central profile is built by selection: whatever the full report gains later, only the
// documented fields leave the municipality (issue 17). And the store's reader refuses anything
// that is not a profile, with a message saying what to push instead.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "lisa/report/central.hpp"
#include "lisa/report/document.hpp"

namespace lisa {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

Json full_report_json();

/// The full report read back as a lisa report would be (`lisa report --format central`).
ReportDocument full_report_document() {
    auto doc = report_from_json(full_report_json().dump());
    if (!doc) {
        throw std::runtime_error(doc.error().message);
    }
    return std::move(doc).value();
}

Json full_report_json() {
    return Json::parse(R"({
      "schema_version": 1,
      "tool": {"name": "lisa", "version": "0.1.0", "build_host": "HOST-SECRET"},
      "run": {"as_of": "2026-01-31", "started": "2026-01-31T00:00:00Z", "finished": "2026-01-31T00:00:00Z",
              "rule_pack_sha256": "aa", "inventory_sha256": "bb", "systems": [], "complete": true,
              "operator": "Anna Andersson"},
      "organization": {"name": "Exempelkommun", "municipality_code": "0999", "population": 12000,
                       "size_group": "10–20 000 invånare", "size_group_2021": "0–15 000",
                       "contact": "anna.andersson@exempelkommun.se"},
      "score": {"overall": 50.0, "overall_without_waivers": 50.0, "coverage": 1.0, "rules_judged": 1,
                "findings_by_status": {"pass": 1, "fail": 1, "error": 0, "not_applicable": 0, "waived": 0},
                "areas": [{"id": "katalog", "title": {"sv": "Katalog", "en": "Directory"}, "score": 50.0,
                           "score_without_waivers": 50.0, "coverage": 1.0, "rules_judged": 1,
                           "findings_by_status": {"pass": 1}, "worst_account": "CN=Bertil Berg,OU=Users"}]},
      "findings": [{"rule": "KAT-013", "subject": "ad/admins", "subject_kind": "access_group", "status": "fail",
                    "severity": "high", "area": "katalog", "indicator": "SEC-AUTH-USE-MYN",
                    "message": "CN=Bertil Berg,OU=Users lacks a smart card", "subject_name": "Domänadministratörer",
                    "owner": "Cecilia Carlsson", "system": "ad",
                    "evidence": {"group.members": {"value": ["CN=Bertil Berg,OU=Users"], "provenance": "probed",
                                                   "source": "ldap ldap://dc1.exempelkommun.se"},
                                 "group.enabled_without_smartcard.accounts": {"value": ["bberg", "dkarlsson"],
                                                   "provenance": "probed"}},
                    "accounts": {"names": ["bberg", "dkarlsson"], "more": 4}}],
      "action_plan": [{"key": "KAT-013:ad/admins", "rule": "KAT-013", "subject": "ad/admins",
                       "owner": "Anna Andersson", "deadline": "2026-03-01", "status": "Pågår",
                       "comment": "Bertil får kort i mars", "state": "open"}],
      "indicators": [{"id": "SEC-LIS", "scope": null, "answer": "Ja", "evidenced": true, "complete": true,
                      "evidence": {"units": [{"subject": "policy", "verdict": "pass", "provenance": "document"}],
                                   "by_provenance": {"document": 1, "bberg": 7}},
                      "national": {"year": 2023}, "reviewer": "Cecilia Carlsson"}],
      "waivers": [{"rule": "KAT-013", "decided_by": "Cecilia Carlsson", "reason": "Bertil slutar"}],
      "evidence_files": [{"path": "evidence/policy.md"}],
      "probes": [{"target": "ldap://dc1.exempelkommun.se"}],
      "new_section_added_later": {"names": ["Anna Andersson"]}
    })");
}

TEST(CentralProfile, CarriesOnlyTheDocumentedFieldsWhateverTheReportGains) {
    // The document does carry the account names and the action plan (issue 16 items 8–9) ...
    const ReportDocument doc = full_report_document();
    ASSERT_EQ(doc.findings.at(0).accounts, (std::vector<std::string>{"bberg", "dkarlsson"}));
    ASSERT_EQ(doc.findings.at(0).accounts_more, 4);
    ASSERT_EQ(doc.actions.size(), 1U);
    // ... and the profile none of them.
    const std::string text = central_profile(doc);
    for (const char* leak : {"Anna", "Bertil", "bberg", "dkarlsson", "\"accounts\"", "action_plan", "Pågår", "Cecilia", "CN=", "dc1.", "HOST-SECRET", "evidence/policy",
                             "anna.andersson", "Domänadministratörer", "lacks a smart card", "new_section",
                             "\"title\"", "\"national\"", "\"units\""}) {
        EXPECT_THAT(text, Not(HasSubstr(leak))) << leak;
    }
    const Json p = Json::parse(text);
    EXPECT_EQ(p["profile"], "lisa-central");
    EXPECT_EQ(p["organization"]["municipality_code"], "0999");
    EXPECT_EQ(p["results"][0], Json::parse(R"({"rule": "KAT-013", "subject": "ad/admins", "subject_kind": "access_group",
        "status": "fail", "severity": "high", "area": "katalog", "indicator": "SEC-AUTH-USE-MYN"})"));
    EXPECT_EQ(p["indicators"][0]["by_provenance"], Json::parse(R"({"document": 1})"));
    EXPECT_EQ(p["score"]["areas"][0]["id"], "katalog");
    // Canonical: the same input gives the same bytes, and the reader accepts it.
    EXPECT_EQ(central_profile(full_report_document()), text);
    const auto info = read_central_profile(text);
    ASSERT_TRUE(info) << info.error().message;
    EXPECT_EQ(info.value().municipality_code, "0999");
    EXPECT_TRUE(info.value().complete);
    EXPECT_TRUE(info.value().full_scope);
}

TEST(CentralProfile, ReaderRefusesAFullReportAndMalformedProfiles) {
    const auto full = read_central_profile(full_report_json().dump());
    ASSERT_FALSE(full);
    EXPECT_THAT(full.error().message, HasSubstr("full lisa report"));
    EXPECT_THAT(full.error().message, HasSubstr("--format central"));
    EXPECT_FALSE(read_central_profile("not json"));
    EXPECT_FALSE(read_central_profile("[1, 2]"));
    EXPECT_FALSE(read_central_profile(R"({"profile": "lisa-central", "profile_version": 2})"));
    Json p = Json::parse(central_profile(full_report_document()));
    for (const char* code : {"999", "09990", "09a9", ""}) {
        p["organization"]["municipality_code"] = code;
        const auto r = read_central_profile(p.dump());
        ASSERT_FALSE(r) << code;
        EXPECT_THAT(r.error().message, HasSubstr("four digits")) << code;
    }
    p["organization"]["municipality_code"] = "0999";
    p["run"]["as_of"] = "31/01/2026";
    EXPECT_FALSE(read_central_profile(p.dump()));
    p["run"].erase("as_of");
    EXPECT_FALSE(read_central_profile(p.dump()));
}

}  // namespace
}  // namespace lisa
