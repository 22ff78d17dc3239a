// SPDX-License-Identifier: Apache-2.0
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lisa/core/value.hpp"
#include "support/test_support.hpp"

namespace lisa {
namespace {

// --- Date ----------------------------------------------------------------------------------

TEST(DateTest, EpochIsDayZero) {
    EXPECT_EQ(Date::from_ymd(1970, 1, 1).days, 0);
    EXPECT_EQ(Date::from_ymd(1970, 1, 2).days, 1);
    EXPECT_EQ(Date::from_ymd(1969, 12, 31).days, -1);
    EXPECT_EQ(Date{}.to_string(), "1970-01-01");
    EXPECT_EQ(Date{-1}.to_string(), "1969-12-31");
}

TEST(DateTest, ParsesAndFormatsKnownDates) {
    const auto d = Date::parse("2024-02-29");
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(*d, Date::from_ymd(2024, 2, 29));
    EXPECT_EQ(d->to_string(), "2024-02-29");
    EXPECT_EQ(Date::parse("2000-01-01")->days, 10957);
    EXPECT_EQ(Date::parse("0001-01-01")->to_string(), "0001-01-01");
    EXPECT_EQ(Date::parse("9999-12-31")->to_string(), "9999-12-31");
}

TEST(DateTest, RoundTripsEveryDayOverFourCenturies) {
    // 1900..2300 crosses the 1900/2100/2200 (not leap) and 2000 (leap) century rules.
    const Date first = Date::from_ymd(1900, 1, 1);
    const Date last = Date::from_ymd(2300, 12, 31);
    for (std::int64_t day = first.days; day <= last.days; ++day) {
        const Date d{day};
        const std::string text = d.to_string();
        const auto back = Date::parse(text);
        ASSERT_TRUE(back.has_value()) << text;
        ASSERT_EQ(back->days, day) << text;
    }
}

TEST(DateTest, RoundTripsSampledDaysOverTheWholeRange) {
    const Date first = Date::from_ymd(1, 1, 1);
    const Date last = Date::from_ymd(9999, 12, 31);
    for (std::int64_t day = first.days; day <= last.days; day += 97) {
        const std::string text = Date{day}.to_string();
        const auto back = Date::parse(text);
        ASSERT_TRUE(back.has_value()) << text;
        ASSERT_EQ(back->days, day) << text;
    }
}

struct BadDateCase {
    std::string name;
    std::string text;
};

class DateRejectsTest : public ::testing::TestWithParam<BadDateCase> {};

TEST_P(DateRejectsTest, Invalid) {
    EXPECT_FALSE(Date::parse(GetParam().text).has_value()) << "'" << GetParam().text << "'";
}

INSTANTIATE_TEST_SUITE_P(
    Dates, DateRejectsTest,
    ::testing::Values(BadDateCase{"Feb29InCommonYear", "2023-02-29"},
                      BadDateCase{"Feb29In1900", "1900-02-29"},
                      BadDateCase{"Feb30InLeapYear", "2024-02-30"},
                      BadDateCase{"Month13", "2024-13-01"},
                      BadDateCase{"Month0", "2024-00-10"},
                      BadDateCase{"Day0", "2024-01-00"},
                      BadDateCase{"April31", "2024-04-31"},
                      BadDateCase{"Day32", "2024-01-32"},
                      BadDateCase{"OneDigitMonth", "2024-1-01"},
                      BadDateCase{"OneDigitDay", "2024-01-1"},
                      BadDateCase{"TrailingText", "2024-01-01x"},
                      BadDateCase{"TrailingSpace", "2024-01-01 "},
                      BadDateCase{"LeadingSpace", " 2024-01-01"},
                      BadDateCase{"TimeOfDay", "2024-01-01T00:00"},
                      BadDateCase{"Slashes", "2024/01/01"},
                      BadDateCase{"YearZero", "0000-01-01"},
                      BadDateCase{"SignedMonth", "2024-+1-01"},
                      BadDateCase{"Letters", "abcd-ef-gh"},
                      BadDateCase{"Empty", ""}),
    [](const ::testing::TestParamInfo<BadDateCase>& p) { return p.param.name; });

TEST(DateTest, LeapYearsFollowTheGregorianRules) {
    EXPECT_TRUE(Date::parse("2000-02-29").has_value());   // divisible by 400
    EXPECT_FALSE(Date::parse("2100-02-29").has_value());  // divisible by 100, not 400
    EXPECT_TRUE(Date::parse("2024-02-29").has_value());   // divisible by 4
    EXPECT_FALSE(Date::parse("2025-02-29").has_value());
    EXPECT_TRUE(Date::parse("1600-02-29").has_value());
}

TEST(DateTest, DayArithmetic) {
    using testing_support::date;
    EXPECT_EQ(date("2024-03-01").days - date("2024-02-28").days, 2);  // leap year
    EXPECT_EQ(date("2023-03-01").days - date("2023-02-28").days, 1);
    EXPECT_EQ(date("2024-12-31").days - date("2024-01-01").days, 365);
    EXPECT_EQ(date("2023-12-31").days - date("2023-01-01").days, 364);
    EXPECT_EQ(date("2025-01-01").days - date("2024-12-31").days, 1);
    EXPECT_EQ(date("2001-01-01").days - date("2000-01-01").days, 366);
    EXPECT_EQ(date("2101-01-01").days - date("2100-01-01").days, 365);
    EXPECT_EQ((Date{date("2024-02-28").days + 1}).to_string(), "2024-02-29");
    EXPECT_EQ((Date{date("2024-02-28").days + 2}).to_string(), "2024-03-01");
    EXPECT_EQ((Date{date("2024-01-01").days - 1}).to_string(), "2023-12-31");
}

TEST(DateTest, Ordering) {
    using testing_support::date;
    EXPECT_TRUE(date("2024-01-01") < date("2024-01-02"));
    EXPECT_FALSE(date("2024-01-02") < date("2024-01-01"));
    EXPECT_TRUE(date("2024-01-01") != date("2024-01-02"));
    EXPECT_TRUE(date("2024-01-01") == Date::from_ymd(2024, 1, 1));
}

// --- Value ---------------------------------------------------------------------------------

TEST(ValueTest, DefaultIsNone) {
    const Value v;
    EXPECT_TRUE(v.is_none());
    EXPECT_EQ(v.type(), ValueType::None);
    EXPECT_EQ(v.to_display(), "(none)");
    EXPECT_FALSE(v.as_number().has_value());
    EXPECT_EQ(v.as_bool(), nullptr);
}

TEST(ValueTest, EachConstructorGivesItsType) {
    EXPECT_EQ(Value(true).type(), ValueType::Bool);
    EXPECT_EQ(Value(3).type(), ValueType::Integer);
    EXPECT_EQ(Value(std::int64_t{1} << 40).type(), ValueType::Integer);
    EXPECT_EQ(Value(2.5).type(), ValueType::Number);
    EXPECT_EQ(Value(std::string("x")).type(), ValueType::String);
    // A string literal must not decay to bool.
    EXPECT_EQ(Value("literal").type(), ValueType::String);
    EXPECT_EQ(Value(Date::from_ymd(2024, 1, 1)).type(), ValueType::Date);
    EXPECT_EQ(Value(StringList{"a"}).type(), ValueType::List);
    EXPECT_EQ(Value(StringList{}).type(), ValueType::List);
}

TEST(ValueTest, AccessorsReturnOnlyTheirType) {
    const Value i(42);
    ASSERT_NE(i.as_int(), nullptr);
    EXPECT_EQ(*i.as_int(), 42);
    EXPECT_EQ(i.as_double(), nullptr);
    EXPECT_EQ(i.as_string(), nullptr);
    EXPECT_EQ(i.as_number(), 42.0);

    const Value d(0.5);
    EXPECT_EQ(d.as_int(), nullptr);
    EXPECT_EQ(d.as_number(), 0.5);

    const Value s("text");
    ASSERT_NE(s.as_string(), nullptr);
    EXPECT_EQ(*s.as_string(), "text");
    EXPECT_FALSE(s.as_number().has_value());

    const Value l(StringList{"a", "b"});
    ASSERT_NE(l.as_list(), nullptr);
    EXPECT_THAT(*l.as_list(), ::testing::ElementsAre("a", "b"));
    EXPECT_EQ(l.as_date(), nullptr);
}

TEST(ValueTest, ToDisplay) {
    EXPECT_EQ(Value(true).to_display(), "true");
    EXPECT_EQ(Value(false).to_display(), "false");
    EXPECT_EQ(Value(2048).to_display(), "2048");
    EXPECT_EQ(Value(-7).to_display(), "-7");
    EXPECT_EQ(Value(2.5).to_display(), "2.5");
    EXPECT_EQ(Value("TLSv1.3").to_display(), "TLSv1.3");
    EXPECT_EQ(Value(Date::from_ymd(2026, 1, 31)).to_display(), "2026-01-31");
    EXPECT_EQ(Value(StringList{"a", "b"}).to_display(), "[a, b]");
    EXPECT_EQ(Value(StringList{}).to_display(), "[]");
}

TEST(ValueTest, EqualityIsByTypeAndValue) {
    EXPECT_EQ(Value(2), Value(std::int64_t{2}));
    EXPECT_NE(Value(2), Value(3));
    EXPECT_NE(Value(2), Value(2.0));  // typed equality; compare() handles numeric equality
    EXPECT_NE(Value("2"), Value(2));
    EXPECT_EQ(Value(StringList{"a"}), Value(StringList{"a"}));
    EXPECT_NE(Value(), Value(false));
    EXPECT_EQ(Value(), Value());
}

TEST(ValueTest, TypeNames) {
    EXPECT_EQ(to_string(ValueType::None), "none");
    EXPECT_EQ(to_string(ValueType::Bool), "bool");
    EXPECT_EQ(to_string(ValueType::Integer), "integer");
    EXPECT_EQ(to_string(ValueType::Number), "number");
    EXPECT_EQ(to_string(ValueType::String), "string");
    EXPECT_EQ(to_string(ValueType::Date), "date");
    EXPECT_EQ(to_string(ValueType::List), "list");
}

}  // namespace
}  // namespace lisa
