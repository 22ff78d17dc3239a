// SPDX-License-Identifier: Apache-2.0
// The action plan's model side (lisa/report/action_plan.hpp): keys, columns, and the plan read
// back carried into a report.
#include "lisa/report/action_plan.hpp"

#include <algorithm>

#include "lisa/core/value.hpp"

namespace lisa {

std::string action_key(std::string_view rule, std::string_view subject) {
    return std::string(rule) + ":" + std::string(subject);
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
        if (row.rule.empty() || row.subject.empty()) {
            continue;  // the reader refused it already
        }
        ActionRecord a{row.key, row.rule, row.subject, row.owner, row.deadline, row.status, row.comment,
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

bool action_order(const ReportFinding* a, const ReportFinding* b) noexcept {
    if (a->severity != b->severity) {
        return a->severity > b->severity;
    }
    if (a->rule != b->rule) {
        return a->rule < b->rule;
    }
    return a->subject < b->subject;
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
    std::stable_sort(rows.begin(), rows.end(), action_order);
    rows.insert(rows.end(), closed.begin(), closed.end());
    return rows;
}

}  // namespace lisa
