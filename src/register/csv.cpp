// SPDX-License-Identifier: Apache-2.0
// A CSV system register (lisa/register/register.hpp): RFC 4180 quoting, the separator Swedish
// Excel uses (';') or ',' or TAB, UTF-8 or Windows-1252 through iconv(3).
#include <iconv.h>

#include <cerrno>
#include <memory>

#include "../common/yaml_reader.hpp"
#include "lisa/register/register.hpp"

namespace lisa::reg {
namespace {

Result<std::string> windows1252_to_utf8(std::string_view in) {
    iconv_t cd = iconv_open("UTF-8", "WINDOWS-1252");
    if (cd == reinterpret_cast<iconv_t>(-1)) {
        return Error{"this system's iconv cannot convert from windows-1252"};
    }
    std::string out(in.size() * 3 + 16, '\0');  // at most 3 UTF-8 bytes per byte
    char* src = const_cast<char*>(in.data());
    std::size_t src_left = in.size();
    char* dst = out.data();
    std::size_t dst_left = out.size();
    const std::size_t rc = iconv(cd, &src, &src_left, &dst, &dst_left);
    const int saved = errno;
    iconv_close(cd);
    if (rc == static_cast<std::size_t>(-1)) {
        // Five bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) are undefined in windows-1252.
        const std::size_t at = in.size() - src_left;
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(in[at]));
        return Error{std::string("byte ") + hex + " at offset " + std::to_string(at) +
                     " is not a windows-1252 character" + (saved == EILSEQ ? "" : " (conversion failed)")};
    }
    out.resize(out.size() - dst_left);
    return out;
}

char separator_of(std::string_view text) {
    std::size_t semicolons = 0, commas = 0, tabs = 0;
    bool quoted = false;
    for (char c : text) {
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        if (c == '\n') break;
        semicolons += c == ';';
        commas += c == ',';
        tabs += c == '\t';
    }
    if (tabs > semicolons && tabs > commas) return '\t';
    return semicolons >= commas && semicolons > 0 ? ';' : ',';
}

/// The register's text as UTF-8 without a byte order mark: converted from windows-1252, or
/// checked to be valid UTF-8.
Result<std::string> decoded_text(std::string_view bytes, const std::string& encoding) {
    std::string text;
    if (encoding == "windows-1252" || encoding == "cp1252") {
        auto converted = windows1252_to_utf8(bytes);
        if (!converted) return converted.error();
        text = std::move(converted).value();
    } else if (encoding == "utf-8" || encoding == "UTF-8" || encoding.empty()) {
        text.assign(bytes);
        if (auto bad = detail::first_invalid_utf8(text)) {
            std::size_t line = 1;
            for (std::size_t i = 0; i < *bad; ++i) line += text[i] == '\n';
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[*bad]));
            return Error{"line " + std::to_string(line) + ": invalid UTF-8 (byte " + hex +
                         "); a register saved by Swedish Excel as CSV is windows-1252: give --encoding windows-1252"};
        }
    } else {
        return Error{"unknown encoding '" + encoding + "' (expected utf-8|windows-1252)"};
    }
    if (text.compare(0, detail::kUtf8Bom.size(), detail::kUtf8Bom) == 0) text.erase(0, detail::kUtf8Bom.size());
    return text;
}

/// RFC 4180 rows and cells of `text` split at `sep`, within the limits.
Result<Table> split_rows(const std::string& text, char sep, const TableLimits& limits) {
    Table table;
    std::vector<std::string> row;
    std::string cell;
    bool quoted = false;
    bool row_started = false;
    const auto end_row = [&]() -> bool {
        row.push_back(std::move(cell));
        cell.clear();
        while (!row.empty() && row.back().empty()) row.pop_back();
        table.rows.push_back(std::move(row));
        row.clear();
        row_started = false;
        return table.rows.size() <= limits.max_rows;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    cell += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                cell += c;
            }
        } else if (c == '"' && cell.empty()) {
            quoted = true;
            row_started = true;
        } else if (c == sep) {
            row.push_back(std::move(cell));
            cell.clear();
            row_started = true;
            if (row.size() >= limits.max_columns) {
                return Error{"row " + std::to_string(table.rows.size() + 1) + " has more than " +
                             std::to_string(limits.max_columns) + " columns"};
            }
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            continue;
        } else if (c == '\n') {
            if (!end_row()) return Error{"more than " + std::to_string(limits.max_rows) + " rows"};
        } else {
            cell += c;
            row_started = true;
        }
        if (cell.size() > limits.max_cell_bytes) {
            return Error{"row " + std::to_string(table.rows.size() + 1) + ": a cell is longer than " +
                         std::to_string(limits.max_cell_bytes) + " bytes"};
        }
    }
    if (quoted) {
        return Error{"row " + std::to_string(table.rows.size() + 1) + ": a quoted cell is not closed"};
    }
    if (row_started || !cell.empty() || !row.empty()) {
        if (!end_row()) return Error{"more than " + std::to_string(limits.max_rows) + " rows"};
    }
    return table;
}

}  // namespace

Result<Table> read_csv(std::string_view bytes, const std::string& encoding, const TableLimits& limits) {
    auto text = decoded_text(bytes, encoding);
    if (!text) {
        return text.error();
    }
    return split_rows(text.value(), separator_of(text.value()), limits);
}

}  // namespace lisa::reg
