// SPDX-License-Identifier: Apache-2.0
// The register readers (issue 16 item 1) on the committed registers made by LibreOffice Calc and
// the hand-made inline-string workbook (tests/data/register/make-registers): the XLSX, the UTF-8
// CSV and the windows-1252 CSV Swedish Excel saves give the same table, cell for cell.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lisa/register/register.hpp"
#include "process.hpp"

using lisa::testing_support::read_file;
using ::testing::HasSubstr;

namespace {

const std::string kDir = std::string(LISA_SOURCE_DIR) + "/tests/data/register/";

lisa::reg::Table xlsx(const std::string& name, const lisa::reg::TableLimits& limits = {}) {
    auto t = lisa::reg::read_xlsx(read_file(kDir + name), limits);
    EXPECT_TRUE(t.has_value()) << name << ": " << (t ? "" : t.error().message);
    return t ? t.value() : lisa::reg::Table{};
}

TEST(RegisterReaderTest, LibreOfficeWorkbookHasTheHeaderFortySystemsAndIsoDates) {
    const auto t = xlsx("systemforteckning.xlsx");
    ASSERT_EQ(t.rows.size(), 42u);  // title row, header, 40 systems
    EXPECT_EQ(t.rows[0][0], "Systemförteckning Exempelkommun 2026");
    EXPECT_EQ(t.rows[1][1], "Systemägare");
    EXPECT_EQ(t.rows[1][9], "Känsliga personuppgifter");
    EXPECT_EQ(t.rows[2][0], "Verksamhetssystem individ- och familjeomsorg");
    EXPECT_EQ(t.rows[2][4], "3");           // a number cell
    EXPECT_EQ(t.rows[2][7], "2025-09-12");  // a date cell: serial 45912 with format yyyy-mm-dd
    EXPECT_EQ(t.rows[4][2], "Äldreomsorg, hemtjänst i ordinärt boende");
    EXPECT_EQ(t.sheet, "systemforteckning");
}

TEST(RegisterReaderTest, XlsxUtf8CsvAndExcelCsvGiveTheSameTable) {
    const auto from_xlsx = xlsx("systemforteckning.xlsx");
    auto utf8 = lisa::reg::read_csv(read_file(kDir + "systemforteckning.csv"));
    auto excel = lisa::reg::read_csv(read_file(kDir + "systemforteckning-excel.csv"), "windows-1252");
    ASSERT_TRUE(utf8.has_value()) << utf8.error().message;
    ASSERT_TRUE(excel.has_value()) << excel.error().message;
    EXPECT_EQ(utf8.value().rows, excel.value().rows);
    ASSERT_EQ(utf8.value().rows.size(), from_xlsx.rows.size());
    for (std::size_t r = 0; r < from_xlsx.rows.size(); ++r) {
        EXPECT_EQ(utf8.value().rows[r], from_xlsx.rows[r]) << "row " << r + 1;
    }
}

TEST(RegisterReaderTest, ExcelCsvReadAsUtf8IsRefusedNamingTheEncoding) {
    auto t = lisa::reg::read_csv(read_file(kDir + "systemforteckning-excel.csv"));
    ASSERT_FALSE(t.has_value());
    EXPECT_THAT(t.error().message, HasSubstr("line 1: invalid UTF-8 (byte 0xF6)"));
    EXPECT_THAT(t.error().message, HasSubstr("--encoding windows-1252"));
    auto unknown = lisa::reg::read_csv("a;b\n", "latin-9");
    ASSERT_FALSE(unknown.has_value());
    EXPECT_THAT(unknown.error().message, HasSubstr("expected utf-8|windows-1252"));
    // 0x81 is one of the five bytes windows-1252 leaves undefined.
    auto undefined = lisa::reg::read_csv("System\n\x81\n", "windows-1252");
    ASSERT_FALSE(undefined.has_value());
    EXPECT_THAT(undefined.error().message, HasSubstr("byte 0x81 at offset 7"));
}

TEST(RegisterReaderTest, InlineStringsRichRunsBooleansFormulasAnd1904Dates) {
    const auto t = xlsx("handgjord-inline.xlsx");
    ASSERT_EQ(t.rows.size(), 3u);
    EXPECT_EQ(t.rows[0][1], "Systemägare");  // two rich-text runs
    EXPECT_TRUE(t.rows[1].empty());          // row 2 is absent from the sheet
    EXPECT_EQ(t.rows[2][0], "Växel & \"kontakt\"");
    EXPECT_EQ(t.rows[2][2], "1/2/3");        // a formula's cached string
    EXPECT_EQ(t.rows[2][3], "2025-09-12");   // serial 44450 in the 1904 system
    EXPECT_EQ(t.rows[2][4], "TRUE");
    EXPECT_EQ(t.rows[2][5], "FALSE");
    EXPECT_EQ(t.sheet, "Förteckning");
}

TEST(RegisterReaderTest, CsvQuotingAndSeparators) {
    auto semicolon = lisa::reg::read_csv("System;Ägare\r\n\"A; \"\"B\"\"\";\"rad1\nrad2\"\r\n");
    ASSERT_TRUE(semicolon.has_value());
    ASSERT_EQ(semicolon.value().rows.size(), 2u);
    EXPECT_EQ(semicolon.value().rows[1][0], "A; \"B\"");
    EXPECT_EQ(semicolon.value().rows[1][1], "rad1\nrad2");
    auto comma = lisa::reg::read_csv("\xEF\xBB\xBFSystem,K,R\nX,1,2\n");
    ASSERT_TRUE(comma.has_value());
    EXPECT_EQ(comma.value().rows[0][0], "System");  // the BOM is skipped
    EXPECT_EQ(comma.value().rows[1][2], "2");
    auto tab = lisa::reg::read_csv("System\tK\nX\t1\n");
    ASSERT_TRUE(tab.has_value());
    EXPECT_EQ(tab.value().rows[1][1], "1");
    auto open_quote = lisa::reg::read_csv("System\n\"never closed\n");
    ASSERT_FALSE(open_quote.has_value());
    EXPECT_THAT(open_quote.error().message, HasSubstr("row 2: a quoted cell is not closed"));
}

TEST(RegisterReaderTest, LimitsRefuseWithAReason) {
    lisa::reg::TableLimits small;
    small.max_part_bytes = 4096;
    auto big = lisa::reg::read_xlsx(read_file(kDir + "systemforteckning.xlsx"), small);
    ASSERT_FALSE(big.has_value());
    EXPECT_THAT(big.error().message, HasSubstr("decompresses to more than"));
    lisa::reg::TableLimits few_rows;
    few_rows.max_rows = 10;
    auto rows = lisa::reg::read_xlsx(read_file(kDir + "systemforteckning.xlsx"), few_rows);
    ASSERT_FALSE(rows.has_value());
    EXPECT_THAT(rows.error().message, HasSubstr("more than 10 rows"));
    auto csv_rows = lisa::reg::read_csv(read_file(kDir + "systemforteckning.csv"), "utf-8", few_rows);
    ASSERT_FALSE(csv_rows.has_value());
    auto not_zip = lisa::reg::read_xlsx("System;K\n");
    ASSERT_FALSE(not_zip.has_value());
    EXPECT_THAT(not_zip.error().message, HasSubstr("not an XLSX workbook"));
    // A zip that is not a workbook: the CSV's bytes inside a zip are not; a docx-like zip lacks xl/.
    auto docx = lisa::reg::read_xlsx(read_file(std::string(LISA_SOURCE_DIR) + "/tests/data/documents/ledningens-genomgang.docx"));
    ASSERT_FALSE(docx.has_value());
    EXPECT_THAT(docx.error().message, HasSubstr("xl/workbook.xml is missing"));
}

// "3/2/2" typed into Excel or Calc becomes a date; lisa never reads a date's digits as levels.
TEST(RegisterReaderTest, AKrtCellTheSpreadsheetTurnedIntoADateIsLeftToThePlaceholder) {
    lisa::reg::Table t;
    t.rows = {{"System", "K/R/T", "Personuppgifter", "Känsliga personuppgifter"},
              {"Lönesystem", "2002-03-02", "Ja", "Ja"},
              {"Ekonomi", "K2 R3 T2", "Ja", "Nej"}};
    lisa::Diagnostics d;
    const auto r = lisa::reg::make_inventory(t, {}, "register.xlsx", d);
    ASSERT_TRUE(d.empty());
    EXPECT_THAT(r.yaml, HasSubstr("classification: { confidentiality: \"<FYLL I>\", integrity: \"<FYLL I>\", "
                                  "availability: \"<FYLL I>\""));
    EXPECT_THAT(r.yaml, HasSubstr("classification: { confidentiality: 2, integrity: 3, availability: 2, date: \"<FYLL I>\" }"));
    EXPECT_EQ(r.systems, 2u);
}

}  // namespace
