// SPDX-License-Identifier: Apache-2.0
// Shared by the HTML report tests: the golden report of the example municipality, a hostile
// variant of it, and rendering to a string. The tests take their expectations from the golden
// report itself, so they hold when the example municipality or the rule pack grows.
#pragma once

#include <cstdio>
#include <sstream>
#include <stdexcept>
#include <string>

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
