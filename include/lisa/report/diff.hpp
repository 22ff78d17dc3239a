// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "lisa/report/document.hpp"
#include "lisa/report/labels.hpp"

namespace lisa {

/// One rule × subject whose verdict is compared between two reports.
struct DiffEntry {
    std::string rule;
    std::string subject;
    std::string severity;
    std::string old_status;  ///< empty when the pair did not exist
    std::string new_status;  ///< empty when the pair no longer exists
    std::string message;     ///< the newer message (the engine's English line; JSON `message`)
    /// The newer finding's structured result (evaluator.hpp), worded by the text writer in the
    /// diff's language; no clauses for an error or an older report (then the cause or `message`).
    ResultDetail result;
};

struct AreaDelta {
    std::string id;
    std::string title_sv;  ///< the rule pack's title of the area (newer report, else older); empty: none
    std::string title_en;
    std::optional<double> old_score;
    std::optional<double> new_score;
};

/// What changed between two audits (DESIGN §4: diff against the previous run).
struct ReportDiff {
    std::string old_as_of;
    std::string new_as_of;
    /// The two runs used different rule packs / inventories (`run.rule_pack_sha256`,
    /// `run.inventory_sha256`): shown as a note above the changes (text) and as
    /// `rule_pack_changed` / `inventory_changed` (JSON), since a finding may then appear or go
    /// because the rules or the inventory changed, not the systems.
    bool rule_pack_changed = false;
    bool inventory_changed = false;
    std::vector<DiffEntry> new_failures;  ///< fail now, and no verdict on the pair before
    std::vector<DiffEntry> regressed;     ///< fail now, pass (or not applicable) before
    std::vector<DiffEntry> fixed;         ///< pass now, fail or waived before
    std::vector<DiffEntry> unchanged;     ///< fail (or waived) both times
    std::vector<DiffEntry> new_errors;    ///< could not be checked now, could before
    AreaDelta overall;
    std::vector<AreaDelta> areas;
};

/**
 * Why two reports may not be compared, or none: they must be of the same organisation and the
 * same scope (`run.systems`, the `--system` selection; empty = the whole inventory), since a
 * `--system` run scores a few systems and set against a full run every other finding would
 * read as new or fixed. `lisa diff` refuses such a pair with exit 2 and this reason.
 */
[[nodiscard]] std::optional<std::string> diff_scope_problem(const ReportDocument& older, const ReportDocument& newer);

/// A `run.systems` selection as people read it: "the whole inventory" or "--system a,b".
[[nodiscard]] std::string scope_text(const std::vector<std::string>& systems);

/// Pure: compares two reports (fresh, or read back with report_from_json).
[[nodiscard]] ReportDiff diff_reports(const ReportDocument& older, const ReportDocument& newer);
/**
 * The diff as text in `lang` ("sv", else English). Every word comes from the label catalogue
 * (labels.hpp, keys `diff.*`, `status.*`, `severity.*`): areas by their pack titles, statuses and
 * severities in the reader's language, each result worded as the reports word it (no fact
 * names, no regular expressions), an error by its cause. Rule ids and subjects stay as written
 * (they are what a reader looks up). Text from the reports is sanitised for the terminal.
 */
void write_diff_text(const ReportDiff& diff, const Labels& labels, const std::string& lang, std::ostream& out);
void write_diff_json(const ReportDiff& diff, std::ostream& out);

}  // namespace lisa
