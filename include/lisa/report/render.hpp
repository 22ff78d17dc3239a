// SPDX-License-Identifier: Apache-2.0
// The report writers. Each takes the typed ReportDocument (document.hpp) — a fresh scan's or one
// read back from JSON, which render the same — and writes one format to a stream it does not
// own. One table (report_formats) lists them all: `--format` validation, the file names in
// --output-dir and the help text come from it, so a new format is one writer and one row.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "lisa/core/result.hpp"
#include "lisa/report/document.hpp"
#include "lisa/report/labels.hpp"

namespace lisa {

/// The CSV dialect of findings.csv and actionplan.csv (`--csv-dialect`).
enum class CsvDialect {
    Rfc4180,  ///< `,` separators, CRLF, no byte order mark, `.` decimals (the default)
    ExcelSv,  ///< what Swedish Excel opens by double-click: `;`, UTF-8 BOM, CRLF, `,` decimals
};

struct RenderOptions {
    std::string lang = "sv";  ///< sv | en: the labels; titles and remediation in this language
    bool color = false;       ///< text: terminal colours (SGR sequences lisa writes itself)
    /// The label catalogue (labels.hpp): every word the writers print. nullptr: the shipped one.
    const Labels* labels = nullptr;

    /// The catalogue in use: `labels`, or Labels::builtin().
    [[nodiscard]] const Labels& words() const { return labels != nullptr ? *labels : Labels::builtin(); }

    CsvDialect csv_dialect = CsvDialect::Rfc4180;
    /// html: the directory of the HTML templates (html/*.mustache, one per section of the report,
    /// markup only; templates/html/). A template it lacks is taken from the shipped templates when
    /// the directory exists. Empty: default_templates_dir().
    std::string templates_dir;
};

/// The templates shipped with the binary: $LISA_TEMPLATES_DIR, then the install location
/// (<prefix>/share/lisa/templates beside the running binary), then the source tree the binary was
/// built from. README "Changing the HTML report's wording or layout".
[[nodiscard]] std::string default_templates_dir();

/// The HTML templates in use (`options.templates_dir`, else default_templates_dir()) can be read
/// and compiled, and none writes a value unescaped ({{{x}}} or {{&x}} are refused: no label or
/// inventory name may add markup), and no `.mustache` file in the directory has a name lisa does
/// not use. The error holds every problem, one per line, each naming the file, with line and column
/// where there is one. The CLI calls it before scanning when an HTML report is asked for (a municipality's
/// template is input: exit 2, not an internal error after the scan).
[[nodiscard]] Result<bool> check_html_templates(const RenderOptions& options);

/// Terminal summary: score, per-area score and coverage, survey answers, failing rules by
/// severity, waivers. Every field through the terminal sanitiser.
void render_text(const ReportDocument& report, const RenderOptions& options, std::ostream& out);
/// The canonical JSON report (to_json); options are not used.
void render_json(const ReportDocument& report, const RenderOptions& options, std::ostream& out);
/// Self-contained HTML for the security officer and the board (no external assets, print CSS).
void render_html(const ReportDocument& report, const RenderOptions& options, std::ostream& out);
/// JUnit XML: one testcase per rule × subject; failures and errors distinct.
void render_junit(const ReportDocument& report, const RenderOptions& options, std::ostream& out);
/// SARIF 2.1.0: rules with help text, results with level from severity, logical locations.
void render_sarif(const ReportDocument& report, const RenderOptions& options, std::ostream& out);
/// Findings as CSV, one row each (RFC 4180).
void render_csv(const ReportDocument& report, const RenderOptions& options, std::ostream& out);
/// Failing findings as an action plan (åtgärdsplan) CSV: severity, subject, remediation, owner.
void render_actionplan_csv(const ReportDocument& report, const RenderOptions& options, std::ostream& out);
/// The action plan as a workbook the municipality fills in (action_plan.hpp): owner, deadline,
/// status and comment columns beside lisa's read-only ones; read back with --action-plan.
void render_actionplan_xlsx(const ReportDocument& report, const RenderOptions& options, std::ostream& out);
/// The central profile (central.hpp): the part of the report that may leave the municipality.
void render_central(const ReportDocument& report, const RenderOptions& options, std::ostream& out);

using ReportRenderer = void (*)(const ReportDocument&, const RenderOptions&, std::ostream&);

/// One report format: its `--format` name, its file in --output-dir, its help line, its writer.
struct ReportFormat {
    std::string_view name;
    std::string_view file_name;
    std::string_view help;
    ReportRenderer render;
    bool signable;     ///< --sign writes FILE.sig beside it
    bool to_terminal;  ///< also printed on standard output when written to a file (text)
};

/// Every format, in the order of the help text.
[[nodiscard]] const std::vector<ReportFormat>& report_formats();
/// The format named `name`, or nullptr.
[[nodiscard]] const ReportFormat* find_report_format(std::string_view name);
/// "text|json|html|…", for usage messages.
[[nodiscard]] std::string report_format_names();

}  // namespace lisa
