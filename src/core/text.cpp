// SPDX-License-Identifier: Apache-2.0
// The output sanitisers (lisa/core/text.hpp): one UTF-8 decoder, one function per output kind.
#include "lisa/core/text.hpp"

#include <cstdio>

namespace lisa {
namespace {

constexpr std::uint32_t kReplacement = 0xFFFD;

bool is_c1(std::uint32_t cp) noexcept { return cp >= 0x80 && cp <= 0x9F; }

// Unicode TR #9 explicit directional embeddings, overrides and isolates, and the marks.
bool is_bidi_control(std::uint32_t cp) noexcept {
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
           cp == 0x200F || cp == 0x061C;
}

void append_escape(std::string& out, std::uint32_t cp) {
    char buf[16];
    if (cp < 0x80) {
        std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
    } else {
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
    }
    out += buf;
}

}  // namespace

std::uint32_t decode_utf8(std::string_view in, std::size_t& i) noexcept {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(in[k]); };
    const unsigned char b0 = byte(i);
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    std::uint32_t min = 0;
    if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        cp = b0 & 0x1FU;
        min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        cp = b0 & 0x0FU;
        min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        cp = b0 & 0x07U;
        min = 0x10000;
    } else {
        ++i;
        return kReplacement;
    }
    if (i + len > in.size()) {
        ++i;
        return kReplacement;
    }
    for (std::size_t k = 1; k < len; ++k) {
        const unsigned char b = byte(i + k);
        if ((b & 0xC0) != 0x80) {
            ++i;
            return kReplacement;
        }
        cp = (cp << 6) | (b & 0x3FU);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++i;
        return kReplacement;
    }
    i += len;
    return cp;
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string clean_utf8(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    std::size_t i = 0;
    while (i < in.size()) {
        const std::size_t start = i;
        const std::uint32_t cp = decode_utf8(in, i);
        if (cp == kReplacement && !(i - start == 3 && in.substr(start, 3) == "\xEF\xBF\xBD")) {
            append_utf8(out, kReplacement);
        } else {
            out.append(in.substr(start, i - start));
        }
    }
    return out;
}

std::string terminal_text(std::string_view in, bool keep_layout) {
    std::string out;
    out.reserve(in.size());
    std::size_t i = 0;
    while (i < in.size()) {
        const std::size_t start = i;
        const std::uint32_t cp = decode_utf8(in, i);
        if ((cp == '\n' || cp == '\t') && keep_layout) {
            out.push_back(static_cast<char>(cp));
        } else if ((cp == '\n' || cp == '\t') && !keep_layout) {
            out.push_back(' ');
        } else if (cp < 0x20 || cp == 0x7F || is_c1(cp) || is_bidi_control(cp)) {
            append_escape(out, cp);
        } else if (cp == kReplacement) {
            append_utf8(out, kReplacement);
        } else {
            out.append(in.substr(start, i - start));
        }
    }
    return out;
}

std::string terminal_line(std::string_view in, std::size_t max) {
    std::string s = terminal_text(in, false);
    if (s.size() <= max) {
        return s;
    }
    // Cut at a code point boundary: never half a UTF-8 character ("å" is two bytes).
    std::size_t cut = max > 3 ? max - 3 : 0;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) {
        --cut;
    }
    return s.substr(0, cut) + "...";
}

std::string csv_field(std::string_view in, char separator) {
    std::string value = xml_clean(in);
    // A formula trigger at the start, or after leading spaces (spreadsheets skip them).
    const std::size_t first = value.find_first_not_of(' ');
    if (first != std::string::npos) {
        const char c = value[first];
        if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') {
            value.insert(value.begin(), '\'');
        }
    }
    const std::string quote_on = std::string(",;\t|\"\r\n") + separator;
    if (value.find_first_of(quote_on) == std::string::npos) {
        return value;
    }
    std::string out;
    out.reserve(value.size() + 2);
    out.push_back('"');
    for (const char c : value) {
        if (c == '"') {
            out.push_back('"');
        }
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

std::string html_escape(std::string_view in) {
    std::string out;
    out.reserve(in.size() + 16);
    std::size_t i = 0;
    while (i < in.size()) {
        const std::size_t start = i;
        const std::uint32_t cp = decode_utf8(in, i);
        switch (cp) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            case '\t':
            case '\n': out.push_back(static_cast<char>(cp)); break;
            case '\r': out.push_back('\n'); break;
            default:
                if (cp < 0x20 || cp == 0x7F || is_c1(cp) || is_bidi_control(cp) || cp == kReplacement) {
                    append_utf8(out, kReplacement);
                } else {
                    out.append(in.substr(start, i - start));
                }
        }
    }
    return out;
}

std::string xml_clean(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    std::size_t i = 0;
    while (i < in.size()) {
        const std::size_t start = i;
        const std::uint32_t cp = decode_utf8(in, i);
        if ((cp < 0x20 && cp != 0x09 && cp != 0x0A && cp != 0x0D) || cp == 0xFFFE || cp == 0xFFFF) {
            continue;
        }
        // C1 and bidi controls are XML characters, but a viewer (a CI page, a spreadsheet) obeys
        // them: a right-to-left override would show a subject or message reordered.
        if (cp == kReplacement || is_c1(cp) || is_bidi_control(cp)) {
            append_utf8(out, kReplacement);
        } else {
            out.append(in.substr(start, i - start));
        }
    }
    return out;
}

std::string xml_escape(std::string_view in, bool attribute) {
    const std::string clean = xml_clean(in);
    std::string out;
    out.reserve(clean.size() + clean.size() / 8);
    for (const char c : clean) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            case '\t': out += attribute ? "&#9;" : "\t"; break;
            case '\n': out += attribute ? "&#10;" : "\n"; break;
            // A literal CR in text would be normalised away by parsers (CRLF -> LF).
            case '\r': out += "&#13;"; break;
            default: out.push_back(c); break;
        }
    }
    return out;
}

std::string json_escape_controls(std::string json) {
    // C1 (C2 80..C2 9F) and the bidi controls (E2 80 AA..AE, E2 81 A6..A9, E2 80 8E/8F,
    // D8 9C) can only stand inside strings in JSON text: written as \u escapes, the value is
    // the same and no terminal acts on them.
    // Nothing is allocated until the first control is found: most JSON holds none (issue 15).
    std::string out;
    std::size_t i = 0;
    std::size_t from = 0;
    while (i < json.size()) {
        const auto c = static_cast<unsigned char>(json[i]);
        if (c < 0xC2) {
            ++i;
            continue;
        }
        const std::size_t start = i;
        const std::uint32_t cp = decode_utf8(json, i);
        if (is_c1(cp) || is_bidi_control(cp)) {
            if (from == 0) {
                out.reserve(json.size() + 16);
            }
            out.append(json, from, start - from);
            append_escape(out, cp);
            from = i;
        }
    }
    if (from == 0) {
        return json;
    }
    out.append(json, from, std::string::npos);
    return out;
}

bool glob_match(std::string_view pattern, std::string_view text) {
    std::size_t p = 0;
    std::size_t t = 0;
    std::size_t star = std::string_view::npos;
    std::size_t mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') {
        ++p;
    }
    return p == pattern.size();
}

}  // namespace lisa
