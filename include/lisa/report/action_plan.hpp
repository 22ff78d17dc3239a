// SPDX-License-Identifier: Apache-2.0
// The municipality's action plan (åtgärdsplan) as a spreadsheet it fills in and lisa reads back
// on the next scan (issue 16 item 9): `--format actionplan-xlsx` writes it, `--action-plan FILE`
// carries owner, deadline, status and comment into the next report (ReportDocument::actions).
//
// Shapes:
//   - The sheet is the workbook's first, named "Åtgärdsplan"; row 1 holds the column titles, so the columns may be moved or added to: lisa finds its own by
//     title. One row per action: a failing, erroring or waived finding (rule × subject).
//   - The action key is "RULE:SUBJECT" (rule id, a colon, subject id): stable across scans as
//     long as the rule id and the inventory's subject id stay the same.
//   - Deadline: a date cell, or text YYYY-MM-DD. Status: one of a fixed Swedish list (a
//     data-validation list in the sheet), or empty.
// The sheet's name, its column titles, the status list and the reading are
// lisa/register/action_plan.hpp (the minimal XLSX reader, fuzzed): register and report are
// sibling layers, so this side holds only the model.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lisa/report/document.hpp"

namespace lisa {

/// "RULE:SUBJECT".
[[nodiscard]] std::string action_key(std::string_view rule, std::string_view subject);

/// One filled-in row as read from the plan.
struct ActionInput {
    std::string key;
    std::string rule;     ///< the key's two halves (lisa/register/action_plan.hpp split_action_key)
    std::string subject;
    std::string owner;
    std::string deadline;  ///< YYYY-MM-DD or empty (checked by the reader)
    std::string status;    ///< one of the fixed statuses or empty (checked by the reader)
    std::string comment;
};

/// Carries the plan into `document.actions`: each row with the state of its finding in this
/// report — Closed when the finding passes or is not applicable (or is not in the report), Overdue
/// when it still fails, errs or is waived and the deadline is before run.as_of, else Open. A
/// finding that fails and has no row is not added here (the next export lists it with empty
/// columns).
void apply_action_plan(ReportDocument& document, const std::vector<ActionInput>& plan);

/// The row of the plan for this finding, or nullptr.
[[nodiscard]] const ActionRecord* find_action(const ReportDocument& document, std::string_view rule,
                                              std::string_view subject) noexcept;

/// The order of every action plan (CSV, XLSX, HTML): most severe first, then rule id, then subject id.
[[nodiscard]] bool action_order(const ReportFinding* a, const ReportFinding* b) noexcept;

/// The rows of the action plan export: fail, error and waived findings, most severe first, then
/// rule and subject; then the plan's closed actions (so the municipality keeps their history).
[[nodiscard]] std::vector<const ReportFinding*> action_rows(const ReportDocument& document);

/// The Swedish state label of an action ("öppen", "förfallen", "stängd").
[[nodiscard]] std::string_view action_state_sv(ActionState state) noexcept;

}  // namespace lisa
