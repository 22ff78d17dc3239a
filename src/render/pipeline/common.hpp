// SPDX-License-Identifier: Apache-2.0
// Internal helpers shared by the pipeline renderers (JUnit, SARIF, CSV). Every accessor is total:
// odd content (a missing key, a number where a string was expected, a report that is not an
// object) yields an empty value, never an exception.
#pragma once

#include <lisa/core/text.hpp>
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

// The sanitisers (xml_clean, xml_escape, csv_field, json_escape_controls) are lisa's shared ones:
// lisa/core/text.hpp.

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
