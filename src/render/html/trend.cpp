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

#include "lisa/core/value.hpp"

namespace lisa::html_trend {
namespace {

std::string coord(double v) {
    std::ostringstream s;
    s.imbue(std::locale::classic());
    s << std::fixed << std::setprecision(1) << v;
    return s.str();
}

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

namespace {

namespace mu = kainjow::mustache;

constexpr double kLeft = 72;
constexpr double kRight = 860;
constexpr double kTop = 24;
constexpr double kBottom = 214;
constexpr double kLegendTop = 284;
constexpr double kLegendRow = 18;
constexpr double kLegendColumn = 280;
constexpr double kMinLabelGap = 78;  // px between date labels
constexpr double kMinScoreGap = 72;  // px between score labels

mu::data flag(bool on) { return on ? mu::data::type::bool_true : mu::data::type::bool_false; }

/// Where each audit sits on the x-axis, 0–1: days since the first; equal spacing when a date does
/// not parse or all dates are the same.
std::vector<double> time_scale(const std::vector<TrendPoint>& points) {
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
    return at;
}

/// Which of `xs` get a label: spaced at least `gap` apart and from the last; the first and the
/// last always.
std::vector<bool> spaced(const std::vector<double>& xs, double gap) {
    std::vector<bool> on(xs.size(), false);
    if (xs.empty()) {
        return on;
    }
    double previous = -1e9;
    for (std::size_t i = 0; i + 1 < xs.size(); ++i) {
        if (xs[i] - previous >= gap && xs.back() - xs[i] >= gap) {
            on[i] = true;
            previous = xs[i];
        }
    }
    on.front() = true;
    on.back() = true;
    return on;
}

class Chart {
public:
    Chart(const std::vector<TrendPoint>& points, const std::function<std::string(const std::string&)>& area_name,
          const std::function<std::string(double)>& number)
        : points_(points), area_name_(area_name), number_(number) {
        for (const double a : time_scale(points)) {
            xs_.push_back(kLeft + (kRight - kLeft) * a);
        }
        std::map<std::string, std::size_t> count;  // areas with a score at two or more audits, by id
        for (const auto& p : points) {
            for (const auto& [id, score] : p.areas) {
                ++count[id];
            }
        }
        for (const auto& [id, n] : count) {
            if (n >= 2) {
                areas_.push_back(id);
            }
        }
    }

    [[nodiscard]] static double py(double v) { return kBottom - (kBottom - kTop) * std::clamp(v, 0.0, 100.0) / 100.0; }

    /// Y gridlines every 25 and the x-axis: a tick at every audit, a date where there is room.
    void axes(mu::data& chart) const {
        mu::data grid{mu::data::type::list};
        for (int g = 0; g <= 4; ++g) {
            const double y = py(g * 25.0);
            mu::data line;
            line.set("x1", coord(kLeft));
            line.set("x2", coord(kRight));
            line.set("y", coord(y));
            line.set("dashed", flag(g != 0));
            line.set("tx", coord(kLeft - 10));
            line.set("ty", coord(y + 4));
            line.set("label", std::to_string(g * 25));
            grid.push_back(line);
        }
        chart.set("grid", grid);
        const std::vector<bool> labelled = spaced(xs_, kMinLabelGap);
        mu::data ticks{mu::data::type::list};
        for (std::size_t i = 0; i < points_.size(); ++i) {
            mu::data tick;
            tick.set("x", coord(xs_[i]));
            if (labelled[i]) {
                mu::data label;
                label.set("ly", coord(kBottom + 18));
                label.set("anchor", i == 0 ? "start" : (i + 1 == points_.size() ? "end" : "middle"));
                label.set("date", points_[i].as_of);
                tick.set("label", label);
            }
            ticks.push_back(tick);
        }
        chart.set("ticks", ticks);
    }

    /// One thin line per area, then the overall score's area, line and labelled markers.
    void lines(mu::data& chart) const {
        mu::data area_lines{mu::data::type::list};
        for (std::size_t a = 0; a < areas_.size(); ++a) {
            std::string d;
            for (std::size_t i = 0; i < points_.size(); ++i) {
                const auto it = points_[i].areas.find(areas_[a]);
                if (it != points_[i].areas.end()) {
                    d += (d.empty() ? "M" : "L") + coord(xs_[i]) + " " + coord(py(it->second));
                }
            }
            mu::data line;
            line.set("id", areas_[a]);
            line.set("d", d);
            line.set("colour", kAreaColour[a % kColours]);
            line.set("dash", kAreaDash[a % kDashes]);
            line.set("name", area_name_(areas_[a]));
            area_lines.push_back(line);
        }
        chart.set("area_lines", area_lines);
        std::string d;
        for (std::size_t i = 0; i < points_.size(); ++i) {
            d += (i == 0 ? "M" : "L") + coord(xs_[i]) + " " + coord(py(points_[i].score));
        }
        if (!points_.empty()) {
            mu::data fill;
            fill.set("d", d + "L" + coord(xs_.back()) + " " + coord(kBottom) + "L" + coord(xs_.front()) + " " +
                              coord(kBottom) + "Z");
            chart.set("fill", fill);
        }
        chart.set("overall_d", d);
        markers(chart);
    }

    void markers(mu::data& chart) const {
        const std::vector<bool> scored = spaced(xs_, kMinScoreGap);
        mu::data list{mu::data::type::list};
        for (std::size_t i = 0; i < points_.size(); ++i) {
            const bool last = i + 1 == points_.size();
            const double y = py(points_[i].score);
            mu::data point;
            point.set("date", points_[i].as_of);
            point.set("score", number_(points_[i].score));
            mu::data areas{mu::data::type::list};
            for (const auto& [id, score] : points_[i].areas) {
                mu::data area;
                area.set("name", area_name_(id));
                area.set("score", number_(score));
                areas.push_back(area);
            }
            point.set("areas", areas);
            point.set("x", coord(xs_[i]));
            point.set("y", coord(y));
            point.set("r", last ? "6" : "4");
            point.set("fill_colour", last ? "#1d4e89" : "#ffffff");
            point.set("scored", flag(scored[i]));
            point.set("ly", coord(y - 11));
            point.set("anchor", i == 0 ? "start" : (last ? "end" : "middle"));
            point.set("last", flag(last));
            point.set("this_y", coord(kBottom + 32));
            list.push_back(point);
        }
        chart.set("points", list);
    }

    /// The legend: the overall score first, then the areas, three to a row.
    [[nodiscard]] double legend(mu::data& chart, const std::string& overall) const {
        const std::size_t entries = areas_.size() + 1;
        mu::data list{mu::data::type::list};
        for (std::size_t e = 0; e < entries; ++e) {
            const double x = kLeft + kLegendColumn * static_cast<double>(e % 3);
            const double y = kLegendTop + kLegendRow * static_cast<double>(e / 3);
            mu::data entry;
            entry.set("x", coord(x));
            entry.set("x2", coord(x + 24));
            entry.set("ly", coord(y - 4));
            entry.set("tx", coord(x + 30));
            entry.set("y", coord(y));
            entry.set("colour", e == 0 ? "#1d4e89" : kAreaColour[(e - 1) % kColours]);
            entry.set("width", e == 0 ? "2.5" : "1.5");
            if (e > 0) {
                entry.set("dash", kAreaDash[(e - 1) % kDashes]);
            }
            entry.set("name", e == 0 ? overall : area_name_(areas_[e - 1]));
            list.push_back(entry);
        }
        chart.set("legend", list);
        const std::size_t rows = (entries + 2) / 3;
        return kLegendTop + kLegendRow * static_cast<double>(rows) + 6;
    }

private:
    const std::vector<TrendPoint>& points_;
    const std::function<std::string(const std::string&)>& area_name_;
    const std::function<std::string(double)>& number_;
    std::vector<double> xs_;
    std::vector<std::string> areas_;
};

}  // namespace

mu::data trend_chart(const std::vector<TrendPoint>& points, const std::string& overall,
                     const std::function<std::string(const std::string&)>& area_name,
                     const std::function<std::string(double)>& number) {
    const Chart c(points, area_name, number);
    mu::data chart;
    chart.set("height", coord(c.legend(chart, overall)));
    c.axes(chart);
    chart.set("mid_y", coord((kTop + kBottom) / 2));
    chart.set("left", coord(kLeft));
    chart.set("top", coord(kTop));
    chart.set("bottom", coord(kBottom));
    chart.set("tick_end", coord(kBottom + 5));
    chart.set("mid_x", coord((kLeft + kRight) / 2));
    chart.set("x_title_y", coord(kBottom + 46));
    c.lines(chart);
    return chart;
}

}  // namespace lisa::html_trend
