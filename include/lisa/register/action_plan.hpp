// SPDX-License-Identifier: Apache-2.0
// Reading back the action plan the municipality filled in (issue 16 item 9): the XLSX written by
// `--format actionplan-xlsx`, edited in Excel or LibreOffice Calc, read with the minimal cell
// reader (register.hpp read_xlsx) and checked cell by cell. The shapes are
// lisa/report/action_plan.hpp. Fuzzed by tests/fuzz/fuzz_register.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lisa/register/register.hpp"
#include "lisa/report/action_plan.hpp"

namespace lisa::reg {

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
    std::vector<ActionInput> rows;
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
