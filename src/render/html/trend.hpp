// SPDX-License-Identifier: Apache-2.0
// The board report's trend chart (issue 16 item 10), apart from the rest of html.cpp so that it
// can move into a template as it is: the points from the report model, and one inline SVG.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "lisa/report/document.hpp"

namespace lisa::html_trend {

/**
 * The points the chart shows: the report's stored `trend` (earlier full-scope audits, as the
 * scan stored them: never re-read from a history at render time), then the report itself
 * (overall and per-area scores) when it is a full-scope run with a score; one point per date,
 * a later one replacing an earlier one, oldest first. A `--system` report shows no trend.
 */
[[nodiscard]] std::vector<TrendPoint> trend_points(const ReportDocument& report);

/// Words the chart needs, in the report's language.
struct TrendLabels {
    std::string title;       ///< aria-label of the figure
    std::string overall;     ///< legend entry of the overall score
    std::string y_axis;      ///< e.g. "Poäng (0–100)"
    std::string x_axis;      ///< e.g. "Granskningsdatum (tidsskala)"
    std::string this_audit;  ///< under the last point
};

/**
 * Writes the chart: a self-contained `<svg class="chart trend">` (no script, no external asset).
 * The x-axis is time-scaled: each audit sits at its date's distance in days from the first
 * (audits a month apart are close, a year apart far); a date that does not parse falls back to
 * equal spacing for the whole chart. The y-axis is the score 0–100 with gridlines every 25.
 * The overall score is the thick line with a marked point per audit (`<circle>`, one
 * per point; its score written where labels do not collide, always the first and the last);
 * every area with a score at two or more audits is a thinner line of its own colour
 * and dash, named in the legend under the chart (`area_name(id)`, the pack's title in the
 * report's language). `number(v)` formats a score in the report's language.
 * Needs two or more points (the caller shows "no history" otherwise).
 */
void write_trend_chart(std::ostream& out, const std::vector<TrendPoint>& points, const TrendLabels& labels,
                       const std::function<std::string(const std::string&)>& area_name,
                       const std::function<std::string(double)>& number);

}  // namespace lisa::html_trend
