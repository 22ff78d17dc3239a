// SPDX-License-Identifier: Apache-2.0
// Reading back the action plan the municipality filled in (issue 16 item 9): the XLSX written by
// `--format actionplan-xlsx`, edited in Excel or LibreOffice Calc, read with the minimal cell
// reader (register.hpp read_xlsx) and checked cell by cell. The shapes are
// lisa/report/action_plan.hpp. Fuzzed by tests/fuzz/fuzz_register.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <optional>
#include <utility>

#include "lisa/register/register.hpp"

namespace lisa::reg {

/// The sheet's name (Swedish: the plan is the municipality's document).
inline constexpr const char* kActionPlanSheet = "Åtgärdsplan";

/// The fixed status values of the status column, in list order.
[[nodiscard]] const std::vector<std::string>& action_statuses();

/// The column titles of row 1, in the order lisa writes them; the municipality fills the four
/// marked columns (ansvarig, deadline, status, kommentar), lisa the rest on every export.
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

/// The rule and subject of a key "RULE:SUBJECT"; nullopt when it has no colon or an empty side.
[[nodiscard]] std::optional<std::pair<std::string, std::string>> split_action_key(std::string_view key);

/// One filled-in row as read (report/action_plan.hpp ActionInput is what the report takes).
struct PlanRow {
    std::string key;
    std::string rule;
    std::string subject;
    std::string owner;
    std::string deadline;  ///< YYYY-MM-DD or empty
    std::string status;    ///< one of action_statuses() or empty
    std::string comment;
    std::size_t row = 0;     ///< the key's cell, 1-based
    std::size_t column = 0;
};

/// The largest plan file lisa reads (its parts are capped by TableLimits as well).
inline constexpr std::size_t kMaxActionPlanBytes = 16u << 20;

/// One problem with the plan, at a cell: printed "FILE:CELL: message".
struct PlanProblem {
    std::size_t row = 0;     ///< 1-based, as the spreadsheet numbers rows
    std::size_t column = 0;  ///< 1-based (A = 1)
    std::string message;
    [[nodiscard]] std::string cell() const;  ///< "L5"
};

/// The plan's rows and every problem found in it (all of them, in one pass).
struct ActionPlanRead {
    std::vector<PlanRow> rows;
    std::vector<PlanProblem> problems;
};

/// The spreadsheet column name of a 1-based column number: 1 → "A", 27 → "AA".
[[nodiscard]] std::string column_name(std::size_t column);

/// Checks `table` (the first sheet) as an action plan. Problems: the sheet is not named
/// kActionPlanSheet (at A1); a column title lisa needs is missing from row 1 (at A1); a row with
/// content but no key, a key that is not RULE:SUBJECT, a key given twice (at the key's cell); a
/// deadline that is neither a date cell nor YYYY-MM-DD; a status outside action_statuses().
[[nodiscard]] ActionPlanRead read_action_plan_table(const Table& table);

/// read_xlsx, then read_action_plan_table; a file that is not a readable XLSX workbook is one
/// problem at A1 with the reader's reason.
[[nodiscard]] ActionPlanRead read_action_plan(std::string_view bytes, const TableLimits& limits = {});

}  // namespace lisa::reg
