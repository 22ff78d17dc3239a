// SPDX-License-Identifier: Apache-2.0
// Numbers as the reports write them: a fixed number of decimals in the classic ("C") locale, so
// output never depends on the process locale, and the decimal sign of the reader's language —
// a comma in Swedish ("72,5"; Språkrådet, Svenska skrivregler §11.3 and ISO 80000-1 §7.3.2),
// a point in English. Every writer that prints a number for a person uses these.
#pragma once

#include <string>
#include <string_view>

namespace lisa {

/// `v` with exactly `decimals` digits after the point ("72.50" for 72.5, 2); never "-0",
/// "-0.0" or "-0.00" (a rounded negative zero is written as zero). Pure, no locale.
[[nodiscard]] std::string fixed_decimals(double v, int decimals);

/// `number` (written with a decimal point, as fixed_decimals or printf write it) with the
/// decimal sign of `lang`: every '.' becomes ',' for "sv"; unchanged for any other language.
[[nodiscard]] std::string decimal_sign(std::string number, std::string_view lang);

}  // namespace lisa
