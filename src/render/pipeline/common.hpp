// SPDX-License-Identifier: Apache-2.0
// Internal helpers shared by the pipeline renderers (JUnit, SARIF, CSV). Every accessor is total:
// odd content (a missing key, a number where a string was expected, a report that is not an
// object) yields an empty value, never an exception.
#pragma once

#include <lisa/report/render.hpp>

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace lisa::render_pipeline {

/// `j[key]` when j is an object holding key, else nullptr (never throws, never inserts).
const ReportJson* member(const ReportJson& j, std::string_view key) noexcept;

/// Text of a scalar: a string as is, a number or bool as JSON, null/missing as "", an object or
/// array as compact JSON.
std::string text_of(const ReportJson* j);
/// text_of(member(j, key)).
std::string text(const ReportJson& j, std::string_view key);
/// The array at j[key], or an empty array.
const ReportJson& array_at(const ReportJson& j, std::string_view key) noexcept;
/// The object at j[key], or an empty object.
const ReportJson& object_at(const ReportJson& j, std::string_view key) noexcept;

/// "en" when lang is "en", else "sv" (the report's languages).
std::string normalize_lang(std::string_view lang);
/// A localized text ({sv, en} object or plain string): lang, then the other language, then
/// the first string value; "" when there is none.
std::string localized(const ReportJson* j, std::string_view lang);

/// Severity rank for ordering: critical 0, high 1, medium 2, low 3, info 4, anything else 5.
int severity_rank(std::string_view severity) noexcept;

/// UTF-8 made safe for every output: invalid sequences become U+FFFD; characters XML 1.0 does
/// not allow (C0 controls except tab, LF and CR; U+FFFE, U+FFFF) are removed.
std::string clean_text(std::string_view in);

/// XML text or attribute value: clean_text, then & < > " ' escaped; in attributes tab, LF and
/// CR are written as character references so parsers do not normalise them to spaces.
std::string xml_escape(std::string_view in, bool attribute);

/// One RFC 4180 field: clean_text; a cell that starts with = + - @ (or tab / CR) gets a leading
/// single quote so spreadsheets do not evaluate it as a formula (CSV injection); the field is
/// quoted when it contains a comma, quote, CR or LF, with quotes doubled.
std::string csv_field(std::string_view in);
/// One RFC 4180 record: fields joined by commas, terminated by CRLF.
void write_csv_row(std::ostream& out, const std::vector<std::string>& fields);

/// The rule catalogue entry with this id from report.rules[], or nullptr.
const ReportJson* find_rule(const ReportJson& report, std::string_view id) noexcept;

/// "FACT = value (provenance, source)" lines for a finding's evidence, one per fact.
std::vector<std::string> evidence_lines(const ReportJson& finding);

/// The waiver record in report.waivers[] that produced a waived finding (same decision_ref, and
/// rule/subject equal or matching as globs), or nullptr.
const ReportJson* find_waiver(const ReportJson& report, const ReportJson& finding);

}  // namespace lisa::render_pipeline
