// SPDX-License-Identifier: Apache-2.0
// Page one for the board (page_one_html.hpp): the words, then the template.
#include "page_one_html.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <utility>
#include <vector>

#include <kainjow/mustache.hpp>

#include "lisa/core/numbers.hpp"
#include "lisa/core/text.hpp"
#include "lisa/report/could_not_check.hpp"
#include "lisa/report/page_one.hpp"
#include "templates.hpp"
#include "trend.hpp"

namespace lisa::html_page_one {

namespace {

namespace mu = kainjow::mustache;

/// An area must move at least this much (points) to be named under "what changed".
constexpr double kAreaMoved = 0.5;

class Words {
public:
    Words(const ReportDocument& report, const RenderOptions& options)
        : r_(report), labels_(options.words()), lang_(options.lang == "en" ? "en" : "sv") {}

    [[nodiscard]] std::string word(std::string_view key) const { return labels_.word(key, lang_); }
    [[nodiscard]] std::string format(std::string_view key,
                                     std::initializer_list<std::pair<std::string_view, std::string>> values) const {
        return labels_.format(key, lang_, values);
    }

    /// A score or target: whole numbers without decimals, else up to two; a decimal comma in sv.
    [[nodiscard]] std::string number(double v) const {
        std::string s = fixed_decimals(std::round(v * 100.0) / 100.0, 2);
        s.erase(s.find_last_not_of('0') + 1);  // "72.50" → "72.5", "73.00" → "73."
        if (s.back() == '.') {
            s.pop_back();
        }
        return decimal_sign(s, lang_);
    }

    /// A share 0–1 as a percentage: whole, or one decimal (more only for a share just above the
    /// 10 % rule); "10 %" in sv (no-break space), "10%" in en.
    [[nodiscard]] std::string percent(double share) const {
        const double pct = share * 100.0;
        double tenth = std::round(pct * 10.0) / 10.0;
        // A share above the 10 % rule is never printed as the rule's own figure (10.05 % is not
        // "10 %, more than 10 %"): more decimals until it differs.
        const double cap = kUncheckedCap * 100.0;
        for (double scale = 100.0; pct > cap && tenth <= cap && scale <= 1e6; scale *= 10.0) {
            tenth = std::ceil(pct * scale) / scale;
        }
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, std::fabs(tenth - std::round(tenth)) < 1e-9 ? "%.0f" : "%.6g", tenth);
        return decimal_sign(buffer, lang_) + (lang_ == "sv" ? "\u00a0%" : "%");
    }

    [[nodiscard]] std::string rule_title(const std::string& rule) const {
        const auto pick = [this](const Text& t) {
            const std::string& preferred = t.in(lang_);
            return preferred.empty() ? t.in(lang_ == "sv" ? "en" : "sv") : preferred;
        };
        if (const RuleEntry* entry = r_.find_rule(rule)) {
            if (std::string title = pick(entry->title); !title.empty()) {
                return title;
            }
        }
        for (const auto& f : r_.findings) {
            if (f.rule == rule) {
                if (std::string title = pick(f.title); !title.empty()) {
                    return title;
                }
            }
        }
        return word("board.risk.unnamed");
    }

    [[nodiscard]] const std::string& lang() const { return lang_; }
    [[nodiscard]] const ReportDocument& report() const { return r_; }

private:
    const ReportDocument& r_;
    const Labels& labels_;
    std::string lang_;
};

void verdict(const Words& w, mu::data& page) {
    const ReportDocument& r = w.report();
    const BoardTarget& target = r.board_target;
    const UncheckedShare unchecked = unchecked_share(r);
    const std::optional<double> score = r.score.overall.score;
    const VerdictResult v = board_verdict(score, unchecked, target);
    static constexpr std::pair<BoardVerdict, const char*> kClasses[] = {
        {BoardVerdict::Green, "green"}, {BoardVerdict::Amber, "amber"},
        {BoardVerdict::Red, "red"}, {BoardVerdict::NoTarget, "none"}};
    for (const auto& [verdict, cls] : kClasses) {
        if (verdict == v.verdict) {
            page.set("verdict_class", cls);
            // Amber because too much could not be checked is said so, not "close to the target".
            const std::string key = verdict == BoardVerdict::NoTarget ? "no_target" : v.tempered ? "amber_unchecked" : cls;
            page.set("verdict_word", w.word("board.verdict." + key));
        }
    }
    const std::string cap = w.percent(kUncheckedCap);
    if (!score) {
        page.set("score_line", w.word("board.score.none"));
    } else if (!target.target_score) {
        page.set("score_line", w.format("board.score.no_target", {{"score", w.number(*score)}}));
    } else {
        page.set("score_line", w.format("board.score", {{"score", w.number(*score)}, {"target", w.number(*target.target_score)}}));
    }
    if (v.tempered) {
        page.set("tempered_line", w.format("board.tempered", {{"share", w.percent(unchecked.share())}, {"cap", cap}}));
    }
    if (!target.target_score) {
        page.set("rule_note", w.word("board.rule.no_target"));
    } else if (target.amber_from) {
        page.set("rule_note", w.format("board.rule.amber", {{"target", w.number(*target.target_score)},
                                                            {"amber", w.number(*target.amber_from)}, {"cap", cap}}));
    } else {
        page.set("rule_note", w.format("board.rule.no_amber", {{"target", w.number(*target.target_score)}, {"cap", cap}}));
    }
}

void risks(const Words& w, mu::data& page) {
    mu::data list{mu::data::type::list};
    const auto top = top_risks(w.report());
    for (const BoardRisk& risk : top) {
        const std::string owner = risk.owner && !risk.owner->empty()
                                      ? w.format("board.risk.owner", {{"owner", *risk.owner}})
                                      : w.word("board.risk.no_owner");
        const std::string places =
            risk.findings > 1 ? w.format("board.risk.places", {{"n", std::to_string(risk.findings)}}) : std::string();
        mu::data item;
        item.set("title", w.rule_title(risk.rule));
        item.set("detail", w.format("board.risk.detail",
                                    {{"place", risk.place_name.empty() ? w.word("board.risk.unnamed") : risk.place_name},
                                     {"severity", w.word("severity." + std::string(to_string(risk.severity)))},
                                     {"places", places},
                                     {"owner", owner}}));
        list.push_back(item);
    }
    page.set("risks_title", w.word("board.risks_title"));
    // No failure found is news only when the checks ran: with checks that could not run, say so.
    const UncheckedShare share = unchecked_share(w.report());
    page.set("no_risks", share.unchecked == 0 ? w.word("board.no_risks")
                                              : w.format("board.no_risks.unchecked", {{"n", std::to_string(share.unchecked)},
                                                                                       {"total", std::to_string(share.total)}}));
    page.set("has_risks", top.empty() ? mu::data::type::bool_false : mu::data::type::bool_true);
    page.set("risks", list);
}

/// "What changed since the last audit": the score then and now, and the areas that moved.
void changes(const Words& w, mu::data& page) {
    const ReportDocument& r = w.report();
    page.set("changes_title", w.word("board.changes_title"));
    page.set("has_area_changes", mu::data::type::bool_false);
    const std::vector<TrendPoint> points = html_trend::trend_points(r);
    const TrendPoint* then = nullptr;
    for (const auto& p : points) {
        if (p.as_of != r.run.as_of) {
            then = &p;  // oldest first: the last earlier audit wins
        }
    }
    if (then == nullptr) {
        page.set("changes_line", w.word("board.changes.none"));
        return;
    }
    const std::optional<double> now = r.score.overall.score;
    if (!now) {
        page.set("changes_line", w.format("board.changes.score_gone", {{"then", w.number(then->score)}, {"date", then->as_of}}));
        return;
    }
    page.set("changes_line", w.format("board.changes.score", {{"then", w.number(then->score)},
                                                              {"date", then->as_of},
                                                              {"now", w.number(*now)}}));
    std::vector<std::pair<double, std::string>> moved;  // |delta|, text
    for (const auto& area : r.score.areas) {
        const auto old = then->areas.find(area.result.id);
        if (!area.result.score || old == then->areas.end()) {
            continue;
        }
        const double delta = *area.result.score - old->second;
        if (std::fabs(delta) < kAreaMoved) {
            continue;
        }
        moved.emplace_back(std::fabs(delta), w.format(delta > 0 ? "board.changes.up" : "board.changes.down",
                                                      {{"area", r.area_title(area.result.id, w.lang())},
                                                       {"delta", w.number(std::fabs(delta))},
                                                       {"then", w.number(old->second)},
                                                       {"now", w.number(*area.result.score)}}));
    }
    std::stable_sort(moved.begin(), moved.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    if (moved.empty()) {
        if (!then->areas.empty()) {
            page.set("changes_line", page.get("changes_line")->string_value() + " " + w.word("board.changes.areas_same"));
        }
        return;
    }
    mu::data list{mu::data::type::list};
    for (const auto& [size, text] : moved) {
        mu::data item;
        item.set("text", text);
        list.push_back(item);
    }
    page.set("has_area_changes", mu::data::type::bool_true);
    page.set("area_changes", list);
}

/// "How much could not be checked": the share and the causes in words (could_not_check.hpp).
void unchecked(const Words& w, mu::data& page) {
    const UncheckedShare share = unchecked_share(w.report());
    page.set("unchecked_title", w.word("board.unchecked_title"));
    page.set("has_causes", mu::data::type::bool_false);
    if (share.total == 0) {
        page.set("unchecked_line", w.word("board.unchecked.nothing"));
        return;
    }
    if (share.unchecked == 0) {
        page.set("unchecked_line", w.word("board.unchecked.none"));
        return;
    }
    page.set("unchecked_line", w.format("board.unchecked.share", {{"n", std::to_string(share.unchecked)},
                                                                  {"total", std::to_string(share.total)},
                                                                  {"share", w.percent(share.share())}}));
    mu::data list{mu::data::type::list};
    for (const CauseGroup& group : group_could_not_check(w.report())) {
        mu::data item;
        const std::size_t n = std::max<std::size_t>(group.targets.size(), 1);
        item.set("text", w.format(group.checks == 1 ? "board.cause.one" : "board.cause.many",
                                  {{"cause", cause_text(group.cause, n, w.lang())}, {"n", std::to_string(group.checks)}}));
        list.push_back(item);
    }
    page.set("has_causes", mu::data::type::bool_true);
    page.set("causes", list);
}

}  // namespace

namespace {

constexpr const char* kTemplate = "html/page_one.mustache";

}  // namespace

Result<bool> check_template(const RenderOptions& options) {
    auto text = html_templates::checked_template(options, kTemplate);
    if (!text) return text.error();
    return true;
}

std::string render(const ReportDocument& report, const RenderOptions& options) {
    const Words w(report, options);
    mu::data page;
    page.set("title", w.word("board.title"));
    page.set("lead", w.word("board.lead"));
    verdict(w, page);
    risks(w, page);
    changes(w, page);
    unchecked(w, page);

    // The CLI checks the template before it scans (check_html_templates): a problem here is a
    // template changed during the run.
    return html_templates::render(options, kTemplate, page);
}

}  // namespace lisa::html_page_one

namespace lisa {

Result<bool> check_html_templates(const RenderOptions& options) {
    // Every template the report uses, in the order it uses them, then every file under a name it
    // does not use: all problems in one run, one per line.
    std::string problems;
    for (const std::string_view name : html_templates::report_templates()) {
        if (auto text = html_templates::checked_template(options, name); !text) {
            problems += (problems.empty() ? "" : "\n") + text.error().message;
        }
    }
    for (const std::string& unknown : html_templates::unknown_templates(options)) {
        problems += (problems.empty() ? "" : "\n") + unknown;
    }
    if (!problems.empty()) {
        return Error{problems};
    }
    return true;
}

}  // namespace lisa
