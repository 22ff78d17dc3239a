// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "lisa/core/fact.hpp"
#include "lisa/rules/fact_catalog.hpp"
#include "lisa/rules/rule.hpp"

namespace lisa {

/// Outcome of one rule on one subject.
enum class Status { Pass, Fail, Error, NotApplicable, Waived };

[[nodiscard]] std::string_view to_string(Status status) noexcept;

/**
 * The facts one subject can see, indexed by interned fact id for O(1) lookup, with the reason
 * a missing fact is missing (probe error, probe not applicable).
 */
class FactView {
public:
    explicit FactView(std::size_t ids) : facts_(ids, nullptr), missing_(ids) {}
    void set(int id, const Fact* fact) { facts_[static_cast<std::size_t>(id)] = fact; }
    void set_missing(int id, std::string reason, bool not_applicable) {
        missing_[static_cast<std::size_t>(id)] = {std::move(reason), not_applicable};
    }
    [[nodiscard]] const Fact* get(int id) const { return facts_[static_cast<std::size_t>(id)]; }
    /// Why a fact is missing ("tls: connection refused"), and whether that makes it not applicable.
    [[nodiscard]] const std::pair<std::string, bool>& missing(int id) const {
        return missing_[static_cast<std::size_t>(id)];
    }

private:
    std::vector<const Fact*> facts_;
    std::vector<std::pair<std::string, bool>> missing_;
};

/**
 * One comparison that decided a verdict, as data rather than words: each renderer words it in
 * its language from the label catalogue (lisa/report/labels.hpp), so a Swedish report never reads
 * "document.beslutad is … expected within 365 days". JSON: a finding's `result` (README "JSON
 * report").
 */
struct ResultClause {
    std::string fact;      ///< the fact's name as the rule pack writes it, e.g. "document.beslutad"
    /// The rule's operator (condition.hpp: equals, within_days, …) or one of three verdicts that
    /// are not a comparison: "not_stated" (the fact is absent and must exist), "provenance" (the
    /// evidence is weaker than the rule's `require`: expected and observed are provenance names)
    /// and, inside `none`, the operator of a clause that holds and must not (negated = true).
    std::string op;
    std::string expected;  ///< the operand as displayed (Value::to_display, ≤ 120 bytes); may be empty
    std::string observed;  ///< the fact's value as displayed (≤ 120 bytes); empty: not stated
    bool negated = false;  ///< from a `none` block: the clause holds and must not
};

/// Why a verdict is fail (or not applicable by `where`): the clauses that decided it.
struct ResultDetail {
    std::vector<ResultClause> clauses;
    bool any_of = false;   ///< an `any` block: none of the alternatives (clauses) holds
    bool where = false;    ///< the rule's `where` does not hold: not applicable
};

/// A rule's verdict on one subject, before waivers.
struct Verdict {
    Status status = Status::Error;
    std::string message;  ///< one line, no secrets; English, for logs, JUnit and SARIF
    ResultDetail detail;  ///< fail / where-not-applicable: the same as data (empty otherwise)
    std::vector<std::pair<std::string, Fact>> evidence;  ///< the facts read, by name
};

/**
 * Pure: same rule + same facts + same date => same verdict. `where` decides applicability;
 * `expect` is judged three-valued: a comparison on a missing fact is Unknown, and an Unknown
 * that decides the outcome makes the verdict `error` (never pass, never fail) — or
 * `not_applicable` when the fact's probe does not apply to the subject.
 */
[[nodiscard]] Verdict evaluate(const Rule& rule, const FactView& facts, const FactCatalog& catalog,
                               Date as_of, bool with_evidence = true);

}  // namespace lisa
