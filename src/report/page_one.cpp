// SPDX-License-Identifier: Apache-2.0
// Page one's verdict and risk ranking (page_one.hpp).
#include "lisa/report/page_one.hpp"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

namespace lisa {

UncheckedShare unchecked_share(const ReportDocument& report) {
    UncheckedShare out;
    for (const auto& f : report.findings) {
        if (f.status == Status::NotApplicable) {
            continue;
        }
        ++out.total;
        out.unchecked += f.status == Status::Error ? 1 : 0;
    }
    return out;
}

VerdictResult board_verdict(std::optional<double> score, const UncheckedShare& unchecked,
                            const BoardTarget& target) {
    if (!target.target_score) {
        return {BoardVerdict::NoTarget, false};
    }
    if (!score) {
        return {BoardVerdict::Red, false};
    }
    if (*score >= *target.target_score) {
        if (unchecked.share() > kUncheckedCap) {
            return {BoardVerdict::Amber, true};
        }
        return {BoardVerdict::Green, false};
    }
    if (target.amber_from && *score >= *target.amber_from) {
        return {BoardVerdict::Amber, false};
    }
    return {BoardVerdict::Red, false};
}

std::vector<BoardRisk> top_risks(const ReportDocument& report, std::size_t limit) {
    std::map<std::pair<std::string, std::string>, BoardRisk> groups;
    for (const auto& f : report.findings) {
        if (f.status != Status::Fail) {
            continue;
        }
        const std::string place = f.system.value_or(f.subject.substr(0, f.subject.find('/')));
        BoardRisk& risk = groups[{f.rule, place}];
        if (risk.findings == 0) {
            risk.rule = f.rule;
            risk.severity = f.severity;
            risk.place = place;
        }
        if (!risk.owner && f.owner && !f.owner->empty()) {
            risk.owner = f.owner;  // the first finding of the group that names one
        }
        ++risk.findings;
    }
    std::map<std::string, std::string> names;  // subject id → name, for the places
    for (const auto& f : report.findings) {
        if (!f.subject_name.empty()) {
            names.emplace(f.subject, f.subject_name);
        }
    }
    std::vector<BoardRisk> out;
    out.reserve(groups.size());
    for (auto& [key, risk] : groups) {
        if (auto it = names.find(risk.place); it != names.end()) {
            risk.place_name = it->second;
        }
        out.push_back(std::move(risk));
    }
    std::sort(out.begin(), out.end(), [](const BoardRisk& a, const BoardRisk& b) {
        return std::make_tuple(-static_cast<int>(a.severity), b.findings, a.rule, a.place) <
               std::make_tuple(-static_cast<int>(b.severity), a.findings, b.rule, b.place);
    });
    if (out.size() > limit) {
        out.resize(limit);
    }
    return out;
}

}  // namespace lisa
