// SPDX-License-Identifier: Apache-2.0
// The one writer table: `--format` validation, the file names in --output-dir and the help text
// all come from here. A new format is its writer and one row.
#include "lisa/report/central.hpp"
#include "lisa/report/render.hpp"

namespace lisa {

void render_json(const ReportDocument& report, const RenderOptions& /*options*/, std::ostream& out) {
    to_json(report, out);
}

void render_central(const ReportDocument& report, const RenderOptions& /*options*/, std::ostream& out) {
    out << central_profile(report);
}

const std::vector<ReportFormat>& report_formats() {
    static const std::vector<ReportFormat> kFormats = {
        {"text", "report.txt", "terminal summary (always printed; also written with --output-dir)", render_text,
         false, true},
        {"json", "report.json", "canonical JSON report (signable)", render_json, true, false},
        {"html", "report.html", "self-contained HTML report for the board", render_html, false, false},
        {"junit", "report.junit.xml", "JUnit XML, one testcase per rule and subject", render_junit, false, false},
        {"sarif", "report.sarif", "SARIF 2.1.0 for code-scanning dashboards", render_sarif, false, false},
        {"csv", "findings.csv", "every finding, one CSV row each", render_csv, false, false},
        {"actionplan-csv", "actionplan.csv", "failing and waived findings by priority (åtgärdsplan)",
         render_actionplan_csv, false, false},
        {"actionplan-xlsx", "actionplan.xlsx",
         "the action plan as a workbook to fill in (ansvarig, deadline, status, kommentar); read back with --action-plan",
         render_actionplan_xlsx, false, false},
        {"central", "profile.central.json", "the central profile that may leave the municipality (signable)",
         render_central, true, false},
    };
    return kFormats;
}

const ReportFormat* find_report_format(std::string_view name) {
    for (const auto& f : report_formats()) {
        if (f.name == name) {
            return &f;
        }
    }
    return nullptr;
}

std::string report_format_names() {
    std::string out;
    for (const auto& f : report_formats()) {
        out += (out.empty() ? "" : "|") + std::string(f.name);
    }
    return out;
}

}  // namespace lisa
