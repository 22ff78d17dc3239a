// SPDX-License-Identifier: Apache-2.0
#include "lisa/report/central.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "lisa/core/text.hpp"

namespace lisa {
namespace {

using Json = nlohmann::json;

Json optional_number(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

Json counts_json(const StatusCounts& counts) {
    Json j = Json::object();
    for (auto s : {Status::Pass, Status::Fail, Status::Error, Status::NotApplicable, Status::Waived}) {
        j[std::string(to_string(s))] = counts[static_cast<std::size_t>(s)];
    }
    return j;
}

Json area_json(const AreaScore& a, const char* score, const char* without) {
    return {{score, optional_number(a.score)},
            {without, optional_number(a.score_without_waivers)},
            {"coverage", a.coverage},
            {"rules_judged", a.rules_judged},
            {"findings_by_status", counts_json(a.by_status)}};
}

bool is_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
        return false;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i != 4 && i != 7 && !std::isdigit(static_cast<unsigned char>(s[i]))) {
            return false;
        }
    }
    return true;
}

/// A real calendar date YYYY-MM-DD (2026-13-45 and 2025-02-29 are not).
bool is_calendar_date(const std::string& s) {
    if (!is_date(s)) {
        return false;
    }
    const int y = std::stoi(s.substr(0, 4));
    const int m = std::stoi(s.substr(5, 2));
    const int d = std::stoi(s.substr(8, 2));
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m >= 1 && m <= 12 && d >= 1 && d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

// The profile's documented shape (central.hpp), checked key by key: a signed profile is still
// input from outside, and what the store keeps is read back by every aggregate.
enum Kind : unsigned { kString = 1, kNumber = 2, kInteger = 4, kBool = 8, kNull = 16, kObject = 32, kArray = 64 };
struct Field {
    const char* key;
    unsigned kinds;
    bool required = true;  ///< false: may be left out (written by lisa since a later version)
};
constexpr std::size_t kMaxText = 512;  ///< bytes of any one string in a profile

bool of_kind(const Json& v, unsigned kinds) {
    return ((kinds & kString) && v.is_string() && v.get_ref<const std::string&>().size() <= kMaxText) ||
           ((kinds & kNumber) && v.is_number()) || ((kinds & kInteger) && v.is_number_integer()) ||
           ((kinds & kBool) && v.is_boolean()) || ((kinds & kNull) && v.is_null()) ||
           ((kinds & kObject) && v.is_object()) || ((kinds & kArray) && v.is_array());
}

class ShapeCheck {
public:
    /// `v` at `path` is an object with exactly `fields` (every one present, of its kinds).
    bool object(const Json& v, const std::string& path, std::initializer_list<Field> fields) {
        if (!v.is_object()) {
            return fail((path.empty() ? std::string("the profile") : path) + " must be an object");
        }
        for (auto it = v.begin(); it != v.end(); ++it) {
            const std::string& key = it.key();  // a named reference: C++17 lambdas cannot capture bindings
            if (std::none_of(fields.begin(), fields.end(), [&](const Field& f) { return key == f.key; })) {
                fail((path.empty() ? std::string("the profile") : path) + " has a key the profile does not have: " +
                     terminal_line(key, 60));
            }
        }
        bool ok = true;
        for (const Field& f : fields) {
            if ((f.required || v.contains(f.key)) && (!v.contains(f.key) || !of_kind(v[f.key], f.kinds))) {
                ok = fail((path.empty() ? std::string() : path + ".") + f.key + (v.contains(f.key) ? " has the wrong type or is too long" : " is missing"));
            }
        }
        return ok && problems_.empty();
    }
    /// `v` is an array; each element checked by `each`.
    template <typename Each>
    void array(const Json& v, const std::string& path, Each each) {
        if (!v.is_array()) {
            fail(path + " must be an array");
            return;
        }
        for (std::size_t i = 0; i < v.size() && problems_.size() < 5; ++i) {
            each(v[i], path + "[" + std::to_string(i) + "]");
        }
    }
    bool fail(std::string problem) {
        if (problems_.size() < 5) problems_.push_back(std::move(problem));
        return false;
    }
    [[nodiscard]] const std::vector<std::string>& problems() const { return problems_; }

private:
    std::vector<std::string> problems_;
};

void check_counts(ShapeCheck& c, const Json& v, const std::string& path) {
    c.object(v, path, {{"error", kInteger}, {"fail", kInteger}, {"not_applicable", kInteger}, {"pass", kInteger}, {"waived", kInteger}});
}

void check_score(ShapeCheck& c, const Json& score) {
    if (c.object(score, "score", {{"overall", kNumber | kNull}, {"overall_without_waivers", kNumber | kNull, false},
                                  {"coverage", kNumber}, {"rules_judged", kInteger}, {"findings_by_status", kObject},
                                  {"areas", kArray}})) {
        check_counts(c, score["findings_by_status"], "score.findings_by_status");
        c.array(score["areas"], "score.areas", [&](const Json& a, const std::string& at) {
            if (c.object(a, at, {{"id", kString}, {"score", kNumber | kNull}, {"score_without_waivers", kNumber | kNull, false},
                                 {"coverage", kNumber}, {"rules_judged", kInteger}, {"findings_by_status", kObject}})) {
                check_counts(c, a["findings_by_status"], at + ".findings_by_status");
            }
        });
    }
}

void check_indicators(ShapeCheck& c, const Json& indicators) {
    c.array(indicators, "indicators", [&](const Json& i, const std::string& at) {
        if (!c.object(i, at, {{"id", kString}, {"scope", kString | kNull}, {"answer", kString | kNull},
                              {"evidenced", kBool}, {"complete", kBool}, {"by_provenance", kObject}})) {
            return;
        }
        for (const auto& [kind, n] : i["by_provenance"].items()) {
            if ((kind != "declared" && kind != "document" && kind != "probed") || !n.is_number_unsigned()) {
                c.fail(at + ".by_provenance must count units as declared, document or probed");
            }
        }
    });
}

void check_results(ShapeCheck& c, const Json& results) {
    static const std::set<std::string> kStatuses = {"pass", "fail", "error", "not_applicable", "waived"};
    c.array(results, "results", [&](const Json& r, const std::string& at) {
        const bool ok = c.object(r, at, {{"rule", kString}, {"subject", kString}, {"subject_kind", kString},
                                         {"status", kString}, {"severity", kString}, {"area", kString},
                                         {"indicator", kString, false}});
        if (ok && kStatuses.count(r["status"].get<std::string>()) == 0) {
            c.fail(at + ".status is not a status lisa writes");
        }
    });
}

/// Every problem of the profile's shape (at most 5), or none.
std::vector<std::string> shape_problems(const Json& doc) {
    ShapeCheck c;
    if (!c.object(doc, "", {{"profile", kString}, {"profile_version", kInteger}, {"tool", kObject},
                                       {"run", kObject}, {"organization", kObject}, {"score", kObject},
                                       {"indicators", kArray}, {"results", kArray}})) {
        return c.problems();
    }
    c.object(doc["tool"], "tool", {{"name", kString}, {"version", kString}});
    if (c.object(doc["run"], "run", {{"as_of", kString}, {"started", kString}, {"finished", kString},
                                     {"rule_pack_sha256", kString}, {"inventory_sha256", kString},
                                     {"systems", kArray}, {"complete", kBool}})) {
        c.array(doc["run"]["systems"], "run.systems", [&](const Json& v, const std::string& at) {
            if (!of_kind(v, kString)) c.fail(at + " must be a system id");
        });
    }
    c.object(doc["organization"], "organization", {{"name", kString}, {"municipality_code", kString},
                                                   {"population", kInteger | kNull}, {"size_group", kString | kNull},
                                                   {"size_group_2021", kString | kNull}});
    check_score(c, doc["score"]);
    check_indicators(c, doc["indicators"]);
    check_results(c, doc["results"]);
    return c.problems();
}

}  // namespace

std::string central_profile(const ReportDocument& doc) {
    // Built by selection from the typed report: only these fields exist to be copied.
    Json out = Json::object();
    out["profile"] = "lisa-central";
    out["profile_version"] = 1;
    out["tool"] = {{"name", doc.run.tool_name}, {"version", doc.run.tool_version}};
    out["run"] = {{"as_of", doc.run.as_of},
                  {"started", doc.run.started},
                  {"finished", doc.run.finished},
                  {"rule_pack_sha256", doc.run.rule_pack_sha256},
                  {"inventory_sha256", doc.run.inventory_sha256},
                  {"systems", doc.run.systems},
                  {"complete", doc.run.complete}};
    out["organization"] = {{"name", doc.organization.name},
                           {"municipality_code", doc.organization.municipality_code},
                           {"population", doc.organization.population},
                           {"size_group", doc.organization.size_group},
                           {"size_group_2021", doc.organization.size_group_2021}};
    Json score = area_json(doc.score.overall, "overall", "overall_without_waivers");
    score["areas"] = Json::array();
    for (const auto& a : doc.score.areas) {
        Json area = area_json(a.result, "score", "score_without_waivers");
        area["id"] = a.result.id;
        score["areas"].push_back(std::move(area));
    }
    out["score"] = std::move(score);
    out["indicators"] = Json::array();
    for (const auto& i : doc.indicators) {
        Json p{{"id", i.id},
               {"scope", i.scope.empty() ? Json(nullptr) : Json(i.scope)},
               {"answer", i.answer ? Json(*i.answer) : Json(nullptr)},
               {"evidenced", i.evidenced},
               {"complete", i.complete}};
        p["by_provenance"] = Json::object();
        for (const auto& [k, v] : i.by_provenance) {
            if (k == "declared" || k == "document" || k == "probed") {
                p["by_provenance"][k] = v;
            }
        }
        out["indicators"].push_back(std::move(p));
    }
    out["results"] = Json::array();
    for (const auto& f : doc.findings) {
        Json r{{"rule", f.rule},
               {"subject", f.subject},
               {"subject_kind", f.subject_kind ? std::string(to_string(*f.subject_kind)) : std::string()},
               {"status", std::string(to_string(f.status))},
               {"severity", std::string(to_string(f.severity))},
               {"area", f.area}};
        if (!f.indicator.empty()) {
            r["indicator"] = f.indicator;
        }
        out["results"].push_back(std::move(r));
    }
    // Bidi and C1 controls as \u escapes, as in the full report (README "Security").
    return json_escape_controls(out.dump(2, ' ', false, Json::error_handler_t::replace)) + "\n";
}

Result<CentralProfileInfo> read_central_profile(const std::string& text) {
    Json doc;
    try {
        doc = Json::parse(text);
    } catch (const Json::exception& e) {
        return Error{std::string("not JSON: ") + e.what()};
    }
    if (!doc.is_object()) {
        return Error{"not a lisa central profile (not a JSON object)"};
    }
    if (!doc.contains("profile")) {
        if (doc.contains("findings") && doc.contains("schema_version")) {
            return Error{"this is a full lisa report, which holds names, DNs and evidence; only the central "
                         "profile may leave the municipality: lisa scan --inventory FILE --format central "
                         "--output PROFILE.json --sign KEY.pem, then push PROFILE.json"};
        }
        return Error{"not a lisa central profile (no \"profile\" key)"};
    }
    if (doc["profile"] != "lisa-central" || !doc.contains("profile_version") || doc["profile_version"] != 1) {
        return Error{"not a lisa central profile of version 1"};
    }
    if (const auto problems = shape_problems(doc); !problems.empty()) {
        std::string message = "not a lisa central profile as `lisa scan --format central` writes it: ";
        for (std::size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i];
        return Error{message + " (a full report or an edited profile is refused; push the profile lisa wrote)"};
    }
    CentralProfileInfo info;
    try {
        const auto& org = doc.at("organization");
        const auto& run = doc.at("run");
        info.municipality_code = org.at("municipality_code").get<std::string>();
        info.organization = org.at("name").get<std::string>();
        info.as_of = run.at("as_of").get<std::string>();
        info.finished = run.at("finished").get<std::string>();
        info.complete = run.at("complete").get<bool>();
        info.full_scope = run.at("systems").empty();
        info.tool_version = doc.at("tool").value("version", "");
    } catch (const Json::exception& e) {
        return Error{std::string("central profile lacks a field: ") + e.what()};
    }
    if (info.municipality_code.size() != 4 ||
        !std::all_of(info.municipality_code.begin(), info.municipality_code.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        return Error{"central profile: organization.municipality_code must be four digits, not '" +
                     terminal_line(info.municipality_code, 40) + "'"};
    }
    if (!is_calendar_date(info.as_of)) {
        return Error{"central profile: run.as_of must be a date YYYY-MM-DD that exists"};
    }
    return info;
}

}  // namespace lisa
