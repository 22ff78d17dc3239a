// SPDX-License-Identifier: Apache-2.0
#include "lisa/report/indicators.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace lisa {
namespace {

int unit_of(const std::vector<Subject>& subjects, int index, SubjectKind unit) {
    if (unit == SubjectKind::Organization) {
        return 0;
    }
    for (int i = index; i >= 0; i = subjects[static_cast<std::size_t>(i)].parent) {
        if (subjects[static_cast<std::size_t>(i)].kind == unit) {
            return i;
        }
    }
    return -1;
}

// The nearest list fact with this suffix ("scopes", "verksamhetsomraden", "roles") on the unit or
// an ancestor: a document under a system inherits the system's scopes.
const StringList* nearest_list(const std::vector<Subject>& subjects, int index,
                               const std::string& suffix) {
    for (int i = index; i >= 0; i = subjects[static_cast<std::size_t>(i)].parent) {
        const Subject& s = subjects[static_cast<std::size_t>(i)];
        const std::string name = std::string(to_string(s.kind)) + "." + suffix;
        if (const Value* v = find_value(s.facts, name); v != nullptr && v->as_list() != nullptr) {
            return v->as_list();
        }
    }
    return nullptr;
}

bool contains(const StringList* list, const std::string& item) {
    return list != nullptr && std::find(list->begin(), list->end(), item) != list->end();
}

// The provenance a finding rests on: the weakest of the facts its expectation read.
Provenance finding_provenance(const Finding& f) {
    if (f.evidence.empty()) {
        return Provenance::Declared;
    }
    Provenance weakest = Provenance::Probed;
    for (const auto& [name, fact] : f.evidence) {
        weakest = std::min(weakest, fact.provenance);
    }
    return weakest;
}

}  // namespace

std::string caveat_message(const IndicatorCaveat& c, const Labels& labels, const std::string& lang) {
    if (c.enabled && c.without_strong_auth) {
        return labels.format("caveat.declared_strong_counted", lang,
                             {{"missing", std::to_string(*c.without_strong_auth)}, {"enabled", std::to_string(*c.enabled)}});
    }
    if (c.rule == "AUTH-006") {
        return labels.word("caveat.declared_strong_none", lang);
    }
    return c.result.clauses.empty() ? c.message : labels.result(c.result, lang);
}

std::string caveat_message(const IndicatorCaveat& c, const std::string& lang) {
    return caveat_message(c, Labels::builtin(), lang);
}

std::string survey_editions_note(const Labels& labels, const std::string& lang) {
    return labels.word("survey.editions_note", lang);
}

std::string survey_editions_note(const std::string& lang) { return survey_editions_note(Labels::builtin(), lang); }

const std::vector<std::string>& survey_order() {
    static const std::vector<std::string> order = {
        "QMS-RISK",       "SEC-LIS",      "SEC-RISK",      "SEC-RISK-NIVA", "SEC-CLASS",        "SEC-SECCOM-SOC",  "SEC-SECCOM-HSL",
        "SEC-AUTH-EXT",   "SEC-AUTH-INT", "SEC-AUTH-USE-MYN", "SEC-AUTH-USE-UTF",
    };
    return order;
}

std::string not_asked_text(const std::string& reason, const std::string& lang) {
    if (reason == "drift: helt_overlaten") {
        return lang == "en" ? "all provider activity in the area is handed to another legal person"
                            : "all utförarverksamhet i området är överlåten till annan juridisk person";
    }
    return reason;
}

int share_decimals(double percent) {
    constexpr int kMax = 9;
    for (int d = 1; d < kMax; ++d) {
        const double scale = std::pow(10.0, d);
        const double r = std::round(percent * scale) / scale;
        if (!(percent > 0.0 && percent < 100.0) || (r > 0.0 && r < 100.0)) {
            return d;
        }
    }
    return kMax;
}

double share_rounded(double percent) {
    const double scale = std::pow(10.0, share_decimals(percent));
    return std::round(percent * scale) / scale;
}

std::string measured_answer(const IndicatorDef& def, std::int64_t have, std::int64_t total) {
    if (have <= 0) {
        return def.answer_none;
    }
    if (have >= total) {
        return def.answer_all;
    }
    if (!def.about_half) {
        return def.answer_some;
    }
    // Exact integer comparison of have/total against the band's percent bounds (inclusive), so
    // no rounding decides an edge: 45 of 100 is "about half" with [45, 55], 449 of 1000 is not.
    const std::int64_t scaled = have * 100;
    if (scaled < static_cast<std::int64_t>(def.about_half->first) * total) {
        return def.answer_fewer_than_half;
    }
    if (scaled > static_cast<std::int64_t>(def.about_half->second) * total) {
        return def.answer_more_than_half;
    }
    return def.answer_about_half;
}

namespace {

std::set<int> rule_indices(const RuleSet& rules, const StringList& ids) {
    std::set<int> out;
    for (const auto& id : ids) {
        if (const Rule* r = rules.find(id)) {
            out.insert(static_cast<int>(r - rules.rules.data()));
        }
    }
    return out;
}

void sort_unique(StringList& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

std::optional<std::int64_t> int_fact(const Facts& facts, const std::string& name) {
    const auto it = facts.find(name);
    if (it == facts.end() || it->second.value.as_int() == nullptr) {
        return std::nullopt;
    }
    return *it->second.value.as_int();
}

// One indicator's answers (one per breakdown value), step by step.
class IndicatorAnswerer {
public:
    IndicatorAnswerer(const RuleSet& rules, const Inventory& inventory, const ScanResult& scan,
                      const Benchmarks* benchmarks, const IndicatorDef& def)
        : rules_(rules), inventory_(inventory), subjects_(inventory.subjects), scan_(scan),
          benchmarks_(benchmarks), def_(def), caveat_rules_(rule_indices(rules, def.contradictions)) {
        const std::set<int> own = rule_indices(rules, def.rules);
        for (const auto& f : scan.findings) {
            if (own.count(f.rule) == 0 || f.status == Status::NotApplicable) {
                continue;
            }
            const int unit = unit_of(subjects_, f.subject, def.unit);
            if (unit >= 0) {
                by_unit_[unit].push_back(&f);
            }
        }
    }

    IndicatorAnswer answer(const BreakdownValue& value, int survey_year, const std::string& as_of_text) const {
        IndicatorAnswer answer;
        answer.id = def_.id;
        answer.scope = value.name;
        answer.survey_year = survey_year;
        answer.period = def_.period == Period::PreviousYear ? std::to_string(survey_year - 1) : as_of_text;
        add_figures(answer, value);
        if (!asked(answer, value)) {
            return answer;
        }
        Tally tally;
        for (const auto& [unit, findings] : by_unit_) {
            if (counts_for(unit, value)) {
                judge_unit(answer, unit, findings, tally);
            }
        }
        if (!def_.measure_total.empty()) {
            measure(answer);
        } else {
            choose(answer, tally);
        }
        add_caveats(answer);
        return answer;
    }

private:
    struct Tally {
        int pass = 0;
        int fail = 0;
        std::set<std::string> chosen;  // answer_fact values of the passing units
    };

    const RuleSet& rules_;
    const Inventory& inventory_;
    const std::vector<Subject>& subjects_;
    const ScanResult& scan_;
    const Benchmarks* benchmarks_;
    const IndicatorDef& def_;
    std::set<int> caveat_rules_;
    std::map<int, std::vector<const Finding*>> by_unit_;  // unit → its findings of the indicator's rules

    const std::string& rule_id(int index) const { return rules_.rules[static_cast<std::size_t>(index)].id; }
    const std::string& subject_id(int index) const { return subjects_[static_cast<std::size_t>(index)].id; }

    // The area's figures under its current name, else under an earlier edition's name (2021
    // "Funktionshinder (LSS och SoL)" for 2023 "Funktionshinder (SoL)").
    void add_figures(IndicatorAnswer& answer, const BreakdownValue& value) const {
        if (benchmarks_ == nullptr) {
            return;
        }
        std::vector<std::string> names = {value.name};
        names.insert(names.end(), value.earlier_names.begin(), value.earlier_names.end());
        answer.national_trend = benchmarks_->national_series(def_.id, names);
        for (const auto& name : names) {
            if (answer.national == nullptr) {
                answer.national = benchmarks_->latest_national(def_.id, name);
            }
            if (answer.size_group == nullptr) {
                answer.size_group = benchmarks_->latest_size_group(def_.id, name, inventory_.population);
            }
        }
        if (answer.size_group != nullptr) {
            answer.size_group_def = benchmarks_->group_by_id(answer.size_group->group);
        }
    }

    // False, with answer.not_asked set, when the question is not asked of this municipality.
    bool asked(IndicatorAnswer& answer, const BreakdownValue& value) const {
        if (!def_.asked_if_role.empty() &&
            !contains(nearest_list(subjects_, 0, "isms.document_roles"), def_.asked_if_role)) {
            // Asked only of municipalities with, e.g., a QMS covering welfare technology.
            answer.not_asked = def_.not_asked_reason;
            return false;
        }
        if (def_.provider && def_.breakdown == Breakdown::Verksamhetsomrade) {
            const auto drift = inventory_.drift.find(value.name);
            if (drift != inventory_.drift.end() && drift->second == "helt_overlaten") {
                // 003 B2 T1 / 001 B2 T1: a municipality that has handed all provider activity in an
                // area to another legal person does not answer provider questions there.
                answer.not_asked = "drift: helt_overlaten";
                return false;
            }
        }
        return true;
    }

    // Whether a unit belongs to this question and breakdown value.
    bool counts_for(int unit, const BreakdownValue& value) const {
        if (!def_.role.empty() && !contains(nearest_list(subjects_, unit, "roles"), def_.role)) {
            return false;
        }
        if (!def_.within_scope.empty() && !contains(nearest_list(subjects_, unit, "scopes"), def_.within_scope)) {
            return false;  // e.g. an HSL-only or area-less system for a social-services question
        }
        if (def_.breakdown == Breakdown::None) {
            return true;
        }
        const StringList* members =
            nearest_list(subjects_, unit, def_.breakdown == Breakdown::Scope ? "scopes" : "verksamhetsomraden");
        return std::any_of(value.matches.begin(), value.matches.end(),
                           [&](const std::string& m) { return contains(members, m); });
    }

    // The strongest evidence decides: probed findings, else document, else declared. Evidence
    // that could not be collected (e.g. the probe of the requirement itself, AUTH-005) is not
    // replaced by weaker evidence (the declaration): the unit is unknown and the answer
    // incomplete. "Could not check" never counts as pass.
    void judge_unit(IndicatorAnswer& answer, int unit, const std::vector<const Finding*>& findings, Tally& tally) const {
        std::optional<Provenance> level;
        IndicatorUnit u;
        u.subject = subject_id(unit);
        for (const Finding* f : findings) {
            if (f->status != Status::Error) {
                const Provenance p = finding_provenance(*f);
                level = level ? std::max(*level, p) : p;
            } else {
                u.errored_rules.push_back(rule_id(f->rule));
            }
        }
        sort_unique(u.errored_rules);
        if (!level || !u.errored_rules.empty()) {
            u.verdict = "error";
            answer.complete = false;
            answer.units.push_back(std::move(u));
            return;
        }
        for (const Finding* f : findings) {
            if (f->status != Status::Error && finding_provenance(*f) == *level &&
                (f->status == Status::Fail || f->status == Status::Waived)) {
                u.failing_rules.push_back(rule_id(f->rule));
            }
        }
        sort_unique(u.failing_rules);
        const bool failed = !u.failing_rules.empty();
        u.verdict = failed ? "fail" : "pass";
        if (!failed && !def_.answer_fact.empty()) {
            const Facts& probed = scan_.probed[static_cast<std::size_t>(unit)];
            if (const auto v = probed.find(def_.answer_fact); v != probed.end() && v->second.value.as_string() != nullptr) {
                tally.chosen.insert(*v->second.value.as_string());
            }
        }
        u.provenance = std::string(to_string(*level));
        ++answer.by_provenance[u.provenance];
        (failed ? tally.fail : tally.pass) += 1;
        answer.units.push_back(std::move(u));
    }

    bool counted(const IndicatorAnswer& answer, const std::string& unit_id, bool errors_count) const {
        return std::any_of(answer.units.begin(), answer.units.end(), [&](const IndicatorUnit& u) {
            return u.subject == unit_id && (errors_count || u.verdict != "error");
        });
    }

    // Counts decide: all / none / some of the measured total (e.g. of enabled staff).
    void measure(IndicatorAnswer& answer) const {
        std::int64_t total = 0;
        std::int64_t missing = 0;
        std::set<int> seen;
        for (const auto& [unit, findings] : by_unit_) {
            if (!counted(answer, subject_id(unit), false)) {
                continue;
            }
            for (const Finding* f : findings) {
                if (f->status == Status::Error || !seen.insert(f->subject).second) {
                    continue;
                }
                const Facts& probed = scan_.probed[static_cast<std::size_t>(f->subject)];
                total += int_fact(probed, def_.measure_total).value_or(0);
                missing += int_fact(probed, def_.measure_missing).value_or(0);
            }
        }
        answer.measure_total = total;
        answer.measure_missing = missing;
        if (total == 0) {
            answer.answer = def_.empty;
        } else {
            const std::int64_t have = std::max<std::int64_t>(0, total - missing);
            answer.share_percent = 100.0 * static_cast<double>(have) / static_cast<double>(total);
            answer.answer = measured_answer(def_, have, total);
        }
    }

    void choose(IndicatorAnswer& answer, const Tally& tally) const {
        if (!def_.answer_fact.empty()) {
            // Multiple choice: the alternatives the passing units name, in the scale's order.
            if (tally.pass + tally.fail == 0) {
                answer.not_asked = def_.not_asked_reason;
                return;
            }
            std::string joined;
            for (const auto& [fact_value, label] : def_.answer_labels) {
                if (tally.chosen.count(fact_value) > 0) {
                    joined += (joined.empty() ? "" : "; ") + label;
                }
            }
            if (!joined.empty()) {
                answer.answer = joined;
            }
        } else if (tally.pass + tally.fail == 0) {
            answer.answer = def_.empty;
        } else if (tally.fail == 0) {
            answer.answer = def_.answer_all;
        } else if (tally.pass == 0) {
            answer.answer = def_.answer_none;
        } else {
            answer.answer = def_.answer_some;
        }
    }

    // The contradiction concerns a declared requirement; it qualifies this answer only where the
    // declaration this question asks about holds (e.g. AUTH-002's internal requirement for
    // SEC-AUTH-INT): a unit with a passing declared finding of the indicator's own rules. A system
    // declared "strong" outside but "password" inside gets the caveat on SEC-AUTH-EXT, not on
    // SEC-AUTH-INT.
    bool declaration_holds(int unit) const {
        const auto own = by_unit_.find(unit);
        return own != by_unit_.end() && std::any_of(own->second.begin(), own->second.end(), [](const Finding* g) {
                   return g->status == Status::Pass && finding_provenance(*g) == Provenance::Declared;
               });
    }

    // Caveats: a counted unit's finding of a contradiction rule that failed (e.g. a declared
    // requirement the directory contradicts). They qualify the answer; they do not change it.
    void add_caveats(IndicatorAnswer& answer) const {
        if (caveat_rules_.empty()) {
            return;
        }
        for (const auto& f : scan_.findings) {
            if (caveat_rules_.count(f.rule) == 0 || f.status != Status::Fail) {
                continue;
            }
            const int unit = unit_of(subjects_, f.subject, def_.unit);
            if (unit < 0 || !counted(answer, subject_id(unit), true) || !declaration_holds(unit)) {
                continue;
            }
            IndicatorCaveat caveat;
            caveat.rule = rule_id(f.rule);
            caveat.subject = subject_id(f.subject);
            caveat.message = f.message;
            caveat.result = f.detail;
            // The directory's own counts say more than the comparison's message.
            const Facts& probed = scan_.probed[static_cast<std::size_t>(f.subject)];
            const auto total = int_fact(probed, "group.enabled");
            const auto missing = int_fact(probed, "group.enabled_without_strong_auth");
            if (total && missing) {
                caveat.enabled = *total;
                caveat.without_strong_auth = *missing;
            }
            answer.caveats.push_back(std::move(caveat));
        }
    }
};

}  // namespace

std::vector<IndicatorAnswer> answer_indicators(const RuleSet& rules, const Inventory& inventory,
                                               const ScanResult& scan,
                                               const Benchmarks* benchmarks, Date as_of) {
    const std::string as_of_text = as_of.to_string();
    const int survey_year = std::stoi(as_of_text.substr(0, 4));
    std::vector<IndicatorAnswer> out;
    for (const auto& def : rules.indicators) {
        const IndicatorAnswerer answerer(rules, inventory, scan, benchmarks, def);
        const std::vector<BreakdownValue> values =
            def.breakdown == Breakdown::None ? std::vector<BreakdownValue>{BreakdownValue{}} : def.values;
        for (const auto& value : values) {
            out.push_back(answerer.answer(value, survey_year, as_of_text));
        }
    }
    return out;
}

FrameworkCoverage framework_coverage(const Framework& framework, const RuleSet& rules,
                                     const ScanResult& scan) {
    FrameworkCoverage cov;
    cov.id = framework.id;
    cov.title = framework.title;
    std::set<std::string> judged;
    for (const auto& f : scan.findings) {
        if (f.status == Status::Pass || f.status == Status::Fail || f.status == Status::Waived) {
            judged.insert(rules.rules[static_cast<std::size_t>(f.rule)].id);
        }
    }
    for (const auto& control : framework.controls) {
        ++cov.controls;
        ++cov.by_status[control.status];
        const bool mapped = std::any_of(control.rules.begin(), control.rules.end(),
                                        [&](const std::string& id) { return rules.find(id) != nullptr; });
        cov.mapped += mapped ? 1 : 0;
        const bool evidenced = std::any_of(control.rules.begin(), control.rules.end(),
                                           [&](const std::string& id) { return judged.count(id) > 0; });
        if (evidenced) {
            ++cov.evidenced;
            cov.evidenced_ids.push_back(control.id);
        }
    }
    return cov;
}

}  // namespace lisa
