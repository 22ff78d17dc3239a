// SPDX-License-Identifier: Apache-2.0
#include "lisa/report/diff.hpp"

#include "lisa/core/text.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>

namespace lisa {
using Json = nlohmann::ordered_json;
namespace {

bool failing(const std::string& s) { return s == "fail" || s == "waived"; }

std::string score_text(const std::optional<double>& v) {
    if (!v) {
        return "–";
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", *v);
    return buf;
}

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

void write_diff_text(const ReportDiff& d, const std::string& lang, std::ostream& stream) {
    TerminalStream out(stream);  // rule, subject and message come from the reports: sanitised
    const bool en = lang == "en";
    out << (en ? "Changes from " : "Förändringar från ") << d.old_as_of << (en ? " to " : " till ")
        << d.new_as_of << "\n\n";
    if (d.rule_pack_changed) {
        out << (en ? "Note: the rule pack changed between the runs; a rule may appear or go for that reason.\n"
                   : "Obs: regelpaketet ändrades mellan körningarna; en regel kan ha tillkommit eller försvunnit "
                     "av det skälet.\n");
    }
    if (d.inventory_changed) {
        out << (en ? "Note: the inventory changed between the runs; a finding may appear or go for that reason.\n"
                   : "Obs: inventariet ändrades mellan körningarna; ett fynd kan ha tillkommit eller försvunnit "
                     "av det skälet.\n");
    }
    if (d.rule_pack_changed || d.inventory_changed) {
        out << '\n';
    }
    auto delta = [&](const AreaDelta& a) {
        out << "  " << a.id << std::string(a.id.size() < 16 ? 16 - a.id.size() : 1, ' ')
            << score_text(a.old_score) << " → " << score_text(a.new_score);
        if (a.old_score && a.new_score) {
            char buf[32];
            std::snprintf(buf, sizeof buf, " (%+.1f)", *a.new_score - *a.old_score);
            out << buf;
        }
        out << '\n';
    };
    out << (en ? "Score\n" : "Poäng\n");
    delta(d.overall);
    for (const auto& a : d.areas) {
        delta(a);
    }
    auto section = [&](const char* sv, const char* english, const std::vector<DiffEntry>& list) {
        out << '\n' << (en ? english : sv) << " (" << list.size() << ")\n";
        for (const auto& e : list) {
            out << "  " << terminal_line(e.rule, 80) << "  " << terminal_line(e.subject, 120) << "  ["
                << terminal_line(e.severity, 20) << "] "
                << (e.old_status.empty() ? "–" : e.old_status) << " → "
                << (e.new_status.empty() ? "–" : e.new_status);
            if (!e.message.empty() && e.new_status != "pass") {
                out << "  " << terminal_line(e.message, 400);
            }
            out << '\n';
        }
    };
    section("Nya brister", "New failures", d.new_failures);
    section("Försämrade", "Regressed", d.regressed);
    section("Åtgärdade", "Fixed", d.fixed);
    section("Kvarstående brister", "Unchanged failures", d.unchanged);
    if (!d.new_errors.empty()) {
        section("Kunde inte kontrolleras nu", "Could not be checked now", d.new_errors);
    }
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
