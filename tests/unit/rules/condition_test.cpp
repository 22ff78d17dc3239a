// SPDX-License-Identifier: Apache-2.0
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <regex>
#include <string>

#include "lisa/rules/condition.hpp"
#include "support/test_support.hpp"

namespace lisa {
namespace {


const Date kAsOf = Date::from_ymd(2024, 6, 30);

Date days_before(std::int64_t n) { return Date{kAsOf.days - n}; }

struct CompareCase {
    std::string name;
    Op op;
    Value actual;
    Value operand;
    Truth expected;
    std::string regex = {};  ///< for Matches; empty means no compiled regex
};

void PrintTo(const CompareCase& c, std::ostream* out) {
    *out << c.name << ": " << to_string(c.op) << "(" << c.actual.to_display() << ", "
         << c.operand.to_display() << ")";
}

class CompareTest : public ::testing::TestWithParam<CompareCase> {};

TEST_P(CompareTest, MatchesTable) {
    const CompareCase& c = GetParam();
    std::optional<std::regex> regex;
    if (!c.regex.empty()) {
        regex.emplace(c.regex, std::regex::ECMAScript);
    }
    EXPECT_EQ(compare(c.op, c.actual, c.operand, regex ? &*regex : nullptr, kAsOf), c.expected);
}

const StringList kAB = {"a", "b"};

INSTANTIATE_TEST_SUITE_P(
    Operators, CompareTest,
    ::testing::Values(
        // equals / not_equals
        CompareCase{"EqualsIntInt", Op::Equals, 2048, 2048, Truth::True},
        CompareCase{"EqualsIntIntDiffer", Op::Equals, 2048, 4096, Truth::False},
        CompareCase{"EqualsIntDouble", Op::Equals, 2, 2.0, Truth::True},
        CompareCase{"EqualsDoubleInt", Op::Equals, 2.0, 2, Truth::True},
        CompareCase{"EqualsIntDoubleDiffer", Op::Equals, 2, 2.5, Truth::False},
        CompareCase{"EqualsString", Op::Equals, "external", "external", Truth::True},
        CompareCase{"EqualsStringCaseMatters", Op::Equals, "External", "external", Truth::False},
        CompareCase{"EqualsBool", Op::Equals, true, true, Truth::True},
        CompareCase{"EqualsBoolDiffer", Op::Equals, false, true, Truth::False},
        CompareCase{"EqualsStringVsInt", Op::Equals, "2", 2, Truth::False},
        CompareCase{"EqualsDate", Op::Equals, Date::from_ymd(2024, 1, 1),
                    Date::from_ymd(2024, 1, 1), Truth::True},
        CompareCase{"EqualsList", Op::Equals, kAB, kAB, Truth::True},
        CompareCase{"NotEqualsIntDouble", Op::NotEquals, 2, 2.0, Truth::False},
        CompareCase{"NotEqualsStrings", Op::NotEquals, "a", "b", Truth::True},
        CompareCase{"NotEqualsSameString", Op::NotEquals, "a", "a", Truth::False},
        CompareCase{"NotEqualsBoolVsString", Op::NotEquals, true, "true", Truth::True},
        // ordering on integers
        CompareCase{"LtIntTrue", Op::Lt, 1, 2, Truth::True},
        CompareCase{"LtIntEqual", Op::Lt, 2, 2, Truth::False},
        CompareCase{"LteIntEqual", Op::Lte, 2, 2, Truth::True},
        CompareCase{"LteIntGreater", Op::Lte, 3, 2, Truth::False},
        CompareCase{"GtIntTrue", Op::Gt, 3, 2, Truth::True},
        CompareCase{"GtIntEqual", Op::Gt, 2, 2, Truth::False},
        CompareCase{"GteIntEqual", Op::Gte, 2048, 2048, Truth::True},
        CompareCase{"GteIntLess", Op::Gte, 1024, 2048, Truth::False},
        CompareCase{"GteNegative", Op::Gte, -1, 0, Truth::False},
        // ordering on numbers (and mixed integer/number)
        CompareCase{"LtNumber", Op::Lt, 1.5, 2.0, Truth::True},
        CompareCase{"LtIntVsNumber", Op::Lt, 1, 1.5, Truth::True},
        CompareCase{"GteIntVsNumber", Op::Gte, 2048, 2047.5, Truth::True},
        CompareCase{"GtNumberEqual", Op::Gt, 0.1, 0.1, Truth::False},
        // ordering on dates
        CompareCase{"LtDate", Op::Lt, Date::from_ymd(2024, 1, 1), Date::from_ymd(2024, 1, 2),
                    Truth::True},
        CompareCase{"GteDateEqual", Op::Gte, Date::from_ymd(2024, 1, 1),
                    Date::from_ymd(2024, 1, 1), Truth::True},
        CompareCase{"GtDateEarlier", Op::Gt, Date::from_ymd(2023, 12, 31),
                    Date::from_ymd(2024, 1, 1), Truth::False},
        // ordering on strings (byte order)
        CompareCase{"LtString", Op::Lt, "TLSv1.2", "TLSv1.3", Truth::True},
        CompareCase{"GtString", Op::Gt, "b", "a", Truth::True},
        CompareCase{"LteStringEqual", Op::Lte, "a", "a", Truth::True},
        // mismatched types are never ordered: False both ways
        CompareCase{"GteStringVsInt", Op::Gte, "abc", 1, Truth::False},
        CompareCase{"LtStringVsInt", Op::Lt, "abc", 1, Truth::False},
        CompareCase{"GtIntVsString", Op::Gt, 5, "1", Truth::False},
        CompareCase{"LtDateVsInt", Op::Lt, Date::from_ymd(2024, 1, 1), 5, Truth::False},
        CompareCase{"GteDateVsString", Op::Gte, Date::from_ymd(2024, 1, 1), "2024-01-01",
                    Truth::False},
        CompareCase{"GtBoolVsBool", Op::Gt, true, false, Truth::False},
        CompareCase{"LtListVsList", Op::Lt, kAB, kAB, Truth::False},
        // in / not_in
        CompareCase{"InStringMember", Op::In, "TLSv1.3", StringList{"TLSv1.2", "TLSv1.3"},
                    Truth::True},
        CompareCase{"InStringNotMember", Op::In, "SSLv3", StringList{"TLSv1.2", "TLSv1.3"},
                    Truth::False},
        CompareCase{"InIntByDisplay", Op::In, 3, StringList{"3", "4"}, Truth::True},
        CompareCase{"InEmptyList", Op::In, "a", StringList{}, Truth::False},
        CompareCase{"InNonListOperand", Op::In, "a", "a", Truth::False},
        CompareCase{"NotInNotMember", Op::NotIn, "c", kAB, Truth::True},
        CompareCase{"NotInMember", Op::NotIn, "a", kAB, Truth::False},
        // contains on a list and on a string
        CompareCase{"ContainsListMember", Op::Contains, kAB, "a", Truth::True},
        CompareCase{"ContainsListNotMember", Op::Contains, kAB, "c", Truth::False},
        CompareCase{"ContainsListNoSubstringMatch", Op::Contains, StringList{"abc"}, "b",
                    Truth::False},
        CompareCase{"ContainsStringSubstring", Op::Contains, "hello world", "lo w", Truth::True},
        CompareCase{"ContainsStringMissing", Op::Contains, "hello", "xyz", Truth::False},
        CompareCase{"ContainsOnInteger", Op::Contains, 123, "2", Truth::False},
        // matches (search semantics, anchors when the pattern says so)
        CompareCase{"MatchesAnchored", Op::Matches, "TLSv1.3", "^TLSv1\\.[23]$", Truth::True,
                    "^TLSv1\\.[23]$"},
        CompareCase{"MatchesAnchoredNo", Op::Matches, "SSLv3", "^TLSv1\\.[23]$", Truth::False,
                    "^TLSv1\\.[23]$"},
        CompareCase{"MatchesIsSearch", Op::Matches, "cn=Admins,dc=x", "Admins", Truth::True,
                    "Admins"},
        CompareCase{"MatchesIntegerByDisplay", Op::Matches, 443, "^44", Truth::True, "^44"},
        CompareCase{"MatchesWithoutRegexIsFalse", Op::Matches, "x", "x", Truth::False},
        // exists
        CompareCase{"ExistsTrueOnNone", Op::Exists, Value(), true, Truth::False},
        CompareCase{"ExistsFalseOnNone", Op::Exists, Value(), false, Truth::True},
        CompareCase{"ExistsTrueOnValue", Op::Exists, "x", true, Truth::True},
        CompareCase{"ExistsFalseOnValue", Op::Exists, "x", false, Truth::False},
        CompareCase{"ExistsTrueOnFalseValue", Op::Exists, false, true, Truth::True},
        // within_days: age = as_of - date; 0 <= age <= N
        CompareCase{"WithinDaysAge0", Op::WithinDays, kAsOf, 30, Truth::True},
        CompareCase{"WithinDaysAgeN", Op::WithinDays, days_before(30), 30, Truth::True},
        CompareCase{"WithinDaysAgeNPlus1", Op::WithinDays, days_before(31), 30, Truth::False},
        CompareCase{"WithinDaysFuture", Op::WithinDays, Date{kAsOf.days + 1}, 30, Truth::False},
        CompareCase{"WithinDaysZeroToday", Op::WithinDays, kAsOf, 0, Truth::True},
        CompareCase{"WithinDaysZeroYesterday", Op::WithinDays, days_before(1), 0, Truth::False},
        CompareCase{"WithinDaysNumberOperand", Op::WithinDays, days_before(365), 365.0,
                    Truth::True},
        CompareCase{"WithinDaysOnString", Op::WithinDays, "2024-06-30", 30, Truth::False},
        // a value that was not collected is Unknown for everything but exists
        CompareCase{"NoneEquals", Op::Equals, Value(), 1, Truth::Unknown},
        CompareCase{"NoneNotEquals", Op::NotEquals, Value(), 1, Truth::Unknown},
        CompareCase{"NoneLt", Op::Lt, Value(), 1, Truth::Unknown},
        CompareCase{"NoneLte", Op::Lte, Value(), 1, Truth::Unknown},
        CompareCase{"NoneGt", Op::Gt, Value(), 1, Truth::Unknown},
        CompareCase{"NoneGte", Op::Gte, Value(), 1, Truth::Unknown},
        CompareCase{"NoneIn", Op::In, Value(), kAB, Truth::Unknown},
        CompareCase{"NoneNotIn", Op::NotIn, Value(), kAB, Truth::Unknown},
        CompareCase{"NoneContains", Op::Contains, Value(), "a", Truth::Unknown},
        CompareCase{"NoneMatches", Op::Matches, Value(), "a", Truth::Unknown, "a"},
        CompareCase{"NoneWithinDays", Op::WithinDays, Value(), 30, Truth::Unknown}),
    [](const ::testing::TestParamInfo<CompareCase>& p) { return p.param.name; });

TEST(OperatorNamesTest, RoundTripEveryOperator) {
    ASSERT_EQ(operator_names().size(), 12U);
    for (const auto& name : operator_names()) {
        const auto op = op_from_string(name);
        ASSERT_TRUE(op.has_value()) << name;
        EXPECT_EQ(to_string(*op), name);
    }
    EXPECT_FALSE(op_from_string("equal").has_value());
    EXPECT_FALSE(op_from_string("").has_value());
    EXPECT_FALSE(op_from_string("EQUALS").has_value());
}

}  // namespace
}  // namespace lisa
