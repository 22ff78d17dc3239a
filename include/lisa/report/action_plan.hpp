// SPDX-License-Identifier: Apache-2.0
// The municipality's action plan (åtgärdsplan) as a spreadsheet it fills in and lisa reads back
// on the next scan (issue 16 item 9): `--format actionplan-xlsx` writes it, `--action-plan FILE`
// carries owner, deadline, status and comment into the next report (ReportDocument::actions).
//
// Shapes:
//   - The sheet is the workbook's first, named kActionPlanSheet; row 1 holds the column titles
//     (action_plan_columns), so the columns may be moved or added to: lisa finds its own by
//     title. One row per action: a failing, erroring or waived finding (rule × subject).
//   - The action key is "RULE:SUBJECT" (rule id, a colon, subject id): stable across scans as
//     long as the rule id and the inventory's subject id stay the same.
//   - Deadline: a date cell, or text YYYY-MM-DD. Status: one of action_statuses() (a data-
//     validation list in the sheet), or empty.
// The reading is lisa/register/action_plan.hpp (the minimal XLSX reader, fuzzed).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lisa/report/document.hpp"

namespace lisa {

/// The sheet's name (Swedish: the plan is the municipality's document).
inline constexpr const char* kActionPlanSheet = "Åtgärdsplan";

/// The fixed status values of the status column, in list order.
[[nodiscard]] const std::vector<std::string>& action_statuses();

/// The column titles of row 1, in the order lisa writes them. The first `kActionPlanFilled`
/// from the end are the municipality's (ansvarig, deadline, status, kommentar); the rest lisa
/// fills and overwrites on every export.
struct ActionColumn {
    const char* title;
    bool filled_by_municipality;
};
[[nodiscard]] const std::vector<ActionColumn>& action_plan_columns();
inline constexpr const char* kColumnKey = "Åtgärdsnyckel";
inline constexpr const char* kColumnOwner = "Ansvarig";
inline constexpr const char* kColumnDeadline = "Deadline";
inline constexpr const char* kColumnStatus = "Status";
inline constexpr const char* kColumnComment = "Kommentar";

/// "RULE:SUBJECT".
[[nodiscard]] std::string action_key(std::string_view rule, std::string_view subject);
/// The rule and subject of a key; nullopt when it has no colon or an empty side.
[[nodiscard]] std::optional<std::pair<std::string, std::string>> split_action_key(std::string_view key);

/// One filled-in row as read from the plan.
struct ActionInput {
    std::string key;
    std::string owner;
    std::string deadline;  ///< YYYY-MM-DD or empty (checked by the reader)
    std::string status;    ///< one of action_statuses() or empty (checked by the reader)
    std::string comment;
    std::string cell;      ///< the key's cell ("A7"), for messages
    std::size_t row = 0;     ///< the key's cell, 1-based
    std::size_t column = 0;
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

/// The rows of the action plan export: fail, error and waived findings, most severe first, then
/// rule and subject; then the plan's closed actions (so the municipality keeps their history).
[[nodiscard]] std::vector<const ReportFinding*> action_rows(const ReportDocument& document);

/// The Swedish state label of an action ("öppen", "förfallen", "stängd").
[[nodiscard]] std::string_view action_state_sv(ActionState state) noexcept;

}  // namespace lisa
