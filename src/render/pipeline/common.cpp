// SPDX-License-Identifier: Apache-2.0
#include "common.hpp"

#include <lisa/engine/scan.hpp>

#include <cstdint>

namespace lisa::render_pipeline {
namespace {

const ReportJson& empty_array() {
    static const ReportJson value = ReportJson::array();
    return value;
}

const ReportJson& empty_object() {
    static const ReportJson value = ReportJson::object();
    return value;
}

std::string dump_json(const ReportJson& j) {
    return j.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
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

/// Decodes one UTF-8 sequence at in[i]; returns the code point (U+FFFD for an invalid or
/// overlong sequence or a surrogate) and advances i past what it consumed (at least one byte).
std::uint32_t decode_utf8(std::string_view in, std::size_t& i) {
    constexpr std::uint32_t kReplacement = 0xFFFD;
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
    i += len;
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return kReplacement;
    }
    return cp;
}

bool allowed_in_xml(std::uint32_t cp) noexcept {
    if (cp < 0x20) {
        return cp == 0x09 || cp == 0x0A || cp == 0x0D;
    }
    return cp != 0xFFFE && cp != 0xFFFF;
}

}  // namespace

const ReportJson* member(const ReportJson& j, std::string_view key) noexcept {
    if (!j.is_object()) {
        return nullptr;
    }
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (it.key() == key) {
            return &it.value();
        }
    }
    return nullptr;
}

std::string text_of(const ReportJson* j) {
    if (j == nullptr || j->is_null()) {
        return {};
    }
    if (j->is_string()) {
        return j->get_ref<const std::string&>();
    }
    return dump_json(*j);
}

std::string text(const ReportJson& j, std::string_view key) {
    return text_of(member(j, key));
}

const ReportJson& array_at(const ReportJson& j, std::string_view key) noexcept {
    const ReportJson* m = member(j, key);
    return m != nullptr && m->is_array() ? *m : empty_array();
}

const ReportJson& object_at(const ReportJson& j, std::string_view key) noexcept {
    const ReportJson* m = member(j, key);
    return m != nullptr && m->is_object() ? *m : empty_object();
}

std::string normalize_lang(std::string_view lang) {
    return lang == "en" ? "en" : "sv";
}

std::string localized(const ReportJson* j, std::string_view lang) {
    if (j == nullptr) {
        return {};
    }
    if (j->is_string()) {
        return j->get_ref<const std::string&>();
    }
    if (!j->is_object()) {
        return {};
    }
    const std::string first = normalize_lang(lang);
    const std::string second = first == "sv" ? "en" : "sv";
    for (const std::string& key : {first, second}) {
        const ReportJson* m = member(*j, key);
        if (m != nullptr && m->is_string()) {
            return m->get_ref<const std::string&>();
        }
    }
    for (const auto& value : *j) {
        if (value.is_string()) {
            return value.get_ref<const std::string&>();
        }
    }
    return {};
}

int severity_rank(std::string_view severity) noexcept {
    if (severity == "critical") {
        return 0;
    }
    if (severity == "high") {
        return 1;
    }
    if (severity == "medium") {
        return 2;
    }
    if (severity == "low") {
        return 3;
    }
    if (severity == "info") {
        return 4;
    }
    return 5;
}

std::string clean_text(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    std::size_t i = 0;
    while (i < in.size()) {
        const unsigned char b = static_cast<unsigned char>(in[i]);
        if (b >= 0x20 && b < 0x80) {  // fast path: printable ASCII
            out.push_back(static_cast<char>(b));
            ++i;
            continue;
        }
        const std::uint32_t cp = decode_utf8(in, i);
        if (allowed_in_xml(cp)) {
            append_utf8(out, cp);
        }
    }
    return out;
}

std::string xml_escape(std::string_view in, bool attribute) {
    const std::string clean = clean_text(in);
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

std::string csv_field(std::string_view in) {
    std::string value = clean_text(in);
    if (!value.empty()) {
        const char c = value.front();
        if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') {
            value.insert(value.begin(), '\'');
        }
    }
    if (value.find_first_of(",\"\r\n") == std::string::npos) {
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

void write_csv_row(std::ostream& out, const std::vector<std::string>& fields) {
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) {
            line.push_back(',');
        }
        line += csv_field(fields[i]);
    }
    line += "\r\n";
    out << line;
}

const ReportJson* find_rule(const ReportJson& report, std::string_view id) noexcept {
    for (const auto& rule : array_at(report, "rules")) {
        const ReportJson* rid = member(rule, "id");
        if (rid != nullptr && rid->is_string() && rid->get_ref<const std::string&>() == id) {
            return &rule;
        }
    }
    return nullptr;
}

std::vector<std::string> evidence_lines(const ReportJson& finding) {
    std::vector<std::string> lines;
    const ReportJson& evidence = object_at(finding, "evidence");
    for (auto it = evidence.begin(); it != evidence.end(); ++it) {
        std::string line = it.key() + " = ";
        const ReportJson& fact = it.value();
        if (fact.is_object()) {
            line += text(fact, "value");
            const std::string provenance = text(fact, "provenance");
            const std::string source = text(fact, "source");
            if (!provenance.empty() || !source.empty()) {
                line += " (" + provenance;
                if (!provenance.empty() && !source.empty()) {
                    line += ", ";
                }
                line += source + ")";
            }
        } else {
            line += text_of(&fact);
        }
        lines.push_back(std::move(line));
    }
    return lines;
}

const ReportJson* find_waiver(const ReportJson& report, const ReportJson& finding) {
    const ReportJson& applied = object_at(finding, "waiver");
    const std::string decision_ref = text(applied, "decision_ref");
    const std::string rule = text(finding, "rule");
    const std::string subject = text(finding, "subject");
    const ReportJson* by_ref = nullptr;
    for (const auto& waiver : array_at(report, "waivers")) {
        if (text(waiver, "decision_ref") != decision_ref) {
            continue;
        }
        if (glob_match(text(waiver, "rule"), rule) &&
            glob_match(text(waiver, "subject"), subject)) {
            return &waiver;
        }
        if (by_ref == nullptr) {
            by_ref = &waiver;
        }
    }
    return decision_ref.empty() ? nullptr : by_ref;
}

}  // namespace lisa::render_pipeline
