// SPDX-License-Identifier: Apache-2.0
// The report model's one JSON mapping: a saved report reads back into the same document and
// writes back byte for byte; what is not a report, too deep or too new is refused with a reason.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "lisa/report/document.hpp"

namespace lisa {
namespace {

using ::testing::HasSubstr;

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string golden(const std::string& name) {
    return read_text(std::string(LISA_TEST_DATA_DIR) + "/expected/" + name + ".json");
}

std::string json_of(const ReportDocument& doc) {
    std::ostringstream out;
    to_json(doc, out);
    return out.str();
}

ReportDocument read(const std::string& text) {
    auto doc = report_from_json(text);
    EXPECT_TRUE(doc) << (doc ? "" : doc.error().message);
    return doc ? std::move(doc).value() : ReportDocument{};
}

TEST(DocumentJson, GoldenReportsRoundTripByteForByte) {
    for (const char* name : {"exempelkommun", "smakommun"}) {
        const std::string text = golden(name);
        ASSERT_FALSE(text.empty()) << name;
        EXPECT_EQ(json_of(read(text)), text) << name;
    }
}

TEST(DocumentJson, ReadsTheTypedFieldsOfTheGolden) {
    const std::string text = golden("exempelkommun");
    const ReportDocument doc = read(text);
    EXPECT_EQ(doc.schema_version, kReportSchemaVersion);
    EXPECT_EQ(doc.organization.name, "Exempelkommun");
    ASSERT_FALSE(doc.findings.empty());
    // Every finding of the file, none dropped or invented (the count follows the rule pack).
    EXPECT_EQ(doc.findings.size(), nlohmann::json::parse(text).at("findings").size());
    const auto auth = std::find_if(doc.findings.begin(), doc.findings.end(),
                                   [](const ReportFinding& f) { return f.rule == "AUTH-001"; });
    ASSERT_NE(auth, doc.findings.end());
    EXPECT_EQ(auth->subject_kind, SubjectKind::System);
    EXPECT_EQ(doc.area_title("katalog", "sv"), "Katalogtjänst och behörigheter");
    EXPECT_EQ(doc.area_title("no-such-area", "sv"), "no-such-area");
    ASSERT_NE(doc.find_rule("AUTH-001"), nullptr);
    EXPECT_EQ(doc.find_rule("AUTH-001")->severity, Severity::High);
    EXPECT_FALSE(doc.indicators.front().title.sv.empty());
}

TEST(DocumentJson, AWaivedFindingIsLinkedToTheWaiverThatApplied) {
    const ReportDocument doc = read(golden("exempelkommun"));
    int waived = 0;
    for (const auto& f : doc.findings) {
        if (f.status != Status::Waived) {
            continue;
        }
        ++waived;
        ASSERT_TRUE(f.waiver);
        ASSERT_TRUE(f.waiver->record);
        const WaiverRecord& w = doc.waivers[*f.waiver->record];
        EXPECT_EQ(w.decision.decision_ref, f.waiver->decision_ref);
        EXPECT_EQ(w.rule, f.rule);
        EXPECT_EQ(w.state, WaiverState::Active);
        EXPECT_GE(w.findings_waived, 1);
    }
    EXPECT_GE(waived, 1);
}

TEST(DocumentJson, RefusesWhatIsNotAReport) {
    for (const char* text : {"[]", "null", "42", "\"report\"", "{}", R"({"schema_version": 1})",
                             R"({"findings": []})"}) {
        const auto doc = report_from_json(text);
        ASSERT_FALSE(doc) << text;
        EXPECT_EQ(doc.error().message, "not a lisa JSON report") << text;
    }
    const auto broken = report_from_json("{\n  \"schema_version\": 1,\n  \"findings\": [\n");
    ASSERT_FALSE(broken);
    EXPECT_THAT(broken.error().message, HasSubstr("line 4"));
}

TEST(DocumentJson, NestingAndSizeAreCappedWhileParsing) {
    const std::string deep = R"({"schema_version": 1, "findings": )" + std::string(100000, '[');
    const auto doc = report_from_json(deep);
    ASSERT_FALSE(doc);
    EXPECT_THAT(doc.error().message, HasSubstr("nested deeper than 64"));
}

TEST(DocumentJson, ANewerSchemaIsRefusedAndAnUnknownOneToo) {
    const auto newer = report_from_json(R"({"schema_version": 2, "findings": []})");
    ASSERT_FALSE(newer);
    EXPECT_THAT(newer.error().message, HasSubstr("newer than this lisa reads"));
    for (const char* version : {"0", "-1", "\"1\"", "null", "1e300"}) {
        const auto doc = report_from_json(std::string(R"({"schema_version": )") + version + R"(, "findings": []})");
        EXPECT_FALSE(doc) << version;
    }
    EXPECT_TRUE(report_from_json(R"({"schema_version": 1, "findings": []})"));
}

TEST(DocumentJson, EnumeratedFieldsReadLeniently) {
    const ReportDocument doc = read(R"({"schema_version": 1, "findings": [
        {"rule": "R-1", "status": "maybe", "severity": "catastrophic", "subject_kind": "planet"},
        {"rule": "R-2", "status": "pass", "severity": "critical", "subject_kind": "endpoint",
         "evidence": {"f": {"value": [1, "a"], "provenance": "probed", "source": "s"}}}]})");
    ASSERT_EQ(doc.findings.size(), 2U);
    EXPECT_EQ(doc.findings[0].status, Status::Error);  // never a pass
    EXPECT_EQ(doc.findings[0].severity, Severity::Info);
    EXPECT_FALSE(doc.findings[0].subject_kind);
    EXPECT_EQ(doc.findings[1].status, Status::Pass);
    EXPECT_EQ(doc.findings[1].severity, Severity::Critical);
    EXPECT_EQ(doc.findings[1].subject_kind, SubjectKind::Endpoint);
    ASSERT_EQ(doc.findings[1].evidence.size(), 1U);
    EXPECT_EQ(doc.findings[1].evidence[0].value, Value(StringList{"1", "a"}));
}

TEST(DocumentJson, TheTrendIsWrittenOnlyWhenThereIsOneAndReadBack) {
    ReportDocument doc = read(golden("smakommun"));
    EXPECT_TRUE(doc.trend.empty());
    EXPECT_EQ(json_of(doc).find("\"trend\""), std::string::npos);
    doc.trend = {{"2025-11-22", 61.5}, {"2026-11-22", 70.25}};
    const std::string text = json_of(doc);
    EXPECT_THAT(text, HasSubstr("\"trend\": [\n    {\n      \"as_of\": \"2025-11-22\",\n      \"score\": 61.5\n"));
    const ReportDocument back = read(text);
    ASSERT_EQ(back.trend.size(), 2U);
    EXPECT_EQ(back.trend[1].as_of, "2026-11-22");
    EXPECT_DOUBLE_EQ(back.trend[1].score, 70.25);
    EXPECT_EQ(json_of(back), text);
}

TEST(DocumentJson, ControlCharactersAreEscapedInTheStreamedOutput) {
    ReportDocument doc;
    doc.organization.name = "A\u0085B\u202EC";  // C1 NEL and a bidi override
    const std::string text = json_of(doc);
    EXPECT_THAT(text, HasSubstr("A\\u0085B\\u202eC"));
    EXPECT_EQ(read(text).organization.name, doc.organization.name);
}

}  // namespace
}  // namespace lisa
