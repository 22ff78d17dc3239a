// SPDX-License-Identifier: Apache-2.0
// The one mapping between ReportDocument and the JSON report: to_json (streamed, section by
// section) and report_from_json (bounded parse, migration hook, lenient field reads).
#include "lisa/report/document.hpp"
#include "lisa/report/report.hpp"

#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "../common/bounded_json.hpp"
#include "lisa/core/text.hpp"

namespace lisa {

std::string_view to_string(WaiverState state) noexcept {
    switch (state) {
        case WaiverState::Active: return "active";
        case WaiverState::Expired: return "expired";
        case WaiverState::Unused: return "unused";
    }
    return "active";
}

const RuleEntry* ReportDocument::find_rule(std::string_view id) const noexcept {
    for (const auto& rule : rules) {
        if (rule.id == id) {
            return &rule;
        }
    }
    return nullptr;
}

std::string ReportDocument::area_title(std::string_view id, std::string_view lang) const {
    for (const auto& area : score.areas) {
        if (area.result.id == id && area.title) {
            const std::string& t = area.title->in(lang);
            const std::string& other = area.title->in(lang == "en" ? "sv" : "en");
            if (!t.empty() || !other.empty()) {
                return t.empty() ? other : t;
            }
        }
    }
    return std::string(id);
}

std::string_view to_string(ActionState state) noexcept {
    switch (state) {
        case ActionState::Open: return "open";
        case ActionState::Overdue: return "overdue";
        case ActionState::Closed: return "closed";
    }
    return "open";
}

std::string accounts_text(const ReportFinding& finding, std::string_view lang) {
    std::string out;
    for (const auto& name : finding.accounts) {
        out += (out.empty() ? "" : ", ") + name;
    }
    if (finding.accounts_more > 0) {
        const std::string n = std::to_string(finding.accounts_more);
        out += out.empty() ? n + (lang == "en" ? " accounts" : " konton")
                           : (lang == "en" ? " and " + n + " more" : " och " + n + " till");
    }
    return out;
}

namespace {

using Json = nlohmann::ordered_json;

// ---------------------------------------------------------------------------------------------
// Writing

Json value_json(const Value& v) {
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

Json optional_number(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }
Json optional_string(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }
Json text_json(const Text& t) { return {{"sv", t.sv}, {"en", t.en}}; }

constexpr Status kStatusOrder[] = {Status::Pass, Status::Fail, Status::Error, Status::NotApplicable,
                                   Status::Waived};

Json counts_json(const StatusCounts& counts) {
    Json j = Json::object();
    for (auto s : kStatusOrder) {
        j[std::string(to_string(s))] = counts[static_cast<std::size_t>(s)];
    }
    return j;
}

Json area_json(const ReportArea& area) {
    Json j;
    j["id"] = area.result.id;
    if (area.title) {
        j["title"] = text_json(*area.title);
    }
    j["score"] = optional_number(area.result.score);
    j["score_without_waivers"] = optional_number(area.result.score_without_waivers);
    j["coverage"] = area.result.coverage;
    j["rules_judged"] = area.result.rules_judged;
    j["findings_by_status"] = counts_json(area.result.by_status);
    return j;
}

Json score_json(const ScoreSummary& s) {
    Json j;
    j["overall"] = optional_number(s.overall.score);
    j["overall_without_waivers"] = optional_number(s.overall.score_without_waivers);
    j["coverage"] = s.overall.coverage;
    j["rules_judged"] = s.overall.rules_judged;
    j["findings_by_status"] = counts_json(s.overall.by_status);
    j["areas"] = Json::array();
    for (const auto& area : s.areas) {
        j["areas"].push_back(area_json(area));
    }
    return j;
}

Json run_json(const RunInfo& r) {
    return {{"as_of", r.as_of},         {"started", r.started},
            {"finished", r.finished},   {"rule_pack_sha256", r.rule_pack_sha256},
            {"inventory_sha256", r.inventory_sha256}, {"systems", r.systems},
            {"complete", r.complete}};
}

Json organization_json(const OrganizationInfo& o) {
    Json j = {{"name", o.name},
              {"municipality_code", o.municipality_code},
              {"population", o.population},
              {"size_group", o.size_group},
              {"size_group_2021", o.size_group_2021}};
    if (o.population_year != 0) {
        j["population_year"] = o.population_year;
    }
    if (!o.drift.empty()) {
        j["drift"] = o.drift;
    }
    return j;
}

// A finding's `result`: the engine's message as data (evaluator.hpp ResultDetail).
Json result_json(const ResultDetail& d) {
    Json j;
    Json clauses = Json::array();
    for (const auto& c : d.clauses) {
        Json jc;
        jc["fact"] = c.fact;
        jc["operator"] = c.op;
        jc["expected"] = c.expected;
        jc["observed"] = c.observed;
        if (c.negated) {
            jc["negated"] = true;
        }
        clauses.push_back(std::move(jc));
    }
    j["clauses"] = std::move(clauses);
    if (d.any_of) {
        j["any_of"] = true;
    }
    if (d.where) {
        j["where"] = true;
    }
    return j;
}

Json finding_json(const ReportFinding& f) {
    Json j;
    j["rule"] = f.rule;
    j["subject"] = f.subject;
    j["subject_kind"] = f.subject_kind ? std::string(to_string(*f.subject_kind)) : std::string();
    j["status"] = std::string(to_string(f.status));
    j["severity"] = std::string(to_string(f.severity));
    j["area"] = f.area;
    if (!f.indicator.empty()) {
        j["indicator"] = f.indicator;
    }
    j["title"] = text_json(f.title);
    j["message"] = f.message;
    if (!f.result.clauses.empty()) {
        j["result"] = result_json(f.result);
    }
    j["system"] = optional_string(f.system);
    j["owner"] = optional_string(f.owner);
    j["subject_name"] = f.subject_name;
    if (f.declared_at) {
        j["declared_at"] = {{"file", f.declared_at->file}, {"line", f.declared_at->line},
                            {"column", f.declared_at->column}};
    }
    Json evidence = Json::object();
    for (const auto& e : f.evidence) {
        Json fact;
        fact["value"] = value_json(e.value);
        fact["provenance"] = e.provenance;
        if (!e.source.empty()) {
            fact["source"] = e.source;
        }
        evidence[e.fact] = std::move(fact);
    }
    j["evidence"] = std::move(evidence);
    if (f.waiver) {
        j["waiver"] = {{"decision_ref", f.waiver->decision_ref}, {"expires", f.waiver->expires}};
        j["unwaived_status"] = std::string(to_string(f.unwaived_status));
    }
    if (!f.accounts.empty() || f.accounts_more > 0) {
        j["accounts"] = {{"names", f.accounts}, {"more", f.accounts_more}};
    }
    return j;
}

Json rule_json(const RuleEntry& rule) {
    Json j{{"id", rule.id},
           {"title", text_json(rule.title)},
           {"area", rule.area},
           {"severity", std::string(to_string(rule.severity))},
           {"for_each", rule.for_each},
           {"references", rule.references},
           {"remediation", text_json(rule.remediation)},
           {"scored", rule.scored}};
    j["indicator"] = rule.indicator.empty() ? Json(nullptr) : Json(rule.indicator);
    Json typed = Json::array();
    for (const auto& ref : rule.references_typed) {
        typed.push_back({{"kind", ref.kind}, {"ref", ref.ref}});
    }
    j["references_typed"] = std::move(typed);
    return j;
}

Json evidence_file_json(const EvidenceFile& f) {
    return {{"subject", f.subject},
            {"role", f.role},
            {"path", f.path},
            {"exists", f.exists ? Json(*f.exists) : Json(nullptr)},
            {"sha256", optional_string(f.sha256)}};
}

Json figure_json(const ReportFigure& f, bool notes) {
    Json j;
    j["year"] = f.year;
    j["n"] = f.n ? Json(*f.n) : Json(nullptr);
    Json dist = Json::object();
    for (const auto& [answer, pct] : f.distribution) {
        dist[answer] = pct;
    }
    j["distribution"] = std::move(dist);
    j["source"] = f.source;
    if (notes && !f.notes.empty()) {
        j["notes"] = f.notes;
        j["notes_sv"] = f.notes_sv;
    }
    return j;
}

Json caveats_json(const std::vector<IndicatorCaveat>& caveats) {
    Json out = Json::array();
    for (const auto& c : caveats) {
        Json jc{{"rule", c.rule}, {"subject", c.subject}, {"message", c.message}};
        if (c.enabled && c.without_strong_auth) {
            jc["enabled"] = *c.enabled;
            jc["without_strong_auth"] = *c.without_strong_auth;
        }
        out.push_back(std::move(jc));
    }
    return out;
}

Json units_json(const std::vector<IndicatorUnit>& units) {
    Json out = Json::array();
    for (const auto& u : units) {
        Json ju{{"subject", u.subject}, {"verdict", u.verdict}};
        ju["provenance"] = u.provenance.empty() ? Json(nullptr) : Json(u.provenance);
        if (!u.failing_rules.empty()) {
            ju["failing_rules"] = u.failing_rules;
        }
        if (!u.errored_rules.empty()) {
            ju["errored_rules"] = u.errored_rules;
        }
        out.push_back(std::move(ju));
    }
    return out;
}

void indicator_figures_json(const IndicatorResult& a, Json& j) {
    j["national"] = a.national ? figure_json(*a.national, true) : Json(nullptr);
    if (!a.national_trend.empty()) {
        Json trend = Json::array();
        for (const auto& f : a.national_trend) {
            Json jf = figure_json(f, false);
            jf["scope"] = f.scope.empty() ? Json(nullptr) : Json(f.scope);
            trend.push_back(std::move(jf));
        }
        j["national_trend"] = std::move(trend);
    }
    if (a.size_group) {
        Json sg = figure_json(*a.size_group, true);
        sg["group"] = a.size_group->group;
        if (a.size_group->label) {
            sg["label"] = *a.size_group->label;
        }
        j["size_group"] = std::move(sg);
    } else {
        j["size_group"] = nullptr;
    }
    if (a.caveat) {
        j["caveat"] = {{"sv", a.caveat->sv}, {"source", a.caveat->source}};
    }
}

Json indicator_json(const IndicatorResult& a) {
    Json j;
    j["id"] = a.id;
    j["title"] = text_json(a.title);
    j["scope"] = a.scope.empty() ? Json(nullptr) : Json(a.scope);
    j["answer"] = optional_string(a.answer);
    if (a.not_asked) {
        j["not_asked"] = *a.not_asked;
    }
    j["period"] = {{"survey_year", a.survey_year}, {"asked_about", a.asked_about}};
    if (a.share_percent) {
        j["share_percent"] = *a.share_percent;
    }
    if (!a.caveats.empty()) {
        j["caveats"] = caveats_json(a.caveats);
    }
    j["evidenced"] = a.evidenced;
    j["complete"] = a.complete;
    j["evidence"] = {{"units", units_json(a.units)}, {"by_provenance", a.by_provenance}};
    if (a.measure_total) {
        j["evidence"]["measure"] = {{"total", *a.measure_total},
                                    {"missing", a.measure_missing.value_or(0)}};
    }
    indicator_figures_json(a, j);
    return j;
}

Json framework_json(const FrameworkCoverage& fw) {
    return {{"id", fw.id},           {"title", fw.title},       {"controls", fw.controls},
            {"mapped", fw.mapped},   {"evidenced", fw.evidenced}, {"by_status", fw.by_status},
            {"evidenced_controls", fw.evidenced_ids}};
}

Json waiver_json(const WaiverRecord& w) {
    return {{"rule", w.rule},
            {"subject", w.subject},
            {"reason", w.reason},
            {"decided_by", w.decision.decided_by},
            {"decision_ref", w.decision.decision_ref},
            {"expires", w.expires},
            {"state", std::string(to_string(w.state))},
            {"findings_waived", w.findings_waived}};
}

Json probe_json(const ProbeRecord& p) {
    Json j{{"probe", p.probe}, {"subject", p.subject}, {"target", p.target}};
    j["error"] = p.error.empty() ? Json(nullptr) : Json(p.error);
    return j;
}

Json trend_json(const TrendPoint& t) {
    Json j{{"as_of", t.as_of}, {"score", t.score}};
    if (!t.areas.empty()) {
        j["areas"] = t.areas;  // {AREA: score}, sorted by id
    }
    return j;
}

Json action_json(const ActionRecord& a) {
    return {{"key", a.key},         {"rule", a.rule},         {"subject", a.subject},
            {"owner", a.owner},     {"deadline", a.deadline}, {"status", a.status},
            {"comment", a.comment}, {"state", std::string(to_string(a.state))}};
}

/// Streams a top-level object the way nlohmann's dump(2) writes it, one member at a time: each
/// member's own tree is the largest thing held (one finding, one section's header).
class ObjectStream {
public:
    explicit ObjectStream(std::ostream& out) : out_(out) { out_ << '{'; }

    void member(const char* key, const Json& value) {
        open(key);
        out_ << indented(value, 1);
    }

    template <typename T, typename F>
    void array(const char* key, const std::vector<T>& items, F to_json) {
        open(key);
        if (items.empty()) {
            out_ << "[]";
            return;
        }
        out_ << "[\n";
        for (std::size_t i = 0; i < items.size(); ++i) {
            out_ << (i == 0 ? "    " : ",\n    ") << indented(to_json(items[i]), 2);
        }
        out_ << "\n  ]";
    }

    void close() { out_ << (first_ ? "}\n" : "\n}\n"); }

private:
    void open(const char* key) {
        out_ << (first_ ? "\n  \"" : ",\n  \"") << key << "\": ";
        first_ = false;
    }

    // The value as nlohmann's dump(2) writes it at `levels` deep in the whole document: the
    // serializer's own current indent shifts every line after the first, so the text is made
    // once, not dumped and then copied line by line (issue 15).
    static std::string indented(const Json& j, int levels) {
        std::string text;
        nlohmann::detail::serializer<Json> serializer(nlohmann::detail::output_adapter<char, std::string>(text), ' ',
                                                      Json::error_handler_t::replace);
        serializer.dump(j, true, false, 2, static_cast<unsigned int>(levels) * 2);
        return json_escape_controls(std::move(text));
    }

    std::ostream& out_;
    bool first_ = true;
};

// ---------------------------------------------------------------------------------------------
// Reading: lenient, every accessor total

const Json& empty_json() {
    static const Json kEmpty;
    return kEmpty;
}

const Json& at(const Json& j, const char* key) {
    if (!j.is_object()) {
        return empty_json();
    }
    const auto it = j.find(key);
    return it == j.end() ? empty_json() : *it;
}

std::string str(const Json& j) {
    if (j.is_string()) {
        return j.get<std::string>();
    }
    if (j.is_number() || j.is_boolean()) {
        return j.dump();
    }
    return {};
}

std::string str(const Json& j, const char* key) { return str(at(j, key)); }

std::optional<std::string> opt_str(const Json& j, const char* key) {
    const Json& v = at(j, key);
    if (v.is_null()) {
        return std::nullopt;
    }
    return str(v);
}

std::optional<double> number(const Json& j) {
    if (j.is_number()) {
        return j.get<double>();
    }
    return std::nullopt;
}

std::optional<std::int64_t> integer(const Json& j) {
    if (j.is_number_integer()) {
        return j.get<std::int64_t>();
    }
    if (j.is_number_unsigned()) {
        const auto u = j.get<std::uint64_t>();
        return u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
                   ? std::numeric_limits<std::int64_t>::max()
                   : static_cast<std::int64_t>(u);
    }
    if (j.is_number_float()) {
        const double d = j.get<double>();
        if (std::isfinite(d) && std::fabs(d) < 9e18) {
            return static_cast<std::int64_t>(std::llround(d));
        }
    }
    return std::nullopt;
}

int int_of(const Json& j, const char* key) {
    const auto v = integer(at(j, key));
    if (!v) {
        return 0;
    }
    return static_cast<int>(std::max<std::int64_t>(std::numeric_limits<int>::min(),
                                                   std::min<std::int64_t>(*v, std::numeric_limits<int>::max())));
}

bool bool_of(const Json& j, const char* key, bool fallback) {
    const Json& v = at(j, key);
    return v.is_boolean() ? v.get<bool>() : fallback;
}

std::vector<std::string> strings(const Json& j, const char* key) {
    std::vector<std::string> out;
    const Json& a = at(j, key);
    if (a.is_array()) {
        for (const auto& e : a) {
            out.push_back(str(e));
        }
    }
    return out;
}

template <typename F>
void each(const Json& j, const char* key, F f) {
    const Json& a = at(j, key);
    if (a.is_array()) {
        for (const auto& e : a) {
            f(e);
        }
    }
}

/// A localized text: {sv, en}, or a plain string for both.
Text text_of(const Json& j) {
    if (j.is_string()) {
        return {j.get<std::string>(), j.get<std::string>()};
    }
    Text t{str(j, "sv"), str(j, "en")};
    if (t.sv.empty() && t.en.empty() && j.is_object()) {
        for (const auto& [k, v] : j.items()) {
            if (v.is_string()) {
                t.sv = t.en = v.get<std::string>();
                break;
            }
        }
    }
    return t;
}

Status status_of(const std::string& s) {
    for (auto st : kStatusOrder) {
        if (s == to_string(st)) {
            return st;
        }
    }
    return Status::Error;  // unknown: could not be interpreted, never a pass
}

Severity severity_of(const std::string& s) { return severity_from_string(s).value_or(Severity::Info); }

Value value_of(const Json& j) {
    if (j.is_boolean()) {
        return j.get<bool>();
    }
    if (const auto i = j.is_number_integer() || j.is_number_unsigned() ? integer(j) : std::nullopt) {
        return *i;
    }
    if (j.is_number_float()) {
        return j.get<double>();
    }
    if (j.is_string()) {
        return j.get<std::string>();
    }
    if (j.is_array()) {
        StringList list;
        for (const auto& e : j) {
            list.push_back(e.is_string() ? e.get<std::string>() : e.dump(-1, ' ', false, Json::error_handler_t::replace));
        }
        return list;
    }
    if (j.is_object()) {
        return j.dump(-1, ' ', false, Json::error_handler_t::replace);
    }
    return Value();
}

StatusCounts counts_of(const Json& j) {
    StatusCounts c{};
    for (auto s : kStatusOrder) {
        c[static_cast<std::size_t>(s)] = int_of(j, std::string(to_string(s)).c_str());
    }
    return c;
}

AreaScore area_score_of(const Json& j, const char* score, const char* without) {
    AreaScore a;
    a.score = number(at(j, score));
    a.score_without_waivers = number(at(j, without));
    a.coverage = number(at(j, "coverage")).value_or(0);
    a.rules_judged = int_of(j, "rules_judged");
    a.by_status = counts_of(at(j, "findings_by_status"));
    return a;
}

ScoreSummary score_of(const Json& j) {
    ScoreSummary s;
    s.overall = area_score_of(j, "overall", "overall_without_waivers");
    each(j, "areas", [&](const Json& e) {
        ReportArea area;
        area.result = area_score_of(e, "score", "score_without_waivers");
        area.result.id = str(e, "id");
        if (at(e, "title").is_object() || at(e, "title").is_string()) {
            area.title = text_of(at(e, "title"));
        }
        s.areas.push_back(std::move(area));
    });
    return s;
}

RunInfo run_of(const Json& doc) {
    const Json& r = at(doc, "run");
    RunInfo run;
    run.tool_name = str(at(doc, "tool"), "name");
    run.tool_version = str(at(doc, "tool"), "version");
    run.as_of = str(r, "as_of");
    run.started = str(r, "started");
    run.finished = str(r, "finished");
    run.rule_pack_sha256 = str(r, "rule_pack_sha256");
    run.inventory_sha256 = str(r, "inventory_sha256");
    run.systems = strings(r, "systems");
    run.complete = bool_of(r, "complete", false);
    return run;
}

OrganizationInfo organization_of(const Json& o) {
    OrganizationInfo org;
    org.name = str(o, "name");
    org.municipality_code = str(o, "municipality_code");
    org.population = integer(at(o, "population")).value_or(0);
    org.size_group = str(o, "size_group");
    org.size_group_2021 = str(o, "size_group_2021");
    org.population_year = int_of(o, "population_year");
    if (at(o, "drift").is_object()) {
        for (const auto& [k, v] : at(o, "drift").items()) {
            org.drift[k] = str(v);
        }
    }
    return org;
}

ReportFinding finding_of(const Json& j) {
    ReportFinding f;
    f.rule = str(j, "rule");
    f.subject = str(j, "subject");
    f.subject_kind = subject_kind_from_string(str(j, "subject_kind"));
    f.status = status_of(str(j, "status"));
    f.severity = severity_of(str(j, "severity"));
    f.area = str(j, "area");
    f.indicator = str(j, "indicator");
    f.title = text_of(at(j, "title"));
    f.message = str(j, "message");
    if (at(j, "result").is_object()) {
        const Json& r = at(j, "result");
        if (at(r, "clauses").is_array()) {
            for (const auto& c : at(r, "clauses")) {
                f.result.clauses.push_back({str(c, "fact"), str(c, "operator"), str(c, "expected"),
                                            str(c, "observed"), at(c, "negated").is_boolean() && at(c, "negated").get<bool>()});
            }
        }
        f.result.any_of = at(r, "any_of").is_boolean() && at(r, "any_of").get<bool>();
        f.result.where = at(r, "where").is_boolean() && at(r, "where").get<bool>();
    }
    f.system = opt_str(j, "system");
    f.owner = opt_str(j, "owner");
    f.subject_name = str(j, "subject_name");
    if (const Json& d = at(j, "declared_at"); d.is_object()) {
        const auto line = integer(at(d, "line"));
        const auto column = integer(at(d, "column"));
        if (line && *line > 0 && *line <= std::numeric_limits<int>::max() && !str(d, "file").empty()) {
            f.declared_at = SourceLocation{str(d, "file"), static_cast<int>(*line),
                                           column && *column > 0 && *column <= std::numeric_limits<int>::max()
                                               ? static_cast<int>(*column)
                                               : 0};
        }
    }
    if (at(j, "evidence").is_object()) {
        for (const auto& [name, fact] : at(j, "evidence").items()) {
            f.evidence.push_back({name, value_of(at(fact, "value")), str(fact, "provenance"), str(fact, "source")});
        }
    }
    if (at(j, "waiver").is_object()) {
        const Json& w = at(j, "waiver");
        f.waiver = FindingWaiver{str(w, "decision_ref"), str(w, "expires"), std::nullopt};
        f.unwaived_status = status_of(str(j, "unwaived_status"));
    }
    if (at(j, "accounts").is_object()) {
        f.accounts = strings(at(j, "accounts"), "names");
        if (f.accounts.size() > kReportAccountCap) {
            f.accounts.resize(kReportAccountCap);  // a hand-edited report: the cap holds
        }
        f.accounts_more = std::max<std::int64_t>(0, integer(at(at(j, "accounts"), "more")).value_or(0));
    }
    return f;
}

RuleEntry rule_of(const Json& j) {
    RuleEntry r;
    r.id = str(j, "id");
    r.title = text_of(at(j, "title"));
    r.area = str(j, "area");
    r.severity = severity_of(str(j, "severity"));
    r.for_each = str(j, "for_each");
    r.references = strings(j, "references");
    r.remediation = text_of(at(j, "remediation"));
    r.scored = bool_of(j, "scored", true);
    r.indicator = str(j, "indicator");
    each(j, "references_typed", [&](const Json& e) { r.references_typed.push_back({str(e, "kind"), str(e, "ref")}); });
    return r;
}

EvidenceFile evidence_file_of(const Json& j) {
    EvidenceFile f{str(j, "subject"), str(j, "role"), str(j, "path"), std::nullopt, opt_str(j, "sha256")};
    if (at(j, "exists").is_boolean()) {
        f.exists = at(j, "exists").get<bool>();
    }
    return f;
}

std::optional<ReportFigure> figure_of(const Json& j) {
    if (!j.is_object()) {
        return std::nullopt;
    }
    ReportFigure f;
    f.year = int_of(j, "year");
    f.n = integer(at(j, "n"));
    if (at(j, "distribution").is_object()) {
        for (const auto& [answer, pct] : at(j, "distribution").items()) {
            if (const auto v = number(pct)) {
                f.distribution.emplace_back(answer, *v);
            }
        }
    }
    f.source = str(j, "source");
    f.notes = strings(j, "notes");
    f.notes_sv = strings(j, "notes_sv");
    f.scope = str(j, "scope");
    f.group = str(j, "group");
    f.label = at(j, "label").is_string() ? std::optional<std::string>(str(j, "label")) : std::nullopt;
    return f;
}

IndicatorResult indicator_of(const Json& j) {
    IndicatorResult a;
    a.id = str(j, "id");
    a.title = text_of(at(j, "title"));
    a.scope = str(j, "scope");
    a.answer = opt_str(j, "answer");
    a.not_asked = opt_str(j, "not_asked");
    a.survey_year = int_of(at(j, "period"), "survey_year");
    a.asked_about = str(at(j, "period"), "asked_about");
    a.share_percent = number(at(j, "share_percent"));
    each(j, "caveats", [&](const Json& c) {
        IndicatorCaveat cv;
        cv.rule = str(c, "rule");
        cv.subject = str(c, "subject");
        cv.message = str(c, "message");
        cv.enabled = integer(at(c, "enabled"));
        cv.without_strong_auth = integer(at(c, "without_strong_auth"));
        a.caveats.push_back(std::move(cv));
    });
    a.evidenced = bool_of(j, "evidenced", false);
    a.complete = bool_of(j, "complete", true);
    const Json& ev = at(j, "evidence");
    each(ev, "units", [&](const Json& u) {
        a.units.push_back({str(u, "subject"), str(u, "verdict"), str(u, "provenance"),
                           strings(u, "failing_rules"), strings(u, "errored_rules")});
    });
    if (at(ev, "by_provenance").is_object()) {
        for (const auto& [k, v] : at(ev, "by_provenance").items()) {
            a.by_provenance[k] = static_cast<int>(integer(v).value_or(0));
        }
    }
    if (at(ev, "measure").is_object()) {
        a.measure_total = integer(at(at(ev, "measure"), "total"));
        a.measure_missing = integer(at(at(ev, "measure"), "missing"));
    }
    a.national = figure_of(at(j, "national"));
    each(j, "national_trend", [&](const Json& f) {
        if (auto fig = figure_of(f)) {
            a.national_trend.push_back(std::move(*fig));
        }
    });
    a.size_group = figure_of(at(j, "size_group"));
    if (at(j, "caveat").is_object()) {
        a.caveat = SourcedText{str(at(j, "caveat"), "sv"), str(at(j, "caveat"), "source")};
    }
    return a;
}

FrameworkCoverage framework_of(const Json& j) {
    FrameworkCoverage fw;
    fw.id = str(j, "id");
    fw.title = str(j, "title");
    fw.controls = int_of(j, "controls");
    fw.mapped = int_of(j, "mapped");
    fw.evidenced = int_of(j, "evidenced");
    if (at(j, "by_status").is_object()) {
        for (const auto& [k, v] : at(j, "by_status").items()) {
            fw.by_status[k] = static_cast<int>(integer(v).value_or(0));
        }
    }
    fw.evidenced_ids = strings(j, "evidenced_controls");
    return fw;
}

WaiverRecord waiver_of(const Json& j) {
    WaiverRecord w;
    w.rule = str(j, "rule");
    w.subject = str(j, "subject");
    w.reason = str(j, "reason");
    w.decision = {str(j, "decided_by"), str(j, "decision_ref")};
    w.expires = str(j, "expires");
    const std::string state = str(j, "state");
    w.state = state == "expired" ? WaiverState::Expired : state == "unused" ? WaiverState::Unused : WaiverState::Active;
    w.findings_waived = int_of(j, "findings_waived");
    return w;
}

/// Glob with '*' and '?', as the engine matches waivers (engine/scan.hpp glob_match).
bool glob(std::string_view p, std::string_view t) {
    std::size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
    while (ti < t.size()) {
        if (pi < p.size() && (p[pi] == '?' || p[pi] == t[ti])) {
            ++pi;
            ++ti;
        } else if (pi < p.size() && p[pi] == '*') {
            star = pi++;
            mark = ti;
        } else if (star != std::string_view::npos) {
            pi = star + 1;
            ti = ++mark;
        } else {
            return false;
        }
    }
    while (pi < p.size() && p[pi] == '*') {
        ++pi;
    }
    return pi == p.size();
}

/// A saved report names a finding's waiver by decision_ref and expiry only: the record the engine
/// applied is the first with both and a matching rule and subject (the engine's own order).
/// Done once, here, when a report is read back; a fresh scan carries the engine's index.
void link_waivers(ReportDocument& doc) {
    for (auto& f : doc.findings) {
        if (!f.waiver) {
            continue;
        }
        std::optional<std::size_t> by_ref;  // a hand-edited report: the decision alone
        for (std::size_t i = 0; i < doc.waivers.size() && !f.waiver->record; ++i) {
            const auto& w = doc.waivers[i];
            if (w.decision.decision_ref != f.waiver->decision_ref || w.decision.decision_ref.empty()) {
                continue;
            }
            if (w.expires == f.waiver->expires && glob(w.rule, f.rule) && glob(w.subject, f.subject)) {
                f.waiver->record = i;
            }
            by_ref = by_ref ? by_ref : std::optional<std::size_t>(i);
        }
        f.waiver->record = f.waiver->record ? f.waiver->record : by_ref;
    }
}

/// The migration hook: brings a report of an older schema_version to kReportSchemaVersion, in
/// place, one version step at a time. Version 1 is the first; nothing to migrate yet.
Result<int> migrate(Json& doc, int version) {
    (void)doc;
    if (version < 1) {
        return Error{"schema_version " + std::to_string(version) + " is not a lisa report version"};
    }
    if (version > kReportSchemaVersion) {
        return Error{"schema_version " + std::to_string(version) + " is newer than this lisa reads (" +
                     std::to_string(kReportSchemaVersion) + "); use a newer lisa"};
    }
    return kReportSchemaVersion;
}

ReportDocument document_of(const Json& j) {
    ReportDocument doc;
    doc.run = run_of(j);
    doc.organization = organization_of(at(j, "organization"));
    doc.score = score_of(at(j, "score"));
    each(j, "findings", [&](const Json& e) { doc.findings.push_back(finding_of(e)); });
    each(j, "rules", [&](const Json& e) { doc.rules.push_back(rule_of(e)); });
    each(j, "evidence_files", [&](const Json& e) { doc.evidence_files.push_back(evidence_file_of(e)); });
    each(j, "indicators", [&](const Json& e) { doc.indicators.push_back(indicator_of(e)); });
    each(j, "frameworks", [&](const Json& e) { doc.frameworks.push_back(framework_of(e)); });
    each(j, "waivers", [&](const Json& e) { doc.waivers.push_back(waiver_of(e)); });
    each(j, "probes", [&](const Json& e) {
        doc.probes.push_back({str(e, "probe"), str(e, "subject"), str(e, "target"), str(e, "error")});
    });
    each(j, "trend", [&](const Json& e) {
        if (const auto s = number(at(e, "score"))) {
            TrendPoint point{str(e, "as_of"), *s, {}};
            const Json& areas = at(e, "areas");
            if (areas.is_object()) {
                for (const auto& [id, v] : areas.items()) {
                    if (const auto score = number(v)) {
                        point.areas[id] = *score;
                    }
                }
            }
            doc.trend.push_back(std::move(point));
        }
    });
    each(j, "action_plan", [&](const Json& e) {
        ActionRecord a{str(e, "key"),   str(e, "rule"),   str(e, "subject"), str(e, "owner"),
                       str(e, "deadline"), str(e, "status"), str(e, "comment"), ActionState::Open};
        const std::string state = str(e, "state");
        a.state = state == "overdue" ? ActionState::Overdue : state == "closed" ? ActionState::Closed : ActionState::Open;
        doc.actions.push_back(std::move(a));
    });
    const Json& target = at(j, "board_target");
    if (target.is_object()) {
        doc.board_target.target_score = number(at(target, "target_score"));
        doc.board_target.amber_from = number(at(target, "amber_from"));
    }
    link_waivers(doc);
    return doc;
}

}  // namespace

void to_json(const ReportDocument& d, std::ostream& out) {
    ObjectStream o(out);
    o.member("schema_version", d.schema_version);
    o.member("tool", Json{{"name", d.run.tool_name}, {"version", d.run.tool_version}});
    o.member("run", run_json(d.run));
    o.member("organization", organization_json(d.organization));
    o.member("score", score_json(d.score));
    o.array("findings", d.findings, finding_json);
    o.array("rules", d.rules, rule_json);
    o.array("evidence_files", d.evidence_files, evidence_file_json);
    o.array("indicators", d.indicators, indicator_json);
    o.array("frameworks", d.frameworks, framework_json);
    o.array("waivers", d.waivers, waiver_json);
    o.array("probes", d.probes, probe_json);
    if (!d.trend.empty()) {
        o.array("trend", d.trend, trend_json);
    }
    if (!d.actions.empty()) {
        o.array("action_plan", d.actions, action_json);
    }
    if (d.board_target.target_score) {
        Json target{{"target_score", *d.board_target.target_score}};
        if (d.board_target.amber_from) {
            target["amber_from"] = *d.board_target.amber_from;
        }
        o.member("board_target", target);
    }
    o.close();
}

Result<ReportDocument> report_from_json(std::string_view text) {
    std::string error;
    auto parsed = detail::parse_bounded_json<Json>(text, detail::kMaxReportJsonBytes, error);
    if (!parsed) {
        const bool located = !error.empty() && std::isdigit(static_cast<unsigned char>(error[0])) != 0;
        return Error{located ? error : "not valid JSON: " + error};
    }
    Json& j = *parsed;
    if (!j.is_object() || !j.contains("schema_version") || !j.contains("findings")) {
        return Error{"not a lisa JSON report"};
    }
    const auto version = integer(j["schema_version"]);
    auto migrated = migrate(j, version.value_or(0) > std::numeric_limits<int>::max() ? 0 : static_cast<int>(version.value_or(0)));
    if (!migrated) {
        return migrated.error();
    }
    ReportDocument doc = document_of(j);
    doc.schema_version = migrated.value();
    return doc;
}

// `lisa probe`'s output: the same value conversion as the report's evidence (value_json).
void write_probe_json(const std::string& subject, const Facts& facts, const std::string& error,
                      std::ostream& out) {
    Json doc;
    doc["subject"] = subject;
    Json j = Json::object();
    for (const auto& [name, fact] : facts) {
        Json f;
        f["value"] = value_json(fact.value);
        f["provenance"] = std::string(to_string(fact.provenance));
        if (!fact.source.empty()) {
            f["source"] = fact.source;
        }
        j[name] = std::move(f);
    }
    doc["facts"] = std::move(j);
    if (!error.empty()) {
        doc["error"] = error;
    }
    out << json_escape_controls(doc.dump(2, ' ', false, Json::error_handler_t::replace)) << '\n';
}

}  // namespace lisa
