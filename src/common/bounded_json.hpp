// SPDX-License-Identifier: Apache-2.0
// Internal: the one way lisa parses JSON it did not just build in memory — reports read back
// (`lisa report FILE.json`, `lisa diff A B`, history rows) and documents fetched from peers (OIDC
// discovery). Size and nesting are capped before memory or the stack can run away: nlohmann's
// DOM takes about ten times the text, and code that walks a document recurses per level
// (issue 11, kind D).
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace lisa::detail {

/// Deepest nesting accepted. A lisa report nests 7 levels; discovery documents fewer.
inline constexpr std::size_t kMaxJsonDepth = 64;
/// Largest report read back. The example municipality's report is 300 KiB; one of a very large
/// municipality (thousands of findings) a few MiB.
inline constexpr std::size_t kMaxReportJsonBytes = 64 * 1024 * 1024;

/// "line:col" of the first opening bracket nested deeper than kMaxJsonDepth (strings skipped),
/// to locate the depth error; only called once the parser refused the document.
inline std::string too_deep_at(std::string_view text) {
    std::size_t depth = 0;
    int line = 1;
    int col = 0;
    bool in_string = false;
    bool escaped = false;
    for (const char c : text) {
        ++col;
        if (c == '\n') {
            ++line;
            col = 0;
        }
        if (in_string) {
            escaped = !escaped && c == '\\';
            in_string = escaped || c != '"';
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxJsonDepth) {
                return std::to_string(line) + ":" + std::to_string(col);
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return "1:1";
}

/**
 * Parses `text` as one JSON document of at most `max_bytes` bytes nested at most kMaxJsonDepth
 * deep (checked by a parser callback as the parse descends, so a million '[' stop at the 65th).
 * On failure returns nullopt and sets `error`: "LINE:COL: JSON nested deeper than 64 levels",
 * "N bytes, over the limit of M", or the parser's message (which states line and column).
 */
template <typename Json = nlohmann::json>
std::optional<Json> parse_bounded_json(std::string_view text, std::size_t max_bytes, std::string& error) {
    if (text.size() > max_bytes) {
        error = std::to_string(text.size()) + " bytes, over the limit of " + std::to_string(max_bytes);
        return std::nullopt;
    }
    struct TooDeep {};
    const typename Json::parser_callback_t guard = [](int depth, typename Json::parse_event_t event, Json&) {
        if ((event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start) &&
            depth >= static_cast<int>(kMaxJsonDepth)) {
            throw TooDeep{};
        }
        return true;
    };
    try {
        return Json::parse(text.begin(), text.end(), guard);
    } catch (const TooDeep&) {
        error = too_deep_at(text) + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                " levels, lisa's cap";
    } catch (const typename Json::exception& e) {
        error = e.what();
    }
    return std::nullopt;
}

}  // namespace lisa::detail
