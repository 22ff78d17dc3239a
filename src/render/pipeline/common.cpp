// SPDX-License-Identifier: Apache-2.0
#include "common.hpp"

#include "lisa/core/numbers.hpp"

#include <nlohmann/json.hpp>
#include <utility>

namespace lisa::render_pipeline {
namespace {

std::string dump_json(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string normalize_lang(std::string_view lang) {
    return lang == "en" ? "en" : "sv";
}

std::string localized(const Text& text, std::string_view lang) {
    const std::string& first = text.in(normalize_lang(lang));
    return first.empty() ? text.in(normalize_lang(lang) == "sv" ? "en" : "sv") : first;
}

int severity_rank(Severity severity) noexcept {
    return static_cast<int>(Severity::Critical) - static_cast<int>(severity);
}

std::string number_text(const std::optional<double>& value) {
    return value ? dump_json(*value) : std::string();
}

std::string value_text(const Value& v) {
    switch (v.type()) {
        case ValueType::None: return {};
        case ValueType::Bool: return *v.as_bool() ? "true" : "false";
        case ValueType::Integer: return std::to_string(*v.as_int());
        case ValueType::Number: return dump_json(*v.as_double());
        case ValueType::String: return *v.as_string();
        case ValueType::Date: return v.as_date()->to_string();
        case ValueType::List: return dump_json(*v.as_list());
    }
    return {};
}

std::string kind_text(const ReportFinding& finding) {
    return finding.subject_kind ? std::string(to_string(*finding.subject_kind)) : std::string();
}

void write_csv_row(std::ostream& out, const std::vector<std::string>& fields, CsvDialect dialect) {
    const char separator = dialect == CsvDialect::ExcelSv ? ';' : ',';
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) {
            line.push_back(separator);
        }
        line += csv_field(fields[i], separator);
    }
    line += "\r\n";
    out << line;
}

void write_csv_start(std::ostream& out, CsvDialect dialect) {
    if (dialect == CsvDialect::ExcelSv) {
        out << "\xEF\xBB\xBF";
    }
}

std::string csv_decimal(std::string number, CsvDialect dialect) {
    // Swedish Excel reads a decimal comma; RFC 4180 files keep the point.
    return decimal_sign(std::move(number), dialect == CsvDialect::ExcelSv ? "sv" : "en");
}

std::vector<std::string> evidence_lines(const ReportFinding& finding) {
    std::vector<std::string> lines;
    for (const auto& e : finding.evidence) {
        if (is_account_list(e.fact)) {
            continue;  // JUnit goes to CI dashboards: account names stay in the municipality's reports
        }
        std::string line = e.fact + " = " + value_text(e.value);
        if (!e.provenance.empty() || !e.source.empty()) {
            line += " (" + e.provenance;
            if (!e.provenance.empty() && !e.source.empty()) {
                line += ", ";
            }
            line += e.source + ")";
        }
        lines.push_back(std::move(line));
    }
    return lines;
}

const WaiverRecord* applied_waiver(const ReportDocument& report, const ReportFinding& finding) noexcept {
    if (!finding.waiver || !finding.waiver->record || *finding.waiver->record >= report.waivers.size()) {
        return nullptr;
    }
    return &report.waivers[*finding.waiver->record];
}

}  // namespace lisa::render_pipeline
