// SPDX-License-Identifier: Apache-2.0
// `lisa survey`: Socialstyrelsen's questions answered from the report's indicators, as text, CSV
// or JSON. Every row comes from Report::indicators; nothing is re-derived here.
#include "lisa/report/survey.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <xlsxwriter.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common.hpp"

namespace lisa {
namespace {

using Json = nlohmann::ordered_json;

const IndicatorDef* def_of(const Report& r, const std::string& id) {
    for (const auto& d : r.rules->indicators) {
        if (d.id == id) {
            return &d;
        }
    }
    return nullptr;
}

const BenchmarkIndicator* bench_of(const Report& r, const std::string& id) {
    if (r.benchmarks == nullptr) {
        return nullptr;
    }
    const auto it = r.benchmarks->indicators.find(id);
    return it == r.benchmarks->indicators.end() ? nullptr : &it->second;
}

int order_of(const std::string& id) {
    const auto& order = survey_order();
    const auto it = std::find(order.begin(), order.end(), id);
    return it == order.end() ? static_cast<int>(order.size()) : static_cast<int>(it - order.begin());
}

std::string percent(double v, int decimals) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

// "Inga 1 % · Delvis 46 % · Alla 53 %" as printed by the source.
std::string distribution_text(const Figure& f) {
    std::string s;
    for (const auto& [answer, pct] : f.distribution) {
        s += (s.empty() ? "" : " · ") + answer + " " + percent(pct, pct == std::floor(pct) ? 0 : 1) + " %";
    }
    return s;
}

std::string figure_meta(const Figure& f) {
    std::string s = std::to_string(f.year);
    if (f.n) {
        s += ", n=" + std::to_string(*f.n);
    }
    return s + ", " + f.source;
}

// ", area then: \"Funktionshinder (LSS och SoL)\"" when a figure is filed under another name.
std::string scope_note(const Figure& f, const std::string& area) {
    if (f.scope.empty() || f.scope == area) {
        return "";
    }
    return ", \"" + f.scope + "\"";
}

Json figure_json(const Figure* f) {
    if (f == nullptr) {
        return nullptr;
    }
    Json dist = Json::object();
    for (const auto& [answer, pct] : f->distribution) {
        dist[answer] = pct;
    }
    return {{"year", f->year}, {"n", f->n ? Json(*f->n) : Json(nullptr)}, {"source", f->source},
            {"distribution", std::move(dist)}};
}

std::string status_text(const SurveyRow& row, bool en) {
    if (row.status == "not_asked") {
        return en ? "not asked" : "ej aktuellt";
    }
    if (row.status == "not_evidenced") {
        return en ? "not evidenced" : "ej belagt";
    }
    return row.answer;
}

std::string join(const std::vector<std::string>& items, const std::string& sep);

std::string evidence_text(const SurveyRow& row, bool en) {
    std::string s;
    for (const auto& e : row.evidence) {
        std::string item = e.subject + " " + e.verdict;
        if (!e.provenance.empty()) {
            item += " (" + e.provenance + ")";
        }
        if (!e.failing_rules.empty()) {
            item += " [";
            for (std::size_t i = 0; i < e.failing_rules.size(); ++i) {
                item += (i ? ", " : "") + e.failing_rules[i];
            }
            item += "]";
        }
        if (!e.errored_rules.empty()) {
            item += " {" + join(e.errored_rules, ", ") + (en ? ": could not be checked}" : ": kunde inte kontrolleras}");
        }
        s += (s.empty() ? "" : "; ") + item;
    }
    return s;
}

// "2021 (000 T17): Ingen 9 % · … ; 2023 (003 T17; 003 T18): Alla 69 % · Ingen 19 %"
std::string trend_text(const SurveyRow& row) {
    std::string s;
    for (const Figure* f : row.national_trend) {
        s += (s.empty() ? "" : "; ") + std::to_string(f->year) + " (" + f->source +
             (f->scope.empty() || f->scope == row.area ? "" : ", " + f->scope) + "): " + distribution_text(*f);
    }
    return s;
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
    std::string s;
    for (std::size_t i = 0; i < items.size(); ++i) {
        s += (i ? sep : "") + items[i];
    }
    return s;
}

/// The title, what the answer words mean, and the population with its size group per edition.
void write_text_heading(const Report& r, bool en, std::ostream& out) {
    out << (en ? "Socialstyrelsen survey, e-health and welfare technology in the municipalities — "
               : "Socialstyrelsens enkät E-hälsa och välfärdsteknik i kommunerna — ")
        << r.inventory->name << ", " << (en ? "as of " : "per ") << r.as_of << "\n"
        << (en ? "Answers derived from lisa's evidence; \"not evidenced\" means lisa has no evidence "
                 "to answer from and will not guess; \"not asked\" means the survey does not ask it.\n"
               : "Svaren är härledda ur lisas bevis; \"ej belagt\" betyder att underlag saknas och att "
                 "lisa inte gissar; \"ej aktuellt\" betyder att enkäten inte ställer frågan.\n");
    // The size group each edition's figures are compared with, in that edition's own grouping.
    out << (en ? "Population " : "Invånare ") << r.inventory->population;
    if (r.inventory->population_year != 0) {
        out << " (" << r.inventory->population_year << ")";
    } else {
        out << (en ? " (year not stated: organization.population_year)" : " (år ej angivet: organization.population_year)");
    }
    if (r.benchmarks != nullptr) {
        std::vector<int> editions;
        for (const auto& g : r.benchmarks->groups) {
            if (std::find(editions.begin(), editions.end(), g.year) == editions.end()) {
                editions.push_back(g.year);
            }
        }
        std::sort(editions.rbegin(), editions.rend());
        for (const int year : editions) {
            if (const SizeGroup* g = r.benchmarks->group_of(year, r.inventory->population)) {
                out << (en ? "; size group " : "; storleksgrupp ") << year << ": " << g->label;
            }
        }
    }
    out << "\n";
    out << survey_editions_note(r.lang) << "\n";
}

/// An indicator's question once: its wording, alternatives, period and lisa's criteria.
void write_question(const Report& r, const SurveyRow& row, bool en, std::ostream& out) {
    const IndicatorDef* def = def_of(r, row.indicator);
    out << "\n" << row.order << ". " << row.indicator << "  " << (def ? def->title.in(r.lang) : "") << "\n";
    out << "  \"" << row.question << "\"";
    if (!row.question_basis.empty()) {
        out << (en ? "  (wording: " : "  (formulering: ") << row.question_basis << ")";
    }
    out << "\n";
    out << "  " << (en ? "Alternatives" : "Svarsalternativ");
    if (!row.alternatives_source.empty()) {
        out << " (" << row.alternatives_source << ")";
    }
    out << ": " << join(row.alternatives, " / ");
    if (!row.question_source.empty()) {
        out << (en ? "  · figures: " : "  · siffror: ") << row.question_source;
    }
    out << "\n";
    out << "  " << (en ? "Period: survey " : "Period: enkäten ") << row.survey_year << ", "
        << (row.asked_about.size() == 4 ? (en ? "asked about the year " : "frågar om året ")
                                        : (en ? "state as of " : "läget per "))
        << row.asked_about << "\n";
    if (!row.criteria.empty()) {
        out << "  " << (en ? "lisa's criteria: " : "lisas kriterier: ") << row.criteria << "\n";
    }
}

/// The row's answer line: area, answer or status, share, completeness, why not asked.
void write_answer(const SurveyRow& row, bool en, std::ostream& out) {
    out << "  " << (row.area.empty() ? std::string(en ? "Answer" : "Svar") : row.area) << ": "
        << status_text(row, en);
    if (row.share_percent) {
        out << " (" << percent(*row.share_percent, share_decimals(*row.share_percent)) << (en ? " % use it)" : " % använder det)");
    }
    if (!row.complete) {
        out << (en ? " (incomplete: some checks could not run)" : " (ofullständigt: vissa kontroller kunde inte köras)");
    }
    if (row.status == "not_asked") {
        out << " (" << row.not_asked_reason << ")";
    }
    out << "\n";
}

/// One line per subject the answer rests on, then the caveats.
void write_evidence(const Report& r, const SurveyRow& row, bool en, std::ostream& out) {
    for (const auto& e : row.evidence) {
        out << "      " << (e.verdict == "pass" ? "+ " : e.verdict == "fail" ? "- " : "? ") << e.subject;
        if (!e.provenance.empty()) {
            out << " [" << e.provenance << "]";
        }
        if (!e.failing_rules.empty()) {
            out << " " << (en ? "fails " : "underkänd i ") << join(e.failing_rules, ", ");
        }
        if (e.verdict == "error") {
            out << (en ? " could not be checked" : " kunde inte kontrolleras");
            if (!e.errored_rules.empty()) {
                out << ": " << join(e.errored_rules, ", ")
                    << (en ? " (its evidence could not be collected; the declaration does not stand in for it)"
                           : " (beviset kunde inte samlas in; deklarationen ersätter det inte)");
            }
        }
        out << "\n";
    }
    for (const auto& c : row.caveats) {
        out << "      " << (en ? "NOTE " : "OBS ") << c.rule << " " << c.subject << ": " << caveat_message(c, r.lang) << "\n";
    }
}

/// The national trend over every year the data holds (each year labelled; an earlier
/// edition's area name is shown where it differs), then the size group.
void write_figures(const SurveyRow& row, bool en, std::ostream& out) {
    const std::vector<const Figure*> trend =
        row.national_trend.empty() && row.national != nullptr ? std::vector<const Figure*>{row.national}
                                                              : row.national_trend;
    for (const Figure* f : trend) {
        out << "      " << (en ? "national (" : "riket (") << figure_meta(*f) << scope_note(*f, row.area)
            << "): " << distribution_text(*f) << "\n";
    }
    if (row.size_group != nullptr) {
        out << "      " << row.size_group_label << " (" << figure_meta(*row.size_group)
            << scope_note(*row.size_group, row.area) << "): " << distribution_text(*row.size_group) << "\n";
    }
}

void write_text(const Report& r, const std::vector<SurveyRow>& rows, std::ostream& out) {
    const bool en = r.lang == "en";
    write_text_heading(r, en, out);
    std::string last;
    for (const auto& row : rows) {
        if (row.indicator != last) {
            last = row.indicator;
            write_question(r, row, en, out);
        }
        write_answer(row, en, out);
        write_evidence(r, row, en, out);
        write_figures(row, en, out);
    }
}

const std::vector<std::string>& csv_header() {
    static const std::vector<std::string> header = {
        "order", "indicator", "question", "area", "alternatives", "answer", "status", "share_percent",
        "complete", "survey_year", "asked_about", "rules", "evidence", "caveats", "criteria",
        "national_year", "national_n", "national_source", "national", "size_group", "size_group_year",
        "size_group_n", "size_group_source", "size_group_figures", "national_trend", "question_basis",
        "alternatives_source"};
    return header;
}

std::vector<std::string> record_of(const SurveyRow& row, bool en);

void write_csv(const Report& r, const std::vector<SurveyRow>& rows, std::ostream& out, CsvDialect dialect) {
    render_pipeline::write_csv_start(out, dialect);
    render_pipeline::write_csv_row(out, csv_header(), dialect);
    const auto& header = csv_header();
    const auto share = static_cast<std::size_t>(std::find(header.begin(), header.end(), "share_percent") - header.begin());
    for (const auto& row : rows) {
        auto record = record_of(row, r.lang == "en");
        if (share < record.size()) {
            record[share] = render_pipeline::csv_decimal(record[share], dialect);  // the one decimal column
        }
        render_pipeline::write_csv_row(out, record, dialect);
    }
}

// The CSV's columns as cells of one record (shared by the CSV and the xlsx writer).
std::vector<std::string> record_of(const SurveyRow& row, bool en) {
    std::vector<std::string> caveats;
    for (const auto& c : row.caveats) {
        caveats.push_back(c.rule + " " + c.subject + ": " + caveat_message(c, en ? "en" : "sv"));
    }
    const Figure* n = row.national;
    const Figure* g = row.size_group;
    return {std::to_string(row.order), row.indicator, row.question, row.area,
            join(row.alternatives, " / "), row.answer, row.status,
            row.share_percent ? percent(*row.share_percent, share_decimals(*row.share_percent)) : "", row.complete ? "true" : "false",
            std::to_string(row.survey_year), row.asked_about, join(row.rules, ", "),
            evidence_text(row, en), join(caveats, "; "), row.criteria,
            n ? std::to_string(n->year) : "", n && n->n ? std::to_string(*n->n) : "",
            n ? n->source : "", n ? distribution_text(*n) : "", g ? row.size_group_label : "",
            g ? std::to_string(g->year) : "", g && g->n ? std::to_string(*g->n) : "",
            g ? g->source : "", g ? distribution_text(*g) : "", trend_text(row),
            row.question_basis, row.alternatives_source};
}

// libxlsxwriter writes to a file: a private temporary directory, removed afterwards; the bytes go
// to `out` (the CLI then writes them atomically, temporary file + rename, like every report).
// Cells are strings (never formulas) and numbers; the size is bounded by the rows, not the input.
void write_xlsx(const Report& report, const std::vector<SurveyRow>& rows, std::ostream& out) {
    namespace fs = std::filesystem;
    std::string dir = (fs::temp_directory_path() / "lisa-survey-XXXXXX").string();
    if (::mkdtemp(dir.data()) == nullptr) {
        throw std::runtime_error("cannot create a temporary directory for the xlsx export");
    }
    const std::string path = dir + "/survey.xlsx";
    struct Cleanup {
        std::string dir;
        ~Cleanup() {
            std::error_code ec;
            fs::remove_all(dir, ec);
        }
    } cleanup{dir};
    lxw_workbook* book = workbook_new(path.c_str());
    if (book == nullptr) {
        throw std::runtime_error("cannot create the xlsx workbook");
    }
    // The document's dates are the audit date, so the same inputs give the same bytes.
    lxw_doc_properties properties{};
    std::string title = "Socialstyrelsens enkät — " + report.inventory->name;
    properties.title = title.data();
    if (const auto date = Date::parse(report.as_of)) {
        properties.created = static_cast<time_t>(date->days * 86400);
    }
    workbook_set_properties(book, &properties);
    lxw_worksheet* sheet = workbook_add_worksheet(book, "Enkät");
    lxw_format* bold = workbook_add_format(book);
    format_set_bold(bold);
    lxw_format* wrap = workbook_add_format(book);
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
    const auto& header = csv_header();
    for (std::size_t c = 0; c < header.size(); ++c) {
        worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), header[c].c_str(), bold);
    }
    lxw_row_t r = 1;
    for (const auto& row : rows) {
        const auto record = record_of(row, report.lang == "en");
        for (std::size_t c = 0; c < record.size(); ++c) {
            const auto col = static_cast<lxw_col_t>(c);
            if (record[c].empty()) {
                continue;
            }
            if (header[c] == "order" || header[c] == "survey_year") {
                worksheet_write_number(sheet, r, col, std::stod(record[c]), nullptr);
            } else if (header[c] == "share_percent") {
                worksheet_write_number(sheet, r, col, share_rounded(*row.share_percent), nullptr);
            } else {
                worksheet_write_string(sheet, r, col, record[c].c_str(), wrap);
            }
        }
        ++r;
    }
    worksheet_set_column(sheet, 0, 1, 12, nullptr);
    worksheet_set_column(sheet, 2, 2, 60, nullptr);
    worksheet_set_column(sheet, 3, 3, 30, nullptr);
    worksheet_set_column(sheet, 4, 6, 24, nullptr);
    worksheet_freeze_panes(sheet, 1, 4);
    worksheet_autofilter(sheet, 0, 0, r - 1, static_cast<lxw_col_t>(header.size() - 1));
    const lxw_error rc = workbook_close(book);
    if (rc != LXW_NO_ERROR) {
        throw std::runtime_error(std::string("cannot write the xlsx export: ") + lxw_strerror(rc));
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in.good() && !in.eof()) {
        throw std::runtime_error("cannot read back the xlsx export");
    }
    out << bytes.str();
}

void write_json(const Report& r, const std::vector<SurveyRow>& rows, std::ostream& out) {
    Json doc;
    doc["survey"] = {{"questionnaire", "Socialstyrelsen, E-hälsa och välfärdsteknik i kommunerna"},
                     {"organization", r.inventory->name},
                     {"municipality_code", r.inventory->municipality_code},
                     {"population", r.inventory->population},
                     {"population_year", r.inventory->population_year != 0 ? Json(r.inventory->population_year)
                                                                           : Json(nullptr)},
                     {"as_of", r.as_of},
                     {"lang", r.lang},
                     {"editions_note", survey_editions_note(r.lang)}};
    Json items = Json::array();
    for (const auto& row : rows) {
        Json evidence = Json::array();
        for (const auto& e : row.evidence) {
            Json je{{"subject", e.subject}, {"verdict", e.verdict},
                    {"provenance", e.provenance.empty() ? Json(nullptr) : Json(e.provenance)}};
            if (!e.failing_rules.empty()) {
                je["failing_rules"] = e.failing_rules;
            }
            if (!e.errored_rules.empty()) {
                je["errored_rules"] = e.errored_rules;
            }
            evidence.push_back(std::move(je));
        }
        Json caveats = Json::array();
        for (const auto& c : row.caveats) {
            caveats.push_back({{"rule", c.rule}, {"subject", c.subject}, {"message", caveat_message(c, r.lang)}});
        }
        Json j{{"order", row.order},
               {"indicator", row.indicator},
               {"question", row.question},
               {"question_source", row.question_source},
               {"area", row.area.empty() ? Json(nullptr) : Json(row.area)},
               {"alternatives", row.alternatives},
               {"answer", row.status == "answered" ? Json(row.answer) : Json(nullptr)},
               {"status", row.status},
               {"multiple_choice", row.multiple},
               {"share_percent", row.share_percent ? Json(share_rounded(*row.share_percent)) : Json(nullptr)},
               {"complete", row.complete},
               {"period", {{"survey_year", row.survey_year}, {"asked_about", row.asked_about}}},
               {"criteria", row.criteria},
               {"rules", row.rules},
               {"evidence", std::move(evidence)},
               {"caveats", std::move(caveats)},
               {"question_basis", row.question_basis},
               {"alternatives_source", row.alternatives_source},
               {"national", figure_json(row.national)}};
        Json trend = Json::array();
        for (const Figure* f : row.national_trend) {
            Json jf = figure_json(f);
            jf["area"] = f->scope.empty() ? Json(nullptr) : Json(f->scope);
            trend.push_back(std::move(jf));
        }
        j["national_trend"] = std::move(trend);
        if (row.status == "not_asked") {
            j["not_asked_reason"] = row.not_asked_reason;
        }
        Json sg = figure_json(row.size_group);
        if (row.size_group != nullptr) {
            sg["group"] = row.size_group_label;
        }
        j["size_group"] = std::move(sg);
        items.push_back(std::move(j));
    }
    doc["rows"] = std::move(items);
    out << doc.dump(2) << "\n";
}

}  // namespace

std::vector<SurveyRow> survey_rows(const Report& r) {
    std::vector<const IndicatorAnswer*> answers;
    for (const auto& a : r.indicators) {
        answers.push_back(&a);
    }
    // Stable: the indicator's own area order is kept within a question.
    std::stable_sort(answers.begin(), answers.end(), [](const IndicatorAnswer* a, const IndicatorAnswer* b) {
        const int oa = order_of(a->id);
        const int ob = order_of(b->id);
        return oa != ob ? oa < ob : (oa == static_cast<int>(survey_order().size()) && a->id < b->id);
    });
    std::vector<SurveyRow> rows;
    int order = 0;
    std::string last;
    for (const IndicatorAnswer* a : answers) {
        const IndicatorDef* def = def_of(r, a->id);
        if (def == nullptr) {
            continue;
        }
        if (a->id != last) {
            ++order;
            last = a->id;
        }
        SurveyRow row;
        row.order = order;
        row.indicator = a->id;
        row.question = def->question_sv;
        row.question_basis = def->question_basis;
        if (const auto at = row.question.find("{år}"); at != std::string::npos) {
            row.question.replace(at, std::string("{år}").size(), a->period.substr(0, 4));
        }
        row.area = a->scope;
        if (const BenchmarkIndicator* b = bench_of(r, a->id)) {
            row.alternatives = b->answers;
            row.question_source = b->question_source;
            row.alternatives_source = b->answers_source;
        }
        if (row.alternatives.empty()) {
            row.alternatives = {def->answer_none, def->answer_some, def->answer_all};
        }
        if (a->not_asked) {
            row.status = "not_asked";
            row.not_asked_reason = not_asked_text(*a->not_asked, r.lang);
        } else if (a->answer) {
            row.status = "answered";
            row.answer = *a->answer;
        } else {
            row.status = "not_evidenced";
        }
        row.share_percent = a->share_percent;
        row.complete = a->complete;
        row.survey_year = a->survey_year;
        row.asked_about = a->period;
        row.criteria = def->criteria.in(r.lang);
        if (const auto at = row.criteria.find("{år}"); at != std::string::npos) {
            row.criteria.replace(at, std::string("{år}").size(), a->period.substr(0, 4));
        }
        row.multiple = !def->answer_fact.empty();
        row.rules = def->rules;
        for (const auto& u : a->units) {
            row.evidence.push_back({u.subject, u.verdict, u.provenance, u.failing_rules, u.errored_rules});
        }
        row.caveats = a->caveats;
        row.national = a->national;
        row.national_trend = a->national_trend;
        row.size_group = a->size_group;
        if (a->size_group != nullptr) {
            row.size_group_label = a->size_group_def != nullptr ? a->size_group_def->label : a->size_group->group;
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

bool is_survey_format(const std::string& format) {
    return format == "text" || format == "csv" || format == "json" || format == "xlsx";
}

void write_survey(const Report& report, const std::string& format, std::ostream& out, CsvDialect dialect) {
    const std::vector<SurveyRow> rows = survey_rows(report);
    if (format == "text") {
        write_text(report, rows, out);
    } else if (format == "csv") {
        write_csv(report, rows, out, dialect);
    } else if (format == "json") {
        write_json(report, rows, out);
    } else if (format == "xlsx") {
        write_xlsx(report, rows, out);
    } else {
        throw std::invalid_argument("no survey writer for format '" + format + "'");
    }
}

}  // namespace lisa
