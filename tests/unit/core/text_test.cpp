// SPDX-License-Identifier: Apache-2.0
// The output sanitisers (lisa/core/text.hpp), one per output kind, on inputs of each hostile
// kind: C0 and C1 controls, ECMA-48 escape sequences (CSI, OSC, DCS, 8-bit CSI), bidi overrides,
// invalid UTF-8, formula triggers with and without leading spaces under any separator.
#include "lisa/core/text.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace lisa {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// True when no byte a terminal acts on is left: C0 but \n and \t, DEL, and C1 (C2 80..C2 9F).
bool terminal_inert(const std::string& s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
            return false;
        }
        if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
            static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
            return false;
        }
    }
    return true;
}

TEST(TerminalText, EscapeSequencesOfEveryKindBecomeVisibleText) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"\x1b[2J\x1b[Hcleared", "\\x1b[2J\\x1b[Hcleared"},              // CSI: clear screen
        {"\x1b]0;owned\x07title", "\\x1b]0;owned\\x07title"},             // OSC: window title
        {"\x1bP+q\x1b\\dcs", "\\x1bP+q\\x1b\\dcs"},                      // DCS
        {"a\rb", "a\\x0db"},                                               // CR rewrites a line
        {"\x08\x08ok", "\\x08\\x08ok"},                                    // backspaces
        {"del\x7f", "del\\x7f"},
        {"\xc2\x9b" "31mred", "\\u009b31mred"},                           // 8-bit CSI (C1)
        {"\xc2\x9d" "0;t\xc2\x9c", "\\u009d0;t\\u009c"},                  // 8-bit OSC, ST
        {"\xc2\x85line", "\\u0085line"},                                   // NEL
        {"abc\xe2\x80\xae" "evil", "abc\\u202eevil"},                        // RLO (Trojan Source)
        {"\xe2\x81\xa6x\xe2\x81\xa9", "\\u2066x\\u2069"},                 // isolates
    };
    for (const auto& [in, want] : cases) {
        EXPECT_EQ(terminal_text(in), want);
        EXPECT_TRUE(terminal_inert(terminal_text(in)));
    }
}

TEST(TerminalText, KeepsLayoutSwedishAndPrintableText) {
    EXPECT_EQ(terminal_text("Växjö kommun\n\tÅtgärd – klar"), "Växjö kommun\n\tÅtgärd – klar");
    EXPECT_EQ(terminal_text("a\nb\tc", false), "a b c");
    EXPECT_EQ(terminal_text("\xff\xfe ok \xc3"), "\xef\xbf\xbd\xef\xbf\xbd ok \xef\xbf\xbd");
    EXPECT_EQ(terminal_text("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");  // overlong '/'
}

TEST(TerminalText, OneLineIsCutAtACodePoint) {
    EXPECT_EQ(terminal_line("ååååå", 7), "åå...");
    EXPECT_EQ(terminal_line("a\nb"), "a b");
    EXPECT_TRUE(terminal_inert(terminal_line(std::string(300, '\x1b'), 100)));
}

TEST(TerminalStream, SanitisesEveryFieldButWritesOwnStyles) {
    std::ostringstream out;
    TerminalStream t(out);
    t << TerminalStyle{"\033[1m"} << "Kommun \x1b[31m" << TerminalStyle{"\033[0m"} << ' ' << 42 << '\n';
    EXPECT_EQ(out.str(), "\033[1mKommun \\x1b[31m\033[0m 42\n");
}

TEST(CsvField, FormulaTriggersAreNeutralisedAlsoAfterLeadingSpaces) {
    for (const std::string in : {"=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "  =HYPERLINK(\"x\")",
                                 " +cmd", "   @x", " -2"}) {
        const std::string out = csv_field(in);
        const std::string unquoted = out.front() == '"' ? out.substr(1) : out;
        EXPECT_EQ(unquoted.front(), '\'') << in;
    }
    EXPECT_EQ(csv_field("plain text"), "plain text");
    EXPECT_EQ(csv_field("  spaced"), "  spaced");
}

TEST(CsvField, EveryCommonSeparatorIsQuotedSoNoCellCanStartAFormula) {
    // Opened with ; (Swedish Excel), TAB or | as separator, an unquoted "x;=cmd" would give a cell "=cmd".
    for (const std::string in : {"x;=cmd()", "x,=cmd()", "x\t=cmd()", "x|=cmd()"}) {
        const std::string out = csv_field(in, ',');
        EXPECT_EQ(out.front(), '"') << in;
        EXPECT_EQ(out.back(), '"') << in;
    }
    EXPECT_EQ(csv_field("x:y", ':'), "\"x:y\"");
    EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csv_field("a\x1b[2Jb"), "a[2Jb");  // controls XML/CSV cannot hold are dropped
}

TEST(HtmlEscape, EscapesMarkupAndControls) {
    EXPECT_EQ(html_escape("<script>alert('x')</script>&\""),
              "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;");
    EXPECT_EQ(html_escape("a\x1b[2Jb"), "a\xef\xbf\xbd[2Jb");
    EXPECT_EQ(html_escape("c1\xc2\x9b"), "c1\xef\xbf\xbd");
    EXPECT_EQ(html_escape("bad\xff"), "bad\xef\xbf\xbd");
    EXPECT_EQ(html_escape("Växjö\r\n"), "Växjö\n\n");
    // A right-to-left override or isolate from a hostile peer reorders nothing on the page.
    EXPECT_EQ(html_escape("abc\xe2\x80\xae" "fdp.exe"), "abc\xef\xbf\xbd" "fdp.exe");
    EXPECT_EQ(html_escape("x\xe2\x81\xa6y\xe2\x80\x8fz"), "x\xef\xbf\xbdy\xef\xbf\xbdz");
}

// Every output kind a person reads in a viewer (CSV in a spreadsheet, JUnit XML on a CI page)
// shows C1 and bidi controls as U+FFFD; Swedish text and other non-ASCII are untouched.
TEST(XmlEscape, C1AndBidiControlsBecomeReplacementCharactersInXmlAndCsv) {
    EXPECT_EQ(xml_escape("abc\xe2\x80\xae" "fdp.exe", false), "abc\xef\xbf\xbd" "fdp.exe");
    EXPECT_EQ(xml_escape("c1\xc2\x9b" "31m", true), "c1\xef\xbf\xbd" "31m");
    EXPECT_EQ(csv_field("abc\xe2\x80\xae" "fdp.exe"), "abc\xef\xbf\xbd" "fdp.exe");
    EXPECT_EQ(csv_field("x\xd8\x9cy"), "x\xef\xbf\xbdy");
    EXPECT_EQ(csv_field("Växjö \xc2\xa0 kommun"), "Växjö \xc2\xa0 kommun");
    EXPECT_EQ(xml_escape("Växjö \xc2\xbf", false), "Växjö \xc2\xbf");
}

TEST(XmlEscape, OnlyXmlCharacters) {
    EXPECT_EQ(xml_escape("a\x01<b>\xef\xbf\xbe", false), "a&lt;b&gt;");
    EXPECT_EQ(xml_escape("t\tn\n", true), "t&#9;n&#10;");
}

TEST(JsonEscapeControls, C1AndBidiBecomeUnicodeEscapesAndNothingElseChanges) {
    EXPECT_EQ(json_escape_controls("[\"a\xe2\x80\xae" "b\"]"), "[\"a\\u202eb\"]");
    EXPECT_EQ(json_escape_controls("{\"a\": \"x\xc2\x9b" "31my\"}"), "{\"a\": \"x\\u009b31my\"}");
    EXPECT_EQ(json_escape_controls("{\"a\": \"Växjö \xc2\xa0 \xc2\xbf\"}"), "{\"a\": \"Växjö \xc2\xa0 \xc2\xbf\"}");
}

TEST(CleanUtf8, OneImplementationForEveryKind) {
    EXPECT_EQ(clean_utf8("ok åäö"), "ok åäö");
    EXPECT_EQ(clean_utf8("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // surrogate
    EXPECT_EQ(clean_utf8("\xef\xbf\xbd"), "\xef\xbf\xbd");
    std::size_t i = 0;
    EXPECT_EQ(decode_utf8("\xf0\x9f\x98\x80", i), 0x1F600U);
    EXPECT_EQ(i, 4U);
}

}  // namespace
}  // namespace lisa
