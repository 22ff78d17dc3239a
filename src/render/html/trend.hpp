// SPDX-License-Identifier: Apache-2.0
// The board report's trend chart (issue 16 item 10): the points from the report model, and the
// chart's geometry for its template (templates/html/trend.mustache).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <kainjow/mustache.hpp>

#include "lisa/report/document.hpp"

namespace lisa::html_trend {

/**
 * The points the chart shows: the report's stored `trend` (earlier full-scope audits, as the
 * scan stored them: never re-read from a history at render time), then the report itself
 * (overall and per-area scores) when it is a full-scope run with a score; one point per date,
 * a later one replacing an earlier one, oldest first. A `--system` report shows no trend.
 */
[[nodiscard]] std::vector<TrendPoint> trend_points(const ReportDocument& report);

/**
 * The chart's values for templates/html/trend.mustache (a `<svg class="chart trend">`, no script,
 * no external asset): geometry and text only, the markup is the template's. The x-axis is
 * time-scaled: each audit sits at its date's distance in days from the first (audits a month
 * apart are close, a year apart far); a date that does not parse falls back to equal spacing for
 * the whole chart. The y-axis is the score 0–100 with gridlines every 25. The overall score is the
 * thick line with a marked point per audit (its score written where labels do not collide, always
 * the first and the last); every area with a score at two or more audits is a thinner line of its
 * own colour and dash, named in the legend under the chart (`area_name(id)`, the pack's title in
 * the report's language; `overall` names the overall line). `number(v)` formats a score in the
 * report's language. Coordinates are strings with one decimal and a dot. Needs two or more points
 * (the caller shows "no history" otherwise). Keys: height, grid, mid_y, left, top, bottom, ticks,
 * mid_x, x_title_y, area_lines, fill, overall_d, points, legend (the template's header comment).
 */
[[nodiscard]] kainjow::mustache::data trend_chart(const std::vector<TrendPoint>& points, const std::string& overall,
                                                  const std::function<std::string(const std::string&)>& area_name,
                                                  const std::function<std::string(double)>& number);

}  // namespace lisa::html_trend
