// SPDX-License-Identifier: Apache-2.0
// Internal helpers shared by the pipeline renderers (JUnit, SARIF, CSV), over the typed report.
#pragma once

#include "lisa/core/text.hpp"
#include "lisa/report/render.hpp"

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace lisa::render_pipeline {

/// "en" when lang is "en", else "sv" (the report's languages).
std::string normalize_lang(std::string_view lang);
/// A localized text in `lang`, else in the other language; "" when both are empty.
std::string localized(const Text& text, std::string_view lang);

/// Severity rank for ordering: critical 0, high 1, medium 2, low 3, info 4.
int severity_rank(Severity severity) noexcept;

/// A number as the JSON report writes it ("71.07", "1.0"); "" for none.
std::string number_text(const std::optional<double>& value);
/// A fact value as text: a string as is, a number or bool as JSON, none as "", a list as compact
/// JSON.
std::string value_text(const Value& value);
/// The subject kind's name; "" when unknown.
std::string kind_text(const ReportFinding& finding);

// The sanitisers (xml_clean, xml_escape, csv_field, json_escape_controls) are lisa's shared ones:
// lisa/core/text.hpp.

/// One RFC 4180 record: fields joined by commas, terminated by CRLF.
void write_csv_row(std::ostream& out, const std::vector<std::string>& fields,
                   CsvDialect dialect = CsvDialect::Rfc4180);
/// What a CSV file starts with: nothing, or for excel-sv the UTF-8 byte order mark (EF BB BF)
/// that makes Excel read the file as UTF-8.
void write_csv_start(std::ostream& out, CsvDialect dialect);
/// A decimal number as the dialect writes it: "53.5", or "53,5" for excel-sv.
std::string csv_decimal(std::string number, CsvDialect dialect);

/// "FACT = value (provenance, source)" lines for a finding's evidence, one per fact; account
/// lists (is_account_list) are left out: JUnit goes to CI dashboards.
std::vector<std::string> evidence_lines(const ReportFinding& finding);

/// The waiver record the engine applied to this finding (carried in the model), or nullptr.
const WaiverRecord* applied_waiver(const ReportDocument& report, const ReportFinding& finding) noexcept;

}  // namespace lisa::render_pipeline
