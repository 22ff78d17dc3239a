// SPDX-License-Identifier: Apache-2.0
// Shared by the HTML report tests: the golden report of the example municipality, a hostile
// variant of it, and rendering to a string. The tests take their expectations from the golden
// report itself, so they hold when the example municipality or the rule pack grows.
#pragma once

#include <cctype>
#include <cstdio>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lisa/report/render.hpp"
#include "process.hpp"

namespace lisa {
/// The tests edit reports as JSON (as a hand-edited or old saved report would be) and render
/// them through report_from_json: the renderer sees the typed model, the edits its reading.
using ReportJson = nlohmann::ordered_json;
}  // namespace lisa

namespace lisa::html_test {

/// Render options plus the trend the report carries (written into the JSON as `trend`).
struct Options : RenderOptions {
    std::vector<TrendPoint> trend;
};

/// The typed report of a JSON document: an object missing the report markers gets them (the
/// odd-report tests), anything else must be accepted by report_from_json.
inline ReportDocument document_of(ReportJson report) {
    if (report.is_object()) {
        if (!report.contains("schema_version")) {
            report["schema_version"] = 1;
        }
        if (!report.contains("findings")) {
            report["findings"] = ReportJson::array();
        }
    }
    auto doc = report_from_json(report.dump(-1, ' ', false, ReportJson::error_handler_t::replace));
    if (!doc) {
        throw std::runtime_error("report_from_json: " + doc.error().message);
    }
    return std::move(doc).value();
}

inline const std::string kGoldenPath =
    std::string(LISA_SOURCE_DIR) + "/tests/data/expected/exempelkommun.json";

/// The golden JSON report of examples/exempelkommun, parsed.
inline ReportJson golden() { return ReportJson::parse(testing_support::read_file(kGoldenPath)); }

inline std::string render(const ReportJson& report, const Options& options = {}) {
    ReportJson with_trend = report;
    if (!options.trend.empty() && with_trend.is_object()) {
        with_trend["trend"] = ReportJson::array();
        for (const auto& p : options.trend) {
            ReportJson point{{"as_of", p.as_of}, {"score", p.score}};
            if (!p.areas.empty()) {
                point["areas"] = p.areas;
            }
            with_trend["trend"].push_back(std::move(point));
        }
    }
    std::ostringstream out;
    render_html(document_of(with_trend), options, out);
    return out.str();
}

inline std::string render_lang(const ReportJson& report, const std::string& lang) {
    Options options;
    options.lang = lang;
    return render(report, options);
}

/// The first finding with this status; throws when there is none (the golden must have one).
inline ReportJson& first_finding(ReportJson& report, const std::string& status) {
    for (auto& f : report["findings"]) {
        if (f["status"] == status) {
            return f;
        }
    }
    throw std::runtime_error("the report has no '" + status + "' finding");
}

inline const ReportJson& first_finding(const ReportJson& report, const std::string& status) {
    for (const auto& f : report["findings"]) {
        if (f["status"] == status) {
            return f;
        }
    }
    throw std::runtime_error("the report has no '" + status + "' finding");
}

/// The test's own oracle for HTML text: how a report string must appear in the output.
inline std::string escaped(const std::string& text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

/// A score as the report prints it: two decimals, a decimal comma in Swedish.
inline std::string score_text(double v, const std::string& lang = "sv") {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", v);
    std::string s = buffer;
    if (lang == "sv") {
        for (char& c : s) {
            c = c == '.' ? ',' : c;
        }
    }
    return s;
}

/// Page one's section of a rendered report, or empty when there is none.
inline std::string page_one_section(const std::string& html) {
    const auto a = html.find("<section class=\"page-one\"");
    const auto b = html.find("</section>", a == std::string::npos ? 0 : a);
    return a == std::string::npos || b == std::string::npos ? std::string() : html.substr(a, b - a);
}

/// The text a reader sees of an HTML fragment: tags dropped, the five entities decoded.
inline std::string visible_text(const std::string& html) {
    std::string text;
    bool in_tag = false;
    for (const char c : html) {
        if (c == '<') {
            in_tag = true;
            text += ' ';
        } else if (c == '>') {
            in_tag = false;
        } else if (!in_tag) {
            text += c;
        }
    }
    for (const auto& [entity, plain] : std::vector<std::pair<std::string, std::string>>{
             {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}}) {
        for (auto pos = text.find(entity); pos != std::string::npos; pos = text.find(entity, pos + plain.size())) {
            text.replace(pos, entity.size(), plain);
        }
    }
    return text;
}

/// English words that have no business on the Swedish page one (whole words, any case).
inline const std::set<std::string>& english_words() {
    static const std::set<std::string> kWords = {
        "the", "and", "of", "is", "not", "could", "check", "checks", "checked", "score", "target", "owner",
        "failed", "failing", "fail", "pass", "passed", "none", "green", "amber", "red", "since", "audit",
        "change", "changes", "severity", "high", "medium", "low", "critical", "unknown", "error", "waived",
        "summary", "page", "glance", "points", "up", "down", "no", "name", "inventory", "places", "every",
        "found", "failures", "directory", "rule", "rules", "fact", "facts", "evidence", "probe"};
    return kWords;
}

/**
 * What makes `text` (page one as a reader sees it) unfit for the board in Swedish: an English
 * word (english_words), a rule id of the report or of the form ABC-123, a fact name (any the
 * report's evidence names, or any lower_case.dotted name), a file:line, or a character of a
 * regular expression (\ ^ $ [ ] { } | * + ?). Empty: nothing found.
 */
inline std::vector<std::string> board_problems(const std::string& text, const ReportJson& report) {
    std::vector<std::string> problems;
    std::string word;
    const auto flush = [&] {
        std::string lower;
        for (const char c : word) {
            lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        if (english_words().count(lower) != 0) {
            problems.push_back("English word '" + word + "'");
        }
        word.clear();
    };
    for (const char c : text) {
        if (std::isalpha(static_cast<unsigned char>(c)) != 0 || static_cast<unsigned char>(c) >= 0x80) {
            word += c;
        } else {
            flush();
        }
    }
    flush();
    std::set<std::string> ids;
    for (const auto& rule : report["rules"]) {
        ids.insert(rule["id"].get<std::string>());
    }
    for (const auto& finding : report["findings"]) {
        if (finding.contains("evidence") && finding["evidence"].is_object()) {
            for (const auto& item : finding["evidence"].items()) {
                ids.insert(item.key());
            }
        }
    }
    for (const auto& id : ids) {
        if (std::regex_search(text, std::regex("(^|[^A-Za-z0-9_.-])" + std::regex_replace(id, std::regex(R"([.^$|()\[\]{}*+?\\-])"), R"(\$&)") + "($|[^A-Za-z0-9_-])"))) {
            problems.push_back("identifier '" + id + "'");
        }
    }
    const std::vector<std::pair<std::string, std::regex>> patterns = {
        {"rule id", std::regex(R"(\b[A-Z]{2,}-[0-9]{3}\b)")},
        {"fact name", std::regex(R"(\b[a-z_]+\.[a-z_]+\b)")},
        {"file:line", std::regex(R"([A-Za-z0-9_./-]+:[0-9]+)")},
        {"regular expression character", std::regex(R"([\\^$\[\]{}|*+?])")}};
    for (const auto& [what, pattern] : patterns) {
        std::smatch m;
        if (std::regex_search(text, m, pattern)) {
            problems.push_back(what + " '" + m.str() + "'");
        }
    }
    return problems;
}

inline const std::string kScript = "<script>alert(1)</script>";

/**
 * The golden report with markup and quotes wherever the report carries free text: the
 * organisation's name, the first failing finding's subject name, message, system, owner and
 * evidence, a waiver's reason and an evidence file's path.
 */
inline ReportJson hostile() {
    ReportJson report = golden();
    report["organization"]["name"] = kScript + " Kommun \"Citat\" & 'Apostrof'";
    ReportJson& f = first_finding(report, "fail");
    f["subject_name"] = "<script>alert(2)</script>";
    f["message"] = "x\" onmouseover=\"alert(3)";
    f.erase("result");  // as a report saved before results were data: the message is shown
    f["system"] = kScript;
    f["owner"] = "<b>Nämnd</b>";
    f["evidence"] = {{"fact.value",
                      {{"value", "<img src=x onerror=alert(4)>"},
                       {"provenance", "declared"},
                       {"source", "inventory.yaml:1"}}}};
    report["waivers"][0]["reason"] = "</td></tr></table><script>alert(5)</script>";
    report["evidence_files"][0]["path"] = "evidence/'quoted\".md";
    return report;
}

}  // namespace lisa::html_test
