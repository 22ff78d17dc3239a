// SPDX-License-Identifier: Apache-2.0
#include "lisa/report/diff.hpp"

#include "lisa/core/numbers.hpp"
#include "lisa/core/text.hpp"
#include "lisa/report/could_not_check.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>

namespace lisa {
using Json = nlohmann::ordered_json;
namespace {

bool failing(const std::string& s) { return s == "fail" || s == "waived"; }

std::string score_text(const std::optional<double>& v) { return v ? fixed_decimals(*v, 1) : "–"; }

}  // namespace

std::string scope_text(const std::vector<std::string>& systems) {
    if (systems.empty()) {
        return "the whole inventory";
    }
    std::string out = "--system ";
    for (std::size_t i = 0; i < systems.size(); ++i) {
        out += (i > 0 ? "," : "") + systems[i];
    }
    return out;
}

std::optional<std::string> diff_scope_problem(const ReportDocument& older, const ReportDocument& newer) {
    if (older.organization.name != newer.organization.name) {
        return "the reports are of different organisations ('" + older.organization.name + "' and '" +
               newer.organization.name + "')";
    }
    auto sorted = [](std::vector<std::string> v) {
        std::sort(v.begin(), v.end());
        return v;
    };
    if (sorted(older.run.systems) != sorted(newer.run.systems)) {
        return "the reports are of different scope: the older covers " + scope_text(older.run.systems) +
               ", the newer " + scope_text(newer.run.systems) +
               " (compare runs of the same --system selection)";
    }
    return std::nullopt;
}

ReportDiff diff_reports(const ReportDocument& older, const ReportDocument& newer) {
    ReportDiff d;
    d.old_as_of = older.run.as_of;
    d.new_as_of = newer.run.as_of;
    d.rule_pack_changed = older.run.rule_pack_sha256 != newer.run.rule_pack_sha256;
    d.inventory_changed = older.run.inventory_sha256 != newer.run.inventory_sha256;
    using Key = std::pair<std::string, std::string>;
    std::map<Key, DiffEntry> pairs;
    auto collect = [&](const ReportDocument& doc, bool is_new) {
        for (const auto& f : doc.findings) {
            DiffEntry& e = pairs[{f.rule, f.subject}];
            e.rule = f.rule;
            e.subject = f.subject;
            e.severity = std::string(to_string(f.severity));
            (is_new ? e.new_status : e.old_status) = std::string(to_string(f.status));
            if (is_new || e.message.empty()) {
                e.message = f.message;
                e.result = f.result;
            }
        }
    };
    collect(older, false);
    collect(newer, true);
    for (const auto& [key, e] : pairs) {
        const bool was_judged = e.old_status == "pass" || failing(e.old_status);
        if (e.new_status == "fail") {
            if (failing(e.old_status)) {
                d.unchanged.push_back(e);
            } else if (e.old_status == "pass" || e.old_status == "not_applicable") {
                d.regressed.push_back(e);
            } else {
                d.new_failures.push_back(e);
            }
        } else if (e.new_status == "waived" && failing(e.old_status)) {
            d.unchanged.push_back(e);
        } else if (e.new_status == "pass" && failing(e.old_status)) {
            d.fixed.push_back(e);
        } else if (e.new_status == "error" && was_judged) {
            d.new_errors.push_back(e);
        }
    }
    auto areas = [&](const ReportDocument& doc) {
        std::map<std::string, std::optional<double>> out;
        for (const auto& a : doc.score.areas) {
            out[a.result.id] = a.result.score;
        }
        return out;
    };
    const auto old_areas = areas(older);
    const auto new_areas = areas(newer);
    std::map<std::string, AreaDelta> merged;
    // Titles from the older report first, so the newer report's pack words the area.
    for (const ReportDocument* doc : {&older, &newer}) {
        for (const auto& a : doc->score.areas) {
            if (a.title) {
                merged[a.result.id].title_sv = a.title->in("sv");
                merged[a.result.id].title_en = a.title->in("en");
            }
        }
    }
    for (const auto& [id, s] : old_areas) {
        merged[id].id = id;
        merged[id].old_score = s;
    }
    for (const auto& [id, s] : new_areas) {
        merged[id].id = id;
        merged[id].new_score = s;
    }
    for (auto& [id, delta] : merged) {
        d.areas.push_back(delta);
    }
    d.overall.id = "overall";
    d.overall.old_score = older.score.overall.score;
    d.overall.new_score = newer.score.overall.score;
    return d;
}

namespace {

/// A score with one decimal, in the reader's form ("72,5" in Swedish); "–" when there is none.
std::string score_in(const std::optional<double>& v, bool en) { return decimal_sign(score_text(v), en ? "en" : "sv"); }

std::string area_title(const AreaDelta& a, bool en) {
    const std::string& preferred = en ? a.title_en : a.title_sv;
    const std::string& other = en ? a.title_sv : a.title_en;
    return !preferred.empty() ? preferred : !other.empty() ? other : a.id;
}

/// The number of display columns of UTF-8 text (code points; the titles are Latin script).
std::size_t columns(const std::string& text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

class DiffText {
public:
    DiffText(const ReportDiff& d, const Labels& labels, const std::string& lang, std::ostream& stream)
        : d_(d), labels_(labels), lang_(lang == "en" ? "en" : "sv"), en_(lang == "en"), out_(stream) {}

    void write() {
        out_ << w("diff.heading") << ' ' << d_.old_as_of << ' ' << w("diff.to") << ' ' << d_.new_as_of << "\n\n";
        if (d_.rule_pack_changed) {
            out_ << w("diff.rule_pack_changed") << '\n';
        }
        if (d_.inventory_changed) {
            out_ << w("diff.inventory_changed") << '\n';
        }
        if (d_.rule_pack_changed || d_.inventory_changed) {
            out_ << '\n';
        }
        scores();
        section("diff.new_failures", d_.new_failures);
        section("diff.regressed", d_.regressed);
        section("diff.fixed", d_.fixed);
        section("diff.unchanged", d_.unchanged);
        if (!d_.new_errors.empty()) {
            section("diff.new_errors", d_.new_errors);
        }
    }

private:
    [[nodiscard]] std::string w(std::string_view key) const { return labels_.word(key, lang_); }

    /// A status or severity word from the catalogue; "–" for a pair that did not exist.
    [[nodiscard]] std::string word_of(std::string_view prefix, const std::string& id) const {
        return id.empty() ? std::string("–") : labels_.word_or(std::string(prefix) + id, lang_, id);
    }

    void scores() {
        std::vector<std::pair<std::string, const AreaDelta*>> rows;
        rows.emplace_back(w("diff.overall"), &d_.overall);
        for (const auto& a : d_.areas) {
            rows.emplace_back(area_title(a, en_), &a);
        }
        std::size_t width = 0;
        for (const auto& row : rows) {
            width = std::max(width, columns(row.first));
        }
        out_ << w("diff.score") << '\n';
        for (const auto& [title, a] : rows) {
            out_ << "  " << terminal_line(title, 80) << std::string(width + 2 - std::min(width, columns(title)), ' ')
                 << score_in(a->old_score, en_) << " → " << score_in(a->new_score, en_);
            if (a->old_score && a->new_score) {
                char buf[32];
                std::snprintf(buf, sizeof buf, " (%+.1f)", *a->new_score - *a->old_score);
                out_ << decimal_sign(buf, en_ ? "en" : "sv");
            }
            out_ << '\n';
        }
    }

    /// The result as the reports word it: a verdict from its clauses, an error by its cause,
    /// else the engine's line (an older report without structured results).
    [[nodiscard]] std::string result_text(const DiffEntry& e) const {
        if (e.new_status == "error") {
            return cause_for_check(e.message, lang_, labels_);
        }
        return e.result.clauses.empty() ? e.message : labels_.result(e.result, lang_, d_.new_as_of);
    }

    void section(std::string_view key, const std::vector<DiffEntry>& list) {
        out_ << '\n' << w(key) << " (" << list.size() << ")\n";
        for (const auto& e : list) {
            out_ << "  " << terminal_line(e.rule, 80) << "  " << terminal_line(e.subject, 120) << "  ["
                 << terminal_line(word_of("severity.", e.severity), 40) << "] " << word_of("status.", e.old_status)
                 << " → " << word_of("status.", e.new_status);
            if (e.new_status != "pass") {
                if (const std::string text = result_text(e); !text.empty()) {
                    out_ << "  " << terminal_line(text, 400);
                }
            }
            out_ << '\n';
        }
    }

    const ReportDiff& d_;
    const Labels& labels_;
    std::string lang_;
    bool en_;
    TerminalStream out_;  // rule, subject and message come from the reports: sanitised
};

}  // namespace

void write_diff_text(const ReportDiff& d, const Labels& labels, const std::string& lang, std::ostream& stream) {
    DiffText(d, labels, lang, stream).write();
}

void write_diff_json(const ReportDiff& d, std::ostream& out) {
    Json doc;
    doc["old_as_of"] = d.old_as_of;
    doc["new_as_of"] = d.new_as_of;
    doc["rule_pack_changed"] = d.rule_pack_changed;
    doc["inventory_changed"] = d.inventory_changed;
    auto entries = [](const std::vector<DiffEntry>& list) {
        Json arr = Json::array();
        for (const auto& e : list) {
            arr.push_back({{"rule", e.rule}, {"subject", e.subject}, {"severity", e.severity},
                           {"old_status", e.old_status.empty() ? Json(nullptr) : Json(e.old_status)},
                           {"new_status", e.new_status.empty() ? Json(nullptr) : Json(e.new_status)},
                           {"message", e.message}});
        }
        return arr;
    };
    doc["new_failures"] = entries(d.new_failures);
    doc["regressed"] = entries(d.regressed);
    doc["fixed"] = entries(d.fixed);
    doc["unchanged"] = entries(d.unchanged);
    doc["new_errors"] = entries(d.new_errors);
    auto score = [](const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); };
    Json areas = Json::array();
    for (const auto& a : d.areas) {
        areas.push_back({{"id", a.id}, {"old", score(a.old_score)}, {"new", score(a.new_score)}});
    }
    doc["score"] = {{"old", score(d.overall.old_score)}, {"new", score(d.overall.new_score)}, {"areas", areas}};
    out << json_escape_controls(doc.dump(2, ' ', false, Json::error_handler_t::replace)) << '\n';
}

}  // namespace lisa
