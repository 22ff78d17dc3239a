// SPDX-License-Identifier: Apache-2.0
// The action plan's model side (lisa/report/action_plan.hpp): keys, columns, and the plan read
// back carried into a report.
#include "lisa/report/action_plan.hpp"

#include <algorithm>

#include "lisa/core/value.hpp"

namespace lisa {

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

std::string action_key(std::string_view rule, std::string_view subject) {
    return std::string(rule) + ":" + std::string(subject);
}

std::optional<std::pair<std::string, std::string>> split_action_key(std::string_view key) {
    const auto colon = key.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == key.size()) {
        return std::nullopt;
    }
    return std::make_pair(std::string(key.substr(0, colon)), std::string(key.substr(colon + 1)));
}

std::string_view action_state_sv(ActionState state) noexcept {
    switch (state) {
        case ActionState::Open: return "öppen";
        case ActionState::Overdue: return "förfallen";
        case ActionState::Closed: return "stängd";
    }
    return "öppen";
}

void apply_action_plan(ReportDocument& document, const std::vector<ActionInput>& plan) {
    const auto as_of = Date::parse(document.run.as_of);
    document.actions.clear();
    for (const auto& row : plan) {
        const auto parts = split_action_key(row.key);
        if (!parts) {
            continue;  // the reader refused it already
        }
        ActionRecord a{row.key, parts->first, parts->second, row.owner, row.deadline, row.status, row.comment,
                       ActionState::Closed};
        for (const auto& f : document.findings) {
            if (f.rule != a.rule || f.subject != a.subject) {
                continue;
            }
            if (f.status == Status::Fail || f.status == Status::Error || f.status == Status::Waived) {
                const auto deadline = Date::parse(a.deadline);
                a.state = deadline && as_of && deadline->days < as_of->days ? ActionState::Overdue : ActionState::Open;
            }
        }
        document.actions.push_back(std::move(a));
    }
}

const ActionRecord* find_action(const ReportDocument& document, std::string_view rule,
                                std::string_view subject) noexcept {
    for (const auto& a : document.actions) {
        if (a.rule == rule && a.subject == subject) {
            return &a;
        }
    }
    return nullptr;
}

std::vector<const ReportFinding*> action_rows(const ReportDocument& document) {
    std::vector<const ReportFinding*> rows;
    std::vector<const ReportFinding*> closed;
    for (const auto& f : document.findings) {
        if (f.status == Status::Fail || f.status == Status::Error || f.status == Status::Waived) {
            rows.push_back(&f);
        } else if (const ActionRecord* a = find_action(document, f.rule, f.subject);
                   a != nullptr && a->state == ActionState::Closed) {
            closed.push_back(&f);
        }
    }
    std::stable_sort(rows.begin(), rows.end(), [](const ReportFinding* a, const ReportFinding* b) {
        if (a->severity != b->severity) {
            return a->severity > b->severity;
        }
        if (a->rule != b->rule) {
            return a->rule < b->rule;
        }
        return a->subject < b->subject;
    });
    rows.insert(rows.end(), closed.begin(), closed.end());
    return rows;
}

}  // namespace lisa
