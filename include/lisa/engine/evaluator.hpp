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

/// A rule's verdict on one subject, before waivers.
struct Verdict {
    Status status = Status::Error;
    std::string message;  ///< one line, no secrets
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
