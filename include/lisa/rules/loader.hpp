// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "lisa/core/diagnostics.hpp"
#include "lisa/core/source_text.hpp"
#include "lisa/rules/fact_catalog.hpp"
#include "lisa/rules/indicator.hpp"
#include "lisa/rules/rule.hpp"

namespace lisa {

/// Most rules one pack may hold.
inline constexpr std::size_t kMaxRules = 10000;

/**
 * An area of the pack (`areas:` in a rule file): the id rules name in `area`, and the title every
 * report shows for it, so no renderer keeps its own list of area names. The shipped pack declares
 * every area it uses (tests/rules enforces it); a rule naming an undeclared area is still loaded and
 * reports show its id.
 */
struct AreaDef {
    std::string id;
    Text title;
    SourceLocation location;
};

/// The rule pack: rules sorted by id, plus every problem found.
struct RuleSet {
    std::vector<Rule> rules;
    std::vector<IndicatorDef> indicators;  ///< sorted by id
    std::vector<AreaDef> areas;            ///< sorted by id
    Diagnostics diagnostics;
    [[nodiscard]] bool ok() const noexcept { return diagnostics.empty(); }
    [[nodiscard]] const Rule* find(std::string_view id) const;
    /// The declared area `id`, or nullptr.
    [[nodiscard]] const AreaDef* find_area(std::string_view id) const;
};

/**
 * Parses and validates rule files: YAML syntax, unknown keys (did-you-mean), types, duplicate ids
 * across files, unknown facts and operators, facts a subject kind cannot see, nesting deeper than
 * kMaxConditionDepth, oversize files and alias bombs. Never throws on bad input; interns every
 * fact name it compiles into `catalog`.
 */
[[nodiscard]] RuleSet load_rules(const std::vector<SourceText>& files, FactCatalog& catalog);

/// Parameter overrides: rule id → name → value (from the inventory's `parameters`).
using ParamOverrides = std::map<std::string, std::map<std::string, Value>>;

/**
 * Substitutes "$name" operands with the rule's parameter (override, else default) and "$as_of"
 * with the scan date. Problems (unknown rule or parameter, wrong type) go to `diagnostics`
 * located at the override.
 */
void apply_params(std::vector<Rule>& rules, const ParamOverrides& overrides,
                  const std::map<std::string, std::map<std::string, SourceLocation>>& locations,
                  Date as_of, Diagnostics& diagnostics);

}  // namespace lisa
