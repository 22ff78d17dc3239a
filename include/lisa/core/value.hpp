// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lisa {

/// A calendar date (proleptic Gregorian), stored as days since 1970-01-01.
struct Date {
    std::int64_t days = 0;

    /// Parses "YYYY-MM-DD" strictly (valid month/day, no trailing text).
    [[nodiscard]] static std::optional<Date> parse(std::string_view text);
    /**
     * True when `text` is written like a date — three groups of digits with a four-digit year:
     * Y-M-D with one- or two-digit month and day ("2024-1-5", "2024-02-30"), a timestamp starting
     * with Y-M-D ("2024-01-05T10:00"), Y/M/D, or D.M.Y, D/M/Y and D-M-Y. Structured inputs hold
     * dates to the one strict form of parse() (ISO 8601 calendar date, YYYY-MM-DD); a value that
     * looks like a date but does not parse is an error with its location, never a plain string.
     */
    [[nodiscard]] static bool looks_like(std::string_view text) noexcept;
    /// Builds a date from its parts; the parts must be valid.
    [[nodiscard]] static Date from_ymd(int year, unsigned month, unsigned day);
    /// "YYYY-MM-DD".
    [[nodiscard]] std::string to_string() const;

    friend bool operator==(Date a, Date b) noexcept { return a.days == b.days; }
    friend bool operator!=(Date a, Date b) noexcept { return a.days != b.days; }
    friend bool operator<(Date a, Date b) noexcept { return a.days < b.days; }
};

/// The type a fact has; `lisa probes` prints these names.
enum class ValueType { None, Bool, Integer, Number, String, Date, List };

[[nodiscard]] std::string_view to_string(ValueType type) noexcept;

using StringList = std::vector<std::string>;

/**
 * A typed fact value. `std::monostate` means "no value" (the fact was not collected);
 * rules never treat it as equal to anything.
 */
class Value {
public:
    using Storage =
        std::variant<std::monostate, bool, std::int64_t, double, std::string, Date, StringList>;

    Value() = default;
    Value(bool v) : data_(v) {}                         // NOLINT(google-explicit-constructor)
    Value(int v) : data_(std::int64_t{v}) {}            // NOLINT(google-explicit-constructor)
    Value(std::int64_t v) : data_(v) {}                 // NOLINT(google-explicit-constructor)
    Value(double v) : data_(v) {}                       // NOLINT(google-explicit-constructor)
    Value(std::string v) : data_(std::move(v)) {}       // NOLINT(google-explicit-constructor)
    Value(const char* v) : data_(std::string(v)) {}     // NOLINT(google-explicit-constructor)
    Value(Date v) : data_(v) {}                         // NOLINT(google-explicit-constructor)
    Value(StringList v) : data_(std::move(v)) {}        // NOLINT(google-explicit-constructor)

    [[nodiscard]] ValueType type() const noexcept;
    [[nodiscard]] bool is_none() const noexcept { return data_.index() == 0; }

    [[nodiscard]] const bool* as_bool() const noexcept { return std::get_if<bool>(&data_); }
    [[nodiscard]] const std::int64_t* as_int() const noexcept {
        return std::get_if<std::int64_t>(&data_);
    }
    [[nodiscard]] const double* as_double() const noexcept { return std::get_if<double>(&data_); }
    [[nodiscard]] const std::string* as_string() const noexcept {
        return std::get_if<std::string>(&data_);
    }
    [[nodiscard]] const Date* as_date() const noexcept { return std::get_if<Date>(&data_); }
    [[nodiscard]] const StringList* as_list() const noexcept {
        return std::get_if<StringList>(&data_);
    }
    /// Integer or number as double, if numeric.
    [[nodiscard]] std::optional<double> as_number() const noexcept;

    [[nodiscard]] const Storage& storage() const noexcept { return data_; }

    /// Short human rendering for terminal messages ("true", "2048", "[a, b]", "2026-01-31").
    [[nodiscard]] std::string to_display() const;

    friend bool operator==(const Value& a, const Value& b) { return a.data_ == b.data_; }
    friend bool operator!=(const Value& a, const Value& b) { return !(a == b); }

private:
    Storage data_;
};

}  // namespace lisa
