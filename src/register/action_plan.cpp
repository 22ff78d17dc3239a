// SPDX-License-Identifier: Apache-2.0
// The filled-in action plan read back (lisa/register/action_plan.hpp).
#include "lisa/register/action_plan.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "lisa/core/value.hpp"

namespace lisa::reg {
namespace {

std::string trimmed(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        return {};
    }
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

std::string shown(const std::string& s) {
    return "'" + (s.size() > 60 ? s.substr(0, 60) + "…" : s) + "'";
}

}  // namespace

const std::vector<std::string>& action_statuses() {
    static const std::vector<std::string> kStatuses = {"Ej påbörjad", "Pågår", "Klar", "Riskaccepterad"};
    return kStatuses;
}

const std::vector<ActionColumn>& action_plan_columns() {
    static const std::vector<ActionColumn> kColumns = {
        {kColumnKey, false},         {"Prioritet", false},     {"Allvarlighet", false},
        {"Regel", false},            {"Brist", false},         {"System", false},
        {"Objekt", false},           {"Vad som ska göras", false}, {"Konton", false},
        {"Läge enligt lisa", false}, {kColumnOwner, true},     {kColumnDeadline, true},
        {kColumnStatus, true},       {kColumnComment, true},
    };
    return kColumns;
}

std::optional<std::pair<std::string, std::string>> split_action_key(std::string_view key) {
    const auto colon = key.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == key.size()) {
        return std::nullopt;
    }
    return std::make_pair(std::string(key.substr(0, colon)), std::string(key.substr(colon + 1)));
}

std::string column_name(std::size_t column) {
    std::string out;
    while (column > 0) {
        const std::size_t rem = (column - 1) % 26;
        out.insert(out.begin(), static_cast<char>('A' + rem));
        column = (column - 1) / 26;
    }
    return out;
}

std::string PlanProblem::cell() const { return column_name(column) + std::to_string(row); }

namespace {

/// A problem at a 0-based cell (reported 1-based).
void add_problem(ActionPlanRead& out, std::size_t row, std::size_t col, std::string message) {
    out.problems.push_back({row + 1, col + 1, std::move(message)});
}

/// Where the columns lisa reads back are (0-based).
struct PlanColumns {
    std::size_t key = 0;
    std::size_t owner = 0;
    std::size_t deadline = 0;
    std::size_t status = 0;
    std::size_t comment = 0;
};

/// Row 1: the column titles; lisa finds its columns by title. nullopt, with a problem per
/// missing title, when one is missing.
std::optional<PlanColumns> find_columns(const Table& table, ActionPlanRead& out) {
    std::map<std::string, std::size_t> column_of;
    if (!table.rows.empty()) {
        for (std::size_t c = 0; c < table.rows[0].size(); ++c) {
            const std::string title = trimmed(table.rows[0][c]);
            if (!title.empty() && column_of.count(title) == 0) {
                column_of[title] = c;
            }
        }
    }
    bool columns_ok = true;
    for (const char* title : {kColumnKey, kColumnOwner, kColumnDeadline, kColumnStatus, kColumnComment}) {
        if (column_of.count(title) == 0) {
            add_problem(out, 0, 0, std::string("no column titled '") + title + "' in row 1");
            columns_ok = false;
        }
    }
    if (!columns_ok) {
        return std::nullopt;
    }
    return PlanColumns{column_of[kColumnKey], column_of[kColumnOwner], column_of[kColumnDeadline],
                       column_of[kColumnStatus], column_of[kColumnComment]};
}

/// The cells of row `r` (0-based) that lisa reads back, trimmed.
PlanRow read_row(const Table& table, std::size_t r, const PlanColumns& cols) {
    const auto& row = table.rows[r];
    auto cell = [&](std::size_t c) { return c < row.size() ? trimmed(row[c]) : std::string(); };
    PlanRow in;
    in.key = cell(cols.key);
    in.owner = cell(cols.owner);
    in.deadline = cell(cols.deadline);
    in.status = cell(cols.status);
    in.comment = cell(cols.comment);
    in.row = r + 1;
    in.column = cols.key + 1;
    return in;
}

/// Checks a row with a key: the key's shape (its rule and subject go into `in`) and that it is
/// given once, the deadline a date, the status one of the list. False after a problem.
bool check_row(PlanRow& in, std::size_t r, const PlanColumns& cols, std::map<std::string, std::size_t>& seen,
               ActionPlanRead& out) {
    bool ok = true;
    const auto parts = split_action_key(in.key);
    if (parts) {
        in.rule = parts->first;
        in.subject = parts->second;
    }
    if (!parts) {
        add_problem(out, r, cols.key, "not an action key (RULE:SUBJECT): " + shown(in.key));
        ok = false;
    } else if (const auto it = seen.find(in.key); it != seen.end()) {
        add_problem(out, r, cols.key, "the action key " + shown(in.key) + " is given twice (also in row " +
                                          std::to_string(it->second) + ")");
        ok = false;
    } else {
        seen[in.key] = r + 1;
    }
    if (!in.deadline.empty() && !Date::parse(in.deadline)) {
        add_problem(out, r, cols.deadline, "the deadline " + shown(in.deadline) +
                                               " is not a date: enter a date cell or YYYY-MM-DD");
        ok = false;
    }
    if (!in.status.empty() &&
        std::find(action_statuses().begin(), action_statuses().end(), in.status) == action_statuses().end()) {
        std::string list;
        for (const auto& s : action_statuses()) {
            list += (list.empty() ? "" : ", ") + s;
        }
        add_problem(out, r, cols.status, "unknown status " + shown(in.status) + " (expected one of: " + list + ")");
        ok = false;
    }
    return ok;
}

}  // namespace

ActionPlanRead read_action_plan_table(const Table& table) {
    ActionPlanRead out;
    if (table.sheet != kActionPlanSheet) {
        add_problem(out, 0, 0, "the first sheet is " + shown(table.sheet) + ", not '" + kActionPlanSheet +
                                   "': give the action plan lisa wrote (--format actionplan-xlsx)");
    }
    const auto cols = find_columns(table, out);
    if (!cols) {
        return out;
    }
    std::map<std::string, std::size_t> seen;  // key → its row
    for (std::size_t r = 1; r < table.rows.size(); ++r) {
        PlanRow in = read_row(table, r, *cols);
        if (in.key.empty()) {
            if (!in.owner.empty() || !in.deadline.empty() || !in.status.empty() || !in.comment.empty()) {
                add_problem(out, r, cols->key, "a row with an owner, deadline, status or comment but no action key");
            }
            continue;
        }
        if (check_row(in, r, *cols, seen, out)) {
            out.rows.push_back(std::move(in));
        }
    }
    return out;
}

ActionPlanRead read_action_plan(std::string_view bytes, const TableLimits& limits) {
    auto table = read_xlsx(bytes, limits);
    if (!table) {
        ActionPlanRead out;
        out.problems.push_back({1, 1, table.error().message});
        return out;
    }
    return read_action_plan_table(table.value());
}

}  // namespace lisa::reg
