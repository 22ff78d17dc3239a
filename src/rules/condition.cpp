// SPDX-License-Identifier: Apache-2.0
#include "lisa/rules/condition.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace lisa {
namespace {

constexpr std::array<std::pair<Op, std::string_view>, 12> kOps = {{
    {Op::Equals, "equals"},
    {Op::NotEquals, "not_equals"},
    {Op::Lt, "lt"},
    {Op::Lte, "lte"},
    {Op::Gt, "gt"},
    {Op::Gte, "gte"},
    {Op::In, "in"},
    {Op::NotIn, "not_in"},
    {Op::Contains, "contains"},
    {Op::Matches, "matches"},
    {Op::Exists, "exists"},
    {Op::WithinDays, "within_days"},
}};

Truth truth(bool b) { return b ? Truth::True : Truth::False; }

// Equality across numeric types (2 == 2.0) and of everything else by value.
bool equal(const Value& a, const Value& b) {
    const auto na = a.as_number();
    const auto nb = b.as_number();
    if (na && nb) {
        return *na == *nb;
    }
    return a == b;
}

// -1, 0, 1, or nullopt when the two are not ordered (different types).
std::optional<int> order(const Value& a, const Value& b) {
    if (auto na = a.as_number(), nb = b.as_number(); na && nb) {
        return *na < *nb ? -1 : (*na > *nb ? 1 : 0);
    }
    if (const auto* da = a.as_date(); da != nullptr) {
        if (const auto* db = b.as_date(); db != nullptr) {
            return *da < *db ? -1 : (*db < *da ? 1 : 0);
        }
    }
    if (const auto* sa = a.as_string(); sa != nullptr) {
        if (const auto* sb = b.as_string(); sb != nullptr) {
            const int c = sa->compare(*sb);
            return c < 0 ? -1 : (c > 0 ? 1 : 0);
        }
    }
    return std::nullopt;
}

bool member_of(const Value& actual, const Value& list_value) {
    const auto* list = list_value.as_list();
    if (list == nullptr) {
        return false;
    }
    if (const auto* s = actual.as_string()) {
        return std::find(list->begin(), list->end(), *s) != list->end();
    }
    // Non-string actuals compare by their display form ("3" in ["3", "4"]).
    const std::string shown = actual.to_display();
    return std::find(list->begin(), list->end(), shown) != list->end();
}

}  // namespace

std::string_view to_string(Op op) noexcept {
    for (const auto& [o, name] : kOps) {
        if (o == op) {
            return name;
        }
    }
    return "equals";
}

std::optional<Op> op_from_string(std::string_view text) noexcept {
    for (const auto& [o, name] : kOps) {
        if (name == text) {
            return o;
        }
    }
    return std::nullopt;
}

const std::vector<std::string>& operator_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& entry : kOps) {
            out.emplace_back(entry.second);
        }
        return out;
    }();
    return names;
}

Truth compare(Op op, const Value& actual, const Value& operand, const std::regex* regex,
              Date as_of) {
    if (op == Op::Exists) {
        const bool wanted = operand.as_bool() == nullptr || *operand.as_bool();
        return truth(actual.is_none() != wanted);
    }
    if (actual.is_none()) {
        return Truth::Unknown;
    }
    switch (op) {
        case Op::Equals: return truth(equal(actual, operand));
        case Op::NotEquals: return truth(!equal(actual, operand));
        case Op::Lt:
        case Op::Lte:
        case Op::Gt:
        case Op::Gte: {
            const auto o = order(actual, operand);
            if (!o) {
                return Truth::False;  // a string is never "less than" a number: not compliant
            }
            switch (op) {
                case Op::Lt: return truth(*o < 0);
                case Op::Lte: return truth(*o <= 0);
                case Op::Gt: return truth(*o > 0);
                default: return truth(*o >= 0);
            }
        }
        case Op::In: return truth(member_of(actual, operand));
        case Op::NotIn: return truth(!member_of(actual, operand));
        case Op::Contains: {
            if (const auto* list = actual.as_list()) {
                const std::string needle = operand.to_display();
                return truth(std::find(list->begin(), list->end(), needle) != list->end());
            }
            if (const auto* s = actual.as_string()) {
                return truth(s->find(operand.to_display()) != std::string::npos);
            }
            return Truth::False;
        }
        case Op::Matches: {
            if (regex == nullptr) {
                return Truth::False;
            }
            if (const auto* s = actual.as_string()) {
                return truth(std::regex_search(*s, *regex));
            }
            return truth(std::regex_search(actual.to_display(), *regex));
        }
        case Op::WithinDays: {
            const auto* d = actual.as_date();
            const auto n = operand.as_number();
            if (d == nullptr || !n) {
                return Truth::False;
            }
            const std::int64_t age = as_of.days - d->days;
            // A date after the scan date is not "within the last N days" of it.
            return truth(age >= 0 && static_cast<double>(age) <= *n);
        }
        case Op::Exists: break;
    }
    return Truth::Unknown;
}

}  // namespace lisa
