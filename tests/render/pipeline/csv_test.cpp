// SPDX-License-Identifier: Apache-2.0
// render_csv and render_actionplan_csv: RFC 4180 round trip (a strict parser reads back every
// field the JSON has), formula-injection prefix, action-plan order, owners and remediation.
#include "pipeline_test_util.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lisa {
namespace {

using pipeline_test::example_report;
using pipeline_test::parse_rfc4180;
using pipeline_test::render;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Records = std::vector<std::vector<std::string>>;

Records parse_or_fail(const std::string& csv) {
    auto records = parse_rfc4180(csv);
    EXPECT_TRUE(records.has_value()) << "not RFC 4180:\n" << csv.substr(0, 2000);
    return records.value_or(Records{});
}

std::string str(const ReportJson& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// The accounts column (issue 16 item 8): "anna, bo och 3 till" from the JSON `accounts`.
std::string accounts_of(const ReportJson& f) {
    if (!f.contains("accounts")) {
        return {};
    }
    std::string out;
    for (const auto& n : f["accounts"]["names"]) {
        out += (out.empty() ? "" : ", ") + n.get<std::string>();
    }
    const auto more = f["accounts"].value("more", 0);
    if (more > 0) {
        out += out.empty() ? std::to_string(more) + " konton" : " och " + std::to_string(more) + " till";
    }
    return out;
}

/// What a spreadsheet-safe cell holds for a value.
std::string guarded(const std::string& value) {
    const auto first = value.find_first_not_of(' ');  // a formula after leading spaces too
    if (first != std::string::npos && std::string("=+-@\t\r").find(value[first]) != std::string::npos) {
        return "'" + value;
    }
    return value;
}

TEST(CsvParser, StrictRfc4180) {
    // The parser the round trips rely on accepts RFC 4180 and nothing looser.
    EXPECT_EQ(parse_rfc4180("a,b\r\n\"c,\"\"d\"\"\r\ne\",\r\n"),
              (Records{{"a", "b"}, {"c,\"d\"\r\ne", ""}}));
    EXPECT_FALSE(parse_rfc4180("a,b\n").has_value());       // bare LF
    EXPECT_FALSE(parse_rfc4180("a,b").has_value());         // no final CRLF
    EXPECT_FALSE(parse_rfc4180("a\"b\r\n").has_value());    // quote in unquoted field
    EXPECT_FALSE(parse_rfc4180("\"ab\r\n").has_value());    // unterminated quote
    EXPECT_FALSE(parse_rfc4180("\"a\"b\r\n").has_value());  // text after closing quote
}

TEST(CsvRender, RoundTripsEveryFinding) {
    const ReportJson report = example_report();
    const Records rows = parse_or_fail(render(render_csv, report));
    ASSERT_EQ(rows.size(), report["findings"].size() + 1);
    EXPECT_THAT(rows[0], ElementsAre("rule", "subject", "subject_kind", "status", "severity",
                                     "area", "title", "message", "system", "owner", "accounts"));
    for (std::size_t i = 0; i < report["findings"].size(); ++i) {
        const ReportJson& f = report["findings"][i];
        const std::vector<std::string> want = {str(f, "rule"),         str(f, "subject"),
                                               str(f, "subject_kind"), str(f, "status"),
                                               str(f, "severity"),     str(f, "area"),
                                               str(f["title"], "sv"),  guarded(str(f, "message")),
                                               str(f, "system"),       str(f, "owner"),
                                               accounts_of(f)};
        EXPECT_EQ(rows[i + 1], want) << i;
    }
}

TEST(CsvRender, EnglishTitles) {
    const ReportJson report = example_report();
    const Records rows = parse_or_fail(render(render_csv, report, "en"));
    ASSERT_GT(rows.size(), 1U);
    EXPECT_EQ(rows[1][6], str(report["findings"][0]["title"], "en"));
}

TEST(CsvRender, MessageWithCommaQuoteAndNewlines) {
    ReportJson report = example_report();
    const std::string message = "policy says \"no\", then,\nnext line\r\nthird \"\"x\"\"";
    pipeline_test::finding(report, "AUTH-001", "hemtjanst-mobil")["message"] = message;
    pipeline_test::finding(report, "AUTH-001", "hemtjanst-mobil")["owner"] = "Nämnd, \"VON\"";
    const std::string csv = render(render_csv, report);
    const Records rows = parse_or_fail(csv);
    bool found = false;
    for (const auto& row : rows) {
        if (row[0] == "AUTH-001" && row[1] == "hemtjanst-mobil") {
            found = true;
            EXPECT_EQ(row[7], message);
            EXPECT_EQ(row[9], "Nämnd, \"VON\"");
        }
    }
    EXPECT_TRUE(found);
    EXPECT_THAT(
        csv, HasSubstr("\"policy says \"\"no\"\", then,\nnext line\r\nthird \"\"\"\"x\"\"\"\"\""));
}

TEST(CsvRender, EveryRecordEndsWithCrlf) {
    const std::string csv = render(render_csv, example_report());
    ASSERT_GE(csv.size(), 2U);
    EXPECT_EQ(csv.substr(csv.size() - 2), "\r\n");
    // No quoted field in the example contains a line break, so every LF follows a CR.
    for (std::size_t i = 0; i < csv.size(); ++i) {
        if (csv[i] == '\n') {
            ASSERT_GT(i, 0U);
            EXPECT_EQ(csv[i - 1], '\r') << i;
        }
    }
}

TEST(CsvRender, FormulaInjectionIsNeutralised) {
    ReportJson report = example_report();
    auto& f = pipeline_test::finding(report, "AUTH-001", "hemtjanst-mobil");
    f["subject"] = "=HYPERLINK(\"http://evil.example\",\"klicka\")";
    f["message"] = "+1+cmd|' /C calc'!A0";
    f["owner"] = "-2+3";
    f["system"] = "@SUM(A1:A2)";
    f["title"] = {{"sv", "\tx"}, {"en", "\tx"}};  // subject_kind is a closed set: read as unknown
    f["area"] = "a=b";  // only a leading character triggers
    const Records rows = parse_or_fail(render(render_csv, report));
    bool found = false;
    for (const auto& row : rows) {
        if (row[0] == "AUTH-001" && row[1].rfind("'=HYPERLINK", 0) == 0) {
            found = true;
            EXPECT_EQ(row[1], "'=HYPERLINK(\"http://evil.example\",\"klicka\")");
            EXPECT_EQ(row[2], "system");
            EXPECT_EQ(row[6], "'\tx");
            EXPECT_EQ(row[5], "a=b");
            EXPECT_EQ(row[7], "'+1+cmd|' /C calc'!A0");
            EXPECT_EQ(row[8], "'@SUM(A1:A2)");
            EXPECT_EQ(row[9], "'-2+3");
        }
    }
    EXPECT_TRUE(found);
}

TEST(CsvRender, HostileTextStaysParseable) {
    const ReportJson report = pipeline_test::hostile_report();
    const Records rows = parse_or_fail(render(render_csv, report));
    ASSERT_EQ(rows.size(), report["findings"].size() + 1);
    for (const auto& row : rows) {
        EXPECT_EQ(row.size(), 11U);
    }
    EXPECT_EQ(rows[1][0], pipeline_test::hostile_text_cleaned());
    EXPECT_EQ(parse_or_fail(render(render_actionplan_csv, report)).front().size(), 11U);
}

TEST(CsvRender, OddDocumentsNeverThrowAndStayParseable) {
    for (const auto& report : pipeline_test::odd_reports()) {
        SCOPED_TRACE(
            report.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace).substr(0, 200));
        std::string csv;
        std::string plan;
        ASSERT_NO_THROW(csv = render(render_csv, report));
        ASSERT_NO_THROW(plan = render(render_actionplan_csv, report));
        for (const auto& rows : {parse_or_fail(csv), parse_or_fail(plan)}) {
            ASSERT_FALSE(rows.empty());
            for (const auto& row : rows) {
                EXPECT_EQ(row.size(), 11U);
            }
        }
    }
}

TEST(ActionPlanCsv, FailingAndWaivedFindingsByPriority) {
    const ReportJson report = example_report();
    const Records rows = parse_or_fail(render(render_actionplan_csv, report));
    ASSERT_FALSE(rows.empty());
    EXPECT_THAT(rows[0], ElementsAre("priority", "severity", "rule", "title", "subject", "system",
                                     "owner", "remediation", "status", "waiver", "accounts"));
    const std::size_t expected =
        pipeline_test::count_status(report, "fail") + pipeline_test::count_status(report, "waived");
    ASSERT_EQ(rows.size(), expected + 1);
    const std::map<std::string, std::string> priority = {
        {"critical", "1"}, {"high", "2"}, {"medium", "3"}, {"low", "4"}, {"info", "5"}};
    for (std::size_t i = 1; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i][0], priority.at(rows[i][1])) << i;
        EXPECT_TRUE(rows[i][8] == "fail" || rows[i][8] == "waived") << rows[i][8];
        EXPECT_EQ(rows[i][9].empty(), rows[i][8] == "fail") << i;
        if (i > 1) {
            const auto& a = rows[i - 1];
            const auto& b = rows[i];
            EXPECT_TRUE(std::make_tuple(a[0], a[2], a[4]) <= std::make_tuple(b[0], b[2], b[4]))
                << a[2] << " " << a[4] << " before " << b[2] << " " << b[4];
        }
    }
    // Most severe first (the example's critical: a Domain Admin without smart card), low last.
    EXPECT_EQ(rows[1][1], "critical");
    EXPECT_EQ(rows.back()[1], "low");
    EXPECT_EQ(rows.back()[0], "4");
}

TEST(ActionPlanCsv, OwnerAndRemediationOfTheExample) {
    const ReportJson report = example_report();
    const Records rows = parse_or_fail(render(render_actionplan_csv, report));
    ASSERT_GT(rows.size(), 1U);
    // The first high-severity row: rule AUTH-001 on hemtjanst-mobil.
    const auto it = std::find_if(rows.begin() + 1, rows.end(), [](const auto& r) { return r[1] == "high"; });
    ASSERT_NE(it, rows.end());
    const auto& row = *it;
    EXPECT_EQ(row[2], "AUTH-001");
    EXPECT_EQ(row[4], "hemtjanst-mobil");
    EXPECT_EQ(row[0], "2");
    EXPECT_EQ(row[5], "hemtjanst-mobil");
    EXPECT_EQ(row[6], "Vård- och omsorgsnämnden");
    // AUTH-001's entry, by id (the pack grows: AD-001 sorts first).
    std::size_t auth = 0;
    while (auth + 1 < report["rules"].size() && report["rules"][auth]["id"] != "AUTH-001") ++auth;
    EXPECT_EQ(row[3], str(report["rules"][auth]["title"], "sv"));
    EXPECT_EQ(row[7], str(report["rules"][auth]["remediation"], "sv"));
    EXPECT_EQ(row[8], "fail");

    const Records en = parse_or_fail(render(render_actionplan_csv, report, "en"));
    ASSERT_EQ(en.size(), rows.size());
    const auto en_row = en.begin() + (it - rows.begin());
    EXPECT_EQ((*en_row)[7], str(report["rules"][auth]["remediation"], "en"));
    EXPECT_EQ((*en_row)[3], str(report["rules"][auth]["title"], "en"));

    // Organisation-level findings have no owner: the cell is empty, not "null".
    for (const auto& r : rows) {
        if (r[4] == "organization") {
            EXPECT_EQ(r[6], "");
            EXPECT_EQ(r[5], "");
        }
    }
}

TEST(ActionPlanCsv, WaivedFindingIsMarkedWithItsDecision) {
    const ReportJson report = example_report();
    const Records rows = parse_or_fail(render(render_actionplan_csv, report));
    std::size_t waived = 0;
    for (const auto& r : rows) {
        if (r[8] == "waived") {
            ++waived;
            EXPECT_EQ(r[2], "KLASS-003");
            EXPECT_EQ(r[4], "hemtjanst-mobil");
            EXPECT_EQ(r[9], "VON 2026/118, gäller till 2027-03-31");
        }
    }
    EXPECT_EQ(waived, 1U);
    const Records en = parse_or_fail(render(render_actionplan_csv, report, "en"));
    for (const auto& r : en) {
        if (r[8] == "waived") {
            EXPECT_EQ(r[9], "VON 2026/118, expires 2027-03-31");
        }
    }
}

TEST(ActionPlanCsv, CriticalFirstAndTiesByRuleThenSubject) {
    ReportJson report = example_report();
    pipeline_test::finding(report, "LIS-013", "organization")["severity"] = "critical";
    pipeline_test::finding(report, "KLASS-005", "trygghetslarm")["severity"] = "critical";
    pipeline_test::finding(report, "KLASS-005", "hemtjanst-mobil")["severity"] = "critical";
    const Records rows = parse_or_fail(render(render_actionplan_csv, report));
    ASSERT_GT(rows.size(), 4U);
    EXPECT_EQ(rows[1][2], "KAT-014");  // the example's own critical finding sorts first by rule
    EXPECT_THAT(rows[2], ::testing::Contains("KLASS-005"));
    EXPECT_EQ(rows[2][4], "hemtjanst-mobil");
    EXPECT_EQ(rows[3][4], "trygghetslarm");
    EXPECT_EQ(rows[4][2], "LIS-013");
    EXPECT_EQ(rows[4][0], "1");
}

TEST(CsvRender, Deterministic) {
    const ReportJson report = example_report();
    EXPECT_EQ(render(render_csv, report), render(render_csv, report));
    EXPECT_EQ(render(render_actionplan_csv, report), render(render_actionplan_csv, report));
}

}  // namespace
}  // namespace lisa
