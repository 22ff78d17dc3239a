// SPDX-License-Identifier: Apache-2.0
#include "lisa/core/value.hpp"

#include <cstdio>
#include <sstream>

namespace lisa {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian calendar.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) noexcept {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2 ? 1 : 0;
}

bool is_leap(std::int64_t y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) noexcept {
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

}  // namespace

std::optional<Date> Date::parse(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return std::nullopt;
    }
    auto digits = [&](std::size_t pos, std::size_t len, unsigned& out) {
        out = 0;
        for (std::size_t i = pos; i < pos + len; ++i) {
            if (text[i] < '0' || text[i] > '9') {
                return false;
            }
            out = out * 10 + static_cast<unsigned>(text[i] - '0');
        }
        return true;
    };
    unsigned y = 0;
    unsigned m = 0;
    unsigned d = 0;
    if (!digits(0, 4, y) || !digits(5, 2, m) || !digits(8, 2, d)) {
        return std::nullopt;
    }
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) {
        return std::nullopt;
    }
    return Date{days_from_civil(y, m, d)};
}

bool Date::looks_like(std::string_view text) noexcept {
    // Splits the leading "digits sep digits sep digits" and returns the group lengths.
    auto group = [&](std::size_t& pos) {
        const std::size_t start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            ++pos;
        }
        return pos - start;
    };
    std::size_t pos = 0;
    const std::size_t a = group(pos);
    if (a == 0 || pos >= text.size()) {
        return false;
    }
    const char sep = text[pos];
    if (sep != '-' && sep != '/' && sep != '.') {
        return false;
    }
    ++pos;
    const std::size_t b = group(pos);
    if (b == 0 || b > 2 || pos >= text.size() || text[pos] != sep) {
        return false;
    }
    ++pos;
    const std::size_t c = group(pos);
    const bool rest_is_time = pos < text.size() && (text[pos] == 'T' || text[pos] == 't' ||
                                                    text[pos] == ' ');
    if (a == 4 && (sep == '-' || sep == '/') && c >= 1 && c <= 2) {
        return pos == text.size() || (sep == '-' && rest_is_time);  // Y-M-D, Y/M/D, timestamps
    }
    return a <= 2 && c == 4 && pos == text.size();  // D.M.Y, D/M/Y, D-M-Y
}

Date Date::from_ymd(int year, unsigned month, unsigned day) {
    return Date{days_from_civil(year, month, day)};
}

std::string Date::to_string() const {
    std::int64_t y = 0;
    unsigned m = 0;
    unsigned d = 0;
    civil_from_days(days, y, m, d);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
    return buf;
}

std::string_view to_string(ValueType type) noexcept {
    switch (type) {
        case ValueType::None: return "none";
        case ValueType::Bool: return "bool";
        case ValueType::Integer: return "integer";
        case ValueType::Number: return "number";
        case ValueType::String: return "string";
        case ValueType::Date: return "date";
        case ValueType::List: return "list";
    }
    return "none";
}

ValueType Value::type() const noexcept {
    switch (data_.index()) {
        case 1: return ValueType::Bool;
        case 2: return ValueType::Integer;
        case 3: return ValueType::Number;
        case 4: return ValueType::String;
        case 5: return ValueType::Date;
        case 6: return ValueType::List;
        default: return ValueType::None;
    }
}

std::optional<double> Value::as_number() const noexcept {
    if (const auto* i = as_int()) {
        return static_cast<double>(*i);
    }
    if (const auto* d = as_double()) {
        return *d;
    }
    return std::nullopt;
}

std::string Value::to_display() const {
    switch (type()) {
        case ValueType::None: return "(none)";
        case ValueType::Bool: return *as_bool() ? "true" : "false";
        case ValueType::Integer: return std::to_string(*as_int());
        case ValueType::Number: {
            std::ostringstream out;
            out << *as_double();
            return out.str();
        }
        case ValueType::String: return *as_string();
        case ValueType::Date: return as_date()->to_string();
        case ValueType::List: {
            std::string out = "[";
            const auto& list = *as_list();
            for (std::size_t i = 0; i < list.size(); ++i) {
                out += (i ? ", " : "") + list[i];
            }
            return out + "]";
        }
    }
    return {};
}

}  // namespace lisa
