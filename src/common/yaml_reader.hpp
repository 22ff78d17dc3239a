// SPDX-License-Identifier: Apache-2.0
// Internal: reading user YAML with locations, collected diagnostics and resource caps.
// Shared by the rule loader and the inventory loader; yaml-cpp stays out of public headers.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lisa/core/diagnostics.hpp"
#include "lisa/core/value.hpp"

namespace lisa::detail {

/// Edit distance, for did-you-mean suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);
/// " (did you mean 'x'?)" when a candidate is close enough, else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

/// The UTF-8 byte order mark; accepted (and skipped) at the start of every text input.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

/// Offset of the first byte that is not well-formed UTF-8 (RFC 3629 §4), or nullopt.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

/**
 * True when `text` is well-formed UTF-8. Otherwise reports "invalid UTF-8 (byte 0xE4): save the
 * file as UTF-8 …" at the line and column (in characters) of the first invalid byte; `first_line`
 * is the file line `text` starts on. lisa's own inputs are UTF-8: text in another encoding is
 * refused, never read and later printed as U+FFFD.
 */
bool check_utf8(std::string_view text, const std::string& origin, Diagnostics& diagnostics,
                int first_line = 1);

/**
 * One YAML document being read. Every accessor reports problems as diagnostics located at the
 * offending node and returns nullopt; nothing throws out of it. `budget` caps the number of nodes
 * visited, so an alias bomb cannot make us walk an exponential tree.
 */
class YamlReader {
public:
    YamlReader(std::string origin, Diagnostics& diagnostics)
        : origin_(std::move(origin)), diags_(diagnostics) {}

    /**
     * Parses `content`: size cap, UTF-8 (a leading BOM is skipped; invalid bytes are refused with
     * their location), NUL bytes, one document only, node cap (kMaxNodes), alias caps, syntax — nullopt and a
     * diagnostic on any of these. Keys repeated in one map, at any depth, are each reported
     * ("duplicate key 'x' (first at line L:C)") and the tree is still returned, so the caller
     * reports the file's other problems in the same run; the diagnostics make the input invalid.
     */
    std::optional<YAML::Node> parse(const std::string& content);

    /// `content` given to parse() starts on this line of the file (front matter: line 2).
    void set_first_line(int line) noexcept { first_line_ = line; }

    [[nodiscard]] SourceLocation at(const YAML::Node& node) const;
    void error(const YAML::Node& node, std::string message);
    [[nodiscard]] const std::string& origin() const noexcept { return origin_; }
    [[nodiscard]] Diagnostics& diagnostics() noexcept { return diags_; }

    /// Counts one visited node; false (with one diagnostic) once the budget is spent.
    bool visit(const YAML::Node& node);

    /// Reports unknown keys of a map (with did-you-mean); false when `node` is not a map.
    bool check_map(const YAML::Node& node, const std::vector<std::string>& allowed,
                   std::string_view what);
    /// A required key; reports "missing 'key'" at the map.
    std::optional<YAML::Node> require(const YAML::Node& map, const char* key, std::string_view what);

    std::optional<std::string> string(const YAML::Node& node, std::string_view what);
    std::optional<std::int64_t> integer(const YAML::Node& node, std::string_view what,
                                        std::int64_t min, std::int64_t max);
    std::optional<double> number(const YAML::Node& node, std::string_view what);
    std::optional<bool> boolean(const YAML::Node& node, std::string_view what);
    std::optional<Date> date(const YAML::Node& node, std::string_view what);
    /// A sequence of strings (a single string is not accepted).
    std::optional<std::vector<std::string>> strings(const YAML::Node& node, std::string_view what);
    /**
     * A scalar or sequence as an untyped Value (bool/int/number/date/string/list). A plain scalar
     * that looks like a date (Date::looks_like) but is not a valid YYYY-MM-DD is an error, not a
     * string; a quoted one stays a string.
     */
    std::optional<Value> value(const YAML::Node& node, std::string_view what);

private:
    [[nodiscard]] SourceLocation location(const YAML::Mark& mark) const;

    std::string origin_;
    int first_line_ = 1;
    Diagnostics& diags_;
    std::size_t budget_ = 2'000'000;
    bool budget_reported_ = false;
};

/**
 * Most nodes (scalars, lists, maps, nulls) one YAML document may hold as written. yaml-cpp's
 * node tree takes about a kilobyte per node, so a file of a million short keys — well under the
 * 4 MiB size cap — would take over a gigabyte; 100,000 nodes stay under about 100 MB. The
 * largest real inputs (a municipality's inventory, a rule pack file) hold a few thousand.
 * Counted from parser events before any tree is built; the parse stops at the first node over.
 */
inline constexpr std::size_t kMaxNodes = 100'000;
/// Largest number of aliases a document may use.
inline constexpr std::size_t kMaxAliases = 256;
/// Most nodes aliases may add by expansion (literal nodes are capped by the file size).
inline constexpr std::size_t kMaxExpandedNodes = 100'000;

}  // namespace lisa::detail
