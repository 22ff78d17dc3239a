// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "lisa/core/diagnostics.hpp"
#include "lisa/core/value.hpp"

namespace lisa {

/// Comparison operators of DESIGN §6.
enum class Op { Equals, NotEquals, Lt, Lte, Gt, Gte, In, NotIn, Contains, Matches, Exists, WithinDays };

[[nodiscard]] std::string_view to_string(Op op) noexcept;
[[nodiscard]] std::optional<Op> op_from_string(std::string_view text) noexcept;
/// Every operator name, for did-you-mean suggestions and docs.
[[nodiscard]] const std::vector<std::string>& operator_names();

/// A compiled condition tree: a comparison, or all/any/none over children. Depth-capped.
struct Condition {
    enum class Kind { Compare, All, Any, None };
    Kind kind = Kind::Compare;

    // Compare
    std::string fact;       ///< fact name as written
    int fact_id = -1;       ///< interned id, set by the loader
    Op op = Op::Exists;
    Value operand;          ///< after parameter substitution
    std::string param;      ///< "$name" operand to substitute, empty when literal
    std::shared_ptr<const std::regex> regex;  ///< for Matches

    std::vector<Condition> children;  // All / Any / None
    SourceLocation location;
};

/// Maximum nesting of all/any/none in a where/expect block.
inline constexpr int kMaxConditionDepth = 16;

/// Three-valued truth: a comparison on a fact that was not collected is Unknown.
enum class Truth { False, True, Unknown };

/// Pure comparison of an actual value with an operand; `as_of` serves `within_days`.
/// Returns Unknown when the actual value is none (except for Exists).
[[nodiscard]] Truth compare(Op op, const Value& actual, const Value& operand,
                            const std::regex* regex, Date as_of);

}  // namespace lisa
