// SPDX-License-Identifier: Apache-2.0
#include "numbers.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

namespace lisa::cli {
namespace {

std::string show(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

std::string printable(std::string_view text) {
    std::string out;
    for (const char c : text.substr(0, 64)) {
        const auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u == 0x7f) ? '?' : c;
    }
    return text.size() > 64 ? out + "..." : out;
}

std::string range_message(std::string_view name, std::string_view kind, std::string_view unit,
                          const std::string& min, const std::string& max, std::string_view text) {
    std::string m(name);
    m += " must be ";
    m += kind;
    if (!unit.empty()) {
        m += " of ";
        m += unit;
    }
    m += " from " + min + " to " + max + ", not '" + printable(text) + "'";
    return m;
}

}  // namespace

std::optional<double> parse_number(std::string_view name, std::string_view text, const NumberRange& range,
                                   std::string& error) {
    const auto fail = [&] {
        error = range_message(name, "a number", range.unit, show(range.min), show(range.max), text);
        return std::nullopt;
    };
    // from_chars accepts "nan" and "inf": only digits, a sign, '.', and an exponent are numbers here.
    const bool charset = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
    });
    if (!charset || text.front() == '+') {
        return fail();
    }
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) ||
        value < range.min || value > range.max) {
        return fail();
    }
    return value == 0 ? 0.0 : value;  // no -0
}

std::optional<std::int64_t> parse_integer(std::string_view name, std::string_view text,
                                          const IntegerRange& range, std::string& error) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < range.min ||
        value > range.max) {
        error = range_message(name, "a whole number", range.unit, std::to_string(range.min),
                              std::to_string(range.max), text);
        return std::nullopt;
    }
    return value;
}

bool looks_like_run_id(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace lisa::cli
