// SPDX-License-Identifier: Apache-2.0
#include "lisa/core/numbers.hpp"

#include <algorithm>
#include <charconv>

namespace lisa {

std::string fixed_decimals(double v, int decimals) {
    // std::to_chars: correctly rounded, and never the process locale's decimal sign.
    char buffer[400];  // DBL_MAX in fixed notation is 309 digits, plus sign, point and 17 decimals
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::fixed,
                                   std::clamp(decimals, 0, 17));
    std::string out(buffer, end.ec == std::errc{} ? end.ptr : buffer);
    // "-0", "-0.0", …: a negative number that rounds to zero is zero.
    if (out.size() > 1 && out[0] == '-' && out.find_first_not_of("0.", 1) == std::string::npos) {
        out.erase(0, 1);
    }
    return out;
}

std::string decimal_sign(std::string number, std::string_view lang) {
    if (lang == "sv") {
        std::replace(number.begin(), number.end(), '.', ',');
    }
    return number;
}

}  // namespace lisa
