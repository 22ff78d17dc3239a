// SPDX-License-Identifier: Apache-2.0
// `lisa init` end to end (issue 16 item 1) with the real binary on the committed registers:
// 40 systems from the LibreOffice workbook; every value the register does not give is the one
// placeholder, and `lisa validate` reports each one at its line and column (exit 2); once they are
// filled in, the inventory validates. No servers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

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

CliRun lisa(std::vector<std::string> args) {
    args.insert(args.begin(), LISA_BINARY);
    args.insert(args.begin(), {"timeout", "-s", "KILL", "60"});
    CliRun r;
    r.status = run_command(args, &r.output);
    return r;
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

// The inventory without its first comment line (which names the register file).
std::string body(const std::string& inventory) { return inventory.substr(inventory.find('\n') + 1); }

// The block of the inventory for one system id.
std::string system_block(const std::string& inventory, const std::string& id) {
    const auto start = inventory.find("  - id: " + id + "\n");
    if (start == std::string::npos) return "";
    const auto end = inventory.find("\n  - id: ", start + 1);
    const auto comment = inventory.rfind("\n  # register row", end);
    return inventory.substr(start, (comment != std::string::npos && comment > start ? comment : end) - start);
}

TEST(InitCliTest, FortySystemsFromTheWorkbookAndValidateNamesEveryPlaceholderWhereItIs) {
    TempDir dir;
    const CliRun init = lisa({"init", "--register", kDir + "systemforteckning.xlsx", "--output", dir.file("inventory.yaml")});
    ASSERT_EQ(init.status, 0) << init.output;
    const std::string inv = read_file(dir.file("inventory.yaml"));
    EXPECT_EQ(count(inv, "\n  - id: "), 40u);
    const std::size_t holes = count(inv, kHole);
    EXPECT_THAT(init.output, HasSubstr("40 systems from systemforteckning.xlsx; " + std::to_string(holes) +
                                       " values to fill in, marked <FYLL I>"));
    EXPECT_THAT(init.output, HasSubstr("columns not read: Kommentar"));

    // What the register gives is taken as the inventory spells it.
    const std::string ifo = system_block(inv, "verksamhetssystem-individ-och-familjeomsorg");
    EXPECT_THAT(ifo, HasSubstr("verksamhetsomraden: [\"Barn och unga\", \"Ekonomiskt bistånd\", \"Familjerätt\", "
                               "\"Vuxna med missbruksproblem\"]"));
    EXPECT_THAT(ifo, HasSubstr("classification: { confidentiality: 3, integrity: 3, availability: 3, date: 2025-09-12 }"));
    EXPECT_THAT(ifo, HasSubstr("url: \"https://ifo.exempelkommun.se/\", exposure: " + kHole));
    EXPECT_THAT(ifo, HasSubstr("# Leverantör: Leverantör Omsorg AB"));
    // The register's ASCII spelling becomes the Swedish one.
    EXPECT_THAT(system_block(inv, "trygghetslarm"),
                HasSubstr("verksamhetsomraden: [\"Äldreomsorg, hemtjänst i ordinärt boende\"]"));
    // A förvaltning is not a verksamhetsområde: the placeholder, with the register's words beside it.
    EXPECT_THAT(system_block(inv, "ekonomisystem"),
                HasSubstr("verksamhetsomraden: [" + kHole + "]  # Socialstyrelsen's areas, or [] outside socialtjänst "
                          "and HSL; register: Kommunledningsförvaltningen"));
    // One unknown area among known ones: the whole list is the placeholder (never half a list).
    EXPECT_THAT(system_block(inv, "statistik-och-uppfoljning-socialtjanst"), HasSubstr("verksamhetsomraden: [" + kHole + "]"));
    EXPECT_THAT(system_block(inv, "statistik-och-uppfoljning-socialtjanst"), HasSubstr("sensitive_personal_data: " + kHole));
    // 'x' is yes; no K/R/T is "not classified", not a placeholder; levels without a date: the date is.
    EXPECT_THAT(system_block(inv, "dokumenthantering-socialtjanst-skanning"), HasSubstr("personal_data: true"));
    EXPECT_THAT(system_block(inv, "dagverksamhet-schemalaggning"), HasSubstr("# not classified in the register"));
    EXPECT_THAT(system_block(inv, "daglig-verksamhet-narvaro"),
                HasSubstr("classification: { confidentiality: 2, integrity: 2, availability: 2, date: " + kHole + " }"));
    // An address that is not an http(s) URL is not made an endpoint.
    EXPECT_THAT(system_block(inv, "kommunens-app-for-synpunkter"), HasSubstr("# register URL not probed"));
    EXPECT_THAT(system_block(inv, "kommunens-app-for-synpunkter"), HasSubstr("personal_data: " + kHole));

    // validate: one error per placeholder, each at the line and column where it stands, exit 2.
    const CliRun v = lisa({"validate", "--inventory", dir.file("inventory.yaml")});
    EXPECT_EQ(v.status, 2);
    EXPECT_THAT(v.output, HasSubstr(std::to_string(holes) + " problems found"));
    std::vector<std::string> lines;
    std::istringstream file(inv);
    for (std::string l; std::getline(file, l);) lines.push_back(l);
    static const std::regex located(R"(inventory\.yaml:(\d+):(\d+): '([^']+)' is still lisa init's placeholder)");
    std::size_t reported = 0;
    std::istringstream out(v.output);
    for (std::string l; std::getline(out, l);) {
        std::smatch m;
        if (!std::regex_search(l, m, located)) continue;
        ++reported;
        const std::size_t line = std::stoul(m[1]);
        const std::size_t column = std::stoul(m[2]);
        ASSERT_LE(line, lines.size());
        EXPECT_EQ(lines[line - 1].substr(column - 1, kHole.size()), kHole) << l;
    }
    EXPECT_EQ(reported, holes) << v.output;
    EXPECT_THAT(v.output, HasSubstr("'organization.population' is still lisa init's placeholder"));
    EXPECT_THAT(v.output, HasSubstr("'systems[0].roles[0]' is still lisa init's placeholder"));
    // No second complaint about the same value ("must be an integer", "unknown system role").
    EXPECT_THAT(v.output, Not(HasSubstr("integer")));
    EXPECT_THAT(v.output, Not(HasSubstr("unknown system role")));
}

// The answers a security officer fills in: the inventory then validates.
std::string filled(std::string inv) {
    const std::vector<std::pair<std::string, std::string>> answers = {
        {"name: " + kHole, "name: \"Exempelkommun\""},
        {"municipality_code: " + kHole, "municipality_code: \"0999\""},
        {"population: " + kHole, "population: 31000"},
        {"verksamhetsomraden: [" + kHole + "]", "verksamhetsomraden: []"},
        {"roles: [" + kHole + "]", "roles: [utförare]"},
        {"owner: " + kHole, "owner: \"Kommunstyrelsen\""},
        {"personal_data: " + kHole, "personal_data: true"},
        {"date: " + kHole, "date: 2026-01-15"},
        {"exposure: " + kHole, "exposure: internal"},
        {": " + kHole, ": 2"},  // the remaining KLASSA levels
    };
    for (const auto& [from, to] : answers) {
        for (auto at = inv.find(from); at != std::string::npos; at = inv.find(from, at + to.size())) {
            inv.replace(at, from.size(), to);
        }
    }
    return inv;
}

TEST(InitCliTest, FilledInTheInventoryValidates) {
    TempDir dir;
    ASSERT_EQ(lisa({"init", "--register", kDir + "systemforteckning.xlsx", "--output", dir.file("start.yaml")}).status, 0);
    const std::string answered = filled(read_file(dir.file("start.yaml")));
    ASSERT_EQ(count(answered, kHole), 0u);
    write_file(dir.file("inventory.yaml"), answered);
    const CliRun v = lisa({"validate", "--inventory", dir.file("inventory.yaml")});
    EXPECT_EQ(v.status, 0) << v.output;
    EXPECT_THAT(v.output, HasSubstr("subjects"));
}

TEST(InitCliTest, CsvInUtf8AndExcelsWindows1252GiveTheWorkbooksInventory) {
    const CliRun from_xlsx = lisa({"init", "--register", kDir + "systemforteckning.xlsx"});
    const CliRun from_csv = lisa({"init", "--register", kDir + "systemforteckning.csv"});
    const CliRun from_excel = lisa({"init", "--register", kDir + "systemforteckning-excel.csv", "--encoding", "windows-1252"});
    ASSERT_EQ(from_xlsx.status, 0) << from_xlsx.output;
    ASSERT_EQ(from_csv.status, 0) << from_csv.output;
    ASSERT_EQ(from_excel.status, 0) << from_excel.output;
    // stdout and the summary on stderr are captured together; compare the inventory bodies.
    const auto inventory_of = [](const std::string& out) { return body(out.substr(0, out.find("lisa init: "))); };
    EXPECT_EQ(inventory_of(from_csv.output), inventory_of(from_xlsx.output));
    EXPECT_EQ(inventory_of(from_excel.output), inventory_of(from_xlsx.output));
    // Without --encoding, Excel's CSV is refused with the option to give.
    const CliRun refused = lisa({"init", "--register", kDir + "systemforteckning-excel.csv"});
    EXPECT_EQ(refused.status, 2);
    EXPECT_THAT(refused.output, HasSubstr("systemforteckning-excel.csv:1:1: line 1: invalid UTF-8 (byte 0xF6)"));
    EXPECT_THAT(refused.output, HasSubstr("--encoding windows-1252"));
}

TEST(InitCliTest, OtherColumnNamesThroughTheMappingFile) {
    const CliRun without = lisa({"init", "--register", kDir + "annan-forteckning.xlsx"});
    EXPECT_EQ(without.status, 2);
    EXPECT_THAT(without.output, HasSubstr("annan-forteckning.xlsx:1:1: no column named System"));
    EXPECT_THAT(without.output, HasSubstr("'Namn på system'"));
    EXPECT_THAT(without.output, HasSubstr("--mapping"));
    const CliRun with = lisa({"init", "--register", kDir + "annan-forteckning.xlsx", "--mapping", kDir + "annan-mappning.yaml"});
    ASSERT_EQ(with.status, 0) << with.output;
    EXPECT_EQ(count(with.output, "\n  - id: "), 10u);
    // "Klassning K/R/T" = "K1 R3 T4" split into the three levels.
    EXPECT_THAT(system_block(with.output, "trygghetslarm"),
                HasSubstr("classification: { confidentiality: 1, integrity: 3, availability: 4, date: " + kHole));
}

TEST(InitCliTest, MappingProblemsAreEachReportedWithTheirLocation) {
    TempDir dir;
    write_file(dir.file("map.yaml"), "columns:\n  \"Namn på system\": System\n  \"Ansvarig\": Systemagre\n"
                                     "  \"Finns inte\": Leverantör\n");
    const CliRun r = lisa({"init", "--register", kDir + "annan-forteckning.xlsx", "--mapping", dir.file("map.yaml")});
    EXPECT_EQ(r.status, 2);
    EXPECT_THAT(r.output, HasSubstr("map.yaml:3:15: unknown field 'Systemagre' for column 'Ansvarig'"));
    EXPECT_THAT(r.output, HasSubstr("did you mean 'Systemägare'?"));
    EXPECT_THAT(r.output, HasSubstr("map.yaml:4:3: column 'Finns inte' is not in the register's header (row 1)"));
    EXPECT_THAT(r.output, HasSubstr("2 problems found"));
}

TEST(InitCliTest, UsageErrors) {
    TempDir dir;
    write_file(dir.file("inventory.yaml"), "keep me\n");
    const CliRun exists = lisa({"init", "--register", kDir + "systemforteckning.csv", "--output", dir.file("inventory.yaml")});
    EXPECT_EQ(exists.status, 2);
    EXPECT_THAT(exists.output, HasSubstr("give --force to replace it"));
    EXPECT_EQ(read_file(dir.file("inventory.yaml")), "keep me\n");
    EXPECT_EQ(lisa({"init", "--register", kDir + "systemforteckning.csv", "--output", dir.file("inventory.yaml"), "--force"}).status, 0);
    EXPECT_EQ(lisa({"init"}).status, 2);
    EXPECT_EQ(lisa({"init", "--register", kDir + "systemforteckning.csv", "--encoding", "latin1"}).status, 2);
    const CliRun missing = lisa({"init", "--register", dir.file("nope.xlsx")});
    EXPECT_EQ(missing.status, 2);
    EXPECT_THAT(missing.output, HasSubstr("nope.xlsx:1:1:"));
}

}  // namespace
