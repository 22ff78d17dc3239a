// SPDX-License-Identifier: Apache-2.0
// The sanitisers: one per output kind, and the one UTF-8 decoder under them. Every string that
// came from outside (inventory, rules, evidence, a probed peer) passes the sanitiser of the kind
// of output it is written into, in every writer and command:
//
//   kind       function           what it guarantees
//   terminal   terminal_text      no C0 (but \n, \t), DEL, C1 or bidi control reaches a terminal:
//              terminal_line      each is shown as a visible escape (\x1b, \u009b, \u202e), so no
//                                 escape sequence (CSI, OSC, DCS) can move the cursor, retitle the
//                                 window, rewrite a line or reorder text
//   CSV        csv_field          a cell never starts a formula: = + - @ TAB CR, also after leading
//                                 spaces, get a leading ' (OWASP CSV injection); cells holding any
//                                 common separator (, ; TAB |) are quoted, so the guarantee holds
//                                 whatever separator a spreadsheet splits on; C1 and bidi
//                                 controls become U+FFFD (as in XML)
//   HTML       html_escape        & < > " ' escaped; C0, C1 and bidi controls become U+FFFD;
//                                 valid in text and attribute values (long tokens wrap by CSS)
//   XML        xml_escape         XML 1.0 characters only; & < > " ' escaped; C1 and bidi
//                                 controls become U+FFFD, so no viewer reorders or obeys them
//   JSON       json_escape_controls  C1 and bidi controls written as \u escapes inside the JSON
//                                 text (the JSON library escapes C0 itself): the same value
//
// Invalid UTF-8 becomes U+FFFD in every kind (clean_utf8). No function throws; all are pure.
// Sources: ECMA-48 (C0, C1 and control sequences), Unicode TR #9 (bidi controls), RFC 4180
// (CSV), OWASP "CSV Injection", XML 1.0 §2.2 (Char), RFC 8259 §7 (JSON strings).
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>

namespace lisa {

/// Decodes one UTF-8 sequence at in[i] and advances i past it (at least one byte). Returns the
/// code point, or U+FFFD for an invalid, truncated or overlong sequence, a surrogate or a value
/// past U+10FFFF (then only one byte is consumed).
[[nodiscard]] std::uint32_t decode_utf8(std::string_view in, std::size_t& i) noexcept;
/// Appends the UTF-8 encoding of `cp` (a Unicode scalar value).
void append_utf8(std::string& out, std::uint32_t cp);
/// `in` with every invalid UTF-8 sequence replaced by U+FFFD; valid input is returned unchanged.
[[nodiscard]] std::string clean_utf8(std::string_view in);

/// Terminal text: clean_utf8, then every control character shown as a visible escape —
/// C0 as \xHH (tab and newline kept when `keep_layout`, CR always escaped), DEL as \x7f, C1 as
/// \u0080–\u009f, bidi embedding/override/isolate controls as \u202a… (Trojan Source).
[[nodiscard]] std::string terminal_text(std::string_view in, bool keep_layout = true);
/// One terminal line: terminal_text with newlines and tabs shown as spaces, cut to at most `max`
/// bytes at a code point boundary ("..." appended when cut).
[[nodiscard]] std::string terminal_line(std::string_view in, std::size_t max = 160);

/// One RFC 4180 field (see the table above); `separator` is the one the file uses and is always
/// quoted, as are , ; TAB | " CR LF.
[[nodiscard]] std::string csv_field(std::string_view in, char separator = ',');

/// HTML text and attribute content: clean_utf8; & < > " ' escaped; C0 (but tab, LF; CR becomes
/// LF), DEL, C1 and bidi controls (Unicode TR #9: U+202A–U+202E, U+2066–U+2069, U+200E/F,
/// U+061C) become U+FFFD.
[[nodiscard]] std::string html_escape(std::string_view in);

/// Text with only the characters XML 1.0 allows (C0 except tab, LF, CR removed; U+FFFE/U+FFFF
/// removed), invalid UTF-8, C1 and bidi controls as U+FFFD (also the base of csv_field).
[[nodiscard]] std::string xml_clean(std::string_view in);
/// XML text or attribute value: xml_clean, then & < > " ' escaped; in attributes tab, LF and CR
/// are character references so parsers do not normalise them to spaces; CR always is.
[[nodiscard]] std::string xml_escape(std::string_view in, bool attribute);

/// JSON text (as the JSON library wrote it) with each C1 control (U+0080–U+009F) and bidi
/// control (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C) written as its \u escape: the same
/// JSON value, and nothing left for a terminal to obey.
[[nodiscard]] std::string json_escape_controls(std::string json);

/// A terminal style (an SGR sequence lisa itself writes, e.g. "\033[1m"), or "" without colour.
struct TerminalStyle {
    const char* code = "";
};

/**
 * A stream for terminal text: every string and character written to it passes terminal_text
 * (layout kept); only TerminalStyle values — lisa's own colours — are written as they are. Text
 * writers use it so that no field, whichever it is, can bypass the sanitiser.
 */
class TerminalStream {
public:
    explicit TerminalStream(std::ostream& out) : out_(out) {}
    TerminalStream& operator<<(TerminalStyle style) {
        out_ << style.code;
        return *this;
    }
    TerminalStream& operator<<(std::string_view text) {
        out_ << terminal_text(text);
        return *this;
    }
    TerminalStream& operator<<(const std::string& text) { return *this << std::string_view(text); }
    TerminalStream& operator<<(const char* text) { return *this << std::string_view(text); }
    TerminalStream& operator<<(char c) { return *this << std::string_view(&c, 1); }
    template <typename T, typename = std::enable_if_t<std::is_arithmetic_v<T>>>
    TerminalStream& operator<<(T number) {
        out_ << number;
        return *this;
    }

private:
    std::ostream& out_;
};

/// Glob match with '*' (any run) and '?' (one character): waivers' rule and subject selectors.
[[nodiscard]] bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace lisa
