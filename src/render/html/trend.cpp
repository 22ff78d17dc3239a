// SPDX-License-Identifier: Apache-2.0
#include "trend.hpp"

#include <algorithm>
#include <cstdint>
#include <iomanip>
#include <locale>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "lisa/core/text.hpp"
#include "lisa/core/value.hpp"

namespace lisa::html_trend {
namespace {

std::string coord(double v) {
    std::ostringstream s;
    s.imbue(std::locale::classic());
    s << std::fixed << std::setprecision(1) << v;
    return s.str();
}

std::string esc(std::string_view text) { return html_escape(text); }

// Area lines: colours apart from the overall blue, each with its own dash so that the lines stay
// apart in a black-and-white print.
constexpr const char* kAreaColour[] = {"#c2410c", "#15803d", "#7c3aed", "#0e7490",
                                       "#b45309", "#be185d", "#4d7c0f", "#475569"};
constexpr const char* kAreaDash[] = {"6 3", "2 3", "8 3 2 3", "4 4", "1 2", "10 4"};
constexpr std::size_t kColours = sizeof(kAreaColour) / sizeof(kAreaColour[0]);
constexpr std::size_t kDashes = sizeof(kAreaDash) / sizeof(kAreaDash[0]);

}  // namespace

std::vector<TrendPoint> trend_points(const ReportDocument& report) {
    std::vector<TrendPoint> points;
    if (!report.run.systems.empty()) {
        return points;
    }
    const auto put = [&points](const TrendPoint& point) {
        const auto same = std::find_if(points.begin(), points.end(),
                                       [&](const TrendPoint& p) { return p.as_of == point.as_of; });
        if (same == points.end()) {
            points.push_back(point);
        } else {
            *same = point;
        }
    };
    for (const auto& point : report.trend) {
        put(point);
    }
    if (const auto overall = report.score.overall.score) {
        TrendPoint self{report.run.as_of, *overall, {}};
        for (const auto& area : report.score.areas) {
            if (area.result.score) {
                self.areas[area.result.id] = *area.result.score;
            }
        }
        put(self);  // the report is the score of its own date
    }
    return points;
}

void write_trend_chart(std::ostream& o, const std::vector<TrendPoint>& points, const TrendLabels& labels,
                       const std::function<std::string(const std::string&)>& area_name,
                       const std::function<std::string(double)>& number) {
    constexpr double kLeft = 72;
    constexpr double kRight = 860;
    constexpr double kTop = 24;
    constexpr double kBottom = 214;
    constexpr double kLegendTop = 284;
    constexpr double kLegendRow = 18;
    constexpr double kLegendColumn = 280;
    constexpr double kMinLabelGap = 78;  // px between date labels
    constexpr double kMinScoreGap = 72;  // px between score labels

    // Time scale: days since the first audit; equal spacing when a date does not parse.
    std::vector<double> at(points.size());
    std::vector<std::optional<Date>> dates;
    bool all_dates = true;
    for (const auto& p : points) {
        dates.push_back(Date::parse(p.as_of));
        all_dates = all_dates && dates.back().has_value();
    }
    double span = 0;
    if (all_dates) {
        const std::int64_t first = std::min_element(dates.begin(), dates.end())->value().days;
        const std::int64_t last = std::max_element(dates.begin(), dates.end())->value().days;
        span = static_cast<double>(last - first);
        for (std::size_t i = 0; i < points.size(); ++i) {
            at[i] = span > 0 ? static_cast<double>(dates[i]->days - first) / span : 0.0;
        }
    }
    if (!all_dates || span <= 0) {
        for (std::size_t i = 0; i < points.size(); ++i) {
            at[i] = points.size() > 1 ? static_cast<double>(i) / static_cast<double>(points.size() - 1) : 0.0;
        }
    }
    const auto px = [&](std::size_t i) { return kLeft + (kRight - kLeft) * at[i]; };
    const auto py = [&](double v) { return kBottom - (kBottom - kTop) * std::clamp(v, 0.0, 100.0) / 100.0; };

    // Areas with a score at two or more audits, by id.
    std::map<std::string, std::size_t> area_count;
    for (const auto& p : points) {
        for (const auto& [id, score] : p.areas) {
            ++area_count[id];
        }
    }
    std::vector<std::string> areas;
    for (const auto& [id, n] : area_count) {
        if (n >= 2) {
            areas.push_back(id);
        }
    }
    const std::size_t legend_entries = areas.size() + 1;
    const std::size_t legend_rows = (legend_entries + 2) / 3;
    const double height = kLegendTop + kLegendRow * static_cast<double>(legend_rows) + 6;

    o << "<svg class=\"chart trend\" viewBox=\"0 0 900 " << coord(height) << "\" role=\"img\" aria-label=\""
      << esc(labels.title) << "\">\n";
    // Y axis: gridlines every 25, the axis title turned along it.
    for (int g = 0; g <= 4; ++g) {
        const double y = py(g * 25.0);
        o << "<line x1=\"" << coord(kLeft) << "\" y1=\"" << coord(y) << "\" x2=\"" << coord(kRight) << "\" y2=\""
          << coord(y) << "\" stroke=\"#d9dee5\"" << (g == 0 ? "" : " stroke-dasharray=\"3 3\"") << "/><text x=\""
          << coord(kLeft - 10) << "\" y=\"" << coord(y + 4)
          << "\" font-size=\"11\" fill=\"#5b6776\" text-anchor=\"end\">" << g * 25 << "</text>\n";
    }
    o << "<text class=\"axis-title\" x=\"14\" y=\"" << coord((kTop + kBottom) / 2) << "\" transform=\"rotate(-90 14 "
      << coord((kTop + kBottom) / 2) << ")\" font-size=\"11\" fill=\"#5b6776\" text-anchor=\"middle\">"
      << esc(labels.y_axis) << "</text>\n";
    o << "<line x1=\"" << coord(kLeft) << "\" y1=\"" << coord(kTop) << "\" x2=\"" << coord(kLeft) << "\" y2=\""
      << coord(kBottom) << "\" stroke=\"#9aa5b1\"/>\n";
    // X axis: a tick at every audit, a date label where there is room (always the first and last).
    std::vector<bool> labelled(points.size(), false);
    if (!points.empty()) {
        labelled.back() = true;
        double previous = -1e9;
        for (std::size_t i = 0; i + 1 < points.size(); ++i) {
            if (px(i) - previous >= kMinLabelGap && px(points.size() - 1) - px(i) >= kMinLabelGap) {
                labelled[i] = true;
                previous = px(i);
            }
        }
        labelled.front() = true;
    }
    for (std::size_t i = 0; i < points.size(); ++i) {
        const double x = px(i);
        o << "<line x1=\"" << coord(x) << "\" y1=\"" << coord(kBottom) << "\" x2=\"" << coord(x) << "\" y2=\""
          << coord(kBottom + 5) << "\" stroke=\"#9aa5b1\"/>";
        if (labelled[i]) {
            const bool last = i + 1 == points.size();
            const char* anchor = i == 0 ? "start" : (last ? "end" : "middle");
            o << "<text x=\"" << coord(x) << "\" y=\"" << coord(kBottom + 18)
              << "\" font-size=\"11\" fill=\"#5b6776\" text-anchor=\"" << anchor << "\">" << esc(points[i].as_of)
              << "</text>";
        }
        o << '\n';
    }
    o << "<text class=\"axis-title\" x=\"" << coord((kLeft + kRight) / 2) << "\" y=\"" << coord(kBottom + 46)
      << "\" font-size=\"11\" fill=\"#5b6776\" text-anchor=\"middle\">" << esc(labels.x_axis) << "</text>\n";

    // Each area: a thin line through the audits that scored it.
    for (std::size_t a = 0; a < areas.size(); ++a) {
        std::string line;
        for (std::size_t i = 0; i < points.size(); ++i) {
            const auto it = points[i].areas.find(areas[a]);
            if (it != points[i].areas.end()) {
                line += (line.empty() ? "M" : "L") + coord(px(i)) + " " + coord(py(it->second));
            }
        }
        o << "<path class=\"area-line\" data-area=\"" << esc(areas[a]) << "\" d=\"" << line
          << "\" fill=\"none\" stroke=\"" << kAreaColour[a % kColours] << "\" stroke-width=\"1.5\" stroke-dasharray=\""
          << kAreaDash[a % kDashes] << "\"><title>" << esc(area_name(areas[a])) << "</title></path>\n";
    }
    // The overall score: area under it, the line, and a labelled marker per audit.
    std::string line;
    for (std::size_t i = 0; i < points.size(); ++i) {
        line += (i == 0 ? "M" : "L") + coord(px(i)) + " " + coord(py(points[i].score));
    }
    if (!points.empty()) {
        o << "<path d=\"" << line << "L" << coord(px(points.size() - 1)) << " " << coord(kBottom) << "L"
          << coord(px(0)) << " " << coord(kBottom) << "Z\" fill=\"#e4edf7\" opacity=\"0.5\"/>\n";
    }
    o << "<path class=\"overall-line\" d=\"" << line
      << "\" fill=\"none\" stroke=\"#1d4e89\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>\n";
    // Score labels where they do not run into each other: always the first and the last.
    std::vector<bool> scored(points.size(), false);
    if (!points.empty()) {
        double previous = -1e9;
        for (std::size_t i = 0; i + 1 < points.size(); ++i) {
            if (px(i) - previous >= kMinScoreGap && px(points.size() - 1) - px(i) >= kMinScoreGap) {
                scored[i] = true;
                previous = px(i);
            }
        }
        scored.front() = true;
        scored.back() = true;
    }
    for (std::size_t i = 0; i < points.size(); ++i) {
        const bool last = i + 1 == points.size();
        const double x = px(i);
        const double y = py(points[i].score);
        const char* anchor = i == 0 ? "start" : (last ? "end" : "middle");
        o << "<g><title>" << esc(points[i].as_of) << ": " << number(points[i].score);
        for (const auto& [id, score] : points[i].areas) {
            o << "; " << esc(area_name(id)) << " " << number(score);
        }
        o << "</title><circle cx=\"" << coord(x) << "\" cy=\"" << coord(y) << "\" r=\"" << (last ? "6" : "4")
          << "\" fill=\"" << (last ? "#1d4e89" : "#ffffff") << "\" stroke=\"#1d4e89\" stroke-width=\"2\"/>";
        if (scored[i]) {
            o << "<text x=\"" << coord(x) << "\" y=\"" << coord(y - 11) << "\" font-size=\"12\" "
              << "font-weight=\"700\" fill=\"#1f2933\" text-anchor=\"" << anchor << "\">" << number(points[i].score)
              << "</text>";
        }
        if (last) {
            o << "<text x=\"" << coord(x) << "\" y=\"" << coord(kBottom + 32)
              << "\" font-size=\"11\" fill=\"#1d4e89\" text-anchor=\"end\">" << esc(labels.this_audit) << "</text>";
        }
        o << "</g>\n";
    }
    // Legend: the overall score first, then the areas, three to a row.
    o << "<g class=\"legend\" font-size=\"11\" fill=\"#1f2933\">";
    for (std::size_t e = 0; e < legend_entries; ++e) {
        const double x = kLeft + kLegendColumn * static_cast<double>(e % 3);
        const double y = kLegendTop + kLegendRow * static_cast<double>(e / 3);
        if (e == 0) {
            o << "<line x1=\"" << coord(x) << "\" y1=\"" << coord(y - 4) << "\" x2=\"" << coord(x + 24) << "\" y2=\""
              << coord(y - 4) << "\" stroke=\"#1d4e89\" stroke-width=\"2.5\"/><text x=\"" << coord(x + 30)
              << "\" y=\"" << coord(y) << "\">" << esc(labels.overall) << "</text>";
        } else {
            const std::size_t a = e - 1;
            o << "<line x1=\"" << coord(x) << "\" y1=\"" << coord(y - 4) << "\" x2=\"" << coord(x + 24) << "\" y2=\""
              << coord(y - 4) << "\" stroke=\"" << kAreaColour[a % kColours] << "\" stroke-width=\"1.5\" "
              << "stroke-dasharray=\"" << kAreaDash[a % kDashes] << "\"/><text x=\"" << coord(x + 30) << "\" y=\""
              << coord(y) << "\">" << esc(area_name(areas[a])) << "</text>";
        }
    }
    o << "</g>\n</svg>\n";
}

}  // namespace lisa::html_trend
