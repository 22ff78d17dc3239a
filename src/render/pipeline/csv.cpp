// SPDX-License-Identifier: Apache-2.0
// CSV renderers (RFC 4180: comma-separated, CRLF line endings, fields with a comma, quote, CR or
// LF quoted, quotes doubled; UTF-8 without a byte order mark). RenderOptions::csv_dialect
// excel-sv (`--csv-dialect excel-sv`) is what Swedish Excel opens by double-click: `;` separators
// (Swedish Windows' list separator), a UTF-8 byte order mark, CRLF, and decimal commas in number
// columns; quoting as RFC 4180 with `;` as the separator. Both share csv_field():
//
// Spreadsheet formula injection: a cell whose text starts with = + - @ (or a tab or CR) is
// written with a leading single quote ('=HYPERLINK(...) stays text), as OWASP recommends. A
// consumer that reads the CSV as data sees that quote; it is only ever added in front of those
// characters, so it can be removed unambiguously.
//
// Action plan: fail and waived findings (status column says which; waiver column has the
// decision and its expiry), ordered by severity, then rule id, then subject id (byte order).
// priority: critical 1, high 2, medium 3, low 4, info 5.
//
// Headers are English and stable in both languages (machine-read); titles and remediation
// follow RenderOptions::lang, and every word lisa itself prints inside a cell comes from the
// label catalogue (RenderOptions::words(), rules/labels/labels.yaml `csv.*`).
#include "common.hpp"
#include "lisa/report/action_plan.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace lisa {
namespace {

using render_pipeline::kind_text;
using render_pipeline::localized;
using render_pipeline::severity_rank;
using render_pipeline::write_csv_row;

std::string str(const std::optional<std::string>& s) { return s.value_or(std::string()); }
std::string str(Status s) { return std::string(to_string(s)); }
std::string str(Severity s) { return std::string(to_string(s)); }

}  // namespace

void render_csv(const ReportDocument& report, const RenderOptions& options, std::ostream& out) {
    const std::string lang = render_pipeline::normalize_lang(options.lang);
    const CsvDialect dialect = options.csv_dialect;
    render_pipeline::write_csv_start(out, dialect);
    // The header row: stable machine keys, English in both languages (not catalogue words).
    write_csv_row(out, {"rule", "subject", "subject_kind", "status", "severity", "area", "title",
                        "message", "system", "owner", "accounts"},
                  dialect);
    for (const auto& f : report.findings) {
        write_csv_row(out, {f.rule, f.subject, kind_text(f), str(f.status), str(f.severity), f.area,
                            localized(f.title, lang), f.message, str(f.system), str(f.owner),
                            accounts_text(f, lang)},
                      dialect);
    }
}

void render_actionplan_csv(const ReportDocument& report, const RenderOptions& options,
                           std::ostream& out) {
    const std::string lang = render_pipeline::normalize_lang(options.lang);
    const Labels& words = options.words();
    std::vector<const ReportFinding*> rows;
    for (const auto& f : report.findings) {
        if (f.status == Status::Fail || f.status == Status::Waived) {
            rows.push_back(&f);
        }
    }
    std::stable_sort(rows.begin(), rows.end(), action_order);
    const CsvDialect dialect = options.csv_dialect;
    render_pipeline::write_csv_start(out, dialect);
    // The header row: stable machine keys, English in both languages (not catalogue words).
    write_csv_row(out, {"priority", "severity", "rule", "title", "subject", "system", "owner",
                        "remediation", "status", "waiver", "accounts"},
                  dialect);
    for (const ReportFinding* f : rows) {
        const RuleEntry* rule = report.find_rule(f->rule);
        std::string title = rule != nullptr ? localized(rule->title, lang) : "";
        if (title.empty()) {
            title = localized(f->title, lang);
        }
        const std::string remediation = rule != nullptr ? localized(rule->remediation, lang) : std::string();
        std::string waiver;
        if (f->status == Status::Waived && f->waiver) {
            waiver = f->waiver->expires.empty()
                         ? f->waiver->decision_ref
                         : words.format("csv.waiver_expires", lang,
                                        {{"decision", f->waiver->decision_ref}, {"expires", f->waiver->expires}});
        }
        write_csv_row(out, {std::to_string(severity_rank(f->severity) + 1), str(f->severity), f->rule, title,
                            f->subject, str(f->system), str(f->owner), remediation, str(f->status), waiver,
                            accounts_text(*f, lang)},
                      dialect);
    }
}

}  // namespace lisa
