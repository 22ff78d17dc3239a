// SPDX-License-Identifier: Apache-2.0
// Issue 16 items 8–9 end to end with the real binary: the action plan written as XLSX, filled in
// with LibreOffice Calc headless as a municipality would (tests/cli/edit_action_plan.py: lisa's
// XLSX → LibreOffice → flat ODS edited → LibreOffice → XLSX), and read back into the next report;
// a badly filled plan is every problem at its cell, exit 2; and the Swedish Excel CSV dialect,
// byte for byte. The report is the example municipality's canonical one (tests/data/expected),
// so the audit date and the deadlines are fixed together: nothing depends on the calendar.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "process.hpp"

namespace lisa {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing_support::read_file;
using testing_support::run_command;
using testing_support::TempDir;
using testing_support::write_file;
using Json = nlohmann::ordered_json;

const std::string kSource = LISA_SOURCE_DIR;
const std::string kGolden = kSource + "/tests/data/expected/exempelkommun.json";
const std::string kEditor = kSource + "/tests/cli/edit_action_plan.py";

struct LisaRun {
    int status = -1;
    std::string output;
};

LisaRun lisa(std::vector<std::string> args) {
    args.insert(args.begin(), LISA_BINARY);
    LisaRun r;
    r.status = run_command(args, &r.output);
    return r;
}

/// LibreOffice fills in `plan` as `edits` say and saves it as XLSX at `out`.
void edit_in_libreoffice(TempDir& dir, const std::string& plan, const std::string& out, const Json& edits) {
    const std::string edits_file = dir.file("edits-" + std::to_string(edits.dump().size()) + ".json");
    write_file(edits_file, edits.dump());
    std::string output;
    // LibreOffice is the municipality's tool, not lisa: it runs on the real clock even in the
    // clock-ahead pass (under libfaketime it never finishes starting).
    ASSERT_EQ(run_command({"env", "-u", "LD_PRELOAD", "-u", "FAKETIME", "python3", kEditor, plan, out, edits_file},
                          &output),
              0)
        << output;
}

/// The plan's row keys (column A) in order, read from the sheet with Python's zipfile.
std::vector<std::string> keys_of(const std::string& xlsx) {
    std::string output;
    const std::string script =
        "import sys,zipfile,re\n"
        "z=zipfile.ZipFile(sys.argv[1])\n"
        "ss=[re.sub('<[^>]+>','',m) for m in re.findall(r'<si>(.*?)</si>', z.read('xl/sharedStrings.xml').decode())]\n"
        "s=z.read('xl/worksheets/sheet1.xml').decode()\n"
        "for m in re.finditer(r'<c r=\"A(\\d+)\"[^>]*t=\"s\"[^>]*><v>(\\d+)</v>', s):\n"
        "    print(ss[int(m.group(2))])\n";
    EXPECT_EQ(run_command({"python3", "-c", script, xlsx}, &output), 0) << output;
    std::vector<std::string> keys;
    std::size_t start = 0;
    while (start < output.size()) {
        const auto end = output.find('\n', start);
        keys.push_back(output.substr(start, end - start));
        start = end == std::string::npos ? output.size() : end + 1;
    }
    return keys;
}

const Json* action(const Json& report, const std::string& key) {
    for (const auto& a : report["action_plan"]) {
        if (a["key"] == key) return &a;
    }
    return nullptr;
}

TEST(ActionPlanCli, WrittenFilledInWithLibreOfficeAndReadBackIntoTheNextReport) {
    TempDir dir;
    const std::string plan = dir.file("actionplan.xlsx");
    LisaRun r = lisa({"report", kGolden, "--format", "actionplan-xlsx", "--output", plan});
    ASSERT_EQ(r.status, 0) << r.output;
    const Json golden = Json::parse(read_file(kGolden));

    // One row per failing, erroring or waived finding, most severe first; the key column first.
    const auto keys = keys_of(plan);
    ASSERT_FALSE(keys.empty());
    EXPECT_EQ(keys.front(), "Åtgärdsnyckel");
    std::size_t actionable = 0;
    for (const auto& f : golden["findings"]) {
        actionable += f["status"] == "fail" || f["status"] == "error" || f["status"] == "waived";
    }
    EXPECT_EQ(keys.size(), actionable + 1);
    // The status column is a list of the fixed Swedish values; the deadline a date check.
    std::string sheet;
    ASSERT_EQ(run_command({"python3", "-c",
                           "import sys,zipfile;sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read('xl/worksheets/sheet1.xml').decode())",
                           plan},
                          &sheet),
              0);
    EXPECT_THAT(sheet, HasSubstr("<formula1>\"Ej påbörjad,Pågår,Klar,Riskaccepterad\"</formula1>"));
    EXPECT_THAT(sheet, HasSubstr("type=\"date\""));

    // The municipality fills in three rows in LibreOffice: a deadline before the audit date
    // (2026-11-22), one after, and one typed as text rather than entered as a date.
    const std::string k2 = keys[1], k3 = keys[2], k4 = keys[3];
    const std::string edited = dir.file("ifylld.xlsx");
    edit_in_libreoffice(dir, plan, edited,
                        {{"rows",
                          {{{"row", 2}, {"Ansvarig", "Anna Ek, IT-chef"}, {"Deadline", "2026-10-01"},
                            {"Status", "Pågår"}, {"Kommentar", "Väntar på SITHS-kort; beställt 3/9"}},
                           {{"row", 3}, {"Ansvarig", "Bo Lind"}, {"Deadline", "2027-03-31"}, {"Status", "Ej påbörjad"}},
                           {{"row", 4}, {"Ansvarig", "Cecilia Öst"}, {"Deadline", "2026-12-15"},
                            {"date_as_text", true}, {"Status", "Klar"}, {"Kommentar", "=1+1"}}}}});

    // Read back: carried into the JSON, with the state of each finding in this report.
    const std::string report = dir.file("report.json");
    r = lisa({"report", kGolden, "--action-plan", edited, "--format", "json", "--output", report});
    ASSERT_EQ(r.status, 0) << r.output;
    const Json next = Json::parse(read_file(report));
    ASSERT_EQ(next["action_plan"].size(), actionable);
    const Json* a2 = action(next, k2);
    const Json* a3 = action(next, k3);
    const Json* a4 = action(next, k4);
    ASSERT_TRUE(a2 && a3 && a4);
    EXPECT_EQ((*a2)["owner"], "Anna Ek, IT-chef");
    EXPECT_EQ((*a2)["deadline"], "2026-10-01");
    EXPECT_EQ((*a2)["status"], "Pågår");
    EXPECT_EQ((*a2)["comment"], "Väntar på SITHS-kort; beställt 3/9");
    EXPECT_EQ((*a2)["state"], "overdue");  // förfallen: the deadline passed and it still fails
    EXPECT_EQ((*a3)["deadline"], "2027-03-31");
    EXPECT_EQ((*a3)["state"], "open");
    EXPECT_EQ((*a4)["deadline"], "2026-12-15");
    EXPECT_EQ((*a4)["comment"], "=1+1");  // text, never a formula

    // The HTML shows the follow-up; the next export keeps what the municipality wrote, so a
    // second round trip gives the same plan.
    r = lisa({"report", kGolden, "--action-plan", edited, "--format", "html", "--output", dir.file("report.html")});
    ASSERT_EQ(r.status, 0) << r.output;
    const std::string html = read_file(dir.file("report.html"));
    EXPECT_THAT(html, HasSubstr("<section id=\"plan-progress\">"));
    EXPECT_THAT(html, HasSubstr("<span class=\"badge overdue\">förfallen</span>"));
    EXPECT_THAT(html, HasSubstr("Anna Ek, IT-chef"));
    const std::string again = dir.file("igen.xlsx");
    r = lisa({"report", kGolden, "--action-plan", edited, "--format", "actionplan-xlsx", "--output", again});
    ASSERT_EQ(r.status, 0) << r.output;
    r = lisa({"report", kGolden, "--action-plan", again, "--format", "json", "--output", dir.file("again.json")});
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(Json::parse(read_file(dir.file("again.json")))["action_plan"], next["action_plan"]);

    // Resolved: the finding of row 3 passes in a later report, so its action is closed.
    Json later = golden;
    for (auto& f : later["findings"]) {
        if (f["rule"].get<std::string>() + ":" + f["subject"].get<std::string>() == k3) f["status"] = "pass";
    }
    write_file(dir.file("later.json"), later.dump(2));
    r = lisa({"report", dir.file("later.json"), "--action-plan", edited, "--format", "json", "--format", "html",
              "--output-dir", dir.file("later")});
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_EQ((*action(Json::parse(read_file(dir.file("later/report.json"))), k3))["state"], "closed");
    EXPECT_THAT(read_file(dir.file("later/report.html")), HasSubstr("<span class=\"badge closed\">stängd</span>"));
}

TEST(ActionPlanCli, ABadlyFilledPlanIsEveryProblemAtItsCellAndExit2) {
    TempDir dir;
    const std::string plan = dir.file("actionplan.xlsx");
    LisaRun r = lisa({"report", kGolden, "--format", "actionplan-xlsx", "--output", plan});
    ASSERT_EQ(r.status, 0) << r.output;
    const auto keys = keys_of(plan);
    ASSERT_GT(keys.size(), 7U);
    const std::string subject = keys[5].substr(keys[5].find(':') + 1);
    const std::string bad = dir.file("fel.xlsx");
    edit_in_libreoffice(dir, plan, bad,
                        {{"sheet", "Blad1"},
                         {"rows",
                          {{{"row", 2}, {"Åtgärdsnyckel", "NOPE-1:" + subject}},
                           {{"row", 3}, {"Deadline", "nästa vecka"}, {"date_as_text", true}},
                           {{"row", 4}, {"Status", "Typ klar"}},
                           {{"row", 5}, {"Åtgärdsnyckel", "AD-001:finns-inte"}},
                           {{"row", 6}, {"Deadline", "2026-02-30"}, {"date_as_text", true}},
                           {{"row", 7}, {"Åtgärdsnyckel", keys[2]}}}}});
    for (const std::vector<std::string>& command :
         {std::vector<std::string>{"report", kGolden, "--action-plan", bad, "--format", "json", "--output",
                                   dir.file("r.json")},
          std::vector<std::string>{"scan", "--inventory", kSource + "/examples/exempelkommun/inventory.yaml",
                                   "--as-of", "2026-11-22", "--no-history", "--action-plan", bad}}) {
        r = lisa(command);
        SCOPED_TRACE(command.front());
        EXPECT_EQ(r.status, 2) << r.output;
        EXPECT_THAT(r.output, HasSubstr(bad + ":A1: the first sheet is 'Blad1', not 'Åtgärdsplan'"));
        EXPECT_THAT(r.output, HasSubstr(bad + ":A2: unknown action key 'NOPE-1:" + subject +
                                        "': the rule pack has no rule NOPE-1"));
        EXPECT_THAT(r.output, HasSubstr(bad + ":L3: the deadline 'nästa vecka' is not a date"));
        EXPECT_THAT(r.output, HasSubstr(bad + ":M4: unknown status 'Typ klar' (expected one of: Ej påbörjad, "
                                              "Pågår, Klar, Riskaccepterad)"));
        EXPECT_THAT(r.output, HasSubstr(bad + ":A5: unknown action key 'AD-001:finns-inte'"));
        EXPECT_THAT(r.output, HasSubstr(bad + ":L6: the deadline '2026-02-30' is not a date"));
        EXPECT_THAT(r.output, HasSubstr(bad + ":A7: the action key '" + keys[2] + "' is given twice (also in row 3)"));
        EXPECT_THAT(r.output, HasSubstr("7 problems found in the action plan"));
        EXPECT_THAT(r.output, Not(HasSubstr("Segmentation")));
    }
    EXPECT_FALSE(std::filesystem::exists(dir.file("r.json")));
    // Not a workbook at all: one problem, still at a cell, still exit 2.
    write_file(dir.file("plan.csv"), "Åtgärdsnyckel;Ansvarig\n");
    r = lisa({"report", kGolden, "--action-plan", dir.file("plan.csv"), "--format", "json"});
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_THAT(r.output, HasSubstr(dir.file("plan.csv") + ":A1: "));
}

// A report small enough to write its CSV bytes out in full: a separator, a quote and a line break
// inside fields, a Swedish letter, and accounts beyond the named ones.
const char* kSmallReport = R"({"schema_version": 1, "run": {"as_of": "2026-11-22"},
  "findings": [{"rule": "R-1", "subject": "s;1", "status": "fail", "severity": "high", "area": "a",
                "title": {"sv": "Tit\"el", "en": "Title"}, "message": "x = 0.5; y\nz", "system": "sys",
                "owner": "Ägare", "accounts": {"names": ["anna", "bo"], "more": 3}}]})";

TEST(CsvDialectCli, ExcelSvIsSemicolonsBomCrlfByteForByte) {
    TempDir dir;
    write_file(dir.file("r.json"), kSmallReport);
    LisaRun r = lisa({"report", dir.file("r.json"), "--format", "csv", "--format", "actionplan-csv", "--csv-dialect",
                  "excel-sv", "--output-dir", dir.file("sv")});
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(read_file(dir.file("sv/findings.csv")),
              "\xEF\xBB\xBFrule;subject;subject_kind;status;severity;area;title;message;system;owner;accounts\r\n"
              "R-1;\"s;1\";;fail;high;a;\"Tit\"\"el\";\"x = 0.5; y\nz\";sys;Ägare;\"anna, bo och 3 till\"\r\n");
    EXPECT_EQ(read_file(dir.file("sv/actionplan.csv")),
              "\xEF\xBB\xBFpriority;severity;rule;title;subject;system;owner;remediation;status;waiver;accounts\r\n"
              "2;high;R-1;\"Tit\"\"el\";\"s;1\";sys;Ägare;;fail;;\"anna, bo och 3 till\"\r\n");
    // The default stays RFC 4180: commas, no byte order mark.
    r = lisa({"report", dir.file("r.json"), "--format", "csv", "--output", dir.file("rfc.csv")});
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(read_file(dir.file("rfc.csv")),
              "rule,subject,subject_kind,status,severity,area,title,message,system,owner,accounts\r\n"
              "R-1,\"s;1\",,fail,high,a,\"Tit\"\"el\",\"x = 0.5; y\nz\",sys,Ägare,\"anna, bo och 3 till\"\r\n");
    r = lisa({"report", dir.file("r.json"), "--format", "csv", "--csv-dialect", "excel", "--output", dir.file("x.csv")});
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_THAT(r.output, HasSubstr("--csv-dialect must be rfc4180 or excel-sv, not 'excel'"));
}

}  // namespace
}  // namespace lisa
