// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "lisa/engine/scan.hpp"
#include "lisa/rules/rule.hpp"

namespace lisa {

/// Counts of findings by status, indexed by `Status`.
using StatusCounts = std::array<int, 5>;

/// The score of one area (or of everything), DESIGN §7.
struct AreaScore {
    std::string id;
    std::optional<double> score;                  ///< none when no weighted rule was judged
    std::optional<double> score_without_waivers;  ///< waived findings counted as the fails they are
    double coverage = 1.0;   ///< judged / (judged + error) over rule×subject pairs
    int rules_judged = 0;    ///< rules with at least one pass or fail
    /// Every finding of the area's rules, scored or not — exactly what the report lists (the
    /// findings list, JUnit, SARIF, CSV, the "could not check" groups), so one report never shows
    /// two totals. Only the score and coverage leave unscored rules out.
    StatusCounts by_status{};
};

struct Score {
    AreaScore overall;
    std::vector<AreaScore> areas;  ///< sorted by id
};

/**
 * Pure scoring: rule share = pass / (pass + fail) over its subjects (error, not_applicable and
 * waived outside the share); area score = 100 × Σ(weight × share) / Σ weight over the area's
 * judged rules; overall the same over all judged rules. Unscored rules are left out of the scores
 * and coverage, but counted in by_status (every finding the report lists is counted once).
 */
[[nodiscard]] Score compute_score(const std::vector<Rule>& rules,
                                  const std::vector<Finding>& findings);

/// Rounds to two decimals, so reports stay byte-stable across platforms.
[[nodiscard]] double round2(double value);

}  // namespace lisa
