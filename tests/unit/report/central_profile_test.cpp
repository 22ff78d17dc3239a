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


// try17: a signed profile is still input from outside. Every shape a hand could make — a full
// report given the two profile keys, counts as strings, indicators that are no list, a date no
// calendar has, a code carrying terminal controls — is refused at push with what is wrong.
TEST(CentralProfile, ReaderRefusesEveryShapeLisaDoesNotWrite) {
    const Json lisa_wrote = Json::parse(central_profile(full_report_document()));
    ASSERT_TRUE(read_central_profile(lisa_wrote.dump()));
    const auto refused = [](const Json& p, const std::string& why) {
        const auto r = read_central_profile(p.dump());
        ASSERT_FALSE(r) << why;
        EXPECT_THAT(r.error().message, HasSubstr(why));
    };
    Json hybrid = full_report_json();  // a full report with the two profile keys added
    hybrid["profile"] = "lisa-central";
    hybrid["profile_version"] = 1;
    refused(hybrid, "not a lisa central profile as `lisa scan --format central` writes it");
    Json extra = lisa_wrote;
    extra["findings"] = Json::array({{{"message", "Anna Andersson saknar kort"}}});
    refused(extra, "has a key the profile does not have: findings");
    Json counts = lisa_wrote;
    counts["indicators"][0]["by_provenance"] = {{"probed", "many"}};
    refused(counts, "by_provenance must count units");
    Json list = lisa_wrote;
    list["indicators"] = "hello";
    refused(list, "indicators has the wrong type");
    Json items = lisa_wrote;
    items["indicators"] = Json::array({5, "x", nullptr});
    refused(items, "indicators[0] must be an object");
    Json date = lisa_wrote;
    date["run"]["as_of"] = "2026-13-45";
    refused(date, "run.as_of must be a date YYYY-MM-DD that exists");
    date["run"]["as_of"] = "2025-02-29";
    refused(date, "that exists");
    Json status = lisa_wrote;
    status["results"][0]["status"] = "<b>Ja</b>";
    refused(status, "results[0].status is not a status lisa writes");
    Json long_text = lisa_wrote;
    long_text["indicators"][0]["answer"] = std::string(600, 'J');
    refused(long_text, "indicators[0].answer has the wrong type or is too long");
    Json code = lisa_wrote;
    code["organization"]["municipality_code"] = "\x1b[2J\x1b]0;pwned\x07";
    const auto r = read_central_profile(code.dump());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message.find('\x1b'), std::string::npos) << "a terminal control in the message";
    // Older generators leave out what later versions added; nulls where lisa writes none.
    Json older = lisa_wrote;
    older["score"].erase("overall_without_waivers");
    older["organization"]["size_group_2021"] = nullptr;
    EXPECT_TRUE(read_central_profile(older.dump()));
}

// The profile writes bidi and C1 controls as \u escapes, as the full report does.
TEST(CentralProfile, BidiAndC1ControlsAreEscaped) {
    ReportDocument doc = full_report_document();
    doc.organization.name = "Sm\xc3\xa5\xe2\x80\xaekommun\xc2\x9b";
    const std::string profile = central_profile(doc);
    EXPECT_EQ(profile.find("\xe2\x80\xae"), std::string::npos);
    EXPECT_EQ(profile.find("\xc2\x9b"), std::string::npos);
    EXPECT_THAT(profile, HasSubstr("\\u202e"));
    EXPECT_EQ(Json::parse(profile)["organization"]["name"], doc.organization.name);
}

}  // namespace
}  // namespace lisa
