// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lisa/engine/scan.hpp"
#include "lisa/inventory/inventory.hpp"
#include "lisa/report/benchmarks.hpp"
#include "lisa/report/labels.hpp"
#include "lisa/rules/loader.hpp"

namespace lisa {

/// One unit (system, e-service, document, organisation) counted towards an answer.
struct IndicatorUnit {
    std::string subject;       ///< subject id
    std::string verdict;       ///< pass | fail | error
    std::string provenance;    ///< the evidence the verdict rests on: declared | document | probed
    std::vector<std::string> failing_rules;
    /// Rules whose check of this unit ended in error (e.g. AUTH-005: the external endpoint could
    /// not be probed). Any makes the unit's verdict "error": what could not be checked is never
    /// replaced by weaker evidence, and the answer is incomplete.
    std::vector<std::string> errored_rules;
};

/// A caveat on an answer: a counted unit's finding that contradicts what the answer rests on.
struct IndicatorCaveat {
    std::string rule;
    std::string subject;
    std::string message;  ///< the finding's own message (used when no counts are known)
    /// The directory's counts behind a contradiction (AUTH-006): enabled accounts, and how many
    /// of them lack strong authentication. Reports word the caveat from these in their language.
    std::optional<std::int64_t> enabled;
    std::optional<std::int64_t> without_strong_auth;
    /// The finding's result as data (evaluator.hpp): how a caveat without counts is worded in
    /// the report's language. Not written to JSON (the worded `message` is).
    ResultDetail result;
};

/**
 * The caveat as a sentence in `lang` ("sv" or "en"), for every writer (text, CSV, JSON, HTML),
 * in the label catalogue's words (keys `caveat.*`; the finding's result through Labels::result
 * when no counts are known; the finding's own message only when it has no structured result).
 */
[[nodiscard]] std::string caveat_message(const IndicatorCaveat& caveat, const Labels& labels, const std::string& lang);
/// The same in the compiled-in catalogue's words.
[[nodiscard]] std::string caveat_message(const IndicatorCaveat& caveat, const std::string& lang);

/// The municipality's answer to one indicator (and breakdown value), beside the national figures.
struct IndicatorAnswer {
    std::string id;
    std::string scope;                  ///< breakdown value, empty when none
    std::optional<std::string> answer;  ///< none = not evidenced (or not asked)
    /// Set when the survey does not ask this row (e.g. all provider activity of the area handed
    /// to another legal person): the reason; `answer` is then none.
    std::optional<std::string> not_asked;
    int survey_year = 0;                ///< the year of `--as-of`: the survey it answers
    std::string period;                 ///< "YYYY-MM-DD" (state at as-of) or "YYYY" (year asked about)
    std::optional<double> share_percent;  ///< with a measure: share having it, 0–100, unrounded
    std::vector<IndicatorCaveat> caveats;
    bool complete = true;               ///< no unit ended in error
    std::vector<IndicatorUnit> units;
    std::map<std::string, int> by_provenance;  ///< judged units per provenance
    std::optional<std::int64_t> measure_total;    ///< with a measure: summed total (e.g. staff)
    std::optional<std::int64_t> measure_missing;  ///< and how many of them lack it
    const Figure* national = nullptr;
    /// Every national figure the data holds for this question and area (earlier editions' area
    /// names included), oldest first; `national` is the last of them.
    std::vector<const Figure*> national_trend;
    const Figure* size_group = nullptr;
    const SizeGroup* size_group_def = nullptr;
};

/**
 * Pure: answers every indicator of the pack from the scan's findings. A unit's verdict uses its
 * strongest evidence: where a unit has probed findings, they decide and declared ones are a
 * fallback only for rules that did not run. A unit with any finding in error (a probe that could
 * not collect its evidence) is "error": it is neither pass nor fail, and the answer is
 * incomplete. Errors never count as pass or fail. `as_of` fixes the survey year (its year)
 * and the period each indicator is asked about (IndicatorDef::period).
 */
[[nodiscard]] std::vector<IndicatorAnswer> answer_indicators(const RuleSet& rules,
                                                             const Inventory& inventory,
                                                             const ScanResult& scan,
                                                             const Benchmarks* benchmarks,
                                                             Date as_of);

/**
 * The answer on a measured scale for `have` of `total` (e.g. staff using strong authentication):
 * all/none when every/no one has it; with `def.about_half` the five-step scale, else "some".
 * `total` must be positive. Pure; exposed for the band-edge tests.
 */
[[nodiscard]] std::string measured_answer(const IndicatorDef& def, std::int64_t have, std::int64_t total);

/**
 * The decimals a share (0–100) is printed with: one, or as many more as it takes (up to nine) so
 * that a share strictly between 0 and 100 never prints as 0 or 100 — 1 of 2500 is 0.04, 2499 of
 * 2500 is 99.96 — which would contradict its answer (only "Ingen" is 0 and only "Alla" is 100).
 * Every writer (text, CSV, JSON, xlsx, HTML) rounds with it.
 */
[[nodiscard]] int share_decimals(double percent);
/// The share rounded to share_decimals(percent).
[[nodiscard]] double share_rounded(double percent);

/// What the sources say about the editions: 2023 (003) is the last report with these questions;
/// the 2025 report (001) does not report them and does not say they were dropped.
[[nodiscard]] std::string survey_editions_note(const std::string& lang);
/// The same in the words of `labels` (key `survey.editions_note`).
[[nodiscard]] std::string survey_editions_note(const Labels& labels, const std::string& lang);

/// The questions in the order of the 2023 report (003): QMS-RISK (T4), LIS (chapter text, B3 T5),
/// RISK (T12) and its 2021 follow-up RISK-NIVA (000 B2 T4),
/// CLASS (T13), SECCOM-SOC (T14), SECCOM-HSL (text after T14), AUTH-EXT (T15), AUTH-INT (T16),
/// staff use in myndighetsutövning and utförarverksamhet (T17/T18). Unknown ids follow by id.
[[nodiscard]] const std::vector<std::string>& survey_order();

/// The reason a row is not asked ("ej aktuellt"), as a sentence in `lang`: the driftsform
/// reason "drift: helt_overlaten" is worded; the pack's own reasons are returned as written.
[[nodiscard]] std::string not_asked_text(const std::string& reason, const std::string& lang);

/// Annex A coverage of one framework in this scan.
struct FrameworkCoverage {
    std::string id;
    std::string title;
    int controls = 0;
    int mapped = 0;     ///< controls with at least one rule in the pack
    int evidenced = 0;  ///< controls with a judged (pass/fail/waived) finding in this scan
    std::map<std::string, int> by_status;  ///< catalogue status → count
    std::vector<std::string> evidenced_ids;
};

[[nodiscard]] FrameworkCoverage framework_coverage(const Framework& framework, const RuleSet& rules,
                                                   const ScanResult& scan);

}  // namespace lisa
