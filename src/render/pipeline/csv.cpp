// SPDX-License-Identifier: Apache-2.0
// CSV renderers (RFC 4180: comma-separated, CRLF line endings, fields with a comma, quote, CR or
// LF quoted, quotes doubled; UTF-8 without a byte order mark). Both share csv_field():
//
// Spreadsheet formula injection: a cell whose text starts with = + - @ (or a tab or CR) is
// written with a leading single quote ('=HYPERLINK(...) stays text), as OWASP recommends. A
// consumer that reads the CSV as data sees that quote; it is only ever added in front of those
// characters, so it can be removed unambiguously.
//
// Action plan: fail and waived findings (status column says which; waiver column has the
// decision and its expiry), ordered by severity, then rule id, then subject id (byte order).
// priority: critical 1, high 2, medium 3, low 4, info 5, an unknown severity 6.
//
// Headers are English and stable in both languages (machine-read); titles and remediation
// follow RenderOptions::lang.
#include "common.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace lisa {
namespace {

using render_pipeline::array_at;
using render_pipeline::find_rule;
using render_pipeline::localized;
using render_pipeline::member;
using render_pipeline::object_at;
using render_pipeline::severity_rank;
using render_pipeline::text;
using render_pipeline::write_csv_row;

}  // namespace

void render_csv(const ReportJson& report, const RenderOptions& options, std::ostream& out) {
    const std::string lang = render_pipeline::normalize_lang(options.lang);
    write_csv_row(out, {"rule", "subject", "subject_kind", "status", "severity", "area", "title",
                        "message", "system", "owner"});
    for (const auto& f : array_at(report, "findings")) {
        write_csv_row(
            out, {text(f, "rule"), text(f, "subject"), text(f, "subject_kind"), text(f, "status"),
                  text(f, "severity"), text(f, "area"), localized(member(f, "title"), lang),
                  text(f, "message"), text(f, "system"), text(f, "owner")});
    }
}

void render_actionplan_csv(const ReportJson& report, const RenderOptions& options,
                           std::ostream& out) {
    const std::string lang = render_pipeline::normalize_lang(options.lang);
    struct Row {
        int rank;
        std::string rule;
        std::string subject;
        const ReportJson* finding;
    };
    std::vector<Row> rows;
    for (const auto& f : array_at(report, "findings")) {
        const std::string status = text(f, "status");
        if (status == "fail" || status == "waived") {
            rows.push_back(
                {severity_rank(text(f, "severity")), text(f, "rule"), text(f, "subject"), &f});
        }
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        if (a.rank != b.rank) {
            return a.rank < b.rank;
        }
        if (a.rule != b.rule) {
            return a.rule < b.rule;
        }
        return a.subject < b.subject;
    });

    write_csv_row(out, {"priority", "severity", "rule", "title", "subject", "system", "owner",
                        "remediation", "status", "waiver"});
    for (const Row& row : rows) {
        const ReportJson& f = *row.finding;
        const ReportJson* rule = find_rule(report, row.rule);
        std::string title = rule != nullptr ? localized(member(*rule, "title"), lang) : "";
        if (title.empty()) {
            title = localized(member(f, "title"), lang);
        }
        const std::string remediation =
            rule != nullptr ? localized(member(*rule, "remediation"), lang) : std::string();
        std::string waiver;
        if (text(f, "status") == "waived") {
            const ReportJson& w = object_at(f, "waiver");
            waiver = text(w, "decision_ref");
            const std::string expires = text(w, "expires");
            if (!expires.empty()) {
                waiver += (lang == "sv" ? ", gäller till " : ", expires ") + expires;
            }
        }
        write_csv_row(
            out, {std::to_string(row.rank + 1), text(f, "severity"), row.rule, title, row.subject,
                  text(f, "system"), text(f, "owner"), remediation, text(f, "status"), waiver});
    }
}

}  // namespace lisa
