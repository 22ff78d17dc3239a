// SPDX-License-Identifier: Apache-2.0
// The registers municipalities really have (tester report 16 items 9, 10, 12), on committed files
// made by LibreOffice Calc (tests/data/register/make-registers): the register on another sheet
// than the first, or picked with --sheet; .xls, .ods, .numbers, PDF and a zip that is no workbook
// recognised by content with what to do; datetimes and date serials read as dates; header
// variants; K/R/T values outside KLASSA quoted beside the placeholder; a name in two rows warned.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lisa/register/register.hpp"
#include "process.hpp"

using lisa::testing_support::read_file;
using lisa::testing_support::run_command;
using lisa::testing_support::TempDir;
using lisa::testing_support::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

const std::string kDir = std::string(LISA_SOURCE_DIR) + "/tests/data/register/";
const std::string kHole = "\"<FYLL I>\"";

struct CliRun {
    int status = -1;
    std::string output;
};

CliRun init(std::vector<std::string> args) {
    args.insert(args.begin(), {"timeout", "-s", "KILL", "60", LISA_BINARY, "init"});
    CliRun r;
    r.status = run_command(args, &r.output);
    return r;
}

std::string system_block(const std::string& inventory, const std::string& id) {
    const auto start = inventory.find("  - id: " + id + "\n");
    if (start == std::string::npos) return "";
    const auto end = inventory.find("\n  # register row", start + 1);
    return inventory.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// Item 9: "Instruktioner" is the first sheet; the register is on "System".
TEST(RegisterFormatsTest, TheRegistersSheetIsFoundOrPickedWithSheet) {
    const CliRun r = init({"--register", kDir + "flerbladig.xlsx"});
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_THAT(r.output, HasSubstr("(sheet 'System')"));
    EXPECT_THAT(r.output, HasSubstr("read sheet 'System' of 2 (the first with a System column"));
    EXPECT_THAT(r.output, HasSubstr("6 systems from flerbladig.xlsx"));
    const CliRun picked = init({"--register", kDir + "flerbladig.xlsx", "--sheet", "System"});
    ASSERT_EQ(picked.status, 0) << picked.output;
    EXPECT_THAT(picked.output, HasSubstr("6 systems"));
    // --sheet naming the instructions: their row 1 is what the error quotes, with the sheet's name.
    const CliRun instructions = init({"--register", kDir + "flerbladig.xlsx", "--sheet", "Instruktioner"});
    EXPECT_EQ(instructions.status, 2);
    EXPECT_THAT(instructions.output, HasSubstr("of sheet 'Instruktioner' (row 1 has 'Fyll i alla fält')"));
    const CliRun typo = init({"--register", kDir + "flerbladig.xlsx", "--sheet", "Sytem"});
    EXPECT_EQ(typo.status, 2);
    EXPECT_THAT(typo.output, HasSubstr("no sheet named 'Sytem' (its sheets: 'Instruktioner', 'System')"));
    EXPECT_THAT(typo.output, HasSubstr("did you mean 'System'?"));
    // No sheet is a register: every sheet looked at is named with its row 1.
    const CliRun none = init({"--register", kDir + "utan-register.xlsx"});
    EXPECT_EQ(none.status, 2);
    EXPECT_THAT(none.output, HasSubstr("utan-register.xlsx:1:1: no sheet has a column named System"));
    EXPECT_THAT(none.output, HasSubstr("looked at 2 sheets: 'Instruktioner' (row 1 has 'Fyll i alla fält'); "
                                       "'Lista' (row 1 has 'Namn på system', 'Ansvarig')"));
    EXPECT_THAT(none.output, HasSubstr("--sheet NAME"));
    // --sheet on a CSV register is a usage error.
    EXPECT_EQ(init({"--register", kDir + "systemforteckning.csv", "--sheet", "System"}).status, 2);
    // The library: the sheets in workbook order.
    auto names = lisa::reg::xlsx_sheet_names(read_file(kDir + "flerbladig.xlsx"));
    ASSERT_TRUE(names);
    EXPECT_EQ(names.value(), (std::vector<std::string>{"Instruktioner", "System"}));
}

// Item 10: by content, whatever the name says, with what to do; exit 2, never read as CSV.
TEST(RegisterFormatsTest, OtherFormatsAreRecognisedByContentWithWhatToDo) {
    TempDir dir;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"flerbladig.xls", "old Excel workbook (.xls, Excel 97–2003)"},
        {"flerbladig.ods", "OpenDocument spreadsheet (.ods"},
        {"flerbladig.pdf", "PDF document"},
        {"kalkyl.numbers", "Apple Numbers document"},
        {"inte-xlsx.xlsx", "zip archive that is not an XLSX workbook"},
    };
    for (const auto& [file, what] : cases) {
        for (const std::string& name : {file, std::string("register.csv"), std::string("register.xlsx")}) {
            const std::string copy = dir.file(name);
            write_file(copy, read_file(kDir + file));
            const CliRun r = init({"--register", copy});
            EXPECT_EQ(r.status, 2) << file << " as " << name << "\n" << r.output;
            EXPECT_THAT(r.output, HasSubstr(name + ":1:1: this is " + (what.rfind("old", 0) == 0 || what.rfind("Open", 0) == 0 ||
                                                                       what.rfind("Apple", 0) == 0 ? "an " : "a ") + what))
                << file << " as " << name;
            EXPECT_THAT(r.output, Not(HasSubstr("invalid UTF-8")));
            EXPECT_THAT(r.output, Not(HasSubstr("xl/workbook.xml is missing")));
            EXPECT_THAT(r.output, HasSubstr(".xlsx"));
        }
    }
    // Other content: a binary file, UTF-16 text, an HTML table saved as .xls.
    write_file(dir.file("bin.xlsx"), std::string("\x7f" "ELF\x02\x01\x01\0\0\0", 10));
    write_file(dir.file("utf16.csv"), std::string("\xFF\xFES\0y\0s\0", 8));
    write_file(dir.file("web.xls"), "<html><table><tr><td>System</td></tr></table></html>");
    EXPECT_THAT(init({"--register", dir.file("bin.xlsx")}).output, HasSubstr("binary file, neither .xlsx nor CSV"));
    EXPECT_THAT(init({"--register", dir.file("utf16.csv")}).output, HasSubstr("UTF-16 text"));
    EXPECT_THAT(init({"--register", dir.file("web.xls")}).output, HasSubstr("web page"));
    // A real workbook and CSV text are what they are, whatever their names.
    EXPECT_EQ(lisa::reg::detect_register_format(read_file(kDir + "systemforteckning.xlsx")).kind, lisa::reg::RegisterFormat::Xlsx);
    EXPECT_EQ(lisa::reg::detect_register_format(read_file(kDir + "systemforteckning-excel.csv")).kind, lisa::reg::RegisterFormat::Csv);
    write_file(dir.file("wrongname.csv"), read_file(kDir + "systemforteckning.xlsx"));
    EXPECT_EQ(init({"--register", dir.file("wrongname.csv")}).status, 0);
}

// Item 12: what LibreOffice saved — datetime cells (with and without a time of day), header
// variants, levels outside KLASSA, KLASSA's words, one name in two rows.
TEST(RegisterFormatsTest, DatetimesHeaderVariantsLevelNotesAndDuplicateNames) {
    const CliRun r = init({"--register", kDir + "flerbladig.xlsx"});
    ASSERT_EQ(r.status, 0) << r.output;
    // "Konfidentialitet (K)", "Riktighet (R)", "T-nivå", "Personuppgifter (Ja/Nej)": all read.
    EXPECT_THAT(r.output, Not(HasSubstr("columns not read")));
    EXPECT_THAT(system_block(r.output, "ekonomisystem"),
                HasSubstr("classification: { confidentiality: 2, integrity: 3, availability: 2, date: 2023-08-21 }"));
    EXPECT_THAT(system_block(r.output, "ekonomisystem"), HasSubstr("personal_data: true\n    sensitive_personal_data: false"));
    // A datetime with 13:30 (a serial with a fraction in the workbook) is that day.
    EXPECT_THAT(system_block(r.output, "lonesystem"), HasSubstr("date: 2024-06-10 }"));
    // K=5 and "Hög": the placeholder with the register's value beside it.
    EXPECT_THAT(system_block(r.output, "skolplattform"),
                HasSubstr("confidentiality: " + kHole + ", integrity: " + kHole + ", availability: 2, date: 2025-08-01 }"
                          "  # register: K '5', R 'Hög' (KLASSA levels are 0–4)"));
    EXPECT_THAT(system_block(r.output, "e-arkiv"), HasSubstr("# register: K 'Mycket hög', R 'Låg'"));
    // KLASSA's consequence words are levels: "Måttlig skada" 1, "4 – Synnerligen allvarlig skada" 4.
    EXPECT_THAT(system_block(r.output, "e-arkiv"), HasSubstr("availability: 1,"));
    EXPECT_THAT(system_block(r.output, "patientjournal-hsl"),
                HasSubstr("classification: { confidentiality: 4, integrity: 3, availability: 3, date: 2025-02-17 }"));
    // One name in rows 2 and 7 (case differs): both written, the second marked, a warning naming both rows.
    EXPECT_THAT(r.output, HasSubstr("flerbladig.xlsx:7:1: warning: system 'ekonomisystem' is named in register rows 2 and 7"));
    EXPECT_THAT(r.output, HasSubstr("# GRANSKA: same name as register row 2"));
}

TEST(RegisterFormatsTest, DatetimesAndDateSerialsInCsvAreDates) {
    const CliRun r = init({"--register", kDir + "format-varianter.csv"});
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_THAT(r.output, Not(HasSubstr("columns not read")));  // "K-nivå", "R-nivå", "T-nivå"
    for (const std::string id : {"mellan", "iso", "sekunder", "serie", "serie-med-tid"}) {
        EXPECT_THAT(system_block(r.output, id), HasSubstr("date: 2023-08-21 }")) << id;
    }
    EXPECT_THAT(system_block(r.output, "iso"), HasSubstr("confidentiality: 3, integrity: 2, availability: 1"));
    // Not a date: the placeholder and the register's value.
    EXPECT_THAT(system_block(r.output, "ingen-dag"), HasSubstr("date: " + kHole + " }  # register: date '2023-02-30 00:00'"));
    EXPECT_THAT(system_block(r.output, "fritext"), HasSubstr("# register: date 'augusti 2023'"));
}

// The normalisation, on a table: parentheses, units, level words, case and å/ä/ö.
TEST(RegisterFormatsTest, HeaderVariantsAreOneNormalisationNotAList) {
    lisa::reg::Table table;
    table.rows = {{"Systemnamn (officiellt)", "Systemägare:", "Konfidentialitets-nivå", "RIKTIGHET [1-4]",
                   "Tillgänglighet (T)", "Känsliga personuppgifter (art. 9)", "Personuppgifter (ja/nej)", "Leverantör (avtalspart)"},
                  {"Ekonomi", "KS", "Nivå 2", "3.0", "T1", "nej", "Ja", "Ekonomi AB"}};
    lisa::Diagnostics diagnostics;
    const auto result = lisa::reg::make_inventory(table, {}, "r.csv", diagnostics);
    ASSERT_TRUE(diagnostics.empty()) << diagnostics.items().front().to_string();
    EXPECT_TRUE(result.unused_columns.empty()) << result.unused_columns.front();
    EXPECT_THAT(result.yaml, HasSubstr("classification: { confidentiality: 2, integrity: 3, availability: 1"));
    EXPECT_THAT(result.yaml, HasSubstr("personal_data: true\n    sensitive_personal_data: false"));
    EXPECT_THAT(result.yaml, HasSubstr("# Leverantör: Ekonomi AB"));
    // A level with words that disagree with its digit is not taken.
    table.rows[1][2] = "2 – Allvarlig skada";
    const auto disagree = lisa::reg::make_inventory(table, {}, "r.csv", diagnostics);
    EXPECT_THAT(disagree.yaml, HasSubstr("# register: K '2 – Allvarlig skada'"));
}

}  // namespace
