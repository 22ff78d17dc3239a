// SPDX-License-Identifier: Apache-2.0
#include "lisa/report/score.hpp"

#include <cmath>
#include <map>

namespace lisa {
namespace {

struct RuleTally {
    int pass = 0;
    int fail = 0;
    int waived = 0;
};

// Accumulates weighted shares for one area (or overall).
struct Accumulator {
    double weighted = 0;
    double weights = 0;
    double weighted_nw = 0;  // waived counted as fail
    double weights_nw = 0;
    int judged_pairs = 0;
    int error_pairs = 0;

    void add_rule(const Rule& rule, const RuleTally& t, AreaScore& area) {
        const double w = severity_weight(rule.severity);
        if (t.pass + t.fail > 0) {
            ++area.rules_judged;
            weighted += w * t.pass / (t.pass + t.fail);
            weights += w;
        }
        if (t.pass + t.fail + t.waived > 0) {
            weighted_nw += w * t.pass / (t.pass + t.fail + t.waived);
            weights_nw += w;
        }
    }

    void finish(AreaScore& area) const {
        if (weights > 0) {
            area.score = round2(100.0 * weighted / weights);
        }
        if (weights_nw > 0) {
            area.score_without_waivers = round2(100.0 * weighted_nw / weights_nw);
        }
        const int pairs = judged_pairs + error_pairs;
        area.coverage = pairs == 0 ? 1.0 : round2(static_cast<double>(judged_pairs) / pairs);
    }
};

}  // namespace

double round2(double value) { return std::round(value * 100.0) / 100.0; }

Score compute_score(const std::vector<Rule>& rules, const std::vector<Finding>& findings) {
    std::vector<RuleTally> tally(rules.size());
    std::map<std::string, AreaScore> areas;
    std::map<std::string, Accumulator> acc;
    Score score;
    score.overall.id = "overall";
    Accumulator overall;
    for (const auto& f : findings) {
        const Rule& rule = rules[static_cast<std::size_t>(f.rule)];
        AreaScore& area = areas[rule.area];
        area.id = rule.area;
        // Counted whether scored or not: the counts are the findings the report lists.
        const auto status_index = static_cast<std::size_t>(f.status);
        ++area.by_status[status_index];
        ++score.overall.by_status[status_index];
        if (!rule.scored) {
            continue;
        }
        auto& t = tally[static_cast<std::size_t>(f.rule)];
        Accumulator& a = acc[rule.area];
        switch (f.status) {
            case Status::Pass: ++t.pass; break;
            case Status::Fail: ++t.fail; break;
            case Status::Waived: ++t.waived; break;
            default: break;
        }
        if (f.status == Status::Error) {
            ++a.error_pairs;
            ++overall.error_pairs;
        } else if (f.status != Status::NotApplicable) {
            ++a.judged_pairs;
            ++overall.judged_pairs;
        }
    }
    for (std::size_t r = 0; r < rules.size(); ++r) {
        if (!rules[r].scored) {
            continue;
        }
        AreaScore& area = areas[rules[r].area];
        area.id = rules[r].area;
        acc[rules[r].area].add_rule(rules[r], tally[r], area);
        overall.add_rule(rules[r], tally[r], score.overall);
    }
    for (auto& [id, area] : areas) {
        acc[id].finish(area);
        score.areas.push_back(area);
    }
    overall.finish(score.overall);
    return score;
}

}  // namespace lisa
