// SPDX-License-Identifier: Apache-2.0
// The filled-in action plan read back (lisa/register/action_plan.hpp).
#include "lisa/register/action_plan.hpp"

#include <algorithm>
#include <map>
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

ActionPlanRead read_action_plan_table(const Table& table) {
    ActionPlanRead out;
    auto problem = [&](std::size_t row, std::size_t col, std::string message) {
        out.problems.push_back({row + 1, col + 1, std::move(message)});
    };
    if (table.sheet != kActionPlanSheet) {
        problem(0, 0, "the first sheet is " + shown(table.sheet) + ", not '" + kActionPlanSheet +
                          "': give the action plan lisa wrote (--format actionplan-xlsx)");
    }
    // Row 1: the column titles; lisa finds its columns by title.
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
            problem(0, 0, std::string("no column titled '") + title + "' in row 1");
            columns_ok = false;
        }
    }
    if (!columns_ok) {
        return out;
    }
    const std::size_t key_col = column_of[kColumnKey];
    const std::size_t owner_col = column_of[kColumnOwner];
    const std::size_t deadline_col = column_of[kColumnDeadline];
    const std::size_t status_col = column_of[kColumnStatus];
    const std::size_t comment_col = column_of[kColumnComment];
    std::map<std::string, std::size_t> seen;  // key → its row
    for (std::size_t r = 1; r < table.rows.size(); ++r) {
        const auto& row = table.rows[r];
        auto cell = [&](std::size_t c) { return c < row.size() ? trimmed(row[c]) : std::string(); };
        PlanRow in;
        in.key = cell(key_col);
        in.owner = cell(owner_col);
        in.deadline = cell(deadline_col);
        in.status = cell(status_col);
        in.comment = cell(comment_col);
        in.row = r + 1;
        in.column = key_col + 1;
        if (in.key.empty()) {
            if (!in.owner.empty() || !in.deadline.empty() || !in.status.empty() || !in.comment.empty()) {
                problem(r, key_col, "a row with an owner, deadline, status or comment but no action key");
            }
            continue;
        }
        bool ok = true;
        const auto parts = split_action_key(in.key);
        if (parts) {
            in.rule = parts->first;
            in.subject = parts->second;
        }
        if (!parts) {
            problem(r, key_col, "not an action key (RULE:SUBJECT): " + shown(in.key));
            ok = false;
        } else if (const auto it = seen.find(in.key); it != seen.end()) {
            problem(r, key_col, "the action key " + shown(in.key) + " is given twice (also in row " +
                                    std::to_string(it->second) + ")");
            ok = false;
        } else {
            seen[in.key] = r + 1;
        }
        if (!in.deadline.empty() && !Date::parse(in.deadline)) {
            problem(r, deadline_col, "the deadline " + shown(in.deadline) +
                                         " is not a date: enter a date cell or YYYY-MM-DD");
            ok = false;
        }
        if (!in.status.empty() &&
            std::find(action_statuses().begin(), action_statuses().end(), in.status) == action_statuses().end()) {
            std::string list;
            for (const auto& s : action_statuses()) {
                list += (list.empty() ? "" : ", ") + s;
            }
            problem(r, status_col, "unknown status " + shown(in.status) + " (expected one of: " + list + ")");
            ok = false;
        }
        if (ok) {
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
