// SPDX-License-Identifier: Apache-2.0
// Numbers given on the command line: one parser for every numeric option and argument, each with
// its closed range, so that `nan`, `inf`, `1e-9`, `-1` or a 25-digit run id is refused with a
// message that names the option and the range (exit 2) instead of disabling a gate or reaching an
// internal error (issue 11, kind G).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lisa::cli {

/// The allowed values of a numeric option: a closed range [min, max] and the unit named in
/// messages ("seconds", "points", "" for a plain count).
struct NumberRange {
    double min;
    double max;
    std::string_view unit;
};
struct IntegerRange {
    std::int64_t min;
    std::int64_t max;
    std::string_view unit;
};

/// Ranges of lisa's numeric options (README "Command line"); the source of each bound is the
/// option's meaning, stated beside it.
inline constexpr NumberRange kTimeoutRange{0.1, 600, "seconds"};   ///< --timeout, per network operation
inline constexpr NumberRange kScoreRange{0, 100, "points"};        ///< --fail-under, the score's own scale
inline constexpr IntegerRange kConcurrencyRange{1, 256, ""};       ///< --concurrency, probe calls at once
inline constexpr IntegerRange kPerHostRange{1, 64, ""};            ///< --per-host, calls at once per host
inline constexpr IntegerRange kStaleDaysRange{1, 3650, "days"};    ///< --stale-days, as the inventory's stale_days
inline constexpr IntegerRange kRunIdRange{1, INT64_MAX, ""};       ///< history run ids (SQLite rowids)
inline constexpr IntegerRange kMaxGroupsRange{1, 100000, "groups"};  ///< discover ad --max-groups: groups in one draft

/**
 * Parses `text` as a finite decimal number (digits, optional sign, fraction and exponent; no
 * spaces, no hexadecimal, no `nan`/`inf`) within `range`. On failure returns nullopt and sets
 * `error` to "NAME must be a number of UNIT from MIN to MAX, not 'TEXT'", where NAME is how the
 * user wrote it ("--timeout", "run id").
 */
std::optional<double> parse_number(std::string_view name, std::string_view text, const NumberRange& range,
                                   std::string& error);

/// As parse_number for whole numbers: decimal digits with an optional leading '-', no fraction,
/// no exponent; values beyond 64 bits are out of range, not wrapped.
std::optional<std::int64_t> parse_integer(std::string_view name, std::string_view text,
                                          const IntegerRange& range, std::string& error);

/// True when `text` is a run id as typed (digits only), whatever its size: such an argument is a
/// run id and never a file name.
bool looks_like_run_id(std::string_view text);

}  // namespace lisa::cli
