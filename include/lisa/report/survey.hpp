// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "lisa/report/render.hpp"
#include "lisa/report/report.hpp"

namespace lisa {

/// One evidence unit behind a survey answer: a system, e-service or document and its verdict.
struct SurveyEvidence {
    std::string subject;
    std::string verdict;     ///< pass | fail | error
    std::string provenance;  ///< declared | document | probed; empty for error
    std::vector<std::string> failing_rules;
    std::vector<std::string> errored_rules;  ///< rules whose evidence could not be collected
};

/**
 * One row of `lisa survey`: one question × area, as the respondent types it into
 * Socialstyrelsen's form. Built from the report's indicators (answer_indicators), never
 * recomputed, so the export and the report cannot disagree.
 */
struct SurveyRow {
    int order = 0;                  ///< 1-based, the 2023 report's table order (survey_order())
    std::string indicator;          ///< SEC-…
    std::string question;           ///< the question as the survey asks it (IndicatorDef::question_sv)
    std::string question_source;    ///< the table the figures come from ("003 T15")
    std::string question_basis;     ///< where the wording comes from (IndicatorDef::question_basis)
    std::string alternatives_source;  ///< the table that prints the alternatives ("000 T17")
    std::string area;               ///< verksamhetsområde / scope; empty when the question has none
    std::vector<std::string> alternatives;  ///< the answer alternatives, in the scale's order
    std::string answer;             ///< one of `alternatives` ("; "-joined when `multiple`); empty
                                    ///< unless status is "answered"
    bool multiple = false;          ///< several alternatives may be answered (000 B2 T4)
    std::string status;             ///< answered | not_evidenced | not_asked
    std::string not_asked_reason;   ///< with not_asked
    std::optional<double> share_percent;  ///< staff share behind a five-step answer, 0–100
    bool complete = true;           ///< false: some unit could not be checked (error)
    int survey_year = 0;            ///< the year of --as-of
    std::string asked_about;        ///< "YYYY" (previous calendar year) or "YYYY-MM-DD" (state)
    std::string criteria;           ///< lisa's interpretation, in the report language
    std::vector<std::string> rules; ///< the rules whose findings answer it
    std::vector<SurveyEvidence> evidence;
    std::vector<IndicatorCaveat> caveats;
    const Figure* national = nullptr;    ///< latest national figure for the area; may be null
    std::vector<const Figure*> national_trend;  ///< every national figure, oldest first
    const Figure* size_group = nullptr;  ///< latest size-group figure; may be null
    std::string size_group_label;
};

/// Every row, in survey_order() and then the indicator's own area order.
[[nodiscard]] std::vector<SurveyRow> survey_rows(const Report& report);

/// The formats `lisa survey --format` accepts: text, csv, json, xlsx.
[[nodiscard]] bool is_survey_format(const std::string& format);

/**
 * Writes the survey in `format` (one of is_survey_format). text: for reading; csv: RFC 4180,
 * one header row and one row per question × area, formula injection neutralised; json: an
 * object {survey: {...}, rows: [...]} with the same fields; xlsx: the CSV's header and records
 * as one worksheet "Enkät" (libxlsxwriter; strings are never formulas), its bytes written to
 * `out`. Throws std::invalid_argument for any other format, std::runtime_error when the xlsx
 * cannot be made.
 */
/// `dialect` applies to csv (render.hpp CsvDialect: excel-sv writes share_percent with a decimal comma).
void write_survey(const Report& report, const std::string& format, std::ostream& out,
                  CsvDialect dialect = CsvDialect::Rfc4180);

}  // namespace lisa
