// SPDX-License-Identifier: Apache-2.0
// The HTML report for the security officer and the board: one self-contained file (inline CSS and
// inline SVG charts, no script, no external asset, print CSS for A4), rendered from the typed
// report (document.hpp) so that a fresh scan and a report saved years ago render the same.
//
// The markup is in templates (templates/html/*.mustache, one per section, in the order render()
// writes them; templates.hpp): this file only builds each template's values from the report —
// strings, lists and booleans, words from the label catalogue (keys html.*, passed as t_NAME), the
// charts' geometry as numbers. Every value is escaped by the template library with lisa's one
// HTML sanitiser (html_escape), so no value here is markup. Numbers are formatted with the classic
// locale (decimal comma added for Swedish), so the same input gives the same bytes whatever the
// process locale.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iomanip>
#include <locale>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>

#include "lisa/core/numbers.hpp"
#include "lisa/core/text.hpp"
#include "lisa/report/could_not_check.hpp"
#include "lisa/report/indicators.hpp"
#include "lisa/report/render.hpp"
#include "page_one_html.hpp"
#include "templates.hpp"
#include "trend.hpp"

namespace lisa {
namespace {

namespace mu = kainjow::mustache;
using Data = mu::data;

Data list() { return Data{Data::type::list}; }
Data flag(bool on) { return on ? Data::type::bool_true : Data::type::bool_false; }

// ---------------------------------------------------------------------------------------------
// Words that depend on a value, from the label catalogue (rules/labels/labels.yaml, labels.hpp)

struct Label {
    const char* key;  ///< a key of the label catalogue
};

constexpr Label kSeverityNames[] = {{"html.severity.critical"}, {"html.severity.high"}, {"html.severity.medium"}, {"html.severity.low"}, {"html.severity.info"}, {"html.severity.unknown"}};
constexpr const char* kSeverityClass[] = {"crit", "high", "med", "low", "info", "unknown"};

constexpr const char* kStatusKeys[] = {"pass", "fail", "error", "waived", "not_applicable"};
constexpr Label kStatusNames[] = {{"html.status.pass"}, {"html.status.fail"}, {"html.status.error"}, {"html.status.waived"}, {"html.status.not_applicable"}};

struct Named {
    const char* id;
    Label text;
};

constexpr Named kProvenances[] = {
    {"declared", {"html.provenance.declared"}},
    {"attested", {"html.provenance.attested"}},
    {"document", {"html.provenance.document"}},
    {"probed", {"html.provenance.probed"}}};

// "8 declared": the same provenances, counted.
constexpr Named kProvenanceCounts[] = {
    {"declared", {"html.provenance_count.declared"}},
    {"attested", {"html.provenance_count.attested"}},
    {"document", {"html.provenance_count.document"}},
    {"probed", {"html.provenance_count.probed"}}};

constexpr Named kSubjectKinds[] = {
    {"organization", {"html.subject_kind.organization"}},
    {"system", {"html.subject_kind.system"}},
    {"endpoint", {"html.subject_kind.endpoint"}},
    {"directory", {"html.subject_kind.directory"}},
    {"access_group", {"html.subject_kind.access_group"}},
    {"e_service", {"html.subject_kind.e_service"}},
    {"document", {"html.subject_kind.document"}}};

constexpr Named kIndicatorNames[] = {
    {"QMS-RISK", {"html.indicator.QMS-RISK"}},
    {"SEC-RISK-NIVA", {"html.indicator.SEC-RISK-NIVA"}},
    {"SEC-LIS", {"html.indicator.SEC-LIS"}},
    {"SEC-RISK", {"html.indicator.SEC-RISK"}},
    {"SEC-CLASS", {"html.indicator.SEC-CLASS"}},
    {"SEC-AUTH-EXT", {"html.indicator.SEC-AUTH-EXT"}},
    {"SEC-AUTH-INT", {"html.indicator.SEC-AUTH-INT"}},
    {"SEC-AUTH-USE-MYN", {"html.indicator.SEC-AUTH-USE-MYN"}},
    {"SEC-AUTH-USE-UTF", {"html.indicator.SEC-AUTH-USE-UTF"}},
    {"SEC-SECCOM-SOC", {"html.indicator.SEC-SECCOM-SOC"}},
    {"SEC-SECCOM-HSL", {"html.indicator.SEC-SECCOM-HSL"}}};

template <std::size_t N>
const Label* find_named(const Named (&table)[N], std::string_view id) {
    for (const auto& n : table) {
        if (id == n.id) {
            return &n.text;
        }
    }
    return nullptr;
}

/// Critical 0, high 1, medium 2, low 3, info 4: the index into kSeverityNames / kSeverityClass.
int severity_rank(Severity severity) {
    return static_cast<int>(Severity::Critical) - static_cast<int>(severity);
}

/// The Status a kStatusKeys entry names.
Status status_of_key(std::string_view key) {
    for (auto s : {Status::Pass, Status::Fail, Status::Error, Status::NotApplicable, Status::Waived}) {
        if (to_string(s) == key) {
            return s;
        }
    }
    return Status::Error;
}

int count_of(const StatusCounts& counts, std::string_view key) {
    return counts[static_cast<std::size_t>(status_of_key(key))];
}

// ---------------------------------------------------------------------------------------------
// Numbers: the classic locale always, so output does not depend on the process locale.

/// An SVG coordinate: one decimal, always a dot.
std::string coord(double v) { return fixed_decimals(v, 1); }

// Colours for the answer options of a distribution bar: a blue ramp, dark to light (the answers
// are ordinal: all → none, yes → no), with the text colour that reads on each. What a figure does
// not account for ("other answers") is white with a dashed outline.
constexpr const char* kOptionFill[] = {"#173f6e", "#2f6297", "#5787bd",
                                       "#92b4da", "#c6d8ee", "#a7b1bd"};
constexpr const char* kOptionInk[] = {"#ffffff", "#ffffff", "#ffffff",
                                      "#13263d", "#13263d", "#13263d"};
constexpr const char* kRemainderFill = "#ffffff";
constexpr std::size_t kOptionColours = sizeof(kOptionFill) / sizeof(kOptionFill[0]);

// ---------------------------------------------------------------------------------------------

/// One answer option's share in a figure's bar; the remainder is what the figure leaves out.
struct Segment {
    std::string label;
    double value;
    std::size_t colour;
    bool remainder;
};

class Renderer {
public:
    Renderer(const ReportDocument& report, const RenderOptions& options, std::ostream& out)
        : r_(report), options_(options), en_(options.lang == "en"), labels_(options.words()), o_(out) {
        for (const auto& probe : r_.probes) {
            probes_by_subject_[probe.subject].push_back(&probe);
        }
        for (const auto& f : r_.findings) {
            if (f.status == Status::Fail) {
                fails_.push_back(&f);
                failing_rules_.insert(f.rule);
            } else if (f.status == Status::Error) {
                errors_.push_back(&f);
            } else if (f.status == Status::Waived) {
                waived_.push_back(&f);
            }
        }
    }

    void render();

private:
    using Finding = ReportFinding;
    [[nodiscard]] const char* lang() const { return en_ ? "en" : "sv"; }
    [[nodiscard]] std::string t(const Label& text) const { return labels_.word(text.key, lang()); }
    /// Sets t_NAME to the catalogue's word html.NAME for each name: the template's words.
    void words(Data& d, std::initializer_list<const char*> names) const;
    [[nodiscard]] std::string localized(const Text& text) const;
    [[nodiscard]] std::string num(double v, int decimals) const;
    [[nodiscard]] std::string score_text(std::optional<double> v) const;
    [[nodiscard]] std::string percent_text(double percent) const;
    [[nodiscard]] std::string integer_text(long long v) const;
    /// sev_class and sev_name of a severity badge.
    void severity(Data& d, Severity severity) const;
    [[nodiscard]] std::string area_name(const std::string& id) const;
    [[nodiscard]] std::string kind_name(const Finding& finding) const;
    /// The finding's result worded from the catalogue (labels.hpp); the engine's message when
    /// the finding has no structured result (an error's reason, an older report).
    [[nodiscard]] std::string result_text(const Finding& finding) const;
    /// result, and probe_words when an error reworded in Swedish keeps the probe's own words.
    void message(Data& d, const Finding& finding) const;
    [[nodiscard]] std::string rule_title(const Finding& finding) const;
    [[nodiscard]] std::string remediation(const std::string& rule_id) const;
    [[nodiscard]] std::vector<std::string> area_order() const;
    void emit(std::string_view name, const Data& d) { o_ << html_templates::render(options_, name, d); }

    [[nodiscard]] Data head() const;
    [[nodiscard]] Data header() const;
    [[nodiscard]] Data summary() const;
    [[nodiscard]] Data framework(const FrameworkCoverage& fw) const;
    [[nodiscard]] Data areas() const;
    [[nodiscard]] Data area_chart() const;
    [[nodiscard]] Data survey() const;
    [[nodiscard]] Data indicator_row(const IndicatorResult& ind) const;
    [[nodiscard]] Data indicator_units(const IndicatorResult& ind) const;
    [[nodiscard]] Data indicator_legend(const IndicatorResult& ind, const std::vector<std::string>& options) const;
    [[nodiscard]] Data indicator_trend(const IndicatorResult& ind, const std::vector<std::string>& options) const;
    [[nodiscard]] Data figure(const std::optional<ReportFigure>& fig, const Label& title,
                              const std::vector<std::string>& options, const std::optional<std::string>& answer,
                              bool national) const;
    [[nodiscard]] Data figure_bar(const std::vector<Segment>& segments, double sum, const std::string& mine) const;
    [[nodiscard]] Data trend() const;
    [[nodiscard]] Data failing() const;
    [[nodiscard]] Data rule_card(const std::string& rule_id, const std::vector<const Finding*>& findings) const;
    [[nodiscard]] Data subject_row(const Finding& finding) const;
    void evidence(Data& d, const Finding& finding) const;
    [[nodiscard]] Data errors() const;
    [[nodiscard]] Data waivers() const;
    [[nodiscard]] Data action_plan() const;
    [[nodiscard]] Data action_row(const Finding& finding, int n) const;
    [[nodiscard]] Data plan_progress() const;
    [[nodiscard]] Data appendix() const;
    [[nodiscard]] Data footer() const;

    const ReportDocument& r_;
    const RenderOptions& options_;
    bool en_;
    const Labels& labels_;
    std::ostream& o_;
    std::map<std::string, std::vector<const ProbeRecord*>> probes_by_subject_;
    std::vector<const Finding*> fails_;
    std::vector<const Finding*> errors_;
    std::vector<const Finding*> waived_;
    std::set<std::string> failing_rules_;
};

void Renderer::words(Data& d, std::initializer_list<const char*> names) const {
    for (const char* name : names) {
        d.set(std::string("t_") + name, labels_.word(std::string("html.") + name, lang()));
    }
}

void Renderer::severity(Data& d, Severity severity) const {
    const auto i = static_cast<std::size_t>(severity_rank(severity));
    d.set("sev_class", kSeverityClass[i]);
    d.set("sev_name", t(kSeverityNames[i]));
}

void Renderer::message(Data& d, const Finding& finding) const {
    if (finding.status == Status::Error && !en_) {
        d.set("probe_words", finding.message);
    }
    d.set("result", result_text(finding));
}

std::string Renderer::localized(const Text& text) const {
    const std::string& preferred = text.in(en_ ? "en" : "sv");
    return preferred.empty() ? text.in(en_ ? "sv" : "en") : preferred;
}

std::string Renderer::num(double v, int decimals) const {
    return decimal_sign(fixed_decimals(v, decimals), lang());
}

std::string Renderer::score_text(std::optional<double> v) const {
    return v ? num(*v, 2) : std::string("–");
}

std::string Renderer::percent_text(double percent) const {
    const bool whole = std::fabs(percent - std::round(percent)) < 0.05;
    const std::string n = whole ? fixed_decimals(std::round(percent), 0) : num(percent, 1);
    return en_ ? n + "%" : n + "\u00a0%";
}

std::string Renderer::integer_text(long long v) const {
    // The magnitude in unsigned arithmetic: -v overflows for the most negative value.
    const auto magnitude =
        v < 0 ? 0ULL - static_cast<unsigned long long>(v) : static_cast<unsigned long long>(v);
    const std::string digits = std::to_string(magnitude);
    const std::string sep = en_ ? "," : "\u00a0";
    std::string out;
    const std::size_t n = digits.size();
    for (std::size_t i = 0; i < n; ++i) {
        out += digits[i];
        const std::size_t left = n - i - 1;
        if (left > 0 && left % 3 == 0) {
            out += sep;
        }
    }
    return v < 0 ? "-" + out : out;
}

std::string Renderer::area_name(const std::string& id) const {
    // The pack's title for the area (rules/areas.yaml), carried in the report's score section.
    for (const auto& area : r_.score.areas) {
        if (area.result.id == id && area.title) {
            if (std::string title = localized(*area.title); !title.empty()) {
                return title;
            }
        }
    }
    return id.empty() ? std::string("–") : id;
}

std::string Renderer::kind_name(const Finding& finding) const {
    if (!finding.subject_kind) {
        return {};
    }
    const std::string kind(to_string(*finding.subject_kind));
    if (const Label* text = find_named(kSubjectKinds, kind)) {
        return t(*text);
    }
    return kind;
}

std::string Renderer::result_text(const Finding& finding) const {
    // An error's message is the reason the check could not run: worded by its cause in Swedish
    // (the probe's own words stay in the cell's title and in the JSON); a verdict from its result.
    if (finding.status == Status::Error) {
        return cause_for_check(finding.message, en_ ? "en" : "sv", labels_);
    }
    return finding.result.clauses.empty() ? finding.message : labels_.result(finding.result, en_ ? "en" : "sv", r_.run.as_of);
}

std::string Renderer::rule_title(const Finding& finding) const {
    std::string title = localized(finding.title);
    if (title.empty()) {
        if (const RuleEntry* rule = r_.find_rule(finding.rule)) {
            title = localized(rule->title);
        }
    }
    return title;
}

std::string Renderer::remediation(const std::string& rule_id) const {
    const RuleEntry* rule = r_.find_rule(rule_id);
    return rule == nullptr ? std::string() : localized(rule->remediation);
}

std::vector<std::string> Renderer::area_order() const {
    std::vector<std::string> order;
    for (const auto& area : r_.score.areas) {
        if (std::find(order.begin(), order.end(), area.result.id) == order.end()) {
            order.push_back(area.result.id);
        }
    }
    std::set<std::string> rest;
    for (const auto* list : {&fails_, &errors_, &waived_}) {
        for (const Finding* f : *list) {
            if (std::find(order.begin(), order.end(), f->area) == order.end()) {
                rest.insert(f->area);
            }
        }
    }
    order.insert(order.end(), rest.begin(), rest.end());
    return order;
}

/// An anchor id derived from a rule id: only [A-Za-z0-9-] survive, anything else becomes _XX.
std::string anchor(const std::string& prefix, const std::string& id) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = prefix;
    for (const char c : id) {
        const auto u = static_cast<unsigned char>(c);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-') {
            out += c;
        } else {
            out += '_';
            out += kHex[u >> 4];
            out += kHex[u & 0x0F];
        }
    }
    return out;
}

/// A fact value as text: strings as they are, lists as [a, b], null as –.
std::string value_text(const Value& v) {
    switch (v.type()) {
        case ValueType::None: return "–";
        case ValueType::String: return *v.as_string();
        case ValueType::List: {
            std::string out = "[";
            for (std::size_t i = 0; i < v.as_list()->size(); ++i) {
                out += (i == 0 ? "" : ", ") + (*v.as_list())[i];
            }
            return out + "]";
        }
        case ValueType::Bool: return *v.as_bool() ? "true" : "false";
        case ValueType::Integer: return std::to_string(*v.as_int());
        case ValueType::Number: return nlohmann::json(*v.as_double()).dump();
        case ValueType::Date: return v.as_date()->to_string();
    }
    return "–";
}

/**
 * The answer options of an indicator's figures, one order for both bars so that they line up:
 * the national order first (the options every figure has), then the size group's others.
 */
std::vector<std::string> option_order(const IndicatorResult& ind) {
    std::vector<std::string> order;
    for (const auto* fig : {&ind.national, &ind.size_group}) {
        if (!*fig) {
            continue;
        }
        for (const auto& [option, value] : (*fig)->distribution) {
            if (std::find(order.begin(), order.end(), option) == order.end()) {
                order.push_back(option);
            }
        }
    }
    return order;
}

/// Rounded figures may add up to 99 or 101: only a real gap is shown as "other answers".
constexpr double kRemainderFrom = 98.5;

/// A figure's percentage for one option, if it lists it.
std::optional<double> share_of(const ReportFigure& fig, const std::string& option) {
    for (const auto& [answer, pct] : fig.distribution) {
        if (answer == option) {
            return pct;
        }
    }
    return std::nullopt;
}

/// The sum of a figure's percentages over the options; nullopt without a distribution.
std::optional<double> listed_sum(const std::optional<ReportFigure>& fig, const std::vector<std::string>& options) {
    if (!fig || fig->distribution.empty()) {
        return std::nullopt;
    }
    double sum = 0;
    for (const auto& option : options) {
        sum += std::max(0.0, share_of(*fig, option).value_or(0.0));
    }
    return sum;
}

// ---------------------------------------------------------------------------------------------
// Each section's values (templates/html/NAME.mustache; the template's header comment lists them)

Data Renderer::head() const {
    Data d;
    d.set("lang", lang());
    d.set("version", r_.run.tool_version);
    words(d, {"doc_title"});
    d.set("name", r_.organization.name.empty() ? t(Label{"html.unnamed"}) : r_.organization.name);
    if (!r_.run.as_of.empty()) {
        d.set("as_of", r_.run.as_of);
    }
    return d;
}

Data Renderer::header() const {
    const OrganizationInfo& org = r_.organization;
    const RunInfo& run = r_.run;
    const auto dash = [](const std::string& s) { return s.empty() ? std::string("–") : s; };
    Data d;
    words(d, {"doc_kicker", "as_of_lead", "scoped", "incomplete", "contents"});
    d.set("name", org.name.empty() ? t(Label{"html.unnamed"}) : org.name);
    d.set("as_of", dash(run.as_of));
    Data meta = list();
    const auto row = [&](const char* key, const std::string& value) {
        Data m;
        m.set("label", labels_.word(key, lang()));
        m.set("value", value);
        meta.push_back(m);
    };
    row("html.municipality_code", dash(org.municipality_code));
    row("html.population", integer_text(org.population));
    row("html.size_group", dash(org.size_group));
    row("html.as_of", dash(run.as_of));
    row("html.tool", (run.tool_name.empty() ? std::string("lisa") : run.tool_name) + " " + run.tool_version);
    d.set("meta", meta);
    Data systems = list();
    for (std::size_t i = 0; i < run.systems.size(); ++i) {
        Data s;
        s.set("sep", i == 0 ? " " : ", ");
        s.set("id", run.systems[i]);
        systems.push_back(s);
    }
    d.set("scoped", flag(!run.systems.empty()));
    d.set("systems", systems);
    d.set("incomplete", flag(!run.complete || !errors_.empty()));
    // The order: page one, the action plan, the survey, then the detail and the appendix.
    const std::pair<const char*, const char*> entries[] = {
        {"page-one", "board.toc"}, {"action-plan", "html.action_plan"}, {"survey", "html.survey"},
        {"summary", "html.summary"}, {"areas", "html.areas"}, {"trend", "html.trend"},
        {"failing", "html.failing"}, {"errors", "html.errors"}, {"waivers", "html.waivers"},
        {"appendix", "html.appendix"}};
    Data toc = list();
    int n = 1;
    for (const auto& entry : entries) {
        Data e;
        e.set("id", entry.first);
        e.set("n", std::to_string(n++));
        e.set("text", labels_.word(entry.second, lang()));
        toc.push_back(e);
    }
    d.set("toc", toc);
    return d;
}

/// A thin horizontal meter (0–100): its width.
Data meter(double value) {
    Data m;
    m.set("width", coord(std::clamp(value, 0.0, 100.0)));
    return m;
}

Data Renderer::summary() const {
    const AreaScore& score = r_.score.overall;
    const auto overall = score.score;
    const auto without = score.score_without_waivers;
    const std::optional<double> coverage = score.coverage;
    Data d;
    words(d, {"summary", "overall", "overall_note", "without_waivers", "without_waivers_note", "coverage",
              "coverage_note", "rules_judged", "rules_judged_note", "findings_by_status", "framework_coverage", "of",
              "controls_evidenced", "controls_mapped", "evidenced", "mapped", "catalogue_status",
              "evidenced_controls"});
    d.set("overall", score_text(overall));
    d.set("without", score_text(without));
    d.set("coverage", coverage ? percent_text(*coverage * 100.0) : std::string("–"));
    d.set("rules_judged", integer_text(score.rules_judged));
    if (overall) d.set("overall_meter", meter(*overall));
    if (without) d.set("without_meter", meter(*without));
    if (coverage) d.set("coverage_meter", meter(*coverage * 100.0));
    Data statuses = list();
    for (std::size_t i = 0; i < 5; ++i) {
        Data s;
        s.set("key", kStatusKeys[i]);
        s.set("name", t(kStatusNames[i]));
        s.set("count", integer_text(count_of(score.by_status, kStatusKeys[i])));
        statuses.push_back(s);
    }
    d.set("statuses", statuses);
    Data frameworks = list();
    for (const auto& fw : r_.frameworks) {
        frameworks.push_back(framework(fw));
    }
    d.set("frameworks", frameworks);
    return d;
}

Data Renderer::framework(const FrameworkCoverage& fw) const {
    const long long controls = fw.controls;
    Data d;
    d.set("title", fw.title.empty() ? fw.id : fw.title);
    d.set("evidenced", integer_text(fw.evidenced));
    d.set("controls", integer_text(controls));
    d.set("mapped", integer_text(fw.mapped));
    if (controls > 0) {
        Data bar;
        const double m = 100.0 * static_cast<double>(fw.mapped) / static_cast<double>(controls);
        const double e = 100.0 * static_cast<double>(fw.evidenced) / static_cast<double>(controls);
        bar.set("mapped_w", coord(9.0 * m));
        bar.set("evidenced_w", coord(9.0 * e));
        d.set("bar", bar);
    }
    Data status = list();
    for (const auto& [key, value] : fw.by_status) {
        // The framework catalogue's status words (attested, automated, not_assessed) from the
        // label catalogue; a status it does not know as written.
        Data s;
        s.set("sep", status.is_empty_list() ? " " : " · ");
        s.set("word", labels_.word_or("html.control_status." + key, lang(), key));
        s.set("n", std::to_string(value));
        status.push_back(s);
    }
    d.set("has_status", flag(!fw.by_status.empty()));
    d.set("status", status);
    Data ids = list();
    for (const auto& id : fw.evidenced_ids) {
        Data i;
        i.set("id", id);
        ids.push_back(i);
    }
    d.set("has_ids", flag(!fw.evidenced_ids.empty()));
    d.set("ids", ids);
    return d;
}

Data Renderer::area_chart() const {
    const auto& areas = r_.score.areas;
    // Geometry: label column, a 0–100 track, then the score and coverage labels.
    constexpr double kLabelEnd = 250;
    constexpr double kTrackX = 262;
    constexpr double kTrackW = 440;
    constexpr double kRow = 38;
    constexpr double kBar = 20;
    constexpr double kTop = 10;
    Data d;
    d.set("height", coord(kTop + kRow * static_cast<double>(areas.size()) + 24));
    const double bottom = kTop + kRow * static_cast<double>(areas.size());
    Data grid = list();
    for (int g = 0; g <= 4; ++g) {
        Data line;
        line.set("x", coord(kTrackX + kTrackW * g / 4.0));
        line.set("y1", coord(kTop - 4));
        line.set("y2", coord(bottom));
        line.set("ty", coord(bottom + 16));
        line.set("label", std::to_string(g * 25));
        grid.push_back(line);
    }
    d.set("grid", grid);
    Data bars = list();
    double y = kTop;
    for (const auto& area : areas) {
        const auto score = area.result.score;
        const auto without = area.result.score_without_waivers;
        const std::optional<double> coverage = area.result.coverage;
        const double cy = y + (kRow - kBar) / 2;
        Data bar;
        bar.set("name", area_name(area.result.id));
        bar.set("score", score_text(score));
        bar.set("label_x", coord(kLabelEnd));
        bar.set("label_y", coord(cy + 14));
        bar.set("track_x", coord(kTrackX));
        bar.set("y", coord(cy));
        bar.set("track_w", coord(kTrackW));
        bar.set("bar_h", coord(kBar));
        if (score) {
            Data fill;
            fill.set("w", coord(kTrackW * std::clamp(*score, 0.0, 100.0) / 100.0));
            bar.set("fill", fill);
        }
        if (without && score && std::fabs(*without - *score) >= 0.005) {
            Data tick;
            tick.set("x", coord(kTrackX + kTrackW * std::clamp(*without, 0.0, 100.0) / 100.0));
            tick.set("y1", coord(cy - 4));
            tick.set("y2", coord(cy + kBar + 4));
            bar.set("tick", tick);
        }
        bar.set("score_x", coord(kTrackX + kTrackW + 14));
        bar.set("text_y", coord(cy + 15));
        bar.set("cov_x", coord(kTrackX + kTrackW + 78));
        bar.set("coverage", coverage ? percent_text(*coverage * 100.0) : std::string("–"));
        bars.push_back(bar);
        y += kRow;
    }
    d.set("bars", bars);
    return d;
}

Data Renderer::areas() const {
    Data d = r_.score.areas.empty() ? Data{} : area_chart();
    words(d, {"areas", "no_areas", "area_score", "area_tick", "area", "without_waivers", "coverage", "rules_judged"});
    d.set("has_areas", flag(!r_.score.areas.empty()));
    Data statuses = list();
    for (std::size_t i = 0; i < 5; ++i) {
        Data s;
        s.set("name", t(kStatusNames[i]));
        statuses.push_back(s);
    }
    d.set("statuses", statuses);
    // The same figures as a table, with the findings by status.
    Data rows = list();
    for (const auto& area : r_.score.areas) {
        const AreaScore& a = area.result;
        Data row;
        row.set("name", area_name(a.id));
        row.set("score", score_text(a.score));
        row.set("without", score_text(a.score_without_waivers));
        row.set("coverage", percent_text(a.coverage * 100.0));
        row.set("judged", integer_text(a.rules_judged));
        Data counts = list();
        for (std::size_t i = 0; i < 5; ++i) {
            Data c;
            c.set("n", integer_text(count_of(a.by_status, kStatusKeys[i])));
            counts.push_back(c);
        }
        row.set("counts", counts);
        rows.push_back(row);
    }
    d.set("rows", rows);
    return d;
}

Data Renderer::survey() const {
    const auto& indicators = r_.indicators;
    Data d;
    words(d, {"survey", "survey_lead", "no_indicators", "indicator", "answer", "evidence_units", "comparison",
              "period_survey", "no_units", "units_judged", "units_failing", "units_error", "caveat_note",
              "incomplete_answer", "no_figure", "source", "other_answers", "national_trend", "caveat_lead"});
    // Which editions the figures come from (the 2025 report does not report these questions).
    d.set("editions", survey_editions_note(lang()));
    d.set("has_indicators", flag(!indicators.empty()));
    // The questions in the 2023 report's order, as `lisa survey` prints them; areas keep the
    // indicator's own order.
    std::vector<const IndicatorResult*> ordered;
    for (const auto& ind : indicators) {
        ordered.push_back(&ind);
    }
    const auto& order = survey_order();
    const auto rank = [&order](const IndicatorResult* ind) {
        const auto it = std::find(order.begin(), order.end(), ind->id);
        return static_cast<std::size_t>(it - order.begin());
    };
    std::stable_sort(ordered.begin(), ordered.end(), [&](const IndicatorResult* a, const IndicatorResult* b) {
        const std::size_t ra = rank(a);
        const std::size_t rb = rank(b);
        return ra != rb ? ra < rb : (ra == order.size() && a->id < b->id);
    });
    Data rows = list();
    for (const IndicatorResult* ind : ordered) {
        rows.push_back(indicator_row(*ind));
    }
    d.set("indicators", rows);
    // Socialstyrelsen's caveat, once: the first indicator that carries one.
    for (const auto& ind : indicators) {
        if (ind.caveat && !ind.caveat->sv.empty()) {
            Data caveat;
            caveat.set("text", ind.caveat->sv);
            if (!ind.caveat->source.empty()) {
                caveat.set("source", ind.caveat->source);
            }
            d.set("caveat", caveat);
            break;
        }
    }
    return d;
}

Data Renderer::indicator_row(const IndicatorResult& ind) const {
    Data d;
    if (const Label* name = find_named(kIndicatorNames, ind.id)) {
        d.set("name", t(*name));
    } else {
        const std::string title = localized(ind.title);
        d.set("name", title.empty() ? ind.id : title);
    }
    if (!ind.scope.empty()) {
        d.set("scope", ind.scope);
    }
    d.set("id", ind.id);
    // The reference period: the survey year and the year asked about (or the state date).
    d.set("year", std::to_string(ind.survey_year));
    d.set("period_word", t(Label{ind.asked_about.size() == 4 ? "html.period_year" : "html.period_state"}));
    d.set("asked", ind.asked_about);
    if (!ind.answer) {
        d.set("no_answer", t(Label{ind.not_asked ? "html.not_asked" : "html.not_evidenced"}));
        if (ind.not_asked) {
            // Why the survey does not ask it here (e.g. all provider activity handed over).
            d.set("not_asked", not_asked_text(*ind.not_asked, lang()));
        }
    } else {
        d.set("answer", *ind.answer);
        if (const auto share = ind.share_percent) {
            // The share behind a measured answer: never 0 or 100 unless the answer is Ingen or Alla.
            const std::string n = num(*share, share_decimals(*share));
            d.set("share", en_ ? n + "%" : n + "\u00a0%");
        }
    }
    if (ind.units.empty()) {
        d.set("no_units", flag(true));
    } else {
        d.set("units", indicator_units(ind));
    }
    // Caveats on this answer (e.g. AUTH-006: a declared requirement the directory contradicts),
    // worded in the report's language from the directory's counts.
    Data caveats = list();
    for (const auto& caveat : ind.caveats) {
        Data c;
        c.set("rule", caveat.rule);
        c.set("subject", caveat.subject);
        c.set("text", caveat_message(caveat, lang()));
        caveats.push_back(c);
    }
    d.set("caveats", caveats);
    d.set("incomplete", flag(!ind.complete));
    const std::vector<std::string> options = option_order(ind);
    Data figures = list();
    figures.push_back(figure(ind.national, Label{"html.national"}, options, ind.answer, true));
    figures.push_back(figure(ind.size_group, Label{"html.size_group"}, options, ind.answer, false));
    d.set("figures", figures);
    if (!options.empty()) {
        d.set("legend", indicator_legend(ind, options));
    }
    if (Data spark = indicator_trend(ind, options); !spark.is_empty_object()) {
        d.set("spark", spark);
    }
    return d;
}

/// The units behind an answer: how many were judged and how, which fail and which could not be
/// checked (subject, and the rules as "(A, B)").
Data Renderer::indicator_units(const IndicatorResult& ind) const {
    long long judged = 0;
    std::string by_provenance;
    for (const auto& [prov, c] : ind.by_provenance) {
        judged += c;
        const Label* text = find_named(kProvenanceCounts, prov);
        by_provenance += (by_provenance.empty() ? "" : ", ") + integer_text(c) + " " +
                         (text != nullptr ? std::string(t(*text)) : prov);
    }
    Data d;
    d.set("judged", integer_text(judged));
    if (!by_provenance.empty()) {
        d.set("by_prov", by_provenance);
    }
    const auto units = [&ind](const char* verdict, const char* sep, bool failing) {
        Data items = list();
        for (const auto& unit : ind.units) {
            if (unit.verdict != verdict) {
                continue;
            }
            std::string rules;
            for (const auto& r : failing ? unit.failing_rules : unit.errored_rules) {
                rules += (rules.empty() ? "" : ", ") + r;
            }
            Data item;
            item.set("sep", items.is_empty_list() ? "" : sep);
            item.set("subject", unit.subject);
            if (!rules.empty()) {
                item.set("rules", rules);
            }
            items.push_back(item);
        }
        return items;
    };
    for (const auto& [key, verdict, sep, fail] :
         {std::tuple{"failing", "fail", "; ", true}, std::tuple{"errored", "error", ", ", false}}) {
        if (Data items = units(verdict, sep, fail); !items.is_empty_list()) {
            Data group;
            group.set("items", items);
            d.set(key, group);
        }
    }
    return d;
}

Data Renderer::indicator_legend(const IndicatorResult& ind, const std::vector<std::string>& options) const {
    // One legend for both bars, the municipality's answer in bold.
    const std::string mine = ind.answer.value_or(std::string());
    Data d;
    Data entries = list();
    for (std::size_t i = 0; i < options.size(); ++i) {
        Data e;
        e.set("mine", flag(options[i] == mine));
        e.set("fill", kOptionFill[i % kOptionColours]);
        e.set("label", options[i]);
        entries.push_back(e);
    }
    d.set("options", entries);
    const auto national_sum = listed_sum(ind.national, options);
    const auto group_sum = listed_sum(ind.size_group, options);
    if ((national_sum && *national_sum < kRemainderFrom) || (group_sum && *group_sum < kRemainderFrom)) {
        // The answer is among the other answers when the figures do not list it.
        const bool other = !mine.empty() && std::find(options.begin(), options.end(), mine) == options.end();
        Data e;
        e.set("mine", flag(other));
        e.set("answer_text", mine);
        d.set("other", e);
    }
    return d;
}

Data Renderer::indicator_trend(const IndicatorResult& ind, const std::vector<std::string>& options) const {
    // Issue 12 item 9: the national share for the municipality's answer (else the first option)
    // over every year the data holds, as a small line chart with each year and value labelled.
    if (ind.national_trend.size() < 2 || options.empty()) {
        return {};
    }
    const std::string key = ind.answer && std::find(options.begin(), options.end(), *ind.answer) != options.end()
                                ? *ind.answer
                                : options.front();
    std::vector<std::pair<std::string, double>> points;
    for (const auto& f : ind.national_trend) {
        if (const auto v = share_of(f, key)) {
            points.emplace_back(std::to_string(f.year), *v);
        }
    }
    if (points.size() < 2) {
        return {};
    }
    constexpr double kW = 260;
    constexpr double kH = 54;
    const double step = (kW - 40) / static_cast<double>(points.size() - 1);
    auto px = [&](std::size_t i) { return 20 + step * static_cast<double>(i); };
    auto py = [&](double v) { return 8 + (kH - 24) * (1.0 - std::clamp(v, 0.0, 100.0) / 100.0); };
    Data d;
    d.set("key", key);
    d.set("w", coord(kW));
    d.set("h", coord(kH));
    std::string line;
    Data dots = list();
    for (std::size_t i = 0; i < points.size(); ++i) {
        line += (i ? " " : "") + coord(px(i)) + "," + coord(py(points[i].second));
        Data dot;
        dot.set("x", coord(px(i)));
        dot.set("y", coord(py(points[i].second)));
        dot.set("ty", coord(kH - 2));
        dot.set("label", points[i].first + ": " + percent_text(points[i].second));
        dots.push_back(dot);
    }
    d.set("points", line);
    d.set("dots", dots);
    return d;
}

Data Renderer::figure_bar(const std::vector<Segment>& segments, double sum, const std::string& mine) const {
    const bool mine_listed = std::any_of(segments.begin(), segments.end(), [&](const Segment& s) {
        return !s.remainder && s.label == mine;
    });
    constexpr double kWidth = 440;
    constexpr double kBarY = 8;
    constexpr double kBarH = 18;
    Data d;
    d.set("w", coord(kWidth));
    d.set("h", coord(kBarY + kBarH + 1));
    Data list_ = list();
    Data markers = list();
    double x = 0;
    for (const auto& s : segments) {
        const double w = sum > 0 ? kWidth * s.value / sum : 0;
        const bool is_mine = !mine.empty() && ((!s.remainder && s.label == mine) || (s.remainder && !mine_listed));
        Data seg;
        seg.set("label", s.label);
        // The remainder is not a figure Socialstyrelsen printed: it is drawn, never numbered.
        if (!s.remainder) {
            seg.set("pct", percent_text(s.value));
        }
        Data rect;
        rect.set("x", coord(s.remainder ? x + 0.5 : x));
        rect.set("y", coord(s.remainder ? kBarY + 0.5 : kBarY));
        rect.set("w", coord(s.remainder ? std::max(0.0, w - 1) : w));
        rect.set("h", coord(s.remainder ? kBarH - 1 : kBarH));
        rect.set("fill", s.remainder ? kRemainderFill : kOptionFill[s.colour]);
        if (w > 0) {
            seg.set(s.remainder ? "rest" : "rect", rect);
        }
        if (w >= 34 && !s.remainder) {
            Data text;
            text.set("x", coord(x + w / 2));
            text.set("y", coord(kBarY + 13));
            text.set("ink", kOptionInk[s.colour]);
            seg.set("text", text);
        }
        list_.push_back(seg);
        if (is_mine) {
            // Outline and a marker above: drawn last so neighbours do not cover them.
            Data marker;
            if (w > 0) {
                Data outline;
                outline.set("x", coord(x + 1));
                outline.set("y", coord(kBarY + 1));
                outline.set("w", coord(std::max(0.0, w - 2)));
                outline.set("h", coord(kBarH - 2));
                marker.set("outline", outline);
            }
            marker.set("mx", coord(std::clamp(x + w / 2, 5.0, kWidth - 5) - 5));
            markers.push_back(marker);
        }
        x += w;
    }
    d.set("segments", list_);
    d.set("markers", markers);
    return d;
}

Data Renderer::figure(const std::optional<ReportFigure>& fig, const Label& title,
                      const std::vector<std::string>& options, const std::optional<std::string>& answer,
                      bool national) const {
    Data d;
    std::string caption = t(title);
    if (!national && fig && fig->label && !fig->label->empty()) {
        caption += " " + *fig->label;
    }
    d.set("caption", caption);
    if (!fig || fig->distribution.empty()) {
        return d;
    }
    // Segments in the common option order; what the figure does not account for is "other".
    std::vector<Segment> segments;
    for (std::size_t i = 0; i < options.size(); ++i) {
        if (const auto v = share_of(*fig, options[i])) {
            segments.push_back({options[i], std::max(0.0, *v), i % kOptionColours, false});
        }
    }
    double sum = listed_sum(fig, options).value_or(0.0);
    if (sum < kRemainderFrom) {
        segments.push_back({t(Label{"html.other_answers"}), 100.0 - sum, 0, true});
        sum = 100.0;
    }
    Data bar = figure_bar(segments, sum, answer.value_or(std::string()));
    bar.set("year", std::to_string(fig->year));
    if (fig->n) {
        bar.set("n", std::to_string(*fig->n));
    }
    if (!fig->source.empty()) {
        bar.set("source", fig->source);
    }
    std::string aria = t(title);
    for (const auto& s : segments) {
        aria += ", " + s.label + " " + percent_text(s.value);
    }
    bar.set("aria", aria);
    // The figure's notes in the report's language (the Swedish wording from the figures file).
    Data notes = list();
    for (const auto& note : en_ ? fig->notes : fig->notes_sv) {
        Data n;
        n.set("text", note);
        notes.push_back(n);
    }
    bar.set("notes", notes);
    d.set("bar", bar);
    return d;
}

Data Renderer::trend() const {
    // The chart's geometry is in trend.cpp (time-scaled, overall and per area).
    const std::vector<TrendPoint> points = html_trend::trend_points(r_);
    Data d;
    words(d, {"trend", "no_history", "trend_y_axis", "trend_x_axis", "this_audit"});
    if (points.size() >= 2) {
        d.set("chart", html_trend::trend_chart(
                           points, t(Label{"html.overall"}), [this](const std::string& id) { return area_name(id); },
                           [this](double v) { return num(v, 2); }));
    }
    return d;
}

void Renderer::evidence(Data& d, const Finding& finding) const {
    if (finding.evidence.empty()) {
        d.set("no_evidence", flag(true));
    } else {
        Data items = list();
        for (const auto& e : finding.evidence) {
            // The fact in words from the catalogue; its id stays in the JSON report and in the
            // title attribute for the auditor, out of the text a reader (or a PDF) sees. A
            // document's disagreements and sources in the reader's words (Labels::conflict,
            // Labels::evidence_source); the probe's own words stay in the JSON report.
            std::string value = labels_.value(value_text(e.value), lang());
            if (const StringList* conflicts = e.fact == "document.conflicts" ? e.value.as_list() : nullptr) {
                value.clear();
                for (const auto& item : *conflicts) value += (value.empty() ? "" : "; ") + labels_.conflict(item, lang());
            }
            const Label* prov = find_named(kProvenances, e.provenance);
            Data item;
            item.set("fact", e.fact);
            item.set("fact_words", labels_.fact(e.fact, lang()));
            item.set("value", value);
            item.set("prov_class", prov != nullptr ? e.provenance : std::string("other"));
            item.set("prov_word", prov != nullptr ? t(*prov) : e.provenance);
            if (!e.source.empty()) {
                item.set("source", labels_.evidence_source(e.fact, e.source, lang()));
            }
            items.push_back(item);
        }
        Data facts;
        facts.set("items", items);
        d.set("facts", facts);
    }
    // What was probed for this subject, and how: the probe's kind and cause in the reader's
    // words; its own message stays in the title.
    Data probes = list();
    if (const auto it = probes_by_subject_.find(finding.subject); it != probes_by_subject_.end()) {
        for (const ProbeRecord* probe : it->second) {
            Data p;
            p.set("kind", labels_.word_or("probe.kind." + probe->probe, lang(), probe->probe));
            p.set("target", probe->target);
            if (!probe->error.empty()) {
                p.set("error", probe->error);
                p.set("brief", cause_in_brief(probe->error, lang(), labels_));
            }
            probes.push_back(p);
        }
    }
    d.set("probes", probes);
}

/// A finding's subject cell and result for a rule card.
Data Renderer::subject_row(const Finding& f) const {
    Data d;
    d.set("subject_name", f.subject_name.empty() ? f.subject : f.subject_name);
    d.set("subject", f.subject);
    d.set("kind", kind_name(f));
    const std::string owner = f.owner.value_or("");
    const std::string system = f.system.value_or("");
    if (!owner.empty()) {
        d.set("owner", owner);
    }
    if (!system.empty() && system != f.subject) {
        d.set("system", system);
    }
    message(d, f);
    // The accounts behind a failing count (issue 16 item 8).
    if (const std::string names = accounts_text(f, lang()); !names.empty()) {
        d.set("accounts", names);
    }
    evidence(d, f);
    return d;
}

Data Renderer::rule_card(const std::string& rule_id, const std::vector<const Finding*>& findings) const {
    const Finding& first = *findings.front();
    Data d;
    severity(d, first.severity);
    d.set("anchor", anchor("rule-", rule_id));
    d.set("rule", rule_id);
    d.set("title", rule_title(first));
    if (const RuleEntry* rule = r_.find_rule(rule_id); rule != nullptr && !rule->references.empty()) {
        // lisa's own requirements say so in the reader's language ("lisas baslinje: …"); the
        // other kinds' display forms are names (ISO, MSB, Socialstyrelsen) in every language.
        const bool typed = rule->references_typed.size() == rule->references.size();
        std::string refs;
        for (std::size_t i = 0; i < rule->references.size(); ++i) {
            refs += i == 0 ? "" : " · ";
            if (typed && rule->references_typed[i].kind == "baseline") {
                refs += labels_.word("html.baseline_reference", lang()) + ": " + rule->references_typed[i].ref;
            } else {
                refs += rule->references[i];
            }
        }
        d.set("refs", refs);
    }
    if (const std::string remedy = remediation(rule_id); !remedy.empty()) {
        d.set("remedy", remedy);
    }
    Data rows = list();
    for (const Finding* f : findings) {
        rows.push_back(subject_row(*f));
    }
    d.set("findings", rows);
    return d;
}

Data Renderer::failing() const {
    Data d;
    words(d, {"failing", "no_failing", "failing_lead", "failing_count", "severity_group", "references", "remediation",
              "subject", "result", "evidence", "owner", "system", "accounts", "no_evidence", "probed", "error"});
    d.set("evidence", html_templates::partial(options_, "html/evidence.mustache"));
    d.set("has_fails", flag(!fails_.empty()));
    // area → severity rank → rule id → findings (in report order: by subject)
    std::map<std::string, std::map<int, std::map<std::string, std::vector<const Finding*>>>> groups;
    for (const Finding* f : fails_) {
        groups[f->area][severity_rank(f->severity)][f->rule].push_back(f);
    }
    Data areas = list();
    for (const std::string& area : area_order()) {
        const auto it = groups.find(area);
        if (it == groups.end()) {
            continue;
        }
        std::size_t count = 0;
        Data by_severity = list();
        for (const auto& [rank, rules] : it->second) {
            Data group;
            group.set("severity", t(kSeverityNames[static_cast<std::size_t>(rank)]));
            Data cards = list();
            for (const auto& [rule, findings] : rules) {
                count += findings.size();
                cards.push_back(rule_card(rule, findings));
            }
            group.set("rules", cards);
            by_severity.push_back(group);
        }
        Data block;
        block.set("area", area_name(area));
        block.set("count", std::to_string(count));
        block.set("groups", by_severity);
        areas.push_back(block);
    }
    d.set("areas", areas);
    return d;
}

Data Renderer::errors() const {
    Data d;
    words(d, {"errors", "no_errors", "errors_lead", "severity", "rule", "subject", "reason", "evidence", "no_evidence",
              "probed", "error"});
    d.set("evidence", html_templates::partial(options_, "html/evidence.mustache"));
    d.set("has_errors", flag(!errors_.empty()));
    std::vector<const Finding*> sorted = errors_;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Finding* a, const Finding* b) {
        return std::make_tuple(severity_rank(a->severity), a->rule, a->subject) <
               std::make_tuple(severity_rank(b->severity), b->rule, b->subject);
    });
    Data rows = list();
    for (const Finding* f : sorted) {
        Data row;
        severity(row, f->severity);
        row.set("rule", f->rule);
        row.set("title", rule_title(*f));
        row.set("subject_name", f->subject_name.empty() ? f->subject : f->subject_name);
        row.set("subject", f->subject);
        row.set("kind", kind_name(*f));
        message(row, *f);
        evidence(row, *f);
        rows.push_back(row);
    }
    d.set("findings", rows);
    return d;
}

Data Renderer::waivers() const {
    Data d;
    words(d, {"waivers", "no_waivers", "waivers_lead", "state", "rule", "subject", "decided_by", "decision_ref",
              "expires", "waiver_reason", "findings_waived"});
    std::vector<const WaiverRecord*> sorted;
    for (const auto& w : r_.waivers) {
        sorted.push_back(&w);
    }
    d.set("has_waivers", flag(!sorted.empty()));
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const WaiverRecord* a, const WaiverRecord* b) { return a->state < b->state; });
    Data rows = list();
    for (const WaiverRecord* w : sorted) {
        Data row;
        row.set("state", std::string(to_string(w->state)));
        row.set("state_word", t(Label{w->state == WaiverState::Active    ? "html.active"
                                      : w->state == WaiverState::Expired ? "html.expired"
                                                                         : "html.unused"}));
        row.set("rule", w->rule);
        row.set("subject", w->subject);
        row.set("decided_by", w->decision.decided_by);
        row.set("decision_ref", w->decision.decision_ref);
        row.set("expires", w->expires);
        row.set("reason", w->reason);
        row.set("findings", integer_text(w->findings_waived));
        rows.push_back(row);
    }
    d.set("waivers", rows);
    return d;
}

Data Renderer::action_row(const Finding& f, int n) const {
    const bool waived = f.status == Status::Waived;
    Data d;
    d.set("n", std::to_string(n));  // the row number to refer to in a meeting ("item 7")
    severity(d, f.severity);
    d.set("waived", flag(waived));
    d.set("linked", flag(failing_rules_.count(f.rule) != 0));
    d.set("anchor", anchor("rule-", f.rule));
    d.set("rule", f.rule);
    d.set("title", rule_title(f));
    if (waived) {
        const FindingWaiver waiver = f.waiver.value_or(FindingWaiver{});
        d.set("expires", waiver.expires);
        if (!waiver.decision_ref.empty()) {
            d.set("ref", waiver.decision_ref);
        }
    }
    d.set("subject_name", f.subject_name.empty() ? f.subject : f.subject_name);
    d.set("subject", f.subject);
    if (const std::string names = accounts_text(f, lang()); !names.empty()) {
        d.set("accounts", names);
    }
    d.set("remediation", remediation(f.rule));
    const std::string owner = f.owner.value_or("");
    d.set("owner", owner.empty() ? std::string("–") : owner);
    if (const std::string system = f.system.value_or(""); !system.empty()) {
        d.set("system", system);
    }
    return d;
}

Data Renderer::action_plan() const {
    Data d;
    words(d, {"action_plan", "no_actions", "action_plan_lead", "priority", "rule", "subject", "remediation", "owner",
              "system", "waived_until", "accounts"});
    std::vector<const Finding*> rows = fails_;
    rows.insert(rows.end(), waived_.begin(), waived_.end());
    d.set("has_rows", flag(!rows.empty()));
    std::stable_sort(rows.begin(), rows.end(), [](const Finding* a, const Finding* b) {
        // Severity first (most severe first), then rule, subject and status ("fail" < "waived").
        const auto ka = std::make_tuple(severity_rank(a->severity), a->rule, a->subject, to_string(a->status));
        const auto kb = std::make_tuple(severity_rank(b->severity), b->rule, b->subject, to_string(b->status));
        return ka < kb;
    });
    Data list_ = list();
    int n = 1;
    for (const Finding* f : rows) {
        list_.push_back(action_row(*f, n++));
    }
    d.set("rows", list_);
    return d;
}

// The plan read back with --action-plan (issue 16 item 9): its own section, left out without one.
Data Renderer::plan_progress() const {
    Data d;
    words(d, {"plan_progress", "plan_progress_lead", "plan_state", "action", "owner", "deadline", "plan_status",
              "comment"});
    const auto dash = [](const std::string& s) { return s.empty() ? std::string("–") : s; };
    Data rows = list();
    for (const ActionRecord& a : r_.actions) {
        Data row;
        row.set("state", std::string(to_string(a.state)));
        row.set("state_word", t(Label{a.state == ActionState::Overdue  ? "html.state_overdue"
                                      : a.state == ActionState::Closed ? "html.state_closed"
                                                                       : "html.state_open"}));
        row.set("rule", a.rule);
        row.set("subject", a.subject);
        row.set("owner", dash(a.owner));
        row.set("deadline", dash(a.deadline));
        row.set("status", dash(a.status));
        row.set("comment", a.comment);
        rows.push_back(row);
    }
    d.set("rows", rows);
    return d;
}

Data Renderer::appendix() const {
    // The hashes of the rule pack and the inventory: technical, so here and not on page one.
    const auto dash = [](const std::string& s) { return s.empty() ? std::string("–") : s; };
    Data d;
    words(d, {"appendix", "rule_pack_hash", "inventory_hash", "evidence_files", "no_evidence_files", "subject",
              "role", "path", "exists", "yes", "no", "probes", "no_probes", "probe", "target", "error", "ok",
              "run_started"});
    d.set("rule_pack_sha256", dash(r_.run.rule_pack_sha256));
    d.set("inventory_sha256", dash(r_.run.inventory_sha256));
    d.set("has_files", flag(!r_.evidence_files.empty()));
    Data files = list();
    for (const auto& f : r_.evidence_files) {
        Data row;
        row.set("subject", f.subject);
        row.set("role", labels_.value(f.role, lang()));
        row.set("path", f.path);
        row.set("exists", flag(f.exists.value_or(false)));
        row.set("sha", dash(f.sha256.value_or("")));
        files.push_back(row);
    }
    d.set("files", files);
    d.set("has_probes", flag(!r_.probes.empty()));
    Data probes = list();
    for (const auto& p : r_.probes) {
        // In the reader's words; the probe's id and its own message stay in the titles.
        Data row;
        row.set("probe", p.probe);
        row.set("kind", labels_.word_or("probe.kind." + p.probe, lang(), p.probe));
        row.set("subject", p.subject);
        row.set("target", p.target);
        if (!p.error.empty()) {
            row.set("error", p.error);
            row.set("brief", cause_in_brief(p.error, lang(), labels_));
        }
        probes.push_back(row);
    }
    d.set("probes", probes);
    if (!r_.run.started.empty()) {
        d.set("started", r_.run.started);
        d.set("finished", r_.run.finished);
    }
    return d;
}

Data Renderer::footer() const {
    Data d;
    words(d, {"footer", "footer_note"});
    d.set("tool", r_.run.tool_name.empty() ? std::string("lisa") : r_.run.tool_name);
    d.set("version", r_.run.tool_version);
    d.set("schema_version", std::to_string(r_.schema_version));
    return d;
}

void Renderer::render() {
    // Page one for the board first, then the order: the action plan, the survey
    // comparison, the detail behind the score, and the technical appendix last.
    emit("html/head.mustache", head());
    emit("html/header.mustache", header());
    o_ << html_page_one::render(r_, options_);
    emit("html/action_plan.mustache", action_plan());
    if (!r_.actions.empty()) {
        emit("html/plan_progress.mustache", plan_progress());
    }
    emit("html/survey.mustache", survey());
    emit("html/summary.mustache", summary());
    emit("html/areas.mustache", areas());
    emit("html/trend.mustache", trend());
    emit("html/failing.mustache", failing());
    emit("html/errors.mustache", errors());
    emit("html/waivers.mustache", waivers());
    emit("html/appendix.mustache", appendix());
    emit("html/footer.mustache", footer());
}

}  // namespace

void render_html(const ReportDocument& report, const RenderOptions& options, std::ostream& out) {
    // Every template checked before the first byte: a problem never leaves half a report.
    if (auto ok = check_html_templates(options); !ok) {
        throw std::runtime_error("the HTML template: " + ok.error().message);
    }
    Renderer(report, options, out).render();
}

}  // namespace lisa
