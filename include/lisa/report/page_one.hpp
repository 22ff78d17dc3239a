// SPDX-License-Identifier: Apache-2.0
// Page one for the board (issue 16 item 7): the verdict against the municipality's own target,
// the most serious risks in ordinary words with their owners, what changed since the last audit
// and how much could not be checked. Pure functions of the report model (document.hpp); the HTML
// writer words them from the label catalogue through templates/html/page_one.mustache.
// README "Page one for the board".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "lisa/report/document.hpp"

namespace lisa {

/// Page one's traffic light.
enum class BoardVerdict {
    Green,     ///< score ≥ target_score and at most kUncheckedCap of the checks could not run
    Amber,     ///< score ≥ amber_from; or green by score but too much could not be checked
    Red,       ///< below amber_from (below target_score when there is no amber band), or no score
    NoTarget,  ///< the inventory set no `report.target_score`: the score is shown, not judged
};

/// The share of checks (error findings / findings that apply) above which page one is never
/// green: a score over a scan where more than a tenth could not be checked says too little to
/// call it green. The page states the rule (label `board.rule_unchecked`); README documents it.
inline constexpr double kUncheckedCap = 0.10;

/// How many checks could not run, of how many that apply (findings other than not_applicable).
struct UncheckedShare {
    std::size_t unchecked = 0;  ///< findings in `error`
    std::size_t total = 0;      ///< findings that are not not_applicable
    /// unchecked / total, 0–1; 0 when nothing applied.
    [[nodiscard]] double share() const noexcept {
        return total == 0 ? 0.0 : static_cast<double>(unchecked) / static_cast<double>(total);
    }
};
[[nodiscard]] UncheckedShare unchecked_share(const ReportDocument& report);

struct VerdictResult {
    BoardVerdict verdict = BoardVerdict::NoTarget;
    bool tempered = false;  ///< green by score, made amber because share > kUncheckedCap
};

/**
 * The verdict: green ≥ target_score, amber ≥ amber_from, red below (no amber_from: red below the
 * target); a green score with more than kUncheckedCap of the checks unchecked is amber
 * (`tempered`). No target: NoTarget whatever the score. No score (nothing scored): Red.
 */
[[nodiscard]] VerdictResult board_verdict(std::optional<double> score, const UncheckedShare& unchecked,
                                          const BoardTarget& target);

/// One risk of page one: one failing rule on one system (or directory, or the organisation).
struct BoardRisk {
    std::string rule;          ///< the rule id (for the title from ReportDocument::rules; never shown)
    Severity severity = Severity::Info;
    /// The system's id, else the top subject's (a directory's, the organisation's): the subject
    /// id up to its first '/'. Never shown.
    std::string place;
    /// The place's name as the inventory gives it (the subject_name of a finding on the place
    /// itself); empty when no finding names it.
    std::string place_name;
    std::size_t findings = 0;  ///< failing findings of the rule on that system
    /// The system owner, or the directory's (ReportFinding::owner): the first finding of the
    /// group that names one; none when no finding does.
    std::optional<std::string> owner;
};

/**
 * The `limit` most serious risks: the failing findings (status fail) grouped by rule and system,
 * ranked by severity (critical first), then by the number of failing findings, then rule id,
 * then system id (deterministic ties).
 */
[[nodiscard]] std::vector<BoardRisk> top_risks(const ReportDocument& report, std::size_t limit = 5);

}  // namespace lisa
