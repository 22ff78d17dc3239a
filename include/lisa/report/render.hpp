// SPDX-License-Identifier: Apache-2.0
// Renderers that work from the canonical JSON report alone (a fresh scan, a saved report or a
// history entry all render the same). Writers never open files: the caller owns the stream.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace lisa {

/// One earlier audit, for the trend chart.
struct TrendPoint {
    std::string as_of;  ///< YYYY-MM-DD
    double score = 0;   ///< overall score
};

struct RenderOptions {
    std::string lang = "sv";        ///< sv | en
    std::vector<TrendPoint> trend;  ///< earlier audits of the same organisation, oldest first
};

using ReportJson = nlohmann::ordered_json;

/// Self-contained HTML for the security officer and the board (no external assets, print CSS).
void render_html(const ReportJson& report, const RenderOptions& options, std::ostream& out);
/// JUnit XML: one testcase per rule × subject; failures and errors distinct.
void render_junit(const ReportJson& report, const RenderOptions& options, std::ostream& out);
/// SARIF 2.1.0: rules with help text, results with level from severity, logical locations.
void render_sarif(const ReportJson& report, const RenderOptions& options, std::ostream& out);
/// Findings as CSV, one row each (RFC 4180).
void render_csv(const ReportJson& report, const RenderOptions& options, std::ostream& out);
/// Failing findings as an action plan (åtgärdsplan) CSV: severity, subject, remediation, owner.
void render_actionplan_csv(const ReportJson& report, const RenderOptions& options, std::ostream& out);

}  // namespace lisa
