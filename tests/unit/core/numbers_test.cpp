// SPDX-License-Identifier: Apache-2.0
// Numbers as the reports write them (include/lisa/core/numbers.hpp): fixed decimals correctly
// rounded, no negative zero, the decimal sign of the reader's language, whatever the locale.
#include "lisa/core/numbers.hpp"

#include <gtest/gtest.h>

#include <clocale>
#include <limits>
#include <string>

namespace lisa {
namespace {

TEST(Numbers, FixedDecimalsRoundsAndPads) {
    EXPECT_EQ(fixed_decimals(72.5, 1), "72.5");
    EXPECT_EQ(fixed_decimals(72.5, 2), "72.50");
    EXPECT_EQ(fixed_decimals(73.466, 2), "73.47");
    EXPECT_EQ(fixed_decimals(99.96, 1), "100.0");
    EXPECT_EQ(fixed_decimals(2.5, 0), "2");   // the double is exactly 2.5: ties to even, as printf
    EXPECT_EQ(fixed_decimals(3.5, 0), "4");
    EXPECT_EQ(fixed_decimals(0.125, 2), "0.12");
    EXPECT_EQ(fixed_decimals(-1.25, 1), "-1.2");
    EXPECT_EQ(fixed_decimals(1e6, 1), "1000000.0");
}

TEST(Numbers, ANegativeNumberRoundingToZeroIsZero) {
    EXPECT_EQ(fixed_decimals(-0.0, 0), "0");
    EXPECT_EQ(fixed_decimals(-0.04, 1), "0.0");
    EXPECT_EQ(fixed_decimals(-0.004, 2), "0.00");
    EXPECT_EQ(fixed_decimals(-0.05, 0), "0");
    EXPECT_EQ(fixed_decimals(-0.06, 1), "-0.1");
}

TEST(Numbers, OutOfRangeDecimalsAndNonFiniteValuesNeverOverflow) {
    EXPECT_EQ(fixed_decimals(1.0, -3), "1");
    EXPECT_EQ(fixed_decimals(1.0, 99).size(), std::string("1.").size() + 17);
    EXPECT_EQ(fixed_decimals(std::numeric_limits<double>::max(), 17).size(), 309U + 1 + 17);
    EXPECT_EQ(fixed_decimals(-std::numeric_limits<double>::max(), 17).size(), 1U + 309 + 1 + 17);
    EXPECT_EQ(fixed_decimals(std::numeric_limits<double>::infinity(), 1), "inf");
}

TEST(Numbers, DecimalSignFollowsTheLanguage) {
    EXPECT_EQ(decimal_sign("72.5", "sv"), "72,5");
    EXPECT_EQ(decimal_sign(" (+1.5)", "sv"), " (+1,5)");
    EXPECT_EQ(decimal_sign("72.5", "en"), "72.5");
    EXPECT_EQ(decimal_sign("72", "sv"), "72");
    EXPECT_EQ(decimal_sign(fixed_decimals(10.25, 1), "sv"), "10,2");
}

TEST(Numbers, TheProcessLocaleChangesNothing) {
    // A locale whose decimal sign is a comma, where the machine has one; C.UTF-8 otherwise.
    const std::string before = std::setlocale(LC_NUMERIC, nullptr);
    const char* comma = nullptr;
    for (const char* name : {"sv_SE.UTF-8", "de_DE.UTF-8", "fr_FR.UTF-8", "C.UTF-8"}) {
        if (std::setlocale(LC_NUMERIC, name) != nullptr) {
            comma = name;
            break;
        }
    }
    EXPECT_EQ(fixed_decimals(72.5, 1), "72.5") << (comma != nullptr ? comma : "C");
    EXPECT_EQ(decimal_sign(fixed_decimals(72.5, 1), "en"), "72.5");
    std::setlocale(LC_NUMERIC, before.c_str());
}

}  // namespace
}  // namespace lisa
