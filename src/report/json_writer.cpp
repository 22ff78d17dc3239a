// SPDX-License-Identifier: Apache-2.0
#include <cmath>

#include <nlohmann/json.hpp>

#include "lisa/core/text.hpp"
#include "lisa/report/report.hpp"

namespace lisa {
namespace {

using Json = nlohmann::ordered_json;

Json to_json(const Value& v) {
    switch (v.type()) {
        case ValueType::None: return nullptr;
        case ValueType::Bool: return *v.as_bool();
        case ValueType::Integer: return *v.as_int();
        case ValueType::Number: return *v.as_double();
        case ValueType::String: return *v.as_string();
        case ValueType::Date: return v.as_date()->to_string();
        case ValueType::List: return *v.as_list();
    }
    return nullptr;
}

Json fact_json(const Fact& fact) {
    Json j;
    j["value"] = to_json(fact.value);
    j["provenance"] = std::string(to_string(fact.provenance));
    if (!fact.source.empty()) {
        j["source"] = fact.source;
    }
    return j;
}

Json optional_number(const std::optional<double>& v) {
    return v ? Json(*v) : Json(nullptr);
}

Json counts_json(const StatusCounts& counts) {
    Json j = Json::object();
    for (auto s : {Status::Pass, Status::Fail, Status::Error, Status::NotApplicable, Status::Waived}) {
        j[std::string(to_string(s))] = counts[static_cast<std::size_t>(s)];
    }
    return j;
}

Json area_json(const AreaScore& area, const AreaDef* def) {
    Json j;
    j["id"] = area.id;
    if (def != nullptr) {
        j["title"] = {{"sv", def->title.sv}, {"en", def->title.en}};
    }
    j["score"] = optional_number(area.score);
    j["score_without_waivers"] = optional_number(area.score_without_waivers);
    j["coverage"] = area.coverage;
    j["rules_judged"] = area.rules_judged;
    j["findings_by_status"] = counts_json(area.by_status);
    return j;
}

Json figure_json(const Figure& f) {
    Json j;
    j["year"] = f.year;
    j["n"] = f.n ? Json(*f.n) : Json(nullptr);
    Json dist = Json::object();
    for (const auto& [answer, pct] : f.distribution) {
        dist[answer] = pct;
    }
    j["distribution"] = std::move(dist);
    j["source"] = f.source;
    if (!f.notes.empty()) {
        j["notes"] = f.notes;
        j["notes_sv"] = f.notes_sv;
    }
    return j;
}

std::string waiver_state(const Report& r, int index) {
    const auto& scan = *r.scan;
    if (std::find(scan.expired_waivers.begin(), scan.expired_waivers.end(), index) !=
        scan.expired_waivers.end()) {
        return "expired";
    }
    if (std::find(scan.unused_waivers.begin(), scan.unused_waivers.end(), index) !=
        scan.unused_waivers.end()) {
        return "unused";
    }
    return "active";
}

}  // namespace

void JsonReportWriter::write(const Report& r, std::ostream& out) const {
    const Inventory& inv = *r.inventory;
    const auto& rules = r.rules->rules;
    const ScanResult& scan = *r.scan;
    Json doc;
    doc["schema_version"] = 1;
    doc["tool"] = {{"name", "lisa"}, {"version", r.tool_version}};
    doc["run"] = {{"as_of", r.as_of},
                  {"started", r.started},
                  {"finished", r.finished},
                  {"rule_pack_sha256", r.rule_pack_sha256},
                  {"inventory_sha256", r.inventory_sha256},
                  {"systems", r.systems},
                  {"complete", r.score.overall.by_status[static_cast<std::size_t>(Status::Error)] == 0}};
    doc["organization"] = {{"name", inv.name},
                           {"municipality_code", inv.municipality_code},
                           {"population", inv.population},
                           {"size_group", size_group_2023(inv.population)},
                           {"size_group_2021", size_group_2021(inv.population)}};
    if (inv.population_year != 0) {
        doc["organization"]["population_year"] = inv.population_year;
    }
    if (!inv.drift.empty()) {
        doc["organization"]["drift"] = inv.drift;
    }
    Json score;
    score["overall"] = optional_number(r.score.overall.score);
    score["overall_without_waivers"] = optional_number(r.score.overall.score_without_waivers);
    score["coverage"] = r.score.overall.coverage;
    score["rules_judged"] = r.score.overall.rules_judged;
    score["findings_by_status"] = counts_json(r.score.overall.by_status);
    score["areas"] = Json::array();
    for (const auto& area : r.score.areas) {
        score["areas"].push_back(area_json(area, r.rules->find_area(area.id)));
    }
    doc["score"] = std::move(score);

    Json findings = Json::array();
    for (const auto& f : scan.findings) {
        const Rule& rule = rules[static_cast<std::size_t>(f.rule)];
        const Subject& subject = inv.subjects[static_cast<std::size_t>(f.subject)];
        Json j;
        j["rule"] = rule.id;
        j["subject"] = subject.id;
        j["subject_kind"] = std::string(to_string(subject.kind));
        j["status"] = std::string(to_string(f.status));
        j["severity"] = std::string(to_string(rule.severity));
        j["area"] = rule.area;
        if (!rule.indicator.empty()) {
            j["indicator"] = rule.indicator;
        }
        j["title"] = {{"sv", rule.title.sv}, {"en", rule.title.en}};
        j["message"] = f.message;
        // The system the subject belongs to and its owner: who the action plan assigns it to.
        int sys = f.subject;
        while (sys >= 0 && inv.subjects[static_cast<std::size_t>(sys)].kind != SubjectKind::System) {
            sys = inv.subjects[static_cast<std::size_t>(sys)].parent;
        }
        if (sys >= 0) {
            const Subject& system = inv.subjects[static_cast<std::size_t>(sys)];
            j["system"] = system.id;
            const std::string owner = string_fact(system.facts, "system.owner");
            j["owner"] = owner.empty() ? Json(nullptr) : Json(owner);
        } else {
            j["system"] = nullptr;
            j["owner"] = nullptr;
        }
        j["subject_name"] = subject.name;
        Json evidence = Json::object();
        for (const auto& [name, fact] : f.evidence) {
            evidence[name] = fact_json(fact);
        }
        j["evidence"] = std::move(evidence);
        if (f.waiver >= 0) {
            const Waiver& w = inv.waivers[static_cast<std::size_t>(f.waiver)];
            j["waiver"] = {{"decision_ref", w.decision_ref}, {"expires", w.expires.to_string()}};
            j["unwaived_status"] = std::string(to_string(f.unwaived));
        }
        findings.push_back(std::move(j));
    }
    doc["findings"] = std::move(findings);

    // The rule catalogue of the pack, so every renderer (SARIF rules, HTML remediation) works
    // from this document alone.
    Json catalogue = Json::array();
    for (const auto& rule : rules) {
        Json j{{"id", rule.id},
               {"title", {{"sv", rule.title.sv}, {"en", rule.title.en}}},
               {"area", rule.area},
               {"severity", std::string(to_string(rule.severity))},
               {"for_each", std::string(to_string(rule.for_each))},
               {"references", rule.references},
               {"remediation", {{"sv", rule.remediation.sv}, {"en", rule.remediation.en}}},
               {"scored", rule.scored}};
        j["indicator"] = rule.indicator.empty() ? Json(nullptr) : Json(rule.indicator);
        Json typed = Json::array();
        for (const auto& ref : rule.typed_references) {
            typed.push_back({{"kind", ref.kind}, {"ref", ref.ref}});
        }
        j["references_typed"] = std::move(typed);
        catalogue.push_back(std::move(j));
    }
    doc["rules"] = std::move(catalogue);

    // Every evidence file with its hash: the auditor's appendix.
    Json files = Json::array();
    for (std::size_t i = 0; i < inv.subjects.size(); ++i) {
        const Subject& s = inv.subjects[i];
        if (s.kind != SubjectKind::Document || !scan.selected[i]) {
            continue;
        }
        const auto& probed = scan.probed[i];
        auto get = [&](const char* name) -> Json {
            const auto it = probed.find(name);
            return it == probed.end() ? Json(nullptr) : to_json(it->second.value);
        };
        files.push_back({{"subject", s.id},
                         {"role", string_fact(s.facts, "document.role")},
                         {"path", string_fact(s.facts, "document.file")},
                         {"exists", get("document.exists")},
                         {"sha256", get("document.sha256")}});
    }
    doc["evidence_files"] = std::move(files);
    Json indicators = Json::array();
    for (const auto& a : r.indicators) {
        Json j;
        j["id"] = a.id;
        j["scope"] = a.scope.empty() ? Json(nullptr) : Json(a.scope);
        j["answer"] = a.answer ? Json(*a.answer) : Json(nullptr);
        if (a.not_asked) {
            j["not_asked"] = *a.not_asked;
        }
        j["period"] = {{"survey_year", a.survey_year}, {"asked_about", a.period}};
        if (a.share_percent) {
            j["share_percent"] = share_rounded(*a.share_percent);
        }
        if (!a.caveats.empty()) {
            Json caveats = Json::array();
            for (const auto& c : a.caveats) {
                Json jc{{"rule", c.rule}, {"subject", c.subject}, {"message", caveat_message(c, r.lang)}};
                if (c.enabled && c.without_strong_auth) {
                    jc["enabled"] = *c.enabled;
                    jc["without_strong_auth"] = *c.without_strong_auth;
                }
                caveats.push_back(std::move(jc));
            }
            j["caveats"] = std::move(caveats);
        }
        j["evidenced"] = a.answer.has_value() && !a.units.empty();
        j["complete"] = a.complete;
        Json units = Json::array();
        for (const auto& u : a.units) {
            Json ju{{"subject", u.subject}, {"verdict", u.verdict}};
            ju["provenance"] = u.provenance.empty() ? Json(nullptr) : Json(u.provenance);
            if (!u.failing_rules.empty()) {
                ju["failing_rules"] = u.failing_rules;
            }
            if (!u.errored_rules.empty()) {
                ju["errored_rules"] = u.errored_rules;
            }
            units.push_back(std::move(ju));
        }
        j["evidence"] = {{"units", std::move(units)}, {"by_provenance", a.by_provenance}};
        if (a.measure_total) {
            j["evidence"]["measure"] = {{"total", *a.measure_total}, {"missing", *a.measure_missing}};
        }
        j["national"] = a.national != nullptr ? figure_json(*a.national) : Json(nullptr);
        if (a.national_trend.size() > 1) {
            Json trend = Json::array();
            for (const Figure* f : a.national_trend) {
                Json jf = figure_json(*f);
                jf.erase("notes");
                jf.erase("notes_sv");
                jf["scope"] = f->scope.empty() ? Json(nullptr) : Json(f->scope);
                trend.push_back(std::move(jf));
            }
            j["national_trend"] = std::move(trend);
        }
        if (a.size_group != nullptr) {
            Json sg = figure_json(*a.size_group);
            sg["group"] = a.size_group->group;
            if (a.size_group_def != nullptr) {
                sg["label"] = a.size_group_def->label;
            }
            j["size_group"] = std::move(sg);
        } else {
            j["size_group"] = nullptr;
        }
        if (r.benchmarks != nullptr && !r.benchmarks->caveat_sv.empty()) {
            j["caveat"] = {{"sv", r.benchmarks->caveat_sv}, {"source", r.benchmarks->caveat_source}};
        }
        indicators.push_back(std::move(j));
    }
    doc["indicators"] = std::move(indicators);
    Json frameworks = Json::array();
    for (const auto& fw : r.frameworks) {
        frameworks.push_back({{"id", fw.id},
                              {"title", fw.title},
                              {"controls", fw.controls},
                              {"mapped", fw.mapped},
                              {"evidenced", fw.evidenced},
                              {"by_status", fw.by_status},
                              {"evidenced_controls", fw.evidenced_ids}});
    }
    doc["frameworks"] = std::move(frameworks);

    Json waivers = Json::array();
    for (std::size_t w = 0; w < inv.waivers.size(); ++w) {
        const Waiver& waiver = inv.waivers[w];
        int applied = 0;
        for (const auto& f : scan.findings) {
            applied += f.waiver == static_cast<int>(w) ? 1 : 0;
        }
        waivers.push_back({{"rule", waiver.rule},
                           {"subject", waiver.subject},
                           {"reason", waiver.reason},
                           {"decided_by", waiver.decided_by},
                           {"decision_ref", waiver.decision_ref},
                           {"expires", waiver.expires.to_string()},
                           {"state", waiver_state(r, static_cast<int>(w))},
                           {"findings_waived", applied}});
    }
    doc["waivers"] = std::move(waivers);

    Json probes = Json::array();
    for (const auto& run : scan.probe_runs) {
        Json j{{"probe", run.probe},
               {"subject", inv.subjects[static_cast<std::size_t>(run.subject)].id},
               {"target", run.target}};
        j["error"] = run.error.empty() ? Json(nullptr) : Json(run.error);
        probes.push_back(std::move(j));
    }
    doc["probes"] = std::move(probes);
    out << json_escape_controls(doc.dump(2, ' ', false, Json::error_handler_t::replace)) << '\n';
}

void write_probe_json(const std::string& subject, const Facts& facts, const std::string& error,
                      std::ostream& out) {
    Json doc;
    doc["subject"] = subject;
    Json j = Json::object();
    for (const auto& [name, fact] : facts) {
        j[name] = fact_json(fact);
    }
    doc["facts"] = std::move(j);
    if (!error.empty()) {
        doc["error"] = error;
    }
    out << json_escape_controls(doc.dump(2, ' ', false, Json::error_handler_t::replace)) << '\n';
}

}  // namespace lisa
