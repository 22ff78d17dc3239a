// SPDX-License-Identifier: Apache-2.0
// Nothing from outside reaches a terminal unfiltered (issue 11 F): an inventory whose names carry
// C0 controls, ECMA-48 escape sequences (CSI, OSC), 8-bit C1 controls and a bidi override is
// scanned, surveyed, validated, stored, listed and diffed by the real binary, and no byte a
// terminal acts on (other than newline and tab) comes out of any of those commands.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "process.hpp"

using lisa::testing_support::run_command;
using lisa::testing_support::TempDir;
using lisa::testing_support::write_file;
using ::testing::HasSubstr;

namespace {

// The first byte (or C1 pair) a terminal would act on, or npos.
std::size_t first_control(const std::string& s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
            return i;
        }
        if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
            static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
            return i;
        }
        if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
            static_cast<unsigned char>(s[i + 2]) >= 0xAA && static_cast<unsigned char>(s[i + 2]) <= 0xAE) {
            return i;  // U+202A..U+202E
        }
    }
    return std::string::npos;
}

// Hostile text in every kind: OSC retitle, CSI clear screen, BEL, backspaces, CR, 8-bit CSI,
// NEL, RLO.
const std::string kHostile = "\\e]0;pwned\\a\\e[2J\\b\\b\\rfake\\u009b31mred\\u0085\\u202eevil";

std::string inventory() {
    return "schema_version: 1\n"
           "organization: { name: \"Kommun " + kHostile + "\", municipality_code: \"9996\", population: 30000 }\n"
           "systems:\n"
           "  - id: sys\n"
           "    name: \"System " + kHostile + "\"\n"
           "    owner: \"Nämnd " + kHostile + "\"\n"
           "    verksamhetsomraden: [\"Barn och unga\"]\n"
           "    roles: [myndighetsutövning]\n"
           "    personal_data: true\n"
           "    sensitive_personal_data: true\n"
           "    authentication: { external: password, internal: password }\n";
}

struct Out {
    int status = -1;
    std::string text;
};

Out lisa(std::vector<std::string> args) {
    args.insert(args.begin(), LISA_BINARY);
    Out o;
    o.status = run_command(args, &o.text);
    return o;
}

TEST(TerminalTest, NoControlCharacterFromTheInputsReachesTheTerminalFromAnyCommand) {
    TempDir dir;
    const std::string inv = dir.file("inventory.yaml");
    write_file(inv, inventory());
    const std::string db = dir.file("h.db");
    const std::vector<std::vector<std::string>> commands = {
        {"scan", "--inventory", inv, "--history", db, "--lang", "en"},
        {"scan", "--inventory", inv, "--history", db, "--color", "always"},
        {"survey", "--inventory", inv, "--no-history"},
        {"history", "--history", db},
        {"diff", "--history", db},
        {"report", "1", "--history", db, "--format", "json"},
        {"scan", "--inventory", inv, "--no-history", "--format", "json"},
    };
    for (const auto& args : commands) {
        const Out o = lisa(args);
        EXPECT_LT(o.status, 4) << args[0] << ": " << o.text;
        std::string checked = o.text;
        if (std::find(args.begin(), args.end(), "always") != args.end()) {
            // lisa's own colours are the only escape sequences, and only with --color always.
            for (const std::string sgr : {"\033[1m", "\033[0m", "\033[31m", "\033[32m", "\033[33m"}) {
                for (auto at = checked.find(sgr); at != std::string::npos; at = checked.find(sgr)) {
                    checked.erase(at, sgr.size());
                }
            }
        }
        const auto at = first_control(checked);
        EXPECT_EQ(at, std::string::npos) << args[0] << " printed a control character: "
                                        << (at == std::string::npos ? "" : checked.substr(at > 20 ? at - 20 : 0, 40));
    }
    // The hostile names are shown, visibly escaped.
    EXPECT_THAT(lisa({"scan", "--inventory", inv, "--no-history"}).text, HasSubstr("Kommun \\x1b]0;pwned\\x07"));
    EXPECT_THAT(lisa({"history", "--history", db}).text, HasSubstr("Kommun \\x1b]0;pwne"));
}

TEST(TerminalTest, ValidationMessagesAndUsageErrorsAreSanitisedToo) {
    TempDir dir;
    const std::string inv = dir.file("bad.yaml");
    write_file(inv, inventory() + "\"bad\\e[2Jkey\\u009b\": 1\n");
    const Out v = lisa({"validate", "--inventory", inv});
    EXPECT_EQ(v.status, 2) << v.text;
    EXPECT_EQ(first_control(v.text), std::string::npos) << v.text;
    EXPECT_THAT(v.text, HasSubstr("\\x1b[2J"));
    const Out u = lisa({"scan", "--inventory", inv, "--format", "x\x1b[2Jy"});
    EXPECT_EQ(u.status, 2);
    EXPECT_EQ(first_control(u.text), std::string::npos) << u.text;
    const Out r = lisa({"rules", "show", "NO\x1b]0;x\x07"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(first_control(r.text), std::string::npos) << r.text;
}

}  // namespace
